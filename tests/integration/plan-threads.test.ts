/**
 * Few, tidy messages: every plan run of a cycle posts into ONE thread per cycle and channel.
 * Two recomputes in one cycle leave one top-level message in each channel ("Plans for S&OP
 * <month>"), edited to show the latest run, with both runs' headline and charts as replies in
 * its thread; a retried chart job posts nothing twice, and an older run's retry does not draw
 * the message back onto that run. An older run whose chart job comes after a newer run posted
 * says in the thread that it was replaced, and a newer run whose chart is the same picture as
 * such a run's posts its own unlabelled copy; a channel that is both the demand and the supply
 * channel has one thread whichever charts a run has; and a thread recorded under the key of
 * before (by role) goes on being edited.
 */
import type { Job } from 'bullmq';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { updateSettings } from '../../src/services/settings.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import {
  addAdjustments,
  CHANNELS,
  type ChartName,
  runPostCharts,
  setUpCycle,
  useInProcessWorker,
} from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
let cycleId = 0;
let month = '';

beforeAll(async () => {
  ({ cycleId, month } = await setUpCycle(
    t.db,
    generateCompany({ families: 5, months: 36, resources: 3, seed: 11 }),
    { horizon: 6 },
  ));
  await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-2', pct: 25 }]);
});

const worker = useInProcessWorker({ t, standin }, 'plan-threads');

const chartJobs = async (): Promise<Job[]> =>
  (await worker.queues.queue('posts').getJobs(['completed'])).filter(
    (j) => j.name === 'post-charts',
  );

/** Waits until `n` post-charts jobs have completed (none failed). */
async function chartJobsDone(n: number): Promise<void> {
  await standin.waitFor(async () => {
    const failed = await worker.queues.queue('posts').getJobs(['failed']);
    if (failed.length) throw new Error(`post-charts failed: ${failed[0]!.failedReason}`);
    return (await chartJobs()).length >= n ? true : undefined;
  }, 90_000);
}

/** Runs the completed chart job of run `runId` again, under its own job id (a retry). */
async function retryChartJob(runId: string): Promise<void> {
  const posts = worker.queues.queue('posts');
  const job = (await chartJobs()).find((j) => j.returnvalue?.runId === runId);
  if (!job?.id) throw new Error(`no chart job of run ${runId}`);
  const { id, data } = job;
  await job.remove();
  await posts.add('post-charts', { ...data, runId }, { jobId: id });
  await standin.waitFor(
    async () => ((await posts.getJobState(id)) === 'completed' ? true : undefined),
    60_000,
  );
}

/** Runs a post-charts job of `data` (every chart unless it names them) under `jobId`. */
const runChartJob = (
  jobId: string,
  data: { runId: string; charts?: readonly ChartName[] },
): Promise<void> =>
  runPostCharts({ worker, standin }, jobId, {
    charts: ['gap', 'family', 'scenarios', 'cash', 'accuracy'],
    ...data,
  });

const runIds = async (): Promise<string[]> =>
  (
    await t.db
      .selectFrom('plan_runs')
      .select('id')
      .where('cycle_id', '=', cycleId)
      .orderBy('id')
      .execute()
  ).map((r) => r.id);

const fileNames = (channel: string, threadTs: string): (string | undefined)[] =>
  standin
    .threadReplies(channel, threadTs)
    .flatMap((m) => m.files)
    .map((id) => standin.files.find((f) => f.id === id)?.name);

