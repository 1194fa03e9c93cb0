/** Resources, their capacity (regular or per-period override) and capacity updates. */

import type { ExpressionBuilder, Insertable } from 'kysely';
import type { Db } from '../connect.js';
import type { CapacityUpdateRow, CapacityUpdatesTable, Database } from '../schema.js';
import { codeIs, inCodeOrder } from './shared.js';

export interface ResourceRef {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly regularCapacity: number;
}

const toRef = (r: {
  id: number;
  code: string;
  name: string;
  unit: string;
  regular_capacity: number;
}): ResourceRef => ({
  id: r.id,
  code: r.code,
  name: r.name,
  unit: r.unit,
  regularCapacity: r.regular_capacity,
});

const activeRefs = (db: Db) =>
  db
    .selectFrom('resources')
    .select(['id', 'code', 'name', 'unit', 'regular_capacity'])
    .where('active', '=', true);

export async function activeResources(db: Db): Promise<ResourceRef[]> {
  return (await activeRefs(db).orderBy(inCodeOrder('code')).execute()).map(toRef);
}

export async function resourceByCode(db: Db, code: string): Promise<ResourceRef | null> {
  const row = await activeRefs(db).where(codeIs(code)).executeTakeFirst();
  return row ? toRef(row) : null;
}

/** Per-period capacity overrides (resource_capacities) of one resource. */
export async function capacityOverrides(
  db: Db,
  resourceId: number,
  periods: readonly string[],
): Promise<Map<string, number>> {
  if (periods.length === 0) return new Map();
  const rows = await db
    .selectFrom('resource_capacities')
    .select(['period', 'capacity'])
    .where('resource_id', '=', resourceId)
    .where('period', 'in', [...periods])
    .execute();
  return new Map(rows.map((r) => [r.period, r.capacity]));
}

/**
 * A resource's open updates for `periods` that are in force for a cycle (`appliesToCycle`),
 * with the month of the cycle each was entered in (null: tied to none), in the order the plan
 * applies them (`updatesInForce`).
 */
export async function openUpdates(
  db: Db,
  resourceId: number,
  periods: readonly string[],
  cycleId: number,
): Promise<(CapacityUpdateRow & { entered_in: string | null })[]> {
  if (periods.length === 0) return [];
  return updatesInForce(db, cycleId)
    .selectAll('capacity_updates')
    .where('capacity_updates.resource_id', '=', resourceId)
    .where('capacity_updates.period', 'in', [...periods])
    .execute();
}

export async function updatesByRequest(db: Db, requestKey: string): Promise<CapacityUpdateRow[]> {
  return db
    .selectFrom('capacity_updates')
    .selectAll()
    .where('request_key', '=', requestKey)
    .orderBy('period')
    .execute();
}

export async function insertCapacityUpdates(
  trx: Db,
  rows: readonly Insertable<CapacityUpdatesTable>[],
): Promise<CapacityUpdateRow[]> {
  if (rows.length === 0) return [];
  return trx
    .insertInto('capacity_updates')
    .values([...rows])
    .onConflict((oc) => oc.columns(['request_key', 'resource_id', 'period']).doNothing())
    .returningAll()
    .execute();
}

export interface ResourceActivity {
  readonly resource: string;
  /** Open updates: one per request, however many months it covers. */
  readonly updates: number;
  /**
   * Each month the updates change, before and after, in the resource's `unit`: the rows their
   * confirmations print, so a net printed beside them is theirs as printed.
   */
  readonly months: readonly { readonly before: number; readonly after: number }[];
  readonly unit: string;
}

/**
 * Per resource: open updates in a cycle (one per request, whatever months it covers) and the
 * months they change.
 */
export async function capacityActivity(db: Db, cycleId: number): Promise<ResourceActivity[]> {
  const rows = await db
    .selectFrom('capacity_updates')
    .innerJoin('resources', 'resources.id', 'capacity_updates.resource_id')
    .select([
      'resources.code',
      'resources.unit',
      'capacity_updates.request_key',
      'capacity_updates.before_value',
      'capacity_updates.after_value',
    ])
    .where('capacity_updates.cycle_id', '=', cycleId)
    .where('capacity_updates.status', '=', 'open')
    .orderBy(inCodeOrder('resources.code'))
    .orderBy('capacity_updates.period')
    .execute();
  const byCode = new Map<
    string,
    { unit: string; requests: Set<string>; months: { before: number; after: number }[] }
  >();
  for (const r of rows) {
    const g = byCode.get(r.code) ?? { unit: r.unit, requests: new Set(), months: [] };
    byCode.set(r.code, g);
    // One update is one request for the resource, whatever months it covers (as
    // `/sop constraints` numbers it and the summary's thread has one reply for it).
    g.requests.add(r.request_key);
    if (r.before_value !== null && r.after_value !== null)
      g.months.push({ before: Number(r.before_value), after: Number(r.after_value) });
  }
  return [...byCode.entries()].map(([resource, g]) => ({
    resource,
    updates: g.requests.size,
    months: g.months,
    unit: g.unit,
  }));
}

/** Capacity updates with their resource (for its code). */
export function updatesWithResource(db: Db) {
  return db
    .selectFrom('capacity_updates')
    .innerJoin('resources', 'resources.id', 'capacity_updates.resource_id');
}

/** Capacity constraints still open: updates marked as constraints, neither resolved nor withdrawn. */
export function openConstraints(db: Db) {
  return updatesWithResource(db)
    .where('capacity_updates.is_constraint', '=', true)
    .where('capacity_updates.status', '=', 'open');
}

