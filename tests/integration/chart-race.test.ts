/**
 * Two chart jobs with the same pictures for the same channels, run at the same time (two
 * stored runs with equal results, each posted by its own job): every picture is posted once,
 * since the content check is an atomic claim through the ledger; and each run's chart key
 * names the one post, so a vote over either run shows its chart. Each run is its cycle's
 * latest (two cycles): a run its cycle replaced claims no picture and posts a labelled copy
 * of its own when none is there (plan-threads.test.ts), which is not this race.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertCycle } from '../../db/queries/cycles.js';
import { insertPlanRun } from '../../db/queries/plan-runs.js';
import { addMonths } from '../../src/core/period.js';
import { DEFAULT_SCENARIOS } from '../../src/core/scenarios.js';
import { generateCompany } from '../../src/seed/company.js';
import { planRunRecord, preparePlan, solveScenarios } from '../../src/services/planning.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import { CHANNELS, setUpCycle, useInProcessWorker } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
const runIds: string[] = [];

beforeAll(async () => {
  const { cycleId, month } = await setUpCycle(
    t.db,
    generateCompany({ families: 4, months: 36, resources: 3, seed: 8 }),
    { horizon: 9 },
  );
  // Two runs from the same inputs, written as two runs (as before runs were reused).
  const inputs = await preparePlan(t.db, cycleId);
  const solver = await createHighsSolver();
  const solved = await solveScenarios(inputs, DEFAULT_SCENARIOS, solver);
  // The month before, closed: the second run is that cycle's latest, as the first is this one's.
  const { id: earlier } = await insertCycle(t.db, {
    month: addMonths(month, -1),
    phase: 'closed',
    opened_by: 'U_ALICE',
  });
  for (const [runKey, ofCycle] of [
    ['race-a', cycleId],
    ['race-b', earlier],
  ] as const) {
    const rec = planRunRecord(
      { cycleId: ofCycle, runKey, trigger: 'command', requestedBy: null },
      inputs,
      solved,
      0,
    );
    runIds.push(await t.db.transaction().execute((trx) => insertPlanRun(trx, rec)));
  }
});

const worker = useInProcessWorker({ t, standin }, 'chart-race', {
  SOPBOT_WORKER_CONCURRENCY: '4',
});

describe('two chart jobs with the same pictures at once', () => {
  it('post each picture once, and each run names the post of its chart', async () => {
    const jobs = await Promise.all(
      runIds.map((runId) =>
        worker.queues.enqueue('post-charts', { runId, charts: ['gap', 'scenarios'] }),
      ),
    );
    await standin.waitFor(async () => {
      const posts = worker.queues.queue('posts');
      const states = await Promise.all(jobs.map((id) => posts.getJobState(id)));
      const failed = await posts.getJobs(['failed']);
      if (failed.length) throw new Error(`post-charts failed: ${failed[0]!.failedReason}`);
      return states.every((s) => s === 'completed') ? true : undefined;
    }, 60_000);
    const filesIn = (c: string) => standin.files.filter((f) => f.channels.includes(c));
    expect(filesIn(CHANNELS.supply)).toHaveLength(1);
    expect(filesIn(CHANNELS.exec)).toHaveLength(1);
    const scenarioFiles = await t.db
      .selectFrom('slack_posts')
      .select(['post_key', 'file_id'])
      .where(
        'post_key',
        'in',
        runIds.map((id) => `run:${id}:scenarios`),
      )
      .execute();
    expect(scenarioFiles).toHaveLength(2);
    expect(new Set(scenarioFiles.map((r) => r.file_id))).toEqual(
      new Set([filesIn(CHANNELS.exec)[0]!.id]),
    );
  });
});
