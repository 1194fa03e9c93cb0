/**
 * bench/pipeline: the seeded 200-family company (60 months of history, 20 resources),
 * imported into a fresh database; from a forecast adjustment written through the service
 * and a recompute enqueued, to the last chart posted on the Slack stand-in, with an
 * in-process worker. Prints each stage and the end-to-end time.
 *
 * Two cases: "history changed" (the baseline of all 200 families is fitted: the first run
 * of a cycle, or after new actuals are imported) and "history unchanged" (every family's
 * history hash matches and the baseline is skipped: the usual case for a submission).
 * A third case times `/sop whatif` as the command enqueues it: from the job to the scenario
 * chart and the differences from central posted in the asking thread.
 * The recompute is enqueued without the debounce delay (SOPBOT_RECOMPUTE_DEBOUNCE_MS, 2 s
 * by default, comes on top when it is a burst of submissions).
 *
 * Then, side by side on the same inputs, the two planning stages as they were and as they are:
 * the scenarios solved one after another in this thread or on the worker's thread pool, and
 * the result rows written as multi-row VALUES or as unnested column arrays (medians, ratio).
 *
 * Goal: under 5 s end to end, median chart render under 60 ms.  Run: npx tsx bench/pipeline.ts
 * (RUNS=n repeats the unchanged case; SIDE_RUNS=n the side-by-side, 0 skips it;
 * SAVE_CHARTS=dir writes the last run's PNGs there; WARMUP=n the worker's chart warm-up
 * rounds, 6 by default as deployed, 0 for a cold worker. "chart renders" time the render
 * alone, spec to PNG.)
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Job } from 'bullmq';
import type { Insertable } from 'kysely';
import type { Db } from '../db/connect.js';
import { insertPlanRun, type NewPlanRun } from '../db/queries/plan-runs.js';
import type { Database } from '../db/schema.js';
import { loadConfig } from '../src/config.js';
import { addMonths } from '../src/core/period.js';
import { DEFAULT_SCENARIOS } from '../src/core/scenarios.js';
import { createLogger } from '../src/logger.js';
import { generateCompany } from '../src/seed/company.js';
import { submitAdjustment } from '../src/services/adjustments.js';
import {
  planRunRecord,
  preparePlan,
  type SolvedScenario,
  solveScenarios,
} from '../src/services/planning.js';
import { fitBaselines } from '../src/services/planning-baseline.js';
import { warmUpSolver } from '../src/services/solver-warm-up.js';
import { createThreadPool } from '../src/services/thread-pool.js';
import { startStandin } from '../src/slack-standin/index.js';
import { createHighsSolver } from '../src/solver/highs.js';
import { startWorker } from '../src/worker.js';
import { insertCycle } from '../tests/helpers/db.js';
import {
  addAdjustments,
  CHANNELS,
  setUpCycle,
  workerEnv,
} from '../tests/integration/jobs-fixture.js';
import { benchDb, median, snakeKeys } from './lib.js';

const UNCHANGED_RUNS = Number(process.env.RUNS ?? 5);
const SIDE_RUNS = Number(process.env.SIDE_RUNS ?? 5);

const ms = (v: number): string => `${v.toFixed(0).padStart(6)} ms`;

/**
 * The plan-run write as it was before the result rows went in as unnested column arrays
 * (db/queries/plan-runs.ts): one statement per scenario, and its result rows as multi-row
 * VALUES in chunks of 4000 rows (10 parameters a row). Kept only so that this bench
 * times the old and the new write on the same run, side by side.
 */
async function insertPlanRunBefore(trx: Db, run: NewPlanRun): Promise<string> {
  // The run's own row was written as it is now: insertPlanRun writes that alone for a run
  // without scenarios.
  const runId = await insertPlanRun(trx, { ...run, scenarios: [] });
  for (const s of run.scenarios) {
    const { families, resources, stress: _, assumptions, costBreakdown, kpis, ...rest } = s;
    const sc = await trx
      .insertInto('plan_scenarios')
      .values({
        run_id: runId,
        ...snakeKeys(rest),
        assumptions: JSON.stringify(assumptions),
        cost_breakdown: JSON.stringify(costBreakdown),
        kpis: JSON.stringify(kpis),
      } as Insertable<Database['plan_scenarios']>)
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertChunks(trx, 'plan_family_results', sc.id, families);
    await insertChunks(trx, 'plan_resource_results', sc.id, resources);
  }
  return runId;
}

