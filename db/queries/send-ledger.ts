/**
 * The slack_posts ledger: what the bot posted, keyed by what it posted about. A sender first
 * claims the key (insert, do nothing on conflict); only the claimant posts, so a retried job
 * or a duplicate delivery never posts twice.
 */
import type { Db } from '../connect.js';

/** True when this call claimed `key` (nobody posted it before). */
export async function claimPost(db: Db, key: string, channelId: string): Promise<boolean> {
  const res = await db
    .insertInto('slack_posts')
    .values({ post_key: key, channel_id: channelId })
    .onConflict((oc) => oc.column('post_key').doNothing())
    .returning('post_key')
    .executeTakeFirst();
  return res !== undefined;
}

/** Give a claim back when the post failed, so a retry can post. */
export async function releasePost(db: Db, key: string): Promise<void> {
  await db.deleteFrom('slack_posts').where('post_key', '=', key).where('ts', 'is', null).execute();
}

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

export async function getPost(
  db: Db,
  key: string,
): Promise<{ channel: string; ts: string | null; threadTs: string | null } | null> {
  const row = await db
    .selectFrom('slack_posts')
    .select(['channel_id', 'ts', 'thread_ts'])
    .where('post_key', '=', key)
    .executeTakeFirst();
  return row ? { channel: row.channel_id, ts: row.ts, threadTs: row.thread_ts } : null;
}

export async function postKeysLike(db: Db, prefix: string): Promise<string[]> {
  const rows = await db
    .selectFrom('slack_posts')
    .select('post_key')
    .where('post_key', 'like', `${prefix.replace(/[%_\\]/g, '\\$&')}%`)
    .orderBy('post_key')
    .execute();
  return rows.map((r) => r.post_key);
}
