/**
 * Display names of Slack users, as `users.info` last gave them: charts, the pack and exports
 * show people by name, and CLI exports can do so without calling Slack.
 */
import { type Kysely, sql } from 'kysely';
import { nowDefault } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_user_names')
    .addColumn('slack_user_id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull().check(sql`length(display_name) > 0`))
    .addColumn('fetched_at', 'timestamptz', nowDefault)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_user_names').execute();
}
