/**
 * `nudge`: before a phase deadline, DM everyone who still owes input (each person once); one
 * that comes due after the deadline sends nothing.
 */
import { UnrecoverableError } from 'bullmq';
import { isPhase } from '../src/core/cycle.js';
import { sendNudges } from '../src/services/cycle-posts.js';
import type { Processor } from './processor-types.js';

export const nudge: Processor<'nudge'> = async (p, ctx) => {
  if (!isPhase(p.phase)) throw new UnrecoverableError(`nudge: unknown phase '${p.phase}'`);
  const sent = await sendNudges(ctx.slack, ctx.db, p.cycleId, p.phase, ctx.clock.now());
  return { sent };
};
