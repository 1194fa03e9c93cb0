/**
 * Forecast accuracy, intervals and speed on the M3 monthly dev set (714 series, 18-month
 * horizon):
 *   npx tsx bench/forecast.ts [--method auto] [--data DIR | --file PATH --reference PATH]
 *                             [--workers 2] [--runs 3] [--members]
 * Prints sMAPE and MASE (M3 definitions) next to the original M3 entries; with --members
 * (default for auto) each member of `auto` and the candidate combinations too. Intervals:
 * coverage of the 80% and 95% intervals by horizon band, MSIS (M4 definition, 95%), and the
 * share of test points above and below the 95% interval. Speed: series per second with worker
 * threads and in one thread, measured side by side in the same run, median of --runs.
 */

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  COMBINATION,
  combineStep,
  MEMBER_NAMES,
  type MemberName,
} from '../src/core/forecast/calibration.js';
import {
  autoMembers,
  FORECAST_METHODS,
  type ForecastMethod,
  type ForecastResult,
  forecast,
} from '../src/core/forecast/index.js';
import { isIntermittent } from '../src/core/forecast/simple.js';
import { mase, maseScale, smape } from '../src/core/kpi.js';
import type { HistorySeries } from '../src/csv/history.js';
import { createThreadPool } from '../src/services/thread-pool.js';
import { DATA_OPTIONS, dataPaths, loadSeries } from './forecast-data.js';

interface Job {
  readonly series: readonly HistorySeries[];
  readonly method: ForecastMethod;
}

function run(job: Job): ForecastResult[] {
  return job.series.map((s) => forecast(s.train, { horizon: s.test.length, method: job.method }));
}

