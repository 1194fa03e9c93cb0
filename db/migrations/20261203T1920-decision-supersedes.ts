/**
 * A later decision in a cycle says which decision it supersedes and why. Both stay in the
 * log (decisions are append-only); the newest is the cycle's adopted scenario.
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('decisions')
    .addColumn('supersedes_id', 'bigint', (c) => c.references('decisions.id').unique())
    .addColumn('supersede_reason', 'text')
    .execute();
  await sql`alter table decisions add constraint decisions_supersede_reason
    check ((supersedes_id is null) = (supersede_reason is null))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('decisions').dropConstraint('decisions_supersede_reason').execute();
  await dropColumns(db, 'decisions', ['supersedes_id', 'supersede_reason']);
}
