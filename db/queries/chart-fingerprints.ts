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
 * it), keeping what it shows (`shown`, JSON: the chart's `shownForm`), and returns the key that
 * holds it now.
 */
export async function claimFingerprint(
  db: Db,
  channel: string,
  fingerprint: string,
  postKey: string,
  staleMs: number,
  shown: unknown = null,
): Promise<FingerprintOwner> {
  const inserted = await db
    .insertInto('chart_fingerprints')
    .values({
      channel_id: channel,
      fingerprint,
      post_key: postKey,
      shown: shown === null ? null : JSON.stringify(shown),
    })
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

/**
 * Hands the picture from `from` to `to` (compare-and-swap: one taker wins), with what `to`'s
 * chart shows.
 */
export async function takeOverFingerprint(
  db: Db,
  channel: string,
  fingerprint: string,
  from: string,
  to: string,
  shown: unknown = null,
): Promise<boolean> {
  const res = await db
    .updateTable('chart_fingerprints')
    .set({
      post_key: to,
      created_at: sql`now()`,
      shown: shown === null ? null : JSON.stringify(shown),
    })
    .where('channel_id', '=', channel)
    .where('fingerprint', '=', fingerprint)
    .where('post_key', '=', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The latest picture of a chart in a thread, and the key of the post that holds it. */
export interface ChartShown {
  /** Its ledger key (of the run that posted it, or of one that shares it). */
  readonly postKey: string;
  readonly ts: string;
  /**
   * The key that claimed the picture (its chart_fingerprints row) and posted it, or null when
   * none did: a replaced run's copy, which no newer run stands on.
   */
  readonly posterKey: string | null;
  /**
   * What the picture showed when it was claimed (the chart's `shownForm`), or null: none
   * claimed it, or it was claimed before this was kept.
   */
  readonly shown: unknown;
}

/**
 * The latest picture posted in `channel`'s thread `threadTs` (or top level, null) under a run's
 * key for the chart `chart` (`run:<id>:<chart>`, e.g. `cash`, `family:Widgets`): the one a
 * reader sees last, which a new run's chart is compared with. It reads the thread's posts alone
 * (index slack_posts_thread), and the claim of the post by its key (chart_fingerprints_post_key).
 */
export async function latestChartShown(
  db: Db,
  channel: string,
  threadTs: string | null,
  chart: string,
): Promise<ChartShown | null> {
  const inThread = (t: 'p' | 'o') =>
    threadTs === null
      ? sql<boolean>`${sql.ref(`${t}.thread_ts`)} is null`
      : sql<boolean>`${sql.ref(`${t}.thread_ts`)} = ${threadTs}`;
  const row = await db
    .selectFrom('slack_posts as p')
    .select(['p.post_key', 'p.ts'])
    .where('p.channel_id', '=', channel)
    .where(inThread('p'))
    .where('p.ts', 'is not', null)
    .where(sql<boolean>`substring(p.post_key from '^run:[0-9]+:(.*)$') = ${chart}`)
    .orderBy(sql`p.ts::numeric`, 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.ts) return null;
  // The post's claim: the key whose post has this ts (the poster's, among those sharing it).
  const poster = await db
    .selectFrom('slack_posts as o')
    .innerJoin('chart_fingerprints as f', 'f.post_key', 'o.post_key')
    .select(['f.post_key', 'f.shown'])
    .where('o.channel_id', '=', channel)
    .where(inThread('o'))
    .where('o.ts', '=', row.ts)
    .where('f.channel_id', '=', channel)
    .orderBy('f.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    postKey: row.post_key,
    ts: row.ts,
    posterKey: poster?.post_key ?? null,
    shown: poster?.shown ?? null,
  };
}