describe('two recomputes in one cycle', () => {
  let parentTs = '';
  let first = '';
  let second = '';

  it('post into one thread per channel, whose message shows the latest run', async () => {
    await worker.queues.enqueue('recompute', {
      cycleId,
      reason: 'submission',
      requestedBy: 'U_BOB',
      // A key of its own: a recompute of the cycle without one is one job id (debounced).
      requestKey: 'plan-threads-1',
    });
    await chartJobsDone(1);
    // New inputs, so the second recompute makes a second run.
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-2', pct: -20 }]);
    await worker.queues.enqueue('recompute', {
      cycleId,
      reason: 'import',
      requestedBy: null,
      requestKey: 'plan-threads-2',
    });
    await chartJobsDone(2);
    [first, second] = (await runIds()) as [string, string];
    expect(second).toBeDefined();

    // The executive channel: one top-level message, edited onto run 2 (after an import).
    const exec = standin.messagesIn(CHANNELS.exec);
    expect(exec).toHaveLength(1);
    const parent = exec[0]!;
    parentTs = parent.ts;
    const lines = parent.text.split('\n');
    expect(lines[0]).toBe(`*Plans for S&OP ${month}*`);
    expect(lines[1]).toMatch(
      new RegExp(`^Latest: plan run ${second}, <!date\\^\\d+\\^.*>, after a data import\\.$`),
    );
    // The three default scenarios, one line each.
    expect(lines.filter((l) => l.startsWith('• *')).map((l) => l.split('*')[1])).toEqual([
      'Central',
      'Cautious',
      'Ambitious',
    ]);
    expect(standin.callsTo('chat.update').some((c) => c.args.ts === parentTs)).toBe(true);

    // Its thread: run 1's headline and charts, then run 2's (demand changed, so the
    // scenario comparison and the cash changed too).
    const replies = standin.threadReplies(CHANNELS.exec, parentTs);
    expect(
      replies
        .map((m) => /^\*Plan run (\d+) for [\d-]+ is ready\.\*/.exec(m.text)?.[1])
        .filter((x) => x !== undefined),
    ).toEqual([first, second]);
    expect(fileNames(CHANNELS.exec, parentTs)).toEqual([
      `run-${first}-scenarios.png`,
      `run-${first}-cash.png`,
      `run-${second}-scenarios.png`,
      `run-${second}-cash.png`,
    ]);

    // The supply and demand channels: one top-level message each, the charts in its thread.
    for (const channel of [CHANNELS.supply, CHANNELS.demand]) {
      const top = standin.messagesIn(channel);
      expect(top).toHaveLength(1);
      expect(top[0]!.text.split('\n')[1]).toMatch(new RegExp(`^Latest: plan run ${second}, `));
      expect(top[0]!.text).not.toContain('• *Central*');
      expect(fileNames(channel, top[0]!.ts).length).toBeGreaterThan(0);
    }
    expect(fileNames(CHANNELS.supply, standin.messagesIn(CHANNELS.supply)[0]!.ts)[0]).toBe(
      `run-${first}-gap.png`,
    );
    expect(fileNames(CHANNELS.demand, standin.messagesIn(CHANNELS.demand)[0]!.ts)).toContain(
      `run-${second}-fam-2.png`,
    );
    // Every chart was shared in a thread, none in a channel.
    for (const f of standin.files)
      expect(f.shares.map((s) => s.thread_ts ?? null)).not.toContain(null);
  }, 240_000);

  it('a retried chart job posts nothing twice, and an older run leaves the message on the latest', async () => {
    const posted = standin.callsTo('chat.postMessage').length;
    const files = standin.files.length;
    const replies = standin.threadReplies(CHANNELS.exec, parentTs).length;
    const text = standin.messagesIn(CHANNELS.exec)[0]!.text;
    await retryChartJob(second);
    await retryChartJob(first);
    expect(standin.callsTo('chat.postMessage')).toHaveLength(posted);
    expect(standin.files).toHaveLength(files);
    expect(standin.threadReplies(CHANNELS.exec, parentTs)).toHaveLength(replies);
    expect(standin.messagesIn(CHANNELS.exec)).toHaveLength(1);
    expect(standin.messagesIn(CHANNELS.exec)[0]!.text).toBe(text);
    expect(text).toContain(`Latest: plan run ${second}, `);
    // The vote finds run 2's scenario chart where it was shared: in the thread.
    const chart = await t.db
      .selectFrom('slack_posts')
      .select(['channel_id', 'thread_ts', 'file_id'])
      .where('post_key', '=', `run:${second}:scenarios`)
      .executeTakeFirstOrThrow();
    expect(chart).toMatchObject({ channel_id: CHANNELS.exec, thread_ts: parentTs });
    expect(chart.file_id).not.toBeNull();
  }, 180_000);
});

describe("an older run's chart job that comes after a newer run posted", () => {
  it('posts its headline saying it was replaced, and its charts saying so, below; the message stays on the newer run', async () => {
    // Run 3 is written, but its chart job is held up (here: not run yet)…
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-3', pct: 40 }]);
    const solver = await createHighsSolver();
    const third = (
      await runPlan(t.db, solver, {
        cycleId,
        runKey: 'plan-threads-3',
        trigger: 'submission',
        requestedBy: null,
      })
    ).runId;
    // …while run 4 is made and posted.
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-3', pct: -40 }]);
    await worker.queues.enqueue('recompute', {
      cycleId,
      reason: 'submission',
      requestedBy: 'U_BOB',
      requestKey: 'plan-threads-4',
    });
    await chartJobsDone(3);
    const fourth = (await runIds()).at(-1)!;
    expect(BigInt(fourth)).toBeGreaterThan(BigInt(third));
    await runChartJob(`late-${third}`, { runId: third });

    const [root] = standin.messagesIn(CHANNELS.exec);
    expect(standin.messagesIn(CHANNELS.exec)).toHaveLength(1);
    expect(root!.text.split('\n')[1]).toMatch(new RegExp(`^Latest: plan run ${fourth}, `));
    const heads = standin
      .threadReplies(CHANNELS.exec, root!.ts)
      .map((m) => m.text.split('\n')[0]!)
      .filter((line) => line.startsWith('*Plan run '));
    expect(heads.at(-2)).toBe(`*Plan run ${fourth} for ${month} is ready.*`);
    expect(heads.at(-1)).toBe(
      `*Plan run ${third} for ${month} (replaced by plan run ${fourth} above): its figures are out of date.*`,
    );
    // Its scenario chart is posted (a vote on run 3 shows it), and says whose it is.
    const chart = standin.files.find((f) => f.name === `run-${third}-scenarios.png`);
    expect(chart?.shares.map((x) => x.thread_ts)).toEqual([root!.ts]);
    expect(chart?.initial_comment?.split('\n')[0]).toBe(
      `_Plan run ${third} (replaced by plan run ${fourth} above):_`,
    );
    const key = await t.db
      .selectFrom('slack_posts')
      .select('file_id')
      .where('post_key', '=', `run:${third}:scenarios`)
      .executeTakeFirstOrThrow();
    expect(key.file_id).toBe(chart?.id);
  }, 240_000);
});

