/**
 * Reads and writes of the performance review: forecast snapshots (append-only), and the
 * actuals and plans of a window of months, each in one query, mapped to core's shapes.
 */
import type { PlanLine, ReviewFamily, SnapshotLine } from '../../src/core/review.js';
import type { Db } from '../connect.js';
import type { CycleRow, PlanScenarioRow } from '../schema.js';
import { latestCycleWhere } from './cycles.js';
import { centralOf, familyResultsByScenario } from './plan-results.js';
import { latestRun, runScenarios } from './plan-runs.js';
import { chunksOf, inCodeOrder } from './shared.js';

export interface NewSnapshot {
  readonly cycleId: number;
  readonly familyId: number;
  readonly period: string;
  readonly lag: number;
  readonly naive: number;
  readonly baseline: number;
  readonly consensus: number;
  readonly steps: SnapshotLine['steps'];
}

/** Insert snapshots; rows that exist are kept as they are (snapshots never change). */
export async function insertSnapshots(db: Db, rows: readonly NewSnapshot[]): Promise<number> {
  let inserted = 0;
  for (const chunk of chunksOf(rows, 2000)) {
    const r = await db
      .insertInto('forecast_snapshots')
      .values(
        chunk.map((s) => ({
          cycle_id: s.cycleId,
          family_id: s.familyId,
          period: s.period,
          lag: s.lag,
          naive: s.naive,
          baseline: s.baseline,
          consensus: s.consensus,
          steps: JSON.stringify(s.steps),
        })),
      )
      .onConflict((oc) => oc.columns(['cycle_id', 'family_id', 'period', 'lag']).doNothing())
      .executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/** Of the given cycles, those that kept snapshots. */
export async function cyclesWithSnapshots(
  db: Db,
  cycleIds: readonly number[],
): Promise<Set<number>> {
  if (cycleIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('forecast_snapshots')
    .select('cycle_id')
    .distinct()
    .where('cycle_id', 'in', [...cycleIds])
    .execute();
  return new Set(rows.map((r) => r.cycle_id));
}

/** A cycle's baseline (value and naive) for the given months. */
export async function baselineFor(
  db: Db,
  cycleId: number,
  periods: readonly string[],
): Promise<{ familyId: number; period: string; value: number; naive: number | null }[]> {
  if (periods.length === 0) return [];
  const rows = await db
    .selectFrom('baseline_forecasts')
    .select(['family_id', 'period', 'value', 'naive'])
    .where('cycle_id', '=', cycleId)
    .where('period', 'in', periods)
    .execute();
  return rows.map((r) => ({
    familyId: r.family_id,
    period: r.period,
    value: r.value,
    naive: r.naive,
  }));
}

/** Cycles by month, oldest first, up to and including `month`. */
export async function cyclesUpTo(db: Db, month: string): Promise<CycleRow[]> {
  return db.selectFrom('cycles').selectAll().where('month', '<=', month).orderBy('month').execute();
}

export async function reviewFamilies(db: Db): Promise<(ReviewFamily & { id: number })[]> {
  const rows = await db
    .selectFrom('families')
    .select(['id', 'code', 'unit_cost', 'price'])
    .orderBy(inCodeOrder('code'))
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, unitCost: r.unit_cost, price: r.price }));
}

/** Snapshots of the months from..to (inclusive), whatever cycle made them. */
export async function snapshotsBetween(db: Db, from: string, to: string): Promise<SnapshotLine[]> {
  const rows = await db
    .selectFrom('forecast_snapshots')
    .innerJoin('families', 'families.id', 'forecast_snapshots.family_id')
    .select([
      'families.code',
      'forecast_snapshots.period',
      'forecast_snapshots.lag',
      'forecast_snapshots.naive',
      'forecast_snapshots.baseline',
      'forecast_snapshots.consensus',
      'forecast_snapshots.steps',
    ])
    .where('forecast_snapshots.period', '>=', from)
    .where('forecast_snapshots.period', '<=', to)
    .execute();
  return rows.map((r) => ({
    family: r.code,
    period: r.period,
    lag: r.lag,
    naive: r.naive,
    baseline: r.baseline,
    consensus: r.consensus,
    steps: r.steps,
  }));
}

/** The monthly actuals of from..to (inclusive): sales, production, month-end stock. */
export async function actualsBetween(db: Db, from: string, to: string) {
  const [sales, production, inventory] = await Promise.all([
    db
      .selectFrom('sales_history')
      .innerJoin('families', 'families.id', 'sales_history.family_id')
      .select(['families.code as family', 'period', 'units', 'revenue'])
      .where('period', '>=', from)
      .where('period', '<=', to)
      .execute(),
    db
      .selectFrom('production_actuals')
      .innerJoin('families', 'families.id', 'production_actuals.family_id')
      .select(['families.code as family', 'period', 'units'])
      .where('period', '>=', from)
      .where('period', '<=', to)
      .execute(),
    db
      .selectFrom('inventory_snapshots')
      .innerJoin('families', 'families.id', 'inventory_snapshots.family_id')
      .select(['families.code as family', 'period', 'on_hand as onHand', 'backlog'])
      .where('period', '>=', from)
      .where('period', '<=', to)
      .execute(),
  ]);
  return { sales, production, inventory };
}

/** Order lines requested in the months from..to (inclusive). */
export async function ordersBetween(db: Db, from: string, to: string) {
  const rows = await db
    .selectFrom('order_lines')
    .innerJoin('families', 'families.id', 'order_lines.family_id')
    .select([
      'families.code as family',
      'requested_date',
      'shipped_date',
      'ordered_qty',
      'shipped_qty',
    ])
    .where('requested_date', '>=', `${from}-01`)
    .where('requested_date', '<=', `${to}-31`)
    .execute();
  return rows.map((r) => ({
    family: r.family,
    requestedDate: r.requested_date,
    shippedDate: r.shipped_date,
    ordered: r.ordered_qty,
    shipped: r.shipped_qty,
  }));
}

/** The family results of several scenarios at once, by scenario id. */
export async function planLines(
  db: Db,
  scenarioIds: readonly string[],
): Promise<Map<string, PlanLine[]>> {
  const results = await familyResultsByScenario(db, scenarioIds);
  return new Map(
    [...results].map(([id, rows]) => [
      id,
      rows.map((r) => ({
        family: r.code,
        period: r.period,
        demand: r.demand,
        production: r.production,
        inventory: r.inventory,
        backlog: r.backlog,
        revenue: r.revenue,
      })),
    ]),
  );
}

/** The scenario a cycle's numbers are read from: the adopted one, else the latest central. */
export async function referenceScenario(
  db: Db,
  cycle: Pick<CycleRow, 'id' | 'adopted_scenario_id'>,
): Promise<{ runId: string; scenario: PlanScenarioRow; adopted: boolean } | null> {
  if (cycle.adopted_scenario_id) {
    const s = await db
      .selectFrom('plan_scenarios')
      .selectAll()
      .where('id', '=', cycle.adopted_scenario_id)
      .executeTakeFirst();
    if (s) return { runId: s.run_id, scenario: s, adopted: true };
  }
  const run = await latestRun(db, cycle.id);
  if (!run) return null;
  const s = centralOf(await runScenarios(db, run.id));
  return s ? { runId: run.id, scenario: s, adopted: false } : null;
}

/** The cycle before `month`, if any. */
export async function previousCycle(db: Db, month: string): Promise<CycleRow | null> {
  return latestCycleWhere(db, (eb) => eb('month', '<', month));
}
