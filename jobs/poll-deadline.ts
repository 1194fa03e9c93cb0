/**
 * `poll-deadline`: close the vote at its deadline, show the outcome, and ask the chair to
 * decide, unless the chair closed it, the cycle has closed (its decision can no longer be
 * recorded) or a newer plan run replaced the one it is on (its figures are out of date).
 */
import { requireCycle } from '../src/services/cycles.js';
import { promptChair, refreshPollMessage } from '../src/services/meeting-posts.js';
import { closePoll } from '../src/services/polls.js';
import type { Processor } from './processor-types.js';

export const pollDeadline: Processor<'poll-deadline'> = async (p, ctx) => {
  const { closedNow } = await closePoll(
    ctx.db,
    { pollId: p.pollId, by: 'deadline', reason: 'deadline' },
    ctx.clock.now(),
  );
  const view = await refreshPollMessage(ctx.slack, ctx.db, p.pollId);
  const cycle = await requireCycle(ctx.db, view.poll.cycle_id);
  // promptChair asks nothing when a newer run replaced the vote's, closed before or after it.
  if (view.poll.close_reason !== 'chair' && !view.decision && cycle.phase !== 'closed')
    await promptChair(ctx.slack, ctx.db, view);
  return { closedNow };
};
