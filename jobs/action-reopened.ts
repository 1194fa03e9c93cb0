/**
 * `action-reopened`: a cancelled S&OE action opened again by a later correction. Its owner's
 * earlier DMs about it, which said it was cancelled, are drawn again with its buttons and the
 * line saying it is open again (`retireClosedButtons`, as `action-closed` draws them), each
 * once; one Slack will not edit (deleted since) is left as it is. Its owner's App Home, if they
 * have opened it, is drawn again once, with the action back among theirs (`redrawHomeInJob`):
 * no one's click did it. Its own name: an older worker, whose `action-closed` leaves an open
 * action's DMs alone, holds it as unknown.
 */
import { homeOwedAfter, retireClosedButtons } from '../src/services/action-reassign.js';
import { redrawHomeInJob } from '../src/slack/home.js';
import type { Processor } from './processor-types.js';

export const actionReopened: Processor<'action-reopened'> = async (p, ctx) => {
  const out = await retireClosedButtons(ctx, { actionId: p.actionId, closing: p.reopening });
  if (out.notEdited > 0)
    ctx.logger.info(
      { actionId: p.actionId, notEdited: out.notEdited },
      "Slack would not edit some of the owner's DMs about the reopened action (deleted since?); they stay as they were",
    );
  const owner = await homeOwedAfter(ctx.db, p.actionId, p.reopening);
  if (!owner) return out;
  const home = await redrawHomeInJob(ctx, ctx.slack, owner, p.reopening, 'a corrected import');
  return { ...out, home };
};
