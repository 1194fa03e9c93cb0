/** Decisions (one adopted scenario each), the follow-up actions they create, and the log. */
import type { Insertable } from 'kysely';
import type { Db } from '../connect.js';
import type { ActionRow, ActionsTable, CycleRow, DecisionRow, DecisionsTable } from '../schema.js';
import { familyResults } from './plan-results.js';
import { countsNow, optionLabel } from './polls.js';
import { firstOrNull } from './shared.js';

/** The newest decision recorded after the poll, if any. */
export async function decisionOfPoll(db: Db, pollId: string): Promise<DecisionRow | null> {
  return firstOrNull(
    db.selectFrom('decisions').selectAll().where('poll_id', '=', pollId).orderBy('id', 'desc'),
  );
}

/**
 * The cycle's newest decision recorded at or after `since` (a vote's opening): a decision
 * that settles that vote even when it was recorded without it (`/sop decide` as the vote's
 * deadline closed it).
 */
export async function decisionOfCycleSince(
  db: Db,
  cycleId: number,
  since: Date,
): Promise<DecisionRow | null> {
  return firstOrNull(
    db
      .selectFrom('decisions')
      .selectAll()
      .where('cycle_id', '=', cycleId)
      .where('decided_at', '>=', since)
      .orderBy('id', 'desc'),
  );
}

/**
 * The cycle's newest vote, when a decision is still owed to it: open, or closed (not by the
 * cycle's close) with no decision recorded after it nor in the cycle since it opened.
 */
export async function pollAwaitingDecision(
  db: Db,
  cycleId: number,
): Promise<{ id: string; status: 'open' | 'closed' } | null> {
  const newest = await firstOrNull(
    db
      .selectFrom('polls')
      .select(['id', 'status', 'close_reason', 'created_at'])
      .where('cycle_id', '=', cycleId)
      .orderBy('id', 'desc'),
  );
  if (!newest) return null;
  if (newest.status === 'open') return { id: newest.id, status: 'open' };
  if (newest.close_reason === 'cycle') return null;
  if (await decisionOfPoll(db, newest.id)) return null;
  if (await decisionOfCycleSince(db, cycleId, newest.created_at)) return null;
  return { id: newest.id, status: 'closed' };
}

export async function decisionByKey(db: Db, requestKey: string): Promise<DecisionRow | null> {
  return firstOrNull(db.selectFrom('decisions').selectAll().where('request_key', '=', requestKey));
}

/** The actions of the given decisions, in id order. */
export async function actionsOfDecisions(
  db: Db,
  decisionIds: readonly string[],
): Promise<ActionRow[]> {
  if (decisionIds.length === 0) return [];
  return db
    .selectFrom('actions')
    .selectAll()
    .where('decision_id', 'in', [...decisionIds])
    .orderBy('id')
    .execute();
}

/** The cycle's month and phase, the cycle row locked until the caller's transaction ends. */
export async function lockCycleForDecision(
  trx: Db,
  cycleId: number,
): Promise<Pick<CycleRow, 'month' | 'phase'> | null> {
  return firstOrNull(
    trx.selectFrom('cycles').select(['month', 'phase']).where('id', '=', cycleId).forUpdate(),
  );
}

export async function pollStatus(
  db: Db,
  pollId: string,
): Promise<{ id: string; cycle_id: number; run_id: string; status: 'open' | 'closed' } | null> {
  return firstOrNull(
    db.selectFrom('polls').select(['id', 'cycle_id', 'run_id', 'status']).where('id', '=', pollId),
  );
}

export async function isPollOption(db: Db, pollId: string, scenarioId: string): Promise<boolean> {
  return (await optionLabel(db, pollId, scenarioId)) !== null;
}

/** Any decision recorded after the poll (its id). */
export async function decisionIdOfPoll(db: Db, pollId: string): Promise<string | null> {
  return (await decisionOfPoll(db, pollId))?.id ?? null;
}

/** The cycle's decisions, newest first, joined to their scenario. */
export function decisionsNewestFirst(db: Db, cycleId: number) {
  return db
    .selectFrom('decisions')
    .innerJoin('plan_scenarios', 'plan_scenarios.id', 'decisions.scenario_id')
    .where('decisions.cycle_id', '=', cycleId)
    .orderBy('decisions.id', 'desc');
}

/** The cycle's current decision (the newest), which a new one would supersede. */
export async function newestDecision(
  db: Db,
  cycleId: number,
): Promise<{ id: string; title: string } | null> {
  return firstOrNull(decisionsNewestFirst(db, cycleId).select(['decisions.id', 'decisions.title']));
}

/**
 * Inserts the decision and its actions, and makes its scenario the cycle's adopted one.
 * Run it in the caller's transaction.
 */
