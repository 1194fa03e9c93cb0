/** `poll-refresh`: re-render the vote message from the stored votes (debounced by the producer). */
import { refreshPollMessage } from '../src/services/meeting-posts.js';
import type { Processor } from './processor-types.js';

export const pollRefresh: Processor<'poll-refresh'> = async (p, ctx) => {
  const view = await refreshPollMessage(ctx.slack, ctx.db, p.pollId);
  return { status: view.poll.status, total: view.tally.total };
};
