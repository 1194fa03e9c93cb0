/**
 * Forecast accuracy and speed on the M3 monthly dev set (714 series, 18-month horizon):
 *   npx tsx bench/forecast.ts [--method auto] [--file path] [--workers 2]
 * Prints sMAPE and MASE (M3 definitions) next to the original M3 entries, and series per
 * second with worker threads and in one thread, measured side by side in the same run.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type HistorySeries, parseHistoryCsv } from '../src/core/forecast/history-csv.js';
import { type ForecastMethod, forecast } from '../src/core/forecast/index.js';
import { mase, smape } from '../src/core/kpi.js';

const DATA = '/work/shared/data/m3-monthly-dev.csv';
const REFERENCE = '/work/shared/data/m3-monthly-dev-reference.json';

interface Job {
  readonly series: readonly HistorySeries[];
  readonly method: ForecastMethod;
}

interface Run {
  readonly means: number[][];
  readonly methods: string[];
  /** Test points inside the 80% and 95% intervals. */
  readonly inside80: number;
  readonly inside95: number;
}

function run(job: Job): Run {
  const means: number[][] = [];
  const methods: string[] = [];
  let inside80 = 0;
  let inside95 = 0;
  for (const s of job.series) {
    const r = forecast(s.train, { horizon: s.test.length, method: job.method });
    means.push([...r.mean]);
    methods.push(r.method);
    s.test.forEach((a, k) => {
      if (a >= (r.lo80[k] as number) && a <= (r.hi80[k] as number)) inside80++;
      if (a >= (r.lo95[k] as number) && a <= (r.hi95[k] as number)) inside95++;
    });
  }
  return { means, methods, inside80, inside95 };
}

async function inWorkers(
  series: readonly HistorySeries[],
  method: ForecastMethod,
  workers: number,
): Promise<number[][]> {
  const chunks: HistorySeries[][] = Array.from({ length: workers }, () => []);
  series.forEach((s, i) => {
    chunks[i % workers]?.push(s);
  });
  const results = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise<number[][]>((resolve, reject) => {
          // the worker registers tsx's loader, then runs this file in worker mode
          const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const w = new Worker(boot, {
            eval: true,
            workerData: { series: chunk, method } satisfies Job,
          });
          w.once('message', (m: { means: number[][] }) => {
            resolve(m.means);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  const out: number[][] = new Array(series.length);
  results.forEach((means, c) => {
    means.forEach((m, k) => {
      out[k * workers + c] = m;
    });
  });
  return out;
}

function score(series: readonly HistorySeries[], means: readonly number[][]) {
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      method: { type: 'string', default: 'auto' },
      file: { type: 'string', default: DATA },
      workers: { type: 'string', default: String(Math.min(2, availableParallelism())) },
    },
  });
  const method = values.method as ForecastMethod;
  const workers = Number(values.workers);
  const parsed = parseHistoryCsv(readFileSync(values.file, 'utf8'), values.file);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.join('\n'));
  const series = parsed.series.filter((s) => s.test.length > 0);

  let t0 = performance.now();
  const parallel = await inWorkers(series, method, workers);
  const tParallel = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const single = run({ series, method });
  const tSingle = (performance.now() - t0) / 1000;
  const same = single.means.every((m, i) => m.every((v, k) => v === parallel[i]?.[k]));

  const mine = score(series, single.means);
  const points = series.reduce((a, s) => a + s.test.length, 0);
  const ref = JSON.parse(readFileSync(REFERENCE, 'utf8')) as {
    methods: Record<string, { sMAPE: number; MASE: number }>;
  };
  const rows: [string, number, number][] = [[`sopbot ${method}`, mine.smape, mine.mase]];
  for (const [k, v] of Object.entries(ref.methods)) rows.push([`M3 ${k}`, v.sMAPE, v.MASE]);
  rows.sort((a, b) => a[1] - b[1]);
  const counts = new Map<string, number>();
  for (const m of single.methods) {
    const k = m.replace(/ETS\([^)]*\)/, 'ETS(...)');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const out = [
    `M3 monthly dev: ${series.length} series scored (${mine.counted} with a MASE scale), horizon ${series[0]?.test.length}`,
    '',
    `${'method'.padEnd(22)} ${'sMAPE'.padStart(8)} ${'MASE'.padStart(8)}`,
    ...rows.map(
      ([n, a, b]) => `${n.padEnd(22)} ${a.toFixed(3).padStart(8)} ${b.toFixed(4).padStart(8)}`,
    ),
    '',
    `series/s, ${workers} worker threads: ${(series.length / tParallel).toFixed(1)}  (${tParallel.toFixed(2)} s, incl. worker start-up)`,
    `series/s, 1 thread:            ${(series.length / tSingle).toFixed(1)}  (${tSingle.toFixed(2)} s)`,
    `worker and single-thread forecasts identical: ${same}`,
    `interval coverage on the test rows: 80% → ${((100 * single.inside80) / points).toFixed(1)}%, 95% → ${((100 * single.inside95) / points).toFixed(1)}%`,
    `models used: ${[...counts].map(([k, v]) => `${k} ×${v}`).join(', ')}`,
  ];
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
