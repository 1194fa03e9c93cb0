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

/**
 * The open actions the pack of the cycle of `month` follows up (question 10): those of
 * earlier cycles, and those weekly S&OE raised in this cycle (no decision set them) for a
 * deviation that is not a frozen-zone break (question 6 takes breaks up), before the cycle
 * closed (one S&OE filed under it after its meeting is the next pack's). This cycle's
 * decisions' actions are the meeting's own; a later cycle's are not yet this pack's.
 */
export async function openActionsForPack(db: Db, month: string) {
  return db
    .selectFrom('actions')
    .innerJoin('cycles', 'cycles.id', 'actions.cycle_id')
    .select([
      'actions.id',
      'actions.decision_id',
      'cycles.month as cycle',
      'actions.description',
      'actions.owner',
      'actions.due_date',
      'actions.status',
    ])
    .where('actions.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('cycles.month', '<', month),
        eb.and([
          eb('cycles.month', '=', month),
          eb('actions.decision_id', 'is', null),
          eb.or([
            eb('cycles.closed_at', 'is', null),
            eb('actions.created_at', '<', eb.ref('cycles.closed_at')),
          ]),
          eb.not(
            eb.exists(
              eb
                .selectFrom('deviations')
                .select('deviations.id')
                .whereRef('deviations.action_id', '=', 'actions.id')
                .where('deviations.frozen_break', '=', true),
            ),
          ),
        ]),
      ]),
    )
    .orderBy('actions.due_date')
    .orderBy('actions.id')
    .execute();
}
