/**
 * Who resolved or withdrew a capacity constraint (`resolved_at` is when). The status changes
 * once, from open; a second person asking is told who did it and when.
 */
import type { Kysely } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('capacity_updates').addColumn('resolved_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'capacity_updates', ['resolved_by']);
}
