/** `baseline`: refit the statistical baseline of the families whose history changed. */
import { fitBaselines } from '../src/services/planning-baseline.js';
import type { Processor } from './processor-types.js';

export const baseline: Processor<'baseline'> = async (p, ctx) => {
  const out = await fitBaselines(ctx.db, p.cycleId, { fit: ctx.worker.fitMany });
  ctx.logger.info({ cycleId: p.cycleId, ...out }, 'baseline done');
  return out;
};
