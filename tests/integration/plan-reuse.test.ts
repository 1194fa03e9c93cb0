/**
 * Exactly one plan run per input. A phase change and a `/sop plan` seconds apart, with the
 * same inputs, make one run, and the plan request is answered in its own thread with that
 * run. A later phase change whose inputs are new always makes a run: its recompute is not
 * swallowed by the job id of the earlier one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/deps.js';
import { generateCompany } from '../../src/seed/company.js';
import { advancePhase } from '../../src/services/cycles.js';
import { useDb } from '../helpers/db.js';
import { standinClient, useStandin } from '../helpers/slack.js';
import { addAdjustments, setUpCycle, useInProcessWorker } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
let cycleId = 0;
let month = '';

beforeAll(async () => {
  ({ cycleId, month } = await setUpCycle(
    t.db,
    generateCompany({ families: 4, months: 36, resources: 3, seed: 21 }),
    { horizon: 9 },
  ));
});

const worker = useInProcessWorker({ t, standin }, 'plan-reuse');

const runIds = async () =>
  (
    await t.db
      .selectFrom('plan_runs')
      .select('id')
      .where('cycle_id', '=', cycleId)
      .orderBy('id')
      .execute()
  ).map((r) => r.id);

/** Waits until `n` post-charts jobs (the end of each recompute flow) have completed. */
async function chartJobsDone(n: number): Promise<void> {
  await standin.waitFor(async () => {
    const posts = worker.queues.queue('posts');
    const failed = await posts.getJobs(['failed']);
    if (failed.length) throw new Error(`post-charts failed: ${failed[0]!.failedReason}`);
    const done = await posts.getJobs(['completed']);
    return done.filter((j) => j.name === 'post-charts').length >= n ? true : undefined;
  }, 90_000);
}

describe('plan runs and their inputs', () => {
  it('reuses the run for equal inputs, answers in the thread, and runs again for new inputs', async () => {
    const deps = { db: t.db, queue: worker.queues, clock: systemClock };
    // The demand review ends: a recompute.
    const moved = await advancePhase(deps, cycleId, 'demand_review', 'U_PAT');
    expect(moved.changed).toBe(true);
    await chartJobsDone(1);
    const [first] = await runIds();
    expect(first).toBeDefined();

    // `/sop plan` with the same inputs: no second run; the thread hears of run `first`.
    const root = await standinClient(standin, 'xoxb-test-token').chat.postMessage({
      channel: 'C_GENERAL',
      text: 'Planning…',
    });
    await worker.queues.enqueue('recompute', {
      cycleId,
      reason: 'command',
      requestedBy: 'U_PAT',
      requestKey: 'plan-reuse-1',
      replyTo: { channel: 'C_GENERAL', threadTs: root.ts! },
    });
    await chartJobsDone(2);
    expect(await runIds()).toEqual([first]);
    const replies = standin.threadReplies('C_GENERAL', root.ts!);
    expect(
      replies.filter((m) => m.text.includes(`Plan run ${first} for ${month} is ready`)),
    ).toHaveLength(1);
    expect(replies.filter((m) => m.files.length > 0).length).toBeGreaterThan(0);

    // New inputs, then the supply review ends: the phase's recompute makes a second run.
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-1', pct: 20, months: 3 }]);
    const again = await advancePhase(deps, cycleId, 'supply_review', 'U_PAT');
    expect(again.changed).toBe(true);
    await chartJobsDone(3);
    const ids = await runIds();
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(first);
  });
});
