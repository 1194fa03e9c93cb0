/**
 * The performance review that opens every cycle: how the last adopted plan did over the months
 * whose actuals arrived since the previous cycle. Per family and in total:
 *
 * - forecast accuracy and bias at lag 1 and lag 3, of the consensus and of the baseline, from
 *   the snapshots earlier cycles kept (a lag-L snapshot of month p was made in cycle p − L);
 * - forecast value added by step, person and reason code (`forecastValueAdded`) of the lag-1
 *   snapshots ({@link FVA_LAG}): each month's error counted once, and an adjustment carried
 *   from one cycle to the next credited once, as the accuracy chart's FVA is;
 * - plan adherence: actual production against the adopted plan's production;
 * - service: fill rate and OTIF of the order lines requested in those months;
 * - stock: annualised turns (COGS at unit cost / average stock value), months of cover at
 *   the end against the plan's own cover, backlog against plan, obsolete stock (on hand in a
 *   family that sold nothing for {@link OBSOLETE_MONTHS} months), and stock value (working
 *   capital in stock) and operating cash (revenue − production at unit cost) against the
 *   adopted scenario.
 *
 * Plain data in and out; every ratio with a zero denominator is null.
 */
import type { StepBrief } from './consensus.js';
import {
  accuracy,
  bias,
  type FvaReport,
  fillRate,
  forecastValueAdded,
  inventoryTurns,
  monthsOfCover,
  type OrderLine,
  otif,
  planAdherence,
} from './kpi.js';
import { addMonths, type Period } from './period.js';
import type { FamilyPeriodPlan } from './supply/solve.js';

/** The lags a cycle keeps snapshots of. */
export const SNAPSHOT_LAGS = [1, 3] as const;
/**
 * The lag whose snapshots forecast value added is scored on. Adding the lags up would count
 * each month's error once per lag, and credit an adjustment carried into later cycles once per
 * snapshot it is in.
 */
export const FVA_LAG = 1;
/** A family that sold nothing for this many months holds obsolete stock. */
export const OBSOLETE_MONTHS = 6;
/** Months of forward demand that cover is measured against. */
export const COVER_MONTHS = 3;

export interface ReviewFamily {
  readonly code: string;
  readonly unitCost: number;
  readonly price: number;
}

export interface SnapshotLine {
  readonly family: string;
  readonly period: Period;
  readonly lag: number;
  readonly naive: number;
  readonly baseline: number;
  readonly consensus: number;
  readonly steps: readonly StepBrief[];
}

/** The adopted plan's figures of a family-month, as solved, and the revenue they bring. */
export interface PlanLine
  extends Pick<
    FamilyPeriodPlan,
    'family' | 'period' | 'demand' | 'production' | 'inventory' | 'backlog'
  > {
  readonly revenue: number;
}

export interface ReviewInput {
  /** The months under review, in order. */
  readonly periods: readonly Period[];
  readonly families: readonly ReviewFamily[];
  readonly snapshots: readonly SnapshotLine[];
  /** Monthly sales; revenue null means units × price. Include OBSOLETE_MONTHS of history. */
  readonly sales: readonly {
    family: string;
    period: Period;
    units: number;
    revenue: number | null;
  }[];
  readonly production: readonly { family: string; period: Period; units: number }[];
  /** Month-end stock and backlog; include the month before the first reviewed month. */
  readonly inventory: readonly {
    family: string;
    period: Period;
    onHand: number;
    backlog: number;
  }[];
  readonly orders: readonly (OrderLine & { family: string })[];
  /** The adopted scenario's family results (its months may run past the review). */
  readonly plan: readonly PlanLine[];
}

export interface LagScore {
  readonly pairs: number;
  readonly consensusAccuracy: number | null;
  readonly consensusBias: number | null;
  readonly baselineAccuracy: number | null;
  readonly baselineBias: number | null;
}

