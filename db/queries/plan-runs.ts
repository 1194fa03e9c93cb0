/**
 * Plan runs: immutable records of one recompute (the tables refuse UPDATE and DELETE).
 * A run is written once per run_key; a retried job finds it and writes nothing. Finding
 * runs and their scenarios is here too; their result rows are read in plan-results.ts.
 */
import { type Insertable, sql } from 'kysely';
import type { Db } from '../connect.js';
import type { Database, PlanRunRow, PlanScenarioRow } from '../schema.js';
import { chunksOf } from './shared.js';

/** A scenario's plan for one family and month, as the caller gives it to insertPlanRun. */
export type NewFamilyResult = NewResult<'plan_family_results'>;
/** A scenario's plan for one resource and month, as the caller gives it to insertPlanRun. */
export type NewResourceResult = NewResult<'plan_resource_results'>;

export interface NewScenario {
  readonly name: string;
  readonly label: string;
  readonly assumptions: unknown;
  readonly status: PlanScenarioRow['status'];
  readonly message: string | null;
  readonly totalCost: number | null;
  readonly costBreakdown: Readonly<Record<string, number>>;
  readonly kpis: Readonly<Record<string, number | null>>;
  /** The scenario against the demand samples (src/core/stress), or null. */
  readonly stress?: unknown;
  readonly families: readonly NewFamilyResult[];
  readonly resources: readonly NewResourceResult[];
}

export interface NewPlanRun {
  readonly cycleId: number | null;
  readonly runKey: string;
  readonly trigger: string;
  readonly requestedBy: string | null;
  readonly periods: readonly string[];
  readonly inputHash: string;
  readonly problem: unknown;
  readonly consensus: unknown;
  readonly capacityCheck: unknown;
  readonly solverMs: number | null;
  readonly totalMs: number | null;
  /** The month of the inventory count the plan opened on, or null (none before it). */
  readonly openingStockMonth?: string | null;
  /** When it was made, by the caller's clock; the database's now() when left out. */
  readonly createdAt?: Date;
  /** When it read its inputs, before solving them (by the same clock as `createdAt`). */
  readonly inputsReadAt?: Date;
  readonly scenarios: readonly NewScenario[];
}

export async function runByKey(db: Db, runKey: string): Promise<PlanRunRow | undefined> {
  return db.selectFrom('plan_runs').selectAll().where('run_key', '=', runKey).executeTakeFirst();
}

type ResultTable = 'plan_family_results' | 'plan_resource_results';
type ResultRow<T extends ResultTable> = Required<Insertable<Database[T]>>;
/** 'lost_sales' → 'lostSales'. */
type Camel<S extends string> = S extends `${infer H}_${infer T}`
  ? `${H}${Capitalize<Camel<T>>}`
  : S;
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** A result row as callers write it: the table's columns in camelCase, without the scenario. */
type NewResult<T extends ResultTable> = {
  readonly [K in Exclude<keyof ResultRow<T> & string, 'scenario_id'> as Camel<K>]: ResultRow<T>[K];
};
/** Every column of a result table with the Postgres type of its array (the compiler checks all are there). */
type ColumnTypes<T extends ResultTable> = {
  readonly [K in keyof ResultRow<T> & string]: 'bigint' | 'int' | 'text' | 'float8';
};

const FAMILY_COLUMNS: ColumnTypes<'plan_family_results'> = {
  scenario_id: 'bigint',
  family_id: 'int',
  period: 'text',
  demand: 'float8',
  production: 'float8',
  subcontract: 'float8',
  inventory: 'float8',
  backlog: 'float8',
  lost_sales: 'float8',
  revenue: 'float8',
  scrapped: 'float8',
};

const RESOURCE_COLUMNS: ColumnTypes<'plan_resource_results'> = {
  scenario_id: 'bigint',
  resource_id: 'int',
  period: 'text',
  load: 'float8',
  capacity: 'float8',
  overtime: 'float8',
  utilisation: 'float8',
  workers: 'float8',
  hires: 'float8',
  layoffs: 'float8',
};

/** Rows per statement: bounds the size of one statement for a very large company. */
const CHUNK = 50_000;

/**
 * Inserts many rows with one statement per chunk: each column is one array parameter, and
 * Postgres unnests the arrays into rows. Ten parameters instead of ten per row: the server
 * parses a few arrays instead of a VALUES list of tens of thousands of parameters: 1.2 to
 * 1.6 times faster for the 10 800 rows of a 200-family run (bench/pipeline.ts); the rest is
 * mostly the foreign-key checks, one per row and key. Numbers go as their shortest
 * round-trip text, as bound parameters do, so the stored doubles are the same. Each row is
 * its scenario's id and the caller's result, whose camelCase fields name the columns.
 */
