/**
 * The slack_posts ledger: what the bot posted, keyed by what it posted about
 * (e.g. `run:42:chart:gap`). A sender first claims the key (insert, nothing on conflict);
 * only the claimant posts, so a retried job or a duplicate delivery never posts twice.
 * A row's state is read from its columns:
 * claimed (no file_id, no ts) → file reserved (file_id, no ts) → posted (ts).
 * `updated_at` is the claim's time: a claim left without a ts can be taken over once it is
 * stale, and only by the one caller whose compare-and-swap on it wins (takeOverClaim).
 * src/slack/post-ledger.ts builds exactly-once posting of messages and files on these steps.
 */
import {
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';
import type { Db } from '../connect.js';
import type { Database, SlackPostsTable } from '../schema.js';

export interface LedgerRow {
  readonly postKey: string;
  readonly channel: string;
  readonly ts: string | null;
  readonly threadTs: string | null;
  readonly fileId: string | null;
  /** When the key was first claimed. */
  readonly createdAt: Date;
  /** When the current claim was made (or taken over), or the row last changed. */
  readonly updatedAt: Date;
  /** Who made the current claim, when the caller said (a job: `job:<id>`). */
  readonly holder: string | null;
}

function toLedgerRow(row: Selectable<SlackPostsTable>): LedgerRow {
  return {
    postKey: row.post_key,
    channel: row.channel_id,
    ts: row.ts,
    threadTs: row.thread_ts,
    fileId: row.file_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    holder: row.holder,
  };
}

/**
 * `updated_at` is still the instant a caller read. Postgres keeps microseconds and the driver
 * reads milliseconds, so the comparison allows a few; every write that moves a claim without a
 * ts (a renewal, a takeover) comes seconds after the claim it replaces, so this cannot mistake
 * one claim for another.
 */
function stillClaimedAt(seen: Date): Expression<SqlBool> {
  return sql<SqlBool>`abs(extract(epoch from (updated_at - ${seen}::timestamptz))) < 0.005`;
}

/** The row of `key` while it is the unposted claim made at `seen` (see stillClaimedAt). */
function unpostedClaim(key: string, seen: Date) {
  return (eb: ExpressionBuilder<Database, 'slack_posts'>) =>
    eb.and([eb('post_key', '=', key), eb('ts', 'is', null), stillClaimedAt(seen)]);
}

export type Claim =
  | { readonly claimed: true; readonly row: LedgerRow }
  /** `row` is null when the earlier claim was given back (releaseClaim) in the meantime. */
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
  holder: string | null = null,
): Promise<Claim> {
  const inserted = await db
    .insertInto('slack_posts')
    .values({ post_key: key, channel_id: channel, thread_ts: threadTs, holder })
    .onConflict((oc) => oc.column('post_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { claimed: true, row: toLedgerRow(inserted) };
  return { claimed: false, row: await getPost(db, key) };
}

/**
 * Records the file reserved for a claimed key, unless the key is already posted. The claim
 * time stays: its holder's renewals (post-ledger's holdClaim) are what keep it fresh.
 */
export async function setPostFile(db: Db, key: string, fileId: string): Promise<void> {
  await db
    .updateTable('slack_posts')
    .set({ file_id: fileId })
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

/**
 * Takes over a claim left without a ts: only when it is still the claim the caller read
 * (`seen`, its updated_at), is older than `staleMs` by the database's clock, and has no ts.
 * The row comes back with a new updated_at, the taker's claim; null when another caller
 * took it over, posted, or gave it back first. `holder`, when given, becomes the claim's.
 */
export async function takeOverClaim(
  db: Db,
  key: string,
  seen: Date,
  staleMs: number,
  holder?: string | null,
): Promise<LedgerRow | null> {
  const row = await db
    .updateTable('slack_posts')
    .set({ updated_at: sql`now()`, ...(holder !== undefined ? { holder } : {}) })
    .where(unpostedClaim(key, seen))
    .where(sql<SqlBool>`updated_at < now() - make_interval(secs => ${staleMs / 1000})`)
    .returningAll()
    .executeTakeFirst();
  return row ? toLedgerRow(row) : null;
}

/**
 * Renews the claim made at `claimedAt` (its holder is still at work): the new claim time, or
 * null when the claim is no longer that one (posted, given back, taken over).
 */
export async function renewClaim(db: Db, key: string, claimedAt: Date): Promise<Date | null> {
  const row = await db
    .updateTable('slack_posts')
    .set({ updated_at: sql`now()` })
    .where(unpostedClaim(key, claimedAt))
    .returning('updated_at')
    .executeTakeFirst();
  return row?.updated_at ?? null;
}

/**
 * Gives a claim back when Slack refused the post (nothing was sent), so a retry can post at
 * once; only the claim made at `claimedAt`, never one another caller has taken over since.
 */
export async function releaseClaim(db: Db, key: string, claimedAt: Date): Promise<void> {
  await db.deleteFrom('slack_posts').where(unpostedClaim(key, claimedAt)).execute();
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

/**
 * Writes rows for `keys` that show the posted message `at`, leaving any key that already has
 * a row as it is.
 */
export async function recordPostsIfAbsent(
  db: Db,
  keys: readonly string[],
  at: { channel: string; ts: string },
): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('slack_posts')
    .values(keys.map((key) => ({ post_key: key, channel_id: at.channel, ts: at.ts })))
    .onConflict((oc) => oc.column('post_key').doNothing())
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

/** Of `keys`, those whose message was posted (its ts recorded). */
export async function postedKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('slack_posts')
    .select('post_key')
    .where('post_key', 'in', keys)
    .where('ts', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.post_key));
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

/** The key (starting with `prefix`) of the message posted as `channel`/`ts`, or null. */
export async function postKeyAt(
  db: Db,
  prefix: string,
  channel: string,
  ts: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('slack_posts')
    .select('post_key')
    .where('channel_id', '=', channel)
    .where('ts', '=', ts)
    .where('post_key', 'like', `${prefix.replace(/[%_\\]/g, '\\$&')}%`)
    .executeTakeFirst();
  return row?.post_key ?? null;
}

/** Deletes the row of `key` (a message that moved to another channel is posted anew). */
export async function forgetPost(db: Db, key: string): Promise<void> {
  await db.deleteFrom('slack_posts').where('post_key', '=', key).execute();
}
