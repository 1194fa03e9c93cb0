/**
 * Each person's DM channel with the bot, as `conversations.open` gave it. The id of a
 * bot/user pair never changes, and `conversations.open` is Tier 3 (about 50 calls a minute
 * for the workspace), so a DM channel is opened once and remembered here (src/slack/dm-channel.ts).
 */
import type { Kysely } from 'kysely';
import { nowDefault } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_dm_channels')
    .addColumn('slack_user_id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', nowDefault)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_dm_channels').execute();
}
