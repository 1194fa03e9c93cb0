/**
 * What the tests of follow-up actions read and expect alike: an action's owner and its audited
 * reassignments, the handover job's result, and the buttons of an action's DM, written by hand.
 */
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import type { Clock } from '../../src/deps.js';
import { recordDecision } from '../../src/services/decisions.js';
import { deliverJobs } from '../../src/services/outbox.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { type Harness, insertFamilies, insertMarchRun, settledJob } from './meeting-fixture.js';

/** Owner and audit entries (`action.reassign`) of action `id`, as Postgres holds them. */
export async function actionState(db: Db, id: string) {
  const { owner } = await db
    .selectFrom('actions')
    .select('owner')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const reassigned = await db
    .selectFrom('audit_log')
    .select(['id', 'actor', 'details'])
    .where('action', '=', 'action.reassign')
    .where('entity_id', '=', id)
    .orderBy('id')
    .execute();
  return { owner, reassigned };
}

/** The handover job of audit entry `entry`, once it has finished: what it returns. */
export const handoverResult = (h: Harness, entry: string) =>
  h.finished('notifications', jobId('action-handover', { actionId: '1', handover: entry }));

const button = (actionId: string, text: string, id: string, style?: 'primary') => ({
  type: 'button',
  action_id: actionId,
  ...(style ? { style } : {}),
  text: { type: 'plain_text', text, emoji: true },
  value: id,
});

/** The buttons of action `id` on its DM or App Home row: Done, Snooze 1 working day, 1 week, Reassign. */
export const actionButtonsBlock = (id: string) => ({
  type: 'actions',
  block_id: `action_${id}`,
  elements: [
    button('action_done', 'Done', id, 'primary'),
    button('action_snooze_1d', 'Snooze 1 working day', id),
    button('action_snooze_1w', 'Snooze 1 week', id),
    button('action_reassign', 'Reassign', id),
  ],
});

/** A person whose Slack account is deactivated (`users.info` answers `deleted: true`). */
export function addDeactivatedUser(standin: Standin, id: string, name: string): void {
  standin.store.users.set(id, { id, name, real_name: name, tz: 'UTC', deleted: true });
}

/** The March cycle in its executive phase and one plan run, for a decision to set actions. */
export async function marchExecutiveCycle(db: Db, runKey: string) {
  const fam = await insertFamilies(db);
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const run = await insertMarchRun(db, cycleId, fam, runKey);
  return { cycleId, run };
}

/**
 * The March executive cycle, and a decision of `by` adopting Central with `actions` at the
 * test's `clock`, its jobs handed to the queue: the owners' DMs go out. The actions' ids, in
 * the order given.
 */
export async function decideMarchActions(
  h: Harness,
  clock: Clock,
  key: string,
  by: string,
  actions: readonly { owner: string; dueDate: string; description: string }[],
): Promise<string[]> {
  const { cycleId, run } = await marchExecutiveCycle(h.db, key);
  const rec = await recordDecision(
    { db: h.db, queue: h.queues, clock },
    {
      cycleId,
      pollId: null,
      scenarioId: run.ids.central!,
      rationale: 'Service first',
      decidedBy: by,
      requestKey: `${key}-decision`,
      actions: [...actions],
    },
  );
  await deliverJobs(h.db, h.queues, { ids: rec.jobRequests });
  // The decision log and the owners' DMs are posted by a job; waited for here, so that no
  // test counts them as its own or edits a DM not yet posted.
  await settledJob(h.queues, 'posts', jobId('decision-publish', { decisionId: rec.decision.id }));
  return rec.actions.map((a) => a.id);
}
