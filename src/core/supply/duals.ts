/**
 * Shadow prices of a solved plan, read from the LP's duals (docs/plan-format.md, "Shadow
 * prices"). Every figure is money per unit, signed so that it reads as "worth": what the
 * total cost would fall by if the limit were one unit looser (one more hour on a crew, one
 * more unit of subcontracting allowed), or, for demand, what one more unit demanded adds.
 *
 * The two a planner reads in sentences, "one more hour on LINE-1 in May is worth $X" and
 * "one more unit demanded would cost $X", are what that one unit changes in the optimal
 * cost (`marginalSteps`, priced by the solver: LpSolution.stepChanges). A dual alone is not:
 * where a limit is met exactly (a degenerate optimum) the valid duals form an interval
 * and the solver gives one end of it, true for one less and false for one more (a line
 * loaded exactly to demand: $6 an hour, for an hour that saves $0). The other limits
 * (`binding`) are priced by their duals, a derivative that holds for small changes.
 * A MIP (integer workers, minimum order quantities) has no duals: `duals` is then null.
 */
import type { Period } from '../period.js';
import { type LpSolution, type LpStep, stepByDuals } from './lp.js';
import { type BuiltModel, stockLimitColumns } from './model.js';
import { familyCost, type PlanProblem } from './problem.js';

/**
 * How a "one more" price was had. `exact`: what one whole unit more changes in the optimal
 * cost (from the basis, from one column, or solved again). `rate`: the dual, where the step
 * was not solved again (beyond STEP_SOLVE_LIMIT, or the solver failed while pricing): the
 * rate of a small change, and a bound on the whole unit, since the optimal cost is convex in
 * a limit: one more hour saves at most the rate, one more unit demanded costs at least it.
 */
export type PriceKind = 'exact' | 'rate';

/**
 * What one more unit demanded comes to. `served`: the exact cost of meeting it. `lost`: the
 * exact cost is the family-month's lost-sale cost, so a lost sale is the cheapest answer
 * (serving it would cost no less). `unserved`: no plan within the limits meets it (no lost
 * sales allowed, nothing left to serve it with); the price is null. `rate`: the dual, not
 * solved again: it costs at least that, or cannot be met at all.
 */
export type DemandPriceKind = 'served' | 'lost' | 'unserved' | 'rate';

export interface ResourceDual {
  readonly resource: string;
  readonly period: Period;
  readonly unit: string;
  /** What one more unit of regular capacity (an hour on a crew) this month saves. */
  readonly capacity: number;
  /** Whether `capacity` is the exact worth of one unit, or the dual's rate (at most that). */
  readonly capacityKind: PriceKind;
  /** What one more unit of overtime allowed this month is worth (the overtime limit). */
  readonly overtimeLimit: number;
}

export interface FamilyDual {
  readonly family: string;
  readonly period: Period;
  /**
   * What one more unit demanded this month would add to the total cost; null when no plan
   * meets one more (no lost sales, and no capacity or backlog left to serve it).
   */
  readonly demand: number | null;
  /** How `demand` was had, and what the unit comes to (null exactly when `unserved`). */
  readonly demandKind: DemandPriceKind;
}

export type BoundKind =
  | 'capacity'
  | 'overtimeLimit'
  | 'subcontractLimit'
  | 'maxBacklog'
  | 'chaseLimit'
  | 'minWorkers'
  | 'maxWorkers'
  | 'hiringFreeze'
  | 'frozenProduction'
  | 'endingInventory'
  | 'endingBacklog'
  | 'minStock'
  | 'shelfLife';

