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
}

/**
 * The latest picture posted in `channel`'s thread `threadTs` (or top level, null) under a run's
 * key for the chart `chart` (`run:<id>:<chart>`, e.g. `cash`, `family:Widgets`): the one a
 * reader sees last, which a new run's chart is compared with.
 */
export async function latestChartShown(
  db: Db,
  channel: string,
  threadTs: string | null,
  chart: string,
): Promise<ChartShown | null> {
  const row = await db
    .selectFrom('slack_posts as p')
    .select([
      'p.post_key',
      'p.ts',
      (eb) =>
        eb
          .selectFrom('chart_fingerprints as f')
          .innerJoin('slack_posts as o', 'o.post_key', 'f.post_key')
          .select('f.post_key')
          .whereRef('f.channel_id', '=', 'p.channel_id')
          .whereRef('o.channel_id', '=', 'p.channel_id')
          .whereRef('o.ts', '=', 'p.ts')
          .limit(1)
          .as('poster_key'),
    ])
    .where('p.channel_id', '=', channel)
    .where(
      threadTs === null
        ? sql<boolean>`p.thread_ts is null`
        : sql<boolean>`p.thread_ts = ${threadTs}`,
    )
    .where('p.ts', 'is not', null)
    .where(sql<boolean>`substring(p.post_key from '^run:[0-9]+:(.*)$') = ${chart}`)
    .orderBy(sql`p.ts::numeric`, 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.ts ? { postKey: row.post_key, ts: row.ts, posterKey: row.poster_key ?? null } : null;
}
