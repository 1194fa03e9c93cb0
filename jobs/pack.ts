/** `pack`: post the meeting pack in the executive channel (once per cycle). */
import { postPack } from '../src/services/meeting-posts.js';
import type { Processor } from './processor-types.js';

export const pack: Processor<'pack'> = async (p, ctx) => {
  const out = await postPack(ctx.slack, ctx.db, p.cycleId, ctx.clock.now());
  if (out.outcome === 'no_channel')
    ctx.logger.warn({ cycleId: p.cycleId }, 'pack not posted: no executive channel is set');
  return { posted: out.outcome === 'posted' };
};
