/** Resources, their capacity (regular or per-period override) and capacity updates. */

import { type ExpressionBuilder, type Insertable, sql } from 'kysely';
import type { Db } from '../connect.js';
import type { CapacityUpdateRow, CapacityUpdatesTable, Database } from '../schema.js';
import { codeIs } from './shared.js';

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
  return (await activeRefs(db).orderBy('code').execute()).map(toRef);
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

/** Updates still in force (open), oldest first. */
export async function openUpdates(
  db: Db,
  resourceId: number,
  periods: readonly string[],
  /** Only the updates in force for this cycle: its own and standing ones (as the plan reads them). */
  forCycle?: number,
): Promise<CapacityUpdateRow[]> {
  if (periods.length === 0) return [];
  return db
    .selectFrom('capacity_updates')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .where('period', 'in', [...periods])
    .where('status', '=', 'open')
    .$if(forCycle !== undefined, (q) => q.where(appliesToCycle(forCycle ?? 0)))
    .orderBy('id')
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
  readonly updates: number;
  readonly net: number;
}

/** Per resource: open updates in a cycle and the net capacity change they make. */
export async function capacityActivity(db: Db, cycleId: number): Promise<ResourceActivity[]> {
  const rows = await db
    .selectFrom('capacity_updates')
    .innerJoin('resources', 'resources.id', 'capacity_updates.resource_id')
    .select((eb) => [
      'resources.code',
      eb.fn.countAll<string>().as('n'),
      sql<number>`coalesce(sum(capacity_updates.after_value - capacity_updates.before_value), 0)`.as(
        'net',
      ),
    ])
    .where('capacity_updates.cycle_id', '=', cycleId)
    .where('capacity_updates.status', '=', 'open')
    .groupBy('resources.code')
    .orderBy('resources.code')
    .execute();
  return rows.map((r) => ({ resource: r.code, updates: Number(r.n), net: Number(r.net) }));
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
 * The capacity updates that apply to a cycle: its own and the standing ones (tied to no
 * cycle). With `openConstraints`, the open constraints of the cycle.
 */
export function appliesToCycle(cycleId: number) {
  return (eb: ExpressionBuilder<Database, 'capacity_updates'>) =>
    eb.or([
      eb('capacity_updates.cycle_id', '=', cycleId),
      eb('capacity_updates.cycle_id', 'is', null),
    ]);
}
