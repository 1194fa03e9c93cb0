/**
 * `phase-announce`: tell the phase's channel what is expected and by when. Requested in the
 * transaction that moved the cycle into the phase (start, advance, close), so a Slack error is
 * retried by the queue and never lost; the ledger key `phase:<cycle>:<phase>` posts it once.
 * A cycle that has left the phase since (a deadline and a command seconds apart, or a request
 * that waited in the outbox) is not told about the phase it left: the next phase's own job
 * announces that one.
 */
import { UnrecoverableError } from 'bullmq';
import { isPhase } from '../src/core/cycle.js';
import { announcePhaseOf } from '../src/services/cycle-posts.js';
import type { Processor } from './processor-types.js';

export const phaseAnnounce: Processor<'phase-announce'> = async (p, ctx) => {
  if (!isPhase(p.phase)) throw new UnrecoverableError(`phase-announce: unknown phase '${p.phase}'`);
  const out = await announcePhaseOf(ctx.slack, ctx.db, p.cycleId, p.phase);
  if (out.skipped)
    ctx.logger.info(
      { cycleId: p.cycleId, phase: p.phase, now: out.phaseNow },
      'phase announcement skipped: the cycle has left the phase',
    );
  return out.skipped ? { skipped: 'phase passed' } : { posted: out.ts !== null };
};
