/**
 * What sopbot last heard from Slack's `user_change` about a person, shared by every process:
 * when their account last changed (a remembered live users.info answer older than that is
 * stale in the bot and the workers alike), since when it is deactivated (null while live),
 * and when the admins were told of this deactivation (null until then; cleared with it).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_person_changes')
    .addColumn('slack_user_id', 'text', (c) => c.primaryKey())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deactivated_at', 'timestamptz')
    .addColumn('left_notified_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_person_changes').execute();
}
