/**
 * Reads of a stored run's scenarios and their result rows, for the vote, the decision, the
 * pack and the charts. Finding the run and listing its scenarios is in plan-runs.ts.
 */
import type { InferResult } from 'kysely';
import type { PlanFamilyRow } from '../../src/core/explain/family.js';
import type { Db } from '../connect.js';
import type { PlanScenarioRow } from '../schema.js';
import { firstOrNull, inCodeOrder } from './shared.js';

export async function scenarioById(
  db: Db,
  scenarioId: string,
): Promise<(PlanScenarioRow & { cycle_id: number | null }) | null> {
  return firstOrNull(
    db
      .selectFrom('plan_scenarios')
      .innerJoin('plan_runs', 'plan_runs.id', 'plan_scenarios.run_id')
      .selectAll('plan_scenarios')
      .select('plan_runs.cycle_id')
      .where('plan_scenarios.id', '=', scenarioId),
  );
}

/** A family's month of a scenario: the solved plan's figures and revenue, with the family. */
export interface FamilyResult extends PlanFamilyRow {
  readonly familyId: number;
  readonly code: string;
  readonly period: string;
}

/** Family result rows, every column, with the family's code. */
export function familyResultRows(db: Db) {
  return db
    .selectFrom('plan_family_results')
    .innerJoin('families', 'families.id', 'plan_family_results.family_id')
    .selectAll('plan_family_results')
    .select('families.code');
}

type FamilyRowOut = InferResult<ReturnType<typeof familyResultRows>>[number];

export const toFamilyResult = (r: FamilyRowOut): FamilyResult => ({
  familyId: r.family_id,
  code: r.code,
  period: r.period,
  demand: r.demand,
  production: r.production,
  subcontract: r.subcontract,
  inventory: r.inventory,
  backlog: r.backlog,
  lostSales: r.lost_sales,
  revenue: r.revenue,
  scrapped: r.scrapped,
});

export async function familyResults(db: Db, scenarioId: string): Promise<FamilyResult[]> {
  const rows = await familyResultRows(db)
    .where('plan_family_results.scenario_id', '=', scenarioId)
    .orderBy(inCodeOrder('families.code'))
    .orderBy('plan_family_results.period')
    .execute();
  return rows.map(toFamilyResult);
}

/** The family results of several scenarios at once, by scenario id. */
export async function familyResultsByScenario(
  db: Db,
  scenarioIds: readonly string[],
): Promise<Map<string, FamilyResult[]>> {
  const out = new Map<string, FamilyResult[]>();
  if (scenarioIds.length === 0) return out;
  const rows = await familyResultRows(db)
    .where('plan_family_results.scenario_id', 'in', [...scenarioIds])
    .orderBy(inCodeOrder('families.code'))
    .orderBy('plan_family_results.period')
    .execute();
  for (const r of rows) {
    const list = out.get(r.scenario_id) ?? [];
    list.push(toFamilyResult(r));
    out.set(r.scenario_id, list);
  }
  return out;
}

export interface ResourceResult {
  readonly code: string;
  /** The resource's unit ('hours', 'units', ...) and kind, as imported. */
  readonly unit: string;
  readonly kind: 'line' | 'workforce' | 'supplier' | 'storage';
  readonly period: string;
  readonly load: number;
  readonly capacity: number;
  readonly overtime: number;
  readonly utilisation: number;
}

export async function resourceResults(db: Db, scenarioId: string): Promise<ResourceResult[]> {
  const rows = await db
    .selectFrom('plan_resource_results')
    .innerJoin('resources', 'resources.id', 'plan_resource_results.resource_id')
    .select([
      'resources.code',
      'resources.unit',
      'resources.kind',
      'plan_resource_results.period',
      'plan_resource_results.load',
      'plan_resource_results.capacity',
      'plan_resource_results.overtime',
      'plan_resource_results.utilisation',
    ])
    .where('plan_resource_results.scenario_id', '=', scenarioId)
    .orderBy(inCodeOrder('resources.code'))
    .orderBy('plan_resource_results.period')
    .execute();
  return rows.map((r) => ({ ...r }));
}

/** The central scenario of a run (by name), else its first scenario. */
export function centralOf(scenarios: readonly PlanScenarioRow[]): PlanScenarioRow | null {
  return scenarios.find((s) => s.name === 'central') ?? scenarios[0] ?? null;
}

/** The resource-months of a scenario whose capacity binds: a shadow price above 0. */
export async function bindingCapacities(
  db: Db,
  scenarioId: string,
): Promise<{ resource: string; period: string }[]> {
  return db
    .selectFrom('plan_resource_duals as d')
    .innerJoin('resources as r', 'r.id', 'd.resource_id')
    .select(['r.code as resource', 'd.period'])
    .where('d.scenario_id', '=', scenarioId)
    .where('d.shadow_price', '>', 1e-6)
    .orderBy(inCodeOrder('r.code'))
    .orderBy('d.period')
    .execute();
}
