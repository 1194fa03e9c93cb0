/**
 * Maintained libraries against the hand-written code they replaced, side by side in one run,
 * on the same inputs and in turn (A, B, B, A...), with medians and the ratio of medians:
 *
 * - thread pool: piscina (src/services/thread-pool.ts) against the hand-written pool, on the
 *   three default scenarios of a plan and on fitting baselines; with the event loop's
 *   longest stall during the runs (what BullMQ's lock renewal feels);
 * - metrics: prom-client (src/metrics.ts) against the hand-written exposition format;
 * - charts: resvg's own text and PNG encoder (src/charts/render.ts) against glyph outlines,
 *   bands and the hand-made PNG encoder.
 *
 * The hand-written code is read from a git revision that still has it (default: the parent
 * of the commit that replaced the thread pool and metrics, 031f046), into a scratch copy installed
 * from that revision's own lockfile (npm ci, from npm's cache when it is there).
 *
 * Charts also get their CPU time (all threads): on a shared machine the wall time follows
 * the load, the CPU time much less; on an idle machine resvg's wall time is about its CPU
 * time (one thread), the hand-made path's less (its bands run on two cores).
 *
 *   npx tsx bench/libraries.ts [--base REV] [--runs N] [--only pool,metrics,charts]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import type { TopLevelSpec } from 'vega-lite';
import {
  accuracyChart,
  familyChart,
  gapChart,
  renderChart,
  scenarioChart,
} from '../src/charts/index.js';
import { sampleAccuracy, sampleFamily, sampleGap, sampleScenarios } from '../src/charts/samples.js';
import { addMonths, nextPeriods } from '../src/core/period.js';
import { DEFAULT_SCENARIOS, runScenarios, type ScenarioResult } from '../src/core/scenarios.js';
import { buildPlanProblem } from '../src/core/supply/from-company.js';
import type { LpSolver } from '../src/core/supply/lp.js';
import { Metrics } from '../src/metrics.js';
import { generateCompany } from '../src/seed/company.js';
import { createThreadPool, type FitMany, type SeriesTask } from '../src/services/thread-pool.js';
import { createHighsSolver } from '../src/solver/highs.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: '031f046c26824be1957fb0a8ee05ffc4791c80df' },
    runs: { type: 'string', default: '7' },
    /** Which comparisons: any of pool, metrics, charts. */
    only: { type: 'string', default: 'pool,metrics,charts' },
  },
});
const parts = new Set(values.only.split(','));
const runs = Math.max(1, Number(values.runs));
const repo = fileURLToPath(new URL('..', import.meta.url));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Times `a` and `b` in turn, `runs` times each; the ratio is a's median over b's. */
async function sideBySide(
  label: string,
  a: { name: string; run: () => Promise<unknown> },
  b: { name: string; run: () => Promise<unknown> },
  n = runs,
): Promise<void> {
  const times = new Map([
    [a, [] as number[]],
    [b, [] as number[]],
  ]);
  for (let i = 0; i < n; i++) {
    for (const x of i % 2 ? [b, a] : [a, b]) {
      const t = performance.now();
      await x.run();
      times.get(x)!.push(performance.now() - t);
    }
  }
  const ma = median(times.get(a)!);
  const mb = median(times.get(b)!);
  console.log(
    `${label}: ${a.name} ${ms(ma)}, ${b.name} ${ms(mb)} (median of ${n}); ratio ${(ma / mb).toFixed(2)}`,
  );
}

/** Watches the event loop every 5 ms; the stop function returns its longest stall past that. */
function stallProbe(): () => number {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  return () => {
    clearInterval(timer);
    return Math.max(worst, performance.now() - last - 5);
  };
}

// The hand-written code, from the base revision, installed on its own.
const base = mkdtempSync(join(tmpdir(), 'sopbot-bench-base-'));
const baseRev = execFileSync('git', ['rev-parse', '--short', values.base], { cwd: repo })
  .toString()
  .trim();