export interface KpiSet {
  readonly byLag: Readonly<Record<string, LagScore>>;
  /** Sales over the reviewed months against the adopted scenario's demand and revenue. */
  readonly salesUnits: number;
  readonly plannedDemand: number | null;
  readonly revenue: number;
  readonly plannedRevenue: number | null;
  readonly actualProduction: number;
  readonly plannedProduction: number;
  readonly adherence: number | null;
  readonly orderLines: number;
  readonly fillRate: number | null;
  readonly otif: number | null;
  readonly cogs: number;
  readonly averageStockValue: number | null;
  readonly turns: number | null;
  readonly coverMonths: number | null;
  readonly targetCoverMonths: number | null;
  readonly backlog: number | null;
  readonly plannedBacklog: number | null;
  readonly obsoleteValue: number;
  readonly stockValue: number | null;
  readonly plannedStockValue: number | null;
  readonly cash: number;
  readonly plannedCash: number | null;
}

export interface Review {
  readonly periods: readonly Period[];
  readonly total: KpiSet;
  readonly byFamily: Readonly<Record<string, KpiSet>>;
  readonly fva: FvaReport;
}

const key = (f: string, p: Period) => `${f}\u0000${p}`;

function group<T extends { family: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.family);
    if (list) list.push(r);
    else m.set(r.family, [r]);
  }
  return m;
}

/** What a family contributes to the totals, before any ratio is taken. */
interface Parts {
  lags: Map<number, { a: number[]; c: number[]; b: number[] }>;
  prodA: number[];
  prodP: number[];
  orders: OrderLine[];
  cogs: number;
  /** Stock value per month-end point (opening included), for the average. */
  stockPoints: Map<Period, number>;
  endStock: number | null;
  endBacklog: number | null;
  planEndStock: number | null;
  planEndBacklog: number | null;
  forward: number[];
  obsolete: number;
  cash: number;
  planCash: number | null;
  units: number;
  planDemand: number | null;
  revenue: number;
  planRevenue: number | null;
}

function familyParts(
  fam: ReviewFamily,
  input: ReviewInput,
  idx: {
    sales: Map<string, { units: number; revenue: number | null }>;
    prod: Map<string, number>;
    inv: Map<string, { onHand: number; backlog: number }>;
    plan: Map<string, PlanLine>;
    snaps: readonly SnapshotLine[];
    orders: readonly (OrderLine & { family: string })[];
  },
): Parts {
  const periods = input.periods;
  const inReview = new Set(periods);
  const last = periods[periods.length - 1] as Period;
  const lags = new Map<number, { a: number[]; c: number[]; b: number[] }>();
  for (const s of idx.snaps) {
    if (!inReview.has(s.period)) continue;
    const a = idx.sales.get(key(fam.code, s.period));
    if (a === undefined) continue;
    let l = lags.get(s.lag);
    if (!l) {
      l = { a: [], c: [], b: [] };
      lags.set(s.lag, l);
    }
    l.a.push(a.units);
    l.c.push(s.consensus);
    l.b.push(s.baseline);
  }
  const prodA: number[] = [];
  const prodP: number[] = [];
  let cogs = 0;
  let cash = 0;
  let planCash: number | null = null;
  let units = 0;
  let revenue = 0;
  let planDemand: number | null = null;
  let planRevenue: number | null = null;
  for (const p of periods) {
    const plan = idx.plan.get(key(fam.code, p));
    const made = idx.prod.get(key(fam.code, p));
    if (plan && made !== undefined) {
      prodA.push(made);
      prodP.push(plan.production);
    }
    const sold = idx.sales.get(key(fam.code, p));
    if (sold) {
      cogs += sold.units * fam.unitCost;
      units += sold.units;
      revenue += sold.revenue ?? sold.units * fam.price;
    }
    cash -= (made ?? 0) * fam.unitCost;
    if (plan) {
      planCash = (planCash ?? 0) + plan.revenue - plan.production * fam.unitCost;
      planDemand = (planDemand ?? 0) + plan.demand;
      planRevenue = (planRevenue ?? 0) + plan.revenue;
    }
  }
  const stockPoints = new Map<Period, number>();
  for (const p of [addMonths(periods[0] as Period, -1), ...periods]) {
    const i = idx.inv.get(key(fam.code, p));
    if (i) stockPoints.set(p, i.onHand * fam.unitCost);
  }
  const end = idx.inv.get(key(fam.code, last));
  const planEnd = idx.plan.get(key(fam.code, last));
  const forward: number[] = [];
  for (let k = 1; k <= COVER_MONTHS; k++) {
    const f = idx.plan.get(key(fam.code, addMonths(last, k)));
    if (f) forward.push(f.demand);
  }
  let soldRecently = 0;
  for (let k = 0; k < OBSOLETE_MONTHS; k++)
    soldRecently += idx.sales.get(key(fam.code, addMonths(last, -k)))?.units ?? 0;
  return {
    lags,
    prodA,
    prodP,
    orders: [...idx.orders],
    cogs,
    stockPoints,
    endStock: end ? end.onHand : null,
    endBacklog: end ? end.backlog : null,
    planEndStock: planEnd ? planEnd.inventory : null,
    planEndBacklog: planEnd ? planEnd.backlog : null,
    forward,
    obsolete: end && soldRecently === 0 ? end.onHand * fam.unitCost : 0,
    cash: cash + revenue,
    planCash,
    units,
    planDemand,
    revenue,
    planRevenue,
  };
}