export async function insertDecision(
  trx: Db,
  decision: Insertable<DecisionsTable>,
  actions: readonly Omit<Insertable<ActionsTable>, 'decision_id'>[],
): Promise<{ decision: DecisionRow; actions: ActionRow[] }> {
  const row = await trx
    .insertInto('decisions')
    .values(decision)
    .returningAll()
    .executeTakeFirstOrThrow();
  const acts = actions.length
    ? await trx
        .insertInto('actions')
        .values(actions.map((a) => ({ ...a, decision_id: row.id })))
        .returningAll()
        .execute()
    : [];
  await trx
    .updateTable('cycles')
    .set({ adopted_scenario_id: decision.scenario_id })
    .where('id', '=', decision.cycle_id)
    .execute();
  return { decision: row, actions: acts };
}

/** The adopted scenario's production per family code and month; empty when none is adopted. */
export async function adoptedProductionOf(
  db: Db,
  cycleId: number,
): Promise<Record<string, Record<string, number>>> {
  const cycle = await db
    .selectFrom('cycles')
    .select('adopted_scenario_id')
    .where('id', '=', cycleId)
    .executeTakeFirst();
  if (!cycle?.adopted_scenario_id) return {};
  const rows = await familyResults(db, cycle.adopted_scenario_id);
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    out[r.code] ??= {};
    out[r.code]![r.period] = r.production;
  }
  return out;
}

export interface DecisionLogRow extends DecisionRow {
  readonly month: string;
  readonly label: string;
  readonly run_id: string;
}

/** Decisions, every column, with their scenario's label and run. */
export function decisionsWithScenario(db: Db) {
  return db
    .selectFrom('decisions')
    .innerJoin('plan_scenarios', 'plan_scenarios.id', 'decisions.scenario_id')
    .selectAll('decisions')
    .select(['plan_scenarios.label', 'plan_scenarios.run_id']);
}

/**
 * The votes of the decisions that were attached to a vote: per decision, its vote, how it
 * closed and the plan run it was on, the scenario it adopted and that scenario's run, and the
 * counted current votes per scenario (none for a vote nobody voted in). Decisions recorded
 * without a vote have no row.
 */
export async function decisionVoteCounts(
  db: Db,
  decisionIds: readonly string[],
): Promise<
  {
    decision_id: string;
    poll_id: string;
    close_reason: string | null;
    voted_run: string;
    adopted: string;
    adopted_run: string;
    voted: string | null;
    votes: number;
  }[]
> {
  if (decisionIds.length === 0) return [];
  const rows = await db
    .selectFrom('decisions')
    .innerJoin('polls', 'polls.id', 'decisions.poll_id')
    .innerJoin('plan_scenarios', 'plan_scenarios.id', 'decisions.scenario_id')
    .leftJoin('votes', (j) => j.onRef('votes.poll_id', '=', 'polls.id').on(countsNow('votes')))
    .select(({ fn }) => [
      'decisions.id as decision_id',
      'polls.id as poll_id',
      'polls.close_reason',
      'polls.run_id as voted_run',
      'decisions.scenario_id as adopted',
      'plan_scenarios.run_id as adopted_run',
      'votes.scenario_id as voted',
      fn.count<string>('votes.id').as('votes'),
    ])
    .where('decisions.id', 'in', [...decisionIds])
    .groupBy([
      'decisions.id',
      'polls.id',
      'polls.close_reason',
      'polls.run_id',
      'decisions.scenario_id',
      'plan_scenarios.run_id',
      'votes.scenario_id',
    ])
    .execute();
  return rows.map((r) => ({ ...r, votes: Number(r.votes) }));
}

/** Every decision (or one cycle's), with its cycle's month and its scenario, in decision order. */
export async function decisionLog(db: Db, cycleMonth?: string): Promise<DecisionLogRow[]> {
  let q = decisionsWithScenario(db)
    .innerJoin('cycles', 'cycles.id', 'decisions.cycle_id')
    .select('cycles.month')
    .orderBy('decisions.decided_at')
    .orderBy('decisions.id');
  if (cycleMonth) q = q.where('cycles.month', '=', cycleMonth);
  return q.execute();
}

/** The decision's cycle (id and month) and its poll, if it followed a vote. */
export async function decisionContext(
  db: Db,
  decisionId: string,
): Promise<{ cycle_id: number; poll_id: string | null; month: string }> {
  return db
    .selectFrom('decisions')
    .innerJoin('cycles', 'cycles.id', 'decisions.cycle_id')
    .select(['decisions.cycle_id', 'decisions.poll_id', 'cycles.month'])
    .where('decisions.id', '=', decisionId)
    .executeTakeFirstOrThrow();
}
