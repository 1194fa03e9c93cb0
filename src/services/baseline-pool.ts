/**
 * Fits many series at once on every core. Fitting the baseline of 200 families is the
 * pipeline's hot spot (bench/pipeline.ts) and each fit is independent, pure CPU. The pool
 * keeps N−1 worker threads alive (a thread costs from ~50 ms built to ~1 s under tsx to
 * start, so it is started once, not per job); the series are dealt round-robin to N shares
 * and this thread fits one share itself.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ForecastMethod, type ForecastResult, forecast } from '../core/forecast/index.js';

export interface SeriesTask {
  readonly key: string;
  readonly y: readonly number[];
  readonly horizon: number;
}

type Outcome = { key: string; result: ForecastResult } | { key: string; error: string };
export type FitMany = (
  series: readonly SeriesTask[],
  method: ForecastMethod,
) => Promise<Map<string, ForecastResult | Error>>;

/**
 * The thread entry: the built .js next to this file, or from source (under tsx) a small ES
 * module that registers tsx's loader in the thread and then imports the .ts entry.
 */
function threadEntry(): URL {
  const ts = new URL('./baseline-thread.ts', import.meta.url);
  if (!existsSync(fileURLToPath(ts))) return new URL('./baseline-thread.js', import.meta.url);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(ts.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

function fitHere(series: readonly SeriesTask[], method: ForecastMethod): Outcome[] {
  return series.map((s) => {
    try {
      return { key: s.key, result: forecast(s.y, { horizon: s.horizon, method }) };
    } catch (err) {
      return { key: s.key, error: err instanceof Error ? err.message : String(err) };
    }
  });
}

const toMap = (all: readonly Outcome[]): Map<string, ForecastResult | Error> =>
  new Map(all.map((o) => [o.key, 'result' in o ? o.result : new Error(o.error)]));

/** Everything in this thread (small inputs, tests, one-core machines). */
export const fitInProcess: FitMany = async (series, method) => toMap(fitHere(series, method));

interface PoolThread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
}

export interface BaselinePool {
  readonly threads: number;
  readonly fit: FitMany;
  close(): Promise<void>;
}

/** Starts `threads − 1` worker threads now (default: every core, at most 8). */
export function createBaselinePool(threads = availableParallelism()): BaselinePool {
  const n = Math.max(1, Math.min(threads, 8));
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve: (o: Outcome[]) => void; reject: (e: Error) => void }
  >();
  const pool: PoolThread[] = Array.from({ length: n - 1 }, () => {
    const worker = new Worker(threadEntry());
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: { ready?: true; id?: number; results?: Outcome[] }) => {
        if (m.ready) return resolve();
        const w = m.id === undefined ? undefined : waiting.get(m.id);
        if (w && m.id !== undefined) {
          waiting.delete(m.id);
          w.resolve(m.results ?? []);
        }
      });
      worker.once('error', (err) => {
        reject(err);
        for (const w of waiting.values()) w.reject(err);
        waiting.clear();
      });
    });
    ready.catch(() => undefined);
    return { worker, ready };
  });
  const send = async (t: PoolThread, series: readonly SeriesTask[], method: ForecastMethod) => {
    await t.ready;
    return new Promise<Outcome[]>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      t.worker.postMessage({ id, method, series });
    });
  };
  return {
    threads: n,
    async fit(series, method) {
      const shares = Math.max(1, Math.min(n, Math.floor(series.length / 10)));
      const dealt: SeriesTask[][] = Array.from({ length: shares }, () => []);
      series.forEach((s, i) => {
        dealt[i % shares]?.push(s);
      });
      const [mine = [], ...others] = dealt;
      const pending = others.map((share, i) => {
        const t = pool[i];
        return t ? send(t, share, method) : Promise.resolve(fitHere(share, method));
      });
      const here = fitHere(mine, method);
      return toMap([here, ...(await Promise.all(pending))].flat());
    },
    async close() {
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  };
}
