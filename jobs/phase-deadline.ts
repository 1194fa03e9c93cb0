/**
 * `phase-deadline`: a phase's deadline passed. End it if the cycle is still in it, and any
 * earlier or later phase whose deadline passed too (a worker down across them: `endAtDeadline`,
 * one recompute for them all); idempotent: a cycle already moved on is left alone. The next phase's announcement is a
 * job requested with the move (`phase-announce`), so a retry of this job after a failed post
 * finds nothing to do here and loses nothing.
 */
import { UnrecoverableError } from 'bullmq';
import { isPhase } from '../src/core/cycle.js';
import { endAtDeadline } from '../src/services/cycles.js';
import type { Processor } from './processor-types.js';

export const phaseDeadline: Processor<'phase-deadline'> = async (p, ctx) => {
  if (!isPhase(p.phase)) throw new UnrecoverableError(`phase-deadline: unknown phase '${p.phase}'`);
  const change = await endAtDeadline(ctx, p.cycleId, p.phase);
  if (!change.changed) return { changed: false, phase: change.cycle.phase };
  return { changed: true, phase: change.to };
};
