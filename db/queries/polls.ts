/** Polls, their options (linked to exact plan_scenarios rows) and votes. */
import type { Db } from '../connect.js';
import type { PollRow, VoteRow } from '../schema.js';

export interface PollOptionRow {
  readonly scenarioId: string;
  readonly position: number;
  readonly label: string;
  readonly name: string;
  readonly status: string;
  readonly totalCost: number | null;
  readonly kpis: Record<string, number | null>;
  readonly costBreakdown: Record<string, number>;
}

export async function getPoll(db: Db, pollId: string): Promise<PollRow | null> {
  return (
    (await db.selectFrom('polls').selectAll().where('id', '=', pollId).executeTakeFirst()) ?? null
  );
}

export async function pollByKey(db: Db, key: string): Promise<PollRow | null> {
  return (
    (await db.selectFrom('polls').selectAll().where('poll_key', '=', key).executeTakeFirst()) ??
    null
  );
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
    ])
    .where('poll_options.poll_id', '=', pollId)
    .orderBy('poll_options.position')
    .execute();
  return rows.map((r) => ({
    scenarioId: r.scenario_id,
    position: r.position,
    label: r.label,
    name: r.name,
    status: r.status,
    totalCost: r.total_cost,
    kpis: r.kpis,
    costBreakdown: r.cost_breakdown,
  }));
}

export async function pollVotes(db: Db, pollId: string): Promise<VoteRow[]> {
  return db.selectFrom('votes').selectAll().where('poll_id', '=', pollId).orderBy('id').execute();
}
