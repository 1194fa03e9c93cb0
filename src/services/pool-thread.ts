/**
 * Worker-thread side of the thread pool (src/services/thread-pool.ts): fits batches of
 * series with core `forecast`, and solves LPs with a HiGHS runtime of its own (loaded and
 * warmed when asked to, or on the first solve). Pure CPU; answers each request by id.
 */
import { parentPort } from 'node:worker_threads';
import type { LpModel } from '../core/supply/lp.js';
import { createHighsSolver, type HighsSolver } from '../solver/highs.js';
import { warmUpSolver } from './solver-warm-up.js';
import { fitSeries, type LpArrays, type ThreadReply, type ThreadRequest } from './thread-pool.js';

let solver: Promise<HighsSolver> | null = null;
const highs = (): Promise<HighsSolver> => {
  solver ??= createHighsSolver().then(async (s) => {
    await warmUpSolver(s);
    return s;
  });
  return solver;
};

/** Names are only read when a model is written as LP text, which this thread never does. */
const withNames = (m: LpArrays): LpModel => ({
  ...m,
  colName: (j) => `x${j}`,
  rowName: (i) => `r${i}`,
});

async function answer(req: ThreadRequest): Promise<ThreadReply> {
  try {
    if (req.kind === 'fit') return { id: req.id, results: fitSeries(req.series, req.method) };
    const s = await highs();
    if (req.kind === 'warm') return { id: req.id, warm: true };
    return { id: req.id, solution: await s.solve(withNames(req.model)) };
  } catch (err) {
    return { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (req: ThreadRequest) => {
  void answer(req).then((reply) => parentPort?.postMessage(reply));
});
parentPort?.postMessage({ ready: true } satisfies ThreadReply);
