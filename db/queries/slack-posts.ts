/**
 * The slack_posts ledger: what the bot posted, keyed by what it posted about
 * (e.g. `run:42:chart:gap`). A sender first claims the key (insert, nothing on conflict);
 * only the claimant posts, so a retried job or a duplicate delivery never posts twice.
 * A row's state is read from its columns:
 * claimed (no file_id, no ts) → file reserved (file_id, no ts) → posted (ts).
 * src/slack/post-ledger.ts builds exactly-once posting of messages and files on these steps.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../connect.js';
import type { SlackPostsTable } from '../schema.js';

export interface LedgerRow {
  readonly postKey: string;
  readonly channel: string;
  readonly ts: string | null;
  readonly threadTs: string | null;
  readonly fileId: string | null;
}

function toLedgerRow(row: Selectable<SlackPostsTable>): LedgerRow {
  return {
    postKey: row.post_key,
    channel: row.channel_id,
    ts: row.ts,
    threadTs: row.thread_ts,
    fileId: row.file_id,
  };
}

export type Claim =
  | { readonly claimed: true; readonly row: LedgerRow }
  /** `row` is null when the earlier claim was given back (releasePost) in the meantime. */
  | { readonly claimed: false; readonly row: LedgerRow | null };

/**
 * Claims `key`, or finds the earlier claim. `claimed` is true when this call made the row
 * (nobody claimed the key before); `row` is the row as it stands.
 */
export async function claimPost(
  db: Db,
  key: string,
  channel: string,
  threadTs: string | null = null,
): Promise<Claim> {
  const inserted = await db
    .insertInto('slack_posts')
    .values({ post_key: key, channel_id: channel, thread_ts: threadTs })
    .onConflict((oc) => oc.column('post_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { claimed: true, row: toLedgerRow(inserted) };
  const row = await db
    .selectFrom('slack_posts')
    .selectAll()
    .where('post_key', '=', key)
    .executeTakeFirst();
  return { claimed: false, row: row ? toLedgerRow(row) : null };
}

/** Records the file reserved for a claimed key, unless the key is already posted. */
export async function setPostFile(db: Db, key: string, fileId: string): Promise<void> {
  await db
    .updateTable('slack_posts')
    .set({ file_id: fileId, updated_at: new Date() })
    .where('post_key', '=', key)
    .where('ts', 'is', null)
    .execute();
}

/** Marks a claimed key posted. */
export async function setPostTs(db: Db, key: string, ts: string): Promise<void> {
  await db
    .updateTable('slack_posts')
    .set({ ts, updated_at: new Date() })
    .where('post_key', '=', key)
    .execute();
}

/** Give a claim back when the post failed, so a retry can post. */
export async function releasePost(db: Db, key: string): Promise<void> {
  await db.deleteFrom('slack_posts').where('post_key', '=', key).where('ts', 'is', null).execute();
}

/** Writes (or overwrites) the row of `key` without a claim. */
export async function recordPost(
  db: Db,
  key: string,
  at: { channel: string; ts?: string | null; threadTs?: string | null; fileId?: string | null },
): Promise<void> {
  await db
    .insertInto('slack_posts')
    .values({
      post_key: key,
      channel_id: at.channel,
      ts: at.ts ?? null,
      thread_ts: at.threadTs ?? null,
      file_id: at.fileId ?? null,
    })
    .onConflict((oc) =>
      oc.column('post_key').doUpdateSet({
        channel_id: at.channel,
        ts: at.ts ?? null,
        thread_ts: at.threadTs ?? null,
        file_id: at.fileId ?? null,
        updated_at: new Date(),
      }),
    )
    .execute();
}

export async function getPost(db: Db, key: string): Promise<LedgerRow | null> {
  const row = await db
    .selectFrom('slack_posts')
    .selectAll()
    .where('post_key', '=', key)
    .executeTakeFirst();
  return row ? toLedgerRow(row) : null;
}

/** The rows whose key starts with `prefix`, by key. */
export async function postsWithPrefix(db: Db, prefix: string): Promise<LedgerRow[]> {
  const rows = await db
    .selectFrom('slack_posts')
    .selectAll()
    .where('post_key', 'like', `${prefix.replace(/[%_\\]/g, '\\$&')}%`)
    .orderBy('post_key')
    .execute();
  return rows.map(toLedgerRow);
}
