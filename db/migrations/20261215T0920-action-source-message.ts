/**
 * A follow-up action raised from a Slack message (the "Make an S&OP action" shortcut) keeps
 * where that message is: its channel and ts, both or neither. Null for the actions a decision
 * set or weekly S&OE raised, so an action's kind is read from its row: a decision's
 * (decision_id), a message's (source_ts), else weekly S&OE's.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('actions')
    .addColumn('source_channel', 'text')
    .addColumn('source_ts', 'text')
    .execute();
  await db.schema
    .alterTable('actions')
    .addCheckConstraint(
      'actions_source_message_whole',
      // Both or neither, and never on a decision's action.
      sql`(source_channel IS NULL) = (source_ts IS NULL) AND (source_ts IS NULL OR decision_id IS NULL)`,
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('actions').dropConstraint('actions_source_message_whole').execute();
  await db.schema
    .alterTable('actions')
    .dropColumn('source_channel')
    .dropColumn('source_ts')
    .execute();
}
