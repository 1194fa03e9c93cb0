/**
 * What the decisions of a cycle became: its decisions, the status of every action, and the
 * capacity constraints opened or resolved since.
 */
import type { Db } from '../connect.js';
import { appliesToCycle, updatesWithResource } from './capacity.js';
import { decisionsWithScenario } from './decisions.js';
import { inCodeOrder } from './shared.js';

export async function decisionsOf(db: Db, cycleId: number) {
  return decisionsWithScenario(db)
    .where('decisions.cycle_id', '=', cycleId)
    .orderBy('decisions.id')
    .execute();
}

/** The columns the pack reads of an action, with its cycle's month. */
function actionsWithCycle(db: Db) {
  return db
    .selectFrom('actions')
    .innerJoin('cycles', 'cycles.id', 'actions.cycle_id')
    .select([
      'actions.id',
      'actions.decision_id',
      'cycles.month as cycle',
      'actions.description',
      'actions.owner',
      'actions.due_date',
      'actions.status',
      'actions.done_at',
      'actions.created_by',
      'actions.source_ts',
    ]);
}

/** Every action of the cycles before `month`, with its cycle's month. */
export async function actionsBefore(db: Db, month: string) {
  return actionsWithCycle(db)
    .where('cycles.month', '<', month)
    .orderBy('actions.due_date')
    .orderBy('actions.id')
    .execute();
}

/**
 * The actions raised in the cycle of `month` (no decision set them) before it closed, each with
 * its cycle's month: weekly S&OE's (a frozen-zone break's too: question 6 disposes of the
 * break, its owner's action stays open work) and those made from Slack messages. S&OE files
 * its actions under the latest cycle and the shortcut under the open one, so in a real company
 * those raised during the cycle being decided are its own.
 */
function raisedIn(db: Db, month: string) {
  return actionsWithCycle(db)
    .where('cycles.month', '=', month)
    .where('actions.decision_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb('cycles.closed_at', 'is', null),
        eb('actions.created_at', '<', eb.ref('cycles.closed_at')),
      ]),
    )
    .orderBy('actions.due_date')
    .orderBy('actions.id');
}

/**
 * The actions weekly S&OE raised in the cycle of `month` before it closed, each with its
 * cycle's month: no decision set them and no Slack message was made into them (`source_ts`);
 * a frozen-zone break's included. The pack's question 10 lists the open ones.
 */
export async function soeActionsOf(db: Db, month: string) {
  return raisedIn(db, month).where('actions.source_ts', 'is', null).execute();
}

/**
 * The actions made from a Slack message ("Make an S&OP action") in the cycle of `month` before
 * it closed, each with its cycle's month and who made it (`created_by`).
 */
export async function messageActionsOf(db: Db, month: string) {
  return raisedIn(db, month).where('actions.source_ts', 'is not', null).execute();
}

/**
 * Constraints opened in the cycle, those resolved since `since`, and the cycle's open ones
 * entered before it (earlier cycles' or standing, `appliesToCycle`): one row per month, with
 * the request and resource that make its months one constraint.
 */
export async function constraintChanges(db: Db, cycleId: number, since: Date) {
  const base = updatesWithResource(db)
    .select([
      'capacity_updates.id',
      'capacity_updates.resource_id',
      'capacity_updates.request_key',
      'resources.code as resource',
      'capacity_updates.period',
      'capacity_updates.reason_code as reason',
      'capacity_updates.status',
    ])
    .where('capacity_updates.is_constraint', '=', true)
    .orderBy('capacity_updates.period')
    .orderBy(inCodeOrder('resources.code'));
  const open = base.where('capacity_updates.status', '=', 'open');
  const [added, resolved, carried] = await Promise.all([
    open.where('capacity_updates.cycle_id', '=', cycleId).execute(),
    base
      .where('capacity_updates.status', '=', 'resolved')
      .where('capacity_updates.resolved_at', '>=', since)
      .execute(),
    // The cycle's open constraints (appliesToCycle) that were not entered in it.
    open
      .where(appliesToCycle(cycleId))
      .where((eb) =>
        eb.or([
          eb('capacity_updates.cycle_id', '<>', cycleId),
          eb('capacity_updates.cycle_id', 'is', null),
        ]),
      )
      .execute(),
  ]);
  return { added, resolved, carried };
}
