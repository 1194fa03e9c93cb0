/**
 * What the demo (`npm run demo`) reads to pace itself and to print its summary: a cycle's
 * phase and its deadlines, whether a decision landed, row counts and the scenario grid of the
 * latest run.
 */
import type { Db } from '../connect.js';
import type { CycleRow } from '../schema.js';
import { cycleOfMonth } from './cycles.js';
import { decisionsWithScenario } from './decisions.js';
import { votesCountingNow } from './polls.js';

/** The phase of the cycle of `month`, or null when there is none. */
export async function cyclePhase(db: Db, month: string): Promise<string | null> {
  return (await cycleOfMonth(db, month))?.phase ?? null;
}

/** The deadline of the cycle of `month`'s `phase`, or null. */
export async function phaseDeadline(db: Db, month: string, phase: string): Promise<Date | null> {
  const at = (await cycleOfMonth(db, month))?.deadlines[phase as keyof CycleRow['deadlines']];
  return at ? new Date(at) : null;
}

/** Each family's price, by code. */
export async function familyPrices(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('families').select(['code', 'price']).execute();
  return new Map(rows.map((f) => [f.code, f.price]));
}

/** Whether the cycle of `month` has a decision recorded. */
export async function hasDecision(db: Db, month: string): Promise<boolean> {
  const row = await db
    .selectFrom('decisions')
    .innerJoin('cycles', 'cycles.id', 'decisions.cycle_id')
    .select('decisions.id')
    .where('cycles.month', '=', month)
    .executeTakeFirst();
  return row !== undefined;
}

/** The code of a supplier (any one), or null when the company has none. */
export async function someSupplierCode(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('resources')
    .select('code')
    .where('kind', '=', 'supplier')
    .executeTakeFirst();
  return row?.code ?? null;
}

/** The tables whose rows the demo counts. */
export type CountedTable =
  | 'plan_runs'
  | 'decisions'
  | 'forecast_adjustments'
  | 'capacity_updates'
  | 'deviations';

/** The number of rows in one of the tables the demo reports on. */
export async function rowCount(db: Db, table: CountedTable): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The number of votes that count now (cast by voters, not since replaced). */
export async function countedVotes(db: Db): Promise<number> {
  const row = await votesCountingNow(db)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The first decision recorded, with its scenario's label and its number of actions. */
export async function firstDecision(
  db: Db,
): Promise<{ scenario: string; rationale: string; actions: number } | null> {
  const decision = await decisionsWithScenario(db).orderBy('decisions.id').executeTakeFirst();
  if (!decision) return null;
  const actions = await db
    .selectFrom('actions')
    .select('id')
    .where('decision_id', '=', decision.id)
    .execute();
  return { scenario: decision.label, rationale: decision.rationale, actions: actions.length };
}

export interface ScenarioSummary {
  readonly label: string;
  readonly status: string;
  readonly kpis: Record<string, number | null>;
  /** The stored stress test (null without one): it names a family the bills lack a row of. */
  readonly stress: unknown;
}

/** The latest plan run's months and its scenarios, in the order the run wrote them. */
export async function latestRunScenarios(
  db: Db,
): Promise<{ periods: string[]; scenarios: ScenarioSummary[] }> {
  const grid = await db
    .selectFrom('plan_scenarios')
    .innerJoin('plan_runs', 'plan_runs.id', 'plan_scenarios.run_id')
    .select([
      'plan_scenarios.label',
      'plan_scenarios.status',
      'plan_scenarios.kpis',
      'plan_scenarios.stress',
      'plan_scenarios.run_id',
      'plan_runs.periods',
    ])
    .orderBy('plan_scenarios.run_id', 'desc')
    .orderBy('plan_scenarios.id')
    .execute();
  const latestRun = grid[0]?.run_id;
  return {
    periods: grid[0]?.periods ?? [],
    scenarios: grid
      .filter((g) => g.run_id === latestRun)
      .map((g) => ({ label: g.label, status: g.status, kpis: g.kpis, stress: g.stress })),
  };
}