console.log(`hand-written code from ${values.base} (${baseRev}), installing it in ${base}...`);
execFileSync('sh', ['-c', `git archive ${baseRev} | tar -x -C "${base}"`], { cwd: repo });
execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
  cwd: base,
  stdio: 'ignore',
});
const old = async <T>(path: string): Promise<T> =>
  (await import(pathToFileURL(join(base, path)).href)) as T;

try {
  // 1. The thread pool: three scenarios of one plan, and 120 baselines.
  if (parts.has('pool')) {
    type OldPool = {
      threads: number;
      fit: FitMany;
      solver(local: LpSolver): LpSolver & { ready(): Promise<void> };
      close(): Promise<void>;
    };
    const hand = (
      await old<{ createThreadPool(): OldPool }>('src/services/thread-pool.ts')
    ).createThreadPool();
    const local = await createHighsSolver();
    const handSolver = hand.solver(local);
    await handSolver.ready();
    const lib = createThreadPool();
    await lib.ready();

    // Next year's demand: last year's sales, 10% up.
    const company = generateCompany({
      families: 80,
      months: 24,
      resources: 10,
      seed: 5,
      lastActual: '2030-12',
    });
    const periods = nextPeriods('2031-01', 12);
    const demand = company.history
      .filter((h) => h.period >= '2030-01')
      .map((h) => ({ family: h.family, period: addMonths(h.period, 12), units: h.units * 1.1 }));
    const problem = buildPlanProblem(company, demand, { periods, name: 'bench' });
    const untimed = (rs: readonly ScenarioResult[]) =>
      rs.map((r) => ({
        ...r,
        solverSeconds: 0,
        // The old workers run that revision's solve, which prices no "one more" steps
        // (src/core/supply/duals.ts): the pool is compared on the plans, not their prices.
        plan: r.plan ? { ...r.plan, solverSeconds: 0, duals: null } : null,
      }));
    const stall = { hand: [] as number[], lib: [] as number[] };
    const watched = (key: 'hand' | 'lib', solver: LpSolver) => async () => {
      const done = stallProbe();
      const out = await runScenarios(problem, DEFAULT_SCENARIOS, solver);
      stall[key].push(done());
      return out;
    };
    const same = isDeepStrictEqual(
      untimed(await runScenarios(problem, DEFAULT_SCENARIOS, handSolver)),
      untimed(await runScenarios(problem, DEFAULT_SCENARIOS, lib.solver)),
    );
    await sideBySide(
      `thread pool, 3 scenarios of an 80-family plan (${hand.threads} executors against ${lib.threads} threads; plans identical, prices aside: ${same ? 'yes' : 'NO'})`,
      { name: 'hand-written', run: watched('hand', handSolver) },
      { name: 'piscina', run: watched('lib', lib.solver) },
    );
    console.log(
      `  longest event-loop stall during a run, median: hand-written ${ms(median(stall.hand))}, piscina ${ms(median(stall.lib))}`,
    );
    // The seeded company's sales history: 120 families, 36 months each.
    const seeded = generateCompany({ families: 120, months: 36, resources: 4, seed: 9 });
    const series: SeriesTask[] = seeded.families.map((f) => ({
      key: f.code,
      y: seeded.history.filter((h) => h.family === f.code).map((h) => h.units),
      horizon: 6,
    }));
    await sideBySide(
      'thread pool, 120 baselines fitted (auto)',
      { name: 'hand-written', run: () => hand.fit(series, 'auto') },
      { name: 'piscina', run: () => lib.fit(series, 'auto') },
    );
    await hand.close();
    await lib.close();
  }

  // 2. Metrics: 2,000 job observations over 11 job names and 3 outcomes, then a scrape.
  if (parts.has('metrics')) {
    type OldMetrics = new () => {
      observeJob(name: string, outcome: 'completed' | 'failed' | 'delayed', s: number): void;
      render(): Promise<string>;
    };
    const Hand = (await old<{ Metrics: OldMetrics }>('src/metrics.ts')).Metrics;
    const outcomes = ['completed', 'failed', 'delayed'] as const;
    const fill = (m: InstanceType<OldMetrics>) => {
      for (let i = 0; i < 2000; i++) m.observeJob(`job-${i % 11}`, outcomes[i % 3]!, (i % 97) / 10);
      return m.render();
    };
    // One registry each, as a process keeps one (prom-client's also reads the process's own
    // figures at every scrape).
    const hand = new Hand();
    const lib = new Metrics();
    await sideBySide(
      'metrics, 2,000 job observations and one scrape',
      { name: 'hand-written', run: () => fill(hand) },
      { name: 'prom-client', run: () => fill(lib) },
    );
    const handBody = await hand.render();
    const libBody = await lib.render();
    console.log(
      `  scrape size: hand-written ${handBody.split('\n').length} lines, prom-client ${libBody.split('\n').length} lines (with the process's own metrics)`,
    );
  }

  // 3. Charts: the four sample charts, spec to PNG.
  if (parts.has('charts')) {
    type Render = (spec: TopLevelSpec) => Promise<{ png: Buffer }>;
    const hand = (await old<{ renderChart: Render }>('src/charts/render.ts')).renderChart;
    const charts: [string, TopLevelSpec][] = [
      ['gap', gapChart(sampleGap(20, 24)).spec],
      ['family', familyChart(sampleFamily()).spec],
      ['scenarios', scenarioChart(sampleScenarios()).spec],
      ['accuracy', accuracyChart(sampleAccuracy()).spec],
    ];
    const medians = { hand: [] as number[], lib: [] as number[] };
    const cpuMedians = { hand: [] as number[], lib: [] as number[] };
    console.log(`charts, spec to PNG (load average ${loadavg()[0]!.toFixed(1)}):`);
    for (const [name, spec] of charts) {
      for (let i = 0; i < 3; i++) await Promise.all([hand(spec), renderChart(spec)]);
      const t = { hand: [] as number[], lib: [] as number[] };
      const cpu = { hand: [] as number[], lib: [] as number[] };
      let kb = { hand: 0, lib: 0 };
      for (let i = 0; i < runs * 2; i++) {
        for (const key of i % 2 ? (['lib', 'hand'] as const) : (['hand', 'lib'] as const)) {
          const c = process.cpuUsage();
          const a = performance.now();
          const out = await (key === 'hand' ? hand(spec) : renderChart(spec));
          t[key].push(performance.now() - a);
          const used = process.cpuUsage(c);
          cpu[key].push((used.user + used.system) / 1000);
          kb = { ...kb, [key]: out.png.length / 1024 };
        }
      }
      medians.hand.push(median(t.hand));
      medians.lib.push(median(t.lib));
      cpuMedians.hand.push(median(cpu.hand));
      cpuMedians.lib.push(median(cpu.lib));
      console.log(
        `  ${name.padEnd(9)}: outlines, bands, own PNG encoder ${ms(median(t.hand))} (CPU ${ms(median(cpu.hand))}, ${kb.hand.toFixed(0)} KB); resvg's text and PNG ${ms(median(t.lib))} (CPU ${ms(median(cpu.lib))}, ${kb.lib.toFixed(0)} KB); ratio ${(median(t.hand) / median(t.lib)).toFixed(2)}`,
      );
    }
    console.log(
      `  median of the four medians: hand-made ${ms(median(medians.hand))} (CPU ${ms(median(cpuMedians.hand))}), resvg ${ms(median(medians.lib))} (CPU ${ms(median(cpuMedians.lib))}); the hand-made path is kept only if resvg's is over 100 ms; load average now ${loadavg()[0]!.toFixed(1)}`,
    );
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