/** A limit the optimal plan presses against, with what loosening it by one unit is worth. */
export interface BindingBound {
  readonly kind: BoundKind;
  /** Family or resource code. */
  readonly subject: string;
  /** The month, or null for a limit on the whole horizon. */
  readonly period: Period | null;
  /** The limit's value in the plan (units, hours, workers). */
  readonly limit: number;
  /** 'raise' for an upper limit, 'lower' for a lower limit (a frozen quantity may be either). */
  readonly relax: 'raise' | 'lower';
  /** Money saved per unit the limit is loosened; always > 0. */
  readonly value: number;
  /**
   * True for a `capacity` limit priced as one whole unit more; false for the others, which
   * are duals: rates of a small change, at most what one whole unit saves.
   */
  readonly exact: boolean;
}

export interface PlanDuals {
  /** One row per resource and month, binding or not. */
  readonly resources: readonly ResourceDual[];
  /** One row per family and month: the marginal cost of serving one more unit. */
  readonly families: readonly FamilyDual[];
  /** Every binding limit, most valuable first. */
  readonly binding: readonly BindingBound[];
  /**
   * The error the solver met while pricing the steps (HiGHS aborted in a solve again): the
   * plan stands, and every step it would have solved again keeps its dual (`rate`). For the
   * log only, never shown to users.
   */
  readonly pricingError?: { readonly message: string; readonly stack?: string };
}

/**
 * Why a capacity price in the plan's last month is flagged wherever it is shown (the pack's
 * question 8, `/sop explain`): the ending backlog limit makes a shortfall there a lost sale
 * where a month earlier it would wait a month on backlog.
 */
export const LAST_MONTH_NOTE =
  "the plan's last month: no later month can take its orders, so the price may overstate what more capacity is worth";

/** Said of a `rate` wherever a "one more" price is shown: what it is, and why. */
export const RATE_NOTE = 'the marginal rate: not re-solved for a whole unit';
/** Said of a price stored before its kind was kept (migration 20261210T1000): it may be either. */
export const UNMARKED_NOTE = 'stored before exact prices were marked';

/**
 * How a "one more" price reads. An exact one as it is (`bound` empty, no note); a rate, or a
 * price whose kind was not kept, as the bound it surely is: `at most` what one more unit of a
 * limit saves, `at least` what one more unit demanded costs (PriceKind), with its note. A
 * saving of 0 is exact whatever its kind (one more unit of a limit never adds cost).
 */
export function priceReading(
  kind: PriceKind | DemandPriceKind | null,
  side: 'at most' | 'at least',
  price: number,
): { readonly bound: string; readonly note: string | null } {
  if (kind === 'rate' || kind === null) {
    if (side === 'at most' && Math.abs(price) < TOL) return { bound: '', note: null };
    return { bound: `${side} `, note: kind === 'rate' ? RATE_NOTE : UNMARKED_NOTE };
  }
  return { bound: '', note: null };
}

/**
 * A demand price stored before its kind was kept (`kind` null), as it can be read. It is
 * either the exact cost of one more unit or the dual runs kept before prices were solved for:
 * the balance and shipped rows' duals, without the lost sales' bound, which moves with the
 * demand. Where a family-month gives up all its demand, that bound's reduced cost is
 * negative and the figure can exceed the lost sale ($10, what making one costs, for a unit
 * lost at $8). One more unit can always be lost at `lostSale` (the family-month's lost-sale
 * cost; null when lost sales are off), so a figure at or above it means the unit costs
 * exactly that: a lost sale. Below it the figure is exact or a subgradient, a lower bound
 * (priceReading). A price with its kind is returned as it is.
 */
export function storedDemandPrice(
  price: number | null,
  kind: DemandPriceKind | null,
  lostSale: number | null,
): { readonly price: number | null; readonly kind: DemandPriceKind | null } {
  if (kind !== null || price === null || lostSale === null) return { price, kind };
  if (price >= lostSale - 1e-6 * Math.max(1, Math.abs(lostSale)))
    return { price: lostSale, kind: 'lost' };
  return { price, kind };
}