const sumOf = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const mean = (xs: readonly number[]) => (xs.length ? sumOf(xs) / xs.length : null);
const addOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

function lagScores(lags: Map<number, { a: number[]; c: number[]; b: number[] }>) {
  const out: Record<string, LagScore> = {};
  for (const lag of SNAPSHOT_LAGS) {
    const l = lags.get(lag) ?? { a: [], c: [], b: [] };
    out[String(lag)] = {
      pairs: l.a.length,
      consensusAccuracy: l.a.length ? accuracy(l.a, l.c) : null,
      consensusBias: l.a.length ? bias(l.a, l.c) : null,
      baselineAccuracy: l.a.length ? accuracy(l.a, l.b) : null,
      baselineBias: l.a.length ? bias(l.a, l.b) : null,
    };
  }
  return out;
}

/** Ratios from summed parts: one family, or all of them added together. */
function kpiSet(p: Parts, months: number, stockValueAt: (v: number) => number): KpiSet {
  const avgStock = mean([...p.stockPoints.values()]);
  const plannedProduction = sumOf(p.prodP);
  return {
    byLag: lagScores(p.lags),
    salesUnits: p.units,
    plannedDemand: p.planDemand,
    revenue: p.revenue,
    plannedRevenue: p.planRevenue,
    actualProduction: sumOf(p.prodA),
    plannedProduction,
    adherence: p.prodA.length ? planAdherence(p.prodA, p.prodP) : null,
    orderLines: p.orders.length,
    fillRate: fillRate(p.orders),
    otif: otif(p.orders),
    cogs: p.cogs,
    averageStockValue: avgStock,
    turns: avgStock === null ? null : inventoryTurns(p.cogs, avgStock, months),
    coverMonths: p.endStock === null ? null : monthsOfCover(p.endStock, p.forward),
    targetCoverMonths: p.planEndStock === null ? null : monthsOfCover(p.planEndStock, p.forward),
    backlog: p.endBacklog,
    plannedBacklog: p.planEndBacklog,
    obsoleteValue: p.obsolete,
    stockValue: p.endStock === null ? null : stockValueAt(p.endStock),
    plannedStockValue: p.planEndStock === null ? null : stockValueAt(p.planEndStock),
    cash: p.cash,
    plannedCash: p.planCash,
  };
}

