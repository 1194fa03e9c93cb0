/**
 * Money and stock figures of a solved plan (docs/plan-format.md, "Finance figures").
 *
 * - revenue: units delivered in the horizon × price. Delivered = demand − lost sales −
 *   (ending backlog − opening backlog).
 * - making cost (the plan's cash costs): production + subcontract + overtime + workforce +
 *   hiring + layoffs + holding + a capacity investment. The model's penalty terms (backlog,
 *   lost sales, safety-stock shortfall) are not money anyone pays and are left out.
 * - margin, the one definition used everywhere (CLI, Slack, charts, pack): revenue − making
 *   cost + change in inventory value at cost (stock built is an asset, not a loss; stock
 *   run down was paid for before the horizon). See `margin` below.
 * - inventory value, first in first out (`stockValueFifo`): stock is sold and expires oldest
 *   first, so what is on hand are the units made last, each at the unit cost of the month it
 *   was made or bought in; opening stock at the first month's unit cost. With unit costs by
 *   month, stock made cheap and still on hand is not revalued at a later, dearer month's cost
 *   (that gain would be on paper only; nobody earned it).
 * - days of supply: ending inventory / average daily demand of the last three plan months
 *   (the forward months the plan knows about).
 * - working capital vs budget: ending inventory value (as above) − the inventory value the
 *   budget implies, which keeps each family's opening cover: opening stock × (budget volume
 *   of the last plan month / demand of the first plan month) at the family's standard unit
 *   cost (`unitCost`: the budget has no costs by month). Families without budget lines for
 *   that month are left out of both sides; with no budget at all the figure is null.
 */
import type { BudgetLine, Family, FamilyPeriodCost, SalesActual } from './company.js';
import { formatMoney } from './number-format.js';
import { addMonths, daysInMonth, type Period } from './period.js';
import { familyCost, type PlanProblem } from './supply/problem.js';
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

/** The one margin: revenue − the plan's cash costs + change in inventory value at cost. */
export function margin(
  revenue: number,
  cashCosts: number,
  openingInventoryValue: number,
  endingInventoryValue: number,
): number {
  return revenue - cashCosts + (endingInventoryValue - openingInventoryValue);
}

/**
 * Value at cost of the newest `units` of a family's stock at the end of month `t`, first in
 * first out: stock is sold and expires oldest first, so the units on hand are the ones made
 * last. They are valued at the unit cost of the month they were made or bought in, newest
 * month first (`made[j]` units at `cost[j]` in month j: production + subcontracting); what
 * the horizon's months do not cover is opening stock, at `openingCost`.
 */
export function stockValueFifo(
  units: number,
  t: number,
  made: ArrayLike<number>,
  cost: ArrayLike<number>,
  openingCost: number,
): number {
  let left = units;
  let value = 0;
  for (let j = t; j >= 0 && left > 0; j--) {
    const m = made[j] ?? 0;
    const take = m < left ? m : left;
    value += take * (cost[j] ?? 0);
    left -= take;
  }
  return left > 0 ? value + left * openingCost : value;
}

/**
 * Revenue of each row of `plan.families`, in its order: units delivered that month × that
 * month's price (an imported per-month price first). Delivered = demand not given up, less
 * what was added to the backlog. `planFinance`'s revenue is their sum.
 */
export function revenueByRow(problem: PlanProblem, plan: Pick<SolvedPlan, 'families'>): number[] {
  const fam = new Map(problem.families.map((f) => [f.code, f]));
  const prevBacklog = new Map(problem.families.map((f) => [f.code, f.initialBacklog]));
  return plan.families.map((r) => {
    const f = fam.get(r.family);
    if (!f) return 0;
    const before = prevBacklog.get(r.family) ?? 0;
    prevBacklog.set(r.family, r.backlog);
    return (r.demand - r.lostSales - (r.backlog - before)) * familyCost(f, 'price', r.period);
  });
}

