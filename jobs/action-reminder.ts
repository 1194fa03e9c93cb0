/**
 * `action-reminder`: one reminder of a follow-up action, sent at most once (ledger), skipped
 * when the action is done, cancelled or snoozed; an overdue one schedules the next. A
 * scheduled one goes out in its owner's digest of the morning (one DM for all their actions
 * reminded that day); a snooze's comes on its own, and is the action's reminder of its day
 * (the 09:00 one of the day a snooze ends leaves the action out).
 */
import { sendReminder } from '../src/services/actions.js';
import { actionDm, reminderDigestDm } from '../src/slack/presenters/actions.js';
import type { Processor } from './processor-types.js';

export const actionReminder: Processor<'action-reminder'> = async (p, ctx) => {
  const result = await sendReminder(
    ctx,
    p,
    (a, kind, daysLeft) => actionDm(a, kind, daysLeft),
    reminderDigestDm,
  );
  return { result };
};
