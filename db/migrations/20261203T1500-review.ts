/**
 * Closing the loop (issue 15): forecast snapshots at lag 1 and lag 3 (append-only, so a later
 * cycle scores exactly what an earlier one said), monthly production actuals (plan
 * adherence) and customer order lines (fill rate, OTIF).
 */
import { type Kysely, sql } from 'kysely';
import {
  addIndex,
  byMonthOf,
  cascadeRef,
  createMonthTable,
  DATE_CHECK,
  dropTables,
  makeImmutable,
  nowDefault,
} from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('forecast_snapshots')
    .addColumn('cycle_id', 'integer', cascadeRef('cycles.id'))
    .$call(byMonthOf('family'))
    .addColumn('lag', 'integer', (c) => c.notNull().check(sql`lag in (1, 3)`))
    .addColumn('naive', 'double precision', (c) => c.notNull())
    .addColumn('baseline', 'double precision', (c) => c.notNull())
    .addColumn('consensus', 'double precision', (c) => c.notNull())
    .addColumn('steps', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addPrimaryKeyConstraint('forecast_snapshots_pk', ['cycle_id', 'family_id', 'period', 'lag'])
    .execute();
  await addIndex(db, 'forecast_snapshots_period', 'forecast_snapshots', ['period', 'lag']);
  await makeImmutable(db, 'forecast_snapshots');

  await createMonthTable(db, 'production_actuals', 'family', (t) =>
    t.addColumn('units', 'double precision', (c) => c.notNull().check(sql`units >= 0`)),
  );

  await db.schema
    .createTable('order_lines')
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull().check(sql`line >= 1`))
    .addColumn('family_id', 'integer', cascadeRef('families.id'))
    .addColumn('requested_date', 'text', (c) => c.notNull().check(DATE_CHECK('requested_date')))
    .addColumn('shipped_date', 'text', (c) => c.check(DATE_CHECK('shipped_date')))
    .addColumn('ordered_qty', 'double precision', (c) => c.notNull().check(sql`ordered_qty > 0`))
    .addColumn('shipped_qty', 'double precision', (c) =>
      c.notNull().defaultTo(0).check(sql`shipped_qty >= 0`),
    )
    .addColumn('updated_at', 'timestamptz', nowDefault)
    .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'line'])
    .execute();
  await addIndex(db, 'order_lines_requested', 'order_lines', ['requested_date']);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTables(db, ['order_lines', 'production_actuals', 'forecast_snapshots']);
}
