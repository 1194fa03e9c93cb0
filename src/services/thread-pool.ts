/**
 * Pure CPU work on every core: fitting many baselines, and solving independent LPs (the
 * scenarios of a plan run). Of its N executors (defaultThreads), N−1 are worker threads kept
 * alive (a thread costs from ~50 ms built to ~1 s under tsx to start, so it is started
 * once, not per job), and this thread does a share of the work itself.
 *
 * - `fit`: the series are dealt round-robin to N shares; this thread fits one share.
 * - `solver(local)`: an LpSolver that hands each model to the first free executor, a pool
 *   thread (with its own HiGHS runtime) or `local` on this thread. The models are
 *   independent and HiGHS is deterministic, so a solution does not depend on where it
 *   was computed.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
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

/** What this thread sends a pool thread. */
export type ThreadRequest =
  | {
      readonly kind: 'fit';
      readonly id: number;
      readonly method: ForecastMethod;
      readonly series: readonly SeriesTask[];
    }
  | { readonly kind: 'solve'; readonly id: number; readonly model: LpArrays }
  /** Load and warm the thread's HiGHS runtime; answered like a request. */
  | { readonly kind: 'warm'; readonly id: number };

/** What a pool thread answers. */
export type ThreadReply =
  | { readonly ready: true }
  | { readonly id: number; readonly results: FitOutcome[] }
  | { readonly id: number; readonly solution: LpSolution }
  | { readonly id: number; readonly warm: true }
  | { readonly id: number; readonly error: string };

/**
 * The thread entry: the built .js next to this file, or from source (under tsx) a small ES
 * module that registers tsx's loader in the thread and then imports the .ts entry.
 */