describe('two runs with the same chart, the older one posted first', () => {
  it("the newer run posts its own copy, not labelled replaced; the older run's stays its own", async () => {
    const solver = await createHighsSolver();
    const plan = async (runKey: string) =>
      (await runPlan(t.db, solver, { cycleId, runKey, trigger: 'submission', requestedBy: null }))
        .runId;
    // Run 5 moves FAM-5 far (a family chart no run drew before)…
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-5', pct: 200 }]);
    const fifth = await plan('plan-threads-5');
    // …and run 6, made before run 5's chart job starts, changes another family a little: its
    // FAM-5 chart is the same picture as run 5's.
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-1', pct: 2, months: 1 }]);
    const sixth = await plan('plan-threads-6');
    expect(BigInt(sixth)).toBeGreaterThan(BigInt(fifth));
    // The jobs in the order the runs were made (FIFO): run 5's first, once run 6 exists.
    await runChartJob(`fifo-${fifth}`, { runId: fifth });
    await runChartJob(`fifo-${sixth}`, { runId: sixth });

    const old = standin.files.find((f) => f.name === `run-${fifth}-fam-5.png`);
    const current = standin.files.find((f) => f.name === `run-${sixth}-fam-5.png`);
    // Run 5's copy says it was replaced (run 6 had posted nothing when it came)…
    expect(old?.initial_comment?.split('\n')[0]).toBe(
      `_Plan run ${fifth} (replaced by plan run ${sixth}):_`,
    );
    // …and run 6, whose chart is the same picture, posts one of its own, without that label.
    expect(current).toBeDefined();
    expect(current!.bytes?.equals(old!.bytes!)).toBe(true);
    expect(current!.initial_comment).not.toContain('replaced');
    expect(current!.initial_comment).toMatch(/^\*FAM-5\*: consensus /);
    const shown = async (key: string) =>
      (
        await t.db
          .selectFrom('slack_posts')
          .select('file_id')
          .where('post_key', '=', key)
          .executeTakeFirstOrThrow()
      ).file_id;
    expect(await shown(`run:${sixth}:family:FAM-5`)).toBe(current!.id);
    // A vote opened on run 5 still finds its scenario chart.
    expect(await shown(`run:${fifth}:scenarios`)).not.toBeNull();
  }, 240_000);
});

describe('demand and supply in one channel', () => {
  it('one thread there, whether a run has a gap chart (for supply) or not', async () => {
    const latest = (await runIds()).at(-1)!;
    await updateSettings(t.db, { demand_channel: 'C_GENERAL', supply_channel: 'C_GENERAL' });
    try {
      // A run's job without the gap chart (its only supply chart), then one with it.
      await runChartJob(`shared-no-gap-${latest}`, {
        runId: latest,
        charts: ['family', 'scenarios', 'cash', 'accuracy'],
      });
      await runChartJob(`shared-gap-${latest}`, { runId: latest });
    } finally {
      await updateSettings(t.db, {
        demand_channel: CHANNELS.demand,
        supply_channel: CHANNELS.supply,
      });
    }
    const top = standin.messagesIn('C_GENERAL');
    expect(top).toHaveLength(1);
    expect(top[0]!.text.split('\n')[1]).toMatch(new RegExp(`^Latest: plan run ${latest}, `));
    // Not the executive channel: no scenario lines.
    expect(top[0]!.text).not.toContain('• *Central*');
  }, 180_000);
});

describe('a thread recorded under the key of before (by role)', () => {
  it('is edited onto the latest run, not posted again', async () => {
    const latest = (await runIds()).at(-1)!;
    const [root] = standin.messagesIn(CHANNELS.exec);
    // What an earlier version left for this cycle: the executive thread keyed by its role.
    await t.db
      .updateTable('slack_posts')
      .set({ post_key: `cycle:${cycleId}:plans:exec` })
      .where('post_key', '=', `cycle:${cycleId}:plans:${CHANNELS.exec}`)
      .execute();
    const edits = standin.callsTo('chat.update').filter((c) => c.args.ts === root!.ts).length;
    await runChartJob(`legacy-${latest}`, { runId: latest });
    expect(standin.messagesIn(CHANNELS.exec).map((m) => m.ts)).toEqual([root!.ts]);
    expect(standin.callsTo('chat.update').filter((c) => c.args.ts === root!.ts).length).toBe(
      edits + 1,
    );
    const rows = await t.db
      .selectFrom('slack_posts')
      .select('post_key')
      .where('post_key', 'like', `cycle:${cycleId}:plans:%`)
      .where('channel_id', '=', CHANNELS.exec)
      .execute();
    expect(rows.map((r) => r.post_key)).toEqual([`cycle:${cycleId}:plans:exec`]);
  }, 120_000);
});
