/**
 * Reads for `/sop explain` (src/services/explain.ts): one family or one resource, across a
 * run's scenarios, plus the earlier cycles' adjustments that measure forecast value added.
 */
import type { PlanFamilyRow } from '../../src/core/explain/family.js';
import type { DemandPriceKind, PriceKind } from '../../src/core/supply/duals.js';
import type { Db } from '../connect.js';
import type { AdjustmentRow } from '../schema.js';
import { type BaselineLine, familyBaselineLines } from './baselines.js';
import { latestCycleWhere, openCycle } from './cycles.js';
import { familyResultRows, toFamilyResult } from './plan-results.js';
import { chunksOf, codeIs, firstOrNull, inCodeOrder } from './shared.js';
import { storedUserNames } from './user-names.js';

export interface SubjectRef {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly unit: string;
}

/** An active family by code, without regard to case. */
export async function familyByCodeCi(db: Db, code: string): Promise<SubjectRef | null> {
  return firstOrNull(
    db
      .selectFrom('families')
      .select(['id', 'code', 'name', 'unit'])
      .where(codeIs(code))
      .where('active', '=', true),
  );
}

export interface ResourceSubject extends SubjectRef {
  readonly overtimeCost: number;
}

/** An active resource by code, without regard to case. */
export async function resourceByCodeCi(db: Db, code: string): Promise<ResourceSubject | null> {
  const row = await db
    .selectFrom('resources')
    .select(['id', 'code', 'name', 'unit', 'overtime_cost'])
    .where(codeIs(code))
    .where('active', '=', true)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        code: row.code,
        name: row.name,
        unit: row.unit,
        overtimeCost: row.overtime_cost,
      }
    : null;
}

/** A few active codes of each kind, for "no such code" answers. */
export async function someCodes(db: Db): Promise<{ families: string[]; resources: string[] }> {
  const [f, r] = await Promise.all([
    db
      .selectFrom('families')
      .select('code')
      .where('active', '=', true)
      .orderBy(inCodeOrder('code'))
      .limit(4)
      .execute(),
    db
      .selectFrom('resources')
      .select('code')
      .where('active', '=', true)
      .orderBy(inCodeOrder('code'))
      .limit(4)
      .execute(),
  ]);
  return { families: f.map((x) => x.code), resources: r.map((x) => x.code) };
}

export async function salesOf(
  db: Db,
  familyId: number,
): Promise<{ period: string; units: number }[]> {
  return db
    .selectFrom('sales_history')
    .select(['period', 'units'])
    .where('family_id', '=', familyId)
    .orderBy('period')
    .execute();
}

/** The latest month of any active family's sales before `before`: where the history ends. */
export async function salesHistoryEnd(db: Db, before: string): Promise<string | null> {
  const row = await db
    .selectFrom('sales_history')
    .innerJoin('families', 'families.id', 'sales_history.family_id')
    .select(({ fn }) => fn.max('sales_history.period').as('last'))
    .where('families.active', '=', true)
    .where('sales_history.period', '<', before)
    .executeTakeFirst();
  return row?.last ?? null;
}

export interface FamilyBaseline {
  readonly model: {
    readonly method: string;
    readonly params: Record<string, number>;
    readonly aicc: number | null;
  } | null;
  readonly lines: readonly Omit<BaselineLine, 'familyId'>[];
}

export async function baselineOfFamily(
  db: Db,
  cycleId: number,
  familyId: number,
): Promise<FamilyBaseline> {
  const [model, lines] = await Promise.all([
    db
      .selectFrom('baseline_models')
      .select(['method', 'params', 'aicc'])
      .where('cycle_id', '=', cycleId)
      .where('family_id', '=', familyId)
      .executeTakeFirst(),
    familyBaselineLines(db, cycleId, familyId).execute(),
  ]);
  return { model: model ?? null, lines };
}