/** Duals smaller than this (money per unit) count as zero: the limit does not bind. */
const TOL = 1e-7;
const clean = (v: number): number => {
  const r = Math.round(v * 1e6) / 1e6;
  return Math.abs(r) < TOL ? 0 : r + 0;
};

/**
 * How many "one more" steps of one plan are priced by solving it again, at most: a budget of
 * work, not of solves. Most steps are priced without (the basis stays optimal, or a lost sale
 * takes the unit); the others cross a point where the plan changes shape within the unit,
 * and each costs a hot-started solve whose time grows with the model: ~7 ms on the
 * 200-family bench plan (28,296 columns), ~0.5 ms on the demo's 24 families (2,646). The
 * budget is STEP_SOLVE_LIMIT solves of the bench plan (STEP_SOLVE_COLUMNS columns each):
 * a plan as large or larger gets 24, a smaller one as many more as the same work allows
 * (the demo's, 256: all of its ~130 a scenario). Hours are solved first, the most valuable
 * first, then demand (resolveOrder); beyond the limit a step keeps its dual's figure, marked
 * a rate (docs/plan-format.md, "Shadow prices"). Counts, not a time: the same plan gets the
 * same prices on any machine.
 */
export const STEP_SOLVE_LIMIT = 24;
/** The columns of the plan the budget is set on (bench/plan.ts: 200 families, 24 months). */
export const STEP_SOLVE_COLUMNS = 28_296;

/** The solves again a plan of `columns` columns gets: the budget's work, never fewer than 24. */
export function stepSolveLimit(columns: number): number {
  if (!(columns > 0)) return STEP_SOLVE_LIMIT;
  return Math.max(STEP_SOLVE_LIMIT, Math.floor((STEP_SOLVE_LIMIT * STEP_SOLVE_COLUMNS) / columns));
}

/**
 * The model's "one more" steps, in the order readDuals reads their prices: one more unit
 * of regular capacity for each resource and month (r*T+t), then one more unit demanded for
 * each family and month (R*T + f*T+t). Demand sits on the balance row, the shipped row and
 * the lost sales' bound (lost sales are at most the demand): all three move.
 */
export function marginalSteps(p: PlanProblem, m: BuiltModel): LpStep[] {
  const T = p.periods.length;
  const steps: LpStep[] = [];
  const one = (index: number, lower: number) => ({ index, lower, upper: 1 });
  for (let k = 0; k < p.resources.length * T; k++) {
    const row = m.rows.capacity[k] ?? -1;
    steps.push({ rows: row >= 0 ? [one(row, 0)] : [], cols: [], group: 0 });
  }
  for (let k = 0; k < p.families.length * T; k++) {
    const rows = [one(m.rows.balance[k] ?? -1, 1), one(m.rows.shipped[k] ?? -1, 0)];
    const lost = m.X[k] ?? -1;
    steps.push({
      rows: rows.filter((r) => r.index >= 0),
      cols: lost >= 0 ? [one(lost, 0)] : [],
      group: 1,
    });
  }
  return steps;
}

