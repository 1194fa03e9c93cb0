/** Forecast adjustments, baselines and no-change declarations, by cycle and family. */
import { sql } from 'kysely';
import type { Adjustment } from '../../src/core/consensus.js';
import type { Db } from '../connect.js';
import type { AdjustmentRow, NewAdjustment } from '../schema.js';
import { familyBaselineLines } from './baselines.js';
import { codeIs, firstOrNull, inCodeOrder } from './shared.js';

export interface FamilyRef {
  readonly id: number;
  readonly code: string;
  readonly name: string;
}

const activeRefs = (db: Db) =>
  db.selectFrom('families').select(['id', 'code', 'name']).where('active', '=', true);

export async function activeFamilies(db: Db): Promise<FamilyRef[]> {
  return activeRefs(db).orderBy(inCodeOrder('code')).execute();
}

/** Case-insensitive lookup of an active family by code. */
export async function familyByCode(db: Db, code: string): Promise<FamilyRef | null> {
  return firstOrNull(activeRefs(db).where(codeIs(code)));
}

export async function baselineOf(
  db: Db,
  cycleId: number,
  familyId: number,
): Promise<{ period: string; value: number }[]> {
  return familyBaselineLines(db, cycleId, familyId).execute();
}

/** Adjustments joined to their family. */
function adjustmentsWithFamily(db: Db) {
  return db
    .selectFrom('forecast_adjustments')
    .innerJoin('families', 'families.id', 'forecast_adjustments.family_id');
}

/** Adjustments, every column, with their family's code. */
export function adjustmentsWithCode(db: Db) {
  return adjustmentsWithFamily(db).selectAll('forecast_adjustments').select('families.code');
}

/**
 * Adjustments that count for consensus, as core `Adjustment`s; optionally only some months.
 * Only each person's latest adjustment per month is returned (core rule 1 supersedes the
 * others), so the cost stays flat however often people resubmit.
 */
export async function adjustmentsOf(
  db: Db,
  cycleId: number,
  familyId: number,
  periods?: readonly string[],
): Promise<Adjustment[]> {
  if (periods && periods.length === 0) return [];
  let q = adjustmentsWithCode(db)
    .where('forecast_adjustments.cycle_id', '=', cycleId)
    .where('forecast_adjustments.family_id', '=', familyId)
    .where('forecast_adjustments.status', '<>', 'withdrawn')
    .distinctOn(['forecast_adjustments.period', 'forecast_adjustments.author'])
    .orderBy('forecast_adjustments.period')
    .orderBy('forecast_adjustments.author')
    .orderBy('forecast_adjustments.created_at', 'desc')
    .orderBy('forecast_adjustments.id', 'desc');
  if (periods) q = q.where('forecast_adjustments.period', 'in', [...periods]);
  const rows = await q.execute();
  return rows.map((r) => toAdjustment(r, r.code));
}

/** A stored adjustment as core's `Adjustment`, for the family with code `family`. */
export function toAdjustment(
  r: Pick<
    AdjustmentRow,
    | 'id'
    | 'period'
    | 'author'
    | 'author_role'
    | 'kind'
    | 'value'
    | 'reason_code'
    | 'comment'
    | 'created_at'
  >,
  family: string,
): Adjustment {
  return {
    id: String(r.id),
    family,
    period: r.period,
    author: r.author,
    authorRole: r.author_role,
    kind: r.kind,
    value: r.value,
    reasonCode: r.reason_code,
    comment: r.comment,
    createdAt: r.created_at.toISOString(),
  };
}

export async function adjustmentsByRequest(db: Db, requestKey: string): Promise<AdjustmentRow[]> {
  return db
    .selectFrom('forecast_adjustments')
    .selectAll()
    .where('request_key', '=', requestKey)
    .orderBy('period')
    .execute();
}

/** Inserts the rows; a row whose (request_key, family, period) exists is skipped. */
export async function insertAdjustments(
  trx: Db,
  rows: readonly NewAdjustment[],
): Promise<AdjustmentRow[]> {
  if (rows.length === 0) return [];
  return trx
    .insertInto('forecast_adjustments')
    .values([...rows])
    .onConflict((oc) => oc.columns(['request_key', 'family_id', 'period']).doNothing())
    .returningAll()
    .execute();
}

export interface SubmissionRow {
  readonly id: string;
  readonly family: string;
  readonly period: string;
  readonly kind: AdjustmentRow['kind'];
  readonly value: number;
  readonly reasonCode: string;
  readonly status: AdjustmentRow['status'];
  readonly before: number | null;
  readonly after: number | null;
  readonly createdAt: Date;
}

/**
 * A cycle's adjustments that counted (accepted or flagged) for `fromPeriod` and later, oldest
 * first: what a new cycle may carry over.
 */
