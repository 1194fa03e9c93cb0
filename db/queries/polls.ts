/** Polls, their options (linked to exact plan_scenarios rows) and votes. */
import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type SqlBool,
  sql,
} from 'kysely';
import { type BillGap, storedBillGap } from '../../src/core/finance.js';
import type { Db } from '../connect.js';
import type { PollRow, PollsTable, VoteRow, VotesTable } from '../schema.js';
import { firstOrNull } from './shared.js';

export interface PollOptionRow {
  readonly scenarioId: string;
  readonly position: number;
  readonly label: string;
  readonly name: string;
  readonly status: string;
  readonly totalCost: number | null;
  readonly kpis: Record<string, number | null>;
  readonly costBreakdown: Record<string, number>;
  /**
   * The family and month the run's bills lack production for, when that left them out (its
   * stress test's `openingPayablesGap`); null otherwise.
   */
  readonly billsGap?: BillGap | null;
  /** The run's bills estimated from the sales at unit cost (`openingPayablesEstimated`). */
  readonly billsEstimated?: boolean;
}

export async function getPoll(db: Db, pollId: string): Promise<PollRow | null> {
  return firstOrNull(db.selectFrom('polls').selectAll().where('id', '=', pollId));
}

export async function pollByKey(db: Db, key: string): Promise<PollRow | null> {
  return firstOrNull(db.selectFrom('polls').selectAll().where('poll_key', '=', key));
}

export async function pollOptions(db: Db, pollId: string): Promise<PollOptionRow[]> {
  const rows = await db
    .selectFrom('poll_options')
    .innerJoin('plan_scenarios', 'plan_scenarios.id', 'poll_options.scenario_id')
    .select([
      'poll_options.scenario_id',
      'poll_options.position',
      'poll_options.label',
      'plan_scenarios.name',
      'plan_scenarios.status',
      'plan_scenarios.total_cost',
      'plan_scenarios.kpis',
      'plan_scenarios.cost_breakdown',
      sql<unknown>`plan_scenarios.stress -> 'openingPayablesGap'`.as('bills_gap'),
      sql<unknown>`plan_scenarios.stress -> 'openingPayablesEstimated'`.as('bills_estimated'),
    ])
    .where('poll_options.poll_id', '=', pollId)
    .orderBy('poll_options.position')
    .execute();
  return rows.map((r) => {
    const billsGap = storedBillGap({ openingPayablesGap: r.bills_gap });
    return {
      scenarioId: r.scenario_id,
      position: r.position,
      label: r.label,
      name: r.name,
      status: r.status,
      totalCost: r.total_cost,
      kpis: r.kpis,
      costBreakdown: r.cost_breakdown,
      ...(billsGap ? { billsGap } : {}),
      ...(r.bills_estimated === true ? { billsEstimated: true } : {}),
    };
  });
}

export async function pollVotes(db: Db, pollId: string): Promise<VoteRow[]> {
  return db.selectFrom('votes').selectAll().where('poll_id', '=', pollId).orderBy('id').execute();
}

