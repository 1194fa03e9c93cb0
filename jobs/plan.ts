/**
 * `plan`: consensus, rough-cut check and scenarios, written as one immutable plan run. A
 * cycle closed since the recompute was requested gets no run: the job says so and its parent
 * (post-charts) posts nothing.
 */
import { SopError } from '../src/errors.js';
import { runPlan } from '../src/services/planning.js';
import type { Processor } from './processor-types.js';

export const plan: Processor<'plan'> = async (p, ctx) => {
  const solver = await ctx.worker.solver();
  let out: Awaited<ReturnType<typeof runPlan>>;
  try {
    out = await runPlan(ctx.db, solver, p);
  } catch (err) {
    if (!(err instanceof SopError && err.code === 'phase_closed')) throw err;
    ctx.logger.info(
      { cycleId: p.cycleId, runKey: p.runKey, trigger: p.trigger },
      'plan run skipped: the cycle is closed',
    );
    return { skipped: 'cycle closed' };
  }
  ctx.logger.info({ runId: out.runId, created: out.created, ms: out.ms }, 'plan run done');
  if (out.staleStock) ctx.logger.warn({ runId: out.runId }, out.staleStock);
  // The parent post-charts job reads runId from this return value.
  return {
    runId: out.runId,
    created: out.created,
    ms: out.ms,
    ...(out.staleStock ? { staleStock: out.staleStock } : {}),
  };
};
