/**
 * Issue #13, the supply model to textbook depth: minimum stock and shelf life per family,
 * crew-wide overtime cap and whole workers per workforce, lead time and minimum order per
 * supplier, and costs that change by month (two tables, one row per code and month).
 * Every new column is nullable or defaulted, so existing rows keep today's plans.
 */
import { type Kysely, sql } from 'kysely';
import { createMonthTable, dropColumns, dropTables, nonNegative } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('families')
    .addColumn('min_stock_units', 'double precision', (c) =>
      c.check(nonNegative('min_stock_units')),
    )
    .addColumn('min_stock_share', 'double precision', (c) =>
      c.check(nonNegative('min_stock_share')),
    )
    .addColumn('min_stock_days', 'double precision', (c) => c.check(nonNegative('min_stock_days')))
    .addColumn('shelf_life_months', 'integer', (c) => c.check(sql`shelf_life_months >= 1`))
    .addColumn('scrap_cost', 'double precision', (c) => c.check(nonNegative('scrap_cost')))
    .execute();
  await db.schema
    .alterTable('resources')
    .addColumn('crew_overtime_limit', 'double precision', (c) =>
      c.check(nonNegative('crew_overtime_limit')),
    )
    .addColumn('integer_workers', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('lead_time_months', 'integer', (c) => c.check(nonNegative('lead_time_months')))
    .addColumn('min_order_qty', 'double precision', (c) => c.check(nonNegative('min_order_qty')))
    .execute();
  await createMonthTable(db, 'family_period_costs', 'family', (t) =>
    t
      .addColumn('price', 'double precision', (c) => c.check(nonNegative('price')))
      .addColumn('unit_cost', 'double precision', (c) => c.check(nonNegative('unit_cost')))
      .addColumn('holding_cost', 'double precision', (c) => c.check(nonNegative('holding_cost')))
      .addColumn('backlog_cost', 'double precision', (c) => c.check(nonNegative('backlog_cost')))
      .addColumn('subcontract_cost', 'double precision', (c) =>
        c.check(nonNegative('subcontract_cost')),
      ),
  );
  await createMonthTable(db, 'resource_period_costs', 'resource', (t) =>
    t
      .addColumn('overtime_cost', 'double precision', (c) => c.check(nonNegative('overtime_cost')))
      .addColumn('cost_per_worker', 'double precision', (c) =>
        c.check(nonNegative('cost_per_worker')),
      )
      .addColumn('hire_cost', 'double precision', (c) => c.check(nonNegative('hire_cost')))
      .addColumn('layoff_cost', 'double precision', (c) => c.check(nonNegative('layoff_cost'))),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTables(db, ['resource_period_costs', 'family_period_costs']);
  await dropColumns(db, 'resources', [
    'crew_overtime_limit',
    'integer_workers',
    'lead_time_months',
    'min_order_qty',
  ]);
  await dropColumns(db, 'families', [
    'min_stock_units',
    'min_stock_share',
    'min_stock_days',
    'shelf_life_months',
    'scrap_cost',
  ]);
}
