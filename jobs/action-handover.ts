/**
 * `action-handover`: a follow-up action given to another owner (`/sop actions reassign`). The
 * new owner's DM with it and the old owner's saying so, each once (ledger keys of the
 * reassignment's audit entry); the old owner's refused for good (one who left) is skipped.
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
  return out;
};