/** A scenario's result rows as multi-row VALUES, 4000 rows a statement. */
async function insertChunks(
  trx: Db,
  table: 'plan_family_results' | 'plan_resource_results',
  scenarioId: string,
  results: readonly object[],
): Promise<void> {
  const rows = results.map((r) => ({ scenario_id: scenarioId, ...snakeKeys(r) }));
  for (let i = 0; i < rows.length; i += 4000)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + 4000) as Insertable<Database[typeof table]>[])
      .execute();
}

const bench = await benchDb('pipeline', 4);
const { db } = bench;
const standin = await startStandin({ postMessageRate: false });
let stopWorker: (() => Promise<void>) | null = null;

try {
  const company = generateCompany({ families: 200, months: 60, resources: 20, seed: 1 });
  const t0 = performance.now();
  const { cycleId, month } = await setUpCycle(db, company);
  console.log(
    `import + cycle: ${ms(performance.now() - t0)} (200 families, 60 months, 20 resources)`,
  );
  // Three closed cycles (6, 9 and 12 months back) with baselines and a few adjustments, so
  // the accuracy trend has points, as it would in a company using the bot for a year.
  for (const back of [12, 9, 6]) {
    const pastId = await insertCycle(db, {
      month: addMonths(month, -back),
      phase: 'closed',
      closed_at: new Date(),
    });
    await fitBaselines(db, pastId, { method: 'theta' });
    await addAdjustments(db, pastId, addMonths(month, -back - 3), [
      { family: 'FAM-3', pct: 15 },
      { family: 'FAM-8', pct: -10 },
      { family: 'FAM-21', pct: 25 },
    ]);
  }

  const config = loadConfig({
    ...workerEnv({
      dbUrl: bench.url,
      prefix: `sopbot-bench-${randomBytes(3).toString('hex')}`,
      apiUrl: standin.apiUrl,
    }),
    LOG_LEVEL: 'silent',
    // As a deployed worker does, unless WARMUP=0 asks for a cold one.
    SOPBOT_CHART_WARMUP_ROUNDS: process.env.WARMUP ?? '6',
  });
  const warmStart = performance.now();
  const worker = await startWorker(config, { metricsPort: null, concurrency: 2 });
  stopWorker = () => worker.stop();
  const warmed = await worker.runtime.chartWarmUp;
  console.log(
    warmed
      ? `chart renderer warm-up at worker start: ${warmed.renders} renders in ${(performance.now() - warmStart).toFixed(0)} ms (WARMUP=0 measures a cold worker)`
      : 'chart renderer warm-up: off (WARMUP=0): the first renders below are cold',
  );
  const deps = {
    db,
    queue: worker.queues,
    config,
    logger: createLogger('silent'),
    clock: { now: () => new Date() },
  };
  const member = {
    userId: 'U_BENCH',
    role: 'planner' as const,
    families: [],
    bootstrapAdmin: false,
  };

  const finished = async (runKeyJob: string): Promise<Record<string, Job | undefined>> => {
    const planning = await worker.queues.queue('planning').getJobs(['completed']);
    const posts = await worker.queues.queue('posts').getJobs(['completed']);
    const plan = planning.find(
      (j) => j.name === 'plan' && String(j.data.runKey).includes(runKeyJob),
    );
    const baseline = planning.find(
      (j) => j.name === 'baseline' && String(j.data.runKey).includes(runKeyJob),
    );
    const charts = posts.find(
      (j) => j.name === 'post-charts' && j.returnvalue?.runId === plan?.returnvalue?.runId,
    );
    return { plan, baseline, charts };
  };

  let round = 0;
  const once = async () => {
    round++;
    const family = `FAM-${String(1 + ((round * 37) % 200)).padStart(1, '0')}`;
    const startedAt = Date.now();
    const start = performance.now();
    await submitAdjustment(
      deps,
      member,
      {
        target: family,
        from: addMonths(month, 4),
        to: addMonths(month, 6),
        kind: 'delta_pct',
        value: 10 + round,
        reason: 'promotion',
        comment: null,
      },
      { requestKey: `bench-${round}`, source: 'api' },
    );
    const submitted = performance.now();
    const jobId = await worker.queues.enqueue('recompute', {
      cycleId,
      reason: 'submission',
      requestedBy: member.userId,
      requestKey: `bench-recompute-${round}`,
    });
    // The run's post-charts job is the flow's last step: it renders and posts the charts that
    // changed (an unchanged chart, e.g. the accuracy trend, is not posted again).
    const rec = await worker.queues.queue('planning').getJob(jobId);
    const key = String(rec?.id ?? jobId);
    const jobs = await standin.waitFor(async () => {
      const j = await finished(`-${key}-`);
      return j.charts?.finishedOn ? j : undefined;
    }, 120_000);
    return {
      total: (jobs.charts?.finishedOn ?? Date.now()) - startedAt,
      submit: submitted - start,
      baseline: jobs.baseline?.returnvalue as { fitted: number; skipped: number; ms: number },
      plan: jobs.plan?.returnvalue?.ms as Record<string, number> | null,
      renderMs: (jobs.charts?.returnvalue?.renderMs ?? []) as number[],
      uploadMs: (jobs.charts?.returnvalue?.uploadMs ?? []) as number[],
    };
  };

  const report = (label: string, r: Awaited<ReturnType<typeof once>>): void => {
    console.log(`\n${label}`);
    console.log(`  submission (service)     ${ms(r.submit)}`);
    console.log(
      `  baseline                 ${ms(r.baseline?.ms ?? Number.NaN)}  (${r.baseline?.fitted} fitted, ${r.baseline?.skipped} skipped)`,
    );
    console.log(`  load from db             ${ms(r.plan?.load ?? Number.NaN)}`);
    console.log(`  consensus                ${ms(r.plan?.consensus ?? Number.NaN)}`);
    console.log(`  capacity check           ${ms(r.plan?.capacityCheck ?? Number.NaN)}`);
    console.log(`  scenarios (3 LPs)        ${ms(r.plan?.scenarios ?? Number.NaN)}`);
    console.log(
      `    of which stress test   ${ms(r.plan?.stress ?? Number.NaN)}  (every scenario against the demand samples)`,
    );
    console.log(`  write plan run           ${ms(r.plan?.write ?? Number.NaN)}`);
    console.log(
      `  chart renders            ${ms(r.renderMs.reduce((a, b) => a + b, 0))}  (${r.renderMs.length} charts: ${r.renderMs.map((x) => x.toFixed(0)).join(', ')} ms)`,
    );
    console.log(`  uploads                  ${ms(r.uploadMs.reduce((a, b) => a + b, 0))}`);
    console.log(`  END TO END               ${ms(r.total)}`);
  };

  const changed = await once();
  report('Case 1: history changed (baseline fitted for every family)', changed);
  const unchanged: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < UNCHANGED_RUNS; i++) unchanged.push(await once());
  report(`Case 2: history unchanged (baseline skipped), run 1 of ${UNCHANGED_RUNS}`, unchanged[0]!);
  const renders = [...changed.renderMs, ...unchanged.flatMap((r) => r.renderMs)];

  // Case 3: /sop whatif, as the command enqueues it (a thread to answer in), to the scenario
  // chart and the differences from central posted in that thread. Central and the what-if
  // are solved side by side on the latest run's inputs; nothing is stored as a plan run.
  const whatIfs = [
    'demand FAM-3 +20% 2027-04..2027-06',
    'capacity LINE-2 -50%',
    'demand FAM-8 -30%',
    'capacity LINE-5 +25%',
    'demand FAM-21 +40%',
  ];
  const whatIfMs: number[] = [];
  for (const [i, text] of whatIfs.entries()) {
    const parent = standin.store.addMessage({
      channel: CHANNELS.demand,
      text: `/sop whatif ${text}`,
      source: 'api',
    });
    const start = performance.now();
    await worker.queues.enqueue('whatif', {
      cycleId,
      text,
      requestedBy: member.userId,
      requestKey: `bench-whatif-${i}`,
      replyTo: { channel: CHANNELS.demand, threadTs: parent.ts },
    });
    await standin.waitFor(
      () => standin.threadReplies(CHANNELS.demand, parent.ts).some((m) => m.files.length > 0),
      60_000,
    );
    whatIfMs.push(performance.now() - start);
  }
  console.log(
    `\nCase 3: /sop whatif, enqueued to the chart in the thread (${whatIfs.length} what-ifs): ${whatIfMs.map((x) => x.toFixed(0)).join(', ')} ms`,
  );
  console.log('\nSummary');
  console.log(`  end to end, history changed:              ${ms(changed.total)}`);
  console.log(
    `  end to end, history unchanged (median of ${UNCHANGED_RUNS}): ${ms(median(unchanged.map((r) => r.total)))}`,
  );
  console.log(`  median chart render (${renders.length} renders):         ${ms(median(renders))}`);
  const stage = (k: string) => median(unchanged.map((r) => r.plan?.[k] ?? Number.NaN));
  console.log(
    `  scenarios (3 LPs), history unchanged (median of ${UNCHANGED_RUNS}): ${ms(stage('scenarios'))}`,
  );
  console.log(
    `  write plan run, history unchanged (median of ${UNCHANGED_RUNS}):    ${ms(stage('write'))}`,
  );
  console.log(
    `  stress test (500 samples x 3 scenarios), history unchanged (median of ${UNCHANGED_RUNS}): ${ms(stage('stress'))}`,
  );
  console.log(
    `  /sop whatif to its chart (median of ${whatIfMs.length}):  ${ms(median(whatIfMs))}`,
  );
  console.log('  goal: < 5000 ms end to end, < 60 ms median render');
  const save = process.env.SAVE_CHARTS;
  if (save) {
    // The latest chart of each kind, e.g. SAVE_CHARTS=docs/img for the README: gap,
    // scenarios, cash, accuracy, one family (the what-if charts are not kept).
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(save, { recursive: true });
    const seen = new Set<string>();
    for (const f of [...standin.files].reverse()) {
      const m = /^run-\d+-(gap|scenarios|cash|accuracy|fam-\d+)\.png$/.exec(f.name);
      const kind = m?.[1]?.startsWith('fam-') ? 'family' : m?.[1];
      if (!kind || seen.has(kind) || !f.bytes) continue;
      seen.add(kind);
      const out = `${save}/chart-${kind}.png`;
      writeFileSync(out, f.bytes);
      console.log(`  saved ${out}`);
    }
  }

  // Side by side on the same inputs, in turn: the two planning stages as they were (the
  // scenarios solved one after another in this thread; the result rows as multi-row VALUES)
  // and as they are (the scenarios on the thread pool; the rows as unnested column arrays).
  if (SIDE_RUNS > 0) {
    const local = await createHighsSolver();
    await warmUpSolver(local);
    const pool = createThreadPool();
    try {
      await pool.ready();
      const pooled = pool.solver;
      const inputs = await preparePlan(db, cycleId);
      const untimed = (xs: readonly SolvedScenario[]) =>
        xs.map((x) => ({
          ...x.result,
          solverSeconds: 0,
          plan: x.result.plan ? { ...x.result.plan, solverSeconds: 0 } : null,
          kpis: x.kpis,
        }));
      const times: Record<'serial' | 'pooled' | 'before' | 'now', number[]> = {
        serial: [],
        pooled: [],
        before: [],
        now: [],
      };
      let reference: ReturnType<typeof untimed> | null = null;
      let identical = true;
      let solved: SolvedScenario[] = [];
      for (let i = 0; i < SIDE_RUNS; i++) {
        const solvers = [
          ['serial', local],
          ['pooled', pooled],
        ] as const;
        for (const [k, solver] of i % 2 ? [...solvers].reverse() : solvers) {
          const a = performance.now();
          solved = await solveScenarios(inputs, DEFAULT_SCENARIOS, solver);
          times[k].push(performance.now() - a);
          reference ??= untimed(solved);
          identical &&= isDeepStrictEqual(untimed(solved), reference);
        }
        const writes = [
          ['before', insertPlanRunBefore],
          ['now', insertPlanRun],
        ] as const;
        for (const [k, write] of i % 2 ? [...writes].reverse() : writes) {
          const req = {
            cycleId,
            runKey: `bench-side-${k}-${i}`,
            trigger: 'bench',
            requestedBy: null,
          };
          const record = planRunRecord(req, inputs, solved, 0);
          const a = performance.now();
          await db.transaction().execute((trx) => write(trx, record));
          times[k].push(performance.now() - a);
        }
      }
      const line = (stage: string, old: string, a: number[], now: string, b: number[]) =>
        `  ${stage.padEnd(24)} ${old.padEnd(26)} ${ms(median(a))}   ${now.padEnd(28)} ${ms(median(b))}   ratio ${(median(a) / median(b)).toFixed(2)}`;
      console.log(
        `\nSide by side, same inputs (median of ${SIDE_RUNS}, in turn; SIDE_RUNS=0 skips)`,
      );
      console.log(
        line(
          'scenarios (3 LPs)',
          'one by one, this thread',
          times.serial,
          `thread pool (${pool.threads} threads)`,
          times.pooled,
        ),
      );
      console.log(
        `  ${''.padEnd(24)} plans identical to the last bit: ${identical ? 'yes' : 'NO'}`,
      );
      console.log(
        line(
          'write plan run (insert)',
          'VALUES, 4000-row chunks',
          times.before,
          'unnested column arrays',
          times.now,
        ),
      );
    } finally {
      await pool.close();
    }
  }
} finally {
  await stopWorker?.();
  await standin.close();
  await bench.drop();
}
