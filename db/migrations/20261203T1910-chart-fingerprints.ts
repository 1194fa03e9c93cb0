/**
 * Content fingerprints of posted charts, out of the post ledger: one row per channel and
 * picture, naming the ledger key that posts it. The primary key is the atomic claim: of two
 * chart jobs with the same picture for the same channel, one inserts and posts. The
 * `content:<channel>:<fingerprint>` rows that post-charts kept in slack_posts are carried over.
 */
import { type Kysely, sql } from 'kysely';
import { nowDefault } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chart_fingerprints')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('post_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addPrimaryKeyConstraint('chart_fingerprints_pk', ['channel_id', 'fingerprint'])
    .execute();
  await sql`
    insert into chart_fingerprints (channel_id, fingerprint, post_key, created_at)
    select channel_id, substr(post_key, length('content:' || channel_id || ':') + 1), post_key,
           created_at
      from slack_posts
     where post_key like 'content:%'
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chart_fingerprints').execute();
}
