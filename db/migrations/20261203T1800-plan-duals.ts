/**
 * What one more unit of each resource's capacity is worth in a scenario's plan: the shadow
 * prices HiGHS gives with the optimum (row duals of the capacity rows, and of the overtime
 * limits), with the overtime limit the plan had, kept with the run so `/sop explain LINE-1
 * 2027-08` and the pack's question 8 read them instead of solving again; and what one more
 * unit demanded would cost, per family and month. Append-only, like the other plan results.
 */
import type { Kysely } from 'kysely';
import { dropTables, makeImmutable, resultOf } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plan_resource_duals')
    .$call(resultOf('resource'))
    // Money saved by one more unit of regular capacity (≥ 0 at an optimum); null when the
    // solver gave no duals (an integer program).
    .addColumn('shadow_price', 'double precision')
    // Money saved by allowing one more unit of overtime; null when the resource has none.
    .addColumn('overtime_shadow_price', 'double precision')
    // The most overtime the plan allowed that month (the limit the price above is for).
    .addColumn('overtime_limit', 'double precision')
    .addPrimaryKeyConstraint('plan_resource_duals_pk', ['scenario_id', 'resource_id', 'period'])
    .execute();
  await makeImmutable(db, 'plan_resource_duals');
  await db.schema
    .createTable('plan_family_duals')
    .$call(resultOf('family'))
    // What one more unit demanded that month would add to the total cost (marginal cost).
    .addColumn('demand_price', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_family_duals_pk', ['scenario_id', 'family_id', 'period'])
    .execute();
  await makeImmutable(db, 'plan_family_duals');
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTables(db, ['plan_family_duals', 'plan_resource_duals']);
}
