/**
 * A chart upload that never answers must not hold its job: the bytes go to Slack's upload URL
 * with the limit of the worker's other Slack calls (SOPBOT_SLACK_TIMEOUT_MS, here 1 s), and the
 * job is retried. The stand-in keeps the bytes at once and holds its answer (`delayNext`
 * 'upload'); nothing was shared, so the retry finds the file unshared through the post ledger
 * and uploads it anew: the chart is shown once.
 */
import { describe, expect, it } from 'vitest';
import { insertPlanRun } from '../../db/queries/plan-runs.js';
import { jobId } from '../../jobs/contracts.js';
import { DEFAULT_SCENARIOS } from '../../src/core/scenarios.js';
import { generateCompany } from '../../src/seed/company.js';
import { planRunRecord, preparePlan, solveScenarios } from '../../src/services/planning.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';
import { useStandin } from '../helpers/slack.js';
import { completion, firstFailure, setUpCycle, useInProcessWorker } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
/** The plan run whose chart is posted, stored before the worker starts. */
const run = useFixture(
  async () => {
    const { cycleId } = await setUpCycle(
      t.db,
      generateCompany({ families: 3, months: 36, resources: 2, seed: 8 }),
      { horizon: 6 },
    );
    const inputs = await preparePlan(t.db, cycleId);
    const solved = await solveScenarios(inputs, DEFAULT_SCENARIOS, await createHighsSolver());
    const rec = planRunRecord(
      { cycleId, runKey: 'upload-timeout', trigger: 'command', requestedBy: null },
      inputs,
      solved,
      0,
    );
    return { id: await t.db.transaction().execute((trx) => insertPlanRun(trx, rec)) };
  },
  // Dropped with the database.
  async () => {},
);
const worker = useInProcessWorker({ t, standin }, 'upload-timeout', {
  SOPBOT_SLACK_TIMEOUT_MS: '1000',
});

describe('a chart upload that never answers, in the worker', () => {
  it('fails after the timeout, and the retry uploads the chart anew and shares it once', async () => {
    const runId = run.id;
    // Slack keeps the bytes but its answer never comes back within the test (a minute).
    standin.delayNext('upload', { ms: 60_000 });
    await worker.queues.enqueue('post-charts', { runId, charts: ['gap'], replyTo: null });
    const id = jobId('post-charts', { runId, charts: ['gap'], replyTo: null });
    const job = async () => (await worker.queues.queue('posts').getJob(id))!;

    // With the 1 s limit the first attempt fails within a few seconds; without one it would
    // wait the whole minute for the upload's answer.
    const first = await firstFailure(job, 10_000);
    expect(first.failedReason).toBe(
      `Slack's upload URL (run-${runId}-gap.png) did not answer within 1000 ms`,
    );
    // The bytes reached Slack, but nothing was shared; the ledger holds the file id, no ts.
    const held = standin.callsTo('upload');
    expect(held).toHaveLength(1);
    expect(standin.files.filter((f) => f.channels.includes('C_SUPPLY'))).toHaveLength(0);
    const claim = await t.db
      .selectFrom('slack_posts')
      .select(['file_id', 'ts'])
      .where('post_key', '=', `run:${runId}:gap`)
      .executeTakeFirstOrThrow();
    expect(claim.file_id).toBe(held[0]!.args.file_id);
    expect(claim.ts).toBeNull();

    // The retry (1 s of backoff) resumes its own claim: files.info says the first file was
    // never shared, so it uploads again and shares that file, once.
    await completion(job, 15_000);
    const shared = standin.files.filter((f) => f.channels.includes('C_SUPPLY'));
    expect(shared).toHaveLength(1);
    expect(shared[0]!.id).not.toBe(claim.file_id);
    expect(standin.callsTo('upload')).toHaveLength(2);
    expect(standin.callsTo('files.completeUploadExternal')).toHaveLength(1);
    const recorded = await t.db
      .selectFrom('slack_posts')
      .select(['file_id', 'ts'])
      .where('post_key', '=', `run:${runId}:gap`)
      .executeTakeFirstOrThrow();
    expect(recorded.file_id).toBe(shared[0]!.id);
    expect(recorded.ts).not.toBeNull();
  }, 60_000);
});
