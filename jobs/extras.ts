/**
 * What the planning processors need beyond JobContext: the FlowProducer (the recompute job
 * starts a flow) and the LP solver (a HiGHS runtime in this thread, loaded on first use,
 * and one in each thread of the worker's pool). jobs/runtime.ts attaches them to every
 * context it builds.
 */
import type { FlowProducer } from 'bullmq';
import type { LpSolver } from '../src/core/supply/lp.js';
import type { FitMany } from '../src/services/thread-pool.js';
import type { JobContext } from './processor-types.js';

export interface RuntimeExtras {
  readonly flows: FlowProducer;
  solver(): Promise<LpSolver>;
  /** Fits many forecasts on every core (the worker's thread pool). */
  readonly fitMany: FitMany;
  /** Directory of the chart fonts (SOPBOT_FONT_DIR), if set. */
  readonly fontDir?: string;
}

export interface ExtendedContext extends JobContext {
  readonly extras: RuntimeExtras;
}

export function extrasOf(ctx: JobContext): RuntimeExtras {
  const extras = (ctx as Partial<ExtendedContext>).extras;
  if (!extras)
    throw new Error(
      'This job needs the runtime extras (flows, solver): run it with jobs/runtime.ts',
    );
  return extras;
}
