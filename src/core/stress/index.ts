/**
 * The stress test of a set of scenarios: one set of demand samples, every scenario's plan
 * played against it, and the figures the grid shows (expected, P10 and P90).
 */
import type { BudgetLine } from '../company.js';
import {
  type BillGap,
  monthlyCash,
  type OpeningPayables,
  type OpeningReceivables,
} from '../finance.js';
import { periodIndex } from '../period.js';
import { quantileSorted } from '../random.js';
import { type CashSettings, DEFAULT_CASH } from '../scenarios/schema.js';
import { familyCost, type PlanProblem } from '../supply/problem.js';
import type { SolvedPlan } from '../supply/solve.js';
import {
  type DemandDistribution,
  demandDistribution,
  type SamplingOptions,
  sampleDemand,
} from './demand.js';
import { type StressInput, type StressSamples, stressPlan } from './simulate.js';
import { type DemandTails, demandTail } from './tails.js';

export * from './demand.js';
export * from './simulate.js';
export * from './tails.js';

/** Expected value (mean over samples) and the 10th and 90th percentiles of a figure. */
export interface Spread {
  readonly expected: number;
  readonly p10: number;
  readonly p90: number;
}

export interface StressSummary {
  readonly samples: number;
  readonly fillRate: Spread;
  readonly margin: Spread;
  readonly revenue: Spread;
  readonly cashFlow: Spread;
  readonly cashCost: Spread;
  readonly penaltyCost: Spread;
  readonly endingInventoryValue: Spread;
  readonly excessInventoryValue: Spread;
  readonly writtenOffValue: Spread;
  readonly peakWorkingCapital: Spread;
  /**
   * Expected cash generated to date at each month's end: the cumulative net operating cash
   * from $0, not a balance.
   */
  readonly cumulativeCash: readonly number[];
  /** 10th percentile of the cash generated to date at each month's end. */
  readonly cumulativeCashP10: readonly number[];
  /** The budget's cumulative cash and peak working capital on the same terms; null without. */
  readonly budget: BudgetCash | null;
  /**
   * Expected peak working capital over the budget's months (its `cumulativeCash` months: a
   * budget that ends before the horizon is not set against the plan's later months); absent
   * without a budget.
   */
  readonly peakWorkingCapitalInBudget?: number;
  /** Its bad case there: the P90 of the samples' peaks over the budget's months. */
  readonly peakWorkingCapitalInBudgetP90?: number;
  /**
   * What customers owed when the horizon began, whose collections the cash counts (the same
   * for every scenario and the budget); absent when they are not counted.
   */
  readonly openingReceivables?: number;
  /**
   * What the company owed for the production of the months before the horizon, whose
   * payments the cash counts (the same for every scenario and the budget); absent when they
   * are not counted.
   */
  readonly openingPayables?: number;
  /**
   * True when `openingPayables` is estimated from the sales of those months at unit cost, the
   * production actuals not giving it (openingLeftOut's `billsEstimated`).
   */
  readonly openingPayablesEstimated?: boolean;
  /**
   * Without `openingPayables`, or with it estimated, when a family still producing lacks a month's row: that family
   * and month, for the words (openingLeftOut's `billsGap`).
   */
  readonly openingPayablesGap?: BillGap;
  /**
   * Which way demand runs in the bad case of the stock, the cash (to the budget's last month)
   * and the fill rate (`demandTail`); absent from runs stored before it was kept.
   */
  readonly demandTails?: DemandTails;
}

/**
 * The plan's expected peak working capital against the budget's, over the months the budget
 * covers (`peakWorkingCapitalInBudget`; a summary without it, over the horizon); positive: the
 * plan ties up more cash. Null without a budget.
 */
export function workingCapitalVsBudget(x: StressSummary): number | null {
  if (!x.budget) return null;
  return (
    (x.peakWorkingCapitalInBudget ?? x.peakWorkingCapital.expected) - x.budget.peakWorkingCapital
  );
}

/**
 * The bad case (P90) of the plan's peak working capital over the budget's months against the
 * budget's peak, as `workingCapitalVsBudget` sets the expected peak; positive: more cash tied
 * up than the budget's. Null without a budget, and for a summary from before it was kept.
 */
export function workingCapitalP90VsBudget(x: StressSummary): number | null {
  if (!x.budget || x.peakWorkingCapitalInBudgetP90 === undefined) return null;
  return x.peakWorkingCapitalInBudgetP90 - x.budget.peakWorkingCapital;
}

export function spreadOf(xs: Float64Array): Spread {
  const sorted = Float64Array.from(xs).sort();
  let sum = 0;
  for (const x of xs) sum += x;
  return {
    expected: xs.length > 0 ? sum / xs.length : 0,
    p10: quantileSorted(sorted, 0.1),
    p90: quantileSorted(sorted, 0.9),
  };
}

