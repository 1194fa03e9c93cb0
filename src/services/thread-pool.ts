/**
 * The worker's CPU work on every core: fitting many baselines, and solving independent LPs
 * (the scenarios of a plan run). All of it runs on piscina's worker threads and none on this
 * thread, which must stay free to renew BullMQ's job locks. piscina keeps the threads alive
 * (a thread costs ~50 ms built to ~1 s under tsx to start) and starts a new one when one dies;
 * the task that was running on it fails, and its job is retried.
 *
 * - `fit`: the series are dealt round-robin to one share per thread.
 * - `solver`: an LpSolver that hands each model to the next free thread, each with a HiGHS
 *   runtime of its own. The models are independent and HiGHS is deterministic, so a
 *   solution does not depend on where it was computed.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { type ForecastMethod, type ForecastResult, forecast } from '../core/forecast/index.js';
import type { LpModel, LpSolution, LpSolver } from '../core/supply/lp.js';

export interface SeriesTask {
  readonly key: string;
  readonly y: readonly number[];
  readonly horizon: number;
}

export type FitOutcome = { key: string; result: ForecastResult } | { key: string; error: string };
export type FitMany = (
  series: readonly SeriesTask[],
  method: ForecastMethod,
) => Promise<Map<string, ForecastResult | Error>>;

/** An LP as it crosses to a thread: the arrays only (names are functions, and not needed). */
export type LpArrays = Omit<LpModel, 'colName' | 'rowName'>;

/** A task for a pool thread, and what it answers. */
export type PoolTask =
  | {
      readonly kind: 'fit';
      readonly method: ForecastMethod;
      readonly series: readonly SeriesTask[];
    }
  | { readonly kind: 'solve'; readonly model: LpArrays }
  /** Load and warm the thread's HiGHS runtime. */
  | { readonly kind: 'warm' };
export interface PoolAnswer {
  readonly fit: FitOutcome[];
  readonly solve: LpSolution;
  readonly warm: true;
}

/**
 * The file piscina loads in each thread: the built pool-thread.js next to this file, or
 * from source a small CommonJS file that imports the ES module registering tsx's loader in the
 * thread first (pool-thread-tsx.cjs: piscina require()s its file, and Node 20's require() of
 * that ES module, with its top-level await, could abort the process).
 */
function threadEntry(): string {
  const ts = new URL('./pool-thread.ts', import.meta.url);
  if (!existsSync(fileURLToPath(ts)))
    return fileURLToPath(new URL('./pool-thread.js', import.meta.url));
  return fileURLToPath(new URL('./pool-thread-tsx.cjs', import.meta.url));
}

export function fitSeries(series: readonly SeriesTask[], method: ForecastMethod): FitOutcome[] {
  return series.map((s) => {
    try {
      return { key: s.key, result: forecast(s.y, { horizon: s.horizon, method }) };
    } catch (err) {
      return { key: s.key, error: err instanceof Error ? err.message : String(err) };
    }
  });
}

const toMap = (all: readonly FitOutcome[]): Map<string, ForecastResult | Error> =>
  new Map(all.map((o) => [o.key, 'result' in o ? o.result : new Error(o.error)]));

/** Everything in this thread (small inputs, tests, a worker without the planning queue). */
export const fitInProcess: FitMany = async (series, method) => toMap(fitSeries(series, method));

/**
 * The model as plain data for a pool thread: every field but the two name functions, so that
 * what the model says about itself (integer columns, MIP time limit and gap) reaches the thread.
 */
export function lpArrays(m: LpModel): LpArrays {
  const { colName: _colName, rowName: _rowName, ...arrays } = m;
  return arrays;
}

export interface ThreadPool {
  /** Threads kept alive. */
  readonly threads: number;
  readonly fit: FitMany;
  /** Solves each model on the next free thread; models asked for together run at once. */
  readonly solver: LpSolver;
  /** Resolves when every thread has started and its HiGHS runtime is loaded and warm. */
  ready(): Promise<void>;
  /** The threads alive now (a dead one is replaced). */
  liveThreads(): readonly Worker[];
  /** Tasks handed to the pool and not yet settled. */
  tasksInFlight(): number;
  close(): Promise<void>;
}

/**
 * Threads by default: one per core, and at least three when there are two cores or more.
 * A plan run solves three LPs of unequal length; with two threads the third waits for one
 * to be free, with three the cores are shared and the run ends when the longest LP does.
 */
export function defaultThreads(cores = availableParallelism()): number {
  return cores > 1 ? Math.max(cores, 3) : 1;
}

/** Starts the threads now (default: defaultThreads(), at most 8). */
/**
 * A thread that dies while running a task fails that task (its caller reports the error);
 * piscina emits `error` only for a thread that died idle, and that goes to `onThreadError`
 * (the worker logs it). Either way piscina starts a new thread.
 */
export function createThreadPool(
  threads = defaultThreads(),
  onThreadError: (err: unknown) => void = () => undefined,
): ThreadPool {
  const n = Math.max(1, Math.min(threads, 8));
  const pool = new Piscina<PoolTask, PoolAnswer[keyof PoolAnswer]>({
    filename: threadEntry(),
    minThreads: n,
    maxThreads: n,
    // The threads live as long as the pool: an idle one is not stopped.
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  pool.on('error', onThreadError);
  let inFlight = 0;
  const run = <K extends PoolTask['kind']>(task: Extract<PoolTask, { kind: K }>) => {
    inFlight++;
    return (pool.run(task) as Promise<PoolAnswer[K]>).finally(() => {
      inFlight--;
    });
  };

  const fit: FitMany = async (series, method) => {
    const shares = Math.max(1, Math.min(n, Math.floor(series.length / 10)));
    const dealt: SeriesTask[][] = Array.from({ length: shares }, () => []);
    series.forEach((s, i) => {
      dealt[i % shares]?.push(s);
    });
    const results = await Promise.all(
      dealt.map((share) =>
        run({ kind: 'fit', method, series: share }).catch((err: unknown) => {
          throw new Error(`fitting in a pool thread failed: ${(err as Error).message}`, {
            cause: err,
          });
        }),
      ),
    );
    return toMap(results.flat());
  };

  const solver: LpSolver = {
    solve: (model) =>
      run({ kind: 'solve', model: lpArrays(model) }).catch((err: unknown) => {
        throw new Error(`solving in a pool thread failed: ${(err as Error).message}`, {
          cause: err,
        });
      }),
  };

  let warming: Promise<void> | null = null;
  return {
    threads: n,
    fit,
    solver,
    // n warm-ups at once: each thread takes one (a thread runs one task at a time).
    ready: () => {
      warming ??= Promise.all(Array.from({ length: n }, () => run({ kind: 'warm' }))).then(
        () => undefined,
      );
      return warming;
    },
    liveThreads: () => pool.threads,
    tasksInFlight: () => inFlight,
    close: () => pool.destroy(),
  };
}
