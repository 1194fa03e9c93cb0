/**
 * A newcomer's first run: a migrated database with nothing imported (no families, no
 * resources, no members), the real bot over HTTP driven by the stand-in, and a real worker
 * in this process. Each command says what is true and what to do next, instead of promising
 * results that never come or opening a form Slack would refuse.
 *
 * Hand figures: nothing is imported, so there are 0 families and 0 resources; a plan asked
 * for now writes 0 plan runs, and its job is tried once (BullMQ's `attemptsMade` 1, not the
 * 5 attempts of DEFAULT_JOB_OPTIONS).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertPlanRun } from '../../db/queries/plan-runs.js';
import { enqueueDurably } from '../../src/services/outbox.js';
import { updateSettings } from '../../src/services/settings.js';
import { startWorker } from '../../src/worker.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { useFixture } from '../helpers/fixture.js';
import { commandEphemeral } from '../helpers/slack.js';
import { workerEnv } from './jobs-fixture.js';

const ADMIN = 'U_ALICE';
/** The import command as mrkdwn shows it: `<` and `>` escaped, as every message escapes them. */
const IMPORT = '`sopbot import all &lt;dir&gt;` (docs/data-format.md)';

const running = useHttpTestBot('first-run', {
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

const runs = () => running.t.db.selectFrom('plan_runs').select('id').execute();

beforeAll(async () => {
  const ack = await running.driver.command('/sop', {
    user: ADMIN,
    channel: 'C_GENERAL',
    text: 'cycle start 2027-01',
  });
  expect(ack.status).toBe(200);
  // The command answers after its ack: wait for the cycle it opens.
  await running.standin.waitFor(
    () => running.t.db.selectFrom('cycles').select('id').executeTakeFirst(),
    10_000,
  );
});

describe('/sop cycle start with nothing imported', () => {
  it('opens the cycle and says there is nothing to plan yet, and how to import it', async () => {
    const said = await running.standin.waitFor(
      () =>
        running.standin
          .messagesIn('C_GENERAL')
          .find((m) => m.text.includes('opened the S&OP cycle *2027-01*')),
      10_000,
    );
    expect(said.text).toContain(
      `:warning: No product families and no resources yet: import them with ${IMPORT}. Until then there is nothing to plan.`,
    );
  });
});

describe('/sop plan with nothing imported', () => {
  it('answers in its thread with what to import, stores no run, and does not retry', async () => {
    await running.driver.command('/sop', { user: ADMIN, channel: 'C_GENERAL', text: 'plan' });
    const root = await running.standin.waitFor(
      () => running.standin.messagesIn('C_GENERAL').find((m) => m.text.includes('Planning…')),
      10_000,
    );
    const reply = await running.standin.waitFor(
      () => running.standin.threadReplies('C_GENERAL', root.ts)[0],
      30_000,
    );
    expect(reply.text).toBe(
      `:warning: No plan was made. No product families and no resources yet: import them with ${IMPORT}.`,
    );
    expect(await runs()).toEqual([]);
    // The reply is posted just before the job fails: wait for the failure to be recorded.
    const plan = await running.standin.waitFor(async () => {
      const failed = await worker.queues.queue('planning').getFailed();
      const jobs = failed.filter((j) => j.name === 'plan');
      return jobs.length > 0 ? jobs : undefined;
    }, 10_000);
    expect(plan).toHaveLength(1);
    expect(plan[0]?.attemptsMade).toBe(1);
    // The reply is the only one: no retry posted it again.
    await new Promise((r) => setTimeout(r, 300));
    expect(running.standin.threadReplies('C_GENERAL', root.ts)).toHaveLength(1);
  });
});

describe('/sop whatif with nothing imported', () => {
  it('answers privately that there are no families yet, and how to import them', async () => {
    const posted = running.standin.messagesIn('C_GENERAL').length;
    const reply = await commandEphemeral(running, '/sop', ADMIN, 'whatif demand FAM-3 +10%', {
      timeoutMs: 10_000,
    });
    expect(reply.text).toBe(
      `:warning: There is no plan to compare with. No product families and no resources yet: import them with ${IMPORT}.`,
    );
    expect(running.standin.messagesIn('C_GENERAL')).toHaveLength(posted);
  });

  it('a what-if job (queued before the data went) says what to import, not "the solver failed"', async () => {
    // The command now refuses first; the job keeps its own answer for a what-if already queued.
    const cycle = await running.t.db.selectFrom('cycles').select('id').executeTakeFirstOrThrow();
    const root = await running.standin.waitFor(
      () => running.standin.messagesIn('C_GENERAL').find((m) => m.text.includes('opened the S&OP')),
      10_000,
    );
    await enqueueDurably({ db: running.t.db, queue: worker.queues }, 'whatif', {
      cycleId: cycle.id,
      text: 'demand all +10%',
      requestedBy: ADMIN,
      requestKey: 'first-run-whatif-job',
      replyTo: { channel: 'C_GENERAL', threadTs: root.ts },
    });
    const reply = await running.standin.waitFor(
      () => running.standin.threadReplies('C_GENERAL', root.ts)[0],
      30_000,
    );
    expect(reply.text).toBe(
      `:warning: Could not run the what-if. No product families and no resources yet: import them with ${IMPORT}.`,
    );
    expect(await runs()).toEqual([]);
  });
});

describe('/sop status with nothing imported', () => {
  it('says there are no families and how to import them', async () => {
    const reply = await commandEphemeral(running, '/sop', ADMIN, 'status', { timeoutMs: 10_000 });
    expect(reply.text).toContain(
      `*Forecast input*: No product families yet: import them with ${IMPORT}.`,
    );
    expect(reply.text).not.toContain('every sales rep has answered');
  });
});

describe('/sop pack post', () => {
  it('says there is no executive channel, then posts, then says it was already posted', async () => {
    const post = () =>
      commandEphemeral(running, '/sop', ADMIN, 'pack post', { timeoutMs: 10_000 }).then(
        (e) => e.text,
      );
    expect(await post()).toBe(
      'The pack was not posted: no executive channel is set. Set one with `/sop settings channels exec #channel`, then `/sop pack post` again.',
    );
    expect(running.standin.messagesIn('C_EXEC')).toHaveLength(0);
    await updateSettings(running.t.db, { exec_channel: 'C_EXEC' });
    expect(await post()).toBe('The 2027-01 pack is posted in <#C_EXEC>.');
    expect(running.standin.messagesIn('C_EXEC')).toHaveLength(1);
    expect(await post()).toBe(
      'The 2027-01 pack was already posted in <#C_EXEC>; it is posted once per cycle.',
    );
    expect(running.standin.messagesIn('C_EXEC')).toHaveLength(1);
  });
});

describe('forms with nothing to pick', () => {
  it('/forecast and /capacity answer privately with what to import, and open no form', async () => {
    const opened = running.standin.callsTo('views.open').length;
    const forecast = await commandEphemeral(running, '/forecast', ADMIN, '', { timeoutMs: 10_000 });
    expect(forecast.text).toBe(
      `:warning: There is no product family to adjust yet: import them with ${IMPORT}.`,
    );
    const capacity = await commandEphemeral(running, '/capacity', ADMIN, '', { timeoutMs: 10_000 });
    expect(capacity.text).toBe(
      `:warning: There is no resource to update yet: import them with ${IMPORT}.`,
    );
    expect(running.standin.callsTo('views.open')).toHaveLength(opened);
  });

  it('/sop decide on a run with no feasible scenario says so instead of an empty select', async () => {
    const cycle = await running.t.db
      .selectFrom('cycles')
      .select('id')
      .where('month', '=', '2027-01')
      .executeTakeFirstOrThrow();
    // A run whose one scenario found no plan: nothing to decide on.
    await running.t.db.transaction().execute((trx) =>
      insertPlanRun(trx, {
        cycleId: cycle.id,
        runKey: 'first-run-infeasible',
        trigger: 'test',
        requestedBy: null,
        periods: ['2027-02'],
        inputHash: 'h',
        problem: {},
        consensus: [],
        capacityCheck: {},
        solverMs: null,
        totalMs: null,
        scenarios: [
          {
            name: 'central',
            label: 'Central',
            assumptions: {},
            status: 'infeasible',
            message: 'No plan.',
            totalCost: null,
            costBreakdown: {},
            kpis: {},
            families: [],
            resources: [],
          },
        ],
      }),
    );
    await running.t.db
      .updateTable('cycles')
      .set({ phase: 'executive' })
      .where('id', '=', cycle.id)
      .execute();
    const opened = running.standin.callsTo('views.open').length;
    const reply = await commandEphemeral(running, '/sop', ADMIN, 'decide', { timeoutMs: 10_000 });
    expect(reply.text).toContain(
      'The latest plan run of 2027-01 has no feasible scenario to decide on; fix the plan and run `/sop plan` again.',
    );
    expect(running.standin.callsTo('views.open')).toHaveLength(opened);
  });
});
