/** `review`: post the performance review that opens a cycle (once per cycle). */
import { postReview } from '../src/services/review-post.js';
import { jobHolder } from '../src/slack/post-ledger.js';
import { lastAttempt, type Processor } from './processor-types.js';

export const review: Processor<'review'> = async (p, ctx) => {
  const { fontDir } = ctx.worker;
  const ts = await postReview(ctx.slack, ctx.db, p.cycleId, ctx.clock.now(), {
    ...(fontDir ? { fontDir } : {}),
    holder: jobHolder(ctx.job),
    lastAttempt: lastAttempt(ctx.job),
    logger: ctx.logger,
    timeoutMs: ctx.config.SOPBOT_SLACK_TIMEOUT_MS,
  });
  return { posted: ts !== null };
};