/** The shadow prices of an optimal LP solution, or null when the solver gave no duals. */
export function readDuals(p: PlanProblem, m: BuiltModel, sol: LpSolution): PlanDuals | null {
  const y = sol.rowDual;
  const d = sol.colDual;
  if (y.length !== m.lp.numRows || !d || d.length !== m.lp.numCols) return null;
  if (m.lp.integrality?.some((v) => v === 1)) return null;
  const T = p.periods.length;
  const R = p.resources.length;
  const priced = sol.stepChanges?.length === (R + p.families.length) * T ? sol.stepChanges : null;
  /** The solver's price of step n, or null when it has none (then the dual stands in). */
  const step = (n: number): number | null => {
    const v = priced?.[n];
    return v === undefined || Number.isNaN(v) ? null : v;
  };
  const rowDual = (i: number | undefined): number => (i === undefined || i < 0 ? 0 : (y[i] ?? 0));
  const binding: BindingBound[] = [];
  const push = (b: Omit<BindingBound, 'value' | 'exact'>, v: number): void => {
    const value = clean(v);
    if (value > 0) binding.push({ ...b, value, exact: false });
  };
  // A step the solver did not price keeps what the duals say of that very step: every bound
  // it moves times its dual (for demand, the lost sales' bound too), the subgradient that
  // bounds the whole unit (PriceKind).
  let steps: LpStep[] | null = null;
  const byDuals = (n: number): number => {
    steps ??= marginalSteps(p, m);
    const s = steps[n];
    return s ? stepByDuals({ rowDual: y, colDual: d }, s) : 0;
  };
  /**
   * A column at a bound: its reduced cost says what moving that bound is worth. `limits`
   * replaces the column's own bounds as the figures reported (a stock split in two columns).
   */
  const colBound = (
    j: number | undefined,
    kind: BoundKind,
    subject: string,
    period: Period | null,
    limits?: { readonly lo: number; readonly hi: number },
  ): number => {
    if (j === undefined || j < 0) return 0;
    const rc = d[j] ?? 0;
    const lo = limits?.lo ?? m.lp.colLower[j] ?? 0;
    const hi = limits?.hi ?? m.lp.colUpper[j] ?? Number.POSITIVE_INFINITY;
    // rc < 0: raising the upper bound lowers the cost; rc > 0: lowering the lower bound does.
    if (rc < -TOL && Number.isFinite(hi)) {
      push({ kind, subject, period, limit: hi, relax: 'raise' }, -rc);
      return -rc;
    }
    if (rc > TOL && lo > 0) {
      push({ kind, subject, period, limit: lo, relax: 'lower' }, rc);
      return rc;
    }
    return 0;
  };

  const resources: ResourceDual[] = [];
  p.resources.forEach((res, r) => {
    for (let t = 0; t < T; t++) {
      const k = r * T + t;
      const period = p.periods[t]!;
      // Capacity rows are "load − extra ≤ capacity": a binding one has a dual ≤ 0. One more
      // unit saves what the solver found it saves (never more than the dual says).
      const saved = step(k);
      const capacityKind: PriceKind = saved === null ? 'rate' : 'exact';
      const capacity = clean(saved === null ? -byDuals(k) : -saved);
      const capLimit = m.lp.rowUpper[m.rows.capacity[k] ?? 0] ?? 0;
      if (capacity > 0)
        binding.push({
          kind: 'capacity',
          subject: res.code,
          period,
          limit: clean(
            capLimit +
              (res.workforce ? (m.hoursPerWorker[k] ?? 0) * (sol.x[m.W[k] ?? -1] ?? 0) : 0),
          ),
          relax: 'raise',
          value: capacity,
          exact: capacityKind === 'exact',
        });
      // A crew-wide or machine cap is the overtime column's upper bound; per worker, a row.
      let overtimeLimit = colBound(m.O[k], 'overtimeLimit', res.code, period);
      const oRow = m.rows.overtime[k] ?? -1;
      if (oRow >= 0) {
        const perWorker = clean(-rowDual(oRow));
        overtimeLimit += perWorker;
        const workers = sol.x[m.W[k] ?? -1] ?? 0;
        if (perWorker > 0)
          binding.push({
            kind: 'overtimeLimit',
            subject: res.code,
            period,
            limit: clean(workers * (m.overtimePerWorker[k] ?? 0)),
            relax: 'raise',
            value: perWorker,
            exact: false,
          });
      }
      resources.push({
        resource: res.code,
        period,
        unit: res.unit,
        capacity,
        capacityKind,
        overtimeLimit: clean(overtimeLimit),
      });
      if (res.workforce) {
        const j = m.W[k] ?? -1;
        if (j >= 0) {
          const rc = d[j] ?? 0;
          const cap = m.lp.colUpper[j] ?? Number.POSITIVE_INFINITY;
          if (rc < -TOL && Number.isFinite(cap))
            colBound(
              j,
              res.workforce.hiringFreeze && cap < (res.workforce.maxWorkers ?? Infinity)
                ? 'hiringFreeze'
                : 'maxWorkers',
              res.code,
              period,
            );
          else if (rc > TOL) colBound(j, 'minWorkers', res.code, period);
        }
        // no hires allowed this month (a hiring freeze after the fence): what one would save
        colBound(m.H[k], 'hiringFreeze', res.code, period);
      }
    }
  });

  const families: FamilyDual[] = [];
  p.families.forEach((fam, f) => {
    for (let t = 0; t < T; t++) {
      const k = f * T + t;
      const period = p.periods[t]!;
      // Demand is the right-hand side of the balance and of the shipped row, and the lost
      // sales' bound: all move.
      const exact = step(R * T + k);
      const lostSale = p.options.lostSales ? familyCost(fam, 'lostSalesCost', period) : null;
      families.push(
        exact === null
          ? { family: fam.code, period, demand: clean(byDuals(R * T + k)), demandKind: 'rate' }
          : !Number.isFinite(exact)
            ? { family: fam.code, period, demand: null, demandKind: 'unserved' }
            : {
                family: fam.code,
                period,
                demand: clean(exact),
                demandKind:
                  lostSale !== null && Math.abs(exact - lostSale) <= 1e-6 * Math.max(1, lostSale)
                    ? 'lost'
                    : 'served',
              },
      );
      colBound(m.S[k], 'subcontractLimit', fam.code, period);
      const frozen = m.frozen[k] ?? Number.NaN;
      if (!Number.isNaN(frozen)) {
        // Fixed production: lo = hi, so the reduced cost's sign says which way pays.
        const rc = d[m.P[k] ?? -1] ?? 0;
        push(
          {
            kind: 'frozenProduction',
            subject: fam.code,
            period,
            limit: frozen,
            relax: rc > 0 ? 'lower' : 'raise',
          },
          Math.abs(rc),
        );
      }
      // Below: the hard minimum stock; above: the chase strategy's cap.
      const stock = stockLimitColumns(m, k);
      const limits = { lo: stock.lowerLimit, hi: stock.upperLimit };
      if ((d[stock.lower] ?? 0) > 0) colBound(stock.lower, 'minStock', fam.code, period, limits);
      if ((d[stock.upper] ?? 0) < 0) colBound(stock.upper, 'chaseLimit', fam.code, period, limits);
      const fresh = m.rows.freshness[k] ?? -1;
      if (fresh >= 0)
        push(
          { kind: 'shelfLife', subject: fam.code, period, limit: 0, relax: 'raise' },
          -rowDual(fresh),
        );
      const back = m.B[k] ?? -1;
      if (back >= 0 && Number.isFinite(m.lp.colUpper[back] ?? Number.POSITIVE_INFINITY))
        colBound(
          back,
          p.options.maxBacklog !== null ? 'maxBacklog' : 'chaseLimit',
          fam.code,
          period,
        );
    }
    // The ending rules: stock at least the minimum (a dual ≥ 0), backlog at most the limit (≤ 0).
    const ending = [
      [m.rows.endingInventory, 'endingInventory', fam.endingInventoryMin, 'lower', 1],
      [m.rows.endingBacklog, 'endingBacklog', fam.endingBacklogMax ?? 0, 'raise', -1],
    ] as const;
    for (const [rows, kind, limit, relax, sign] of ending) {
      const i = rows[f] ?? -1;
      if (i >= 0)
        push(
          { kind, subject: fam.code, period: p.periods[T - 1] ?? null, limit, relax },
          sign * rowDual(i),
        );
    }
  });
  binding.sort((a, b) => b.value - a.value);
  return {
    resources,
    families,
    binding,
    ...(sol.stepFailure ? { pricingError: sol.stepFailure } : {}),
  };
}
