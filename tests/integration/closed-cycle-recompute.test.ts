/**
 * A recompute that reaches the worker after its cycle closed (it waited in the outbox during a
 * Redis outage, or behind another plan of the cycle, or a `/capacity` change's debounce ran
 * out just after `/sop cycle close`) writes no plan run into the closed cycle and posts no
 * chart: the cycle's pack (`sopbot pack --cycle`, which reads its latest run) and its vote stay
 * those of the meeting. Real Postgres, Redis, the worker in this process and the HiGHS solver.
 *
 * Hand figures: the closed cycle has no plan run before each case, so "nothing written" is
 * 0 rows in plan_runs and 0 files on the stand-in (before the fix: 1 run, 3 chart files:
 * capacity check, scenarios compared, cash).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withSessionLock } from '../../db/queries/adjustments.js';
import { hash, type JobInput } from '../../jobs/contracts.js';
import type { LpModel } from '../../src/core/supply/lp.js';
import { SopError } from '../../src/errors.js';
import { generateCompany } from '../../src/seed/company.js';
import { closeCycle } from '../../src/services/cycles.js';
import { enqueueDurably } from '../../src/services/outbox.js';
import { runPlan } from '../../src/services/planning.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import { CHANNELS, setUpCycle, useInProcessWorker } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false });
let cycleId = 0;
beforeAll(async () => {
  const company = generateCompany({ families: 3, months: 30, resources: 2, seed: 5 });
  cycleId = (await setUpCycle(t.db, company, { horizon: 6 })).cycleId;
});
const w = useInProcessWorker({ t, standin }, 'closed-recompute');

const clock = { now: () => new Date() };
const runs = () => t.db.selectFrom('plan_runs').select('id').execute();
/** Back to an open cycle in the executive phase, as before the meeting closes it. */
const reopen = () =>
  t.db
    .updateTable('cycles')
    .set({ phase: 'executive', closed_at: null })
    .where('id', '=', cycleId)
    .execute();
const close = () => closeCycle({ db: t.db, queue: w.queues, clock }, cycleId, 'U_PLAN');

/** The job's return value once it has completed (throws if it failed or never ends). */
async function result(queue: 'planning' | 'posts', id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 1200; i++) {
    const job = await w.queues.queue(queue).getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (state === 'failed') throw new Error(`job ${id} failed: ${job?.failedReason}`);
    if (state === 'completed') {
      const done = await w.queues.queue(queue).getJob(id);
      return (done?.returnvalue ?? {}) as Record<string, unknown>;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

const recompute = (requestKey: string): JobInput<'recompute'> => ({
  cycleId,
  reason: 'submission',
  requestedBy: null,
  replyTo: null,
  requestKey,
});

afterEach(async () => {
  expect(await runs()).toEqual([]);
  expect(standin.files).toEqual([]);
  for (const c of [CHANNELS.demand, CHANNELS.supply]) expect(standin.messagesIn(c)).toEqual([]);
});

describe('a recompute of a closed cycle', () => {
  it('delivered after the close: the recompute job skips it and starts no plan', async () => {
    await reopen();
    await close();
    await enqueueDurably({ db: t.db, queue: w.queues }, 'recompute', recompute('after-close'));
    // Before the fix: { runKey } and a plan flow that wrote run 1 and posted 3 charts.
    expect(await result('planning', `recompute-req-${hash('after-close')}`)).toEqual({
      skipped: 'cycle closed',
    });
  });

  it("a baseline refit that arrives after the close leaves the closed cycle's baseline alone", async () => {
    await reopen();
    await close();
    const before = await t.db
      .selectFrom('baseline_forecasts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('cycle_id', '=', cycleId)
      .executeTakeFirstOrThrow();
    const id = await w.queues.enqueue('baseline', { cycleId, runKey: 'after-close' });
    // Before the fix: { fitted: 3, … }, the closed cycle's baseline rewritten.
    expect(await result('planning', id)).toEqual({ skipped: 'cycle closed' });
    const after = await t.db
      .selectFrom('baseline_forecasts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('cycle_id', '=', cycleId)
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('queued behind another plan of the cycle: the plan job finds it closed under its lock', async () => {
    await reopen();
    // Another plan of the cycle is being solved: the flow's plan job waits on the lock.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const holder = withSessionLock(t.db, `plan-solve:${cycleId}`, async () => {
      locked();
      await held;
    });
    await isLocked;
    await enqueueDurably({ db: t.db, queue: w.queues }, 'recompute', recompute('behind'));
    const started = await result('planning', `recompute-req-${hash('behind')}`);
    const runKey = String(started.runKey);
    const planJob = () => w.queues.queue('planning').getJob(`plan-${hash(runKey)}`);
    for (let i = 0; i < 400 && (await (await planJob())?.getState()) !== 'active'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await (await planJob())?.getState()).toBe('active');
    // The meeting closes the cycle while that plan job waits.
    await close();
    release();
    await holder;
    expect(await result('planning', `plan-${hash(runKey)}`)).toEqual({ skipped: 'cycle closed' });
    expect(await result('posts', `charts-flow-${hash(runKey)}`)).toEqual({
      skipped: 'no plan run',
    });
  });

  it('closed while its scenarios are solved: the run is not written', async () => {
    await reopen();
    const highs = await createHighsSolver();
    let closed = false;
    const solver = {
      async solve(model: LpModel) {
        // The close commits while the plan solves (outside the plan's own transaction).
        if (!closed) {
          closed = true;
          await close();
        }
        return highs.solve(model);
      },
    };
    const out = runPlan(t.db, solver, {
      cycleId,
      runKey: 'closed-mid-solve',
      trigger: 'cycle',
      requestedBy: null,
    });
    await expect(out).rejects.toThrow(SopError);
    await expect(out).rejects.toMatchObject({ code: 'phase_closed' });
    expect(closed).toBe(true);
  });
});