/** Serializes poll creation for one cycle until the caller's transaction ends. */
export async function lockPollCreation(trx: Db, cycleId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('sopbot.poll.' || ${cycleId}))`.execute(trx);
}

/** The cycle's open poll, if any. */
export async function openPollOf(
  db: Db,
  cycleId: number,
): Promise<{ id: string; run_id: string; message_ts: string | null } | null> {
  return firstOrNull(
    db
      .selectFrom('polls')
      .select(['id', 'run_id', 'message_ts'])
      .where('cycle_id', '=', cycleId)
      .where('status', '=', 'open'),
  );
}

/** Inserts the poll and its options (one per scenario, in order). Run it in the caller's transaction. */
export async function insertPoll(
  trx: Db,
  poll: Insertable<PollsTable>,
  options: readonly { scenarioId: string; label: string }[],
): Promise<PollRow> {
  const row = await trx.insertInto('polls').values(poll).returningAll().executeTakeFirstOrThrow();
  await trx
    .insertInto('poll_options')
    .values(
      options.map((o, i) => ({
        poll_id: row.id,
        scenario_id: o.scenarioId,
        position: i + 1,
        label: o.label,
      })),
    )
    .execute();
  return row;
}

export async function setPollMessage(
  db: Db,
  pollId: string,
  channel: string,
  ts: string,
): Promise<void> {
  await db
    .updateTable('polls')
    .set({ channel_id: channel, message_ts: ts })
    .where('id', '=', pollId)
    .execute();
}

/** The poll, locked for update until the caller's transaction ends. */
export async function lockPoll(trx: Db, pollId: string): Promise<PollRow | null> {
  return firstOrNull(trx.selectFrom('polls').selectAll().where('id', '=', pollId).forUpdate());
}

export async function voteWithKeyExists(db: Db, requestKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('votes')
    .select('id')
    .where('request_key', '=', requestKey)
    .executeTakeFirst();
  return row !== undefined;
}

/** The label of the poll's option for `scenarioId`, or null when it is not an option. */
export async function optionLabel(
  db: Db,
  pollId: string,
  scenarioId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('poll_options')
    .select('label')
    .where('poll_id', '=', pollId)
    .where('scenario_id', '=', scenarioId)
    .executeTakeFirst();
  return row?.label ?? null;
}

/**
 * The one rule of a vote that counts now, as a `where` (or a join's `on`) of a query on
 * `votes` under `table`, its name or an alias: counted (cast by a voter whose role counts)
 * and not superseded since, by a later vote of theirs or by their role.
 */
export function countsNow<A extends string>(table: A) {
  return <DB extends { [T in A]: VotesTable }, TB extends keyof DB>(
    eb: ExpressionBuilder<DB, TB>,
  ): Expression<SqlBool> =>
    eb.and([
      eb(sql.ref<boolean>(`${table}.counted`), '=', true),
      eb(sql.ref<Date | null>(`${table}.superseded_at`), 'is', null),
    ]);
}

/** Votes that count now (countsNow). */
export function votesCountingNow(db: Db) {
  return db.selectFrom('votes').where(countsNow('votes'));
}

/** The voter's counted vote that nothing has superseded yet. */
export async function currentVote(
  db: Db,
  pollId: string,
  voter: string,
): Promise<{ id: string; scenario_id: string; clicked_at: Date | null } | null> {
  return firstOrNull(
    votesCountingNow(db)
      .select(['id', 'scenario_id', 'clicked_at'])
      .where('poll_id', '=', pollId)
      .where('voter', '=', voter),
  );
}

export async function supersedeVote(db: Db, voteId: string, at: Date): Promise<void> {
  await db.updateTable('votes').set({ superseded_at: at }).where('id', '=', voteId).execute();
}

export async function insertVote(db: Db, vote: Insertable<VotesTable>): Promise<void> {
  await db.insertInto('votes').values(vote).execute();
}

/** Closes the poll if it is open; true when this call closed it. */
export async function closeOpenPoll(
  db: Db,
  pollId: string,
  close: { by: string; at: Date; reason: string },
): Promise<boolean> {
  const row = await db
    .updateTable('polls')
    .set({ status: 'closed', closed_by: close.by, closed_at: close.at, close_reason: close.reason })
    .where('id', '=', pollId)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Who has a vote that counts now in the poll (not one that stopped counting with their role). */
export async function countedVoters(db: Db, pollId: string): Promise<Set<string>> {
  const rows = await votesCountingNow(db).select('voter').where('poll_id', '=', pollId).execute();
  return new Set(rows.map((v) => v.voter));
}

/**
 * Locks every open poll until the caller's transaction ends: a vote cast meanwhile
 * (`castVote` locks its poll) is either committed before the caller reads the votes, or
 * reads the voter's role after the caller has committed.
 */
export async function lockOpenPolls(trx: Db): Promise<void> {
  await trx.selectFrom('polls').select('id').where('status', '=', 'open').forUpdate().execute();
}

/** The open polls whose message is posted: id, its channel and their cycle's month, by id. */
export async function openPollsPosted(
  db: Db,
): Promise<{ pollId: string; channel: string; month: string }[]> {
  const rows = await db
    .selectFrom('polls')
    .innerJoin('cycles', 'cycles.id', 'polls.cycle_id')
    .select(['polls.id', 'polls.channel_id', 'cycles.month'])
    .where('polls.status', '=', 'open')
    .where('polls.channel_id', 'is not', null)
    .orderBy('polls.id')
    .execute();
  return rows.map((r) => ({ pollId: r.id, channel: r.channel_id ?? '', month: r.month }));
}

/** The open polls with a quorum: id, quorum and their cycle's month, by id. */
export async function openPollsWithQuorum(
  db: Db,
): Promise<{ pollId: string; quorum: number; month: string }[]> {
  const rows = await db
    .selectFrom('polls')
    .innerJoin('cycles', 'cycles.id', 'polls.cycle_id')
    .select(['polls.id', 'polls.quorum', 'cycles.month'])
    .where('polls.status', '=', 'open')
    .where('polls.quorum', 'is not', null)
    .orderBy('polls.id')
    .execute();
  return rows.map((r) => ({ pollId: r.id, quorum: r.quorum ?? 0, month: r.month }));
}

/** A vote in an open poll, with the option's label and the poll's cycle month. */
export interface OpenPollVote {
  readonly voteId: string;
  readonly pollId: string;
  readonly scenarioId: string;
  readonly label: string;
  readonly month: string;
}

function openPollVotes(db: Db, voter: string) {
  return db
    .selectFrom('votes')
    .innerJoin('polls', 'polls.id', 'votes.poll_id')
    .innerJoin('cycles', 'cycles.id', 'polls.cycle_id')
    .innerJoin('poll_options', (j) =>
      j
        .onRef('poll_options.poll_id', '=', 'votes.poll_id')
        .onRef('poll_options.scenario_id', '=', 'votes.scenario_id'),
    )
    .select([
      'votes.id as voteId',
      'votes.poll_id as pollId',
      'votes.scenario_id as scenarioId',
      'poll_options.label',
      'cycles.month',
    ])
    .where('votes.voter', '=', voter)
    .where('polls.status', '=', 'open')
    .orderBy('votes.poll_id');
}

/** The voter's votes that count now in polls still open. */
export async function countingVotesInOpenPolls(db: Db, voter: string): Promise<OpenPollVote[]> {
  return openPollVotes(db, voter).where(countsNow('votes')).execute();
}

/**
 * The voter's votes that stopped counting with their role (`superseded_reason` 'role') in
 * polls still open where nothing of theirs counts now: they vote again to be counted.
 */
export async function roleUncountedVotesInOpenPolls(
  db: Db,
  voter: string,
): Promise<OpenPollVote[]> {
  return openPollVotes(db, voter)
    .where('votes.superseded_reason', '=', 'role')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('votes as now')
            .select('now.id')
            .whereRef('now.poll_id', '=', 'votes.poll_id')
            .where('now.voter', '=', voter)
            .where(countsNow('now')),
        ),
      ),
    )
    .orderBy('votes.id', 'desc')
    .execute();
}

/** The votes stop counting at `at` because their voter's role no longer counts (kept for the record). */
export async function stopCountingVotes(
  trx: Db,
  voteIds: readonly string[],
  at: Date,
): Promise<void> {
  if (voteIds.length === 0) return;
  await trx
    .updateTable('votes')
    .set({ superseded_at: at, superseded_reason: 'role' })
    .where('id', 'in', [...voteIds])
    .where(countsNow('votes'))
    .execute();
}
