/**
 * Chaos: Redis dies under the real bot. Commands still answer while it is down, and say what
 * is true; every job the changes owe is recorded in Postgres with them (the outbox) and
 * reaches the queue once Redis is back, with nobody acting. The Redis here is the test's own
 * (tests/helpers/redis-server.ts), stopped and started by the test; the shared one is never
 * touched.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import { addMonths } from '../../src/core/period.js';
import { createRedis } from '../../src/redis.js';
import { generateCompany } from '../../src/seed/company.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertMembers } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';
import { startPrivateRedis } from '../helpers/redis-server.js';
import { commandEphemeral } from '../helpers/slack.js';
import { setUpCycle, workerEnv } from './jobs-fixture.js';

const PLANNER = 'U_PAT';
const REP = 'U_REN';

let month: string;
const redis = useFixture(startPrivateRedis, (r) => r.stop());
const running = useHttpTestBot('redis-outage', {
  standin: { postMessageRate: false },
  env: (at) => ({
    ...workerEnv({ dbUrl: at.dbUrl, prefix: at.prefix, apiUrl: at.apiUrl }),
    REDIS_URL: redis.url,
    SOPBOT_RECOMPUTE_DEBOUNCE_MS: '60000',
  }),
  seed: async (fresh) => {
    const company = generateCompany({ families: 3, months: 24, resources: 2, seed: 11 });
    ({ month } = await setUpCycle(fresh.db, company, { horizon: 12 }));
    await insertMembers(fresh.db, { [PLANNER]: 'planner', [REP]: 'sales' });
  },
});

/** `name` (`text`) as `user`, and the ephemeral it answers with, while Redis is still down. */
const command = (name: string, user: string, text: string) =>
  commandEphemeral(running, name, user, text, { timeoutMs: 15_000 }).then((e) => e.text);

const pending = async () =>
  running.t.db
    .selectFrom('job_outbox')
    .select(['job_name', 'payload'])
    .where('delivered_at', 'is', null)
    .orderBy('id')
    .execute();

describe('Redis down', () => {
  it('commands answer truthfully while Redis is down, and owed jobs reach the queue once it is back', async () => {
    await redis.stop();

    // An adjustment is saved, and its recompute is recorded with it.
    const saved = await command(
      '/forecast',
      REP,
      `FAM-2 ${addMonths(month, 8)} +10% promotion "spring"`,
    );
    expect(saved).toMatch(/Forecast adjustment saved/);
    const adjustments = await running.t.db
      .selectFrom('forecast_adjustments')
      .select('id')
      .where('request_key', 'is not', null)
      .execute();
    expect(adjustments.length).toBeGreaterThan(0);

    // `/sop plan` answers (before Redis is back) and says the plan waits for the queue.
    const planned = await command('/sop', PLANNER, 'plan');
    expect(planned).toMatch(
      /job queue is unavailable: the plan will be computed as soon as it is back/,
    );

    // `/sop cycle next` moves the cycle and says the recompute and the announcement wait for
    // the queue.
    const moved = await command('/sop', PLANNER, 'cycle next');
    expect(moved).toMatch(/Demand review → \*Supply review\*/);
    expect(moved).toMatch(/plan will be recomputed as soon as it is back, and the phase announced/);

    const waiting = await pending();
    expect(waiting.map((w) => [w.job_name, w.payload.reason ?? w.payload.phase])).toEqual([
      ['recompute', 'submission'],
      ['recompute', 'command'],
      ['phase-announce', 'supply_review'],
      ['recompute', 'cycle'],
    ]);

    // Redis comes back: nobody acts, and every request reaches the queue.
    await redis.start();
    await running.standin.waitFor(
      async () => ((await pending()).length === 0 ? true : undefined),
      30_000,
    );
    const conn = createRedis(redis.url);
    const queues = createQueues(conn, running.prefix);
    try {
      const planning: Queue = queues.queue('planning');
      const jobs = await planning.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      const reasons = jobs
        .filter((j) => j.name === 'recompute')
        .map((j) => (j.data as { reason: string }).reason)
        .sort();
      expect(reasons).toEqual(['command', 'cycle', 'submission']);
      await Promise.all(
        ['planning', 'posts', 'notifications'].map((q) =>
          queues.queue(q as 'planning').obliterate({ force: true }),
        ),
      );
    } finally {
      await queues.close();
      conn.disconnect();
    }
  });
});
