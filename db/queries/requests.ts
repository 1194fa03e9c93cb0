/** Processed request keys: the record that a request's effect happened. */
import { sql } from 'kysely';
import type { Db } from '../connect.js';

/** Claims a key; false when it was already processed (a retry or a double submit). */
export async function claimRequest(db: Db, key: string, kind: string): Promise<boolean> {
  const rows = await db
    .insertInto('processed_requests')
    .values({ request_key: key, kind })
    .onConflict((oc) => oc.column('request_key').doNothing())
    .returning('request_key')
    .execute();
  return rows.length > 0;
}

/** Whether `key` was processed (claimed or recorded) already. */
export async function requestProcessed(db: Db, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('processed_requests')
    .select('request_key')
    .where('request_key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims again a key claimed more than `olderThanMs` ago (by Postgres's clock), renewing the
 * claim; false when it is younger (or gone). Of two callers, one takes it: the second finds
 * the claim renewed.
 */
export async function reclaimStaleRequest(
  db: Db,
  key: string,
  olderThanMs: number,
): Promise<boolean> {
  const rows = await db
    .updateTable('processed_requests')
    .set({ created_at: sql<Date>`now()` })
    .where('request_key', '=', key)
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .returning('request_key')
    .execute();
  return rows.length > 0;
}

/** Gives a key back when its work failed, so Slack's retry can do it. */
export async function releaseRequest(db: Db, key: string): Promise<void> {
  await db.deleteFrom('processed_requests').where('request_key', '=', key).execute();
}

/** Deletes processed request keys older than `days`; returns how many. */
export async function pruneRequests(db: Db, days: number): Promise<number> {
  const res = await db
    .deleteFrom('processed_requests')
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
