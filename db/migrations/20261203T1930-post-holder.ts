/**
 * Who holds a post's claim: for a file posted by a job, the job (`job:<id>`). A later attempt
 * of the same job, after a crash, resumes its own claim at once; any other caller meeting a
 * fresh claim waits for it, as callers of messages do.
 */
import type { Kysely } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('slack_posts').addColumn('holder', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'slack_posts', ['holder']);
}
