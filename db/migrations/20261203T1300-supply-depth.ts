/**
 * Issue #13, the supply model to textbook depth: minimum stock and shelf life per family,
 * crew-wide overtime cap and whole workers per workforce, lead time and minimum order per
 * supplier, and costs that change by month (two tables, one row per code and month).
 * Every new column is nullable or defaulted, so existing rows keep today's plans.
 */
import { type Kysely, sql } from 'kysely';

const PERIOD_CHECK = (col: string) => sql.raw(`${col} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`);
const nonNegative = (col: string) => sql.raw(`${col} >= 0`);

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
  await db.schema
    .createTable('family_period_costs')
    .addColumn('family_id', 'integer', (c) =>
      c.notNull().references('families.id').onDelete('cascade'),
    )
    .addColumn('period', 'text', (c) => c.notNull().check(PERIOD_CHECK('period')))
    .addColumn('price', 'double precision', (c) => c.check(nonNegative('price')))
    .addColumn('unit_cost', 'double precision', (c) => c.check(nonNegative('unit_cost')))
    .addColumn('holding_cost', 'double precision', (c) => c.check(nonNegative('holding_cost')))
    .addColumn('backlog_cost', 'double precision', (c) => c.check(nonNegative('backlog_cost')))
    .addColumn('subcontract_cost', 'double precision', (c) =>
      c.check(nonNegative('subcontract_cost')),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('family_period_costs_pk', ['family_id', 'period'])
    .execute();
  await db.schema
    .createTable('resource_period_costs')
    .addColumn('resource_id', 'integer', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('period', 'text', (c) => c.notNull().check(PERIOD_CHECK('period')))
    .addColumn('overtime_cost', 'double precision', (c) => c.check(nonNegative('overtime_cost')))
    .addColumn('cost_per_worker', 'double precision', (c) =>
      c.check(nonNegative('cost_per_worker')),
    )
    .addColumn('hire_cost', 'double precision', (c) => c.check(nonNegative('hire_cost')))
    .addColumn('layoff_cost', 'double precision', (c) => c.check(nonNegative('layoff_cost')))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('resource_period_costs_pk', ['resource_id', 'period'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('resource_period_costs').execute();
  await db.schema.dropTable('family_period_costs').execute();
  await db.schema
    .alterTable('resources')
    .dropColumn('crew_overtime_limit')
    .dropColumn('integer_workers')
    .dropColumn('lead_time_months')
    .dropColumn('min_order_qty')
    .execute();
  await db.schema
    .alterTable('families')
    .dropColumn('min_stock_units')
    .dropColumn('min_stock_share')
    .dropColumn('min_stock_days')
    .dropColumn('shelf_life_months')
    .dropColumn('scrap_cost')
    .execute();
}
