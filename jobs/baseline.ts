/**
 * `baseline`: refit the statistical baseline of the families whose history changed. A cycle
 * closed since the recompute was requested is left as it was: its baseline is what its
 * forecasts were scored on.
 */
import { requireCycle } from '../src/services/cycles.js';
import { fitBaselines } from '../src/services/planning-baseline.js';
import type { Processor } from './processor-types.js';

export const baseline: Processor<'baseline'> = async (p, ctx) => {
  const cycle = await requireCycle(ctx.db, p.cycleId);
  if (cycle.phase === 'closed') {
    ctx.logger.info({ cycleId: p.cycleId }, 'baseline skipped: the cycle is closed');
    return { skipped: 'cycle closed' };
  }
  const out = await fitBaselines(ctx.db, p.cycleId, { fit: ctx.worker.fitMany });
  ctx.logger.info({ cycleId: p.cycleId, ...out }, 'baseline done');
  return out;
};
