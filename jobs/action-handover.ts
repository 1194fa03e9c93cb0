/**
 * `action-handover`: a follow-up action given to another owner (`/sop actions reassign` or the
 * Reassign form). The new owner's DM with it and the old owner's saying so, each once (ledger
 * keys of the reassignment's audit entry); the old owner's refused for good (one who left) is
 * skipped. The old owner's earlier DMs about it lose their buttons; one Slack will not edit
 * (deleted since) is left as it is.
 */
import { announceHandover } from '../src/services/action-reassign.js';
import type { Processor } from './processor-types.js';

export const actionHandover: Processor<'action-handover'> = async (p, ctx) => {
  const out = await announceHandover(ctx, p);
  if (out.oldOwner === 'refused')
    ctx.logger.info(
      { actionId: p.actionId, handover: p.handover },
      'Slack refuses the old owner DMs for good (they may have left); they were not told',
    );
  if (out.notEdited > 0)
    ctx.logger.info(
      { actionId: p.actionId, handover: p.handover, notEdited: out.notEdited },
      "Slack would not edit some of the old owner's DMs about the action (deleted since?); they keep their buttons",
    );
  return out;
};
