/**
 * `pack`: post the meeting pack in the executive channel (once per cycle), the pre-read for
 * the executive meeting: not for a cycle closed before the job ran (its meeting is over; the
 * closing announcement says where the pack is read, `/sop pack YYYY-MM`).
 */
import { getCycle } from '../src/services/cycles.js';
import { postPack } from '../src/services/meeting-posts.js';
import { lastAttempt, type Processor } from './processor-types.js';

export const pack: Processor<'pack'> = async (p, ctx) => {
  const cycle = await getCycle(ctx.db, p.cycleId);
  if (cycle?.phase === 'closed') {
    ctx.logger.info({ cycleId: p.cycleId }, 'pack not posted: the cycle closed before its job ran');
    return { posted: false, skipped: 'cycle closed' };
  }
  const out = await postPack(ctx.slack, ctx.db, p.cycleId, ctx.clock.now(), ctx.logger, {
    lastAttempt: lastAttempt(ctx.job),
  });
  if (out.outcome === 'no_channel')
    ctx.logger.warn({ cycleId: p.cycleId }, 'pack not posted: no executive channel is set');
  return { posted: out.outcome === 'posted' };
};
