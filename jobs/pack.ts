/** `pack`: post the meeting pack in the executive channel (once per cycle). */
import { postPack } from '../src/services/meeting-posts.js';
import type { Processor } from './processor-types.js';

export const pack: Processor<'pack'> = async (p, ctx) => {
  const ts = await postPack(ctx.slack, ctx.db, p.cycleId, ctx.clock.now());
  return { posted: ts !== null };
};
