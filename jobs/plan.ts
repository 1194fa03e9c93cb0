/** `plan`: consensus, rough-cut check and scenarios, written as one immutable plan run. */
import { runPlan } from '../src/services/planning.js';
import type { Processor } from './processor-types.js';

export const plan: Processor<'plan'> = async (p, ctx) => {
  const solver = await ctx.worker.solver();
  const out = await runPlan(ctx.db, solver, p);
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
