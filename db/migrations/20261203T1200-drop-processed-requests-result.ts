/**
 * processed_requests.result was never read: a processed request records that its effect
 * happened, and the effect's own row holds what it made. Drop the column.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('processed_requests').dropColumn('result').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('processed_requests').addColumn('result', 'jsonb').execute();
}