/**
 * The one rule of which capacity updates apply to a cycle (with `status = 'open'`: those in
 * force; with `openConstraints`: the cycle's open constraints). An update is a fact about a
 * resource's month (a maintenance, a supplier's cap), so it holds for every plan that covers
 * that month, whichever cycle it was entered in, until it is resolved or withdrawn:
 * - entered in this cycle, in an earlier one (by month), or tied to no cycle; one entered in
 *   a later cycle did not exist for this cycle's plans;
 * - for this cycle's month or later: an earlier month is past, and no plan of the cycle
 *   covers it.
 * Several updates of one resource-month apply in the order they were entered, across cycles
 * as within one (`updatesInForce`): a later 'set' replaces what came before, deltas add on.
 */
export function appliesToCycle(cycleId: number) {
  return (eb: ExpressionBuilder<Database, 'capacity_updates'>) => {
    const month = eb
      .selectFrom('cycles as this_cycle')
      .select('this_cycle.month')
      .where('this_cycle.id', '=', cycleId);
    return eb.and([
      eb('capacity_updates.period', '>=', month),
      eb.or([
        eb('capacity_updates.cycle_id', 'is', null),
        eb(
          'capacity_updates.cycle_id',
          'in',
          eb
            .selectFrom('cycles as entered')
            .select('entered.id')
            .where('entered.month', '<=', month),
        ),
      ]),
    ]);
  };
}

/**
 * The capacity updates in force for a cycle's plans: open, applying to it (`appliesToCycle`),
 * in the order they apply (entered first, first), each with the month of the cycle it was
 * entered in (`entered_in`, null for one tied to no cycle). Planning, the capacity form's
 * before → after and `/sop explain` read these.
 */
export function updatesInForce(db: Db, cycleId: number) {
  return db
    .selectFrom('capacity_updates')
    .leftJoin('cycles as entered_cycle', 'entered_cycle.id', 'capacity_updates.cycle_id')
    .select('entered_cycle.month as entered_in')
    .where('capacity_updates.status', '=', 'open')
    .where(appliesToCycle(cycleId))
    .orderBy('capacity_updates.created_at')
    .orderBy('capacity_updates.id');
}

/** One month of an open constraint as `/sop constraints` lists it. */
export interface ConstraintMonthRow {
  readonly id: string;
  readonly request_key: string;
  readonly resource_id: number;
  readonly code: string;
  readonly name: string;
  readonly period: string;
  readonly kind: CapacityUpdateRow['kind'];
  readonly value: number;
  readonly reason_code: string;
  readonly comment: string | null;
  readonly author: string;
  readonly created_at: Date;
  /** The month of the cycle it was entered in; null for one tied to no cycle. */
  readonly entered_in: string | null;
}

/**
 * The open constraints, one row per month: those that apply to cycle `cycleId`
 * (`appliesToCycle`, what its plan, status and nudges see), or every open one when null; only
 * resource `resourceId`'s when given. By resource, then in the order they were entered.
 */
export async function openConstraintMonths(
  db: Db,
  cycleId: number | null,
  resourceId: number | null = null,
): Promise<ConstraintMonthRow[]> {
  let q = openConstraints(db)
    .leftJoin('cycles as entered_cycle', 'entered_cycle.id', 'capacity_updates.cycle_id')
    .select([
      'capacity_updates.id',
      'capacity_updates.request_key',
      'capacity_updates.resource_id',
      'resources.code',
      'resources.name',
      'capacity_updates.period',
      'capacity_updates.kind',
      'capacity_updates.value',
      'capacity_updates.reason_code',
      'capacity_updates.comment',
      'capacity_updates.author',
      'capacity_updates.created_at',
      'entered_cycle.month as entered_in',
    ]);
  if (cycleId !== null) q = q.where(appliesToCycle(cycleId));
  if (resourceId !== null) q = q.where('capacity_updates.resource_id', '=', resourceId);
  return q
    .orderBy(inCodeOrder('resources.code'))
    .orderBy('capacity_updates.created_at')
    .orderBy('capacity_updates.id')
    .orderBy('capacity_updates.period')
    .execute();
}

/**
 * The constraint months entered with capacity update `id` (same request, same resource),
 * whatever their status, each with its resource: one constraint as people see it.
 */
export async function constraintMonthsOf(db: Db, id: string) {
  if (!/^\d{1,18}$/.test(id)) return [];
  const clicked = await db
    .selectFrom('capacity_updates')
    .select(['request_key', 'resource_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!clicked) return [];
  return updatesWithResource(db)
    .leftJoin('cycles as entered_cycle', 'entered_cycle.id', 'capacity_updates.cycle_id')
    .selectAll('capacity_updates')
    .select(['resources.code', 'resources.name', 'entered_cycle.month as entered_in'])
    .where('capacity_updates.is_constraint', '=', true)
    .where('capacity_updates.request_key', '=', clicked.request_key)
    .where('capacity_updates.resource_id', '=', clicked.resource_id)
    .orderBy('capacity_updates.period')
    .execute();
}

/**
 * Closes the still-open months of one constraint (ids from `constraintMonthsOf`): resolved or
 * withdrawn, by whom, when. Returns the months it closed; none when they were closed already.
 */
export async function closeConstraintMonths(
  trx: Db,
  ids: readonly string[],
  to: 'resolved' | 'withdrawn',
  by: string,
  at: Date,
): Promise<CapacityUpdateRow[]> {
  if (ids.length === 0) return [];
  return trx
    .updateTable('capacity_updates')
    .set({ status: to, resolved_by: by, resolved_at: at })
    .where('id', 'in', [...ids])
    .where('status', '=', 'open')
    .where('is_constraint', '=', true)
    .returningAll()
    .execute();
}
