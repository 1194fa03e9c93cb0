/**
 * `action-closed`: a follow-up action done (its DM or digest's Done, App Home, `/sop actions
 * done`, an admin for its owner) or cancelled (a corrected import resolved its deviation). Its
 * owner's earlier DMs about it are drawn again without its buttons, each once, as the
 * reassignment's are (`retireClosedButtons`); one Slack will not edit (deleted since) is left as
 * it is. A cancelled action opened again by a later correction asks for `action-reopened`.
 */
import { retireClosedButtons } from '../src/services/action-reassign.js';
import type { Processor } from './processor-types.js';

export const actionClosed: Processor<'action-closed'> = async (p, ctx) => {
  const out = await retireClosedButtons(ctx, p);
  if (out.notEdited > 0)
    ctx.logger.info(
      { actionId: p.actionId, notEdited: out.notEdited },
      "Slack would not edit some of the owner's DMs about the closed action (deleted since?); they keep their buttons",
    );
  return out;
};