async function insertByColumns<T extends ResultTable>(
  trx: Db,
  table: T,
  types: ColumnTypes<T>,
  rows: readonly (readonly [scenarioId: string, result: NewResult<T>])[],
): Promise<void> {
  const columns = Object.keys(types) as (keyof ColumnTypes<T> & string)[];
  const cell = (c: string, [scenarioId, result]: (typeof rows)[number]): unknown =>
    c === 'scenario_id' ? scenarioId : (result as Readonly<Record<string, unknown>>)[camel(c)];
  for (const chunk of chunksOf(rows, CHUNK)) {
    const arrays = columns.map((c) => sql`${chunk.map((r) => cell(c, r))}::${sql.raw(types[c])}[]`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      select * from unnest(${sql.join(arrays)})`.execute(trx);
  }
}

/** The plan_runs row of a run (its header: no scenarios). */
export function planRunRow(run: NewPlanRun): Insertable<Database['plan_runs']> {
  return {
    cycle_id: run.cycleId,
    run_key: run.runKey,
    trigger: run.trigger,
    requested_by: run.requestedBy,
    periods: JSON.stringify(run.periods),
    input_hash: run.inputHash,
    problem: JSON.stringify(run.problem),
    consensus: JSON.stringify(run.consensus),
    capacity_check: JSON.stringify(run.capacityCheck),
    solver_ms: run.solverMs,
    total_ms: run.totalMs,
    opening_stock_month: run.openingStockMonth ?? null,
    ...(run.createdAt ? { created_at: run.createdAt } : {}),
    inputs_read_at: run.inputsReadAt ?? null,
  };
}

/** The plan_scenarios row of one of the run's scenarios (without its results). */
export function scenarioRow(runId: string, s: NewScenario): Insertable<Database['plan_scenarios']> {
  return {
    run_id: runId,
    name: s.name,
    label: s.label,
    assumptions: JSON.stringify(s.assumptions),
    status: s.status,
    message: s.message,
    total_cost: s.totalCost,
    cost_breakdown: JSON.stringify(s.costBreakdown),
    kpis: JSON.stringify(s.kpis),
    stress: s.stress === undefined || s.stress === null ? null : JSON.stringify(s.stress),
  };
}

/** Writes the run, its scenarios and their results. The caller owns the transaction. */
export async function insertPlanRun(trx: Db, run: NewPlanRun): Promise<string> {
  const inserted = await trx
    .insertInto('plan_runs')
    .values(planRunRow(run))
    .returning('id')
    .executeTakeFirstOrThrow();
  if (run.scenarios.length === 0) return inserted.id;
  const scenarioRows = await trx
    .insertInto('plan_scenarios')
    .values(run.scenarios.map((s) => scenarioRow(inserted.id, s)))
    .returning(['id', 'name'])
    .execute();
  // Names are unique within a run (plan_scenarios_run_name).
  const idOf = new Map(scenarioRows.map((r) => [r.name, r.id]));
  const families: (readonly [string, NewFamilyResult])[] = [];
  const resources: (readonly [string, NewResourceResult])[] = [];
  for (const s of run.scenarios) {
    const scenarioId = idOf.get(s.name);
    if (scenarioId === undefined) throw new Error(`insertPlanRun: scenario '${s.name}' not stored`);
    for (const f of s.families) families.push([scenarioId, f]);
    for (const r of s.resources) resources.push([scenarioId, r]);
  }
  await insertByColumns(trx, 'plan_family_results', FAMILY_COLUMNS, families);
  await insertByColumns(trx, 'plan_resource_results', RESOURCE_COLUMNS, resources);
  return inserted.id;
}

export async function getRun(db: Db, runId: string): Promise<PlanRunRow | undefined> {
  return db.selectFrom('plan_runs').selectAll().where('id', '=', runId).executeTakeFirst();
}

/** The months a run plans (its horizon), without the stored problem; null for no such run. */
export async function runPeriods(db: Db, runId: string): Promise<readonly string[] | null> {
  const row = await db
    .selectFrom('plan_runs')
    .select('periods')
    .where('id', '=', runId)
    .executeTakeFirst();
  return row ? row.periods : null;
}

/** What callers need of the latest run: its header, without the stored problem and consensus. */
export type PlanRunHead = Pick<
  PlanRunRow,
  | 'id'
  | 'cycle_id'
  | 'run_key'
  | 'trigger'
  | 'requested_by'
  | 'created_at'
  | 'periods'
  | 'opening_stock_month'
>;

/**
 * The cycle's latest plan run: the one with the highest id, the number people see
 * ("Plan run 42 is ready", `/sop status`). The vote, `/sop decide`, the pack and
 * `/sop status` all read "the latest run" here, so they always name the same run. The id
 * comes from a sequence at insert and cannot be set by hand; created_at can, and ties
 * within a transaction.
 */
export async function latestRun(db: Db, cycleId: number): Promise<PlanRunHead | undefined> {
  return db
    .selectFrom('plan_runs')
    .select([
      'id',
      'cycle_id',
      'run_key',
      'trigger',
      'requested_by',
      'created_at',
      'periods',
      'opening_stock_month',
    ])
    .where('cycle_id', '=', cycleId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The id and input hash of the cycle's latest run. */
export async function latestRunInputs(
  db: Db,
  cycleId: number,
): Promise<Pick<PlanRunRow, 'id' | 'input_hash'> | undefined> {
  return db
    .selectFrom('plan_runs')
    .select(['id', 'input_hash'])
    .where('cycle_id', '=', cycleId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * A run's scenarios in the order the run solved and wrote them (DEFAULT_SCENARIOS: central,
 * cautious, ambitious), which is how the headline, the vote's options, the decision form
 * and the charts list them.
 */
export async function runScenarios(db: Db, runId: string): Promise<PlanScenarioRow[]> {
  return db
    .selectFrom('plan_scenarios')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
}

/** What a run is compared with: the run people saw before it. */
export type ShownRun = Pick<
  PlanRunRow,
  'id' | 'input_hash' | 'problem' | 'created_at' | 'inputs_read_at'
>;

/** The ids of the cycle's runs before `runId`, the latest first. */
export async function earlierRunIds(db: Db, cycleId: number, runId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('plan_runs')
    .select('id')
    .where('cycle_id', '=', cycleId)
    .where('id', '<', runId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => r.id);
}

/** A run as it is compared with a later one. */
export async function shownRun(db: Db, id: string): Promise<ShownRun | undefined> {
  return db
    .selectFrom('plan_runs')
    .select(['id', 'input_hash', 'problem', 'created_at', 'inputs_read_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Who entered a change of a family's demand or a resource's capacity, in a span of time. */
export interface ChangeAuthor {
  readonly kind: 'demand' | 'capacity';
  readonly code: string;
  readonly author: string;
}

/**
 * The people who entered forecast adjustments (of `cycleId`) or capacity updates, or resolved
 * or withdrew a constraint, after `after` and at or before `until`, by family or resource code:
 * between two runs' input reads (`inputsReadAt`), the changes the later run read and the earlier
 * did not.
 */
export async function changeAuthors(
  db: Db,
  cycleId: number,
  after: Date,
  until: Date,
): Promise<ChangeAuthor[]> {
  const adjustments = await db
    .selectFrom('forecast_adjustments as a')
    .innerJoin('families as f', 'f.id', 'a.family_id')
    .select(['f.code', 'a.author'])
    .where('a.cycle_id', '=', cycleId)
    .where('a.created_at', '>', after)
    .where('a.created_at', '<=', until)
    .orderBy('a.id')
    .execute();
  const updates = await db
    .selectFrom('capacity_updates as u')
    .innerJoin('resources as r', 'r.id', 'u.resource_id')
    .select(['r.code', 'u.author', 'u.created_at', 'u.resolved_by', 'u.resolved_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('u.created_at', '>', after), eb('u.created_at', '<=', until)]),
        eb.and([eb('u.resolved_at', '>', after), eb('u.resolved_at', '<=', until)]),
      ]),
    )
    .orderBy('u.id')
    .execute();
  return [
    ...adjustments.map((a) => ({ kind: 'demand' as const, code: a.code, author: a.author })),
    ...updates.flatMap((u) => [
      ...(u.created_at > after && u.created_at <= until
        ? [{ kind: 'capacity' as const, code: u.code, author: u.author }]
        : []),
      ...(u.resolved_by && u.resolved_at && u.resolved_at > after && u.resolved_at <= until
        ? [{ kind: 'capacity' as const, code: u.code, author: u.resolved_by }]
        : []),
    ]),
  ];
}
