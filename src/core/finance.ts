/**
 * Money and stock figures of a solved plan (docs/plan-format.md, "Finance figures").
 *
 * - revenue: units delivered in the horizon × price. Delivered = demand − lost sales −
 *   (ending backlog − opening backlog).
 * - making cost: production + subcontract + overtime + workforce + hiring + layoffs + holding.
 * - gross margin: revenue − making cost + change in inventory value at unit cost (stock built
 *   is an asset, not a loss; stock run down was paid for before the horizon).
 * - days of supply: ending inventory / average daily demand of the last three plan months
 *   (the forward months the plan knows about).
 * - working capital vs budget: ending inventory value − the inventory value the budget
 *   implies, which keeps each family's opening cover: opening stock × (budget volume of the
 *   last plan month / demand of the first plan month). Families without budget lines for
 *   that month are left out of both sides; with no budget at all the figure is null.
 */
import type { BudgetLine } from './company.js';
import { daysInMonth } from './period.js';
import type { PlanProblem } from './supply/problem.js';
import type { SolvedPlan } from './supply/solve.js';

export interface PlanFinance {
  readonly revenue: number;
  readonly makingCost: number;
  readonly grossMargin: number;
  /** grossMargin / revenue; null without revenue. */
  readonly grossMarginPct: number | null;
  readonly endingInventoryValue: number;
  readonly averageInventoryValue: number;
  readonly openingInventoryValue: number;
  /** null when there is no demand in the last months. */
  readonly daysOfSupply: number | null;
  readonly budgetInventoryValue: number | null;
  /** Positive: the plan ties up more cash in stock than the budget implies. */
  readonly workingCapitalDelta: number | null;
}

export function planFinance(
  problem: PlanProblem,
  plan: SolvedPlan,
  budget: readonly BudgetLine[] = [],
): PlanFinance {
  const T = problem.periods.length;
  const last = problem.periods[T - 1]!;
  const first = problem.periods[0]!;
  const fam = new Map(problem.families.map((f) => [f.code, f]));
  let revenue = 0;
  let endingValue = 0;
  let valueSum = 0;
  let openingValue = 0;
  const firstDemand = new Map<string, number>();
  for (const f of problem.families) openingValue += f.initialInventory * f.unitCost;
  for (const r of plan.families) {
    const f = fam.get(r.family);
    if (!f) continue;
    valueSum += r.inventory * f.unitCost;
    if (r.period === last) endingValue += r.inventory * f.unitCost;
    if (r.period === first) firstDemand.set(r.family, r.demand);
  }
  const served = new Map<string, number>();
  const endRow = new Map<string, SolvedPlan['families'][number]>();
  for (const r of plan.families) {
    served.set(r.family, (served.get(r.family) ?? 0) + r.demand - r.lostSales);
    if (r.period === last) endRow.set(r.family, r);
  }
  for (const f of problem.families) {
    const endBacklog = endRow.get(f.code)?.backlog ?? 0;
    revenue += ((served.get(f.code) ?? 0) - (endBacklog - f.initialBacklog)) * f.price;
  }
  const c = plan.costs;
  const makingCost =
    c.production + c.subcontract + c.overtime + c.workforce + c.hiring + c.layoffs + c.holding;
  const grossMargin = revenue - makingCost + (endingValue - openingValue);

  const tail = problem.periods.slice(Math.max(0, T - 3));
  const tailSet = new Set(tail);
  let tailDemand = 0;
  let endingUnits = 0;
  for (const r of plan.families) {
    if (tailSet.has(r.period)) tailDemand += r.demand;
    if (r.period === last) endingUnits += r.inventory;
  }
  const tailDays = tail.reduce((a, t) => a + daysInMonth(t), 0);
  const daily = tailDemand / tailDays;

  let budgetValue: number | null = null;
  let planValueCovered = 0;
  for (const b of budget) {
    if (b.period !== last) continue;
    const f = fam.get(b.family);
    const d1 = firstDemand.get(b.family);
    if (!f || !d1) continue;
    budgetValue = (budgetValue ?? 0) + f.initialInventory * (b.volume / d1) * f.unitCost;
    planValueCovered += (endRow.get(b.family)?.inventory ?? 0) * f.unitCost;
  }
  return {
    revenue,
    makingCost,
    grossMargin,
    grossMarginPct: revenue > 0 ? grossMargin / revenue : null,
    endingInventoryValue: endingValue,
    averageInventoryValue: valueSum / T,
    openingInventoryValue: openingValue,
    daysOfSupply: daily > 0 ? endingUnits / daily : null,
    budgetInventoryValue: budgetValue,
    workingCapitalDelta: budgetValue === null ? null : planValueCovered - budgetValue,
  };
}
