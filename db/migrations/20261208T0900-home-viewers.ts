/**
 * Who has opened the bot's App Home, and when last. A Home is drawn when its person opens it;
 * a change made elsewhere that concerns someone else (an action given to them, or taken from
 * them) draws theirs again only if they have opened it, so nobody is sent a Home they never
 * looked at (src/slack/home.ts).
 */
import type { Kysely } from 'kysely';
import { nowDefault } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('home_viewers')
    .addColumn('slack_user_id', 'text', (c) => c.primaryKey())
    .addColumn('opened_at', 'timestamptz', nowDefault)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('home_viewers').execute();
}
