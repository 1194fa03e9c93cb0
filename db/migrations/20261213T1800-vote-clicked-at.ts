/**
 * When the voter clicked (Slack's `action_ts`), beside when the bot stored the vote: two clicks
 * of one voter can reach the bot in the other order, and the later click is the vote that
 * stands. Null for votes stored before it was kept.
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table votes add column clicked_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'votes', ['clicked_at']);
}