function threadEntry(): URL {
  const ts = new URL('./pool-thread.ts', import.meta.url);
  if (!existsSync(fileURLToPath(ts))) return new URL('./pool-thread.js', import.meta.url);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(ts.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
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

/** Everything in this thread (small inputs, tests, one-core machines). */
export const fitInProcess: FitMany = async (series, method) => toMap(fitSeries(series, method));

export function lpArrays(m: LpModel): LpArrays {
  return {
    numCols: m.numCols,
    numRows: m.numRows,
    colCost: m.colCost,
    colLower: m.colLower,
    colUpper: m.colUpper,
    rowLower: m.rowLower,
    rowUpper: m.rowUpper,
    rowStarts: m.rowStarts,
    rowIndex: m.rowIndex,
    rowValue: m.rowValue,
  };
}

interface PoolThread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** Requests sent and not answered yet. */
  readonly pending: Map<number, (reply: ThreadReply) => void>;
  /** Its HiGHS runtime is loaded and warm: it may take solves. */
  solverReady: boolean;
  /** It crashed or was closed: it gets no more work. */
  dead: boolean;
}

export interface PoolSolver extends LpSolver {
  /** Resolves when every live thread's HiGHS runtime is warm (until then `local` solves). */
  ready(): Promise<void>;
}

export interface ThreadPool {
  /** Executors: the pool threads and this one. */
  readonly threads: number;
  readonly fit: FitMany;
  /**
   * An LpSolver over the pool: each model goes to the first free executor, a pool thread or
   * `local` (this thread's solver). Solves asked for together run at the same time. The
   * threads load and warm their own HiGHS runtime when this is first called; until a
   * thread's is warm, it gets no solves.
   */
  solver(local: LpSolver): PoolSolver;
  close(): Promise<void>;
}

/**
 * Executors by default: one per core, and at least three when there are two cores or more.
 * A plan run solves three LPs of unequal length; with two executors the third waits for
 * one to be free, with three the cores are shared and the run ends when the longest LP
 * does. Measured on two cores: 987 ms against 1221 ms for the three 200-family scenarios
 * (serial 1720 ms), for ~50 MB more memory; fitting baselines takes the same time either way.
 */
export function defaultThreads(cores = availableParallelism()): number {
  return cores > 1 ? Math.max(cores, 3) : 1;
}

/** Starts `threads − 1` worker threads now (default: defaultThreads(), at most 8). */
export function createThreadPool(threads = defaultThreads()): ThreadPool {
  const n = Math.max(1, Math.min(threads, 8));
  let nextId = 1;
  /** The solvers' dispatchers, woken when a thread's HiGHS runtime becomes ready. */
  const dispatchers = new Set<() => void>();

  const pool: PoolThread[] = Array.from({ length: n - 1 }, () => {
    const worker = new Worker(threadEntry());
    worker.unref();
    const pending = new Map<number, (reply: ThreadReply) => void>();
    const t: PoolThread = {
      worker,
      pending,
      solverReady: false,
      dead: false,
      ready: new Promise<void>((resolve, reject) => {
        worker.on('message', (m: ThreadReply) => {
          if ('ready' in m) return resolve();
          const answer = pending.get(m.id);
          pending.delete(m.id);
          answer?.(m);
        });
        const die = (err: Error) => {
          t.dead = true;
          reject(err);
          const answers = [...pending.values()];
          pending.clear();
          for (const answer of answers) answer({ id: -1, error: err.message });
        };
        worker.once('error', die);
        worker.once('exit', (code) => die(new Error(`pool thread exited with code ${code}`)));
      }),
    };
    t.ready.catch(() => undefined);
    return t;
  });

  /**
   * Sends one request once the thread has started, and waits for its answer; a thread that
   * dies answers with an error. The request counts as pending at once, so a dispatcher
   * that looks next sees the thread busy.
   */
  const request = (t: PoolThread, req: ThreadRequest): Promise<ThreadReply> =>
    new Promise<ThreadReply>((resolve) => {
      if (t.dead) return resolve({ id: req.id, error: 'the pool thread is gone' });
      t.pending.set(req.id, resolve);
      t.ready.then(
        () => t.worker.postMessage(req),
        (err: unknown) => {
          t.pending.delete(req.id);
          resolve({ id: req.id, error: err instanceof Error ? err.message : String(err) });
        },
      );
    });

  const fit: FitMany = async (series, method) => {
    const live = pool.filter((t) => !t.dead);
    const shares = Math.max(1, Math.min(live.length + 1, Math.floor(series.length / 10)));
    const dealt: SeriesTask[][] = Array.from({ length: shares }, () => []);
    series.forEach((s, i) => {
      dealt[i % shares]?.push(s);
    });
    const [mine = [], ...others] = dealt;
    const pending = others.map(async (share, i) => {
      const t = live[i];
      if (!t) return fitSeries(share, method);
      const reply = await request(t, { kind: 'fit', id: nextId++, method, series: share });
      if ('error' in reply) throw new Error(`fitting in a pool thread failed: ${reply.error}`);
      return 'results' in reply ? reply.results : [];
    });
    const here = fitSeries(mine, method);
    return toMap([here, ...(await Promise.all(pending))].flat());
  };

  let warming: Promise<void> | null = null;
  const warm = (): Promise<void> => {
    warming ??= Promise.all(
      pool.map(async (t) => {
        // A thread that did not start, or whose HiGHS did not load, is given no solves.
        const reply = await request(t, { kind: 'warm', id: nextId++ });
        if ('warm' in reply) {
          t.solverReady = true;
          for (const d of dispatchers) d();
        }
      }),
    ).then(() => undefined);
    return warming;
  };

  const solver = (local: LpSolver): PoolSolver => {
    interface Waiting {
      readonly model: LpModel;
      readonly resolve: (s: LpSolution) => void;
      readonly reject: (e: unknown) => void;
    }
    const queue: Waiting[] = [];
    let localBusy = false;
    const runLocal = (job: Waiting): void => {
      localBusy = true;
      // Later, so every solve asked for in this turn is handed out before this thread blocks.
      setImmediate(() => {
        Promise.resolve()
          .then(() => local.solve(job.model))
          .then(job.resolve, job.reject)
          .finally(() => {
            localBusy = false;
            // After the answers that came in while this thread was busy: a thread that is
            // free by now takes the next model, and this one stays free for other work.
            setImmediate(dispatch);
          });
      });
    };
    const runThere = (t: PoolThread, job: Waiting): void => {
      void request(t, { kind: 'solve', id: nextId++, model: lpArrays(job.model) }).then((reply) => {
        if ('solution' in reply) job.resolve(reply.solution);
        else {
          const why = 'error' in reply ? reply.error : 'no solution in the answer';
          job.reject(new Error(`solving in a pool thread failed: ${why}`));
        }
        dispatch();
      });
    };
    const dispatch = (): void => {
      while (queue.length > 0) {
        const t = pool.find((p) => p.solverReady && !p.dead && p.pending.size === 0);
        if (t) runThere(t, queue.shift()!);
        else if (!localBusy) runLocal(queue.shift()!);
        else return;
      }
    };
    dispatchers.add(dispatch);
    void warm();
    return {
      solve: (model) =>
        new Promise<LpSolution>((resolve, reject) => {
          queue.push({ model, resolve, reject });
          dispatch();
        }),
      ready: warm,
    };
  };

  return {
    threads: n,
    fit,
    solver,
    async close() {
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  };
}