async function inWorkers(
  series: readonly HistorySeries[],
  method: ForecastMethod,
  workers: number,
): Promise<ForecastResult[]> {
  const chunks: HistorySeries[][] = Array.from({ length: workers }, () => []);
  series.forEach((s, i) => {
    chunks[i % workers]?.push(s);
  });
  const results = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise<ForecastResult[]>((resolve, reject) => {
          // the worker registers tsx's loader, then runs this file in worker mode
          const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const w = new Worker(boot, {
            eval: true,
            workerData: { series: chunk, method } satisfies Job,
          });
          w.once('message', (m: ForecastResult[]) => {
            resolve(m);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  const out: ForecastResult[] = new Array(series.length);
  results.forEach((rs, c) => {
    rs.forEach((r, k) => {
      out[k * workers + c] = r;
    });
  });
  return out;
}

function accuracy(series: readonly HistorySeries[], means: readonly (readonly number[])[]) {
  let s = 0;
  let m = 0;
  let counted = 0;
  series.forEach((x, i) => {
    const f = means[i] ?? [];
    const a = smape(x.test, f);
    const b = mase(x.test, f, x.train, 12);
    if (a === null || b === null) return;
    s += a;
    m += b;
    counted++;
  });
  return { smape: s / counted, mase: m / counted, counted };
}

interface IntervalScore {
  readonly bands: { label: string; in80: number; in95: number; n: number }[];
  readonly msis: number;
  readonly above95: number;
  readonly below95: number;
  readonly points: number;
}

/** Coverage by band of 6 horizons, MSIS (α = 0.05, scaled like MASE), misses above/below. */
function intervals(series: readonly HistorySeries[], rs: readonly ForecastResult[]): IntervalScore {
  const bands: { label: string; in80: number; in95: number; n: number }[] = [];
  let msis = 0;
  let msisN = 0;
  let above = 0;
  let below = 0;
  let points = 0;
  series.forEach((s, i) => {
    const r = rs[i] as ForecastResult;
    const scale = maseScale(s.train, 12);
    let pen = 0;
    s.test.forEach((y, k) => {
      const b = Math.floor(k / 6);
      bands[b] ??= { label: `h${b * 6 + 1}-${b * 6 + 6}`, in80: 0, in95: 0, n: 0 };
      const band = bands[b] as { in80: number; in95: number; n: number };
      const lo95 = r.lo95[k] as number;
      const hi95 = r.hi95[k] as number;
      band.n++;
      points++;
      if (y >= (r.lo80[k] as number) && y <= (r.hi80[k] as number)) band.in80++;
      if (y >= lo95 && y <= hi95) band.in95++;
      else if (y > hi95) above++;
      else below++;
      pen += hi95 - lo95 + (y < lo95 ? 40 * (lo95 - y) : 0) + (y > hi95 ? 40 * (y - hi95) : 0);
    });
    if (scale !== null) {
      msis += pen / s.test.length / scale;
      msisN++;
    }
  });
  return { bands, msis: msis / msisN, above95: above / points, below95: below / points, points };
}

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

function intervalLines(name: string, sc: IntervalScore): string[] {
  return [
    `${name}: 80% / 95% coverage by band: ${sc.bands.map((b) => `${b.label} ${pct(b.in80 / b.n)} / ${pct(b.in95 / b.n)}`).join(', ')}`,
    `${' '.repeat(name.length)}  all ${pct(sc.bands.reduce((a, b) => a + b.in80, 0) / sc.points)} / ${pct(sc.bands.reduce((a, b) => a + b.in95, 0) / sc.points)}; MSIS ${sc.msis.toFixed(3)}; outside the 95% interval: ${pct(sc.above95)} above, ${pct(sc.below95)} below`,
  ];
}

function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const c = v.length;
  return c % 2 ? (v[(c - 1) / 2] as number) : ((v[c / 2 - 1] as number) + (v[c / 2] as number)) / 2;
}

/** Each member of `auto` alone and the candidate combinations, on the same series. */
function memberRows(series: readonly HistorySeries[]): {
  rows: [string, number, number][];
  own: Map<MemberName, ForecastResult[]>;
} {
  const names = MEMBER_NAMES;
  const means = new Map<string, number[][]>();
  const own = new Map<MemberName, ForecastResult[]>();
  const add = (k: string, v: number[]) => {
    const list = means.get(k) ?? [];
    list.push(v);
    means.set(k, list);
  };
  const combos: [string, MemberName[], 'mean' | 'median' | 'trimmed'][] = [
    ['mean(ets, theta, damped) [before]', ['ets', 'theta', 'damped'], 'mean'],
    ['mean(ets, theta, dotm, ces)', ['ets', 'theta', 'dotm', 'ces'], 'mean'],
    ['median(ets, theta, dotm, ces)', ['ets', 'theta', 'dotm', 'ces'], 'median'],
    ['mean(ets, theta, dotm, ces, arima)', ['ets', 'theta', 'dotm', 'ces', 'arima'], 'mean'],
    ['median(ets, theta, dotm, ces, arima)', ['ets', 'theta', 'dotm', 'ces', 'arima'], 'median'],
    ['median(ets, dotm, ces, arima) [SCUM]', ['ets', 'dotm', 'ces', 'arima'], 'median'],
    [
      'trimmed(ets, theta, dotm, ces, arima) [round 3 rule]',
      ['ets', 'theta', 'dotm', 'ces', 'arima'],
      'trimmed',
    ],
    ['trimmed(ets, theta, ces, arima, mapa)', ['ets', 'theta', 'ces', 'arima', 'mapa'], 'trimmed'],
    ['median(ets, theta, arima, mapa)', ['ets', 'theta', 'arima', 'mapa'], 'median'],
    ['mean(ets, theta, arima-log, mapa-log)', ['ets', 'theta', 'arima-log', 'mapa-log'], 'mean'],
    [
      'median(ets, theta, arima-log, mapa-log)',
      ['ets', 'theta', 'arima-log', 'mapa-log'],
      'median',
    ],
  ];
  for (const s of series) {
    const h = s.test.length;
    const m = s.train.length >= 24 ? 12 : 1;
    const floor = s.train.every((v) => v >= 0) ? 0 : Number.NEGATIVE_INFINITY;
    const simple = s.train.every((v) => v === 0) || isIntermittent(s.train);
    const got = new Map(autoMembers(s.train, h, m, names).map((x) => [x.name, x.draft]));
    const fallback = forecast(s.train, { horizon: h, method: 'naive' });
    for (const n of names) {
      const d = got.get(n);
      const mean = simple || !d ? [...fallback.mean] : d.mean.map((v) => Math.max(floor, v));
      add(n, mean);
      const list = own.get(n) ?? [];
      list.push(d && !simple ? { ...d, mean } : fallback);
      own.set(n, list);
    }
    for (const [label, ms, rule] of combos) {
      const avail = ms.filter((n) => got.has(n));
      add(
        label,
        Array.from({ length: h }, (_, k) =>
          simple || avail.length === 0
            ? (fallback.mean[k] as number)
            : combineStep(
                rule,
                avail.map((n) => Math.max(floor, (got.get(n)?.mean[k] as number) ?? 0)),
                avail.map(() => 1),
              ),
        ),
      );
    }
  }
  const rows: [string, number, number][] = [];
  for (const [k, v] of means) {
    const a = accuracy(series, v);
    rows.push([k, a.smape, a.mase]);
  }
  return { rows, own };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...DATA_OPTIONS,
      method: { type: 'string', default: 'auto' },
      workers: { type: 'string', default: String(Math.min(2, availableParallelism())) },
      runs: { type: 'string', default: '3' },
      members: { type: 'boolean' },
    },
  });
  const method = values.method as ForecastMethod;
  if (!FORECAST_METHODS.includes(method))
    throw new Error(`--method '${values.method}' is not one of ${FORECAST_METHODS.join(', ')}`);
  const workers = Number(values.workers);
  const runs = Math.max(1, Number(values.runs));
  const paths = dataPaths(values);
  const series = loadSeries(paths.file);

  const tPar: number[] = [];
  const tOne: number[] = [];
  const cpuOne: number[] = [];
  let parallel: ForecastResult[] = [];
  let single: ForecastResult[] = [];
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    parallel = await inWorkers(series, method, workers);
    tPar.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    const c0 = process.cpuUsage();
    single = run({ series, method });
    tOne.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpuOne.push((c.user + c.system) / 1000 / series.length);
  }
  const same = single.every((r, i) => r.mean.every((v, k) => v === parallel[i]?.mean[k]));

  // The worker's own thread pool (piscina), started and warm as it is in a running worker:
  // what the plan job's baseline refit gets, without the start-up of fresh threads.
  const pool = createThreadPool(workers);
  await pool.ready();
  const tasks = series.map((s, i) => ({ key: String(i), y: s.train, horizon: s.test.length }));
  const tPool: number[] = [];
  let poolSame = true;
  try {
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const fitted = await pool.fit(tasks, method);
      tPool.push((performance.now() - t0) / 1000);
      poolSame &&= single.every((one, i) => {
        const f = fitted.get(String(i));
        return !(f instanceof Error) && one.mean.every((v, k) => v === f?.mean[k]);
      });
    }
  } finally {
    await pool.close();
  }

  const mine = accuracy(
    series,
    single.map((r) => [...r.mean]),
  );
  const ref = JSON.parse(readFileSync(paths.reference, 'utf8')) as {
    methods: Record<string, { sMAPE: number; MASE: number }>;
  };
  const rows: [string, number, number][] = [[`sopbot ${method}`, mine.smape, mine.mase]];
  let own: Map<MemberName, ForecastResult[]> | null = null;
  if (values.members ?? method === 'auto') {
    const mr = memberRows(series);
    own = mr.own;
    for (const [k, a, b] of mr.rows) rows.push([`  ${k}`, a, b]);
  }
  for (const [k, v] of Object.entries(ref.methods)) rows.push([`M3 ${k}`, v.sMAPE, v.MASE]);
  rows.sort((a, b) => a[1] - b[1]);
  const counts = new Map<string, number>();
  for (const r of single) {
    const k = r.method
      .replace(/ETS\([^)]*\)/, 'ETS(...)')
      .replace(/CES\([^)]*\)/, 'CES(...)')
      .replace(
        /ARIMA\([^,)]*,[^,)]*,[^)]*\)(\([^)]*\)\[\d+\])?( with (mean|drift))?/,
        'ARIMA(...)',
      );
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const out = [
    `M3 monthly dev: ${series.length} series scored (${mine.counted} with a MASE scale), horizon ${series[0]?.test.length}`,
    `data: ${paths.file}`,
    '',
    `${'method'.padEnd(40)} ${'sMAPE'.padStart(8)} ${'MASE'.padStart(8)}`,
    ...rows.map(
      ([n, a, b]) => `${n.padEnd(40)} ${a.toFixed(3).padStart(8)} ${b.toFixed(4).padStart(8)}`,
    ),
    '',
    ...intervalLines(`sopbot ${method}`, intervals(series, single)),
  ];
  if (own) {
    out.push('', "members' own intervals (auto recalibrates the combination's):");
    for (const [k, rs] of own) out.push(...intervalLines(`  ${k}`, intervals(series, rs)));
  }
  out.push(
    '',
    `series/s, ${workers} worker threads: median ${(series.length / median(tPar)).toFixed(1)} over ${runs} runs (${tPar.map((t) => t.toFixed(2)).join(', ')} s, incl. worker start-up)`,
    `series/s, the worker's thread pool (${workers} threads, started and warm): median ${(series.length / median(tPool)).toFixed(1)} over ${runs} runs (${tPool.map((t) => t.toFixed(2)).join(', ')} s); same forecasts: ${poolSame}`,
    `series/s, 1 thread:            median ${(series.length / median(tOne)).toFixed(1)} over ${runs} runs (${tOne.map((t) => t.toFixed(2)).join(', ')} s)`,
    `ratio worker threads / 1 thread: ${(median(tOne) / median(tPar)).toFixed(2)}`,
    `CPU time, 1 thread: median ${median(cpuOne).toFixed(2)} ms a series (${cpuOne.map((v) => v.toFixed(2)).join(', ')}); two uncontended cores would do ${(2000 / median(cpuOne)).toFixed(0)} series/s (CPU-bound, derived, not measured)`,
    `worker and single-thread forecasts identical: ${same}`,
    `models used: ${[...counts].map(([k, v]) => `${k} ×${v}`).join(', ')}`,
    `auto is the ${COMBINATION.rule === 'trimmed' ? 'trimmed mean' : COMBINATION.rule} of ${COMBINATION.members.map((x) => x.name).join(', ')}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
} else {
  parentPort?.postMessage(run(workerData as Job));
}
