/**
 * `action-raised`: a follow-up action made from a Slack message ("Make an S&OP action"). Its
 * owner's assignment DM (with a link to the message) and a note in the message's thread, each
 * once (ledger keys `action:<id>:assigned`, `action-raised:<id>:thread`). A thread the bot may
 * not post in (a private channel it is not in) is skipped and logged; the DM still goes. The
 * owner's App Home, if they have opened it, is drawn again once with the action among theirs
 * (`redrawHomeInJob`): no click of theirs did it.
 */
import { announceMessageAction } from '../src/services/action-from-message.js';
import { redrawHomeInJob } from '../src/slack/home.js';
import { lastAttempt, type Processor } from './processor-types.js';

export const actionRaised: Processor<'action-raised'> = async (p, ctx) => {
  const out = await announceMessageAction(ctx, p.actionId, { lastAttempt: lastAttempt(ctx.job) });
  if (!out) return out;
  if (out.thread === 'refused')
    ctx.logger.info(
      { actionId: p.actionId },
      "Slack refuses the bot a post in the message's thread (a channel it is not in?); the note was not posted",
    );
  const home = await redrawHomeInJob(
    ctx,
    ctx.slack,
    out.owner,
    `raised-${p.actionId}`,
    'an action made from a message',
  );
  return { ...out, home };
};
