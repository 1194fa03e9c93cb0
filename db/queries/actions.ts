/** Follow-up actions: one by id, the filtered list, and what Done, Snooze and Reassign change. */
import type { Db } from '../connect.js';
import type { ActionRow } from '../schema.js';
import { firstOrNull } from './shared.js';

export async function actionById(db: Db, id: string): Promise<ActionRow | null> {
  return firstOrNull(db.selectFrom('actions').selectAll().where('id', '=', id));
}

export interface ActionQuery {
  readonly owner?: string;
  /** Only open actions. */
  readonly open: boolean;
  /** Only actions due before this date (YYYY-MM-DD). */
  readonly dueBefore?: string;
  /** Only these actions (an empty list: none). */
  readonly ids?: readonly string[];
}

/** Actions with their cycle's month, by due date then id. */
export async function actionsWhere(
  db: Db,
  query: ActionQuery,
): Promise<(ActionRow & { cycle: string })[]> {
  let q = db
    .selectFrom('actions')
    .innerJoin('cycles', 'cycles.id', 'actions.cycle_id')
    .selectAll('actions')
    .select('cycles.month as cycle')
    .orderBy('actions.due_date')
    .orderBy('actions.id');
  if (query.owner) q = q.where('actions.owner', '=', query.owner);
  if (query.open) q = q.where('actions.status', '=', 'open');
  if (query.dueBefore !== undefined) q = q.where('actions.due_date', '<', query.dueBefore);
  if (query.ids !== undefined) {
    if (query.ids.length === 0) return [];
    q = q.where('actions.id', 'in', [...query.ids]);
  }
  return q.execute();
}

/**
 * Marks the action done if it is open and, when `done.owner` is given, still theirs (in the
 * same statement: a reassignment committed since the owner was read leaves it alone); null
 * when it is not (or does not exist).
 */
export async function completeOpenAction(
  db: Db,
  id: string,
  done: { by: string; at: Date; owner?: string },
): Promise<ActionRow | null> {
  let q = db
    .updateTable('actions')
    .set({ status: 'done', done_at: done.at, done_by: done.by })
    .where('id', '=', id)
    .where('status', '=', 'open');
  if (done.owner !== undefined) q = q.where('owner', '=', done.owner);
  return firstOrNull(q.returningAll());
}

/**
 * The action, its row locked until the transaction `trx` ends (FOR UPDATE): a change decided
 * from what it reads (a snooze: whether it is the same one sent again) is not overtaken by
 * another committed in between. Null when there is no such action.
 */
export function lockAction(trx: Db, id: string): Promise<ActionRow | null> {
  return firstOrNull(trx.selectFrom('actions').selectAll().where('id', '=', id).forUpdate());
}

/** Snoozes the action's reminders until `until` (its row locked by lockAction first). */
export async function setActionSnooze(trx: Db, id: string, until: Date): Promise<ActionRow> {
  return trx
    .updateTable('actions')
    .set({ snoozed_until: until })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Gives the action to `to` if it is still open and still `from`'s (a compare-and-set: a Done
 * or another reassignment in between leaves it alone); null when it is not.
 */
export async function reassignOpenAction(
  db: Db,
  id: string,
  owners: { from: string; to: string },
): Promise<ActionRow | null> {
  return firstOrNull(
    db
      .updateTable('actions')
      .set({ owner: owners.to })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where('owner', '=', owners.from)
      .returningAll(),
  );
}

/**
 * Inserts an action made from a Slack message (no decision), unless one was made under the
 * same request key (Slack's retry, a double submit): then null, and nothing is written.
 */
export async function insertMessageAction(
  trx: Db,
  a: {
    readonly cycleId: number;
    readonly description: string;
    readonly owner: string;
    readonly dueDate: string;
    readonly createdBy: string;
    readonly createdAt: Date;
    readonly requestKey: string;
    readonly sourceChannel: string;
    readonly sourceTs: string;
    /** The thread the message is a reply in; null for one at the channel's top level. */
    readonly sourceThreadTs: string | null;
  },
): Promise<ActionRow | null> {
  return firstOrNull(
    trx
      .insertInto('actions')
      .values({
        cycle_id: a.cycleId,
        description: a.description,
        owner: a.owner,
        due_date: a.dueDate,
        created_by: a.createdBy,
        created_at: a.createdAt,
        request_key: a.requestKey,
        source_channel: a.sourceChannel,
        source_ts: a.sourceTs,
        source_thread_ts: a.sourceThreadTs,
      })
      .onConflict((oc) => oc.column('request_key').doNothing())
      .returningAll(),
  );
}

/** The action made under `requestKey`, or null. */
export async function actionByRequestKey(db: Db, requestKey: string): Promise<ActionRow | null> {
  return firstOrNull(db.selectFrom('actions').selectAll().where('request_key', '=', requestKey));
}