/** Every adjustment of a family in a cycle, whatever its status, oldest first. */
export async function familyAdjustmentRows(
  db: Db,
  cycleId: number,
  familyId: number,
): Promise<AdjustmentRow[]> {
  return db
    .selectFrom('forecast_adjustments')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .where('family_id', '=', familyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface ArchiveRows {
  readonly adjustments: readonly (AdjustmentRow & {
    readonly code: string;
    readonly month: string;
  })[];
  readonly baselines: readonly {
    readonly cycle_id: number;
    readonly family_id: number;
    readonly period: string;
    readonly value: number;
    readonly naive: number | null;
  }[];
  readonly actuals: readonly {
    readonly code: string;
    readonly period: string;
    readonly units: number;
  }[];
}

/**
 * What scores earlier adjustments: the adjustments that counted in cycles before `month`,
 * for months whose actuals have arrived, with the baselines and actuals of those months.
 */
export async function fvaArchive(db: Db, month: string): Promise<ArchiveRows> {
  const adjustments = await db
    .selectFrom('forecast_adjustments as a')
    .innerJoin('cycles as c', 'c.id', 'a.cycle_id')
    .innerJoin('families as f', 'f.id', 'a.family_id')
    .innerJoin('sales_history as s', (j) =>
      j.onRef('s.family_id', '=', 'a.family_id').onRef('s.period', '=', 'a.period'),
    )
    .selectAll('a')
    .select(['f.code', 'c.month'])
    .where('c.month', '<', month)
    .where('a.status', 'in', ['accepted', 'flagged'])
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  if (adjustments.length === 0) return { adjustments: [], baselines: [], actuals: [] };
  const cycleIds = [...new Set(adjustments.map((a) => a.cycle_id))];
  const familyIds = [...new Set(adjustments.map((a) => a.family_id))];
  const [baselines, actuals] = await Promise.all([
    db
      .selectFrom('baseline_forecasts')
      .select(['cycle_id', 'family_id', 'period', 'value', 'naive'])
      .where('cycle_id', 'in', cycleIds)
      .where('family_id', 'in', familyIds)
      .execute(),
    db
      .selectFrom('sales_history as s')
      .innerJoin('families as f', 'f.id', 's.family_id')
      .select(['f.code', 's.period', 's.units'])
      .where('s.family_id', 'in', familyIds)
      .execute(),
  ]);
  return { adjustments, baselines, actuals };
}

export interface ScenarioFamilyRow extends PlanFamilyRow {
  readonly scenarioId: string;
  readonly familyId: number;
  readonly period: string;
}

/** Result rows of some families in some scenarios (all months), by scenario, family, month. */
export async function scenarioFamilyRows(
  db: Db,
  scenarioIds: readonly string[],
  familyIds: readonly number[],
): Promise<ScenarioFamilyRow[]> {
  if (scenarioIds.length === 0 || familyIds.length === 0) return [];
  const rows = await familyResultRows(db)
    .where('plan_family_results.scenario_id', 'in', [...scenarioIds])
    .where('plan_family_results.family_id', 'in', [...familyIds])
    .orderBy('plan_family_results.scenario_id')
    .orderBy('plan_family_results.family_id')
    .orderBy('plan_family_results.period')
    .execute();
  return rows.map((r) => ({ ...toFamilyResult(r), scenarioId: String(r.scenario_id) }));
}

export interface ScenarioResourceRow {
  readonly scenarioId: string;
  readonly resourceId: number;
  readonly period: string;
  readonly load: number;
  readonly capacity: number;
  readonly overtime: number;
  readonly workers: number | null;
}

export async function scenarioResourceRows(
  db: Db,
  scenarioIds: readonly string[],
  resourceIds: readonly number[],
): Promise<ScenarioResourceRow[]> {
  if (scenarioIds.length === 0 || resourceIds.length === 0) return [];
  const rows = await db
    .selectFrom('plan_resource_results')
    .select(['scenario_id', 'resource_id', 'period', 'load', 'capacity', 'overtime', 'workers'])
    .where('scenario_id', 'in', [...scenarioIds])
    .where('resource_id', 'in', [...resourceIds])
    .execute();
  return rows.map((r) => ({
    scenarioId: String(r.scenario_id),
    resourceId: r.resource_id,
    period: r.period,
    load: r.load,
    capacity: r.capacity,
    overtime: r.overtime,
    workers: r.workers,
  }));
}

/** The families that load a resource, with their load per unit. */
export async function loadsOnResource(
  db: Db,
  resourceId: number,
): Promise<{ familyId: number; code: string; perUnit: number }[]> {
  const rows = await db
    .selectFrom('resource_loads as l')
    .innerJoin('families as f', 'f.id', 'l.family_id')
    .select(['l.family_id', 'f.code', 'l.load_per_unit'])
    .where('l.resource_id', '=', resourceId)
    .where('f.active', '=', true)
    .orderBy(inCodeOrder('f.code'))
    .execute();
  return rows.map((r) => ({ familyId: r.family_id, code: r.code, perUnit: r.load_per_unit }));
}

/**
 * Display names of people: what Slack last gave the bot (`slack_user_names`), else the name
 * stored with the member; ids with neither are left out.
 */
export async function memberNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('members')
    .select(['slack_user_id', 'display_name'])
    .where('slack_user_id', 'in', [...ids])
    .execute();
  const names = new Map(
    rows.flatMap((r) => (r.display_name ? [[r.slack_user_id, r.display_name] as const] : [])),
  );
  // The name Slack last gave (the bot's users.info cache) wins over one stored with the member.
  for (const [id, name] of await storedUserNames(db, ids)) names.set(id, name);
  return names;
}

/** The open cycle (`openCycle`, the one definition), else the latest closed one. */
export async function currentCycle(
  db: Db,
): Promise<{ id: number; month: string; closed: boolean } | null> {
  const row =
    (await openCycle(db)) ?? (await latestCycleWhere(db, (eb) => eb('phase', '=', 'closed')));
  return row ? { id: row.id, month: row.month, closed: row.phase === 'closed' } : null;
}

export async function cycleByMonth(
  db: Db,
  month: string,
): Promise<{ id: number; month: string; closed: boolean } | null> {
  const row = await db
    .selectFrom('cycles')
    .select(['id', 'month', 'phase'])
    .where('month', '=', month)
    .executeTakeFirst();
  return row ? { id: row.id, month: row.month, closed: row.phase === 'closed' } : null;
}

export interface StoredResourceDual {
  readonly scenarioId: string;
  readonly resourceId: number;
  readonly period: string;
  /** null when the solver gave no duals (an integer program). */
  readonly shadowPrice: number | null;
  /**
   * `exact`: what one more unit saves; `rate`: the dual, at most that (core's PriceKind);
   * null with no price, or for a run stored before the kind was kept (read as a bound).
   */
  readonly shadowPriceKind: PriceKind | null;
  readonly overtimeShadowPrice: number | null;
  /** The most overtime the plan allowed that month. */
  readonly overtimeLimit: number | null;
}

/** Writes a run's shadow prices (the caller owns the transaction). */
export async function insertResourceDuals(
  trx: Db,
  rows: readonly StoredResourceDual[],
): Promise<void> {
  for (const chunk of chunksOf(rows, 10_000)) {
    await trx
      .insertInto('plan_resource_duals')
      .values(
        chunk.map((r) => ({
          scenario_id: r.scenarioId,
          resource_id: r.resourceId,
          period: r.period,
          shadow_price: r.shadowPrice,
          shadow_price_kind: r.shadowPriceKind,
          overtime_shadow_price: r.overtimeShadowPrice,
          overtime_limit: r.overtimeLimit,
        })),
      )
      .execute();
  }
}

/** Shadow prices of a scenario, for some resources (all when none are named). */
export async function resourceDuals(
  db: Db,
  scenarioId: string,
  resourceIds?: readonly number[],
): Promise<StoredResourceDual[]> {
  if (resourceIds && resourceIds.length === 0) return [];
  let q = db.selectFrom('plan_resource_duals').selectAll().where('scenario_id', '=', scenarioId);
  if (resourceIds) q = q.where('resource_id', 'in', [...resourceIds]);
  const rows = await q.execute();
  return rows.map((r) => ({
    scenarioId: String(r.scenario_id),
    resourceId: r.resource_id,
    period: r.period,
    shadowPrice: r.shadow_price,
    shadowPriceKind: r.shadow_price_kind,
    overtimeShadowPrice: r.overtime_shadow_price,
    overtimeLimit: r.overtime_limit,
  }));
}

/** The `limit` resource-months whose capacity is worth most in a scenario (price > 0). */
export async function topShadowPrices(
  db: Db,
  scenarioId: string,
  limit: number,
): Promise<
  {
    code: string;
    period: string;
    shadowPrice: number;
    shadowPriceKind: PriceKind | null;
    unit: string;
  }[]
> {
  const rows = await db
    .selectFrom('plan_resource_duals as d')
    .innerJoin('resources as r', 'r.id', 'd.resource_id')
    .select(['r.code', 'r.unit', 'd.period', 'd.shadow_price', 'd.shadow_price_kind'])
    .where('d.scenario_id', '=', scenarioId)
    .where('d.shadow_price', '>', 1e-6)
    .orderBy('d.shadow_price', 'desc')
    .orderBy('d.period')
    .orderBy(inCodeOrder('r.code'))
    .limit(limit)
    .execute();
  // The filter above keeps positive prices only; nulls never pass it.
  return rows.map((r) => ({
    code: r.code,
    period: r.period,
    shadowPrice: r.shadow_price ?? 0,
    shadowPriceKind: r.shadow_price_kind,
    unit: r.unit,
  }));
}

export interface StoredFamilyDual {
  readonly scenarioId: string;
  readonly familyId: number;
  readonly period: string;
  /** null when no plan meets one more unit (`unserved`). */
  readonly demandPrice: number | null;
  /** Core's DemandPriceKind; null for a run stored before the kind was kept. */
  readonly demandPriceKind: DemandPriceKind | null;
}

/** Writes a run's marginal costs of demand (the caller owns the transaction). */
export async function insertFamilyDuals(trx: Db, rows: readonly StoredFamilyDual[]): Promise<void> {
  for (const chunk of chunksOf(rows, 10_000)) {
    await trx
      .insertInto('plan_family_duals')
      .values(
        chunk.map((r) => ({
          scenario_id: r.scenarioId,
          family_id: r.familyId,
          period: r.period,
          demand_price: r.demandPrice,
          demand_price_kind: r.demandPriceKind,
        })),
      )
      .execute();
  }
}

/** What one more unit demanded costs, and how that was had, per month of one family. */
export async function familyDuals(
  db: Db,
  scenarioId: string,
  familyId: number,
): Promise<Map<string, { price: number | null; kind: DemandPriceKind | null }>> {
  const rows = await db
    .selectFrom('plan_family_duals')
    .select(['period', 'demand_price', 'demand_price_kind'])
    .where('scenario_id', '=', scenarioId)
    .where('family_id', '=', familyId)
    .execute();
  return new Map(rows.map((r) => [r.period, { price: r.demand_price, kind: r.demand_price_kind }]));
}
