/**
 * A scenario saved while its resource was active, and the resource deactivated afterwards (a
 * line sold, a re-import without it). A plan holds only the active families and resources,
 * so the scenario's capacity change names a resource the plan does not have. Before, the plan
 * job threw, was retried and logged at every attempt, and the thread that asked for the plan
 * heard nothing after "Planning…". Now the thread is told once what to change, no run is
 * stored, and the job is not retried.
 *
 * The real bot over HTTP and the Slack stand-in, real Postgres and Redis, a worker on every
 * queue. The company is the seeded one: 2 families, 4 resources, history to 2026-12.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCompany } from '../../src/seed/company.js';
import { setCycleScenario } from '../../src/services/scenarios.js';
import { getSettings, updateSettings } from '../../src/services/settings.js';
import { startWorker } from '../../src/worker.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { useFixture } from '../helpers/fixture.js';
import { CHANNELS, importCompany, workerEnv } from './jobs-fixture.js';

const ADMIN = 'U_ALICE';

const running = useHttpTestBot('plan-scenario-codes', {
  standin: { postMessageRate: false },
  env: (at) => ({
    ...workerEnv({ dbUrl: at.dbUrl, prefix: at.prefix, apiUrl: at.apiUrl }),
    SOPBOT_ADMIN_USERS: ADMIN,
  }),
});
const worker = useFixture(
  () => startWorker(running.config, { metricsPort: null }),
  (w) => w.stop(),
);

beforeAll(async () => {
  const { db } = running.t;
  await importCompany(db, generateCompany({ families: 2, months: 24, resources: 4, seed: 3 }));
  await getSettings(db);
  await updateSettings(db, { exec_channel: CHANNELS.exec, horizon_months: 4 });
  await running.driver.command('/sop', {
    user: ADMIN,
    channel: 'C_GENERAL',
    text: 'cycle start 2027-01',
  });
  const cycle = await running.standin.waitFor(
    () => db.selectFrom('cycles').select('id').executeTakeFirst(),
    10_000,
  );
  // Set while LINE-2 is active: the save accepts it.
  await setCycleScenario(
    db,
    cycle.id,
    {
      name: 'line2-down',
      label: 'LINE-2 down',
      capacityChanges: [{ resource: 'LINE-2', pct: -50, from: '2027-02', to: '2027-03' }],
    },
    ADMIN,
  );
  await db.updateTable('resources').set({ active: false }).where('code', '=', 'LINE-2').execute();
}, 60_000);

describe('/sop plan with a scenario naming a resource since deactivated', () => {
  it('tells the thread once what to change, stores no run, and does not retry', async () => {
    await running.driver.command('/sop', { user: ADMIN, channel: 'C_GENERAL', text: 'plan' });
    const root = await running.standin.waitFor(
      () => running.standin.messagesIn('C_GENERAL').find((m) => m.text.includes('Planning…')),
      10_000,
    );
    const reply = await running.standin.waitFor(
      () => running.standin.threadReplies('C_GENERAL', root.ts)[0],
      60_000,
    );
    // Before the fix: "No plan was made. scenario 'line2-down': a capacity change names unknown
    // resource 'LINE-2'", of a resource the company has (inactive), in a lower-case sentence.
    expect(reply.text).toBe(
      ":warning: No plan was made. Scenario 'line2-down': a capacity change names resource 'LINE-2', which is not in the plan: a plan holds only the company's active families and resources. Change the scenario with `/sop scenario set line2-down`, or go back to the defaults with `/sop scenario reset`.",
    );
    expect(await running.t.db.selectFrom('plan_runs').select('id').execute()).toEqual([]);
    // The reply is posted just before the job fails: wait for the failure to be recorded.
    const failed = await running.standin.waitFor(async () => {
      const jobs = (await worker.queues.queue('planning').getFailed()).filter(
        (j) => j.name === 'plan',
      );
      return jobs.length > 0 ? jobs : undefined;
    }, 10_000);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.attemptsMade).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(running.standin.threadReplies('C_GENERAL', root.ts)).toHaveLength(1);
  });
});
