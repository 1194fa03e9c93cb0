/**
 * An action made from a reply in a thread keeps the thread's ts beside the reply's own
 * (source_ts, whose permalink its DM gives): its note goes in that thread, where Slack would
 * otherwise have it answer the reply. Null for a message at the channel's top level, and for
 * every action not made from a message.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('actions').addColumn('source_thread_ts', 'text').execute();
  await db.schema
    .alterTable('actions')
    .addCheckConstraint(
      'actions_source_thread_of_message',
      sql`source_thread_ts IS NULL OR source_ts IS NOT NULL`,
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('actions')
    .dropConstraint('actions_source_thread_of_message')
    .execute();
  await db.schema.alterTable('actions').dropColumn('source_thread_ts').execute();
}
