/** What the run charts read besides the run itself: cycles, sales history, baselines. */
import type { Db } from '../connect.js';
import { familyBaselineLines } from './baselines.js';

/**
 * Closed cycles of months before `before`, oldest first. Closed by phase, as `openCycle`
 * decides: closed_at only records when a cycle entered `closed`, and stays on a cycle put
 * back into a phase.
 */
export async function closedCyclesBefore(
  db: Db,
  before: string,
): Promise<{ id: number; month: string }[]> {
  return db
    .selectFrom('cycles')
    .select(['id', 'month'])
    .where('phase', '=', 'closed')
    .where('month', '<', before)
    .orderBy('month')
    .execute();
}

export async function cycleMonthOf(
  db: Db,
  cycleId: number,
): Promise<{ id: number; month: string } | undefined> {
  return db
    .selectFrom('cycles')
    .select(['id', 'month'])
    .where('id', '=', cycleId)
    .executeTakeFirst();
}

/** Every family's sales history. */
export async function allSales(
  db: Db,
): Promise<{ family_id: number; period: string; units: number }[]> {
  return db.selectFrom('sales_history').select(['family_id', 'period', 'units']).execute();
}

/** The cycle's baseline values from `from` to `to` (months, inclusive), every family. */
export async function baselineValuesBetween(
  db: Db,
  cycleId: number,
  from: string,
  to: string,
): Promise<{ family_id: number; period: string; value: number }[]> {
  return db
    .selectFrom('baseline_forecasts')
    .select(['family_id', 'period', 'value'])
    .where('cycle_id', '=', cycleId)
    .where('period', '>=', from)
    .where('period', '<=', to)
    .execute();
}

/** One family's baseline with its prediction intervals over `periods`, by period. */
export async function familyBaseline(
  db: Db,
  cycleId: number,
  familyId: number,
  periods: readonly string[],
) {
  return familyBaselineLines(db, cycleId, familyId)
    .where('period', 'in', [...periods])
    .execute();
}