export async function countedAdjustmentsFrom(
  db: Db,
  cycleId: number,
  fromPeriod: string,
): Promise<AdjustmentRow[]> {
  return db
    .selectFrom('forecast_adjustments')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .where('status', 'in', ['accepted', 'flagged'])
    .where('period', '>=', fromPeriod)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * The adjustments carried into a cycle from the previous one, by family code then period,
 * each with the month of the cycle its author entered it in (`entered_in`; null when that row
 * is not known).
 */
export async function carriedInto(
  db: Db,
  cycleId: number,
): Promise<
  { code: string; period: string; author: string; reason_code: string; entered_in: string | null }[]
> {
  // Each carried row names the row it was copied from (`carried_from`), itself carried when it
  // came through more than one cycle: the chain ends at the row its author entered.
  return (
    db
      .withRecursive('origin(start_id, id, carried_from, source, cycle_id)', (qb) =>
        qb
          .selectFrom('forecast_adjustments')
          .select(['id as start_id', 'id', 'carried_from', 'source', 'cycle_id'])
          .where('cycle_id', '=', cycleId)
          .where('source', '=', 'carried')
          .unionAll((u) =>
            u
              .selectFrom('forecast_adjustments as f')
              .innerJoin('origin', 'origin.carried_from', 'f.id')
              .select(['origin.start_id', 'f.id', 'f.carried_from', 'f.source', 'f.cycle_id']),
          ),
      )
      .selectFrom('forecast_adjustments')
      .innerJoin('families', 'families.id', 'forecast_adjustments.family_id')
      // The row at the chain's end, when it was entered rather than carried (a chain cut short,
      // a row carried before `carried_from` was kept, enters no cycle).
      .leftJoin('origin', (j) =>
        j
          .onRef('origin.start_id', '=', 'forecast_adjustments.id')
          .on('origin.carried_from', 'is', null)
          .on('origin.source', '<>', 'carried'),
      )
      .leftJoin('cycles as entered', 'entered.id', 'origin.cycle_id')
      .select([
        'families.code',
        'forecast_adjustments.period',
        'forecast_adjustments.author',
        'forecast_adjustments.reason_code',
        'entered.month as entered_in',
      ])
      .where('forecast_adjustments.cycle_id', '=', cycleId)
      .where('forecast_adjustments.source', '=', 'carried')
      .where('forecast_adjustments.status', '<>', 'withdrawn')
      .orderBy(inCodeOrder('families.code'))
      .orderBy('forecast_adjustments.period')
      .orderBy('forecast_adjustments.author')
      .execute()
  );
}

/** How many adjustments a member has submitted in a cycle (carried ones are not theirs to count). */
export async function submissionCountOf(db: Db, cycleId: number, userId: string): Promise<number> {
  const row = await db
    .selectFrom('forecast_adjustments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cycle_id', '=', cycleId)
    .where('author', '=', userId)
    .where('source', '<>', 'carried')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A member's adjustments submitted in a cycle (not those carried into it), latest first. */
export async function submissionsOf(
  db: Db,
  cycleId: number,
  userId: string,
  limit = 20,
): Promise<SubmissionRow[]> {
  const rows = await adjustmentsWithCode(db)
    .where('forecast_adjustments.cycle_id', '=', cycleId)
    .where('forecast_adjustments.author', '=', userId)
    .where('forecast_adjustments.source', '<>', 'carried')
    .orderBy('forecast_adjustments.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    family: r.code,
    period: r.period,
    kind: r.kind,
    value: r.value,
    reasonCode: r.reason_code,
    status: r.status,
    before: r.before_value,
    after: r.after_value,
    createdAt: r.created_at,
  }));
}

export interface FamilyActivity {
  readonly family: string;
  /** Submitted in this cycle. */
  readonly adjustments: number;
  /** Who submitted them. */
  readonly authors: number;
  readonly flagged: number;
  /** Carried into the cycle from the previous one. */
  readonly carried: number;
}

/** Per family: how many adjustments, by how many people, how many flagged, how many carried. */
export async function adjustmentActivity(db: Db, cycleId: number): Promise<FamilyActivity[]> {
  const rows = await adjustmentsWithFamily(db)
    .select((eb) => [
      'families.code',
      eb.fn.countAll<string>().as('n'),
      sql<string>`count(distinct forecast_adjustments.author) filter (where forecast_adjustments.source <> 'carried')`.as(
        'authors',
      ),
      sql<string>`count(*) filter (where forecast_adjustments.status = 'flagged')`.as('flagged'),
      sql<string>`count(*) filter (where forecast_adjustments.source = 'carried')`.as('carried'),
    ])
    .where('forecast_adjustments.cycle_id', '=', cycleId)
    .where('forecast_adjustments.status', '<>', 'withdrawn')
    .groupBy('families.code')
    .orderBy(inCodeOrder('families.code'))
    .execute();
  return rows.map((r) => ({
    family: r.code,
    adjustments: Number(r.n) - Number(r.carried),
    authors: Number(r.authors),
    flagged: Number(r.flagged),
    carried: Number(r.carried),
  }));
}

