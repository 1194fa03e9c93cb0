/**
 * Why a counted vote stopped counting when it was not replaced by the voter's own later vote:
 * `role`, its voter stopped being an executive (`/sop role @x none`, or a role whose votes do
 * not count) while the vote was open. Null: the voter changed their vote, or it still counts.
 * The row stays for the record; only a superseded vote has a reason.
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table votes
    add column superseded_reason text,
    add constraint votes_superseded_reason check (
      superseded_reason is null or (superseded_reason = 'role' and superseded_at is not null)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'votes', ['superseded_reason']);
}
