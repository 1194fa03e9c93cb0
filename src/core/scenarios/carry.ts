/**
 * A scenario carried into the next cycle (src/services/scenario-carry.ts) keeps its levers,
 * order, label and assumptions, except where a month it names has passed:
 * - A demand or capacity change whose window ends (`to`) before the new cycle's first month
 *   changes no month the new cycle plans: it is dropped. One that runs into the new plan, or
 *   has no end, is kept as it is (its past months are simply not planned).
 * - A capacity investment whose first month (`from`) is before the new cycle's first month
 *   loses that month and starts in the default one, the new plan's fourth. Kept, it would give
 *   the capacity from the plan's first month, inside the frozen fence, and the stress test
 *   would pay for it in no month at all (it pays an investment in its month of the plan).
 *   The planner who wants it sooner sets the month again.
 * Each change comes back as a note, so the start's answer can say what happened.
 */
import { type Period, periodIndex } from '../period.js';
import { defaultInvestmentMonth, type ScenarioAssumptions } from '../scenarios.js';

/** One thing changed as a scenario was carried. */
export type CarryNote =
  | {
      readonly kind: 'window-ended';
      readonly lever: 'demand' | 'capacity';
      /** The family or resource code; null: every family. */
      readonly target: string | null;
      readonly pct: number;
      readonly from: Period | null;
      readonly to: Period;
    }
  | {
      readonly kind: 'investment-start-passed';
      /** The month it was to start in. */
      readonly was: Period;
      /** The month it starts in now: the default. */
      readonly now: Period;
    };

export interface CarriedScenario {
  readonly scenario: ScenarioAssumptions;
  readonly notes: readonly CarryNote[];
}

/** `a` as the cycle that plans `periods` (its months, first to last) takes it over. */
export function carryScenario(a: ScenarioAssumptions, periods: readonly Period[]): CarriedScenario {
  const first = periods[0];
  if (first === undefined) return { scenario: a, notes: [] };
  const past = (p: Period | undefined): p is Period =>
    p !== undefined && periodIndex(p) < periodIndex(first);
  const notes: CarryNote[] = [];
  const { demandChanges, capacityChanges, capacityInvestment, ...rest } = a;

  const demand = (demandChanges ?? []).filter((d) => {
    if (!past(d.to)) return true;
    notes.push({
      kind: 'window-ended',
      lever: 'demand',
      target: d.family ?? null,
      pct: d.pct,
      from: d.from ?? null,
      to: d.to,
    });
    return false;
  });
  const capacity = (capacityChanges ?? []).filter((c) => {
    if (!past(c.to)) return true;
    notes.push({
      kind: 'window-ended',
      lever: 'capacity',
      target: c.resource,
      pct: c.pct,
      from: c.from ?? null,
      to: c.to,
    });
    return false;
  });
  let investment = capacityInvestment;
  const now = defaultInvestmentMonth(periods);
  if (investment && past(investment.from) && now !== undefined) {
    notes.push({ kind: 'investment-start-passed', was: investment.from, now });
    const { from: _passed, ...kept } = investment;
    investment = kept;
  }
  if (notes.length === 0) return { scenario: a, notes };
  return {
    scenario: {
      ...rest,
      // A list that lost every entry is left out, as a scenario set without one is stored.
      ...(demand.length > 0 ? { demandChanges: demand } : {}),
      ...(capacity.length > 0 ? { capacityChanges: capacity } : {}),
      ...(investment ? { capacityInvestment: investment } : {}),
    },
    notes,
  };
}
