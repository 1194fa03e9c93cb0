/**
 * Plan runs: immutable records of one recompute (the tables refuse UPDATE and DELETE).
 * A run is written once per run_key; a retried job finds it and writes nothing.
 */
import type { Db } from '../connect.js';
import type { PlanRunRow, PlanScenarioRow } from '../schema.js';

export interface NewFamilyResult {
  readonly familyId: number;
  readonly period: string;
  readonly demand: number;
  readonly production: number;
  readonly subcontract: number;
  readonly inventory: number;
  readonly backlog: number;
  readonly lostSales: number;
  readonly revenue: number;
}

export interface NewResourceResult {
  readonly resourceId: number;
  readonly period: string;
  readonly load: number;
  readonly capacity: number;
  readonly overtime: number;
  readonly utilisation: number;
  readonly workers: number | null;
  readonly hires: number | null;
  readonly layoffs: number | null;
}

export interface NewScenario {
  readonly name: string;
  readonly label: string;
  readonly assumptions: unknown;
  readonly status: PlanScenarioRow['status'];
  readonly message: string | null;
  readonly totalCost: number | null;
  readonly costBreakdown: Readonly<Record<string, number>>;
  readonly kpis: Readonly<Record<string, number | null>>;
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
  readonly scenarios: readonly NewScenario[];
}

export async function runByKey(db: Db, runKey: string): Promise<PlanRunRow | undefined> {
  return db.selectFrom('plan_runs').selectAll().where('run_key', '=', runKey).executeTakeFirst();
}

/** Rows per INSERT statement, well under Postgres' 65535 parameters. */
const CHUNK = 4000;

/** Writes the run, its scenarios and their results. The caller owns the transaction. */
export async function insertPlanRun(trx: Db, run: NewPlanRun): Promise<string> {
  const inserted = await trx
    .insertInto('plan_runs')
    .values({
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
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const s of run.scenarios) {
    const sc = await trx
      .insertInto('plan_scenarios')
      .values({
        run_id: inserted.id,
        name: s.name,
        label: s.label,
        assumptions: JSON.stringify(s.assumptions),
        status: s.status,
        message: s.message,
        total_cost: s.totalCost,
        cost_breakdown: JSON.stringify(s.costBreakdown),
        kpis: JSON.stringify(s.kpis),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const families = s.families.map((f) => ({
      scenario_id: sc.id,
      family_id: f.familyId,
      period: f.period,
      demand: f.demand,
      production: f.production,
      subcontract: f.subcontract,
      inventory: f.inventory,
      backlog: f.backlog,
      lost_sales: f.lostSales,
      revenue: f.revenue,
    }));
    for (let i = 0; i < families.length; i += CHUNK)
      await trx
        .insertInto('plan_family_results')
        .values(families.slice(i, i + CHUNK))
        .execute();
    const resources = s.resources.map((r) => ({
      scenario_id: sc.id,
      resource_id: r.resourceId,
      period: r.period,
      load: r.load,
      capacity: r.capacity,
      overtime: r.overtime,
      utilisation: r.utilisation,
      workers: r.workers,
      hires: r.hires,
      layoffs: r.layoffs,
    }));
    for (let i = 0; i < resources.length; i += CHUNK)
      await trx
        .insertInto('plan_resource_results')
        .values(resources.slice(i, i + CHUNK))
        .execute();
  }
  return inserted.id;
}

export async function getRun(db: Db, runId: string): Promise<PlanRunRow | undefined> {
  return db.selectFrom('plan_runs').selectAll().where('id', '=', runId).executeTakeFirst();
}

export async function latestRun(db: Db, cycleId: number): Promise<PlanRunRow | undefined> {
  return db
    .selectFrom('plan_runs')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function runScenarios(db: Db, runId: string): Promise<PlanScenarioRow[]> {
  return db
    .selectFrom('plan_scenarios')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
}

export interface ResourceResultRow {
  readonly resource: string;
  readonly period: string;
  readonly load: number;
  readonly capacity: number;
  readonly overtime: number;
  readonly utilisation: number;
}

export async function scenarioResourceResults(
  db: Db,
  scenarioId: string,
): Promise<ResourceResultRow[]> {
  return db
    .selectFrom('plan_resource_results as r')
    .innerJoin('resources', 'resources.id', 'r.resource_id')
    .select([
      'resources.code as resource',
      'r.period',
      'r.load',
      'r.capacity',
      'r.overtime',
      'r.utilisation',
    ])
    .where('r.scenario_id', '=', scenarioId)
    .orderBy('resources.code')
    .orderBy('r.period')
    .execute();
}
