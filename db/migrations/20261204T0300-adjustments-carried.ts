/**
 * Forecast adjustments carry over: when a cycle starts, the previous cycle's adjustments
 * that still counted, for months the new cycle still plans, are copied into it with source
 * `carried` and `carried_from` naming the row they came from. A promotion or a lost customer
 * stays in the consensus until its author replaces it.
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table forecast_adjustments drop constraint forecast_adjustments_source_check`.execute(
    db,
  );
  await sql`alter table forecast_adjustments add constraint forecast_adjustments_source_check
    check (source in ('modal','command','cli','api','carried'))`.execute(db);
  await db.schema
    .alterTable('forecast_adjustments')
    .addColumn('carried_from', 'bigint', (c) => c.references('forecast_adjustments.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'forecast_adjustments', ['carried_from']);
  await sql`delete from forecast_adjustments where source = 'carried'`.execute(db);
  await sql`alter table forecast_adjustments drop constraint forecast_adjustments_source_check`.execute(
    db,
  );
  await sql`alter table forecast_adjustments add constraint forecast_adjustments_source_check
    check (source in ('modal','command','cli','api'))`.execute(db);
}