export function summarise(
  x: StressSamples,
  T: number,
  budget: BudgetCash | null = null,
  opening: OpeningReceivables | null = null,
  bills: OpeningPayables | null = null,
): StressSummary {
  const S = x.samples;
  // The budget's months: from the plan's first to the budget's last in the horizon.
  const budgetMonths = budget ? Math.min(T, budget.cumulativeCash.length) : 0;
  const inBudget = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let peak = -Infinity;
    for (let t = 0; t < budgetMonths; t++)
      peak = Math.max(peak, x.workingCapitalByMonth[s * T + t]!);
    inBudget[s] = peak;
  }
  const inBudgetSpread = spreadOf(inBudget);
  const cumulative: number[] = [];
  const cumulativeP10: number[] = [];
  const running = new Float64Array(S);
  for (let t = 0; t < T; t++) {
    let sum = 0;
    for (let s = 0; s < S; s++) {
      running[s] = running[s]! + x.cashByMonth[s * T + t]!;
      sum += running[s]!;
    }
    cumulative.push(S > 0 ? sum / S : 0);
    cumulativeP10.push(quantileSorted(Float64Array.from(running).sort(), 0.1));
  }
  return {
    samples: S,
    fillRate: spreadOf(x.fillRate),
    margin: spreadOf(x.margin),
    revenue: spreadOf(x.revenue),
    cashFlow: spreadOf(x.cashFlow),
    cashCost: spreadOf(x.cashCost),
    penaltyCost: spreadOf(x.penaltyCost),
    endingInventoryValue: spreadOf(x.endingInventoryValue),
    excessInventoryValue: spreadOf(x.excessInventoryValue),
    writtenOffValue: spreadOf(x.writtenOffValue),
    peakWorkingCapital: spreadOf(x.peakWorkingCapital),
    cumulativeCash: cumulative,
    cumulativeCashP10: cumulativeP10,
    budget,
    ...(budgetMonths > 0 && S > 0
      ? {
          peakWorkingCapitalInBudget: inBudgetSpread.expected,
          peakWorkingCapitalInBudgetP90: inBudgetSpread.p90,
        }
      : {}),
    ...(opening ? { openingReceivables: opening.total } : {}),
    ...(bills ? { openingPayables: bills.total } : {}),
    ...(bills?.estimated ? { openingPayablesEstimated: true } : {}),
  };
}

/** The demand samples every scenario is played against. */
export interface DemandSamples {
  readonly distribution: DemandDistribution;
  /** At (s*F+f)*T+t. */
  readonly demand: Float64Array;
}

export function drawDemand(
  base: PlanProblem,
  sampling: SamplingOptions,
  widen?: ReadonlyMap<string, number>,
): DemandSamples {
  const distribution = demandDistribution(base, widen);
  return { distribution, demand: sampleDemand(distribution, sampling) };
}

export interface StressRunOptions {
  readonly fixedMonths: number;
  readonly cash?: CashSettings;
  readonly replanLiquid?: boolean;
  readonly budget?: BudgetCash | null;
  /** Invoices open when the horizon began (`openingReceivables`); null: not counted. */
  readonly opening?: OpeningReceivables | null;
  /** Bills open when the horizon began (`openingPayables`); null: not counted. */
  readonly bills?: OpeningPayables | null;
}

/**
 * Which way demand runs in the bad case of the trade-off sentence's figures (`demandTail`):
 * each sample's demand valued at the scenario's prices when every family has one in every
 * month, else in units (a family with no price would count as $0, and its demand not at all),
 * over the horizon for the stock and the fill rate, over the budget's months (`cashMonths`)
 * for the cash, whose cumulative net cash there is the figure.
 */
export function demandTailsOf(
  problem: PlanProblem,
  demand: Float64Array,
  x: StressSamples,
  cashMonths: number,
): DemandTails {
  const T = problem.periods.length;
  const F = problem.families.length;
  const S = x.samples;
  const price = new Float64Array(F * T);
  // By price only when every family has one in every month: otherwise in units.
  let priced = F > 0 && T > 0;
  problem.families.forEach((f, i) => {
    problem.periods.forEach((t, j) => {
      const v = familyCost(f, 'price', t);
      price[i * T + j] = v;
      if (!(v > 0)) priced = false;
    });
  });
  const n = Math.max(0, Math.min(T, cashMonths));
  const all = new Float64Array(S);
  const early = new Float64Array(S);
  const cash = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    for (let f = 0; f < F; f++)
      for (let t = 0; t < T; t++) {
        const k = f * T + t;
        const v = (demand[s * F * T + k] ?? 0) * (priced ? price[k]! : 1);
        all[s] = all[s]! + v;
        if (t < n) early[s] = early[s]! + v;
      }
    for (let t = 0; t < n; t++) cash[s] = cash[s]! + x.cashByMonth[s * T + t]!;
  }
  return {
    excessStock: demandTail(x.excessInventoryValue, all, 'high'),
    cash: demandTail(cash, early, 'low'),
    fillRate: demandTail(x.fillRate, all, 'low'),
  };
}

