/** The job outbox (`job_outbox`): job requests recorded with the change that owes them. */
import { sql } from 'kysely';
import type { Db } from '../connect.js';

export interface NewOutboxRow {
  readonly jobName: string;
  readonly payload: Record<string, unknown>;
  /** Queue it no earlier than this many ms after the transaction's time. */
  readonly delayMs: number;
  readonly debounceMs: number | null;
}

export interface OutboxRow {
  readonly id: string;
  readonly jobName: string;
  readonly payload: Record<string, unknown>;
  /** The delay asked for, from when the request was recorded. */
  readonly delayMs: number;
  /** Time since the request was recorded. */
  readonly elapsedMs: number;
  readonly debounceMs: number | null;
  /** Why the last hand-over failed, if one did. */
  readonly lastError: string | null;
}

export async function addOutbox(db: Db, r: NewOutboxRow): Promise<string> {
  const row = await db
    .insertInto('job_outbox')
    .values({
      job_name: r.jobName,
      payload: JSON.stringify(r.payload),
      run_at: sql<Date>`now() + make_interval(secs => ${Math.max(0, r.delayMs) / 1000})`,
      debounce_ms: r.debounceMs,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * How a request this version's contract refuses is marked in `last_error` (its reason after
 * it): the relay takes such rows after every other, so however many wait, they never fill its
 * batch ahead of the requests it can deliver.
 */
export const REFUSED_BY_CONTRACT = 'refused by this version: ';

/**
 * Undelivered rows, oldest first, locked for the caller's transaction. `ids` picks given rows
 * and waits for their locks; without it, rows another deliverer holds are skipped, and rows the
 * contract refused (REFUSED_BY_CONTRACT) come after the others.
 */
export async function lockPending(
  db: Db,
  opts: { readonly ids?: readonly string[]; readonly limit: number },
): Promise<OutboxRow[]> {
  let q = db
    .selectFrom('job_outbox')
    .select([
      'id',
      'job_name',
      'payload',
      'debounce_ms',
      'last_error',
      sql<number>`(extract(epoch from run_at - created_at) * 1000)::float8`.as('delay_ms'),
      sql<number>`(extract(epoch from clock_timestamp() - created_at) * 1000)::float8`.as(
        'elapsed_ms',
      ),
    ])
    .where('delivered_at', 'is', null)
    .limit(opts.limit);
  if (opts.ids) {
    if (opts.ids.length === 0) return [];
    q = q.where('id', 'in', [...opts.ids]).orderBy('id');
  } else
    q = q
      .orderBy(sql`coalesce(starts_with(last_error, ${REFUSED_BY_CONTRACT}), false)`)
      .orderBy('id');
  const rows = await (opts.ids ? q.forUpdate() : q.forUpdate().skipLocked()).execute();
  return rows.map((r) => ({
    id: r.id,
    jobName: r.job_name,
    payload: r.payload,
    delayMs: Math.round(r.delay_ms),
    elapsedMs: Math.round(r.elapsed_ms),
    debounceMs: r.debounce_ms,
    lastError: r.last_error,
  }));
}

export async function markDelivered(db: Db, id: string, jobId: string): Promise<void> {
  await db
    .updateTable('job_outbox')
    .set({ delivered_at: sql`clock_timestamp()`, job_id: jobId, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markAttemptFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('job_outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 2000) }))
    .where('id', '=', id)
    .execute();
}

/** Of `ids`, those not delivered yet. */
export async function undelivered(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('job_outbox')
    .select('id')
    .where('id', 'in', [...ids])
    .where('delivered_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export async function countUndelivered(db: Db): Promise<number> {
  const row = await db
    .selectFrom('job_outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('delivered_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Deletes delivered rows older than `days`. */
export async function pruneDelivered(db: Db, days: number): Promise<number> {
  const res = await db
    .deleteFrom('job_outbox')
    .where('delivered_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
