/**
 * `decision-publish`: what a recorded decision owes Slack (the vote message's outcome, the
 * decision log, the owners' DMs). Requested in the decision's transaction (job outbox), so a
 * Slack error or Redis being down delays it, never loses it; each post has its ledger key, so
 * a retry sends nothing twice.
 */
import { publishDecision } from '../src/services/meeting-posts.js';
import { lastAttempt, type Processor } from './processor-types.js';

export const decisionPublish: Processor<'decision-publish'> = async (p, ctx) => {
  const published = await publishDecision(ctx.slack, ctx.db, p.decisionId, {
    logger: ctx.logger,
    lastAttempt: lastAttempt(ctx.job),
  });
  return { published };
};