/** Plays one scenario's plan against the samples and summarises it. */
export function stressScenario(
  input: StressInput,
  samples: DemandSamples,
  opts: StressRunOptions,
): StressSummary {
  const x = stressPlan(input, samples.demand, samples.distribution.median, {
    fixedMonths: opts.fixedMonths,
    ...(opts.cash ? { cash: opts.cash } : {}),
    ...(opts.replanLiquid === undefined ? {} : { replanLiquid: opts.replanLiquid }),
    opening: opts.opening ?? null,
    bills: opts.bills ?? null,
  });
  const T = input.problem.periods.length;
  const budget = opts.budget ?? null;
  return {
    ...summarise(x, T, budget, opts.opening ?? null, opts.bills ?? null),
    demandTails: demandTailsOf(
      input.problem,
      samples.demand,
      x,
      budget ? Math.min(T, budget.cumulativeCash.length) : T,
    ),
  };
}

export interface BudgetCash {
  /**
   * Cumulative net cash of the budget at each month's end, from the plan's first month to the
   * budget's last: a budget that ends before the horizon is not extended with empty months.
   */
  readonly cumulativeCash: readonly number[];
  readonly peakWorkingCapital: number;
}

/**
 * The budget's cash on the same terms: budget revenue collected after DSO, budget volume at
 * its full unit cost paid after DPO, and stock that keeps each family's opening cover
 * (opening stock × budget volume of the month / the family's budget volume in its first
 * budgeted month, so a family budgeted from a later month, a launch, is not divided by a
 * missing month; a family budgeted at volume 0 throughout holds no budget stock). The
 * budget has volumes and revenue but no costs: its full unit cost is the unit cost times
 * `costFactor`, the central plan's cash costs over its cost of materials (production and
 * subcontracting), so the budget carries the same workforce, overtime and holding costs per
 * unit as the plan. Up to the budget's last month in the horizon; null without budget lines
 * for the plan's months, and null when no line is for the plan's first month: the plan's cash
 * of the months before the budget starts (and, after them, its collections of those months'
 * sales) would be set against nothing, a gap to the budget that is no shortfall of the budget.
 * The invoices open when the horizon began (`opening`) are collected in the budget's months as
 * in every plan's, and the bills open then (`bills`) paid as in every plan's.
 */
export function budgetCash(
  base: PlanProblem,
  budget: readonly BudgetLine[],
  cash: CashSettings = DEFAULT_CASH,
  costFactor = 1,
  opening: OpeningReceivables | null = null,
  bills: OpeningPayables | null = null,
): BudgetCash | null {
  const T = base.periods.length;
  const tIdx = new Map(base.periods.map((t, i) => [t, i]));
  const fam = new Map(base.families.map((f) => [f.code, f]));
  const revenue = new Float64Array(T);
  const costs = new Float64Array(T);
  const volume = new Map<string, Float64Array>();
  let last = -1;
  for (const b of budget) {
    const t = tIdx.get(b.period);
    const f = fam.get(b.family);
    if (t === undefined || !f) continue;
    last = Math.max(last, t);
    revenue[t] = revenue[t]! + b.revenue;
    costs[t] = costs[t]! + b.volume * f.unitCost * costFactor;
    const v = volume.get(b.family) ?? new Float64Array(T);
    v[t] = b.volume;
    volume.set(b.family, v);
  }
  if (last < 0) return null;
  const first = base.periods[0];
  if (!budget.some((b) => b.period === first && fam.has(b.family))) return null;
  const money = monthlyCash(revenue, costs, cash.dsoDays, cash.dpoDays, opening, bills);
  const cumulativeCash: number[] = [];
  let run = 0;
  let peak = -Infinity;
  for (let t = 0; t <= last; t++) {
    run += money.net[t]!;
    cumulativeCash.push(run);
    let stock = 0;
    for (const [code, v] of volume) {
      const f = fam.get(code)!;
      const ref = v.find((x) => x > 0);
      if (ref === undefined) continue;
      stock += f.initialInventory * f.unitCost * (v[t]! / ref);
    }
    peak = Math.max(peak, stock + money.receivables[t]! - money.payables[t]!);
  }
  return { cumulativeCash, peakWorkingCapital: peak };
}

/** Month index of a period in the problem's horizon (−1 when outside). */
export function monthIndex(problem: PlanProblem, period: string): number {
  const first = problem.periods[0];
  if (!first) return -1;
  const i = periodIndex(period) - periodIndex(first);
  return i >= 0 && i < problem.periods.length ? i : -1;
}

export type { SolvedPlan };
