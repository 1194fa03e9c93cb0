/** `chart_fingerprints`: which ledger key posts a given chart picture in a channel. */
import { sql } from 'kysely';
import type { Db } from '../connect.js';

export interface FingerprintOwner {
  readonly postKey: string;
  /** True when the owner's claim is older than `staleMs` by Postgres's clock. */
  readonly stale: boolean;
}

/**
 * Claims the picture `fingerprint` in `channel` for `postKey` (a no-op when it already holds
 * it), and returns the key that holds it now.
 */
export async function claimFingerprint(
  db: Db,
  channel: string,
  fingerprint: string,
  postKey: string,
  staleMs: number,
): Promise<FingerprintOwner> {
  const inserted = await db
    .insertInto('chart_fingerprints')
    .values({ channel_id: channel, fingerprint, post_key: postKey })
    .onConflict((oc) => oc.columns(['channel_id', 'fingerprint']).doNothing())
    .returning('post_key')
    .executeTakeFirst();
  if (inserted) return { postKey, stale: false };
  const owner = await fingerprintOwner(db, channel, fingerprint, staleMs);
  if (!owner) throw new Error(`chart_fingerprints: no row for ${channel}/${fingerprint}`);
  return owner;
}

/** The key that holds the picture `fingerprint` in `channel`, without claiming it, or null. */
export async function fingerprintOwner(
  db: Db,
  channel: string,
  fingerprint: string,
  staleMs: number,
): Promise<FingerprintOwner | null> {
  const row = await db
    .selectFrom('chart_fingerprints')
    .select([
      'post_key',
      sql<boolean>`created_at < now() - make_interval(secs => ${staleMs / 1000})`.as('stale'),
    ])
    .where('channel_id', '=', channel)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
  return row ? { postKey: row.post_key, stale: row.stale } : null;
}

/** Hands the picture from `from` to `to` (compare-and-swap: one taker wins). */
export async function takeOverFingerprint(
  db: Db,
  channel: string,
  fingerprint: string,
  from: string,
  to: string,
): Promise<boolean> {
  const res = await db
    .updateTable('chart_fingerprints')
    .set({ post_key: to, created_at: sql`now()` })
    .where('channel_id', '=', channel)
    .where('fingerprint', '=', fingerprint)
    .where('post_key', '=', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
