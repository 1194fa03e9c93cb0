/**
 * Row-level steps of the exactly-once post ledger (src/slack/post-ledger.ts) over the
 * slack_posts table. A row's state is read from its columns:
 * claimed (no file_id, no ts) → file reserved (file_id, no ts) → posted (ts).
 */
import type { Db } from '../connect.js';

export interface LedgerRow {
  readonly postKey: string;
  readonly channel: string;
  readonly ts: string | null;
  readonly threadTs: string | null;
  readonly fileId: string | null;
}

/** Claims the key (or finds the earlier claim) and returns the row as it stands. */
export async function claimLedgerRow(
  db: Db,
  key: string,
  channel: string,
  threadTs: string | null,
): Promise<LedgerRow> {
  await db
    .insertInto('slack_posts')
    .values({ post_key: key, channel_id: channel, thread_ts: threadTs })
    .onConflict((oc) => oc.column('post_key').doNothing())
    .execute();
  const row = await db
    .selectFrom('slack_posts')
    .selectAll()
    .where('post_key', '=', key)
    .executeTakeFirstOrThrow();
  return {
    postKey: row.post_key,
    channel: row.channel_id,
    ts: row.ts,
    threadTs: row.thread_ts,
    fileId: row.file_id,
  };
}

export async function setLedgerFile(db: Db, key: string, fileId: string): Promise<void> {
  await db
    .updateTable('slack_posts')
    .set({ file_id: fileId, updated_at: new Date() })
    .where('post_key', '=', key)
    .where('ts', 'is', null)
    .execute();
}

export async function setLedgerTs(db: Db, key: string, ts: string): Promise<void> {
  await db
    .updateTable('slack_posts')
    .set({ ts, updated_at: new Date() })
    .where('post_key', '=', key)
    .execute();
}

export async function ledgerKeys(db: Db, prefix: string): Promise<LedgerRow[]> {
  const rows = await db
    .selectFrom('slack_posts')
    .selectAll()
    .where('post_key', 'like', `${prefix.replace(/[%_\\]/g, '\\$&')}%`)
    .orderBy('post_key')
    .execute();
  return rows.map((row) => ({
    postKey: row.post_key,
    channel: row.channel_id,
    ts: row.ts,
    threadTs: row.thread_ts,
    fileId: row.file_id,
  }));
}
