/**
 * The meeting pack's arithmetic: what moved since the last plan, how families did against
 * it, and how far the units the plan delivers in the liquid months are from the budget. Plain data in and out.
 */

export const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/** a / b, or null when b is 0. */
export const ratio = (a: number, b: number): number | null => (b !== 0 ? a / b : null);

export interface Mover {
  readonly family: string;
  readonly now: number;
  readonly before: number;
  readonly delta: number;
  readonly deltaPct: number | null;
}

/** Demand per family code, summed over `periods`. */
export function demandByFamily(
  rows: readonly { code: string; period: string; demand: number }[],
  periods: ReadonlySet<string>,
): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) if (periods.has(r.period)) m.set(r.code, (m.get(r.code) ?? 0) + r.demand);
  return m;
}

/** The `limit` families whose demand moved most (by absolute change); unmoved ones left out. */
export function topMovers(
  nowBy: ReadonlyMap<string, number>,
  beforeBy: ReadonlyMap<string, number>,
  limit: number,
): Mover[] {
  return [...new Set([...nowBy.keys(), ...beforeBy.keys()])]
    .map((f) => {
      const n = nowBy.get(f) ?? 0;
      const b = beforeBy.get(f) ?? 0;
      return { family: f, now: n, before: b, delta: n - b, deltaPct: ratio(n - b, b) };
    })
    .filter((m) => Math.abs(m.delta) > 1e-9)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, limit);
}

export interface FamilyPerformance {
  readonly family: string;
  readonly periods: readonly string[];
  readonly actual: number;
  readonly forecast: number;
  readonly deltaPct: number | null;
}

/**
 * Actuals against an earlier plan's demand, per family, over the months that have an actual
 * (`actualOf` is keyed `code|period`).
 */
export function familyPerformance(
  planned: readonly { code: string; period: string; demand: number }[],
  actualOf: ReadonlyMap<string, number>,
): FamilyPerformance[] {
  const perf = new Map<string, { periods: string[]; actual: number; forecast: number }>();
  for (const r of planned) {
    const a = actualOf.get(`${r.code}|${r.period}`);
    if (a === undefined) continue;
    const e = perf.get(r.code) ?? { periods: [], actual: 0, forecast: 0 };
    e.periods.push(r.period);
    e.actual += a;
    e.forecast += r.demand;
    perf.set(r.code, e);
  }
  return [...perf.entries()].map(([family, e]) => ({
    family,
    periods: e.periods.sort(),
    actual: e.actual,
    forecast: e.forecast,
    deltaPct: ratio(e.actual - e.forecast, e.forecast),
  }));
}

export interface BudgetGap {
  readonly from: string | null;
  /** The months compared: those of `months` the budget has a line for (plan and budget alike). */
  readonly budgeted: readonly string[];
  /** How many months were asked for. */
  readonly months: number;
  /** Units the plan delivers (sells) over `budgeted`: demand less what it does not meet. */
  readonly delivered: number;
  /** Demand over `budgeted`, met or not. */
  readonly demand: number;
  readonly budget: number | null;
  /** Delivered against budget. */
  readonly gapPct: number | null;
  /** The `limit` months furthest from the budget, in relative terms (delivered units). */
  readonly worst: readonly {
    period: string;
    delivered: number;
    budget: number;
    gapPct: number;
  }[];
}

/**
 * The units the plan delivers against the budget's volume over `months` (the liquid zone),
 * both sides over the months the budget covers: a budget that ends before the horizon is not
 * set against a plan that runs on. The budget is of sales, so it is set against what the plan
 * sells (delivers), not against demand it may give up; the demand is kept beside it.
 */
export function budgetGap(
  months: readonly string[],
  plan: readonly { period: string; demand: number; delivered: number }[],
  budget: readonly { period: string; volume: number }[],
  limit: number,
): BudgetGap {
  const set = new Set(months);
  const deliveredBy = new Map<string, number>();
  const demandBy = new Map<string, number>();
  for (const r of plan)
    if (set.has(r.period)) {
      deliveredBy.set(r.period, (deliveredBy.get(r.period) ?? 0) + r.delivered);
      demandBy.set(r.period, (demandBy.get(r.period) ?? 0) + r.demand);
    }
  const budBy = new Map<string, number>();
  for (const b of budget)
    if (set.has(b.period)) budBy.set(b.period, (budBy.get(b.period) ?? 0) + b.volume);
  const budgeted = months.filter((p) => budBy.has(p));
  const total = sum(budgeted.map((p) => deliveredBy.get(p) ?? 0));
  const totalBudget = budBy.size ? sum([...budBy.values()]) : null;
  const worst = budgeted
    .map((p) => {
      const delivered = deliveredBy.get(p) ?? 0;
      const budgeted = budBy.get(p) ?? 0;
      return {
        period: p,
        delivered,
        budget: budgeted,
        gapPct: ratio(delivered - budgeted, budgeted) ?? 0,
      };
    })
    .sort((a, b) => Math.abs(b.gapPct) - Math.abs(a.gapPct))
    .slice(0, limit);
  return {
    from: months[0] ?? null,
    budgeted,
    months: months.length,
    delivered: total,
    demand: sum(budgeted.map((p) => demandBy.get(p) ?? 0)),
    budget: totalBudget,
    gapPct: totalBudget === null ? null : ratio(total - totalBudget, totalBudget),
    worst,
  };
}