export function planFinance(
  problem: PlanProblem,
  plan: SolvedPlan,
  budget: readonly BudgetLine[] = [],
  investmentCost = 0,
): PlanFinance {
  const T = problem.periods.length;
  const last = problem.periods[T - 1]!;
  const first = problem.periods[0]!;
  const fam = new Map(problem.families.map((f) => [f.code, f]));
  const tIdx = new Map(problem.periods.map((t, i) => [t, i]));
  let revenue = 0;
  let endingValue = 0;
  let valueSum = 0;
  let openingValue = 0;
  const firstDemand = new Map<string, number>();
  for (const f of problem.families)
    openingValue += f.initialInventory * familyCost(f, 'unitCost', first);
  // Units made (produced + bought), unit cost and stock of each family by month.
  const byFamily = new Map<
    string,
    { made: Float64Array; cost: Float64Array; stock: Float64Array }
  >();
  for (const f of problem.families)
    byFamily.set(f.code, {
      made: new Float64Array(T),
      cost: Float64Array.from(problem.periods, (t) => familyCost(f, 'unitCost', t)),
      stock: new Float64Array(T),
    });
  for (const r of plan.families) {
    const x = byFamily.get(r.family);
    const t = tIdx.get(r.period);
    if (!x || t === undefined) continue;
    x.made[t] = r.production + r.subcontract;
    x.stock[t] = r.inventory;
    if (t === 0) firstDemand.set(r.family, r.demand);
  }
  const endValueOf = new Map<string, number>();
  for (const [code, x] of byFamily) {
    const openingCost = x.cost[0] ?? 0;
    for (let t = 0; t < T; t++) {
      const value = stockValueFifo(x.stock[t]!, t, x.made, x.cost, openingCost);
      valueSum += value;
      if (t === T - 1) {
        endingValue += value;
        endValueOf.set(code, value);
      }
    }
  }
  for (const v of revenueByRow(problem, plan)) revenue += v;
  const c = plan.costs;
  const makingCost =
    c.production +
    c.subcontract +
    c.overtime +
    c.workforce +
    c.hiring +
    c.layoffs +
    c.holding +
    (c.scrap ?? 0) +
    investmentCost;
  const grossMargin = margin(revenue, makingCost, openingValue, endingValue);

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
    planValueCovered += endValueOf.get(b.family) ?? 0;
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

/**
 * Amounts of each month received or paid `days` later. A month's amount is spread evenly
 * over the month (months counted as 30 days), so with days = 30k + r the share (30 − r)/30
 * lands k months later and r/30 one month after that. What lands after the horizon is
 * left out (it is a receivable or payable at the end).
 */
export function lagByDays(amounts: ArrayLike<number>, days: number): Float64Array {
  const T = amounts.length;
  const out = new Float64Array(T);
  const k = Math.floor(days / 30);
  const r = days / 30 - k;
  for (let t = 0; t < T; t++) {
    const a = amounts[t] ?? 0;
    if (t + k < T) out[t + k] = (out[t + k] ?? 0) + a * (1 - r);
    if (r > 0 && t + k + 1 < T) out[t + k + 1] = (out[t + k + 1] ?? 0) + a * r;
  }
  return out;
}

/**
 * Invoices open when the horizon began: what customers owed for the sales of the months before
 * it (the sales history's revenue, or its units at the month's price), collected on the same
 * payment terms as the horizon's own sales. Every scenario and the budget count the same.
 */
export interface OpeningReceivables {
  /** Collected in each month of the horizon. */
  readonly collected: readonly number[];
  /** Still owed at each month's end. */
  readonly outstanding: readonly number[];
  /** What customers owed when the first month began. */
  readonly total: number;
}

/**
 * The months before `first` whose sales are still owed when it begins with `dsoDays` (30-day
 * months, as `lagByDays`: with d = 30k + r, the k months before, and one more when r > 0),
 * oldest first. None with payment on delivery. With the DPO in place of the DSO, the months
 * whose production bills are still open (`openingPayables`).
 */
export function openingSalesMonths(first: Period, dsoDays: number): Period[] {
  const k = Math.floor(dsoDays / 30);
  const n = dsoDays / 30 > k ? k + 1 : k;
  return Array.from({ length: n }, (_, j) => addMonths(first, j - n));
}

/** A month's sales of a family as the sales history has them. */
export type SalesRow = Pick<SalesActual, 'family' | 'period' | 'units' | 'revenue'>;

/**
 * Revenue of each of `months` from the sales history: a row's own revenue, else its units at
 * the family's price that month (an imported price for the month, else the family's). A month
 * the history does not cover (none of its rows is as old, or none as recent) is not known:
 * null, not zero sales.
 */
export function salesRevenue(
  history: readonly SalesRow[],
  families: readonly Pick<Family, 'code' | 'price'>[],
  familyCosts: readonly Pick<FamilyPeriodCost, 'family' | 'period' | 'price'>[],
  months: readonly Period[],
): (number | null)[] {
  if (history.length === 0) return months.map(() => null);
  const periods = history.map((h) => h.period).sort();
  const from = periods[0]!;
  const to = periods.at(-1)!;
  const price = new Map(families.map((f) => [f.code, f.price]));
  const priceIn = new Map(
    familyCosts.flatMap((c) => (c.price === null ? [] : [[`${c.family}|${c.period}`, c.price]])),
  );
  return months.map((m) => {
    if (m < from || m > to) return null;
    let sum = 0;
    for (const h of history) {
      if (h.period !== m) continue;
      const p = priceIn.get(`${h.family}|${m}`) ?? price.get(h.family) ?? 0;
      sum += h.revenue ?? h.units * p;
    }
    return sum;
  });
}

/**
 * Cost of each of `months`' sales from the sales history: a row's units at the family's unit
 * cost that month (an imported unit cost for the month, else the family's): the estimate of
 * a month's production bill when the production actuals do not give it (`openingBillsOf` in
 * src/services/planning.ts). A month the history does not cover is not known: null, as in
 * `salesRevenue`.
 */
export function salesCost(
  history: readonly SalesRow[],
  families: readonly Pick<Family, 'code' | 'unitCost'>[],
  familyCosts: readonly Pick<FamilyPeriodCost, 'family' | 'period' | 'unitCost'>[],
  months: readonly Period[],
): (number | null)[] {
  return salesRevenue(
    history.map((h) => ({ ...h, revenue: null })),
    families.map((f) => ({ code: f.code, price: f.unitCost })),
    familyCosts.map((c) => ({ family: c.family, period: c.period, price: c.unitCost })),
    months,
  );
}

/**
 * What the months before a horizon of `T` months (`before`, oldest first, as
 * `openingSalesMonths` names them) still owe when it begins, after `days`: the share of each
 * that lands in each month of the horizon, what is still owed at each month's end, and the
 * total owed when the first month began.
 */
function openingLag(
  before: readonly number[],
  T: number,
  days: number,
): { readonly settled: number[]; readonly outstanding: number[]; readonly total: number } {
  const n = before.length;
  const lagged = lagByDays([...before, ...new Array<number>(T).fill(0)], days);
  let total = 0;
  for (const a of before) total += a;
  for (let i = 0; i < n; i++) total -= lagged[i]!;
  const settled = Array.from(lagged.subarray(n));
  let left = total;
  const outstanding = settled.map((c) => {
    left -= c;
    return left;
  });
  return { settled, outstanding, total };
}

/**
 * The collections in a horizon of `T` months of the sales of the months before it
 * (`before`, oldest first, as `openingSalesMonths` names them), after `dsoDays`.
 */
export function openingReceivables(
  before: readonly number[],
  T: number,
  dsoDays: number,
): OpeningReceivables {
  const { settled, outstanding, total } = openingLag(before, T, dsoDays);
  return { collected: settled, outstanding, total };
}

/**
 * Bills open when the horizon began: what the company owed for the production of the months
 * before it (the production actuals at the family's unit cost that month), paid on the same
 * terms as the horizon's own costs. Every scenario and the budget count the same.
 */
export interface OpeningPayables {
  /** Paid in each month of the horizon. */
  readonly paid: readonly number[];
  /** Still owed at each month's end. */
  readonly outstanding: readonly number[];
  /** What the company owed when the first month began. */
  readonly total: number;
  /**
   * True when the production actuals do not give them and they are estimated from the sales
   * of those months at unit cost (`salesCost`), so the cash pays a bill for what customers
   * were invoiced, as it collects their invoices; absent when they come from production.
   */
  readonly estimated?: boolean;
}

/** A month's production of a family as the production actuals have it. */
export interface ProductionRow {
  readonly family: string;
  readonly period: Period;
  readonly units: number;
}

/**
 * The production actuals by month (productionByMonth in core/execution.ts): each family's
 * known months, and the families still producing (those with actuals in the months before,
 * billRange), each of which a month needs the row of.
 */
export interface ProductionActuals {
  readonly rows: readonly ProductionRow[];
  readonly families: readonly string[];
}

/**
 * Cost of each of `months`' production from the production actuals: a row's units at the
 * family's unit cost that month (an imported unit cost for the month, else the family's). A
 * month is known only when every family with production actuals (`withHistory`, by default
 * those of `production`) has its row for it: a month one of them lacks is not known, null,
 * not that family's production taken as zero, and so is a month none has.
 */
export function productionCost(
  production: readonly ProductionRow[],
  families: readonly Pick<Family, 'code' | 'unitCost'>[],
  familyCosts: readonly Pick<FamilyPeriodCost, 'family' | 'period' | 'unitCost'>[],
  months: readonly Period[],
  withHistory: readonly string[] = [...new Set(production.map((p) => p.family))],
): (number | null)[] {
  if (withHistory.length === 0) return months.map(() => null);
  const has = new Set(production.map((p) => `${p.family}|${p.period}`));
  const cost = new Map(families.map((f) => [f.code, f.unitCost]));
  const costIn = new Map(
    familyCosts.flatMap((c) =>
      c.unitCost === null ? [] : [[`${c.family}|${c.period}`, c.unitCost]],
    ),
  );
  return months.map((m) => {
    if (!withHistory.every((f) => has.has(`${f}|${m}`))) return null;
    let sum = 0;
    for (const p of production) {
      if (p.period !== m) continue;
      sum += p.units * (costIn.get(`${p.family}|${m}`) ?? cost.get(p.family) ?? 0);
    }
    return sum;
  });
}

/** Why a month's bill is not known: a family still producing has no row for it. */
export interface BillGap {
  readonly family: string;
  readonly month: Period;
}

/**
 * The family and month a stored stress test (a plan scenario's `stress`) says the bills lack
 * (its `openingPayablesGap`), if it has one; a run stored before it has none.
 */
export function storedBillGap(stress: unknown): BillGap | null {
  const gap = (stress as { openingPayablesGap?: unknown } | null | undefined)?.openingPayablesGap;
  if (!gap || typeof gap !== 'object') return null;
  const { family, month } = gap as { family?: unknown; month?: unknown };
  return typeof family === 'string' && typeof month === 'string' ? { family, month } : null;
}

/**
 * Whether a stored stress test (a plan scenario's `stress`) says its bills are estimated from
 * the sales at unit cost (its `openingPayablesEstimated`); a run stored before has none.
 */
export function storedBillsEstimated(stress: unknown): boolean {
  return (
    (stress as { openingPayablesEstimated?: unknown } | null | undefined)
      ?.openingPayablesEstimated === true
  );
}

/**
 * The first of `months` whose bill is not known because a family of `withHistory` (still
 * producing) has no row for it, with the first such family in code order; null when each
 * month has every row, or when no family is producing (nobody to name).
 */
export function productionGap(
  production: readonly ProductionRow[],
  months: readonly Period[],
  withHistory: readonly string[],
): BillGap | null {
  const has = new Set(production.map((p) => `${p.family}|${p.period}`));
  const families = [...withHistory].sort();
  for (const month of months) {
    const family = families.find((f) => !has.has(`${f}|${month}`));
    if (family !== undefined) return { family, month };
  }
  return null;
}

/**
 * The payments in a horizon of `T` months of the bills of the months before it (`before`,
 * oldest first, as `openingSalesMonths` names them for `dpoDays`), after `dpoDays`: with
 * 45 days, half of November's bill is paid in December and half in January, half of
 * December's in January and half in February. None with payment on delivery.
 */
export function openingPayables(
  before: readonly number[],
  T: number,
  dpoDays: number,
  /** Estimated from the sales at unit cost (`salesCost`), not from the production actuals. */
  estimated = false,
): OpeningPayables {
  const { settled, outstanding, total } = openingLag(before, T, dpoDays);
  return { paid: settled, outstanding, total, ...(estimated ? { estimated: true } : {}) };
}

/**
 * What the cash counts of what was open when the horizon began: what customers owed
 * (`openingReceivables`' total) and what the company owed for production (`openingPayables`'
 * total); null: not counted (not known, or a run stored before it was).
 */
export interface OpeningAmounts {
  readonly receivables: number | null;
  readonly payables: number | null;
  /**
   * With `payables` null or estimated: the family and month whose production is missing
   * (productionGap).
   */
  readonly billsGap?: BillGap | null;
  /** `payables` estimated from the sales at unit cost (`OpeningPayables.estimated`). */
  readonly billsEstimated?: boolean;
}

const NOTHING_COUNTED: OpeningAmounts = { receivables: null, payables: null };

/**
 * What the cash figures count of what was open when the horizon began, in words (the pack's
 * cash line, the cash chart, the vote): `monthlyCash` counts the horizon's own sales and
 * costs and, when the sales history gives them (`receivables`), the collections of the
 * invoices open then, and when the production actuals give them (`payables`), the payments
 * of the bills for the production before it. What is not known is said to be left out: a
 * run stored before either was counted, or a history or actuals that do not reach the months
 * they need. January's cash then reads low by the December sales it collects, or high by the
 * December production it pays. An amount of 0 is known: none was open (payment on delivery,
 * or nothing sold or made then), and the words say so rather than that it is left out. Bills
 * left out because a family still producing lacks a month's row name it (`billsGap`): "bills
 * open then are left out: FAM-B has no production for 2026-12". Bills estimated from the
 * sales at unit cost (`billsEstimated`) say so and why: "paying an estimated $1.3k of bills
 * for their production before 2027-01 (their sales then at unit cost: no production actuals
 * then)".
 */
export function openingLeftOut(
  firstMonth: string,
  opening: OpeningAmounts = NOTHING_COUNTED,
  /** What the words are said of: one figure, a plan and its budget, a chart's lines, cash. */
  of: 'it' | 'both' | 'every line' | 'cash' = 'it',
  currency = '$',
): string {
  const { receivables, payables } = opening;
  const gap = payables === null && opening.billsGap ? opening.billsGap : null;
  const why = gap ? `: ${gap.family} has no production for ${gap.month}` : '';
  if (receivables === null && payables === null)
    return `invoices and bills open before ${firstMonth} are left out${of === 'both' ? ' of both' : of === 'cash' ? ' of the cash' : ''}${gap ? `; ${gap.family} has no production for ${gap.month}` : ''}`;
  if (receivables === 0 && payables === 0)
    return `no invoices or bills were open before ${firstMonth}`;
  const counts = of === 'both' ? 'both count' : `${of} counts`;
  // One of them known and none open, the other left out.
  if (receivables === 0 && payables === null)
    return `no invoices were open before ${firstMonth}; bills open then are left out${why}`;
  if (payables === 0 && receivables === null)
    return `no bills were open before ${firstMonth}; invoices open then are left out`;
  const collecting = `collecting the ${formatMoney(receivables ?? 0, currency)} customers owed for the plan's families' sales`;
  if (payables === null || payables === 0)
    return `${counts} ${collecting} before ${firstMonth}; ${payables === 0 ? 'no bills were open then' : `bills open then are left out${why}`}`;
  // Estimated from the sales at unit cost: said, and why (the production actuals lacking).
  const estimated = opening.billsEstimated === true;
  const bills = `${estimated ? 'an estimated' : 'the'} ${formatMoney(payables, currency)}`;
  const source = estimated
    ? ` (their sales then at unit cost: ${opening.billsGap ? `${opening.billsGap.family} has no production for ${opening.billsGap.month}` : 'no production actuals then'})`
    : '';
  if (receivables === null || receivables === 0)
    return `${counts} paying ${bills} of bills for the plan's families' production before ${firstMonth}${source}; ${receivables === 0 ? 'no invoices were open then' : 'invoices open then are left out'}`;
  return `${counts} collecting the ${formatMoney(receivables, currency)} customers owed for the plan's families' sales and paying ${bills} of bills for their production before ${firstMonth}${source}`;
}

/**
 * What "cash generated" is, said beside the figure (the pack's cash line, the cash chart): not
 * a bank balance but the net operating cash of the horizon, counted from nothing.
 */
export const CASH_GENERATED_WORDS =
  "sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment";

export interface MonthlyCash {
  /** Revenue collected in each month (after DSO). */
  readonly collected: Float64Array;
  /** Cash costs paid in each month (after DPO). */
  readonly paid: Float64Array;
  /** collected − paid. */
  readonly net: Float64Array;
  /** Revenue billed and not yet collected at each month's end. */
  readonly receivables: Float64Array;
  /** Costs incurred and not yet paid at each month's end. */
  readonly payables: Float64Array;
}

/**
 * Cash by month: revenue collected after `dsoDays` minus cash costs paid after `dpoDays`.
 * The costs are everything the plan spends (production, subcontracting, overtime, the
 * workforce, hiring, layoffs, holding, an investment), so the stock built is cash out when
 * its production is paid: net cash = collected revenue − paid cost of the goods sold −
 * paid stock build − paid other costs. Sales from before the horizon are counted when
 * `opening` gives their collections (and what is still owed, in the receivables), and costs
 * from before it when `bills` gives their payments (and what is still owed, in the
 * payables); amounts collected or paid after it are left out.
 */
export function monthlyCash(
  revenue: ArrayLike<number>,
  costs: ArrayLike<number>,
  dsoDays: number,
  dpoDays: number,
  opening: OpeningReceivables | null = null,
  bills: OpeningPayables | null = null,
): MonthlyCash {
  const T = revenue.length;
  const collected = lagByDays(revenue, dsoDays);
  if (opening)
    for (let t = 0; t < T; t++) collected[t] = collected[t]! + (opening.collected[t] ?? 0);
  const paid = lagByDays(costs, dpoDays);
  if (bills) for (let t = 0; t < T; t++) paid[t] = paid[t]! + (bills.paid[t] ?? 0);
  const net = new Float64Array(T);
  const receivables = new Float64Array(T);
  const payables = new Float64Array(T);
  let billed = 0;
  let got = 0;
  let owed = 0;
  let settled = 0;
  for (let t = 0; t < T; t++) {
    net[t] = (collected[t] ?? 0) - (paid[t] ?? 0);
    billed += revenue[t] ?? 0;
    got += (collected[t] ?? 0) - (opening?.collected[t] ?? 0);
    owed += costs[t] ?? 0;
    settled += (paid[t] ?? 0) - (bills?.paid[t] ?? 0);
    receivables[t] = billed - got + (opening?.outstanding[t] ?? 0);
    payables[t] = owed - settled + (bills?.outstanding[t] ?? 0);
  }
  return { collected, paid, net, receivables, payables };
}
