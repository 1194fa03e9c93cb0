/**
 * Chaos: `/sop execution` while Redis is down. The report is saved, and its publish (the
 * supply channel's post, the owner's DM, the reminders) is recorded in the job outbox in the
 * same transaction; once Redis is back the bot's relay hands it to the queue with nobody
 * acting, and a worker posts it. The Redis here is the test's own
 * (tests/helpers/redis-server.ts), stopped and started by the test; the shared one is never
 * touched.
 */
import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import { startRuntime } from '../../jobs/runtime.js';
import { systemClock } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';
import { startPrivateRedis } from '../helpers/redis-server.js';
import { insertFamilies } from './meeting-fixture.js';

const OPS = 'U_OTTO';

const redis = useFixture(startPrivateRedis, (r) => r.stop());
const running = useHttpTestBot('execution-outage', {
  standin: {
    postMessageRate: false,
    users: [{ id: OPS, name: 'otto', real_name: 'Otto', tz: 'UTC' }],
  },
  env: () => ({
    REDIS_URL: redis.url,
    SOPBOT_RECOMPUTE_CRON: 'off',
    SOPBOT_DIGEST_CRON: 'off',
    SOPBOT_CHART_WARMUP_ROUNDS: '0',
  }),
  seed: async (t) => {
    await insertFamilies(t.db);
    await t.db
      .insertInto('resources')
      // No unit given: a resource counts in hours (resources.csv's default), and its report says so.
      .values({ code: 'SUP-1', name: 'Frames supplier', kind: 'supplier', regular_capacity: 500 })
      .execute();
    await t.db
      .insertInto('workspace_settings')
      .values({ team_id: 'default', supply_channel: 'C_SUPPLY' })
      .execute();
    await insertCycle(t.db, { month: '2027-02', phase: 'data_gathering' });
    await insertMembers(t.db, { [OPS]: 'ops' });
  },
});

const outbox = () =>
  running.t.db
    .selectFrom('job_outbox')
    .select(['job_name', 'payload', 'delivered_at', 'job_id'])
    .orderBy('id')
    .execute();

describe('/sop execution with Redis down', () => {
  it('saves the report, and its publish reaches the queue and the supply channel once Redis is back', async () => {
    await redis.stop();

    await running.driver.command('/sop', { user: OPS, channel: 'C_SUPPLY', text: 'execution' });
    const view = await running.standin.waitFor(() => {
      const v = running.standin.openViews(OPS).at(-1);
      return v?.definition.callback_id === 'execution_submit' ? v : undefined;
    }, 10_000);
    const submitted = await running.driver.submitView(view.id, {
      user: OPS,
      values: {
        kind: { pick: 'supplier_delay' },
        code: { value: 'SUP-1' },
        day: { date: '2027-02-10' },
        expected: { value: '100' },
        actual: { value: '60' },
        comment: { value: 'Port strike' },
      },
    });
    expect(submitted.status).toBe(200);

    // The report is saved with its action...
    const deviations = await running.t.db
      .selectFrom('deviations')
      .select(['id', 'summary', 'action_id'])
      .execute();
    expect(deviations).toHaveLength(1);
    const deviation = deviations[0]!;
    expect(deviation.summary).toBe(
      'Supplier delay on SUP-1 in the week of 2027-02-08: 60 of 100 hours expected (−40.0%)',
    );
    expect(deviation.action_id).not.toBeNull();
    // ...and its publish waits in the outbox, recorded with it.
    expect(await outbox()).toEqual([
      {
        job_name: 'deviation-publish',
        payload: { deviationId: deviation.id },
        delivered_at: null,
        job_id: null,
      },
    ]);
    expect(running.standin.messagesIn('C_SUPPLY')).toEqual([]);

    // Redis comes back: nobody acts, and the bot's relay hands the request over under the
    // deviation's job id.
    await redis.start();
    const delivered = await running.standin.waitFor(async () => {
      const rows = await outbox();
      return rows[0]?.delivered_at ? rows : undefined;
    }, 30_000);
    expect(delivered.map((r) => [r.job_name, r.job_id])).toEqual([
      ['deviation-publish', `deviation-publish-${deviation.id}`],
    ]);

    // A worker on the restarted Redis publishes it.
    const conn = createRedis(redis.url);
    const queues = createQueues(conn, running.prefix);
    const workerConn = createRedis(redis.url, 'worker');
    const worker = startRuntime(
      {
        db: running.t.db,
        queue: queues,
        slack: new WebClient(running.env.SLACK_BOT_TOKEN, {
          slackApiUrl: running.standin.apiUrl,
          rejectRateLimitedCalls: true,
          retryConfig: { retries: 0 },
        }),
        config: running.config,
        logger: createLogger('silent', 'execution-outage-worker'),
        clock: systemClock,
        connection: workerConn,
        prefix: running.prefix,
      },
      { queues: ['posts'] },
    );
    try {
      const post = await running.standin.waitFor(
        () =>
          running.standin
            .messagesIn('C_SUPPLY')
            .find((m) => m.text.startsWith('Reported by operations')),
        20_000,
      );
      expect(JSON.stringify(post.blocks)).toContain(
        'Supplier delay on SUP-1 in the week of 2027-02-08: 60 of 100 hours expected (−40.0%)',
      );
      expect(running.standin.messagesIn('C_SUPPLY')).toHaveLength(1);
    } finally {
      await worker.close();
      await Promise.all(
        ['planning', 'posts', 'notifications'].map((q) =>
          queues.queue(q as 'posts').obliterate({ force: true }),
        ),
      );
      await queues.close();
      conn.disconnect();
      workerConn.disconnect();
    }
  });
});
