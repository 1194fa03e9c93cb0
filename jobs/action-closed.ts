/**
 * `action-closed`: a follow-up action done (its DM or digest's Done, App Home, `/sop actions
 * done`, an admin for its owner) or cancelled (a corrected import resolved its deviation). Its
 * owner's earlier DMs about it are drawn again without its buttons, each once, as the
 * reassignment's are (`retireClosedButtons`); one Slack will not edit (deleted since) is left as
 * it is. Cancelled by a corrected import, with no one's click, its owner's App Home is drawn
 * again too if they have opened it, once (`redrawHomeInJob`); a Done's listener draws it. A
 * cancelled action opened again by a later correction asks for `action-reopened`.
 */
import { homeOwedAfter, retireClosedButtons } from '../src/services/action-reassign.js';
import { redrawHomeInJob } from '../src/slack/home.js';
import type { Processor } from './processor-types.js';

export const actionClosed: Processor<'action-closed'> = async (p, ctx) => {
  const out = await retireClosedButtons(ctx, p);
  if (out.notEdited > 0)
    ctx.logger.info(
      { actionId: p.actionId, notEdited: out.notEdited },
      "Slack would not edit some of the owner's DMs about the closed action (deleted since?); they keep their buttons",
    );
  const owner = await homeOwedAfter(ctx.db, p.actionId, p.closing);
  if (!owner) return out;
  const home = await redrawHomeInJob(ctx, ctx.slack, owner, p.closing, 'a corrected import');
  return { ...out, home };
};
