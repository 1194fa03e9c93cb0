/**
 * Weekly S&OE (issue 15): weekly actuals (sales, production), supplier receipts, reports
 * from operations, the deviations found in them (each tracked through a follow-up action),
 * and the thresholds in the settings.
 */
import { type Kysely, sql } from 'kysely';
import {
  addIndex,
  cascadeRef,
  DATE_CHECK,
  dropColumns,
  dropTables,
  nowDefault,
  updatedAtAndKey,
} from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspace_settings')
    .addColumn('soe_production_shortfall_pct', 'double precision', (c) =>
      c.notNull().defaultTo(10).check(sql`soe_production_shortfall_pct > 0`),
    )
    .addColumn('soe_receipt_shortfall_pct', 'double precision', (c) =>
      c.notNull().defaultTo(10).check(sql`soe_receipt_shortfall_pct > 0`),
    )
    .addColumn('soe_frozen_break_pct', 'double precision', (c) =>
      c.notNull().defaultTo(25).check(sql`soe_frozen_break_pct > 0`),
    )
    .addColumn('soe_due_days', 'integer', (c) =>
      c.notNull().defaultTo(2).check(sql`soe_due_days between 0 and 30`),
    )
    .execute();

  // Weeks are their Monday, YYYY-MM-DD.
  await db.schema
    .createTable('weekly_actuals')
    .addColumn('family_id', 'integer', cascadeRef('families.id'))
    .addColumn('week', 'text', (c) => c.notNull().check(DATE_CHECK('week')))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('sales','production')`))
    .addColumn('units', 'double precision', (c) => c.notNull().check(sql`units >= 0`))
    .$call(updatedAtAndKey('weekly_actuals', ['family_id', 'week', 'kind']))
    .execute();

  await db.schema
    .createTable('supplier_receipts')
    .addColumn('resource_id', 'integer', cascadeRef('resources.id'))
    .addColumn('week', 'text', (c) => c.notNull().check(DATE_CHECK('week')))
    .addColumn('expected', 'double precision', (c) => c.notNull().check(sql`expected >= 0`))
    .addColumn('received', 'double precision', (c) => c.notNull().check(sql`received >= 0`))
    .$call(updatedAtAndKey('supplier_receipts', ['resource_id', 'week']))
    .execute();

  await db.schema
    .createTable('deviations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('sales_above_p90','production_below_plan','supplier_short','reported')`,
        ),
    )
    .addColumn('week', 'text', (c) => c.notNull().check(DATE_CHECK('week')))
    .addColumn('family_id', 'integer', (c) => c.references('families.id').onDelete('cascade'))
    .addColumn('resource_id', 'integer', (c) => c.references('resources.id').onDelete('cascade'))
    .addColumn('actual', 'double precision')
    .addColumn('expected', 'double precision')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('reported_by', 'text')
    .addColumn('frozen_break', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('action_id', 'bigint', (c) => c.references('actions.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', nowDefault)
    .execute();
  await addIndex(db, 'deviations_week', 'deviations', ['week']);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTables(db, ['deviations', 'supplier_receipts', 'weekly_actuals']);
  await dropColumns(db, 'workspace_settings', [
    'soe_production_shortfall_pct',
    'soe_receipt_shortfall_pct',
    'soe_frozen_break_pct',
    'soe_due_days',
  ]);
}