/** Per family code: how many sales reps declared "no change" for it in the cycle. */
export async function noChangeActivity(
  db: Db,
  cycleId: number,
): Promise<{ family: string; reps: number }[]> {
  const rows = await db
    .selectFrom('no_change_declarations')
    .innerJoin('families', 'families.id', 'no_change_declarations.family_id')
    .select((eb) => [
      'families.code',
      eb.fn.count<string>('no_change_declarations.slack_user_id').distinct().as('reps'),
    ])
    .where('no_change_declarations.cycle_id', '=', cycleId)
    .groupBy('families.code')
    .orderBy(inCodeOrder('families.code'))
    .execute();
  return rows.map((r) => ({ family: r.code, reps: Number(r.reps) }));
}

/** Records "no change" for each family; returns how many were new. */
export async function declareNoChange(
  trx: Db,
  cycleId: number,
  userId: string,
  familyIds: readonly number[],
): Promise<number> {
  if (familyIds.length === 0) return 0;
  const rows = await trx
    .insertInto('no_change_declarations')
    .values(familyIds.map((f) => ({ cycle_id: cycleId, slack_user_id: userId, family_id: f })))
    .onConflict((oc) => oc.columns(['cycle_id', 'slack_user_id', 'family_id']).doNothing())
    .returning('family_id')
    .execute();
  return rows.length;
}

/** Serialises writers of one key for the rest of the transaction. */
export async function lockKey(trx: Db, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/**
 * Runs `fn` while this process holds the advisory lock on `key` (or each of several keys,
 * withSessionLockWithin) (session level, on a connection kept for fn's duration, which fn is
 * given). A caller that finds the lock taken polls every `pollMs` without holding a
 * connection meanwhile, so waiters cannot starve the pool. A holder whose fn queries the pool
 * keeps its lock's connection while it takes another: a pool needs at least one connection
 * more than it can have holders (and jobs, each of which may hold one connection while it
 * asks for a second), or every holder waits for a connection none will give back;
 * `workerPoolSize` (src/worker.ts) and the bot's pool (src/bot.ts) are sized so. A fn that
 * queries only the connection it is given (a Home redraw, src/slack/home.ts) never asks for a
 * second; its queries run one after another there. The lock goes with its connection if the
 * process dies. Use keys that no transaction locks with lockKey: a holder's own transaction
 * would wait on it.
 */
export async function withSessionLock<T>(
  db: Db,
  key: string | readonly string[],
  fn: (conn: Db) => Promise<T>,
  pollMs = 100,
): Promise<T> {
  const out = await withSessionLockWithin(db, key, fn, { pollMs, waitMs: Infinity });
  if (!out.got) throw new Error(`the lock ${String(key)} was not taken, with no limit on the wait`);
  return out.value;
}

/**
 * As withSessionLock, waiting at most `waitMs` for the lock: `{ got: false }` (fn not run) when
 * another holds it that long. With several keys, all of them on the one connection, taken
 * together or not at all: one found taken gives back those taken before it and the caller
 * polls again, so it never holds one while waiting for another and cannot deadlock with
 * another holder, whatever keys and order that one takes.
 */
export async function withSessionLockWithin<T>(
  db: Db,
  key: string | readonly string[],
  fn: (conn: Db) => Promise<T>,
  opts: { readonly waitMs: number; readonly pollMs?: number },
): Promise<{ readonly got: true; readonly value: T } | { readonly got: false }> {
  const pollMs = opts.pollMs ?? 100;
  const until = Date.now() + opts.waitMs;
  const keys = [...new Set(typeof key === 'string' ? [key] : key)].sort();
  for (;;) {
    const out = await db.connection().execute(async (conn) => {
      const unlock = async (held: readonly string[]) => {
        for (const k of held)
          await sql`select pg_advisory_unlock(hashtextextended(${k}, 0))`.execute(conn);
      };
      const held: string[] = [];
      for (const k of keys) {
        const { rows } = await sql<{
          got: boolean;
        }>`select pg_try_advisory_lock(hashtextextended(${k}, 0)) as got`.execute(conn);
        if (!rows[0]?.got) {
          await unlock(held);
          return { got: false as const };
        }
        held.push(k);
      }
      let failed = false;
      try {
        return { got: true as const, value: await fn(conn) };
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        await unlock(held).catch((err: unknown) => {
          // A connection that cannot unlock is broken, and the locks went with its session:
          // when fn failed, its error is the one to report.
          if (!failed) throw err;
        });
      }
    });
    if (out.got || Date.now() + pollMs > until) return out;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
