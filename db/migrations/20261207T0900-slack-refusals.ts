/**
 * What Slack refused to deliver for good (`permanentRefusal` in src/slack/post-ledger.ts: a
 * channel the bot is not in, an archived or deleted channel, a person who left), by
 * conversation (a channel id, or the user id of a DM) and ledger key, while it is unresolved:
 * `/sop status` shows it to admins, and the admins' DM about it is sent from it. A later post
 * that Slack accepts in the same conversation resolves its rows (`resolved_at`). One
 * unresolved row per conversation and key: a retry that is refused again only moves
 * `last_refused_at`.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_refusals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('conversation', 'text', (c) => c.notNull())
    .addColumn('post_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('first_refused_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_refused_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('slack_refusals_unresolved')
    .on('slack_refusals')
    .columns(['conversation', 'post_key'])
    .unique()
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_refusals').execute();
}
