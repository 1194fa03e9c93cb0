/** What the meeting pack reads besides plan results: actuals, budget, risks and the vote. */
import type { Db } from '../connect.js';
import { adjustmentsWithCode } from './adjustments.js';
import { appliesToCycle, openConstraints } from './capacity.js';
import { decisionsNewestFirst } from './decisions.js';
import { firstOrNull, inCodeOrder } from './shared.js';

/** Units sold per family code and month, for months before `month`. */
export async function salesBefore(
  db: Db,
  month: string,
): Promise<{ code: string; period: string; units: number }[]> {
  return db
    .selectFrom('sales_history')
    .innerJoin('families', 'families.id', 'sales_history.family_id')
    .select(['families.code', 'sales_history.period', 'sales_history.units'])
    .where('sales_history.period', '<', month)
    .execute();
}

/** Budget volume and revenue per family code for `periods`. */
export async function budgetIn(
  db: Db,
  periods: readonly string[],
): Promise<{ code: string; period: string; volume: number; revenue: number }[]> {
  if (periods.length === 0) return [];
  return db
    .selectFrom('budget')
    .innerJoin('families', 'families.id', 'budget.family_id')
    .select(['families.code', 'budget.period', 'budget.volume', 'budget.revenue'])
    .where('budget.period', 'in', [...periods])
    .execute();
}

/** One month of an open constraint; its request and resource make its months one constraint. */
export interface OpenConstraintLine {
  readonly id: string;
  readonly resource_id: number;
  readonly request_key: string;
  readonly code: string;
  readonly period: string;
  readonly reason_code: string;
  readonly comment: string | null;
  readonly cycle_id: number | null;
  /** The month of the cycle it was entered in; null: tied to no cycle. */
  readonly entered_in: string | null;
}

/**
 * The open constraints of the cycle (`openConstraints` + `appliesToCycle`: its own, earlier
 * cycles' still open and standing ones, for its months), by period then resource code.
 */
export async function openConstraintLines(db: Db, cycleId: number): Promise<OpenConstraintLine[]> {
  return openConstraints(db)
    .leftJoin('cycles as entered_cycle', 'entered_cycle.id', 'capacity_updates.cycle_id')
    .select([
      'capacity_updates.id',
      'capacity_updates.resource_id',
      'capacity_updates.request_key',
      'resources.code',
      'capacity_updates.period',
      'capacity_updates.reason_code',
      'capacity_updates.comment',
      'capacity_updates.cycle_id',
      'entered_cycle.month as entered_in',
    ])
    .where(appliesToCycle(cycleId))
    .orderBy('capacity_updates.period')
    .orderBy(inCodeOrder('resources.code'))
    .execute();
}

/** The cycle's accepted and flagged adjustments, by family code then period. */
export async function standingAdjustments(db: Db, cycleId: number) {
  return adjustmentsWithCode(db)
    .where('forecast_adjustments.cycle_id', '=', cycleId)
    .where('forecast_adjustments.status', 'in', ['accepted', 'flagged'])
    .orderBy(inCodeOrder('families.code'))
    .orderBy('forecast_adjustments.period')
    .execute();
}

/** The cycle's newest poll. */
export async function latestPollOf(
  db: Db,
  cycleId: number,
): Promise<{ id: string; status: 'open' | 'closed' } | null> {
  return firstOrNull(
    db
      .selectFrom('polls')
      .select(['id', 'status'])
      .where('cycle_id', '=', cycleId)
      .orderBy('id', 'desc'),
  );
}

/** The scenario label and decider of the cycle's newest decision. */
export async function latestDecisionOf(
  db: Db,
  cycleId: number,
): Promise<{ id: string; label: string; decided_by: string; rationale: string } | null> {
  return firstOrNull(
    decisionsNewestFirst(db, cycleId).select([
      'decisions.id',
      'plan_scenarios.label',
      'decisions.decided_by',
      'decisions.rationale',
    ]),
  );
}
