/**
 * A thread of the pool (src/services/thread-pool.ts), loaded by piscina: fits batches of
 * series with core `forecast`, and solves LPs with a HiGHS runtime of its own (loaded and
 * warmed when asked to, or on the first solve). Pure CPU.
 */
import type { LpModel } from '../core/supply/lp.js';
import { createHighsSolver, type HighsSolver } from '../solver/highs.js';
import { warmUpSolver } from './solver-warm-up.js';
import { fitSeries, type LpArrays, type PoolAnswer, type PoolTask } from './thread-pool.js';

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

export default async function answer(task: PoolTask): Promise<PoolAnswer[PoolTask['kind']]> {
  if (task.kind === 'fit') return fitSeries(task.series, task.method);
  const s = await highs();
  if (task.kind === 'warm') return true;
  return s.solve(withNames(task.model));
}