export function performanceReview(input: ReviewInput): Review {
  if (input.periods.length === 0) throw new RangeError('a review needs at least one month');
  const idx = {
    sales: new Map(input.sales.map((s) => [key(s.family, s.period), s])),
    prod: new Map(input.production.map((s) => [key(s.family, s.period), s.units])),
    inv: new Map(input.inventory.map((s) => [key(s.family, s.period), s])),
    plan: new Map(input.plan.map((s) => [key(s.family, s.period), s])),
  };
  const inReview = new Set(input.periods);
  const snaps = group(input.snapshots);
  const orders = group(input.orders.filter((o) => inReview.has(o.requestedDate.slice(0, 7))));
  const months = input.periods.length;
  const byFamily: Record<string, KpiSet> = {};
  const total: Parts = {
    lags: new Map(),
    prodA: [],
    prodP: [],
    orders: [],
    cogs: 0,
    stockPoints: new Map(),
    endStock: null,
    endBacklog: null,
    planEndStock: null,
    planEndBacklog: null,
    forward: [],
    obsolete: 0,
    cash: 0,
    planCash: null,
    units: 0,
    planDemand: null,
    revenue: 0,
    planRevenue: null,
  };
  // Totals in value: stock and cover are added in money (units of families do not add up).
  let endValue: number | null = null;
  let planEndValue: number | null = null;
  let forwardValue = 0;
  const coverValue = { stock: null as number | null, plan: null as number | null };
  for (const fam of input.families) {
    const p = familyParts(fam, input, {
      ...idx,
      snaps: snaps.get(fam.code) ?? [],
      orders: orders.get(fam.code) ?? [],
    });
    byFamily[fam.code] = kpiSet(p, months, (u) => u * fam.unitCost);
    for (const [lag, l] of p.lags) {
      const t = total.lags.get(lag) ?? { a: [], c: [], b: [] };
      t.a.push(...l.a);
      t.c.push(...l.c);
      t.b.push(...l.b);
      total.lags.set(lag, t);
    }
    total.prodA.push(...p.prodA);
    total.prodP.push(...p.prodP);
    total.orders.push(...p.orders);
    total.cogs += p.cogs;
    for (const [per, v] of p.stockPoints)
      total.stockPoints.set(per, (total.stockPoints.get(per) ?? 0) + v);
    total.endBacklog = addOrNull(total.endBacklog, p.endBacklog);
    total.planEndBacklog = addOrNull(total.planEndBacklog, p.planEndBacklog);
    total.obsolete += p.obsolete;
    total.cash += p.cash;
    total.planCash = addOrNull(total.planCash, p.planCash);
    total.units += p.units;
    total.revenue += p.revenue;
    total.planDemand = addOrNull(total.planDemand, p.planDemand);
    total.planRevenue = addOrNull(total.planRevenue, p.planRevenue);
    endValue = addOrNull(endValue, p.endStock === null ? null : p.endStock * fam.unitCost);
    planEndValue = addOrNull(
      planEndValue,
      p.planEndStock === null ? null : p.planEndStock * fam.unitCost,
    );
    const fwd = mean(p.forward);
    if (fwd !== null) {
      forwardValue += fwd * fam.unitCost;
      if (p.endStock !== null)
        coverValue.stock = (coverValue.stock ?? 0) + p.endStock * fam.unitCost;
      if (p.planEndStock !== null)
        coverValue.plan = (coverValue.plan ?? 0) + p.planEndStock * fam.unitCost;
    }
  }
  // The total's stock figures are in money already: value = the identity.
  total.endStock = endValue;
  total.planEndStock = planEndValue;
  const t = kpiSet(total, months, (v) => v);
  const cover = (v: number | null) => (v === null || forwardValue <= 0 ? null : v / forwardValue);
  const fva = forecastValueAdded(
    input.snapshots
      .filter((s) => s.lag === FVA_LAG && inReview.has(s.period))
      .map((s) => ({
        family: s.family,
        period: s.period,
        lag: s.lag,
        naive: s.naive,
        statistical: s.baseline,
        consensus: s.consensus,
        adjustments: s.steps,
      })),
    input.sales.filter((s) => inReview.has(s.period)),
  );
  return {
    periods: input.periods,
    total: {
      ...t,
      coverMonths: cover(coverValue.stock),
      targetCoverMonths: cover(coverValue.plan),
    },
    byFamily,
    fva,
  };
}
