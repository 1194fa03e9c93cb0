/**
 * When a deviation became a frozen-zone break: when it was recorded, or when a corrected
 * import made it one. The next pack lists the breaks of its window by this time, so a break
 * made by a correction after a pack reaches the following one.
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deviations').addColumn('frozen_break_at', 'timestamptz').execute();
  await sql`update deviations set frozen_break_at = created_at where frozen_break`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'deviations', ['frozen_break_at']);
}
