/**
 * The aggregate plan as a linear program (docs/plan-format.md, "The model").
 * Columns carry a kind and (entity, period) indices instead of names, so decoding a big
 * solution is array arithmetic; names are made only when someone exports the LP.
 */
import { addMonths } from '../period.js';
import { type LpBuilder as Builder, LpBuilder, type LpModel } from './lp.js';
import { perWorkerOvertime } from './overtime.js';
import {
  familyCost,
  type PlanFamily,
  type PlanProblem,
  resourceCost,
  safetyPenalty,
} from './problem.js';

/**
 * - optimal: the LP's free choice.
 * - chase (= chase-stock): stock and backlog follow demand; capacity flexes by whatever is
 *   cheapest, so a crew may sit idle.
 * - chase-workforce: the textbook chase: as chase-stock, and each workforce is sized month
 *   by month to its load (no idle time, no crew overtime), with no subcontracting.
 * - level: constant production and head count.
 */
export type Strategy = 'optimal' | 'chase' | 'chase-stock' | 'chase-workforce' | 'level';
export const STRATEGIES: readonly Strategy[] = [
  'optimal',
  'chase',
  'chase-stock',
  'chase-workforce',
  'level',
];
/** True for both chase strategies: no stock beyond what rules require, no new backlog. */
export const isChase = (s: Strategy): boolean =>
  s === 'chase' || s === 'chase-stock' || s === 'chase-workforce';

export const Col = {
  Production: 0,
  Subcontract: 1,
  Inventory: 2,
  Backlog: 3,
  Lost: 4,
  SafetyShort: 5,
  Overtime: 6,
  Workers: 7,
  Hires: 8,
  Layoffs: 9,
  /** Elastic only: demand that cannot be served at all. */
  Unmet: 10,
  /** Elastic only: capacity missing on a resource. */
  ExtraCapacity: 11,
  /** Elastic only: shortfall against the ending-inventory target. */
  EndingShort: 12,
  /** Elastic only: backlog above the ending-backlog limit. */
  EndingExcess: 13,
  /** Expired units thrown away (shelf life). */
  Scrap: 14,
  /** Elastic only: stock below the hard minimum. */
  MinStockShort: 15,
  /** Elastic only: units that would expire where expiry is forbidden. */
  ExpiredExcess: 16,
  /** Supplier with a minimum order: 1 when an order arrives this month (binary). */
  Order: 17,
  /**
   * The part of the stock up to the safety stock (the rest is Inventory). Cheaper than
   * Inventory by the safety-stock penalty, so it fills first and the shortfall is
   * safety stock − this column: no row and no shortfall column are needed.
   */
  SafetyStock: 18,
} as const;
export type Col = (typeof Col)[keyof typeof Col];

const COL_PREFIX = [
  'P',
  'S',
  'I',
  'B',
  'X',
  'Z',
  'O',
  'W',
  'H',
  'L',
  'U',
  'K',
  'E',
  'Q',
  'SCRAP',
  'V',
  'EXP',
  'Y',
  'IS',
];

/** Days in a month `YYYY-MM` (for cover in days of demand). */
function daysIn(period: string): number {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y ?? 2000, m ?? 1, 0)).getUTCDate();
}

/**
 * `xs[i]` for an index that must exist; a RangeError naming `what` when it does not (a bug
 * in the model's bookkeeping, never bad input).
 */
export function at<T>(xs: ArrayLike<T>, i: number, what: string): T {
  const v = xs[i];
  if (v === undefined) throw new RangeError(`${what}: no entry at index ${i} of ${xs.length}`);
  return v;
}

/**
 * The hard minimum stock of a family at each month end (docs/plan-format.md, "Minimum
 * stock"): the largest of its rules, units or cover of next month's demand.
 */
export function minStockLevels(
  fam: PlanFamily,
  periods: readonly string[],
  demandOf: (t: number) => number,
): Float64Array {
  const T = periods.length;
  const out = new Float64Array(T);
  const ms = fam.minStock;
  if (!ms) return out;
  periods.forEach((period, t) => {
    const next = t + 1 < T ? demandOf(t + 1) : (ms.demandAfterHorizon ?? demandOf(t));
    const nextPeriod = periods[t + 1] ?? addMonths(period, 1);
    let level = ms.unitsByPeriod?.[period] ?? ms.units ?? 0;
    if (ms.shareOfNextDemand !== undefined) level = Math.max(level, ms.shareOfNextDemand * next);
    if (ms.daysOfDemand !== undefined)
      level = Math.max(level, (ms.daysOfDemand * next) / daysIn(nextPeriod));
    out[t] = level;
  });
  return out;
}

/** Column index of each variable, -1 where the column does not exist. */
export interface ModelColumns {
  /** Per family and month, at f*T+t: production, subcontracting, stock above the safety stock. */
  readonly P: Int32Array;
  readonly S: Int32Array;
  /** Stock above the safety stock (all of the stock when IS is -1). */
  readonly I: Int32Array;
  /** Stock up to the safety stock (Col.SafetyStock), -1 when the family has none. */
  readonly IS: Int32Array;
  readonly B: Int32Array;
  readonly X: Int32Array;
  /** Safety-stock shortfall, only where the penalty is not positive (see Col.SafetyStock). */
  readonly Z: Int32Array;
  readonly U: Int32Array;
  /** Expired units scrapped, elastic minimum-stock shortfall, elastic expiry excess. */
  readonly SC: Int32Array;
  readonly V: Int32Array;
  readonly EX: Int32Array;
  /** Per family: elastic ending shortfall and excess. */
  readonly E: Int32Array;
  readonly Q: Int32Array;
  /** Per resource r at r*T+t. */
  readonly O: Int32Array;
  readonly W: Int32Array;
  readonly H: Int32Array;
  readonly L: Int32Array;
  readonly K: Int32Array;
  /** Order-or-not binaries of suppliers with a minimum order quantity. */
  readonly Y: Int32Array;
}

export interface BuiltModel extends ModelColumns {
  readonly lp: LpModel;
  readonly kind: Int8Array;
  /** Family or resource index of each column. */
  readonly owner: Int32Array;
  readonly period: Int32Array;
  /** Hard minimum stock at f*T+t (0 when none). */
  readonly minStock: Float64Array;
  /** Demand at f*T+t. */
  readonly demand: Float64Array;
  /** Regular capacity at r*T+t excluding workforce hours, and hours per worker (after availability). */
  readonly baseCapacity: Float64Array;
  readonly hoursPerWorker: Float64Array;
  /** Machine: overtime cap; workforce: the crew-wide cap (Infinity when none). */
  readonly overtimeLimit: Float64Array;
  /** Workforce: overtime hours one worker may give this month (after availability); Infinity = no cap. */
  readonly overtimePerWorker: Float64Array;
  /** Fixed production at f*T+t, NaN when not frozen. */
  readonly frozen: Float64Array;
  /** loads[r] = family indices and units of capacity per unit. */
  readonly loadsByResource: readonly { readonly f: Int32Array; readonly a: Float64Array }[];
  /** Row indices (−1 when the row does not exist), for reading duals. */
  readonly rows: ModelRows;
}

export interface ModelRows {
  /** Inventory balance of family f in month t, at f*T+t. */
  readonly balance: Int32Array;
  /**
   * Units shipped are not negative (backlog grows by at most the month's demand), at f*T+t;
   * all -1 in a model built without them (BuildOptions.shipped).
   */
  readonly shipped: Int32Array;
  /** Regular capacity of resource r in month t, at r*T+t. */
  readonly capacity: Int32Array;
  /** A workforce's overtime limit (overtime ≤ hours per worker × workers), at r*T+t. */
  readonly overtime: Int32Array;
  /** Ending inventory minimum and ending backlog maximum, per family. */
  readonly endingInventory: Int32Array;
  readonly endingBacklog: Int32Array;
  /** Minimum stock (elastic model only; otherwise a bound on I), at f*T+t. */
  readonly minStock: Int32Array;
  /** Shelf life: stock carried ≤ what was made recently enough, at f*T+t. */
  readonly freshness: Int32Array;
}

/** The stock of family-month k in a solution: the two stock columns together. */
export function stockAt(m: ModelColumns, k: number, value: (j: number) => number): number {
  const is = at(m.IS, k, 'IS');
  return value(at(m.I, k, 'I')) + (is >= 0 ? value(is) : 0);
}

/**
 * The columns whose bounds carry the stock's lower limit (the hard minimum) and its upper
 * limit (the chase cap) for family-month k, and those limits. With a safety stock ss the
 * stock is IS ∈ [min(lo, ss), min(ss, hi)] plus I ∈ [lo − that, hi − that]: a minimum up
 * to ss moves IS's lower bound, one above it I's; the chase cap is never below ss, so it
 * moves I's upper bound.
 */
export function stockLimitColumns(
  m: BuiltModel,
  k: number,
): { lower: number; upper: number; lowerLimit: number; upperLimit: number } {
  const i = at(m.I, k, 'I');
  const is = at(m.IS, k, 'IS');
  const lo = (j: number): number => m.lp.colLower[j] ?? 0;
  const hi = (j: number): number => m.lp.colUpper[j] ?? Number.POSITIVE_INFINITY;
  if (is < 0) return { lower: i, upper: i, lowerLimit: lo(i), upperLimit: hi(i) };
  return {
    lower: lo(i) > 0 ? i : is,
    upper: i,
    lowerLimit: lo(i) + lo(is),
    upperLimit: hi(i) + hi(is),
  };
}

/**
 * Most overtime resource-month k may use with `workers` on the crew: the machine's cap, or
 * for a workforce the smaller of hours per worker × availability × workers and the crew cap.
 */
export function overtimeCap(m: BuiltModel, k: number, workers: number): number {
  if (at(m.O, k, 'O') < 0) return 0;
  const cap = m.overtimeLimit[k] ?? 0;
  if (at(m.W, k, 'W') < 0) return cap;
  return Math.min(cap, workers * (m.overtimePerWorker[k] ?? 0));
}

export interface BuildOptions {
  readonly strategy: Strategy;
  /** Add penalised slacks so the model is always feasible (infeasibility diagnosis). */
  readonly elastic?: boolean;
  /**
   * Include the shipped rows (default true). solvePlan first solves without them and keeps
   * that plan only when it ships nothing negative, which then makes it optimal with them.
   */
  readonly shipped?: boolean;
}

type CostField = Parameters<typeof familyCost>[1];

/** An index array of length n per name, every entry -1 (no column or row yet). */
function unset<K extends string>(names: readonly K[], n: number): Record<K, Int32Array> {
  return Object.fromEntries(names.map((name) => [name, new Int32Array(n).fill(-1)])) as Record<
    K,
    Int32Array
  >;
}

/** A penalty that dominates every real cost: diagnosis first minimises what cannot be done. */
function elasticPenalty(p: PlanProblem): number {
  const fields: readonly CostField[] = [
    'unitCost',
    'holdingCost',
    'backlogCost',
    'subcontractCost',
  ];
  let maxCost = 1;
  for (const f of p.families)
    for (const t of p.periods) {
      for (const field of fields) maxCost = Math.max(maxCost, familyCost(f, field, t));
      maxCost = Math.max(maxCost, f.shelfLife?.scrapCost ?? 0);
    }
  for (const r of p.resources)
    for (const t of p.periods)
      maxCost = Math.max(
        maxCost,
        resourceCost(r, 'overtimeCost', t),
        resourceCost(r, 'costPerWorker', t),
      );
  return maxCost * 1e3 * p.periods.length;
}

/** Demand, frozen production and loads of a problem as arrays indexed like the columns. */
function indexProblem(p: PlanProblem) {
  const T = p.periods.length;
  const F = p.families.length;
  const famIdx = new Map(p.families.map((f, i) => [f.code, i]));
  const resIdx = new Map(p.resources.map((r, i) => [r.code, i]));
  const perIdx = new Map(p.periods.map((t, i) => [t, i]));
  const demand = new Float64Array(F * T);
  for (const d of p.demand) {
    const f = famIdx.get(d.family);
    const t = perIdx.get(d.period);
    if (f !== undefined && t !== undefined) demand[f * T + t] = d.units;
  }
  const frozen = new Float64Array(F * T).fill(Number.NaN);
  const frozenPeriod = new Uint8Array(T);
  for (const fr of p.frozen) {
    const f = famIdx.get(fr.family);
    const t = perIdx.get(fr.period);
    if (f === undefined || t === undefined) continue;
    frozen[f * T + t] = fr.production;
    frozenPeriod[t] = 1;
  }
  const byRes = p.resources.map(() => ({ f: [] as number[], a: [] as number[] }));
  for (const l of p.loads) {
    const f = famIdx.get(l.family);
    const r = resIdx.get(l.resource);
    if (f === undefined || r === undefined || l.perUnit === 0) continue;
    const loads = at(byRes, r, 'loads by resource');
    loads.f.push(f);
    loads.a.push(l.perUnit);
  }
  return { demand, frozen, frozenPeriod, byRes };
}

export function buildModel(p: PlanProblem, opts: BuildOptions): BuiltModel {
  const T = p.periods.length;
  const F = p.families.length;
  const R = p.resources.length;
  const { demand, frozen, frozenPeriod, byRes } = indexProblem(p);

  const elastic = opts.elastic === true;
  const b = new LpBuilder();
  const kind: number[] = [];
  const owner: number[] = [];
  const per: number[] = [];
  const col = (k: Col, o: number, t: number, cost: number, lo = 0, hi = Infinity): number => {
    kind.push(k);
    owner.push(o);
    per.push(t);
    return b.addCol(cost, lo, hi);
  };
  const c: ModelColumns = {
    ...unset(['P', 'S', 'I', 'IS', 'B', 'X', 'Z', 'U', 'SC', 'V', 'EX'], F * T),
    ...unset(['E', 'Q'], F),
    ...unset(['O', 'W', 'H', 'L', 'K', 'Y'], R * T),
  };
  const penalty = elastic ? elasticPenalty(p) : 0;

  const { overtime, subcontracting, lostSales, maxBacklog } = p.options;
  const chase = isChase(opts.strategy);
  const crewChase = opts.strategy === 'chase-workforce';
  const minStock = new Float64Array(F * T);
  p.families.forEach((fam, f) => {
    const levels = minStockLevels(fam, p.periods, (t) => demand[f * T + t] ?? 0);
    minStock.set(levels, f * T);
    let cumDemand = 0;
    p.periods.forEach((period, t) => {
      const k = f * T + t;
      const unitCost = familyCost(fam, 'unitCost', period);
      const holdingCost = familyCost(fam, 'holdingCost', period);
      cumDemand += demand[k] ?? 0;
      const fix = frozen[k] ?? Number.NaN;
      c.P[k] = Number.isNaN(fix)
        ? col(Col.Production, f, t, unitCost)
        : col(Col.Production, f, t, unitCost, fix, fix);
      if (
        subcontracting &&
        !crewChase &&
        fam.subcontractCost !== null &&
        fam.subcontractLimit !== 0
      )
        c.S[k] = col(
          Col.Subcontract,
          f,
          t,
          familyCost(fam, 'subcontractCost', period),
          0,
          fam.subcontractLimit ?? Infinity,
        );
      const floor = levels[t] ?? 0;
      let invHi = Infinity;
      let backHi = maxBacklog ?? Infinity;
      if (chase && frozenPeriod[t] === 0) {
        // Chase: no stock beyond safety stock (or what the opening stock forces), no new backlog.
        invHi = Math.max(fam.safetyStock, floor, fam.initialInventory - cumDemand);
        if (t === T - 1) invHi = Math.max(invHi, fam.endingInventoryMin);
        backHi = Math.min(backHi, fam.initialBacklog);
      }
      // The hard minimum is a bound on the stock, or a penalised row in the elastic model.
      const invLo = elastic ? 0 : floor;
      const ss = fam.safetyStock;
      const safetyStockPenalty = safetyPenalty(p, fam);
      if (ss > 0 && safetyStockPenalty > 0) {
        // Stock = IS + I with IS ≤ safety stock and IS cheaper by the penalty, so IS fills
        // first and the shortfall is ss − IS: the LP of I + Z ≥ ss without its row.
        const lo = Math.min(invLo, ss);
        const hi = Math.min(ss, invHi);
        c.I[k] = col(Col.Inventory, f, t, holdingCost, invLo - lo, invHi - hi);
        c.IS[k] = col(Col.SafetyStock, f, t, holdingCost - safetyStockPenalty, lo, hi);
      } else {
        c.I[k] = col(Col.Inventory, f, t, holdingCost, invLo, invHi);
        if (ss > 0) c.Z[k] = col(Col.SafetyShort, f, t, safetyStockPenalty);
      }
      c.B[k] = col(Col.Backlog, f, t, familyCost(fam, 'backlogCost', period), 0, backHi);
      // Demand given up or unserved is at most the month's demand (it must not feed stock).
      if (lostSales)
        c.X[k] = col(Col.Lost, f, t, familyCost(fam, 'lostSalesCost', period), 0, demand[k] ?? 0);
      if (fam.shelfLife?.expired === 'scrap')
        c.SC[k] = col(Col.Scrap, f, t, fam.shelfLife.scrapCost);
      if (elastic) {
        c.U[k] = col(Col.Unmet, f, t, penalty, 0, demand[k] ?? 0);
        // A shortfall in every month still costs less than one unit of unmet demand: when a
        // minimum or an expiry rule is what cannot be met, the diagnosis names it rather
        // than the demand it would otherwise leave unserved.
        const soft = penalty / (2 * T);
        if (floor > 0) c.V[k] = col(Col.MinStockShort, f, t, soft);
        if (fam.shelfLife?.expired === 'forbid') c.EX[k] = col(Col.ExpiredExcess, f, t, soft);
      }
    });
    if (elastic) {
      c.E[f] = col(Col.EndingShort, f, T - 1, penalty);
      if (fam.endingBacklogMax !== null) c.Q[f] = col(Col.EndingExcess, f, T - 1, penalty);
    }
  });

  const baseCapacity = new Float64Array(R * T);
  const hoursPerWorker = new Float64Array(R * T);
  const overtimeLimit = new Float64Array(R * T);
  const overtimePerWorker = new Float64Array(R * T);
  p.resources.forEach((res, r) => {
    const wf = res.workforce;
    p.periods.forEach((period, t) => {
      const k = r * T + t;
      const avail = res.availabilityByPeriod[period] ?? 1;
      const regular = (res.capacityByPeriod[period] ?? res.capacity) * avail;
      // Inside a supplier's lead time the orders are placed: what arrives is fixed.
      baseCapacity[k] =
        t < (res.leadTime ?? 0) ? (res.scheduledReceipts?.[period] ?? regular) : regular;
      hoursPerWorker[k] = wf ? wf.hoursPerWorker * avail : 0;
      let otLimit: number;
      if (wf) {
        const crew = wf.crewOvertimeLimitByPeriod?.[period] ?? wf.crewOvertimeLimit;
        otLimit = crew ?? Infinity;
        // Per worker (the shared rule, overtime.ts), scaled by availability like regular hours.
        const pw = perWorkerOvertime(wf.overtimeHoursPerWorker, crew);
        overtimePerWorker[k] = Number.isFinite(pw) ? pw * avail : pw;
      } else otLimit = res.overtimeLimitByPeriod[period] ?? res.overtimeLimit;
      // Frozen production is the adopted plan, made with the overtime it needed: a plan that
      // bans overtime (a cautious scenario) bans it from the first month after the fence.
      const otAllowed = overtime || frozenPeriod[t] === 1;
      overtimeLimit[k] = otAllowed ? otLimit : 0;
      const crewOvertime = wf !== null && !crewChase && (overtimePerWorker[k] ?? 0) > 0;
      if (otAllowed && otLimit > 0 && (wf === null || crewOvertime))
        c.O[k] = col(Col.Overtime, r, t, resourceCost(res, 'overtimeCost', period), 0, otLimit);
      if (wf) {
        // Under a hiring freeze the crew grows inside the fence only as far as the frozen
        // production needs in regular time (the adopted plan's hires), and not at all after.
        let frozenCap = Number.POSITIVE_INFINITY;
        if (wf.hiringFreeze && frozenPeriod[t] === 1) {
          const l = at(byRes, r, 'loads by resource');
          let load = 0;
          l.f.forEach((f, n) => {
            const fix = frozen[f * T + t] ?? Number.NaN;
            if (!Number.isNaN(fix)) load += (l.a[n] ?? 0) * fix;
          });
          const per = hoursPerWorker[k] ?? 0;
          const raw = per > 0 ? Math.max(0, load - (baseCapacity[k] ?? 0)) / per : 0;
          // whole workers: the last one may be part-idle
          const need = wf.integer ? Math.ceil(raw - 1e-9) : raw;
          frozenCap = Math.max(wf.initialWorkers, wf.minWorkers ?? 0, need);
        }
        const w = col(
          Col.Workers,
          r,
          t,
          resourceCost(res, 'costPerWorker', period),
          wf.minWorkers ?? 0,
          Math.min(wf.maxWorkers ?? Infinity, frozenCap),
        );
        // A hiring freeze starts after the fence: frozen production is the adopted plan, made
        // with the crew it hired.
        const h = col(
          Col.Hires,
          r,
          t,
          resourceCost(res, 'hireCost', period),
          0,
          wf.hiringFreeze && frozenPeriod[t] === 0 ? 0 : Infinity,
        );
        const l = col(Col.Layoffs, r, t, resourceCost(res, 'layoffCost', period));
        c.W[k] = w;
        c.H[k] = h;
        c.L[k] = l;
        if (wf.integer) for (const j of [w, h, l]) b.setInteger(j);
      }
      if (elastic) c.K[k] = col(Col.ExtraCapacity, r, t, penalty * 100);
      if ((res.minOrderQuantity ?? 0) > 0 && t >= (res.leadTime ?? 0)) {
        const y = col(Col.Order, r, t, 0, 0, 1);
        c.Y[k] = y;
        b.setInteger(y);
      }
    });
  });

  const rows = addRows(b, p, {
    ...c,
    crewChase,
    shipped: opts.shipped !== false,
    T,
    F,
    R,
    demand,
    baseCapacity,
    overtimeLimit,
    minStock,
    overtimePerWorker,
    byRes,
  });
  addStrategyRows(b, p, opts.strategy, { T, P: c.P, W: c.W, frozenPeriod });

  const lp = b.build(
    (j) => `${COL_PREFIX[kind[j] ?? 0]}_${owner[j]}_${per[j]}`,
    (i) => `r${i}`,
    { timeLimit: p.options.mip?.timeLimit ?? 60, relativeGap: p.options.mip?.relativeGap ?? 1e-4 },
  );
  return {
    ...c,
    lp,
    kind: Int8Array.from(kind),
    owner: Int32Array.from(owner),
    period: Int32Array.from(per),
    minStock,
    demand,
    baseCapacity,
    hoursPerWorker,
    overtimeLimit,
    overtimePerWorker,
    frozen,
    loadsByResource: byRes.map((x) => ({ f: Int32Array.from(x.f), a: Float64Array.from(x.a) })),
    rows,
  };
}

interface RowCtx extends ModelColumns {
  crewChase: boolean;
  shipped: boolean;
  T: number;
  F: number;
  R: number;
  demand: Float64Array;
  baseCapacity: Float64Array;
  overtimeLimit: Float64Array;
  minStock: Float64Array;
  overtimePerWorker: Float64Array;
  byRes: { f: number[]; a: number[] }[];
}

/** Coefficients of the row being written; `add` skips columns that do not exist. */
class RowTerms {
  private readonly cols: number[] = [];
  private readonly coefs: number[] = [];

  constructor(private readonly b: Builder) {}

  /** Adds v × the column at xs[k] (nothing when that column does not exist). */
  add(xs: Int32Array, k: number, v: number, what: string): void {
    const j = at(xs, k, what);
    if (j >= 0) {
      this.cols.push(j);
      this.coefs.push(v);
    }
  }

  /** v × the stock of family-month k: both stock columns. */
  stock(c: ModelColumns, k: number, v: number): void {
    this.add(c.I, k, v, 'I');
    this.add(c.IS, k, v, 'IS');
  }

  /** Writes lo ≤ terms ≤ hi and starts the next row. */
  row(lo: number, hi: number): number {
    const i = this.b.addRow(this.cols, this.coefs, lo, hi);
    this.cols.length = 0;
    this.coefs.length = 0;
    return i;
  }
}

function addRows(b: Builder, p: PlanProblem, c: RowCtx): ModelRows {
  const { T, F, R } = c;
  const rows: ModelRows = {
    ...unset(['balance', 'shipped', 'minStock', 'freshness'], F * T),
    ...unset(['capacity', 'overtime'], R * T),
    ...unset(['endingInventory', 'endingBacklog'], F),
  };
  const r = new RowTerms(b);
  p.families.forEach((fam, f) => {
    for (let t = 0; t < T; t++) {
      const k = f * T + t;
      // Balance: P + S + X + U + I[t-1] − B[t-1] − I[t] − scrap + B[t] = D[t].
      r.add(c.P, k, 1, 'P');
      r.add(c.S, k, 1, 'S');
      r.add(c.X, k, 1, 'X');
      r.add(c.U, k, 1, 'U');
      r.stock(c, k, -1);
      r.add(c.SC, k, -1, 'SC');
      r.add(c.B, k, 1, 'B');
      let rhs = c.demand[k] ?? 0;
      if (t === 0) rhs += fam.initialBacklog - fam.initialInventory;
      else {
        r.stock(c, k - 1, 1);
        r.add(c.B, k - 1, -1, 'B');
      }
      rows.balance[k] = r.row(rhs, rhs);
      if (c.shipped) {
        // Shipped: D − X − U + B[t-1] − B[t] ≥ 0. The balance alone fixes only I − B, so a
        // stock rule (a minimum, a safety stock, an ending target) could otherwise be met by
        // raising I and B together: stock that was never made. With it, stock and backlog
        // of one family coexist only when stock really made is held back for such a rule.
        r.add(c.B, k, 1, 'B');
        r.add(c.X, k, 1, 'X');
        r.add(c.U, k, 1, 'U');
        if (t > 0) r.add(c.B, k - 1, -1, 'B');
        rows.shipped[k] = r.row(-Infinity, shippedBound(fam, c.demand, k, t));
      }
      if (at(c.Z, k, 'Z') >= 0) {
        r.add(c.I, k, 1, 'I');
        r.add(c.Z, k, 1, 'Z');
        r.row(fam.safetyStock, Infinity);
      }
      if (at(c.V, k, 'V') >= 0) {
        r.stock(c, k, 1);
        r.add(c.V, k, 1, 'V');
        rows.minStock[k] = r.row(c.minStock[k] ?? 0, Infinity);
      }
      const life = fam.shelfLife?.periods;
      if (life !== undefined) {
        // Stock by age, in closed form: sold oldest first, what is carried out of month t
        // is the newest units, so it must have been made (or bought) in t−life+2 .. t; the
        // opening stock counts as made the month before the horizon. Older units expire.
        for (let s = Math.max(0, t - life + 2); s <= t; s++) {
          r.add(c.P, f * T + s, -1, 'P');
          r.add(c.S, f * T + s, -1, 'S');
        }
        r.stock(c, k, 1);
        r.add(c.EX, k, -1, 'EX');
        rows.freshness[k] = r.row(-Infinity, t <= life - 3 ? fam.initialInventory : 0);
      }
    }
    const last = f * T + T - 1;
    if (fam.endingInventoryMin > 0) {
      r.stock(c, last, 1);
      r.add(c.E, f, 1, 'E');
      rows.endingInventory[f] = r.row(fam.endingInventoryMin, Infinity);
    }
    if (fam.endingBacklogMax !== null) {
      r.add(c.B, last, 1, 'B');
      r.add(c.Q, f, -1, 'Q');
      rows.endingBacklog[f] = r.row(-Infinity, fam.endingBacklogMax);
    }
  });
  p.resources.forEach((res, ri) => {
    const wf = res.workforce;
    const loads = at(c.byRes, ri, 'loads by resource');
    p.periods.forEach((period, t) => {
      const k = ri * T + t;
      const avail = res.availabilityByPeriod[period] ?? 1;
      // Capacity: Σ a·P − O − hours·W − K ≤ base capacity; a warehouse loads the stock.
      const addLoad = (): void =>
        loads.f.forEach((f, n) => {
          const a = loads.a[n] ?? 0;
          if (res.storage) r.stock(c, f * T + t, a);
          else r.add(c.P, f * T + t, a, 'P');
        });
      addLoad();
      r.add(c.O, k, -1, 'O');
      if (wf) r.add(c.W, k, -wf.hoursPerWorker * avail, 'W');
      r.add(c.K, k, -1, 'K');
      // The workforce chase sizes the crew to its load: its hours are all used.
      // Whole workers: idle time under one worker's hours (the head count is rounded up).
      const sized = wf !== null && c.crewChase && (c.baseCapacity[k] ?? 0) === 0;
      const slack = wf?.integer ? wf.hoursPerWorker * avail * (1 - 1e-9) : 0;
      rows.capacity[k] = r.row(sized ? -slack : -Infinity, c.baseCapacity[k] ?? 0);
      if (at(c.Y, k, 'Y') >= 0) {
        // Minimum order: what arrives (and is used) this month is 0 or at least the MOQ:
        // MOQ·Y ≤ Σ a·P ≤ M·Y, M = the most that can arrive.
        const moq = res.minOrderQuantity ?? 0;
        addLoad();
        r.add(c.Y, k, -moq, 'Y');
        r.row(0, Infinity);
        addLoad();
        r.add(c.K, k, -1, 'K');
        r.add(c.Y, k, -bigM(p, c, ri, t), 'Y');
        r.row(-Infinity, 0);
      }
      if (wf) {
        // Workforce: W[t] − W[t-1] − H + L = 0 (W[-1] = initial workers).
        r.add(c.W, k, 1, 'W');
        r.add(c.H, k, -1, 'H');
        r.add(c.L, k, 1, 'L');
        if (t > 0) r.add(c.W, k - 1, -1, 'W');
        const w0 = t === 0 ? wf.initialWorkers : 0;
        r.row(w0, w0);
        const perWorker = c.overtimePerWorker[k] ?? 0;
        if (at(c.O, k, 'O') >= 0 && Number.isFinite(perWorker)) {
          r.add(c.O, k, 1, 'O');
          r.add(c.W, k, -perWorker, 'W');
          rows.overtime[k] = r.row(-Infinity, 0);
        }
      }
    });
  });
  return rows;
}

/** Right-hand side of the shipped row of family-month k: demand, plus opening backlog in month 1. */
function shippedBound(fam: PlanFamily, demand: Float64Array, k: number, t: number): number {
  return (demand[k] ?? 0) + (t === 0 ? fam.initialBacklog : 0);
}

/**
 * True when a plan solved without the shipped rows ships nothing negative: then it meets
 * them too, and being optimal without them it is optimal with them (BuildOptions.shipped).
 */
export function shipsNothingNegative(p: PlanProblem, m: BuiltModel, x: Float64Array): boolean {
  const T = p.periods.length;
  const val = (xs: Int32Array, k: number): number => {
    const j = at(xs, k, 'column');
    return j >= 0 ? (x[j] ?? 0) : 0;
  };
  return p.families.every((fam, f) => {
    for (let t = 0; t < T; t++) {
      const k = f * T + t;
      const bound = shippedBound(fam, m.demand, k, t);
      const lhs = val(m.B, k) + val(m.X, k) + val(m.U, k) - (t > 0 ? val(m.B, k - 1) : 0);
      // HiGHS's primal feasibility tolerance, relative to the size of the row.
      if (lhs > bound + 1e-7 * Math.max(1, Math.abs(bound))) return false;
    }
    return true;
  });
}

/** The most a supplier can deliver in month t: capacity plus overtime, or all demand's load. */
function bigM(p: PlanProblem, c: RowCtx, r: number, t: number): number {
  const k = r * c.T + t;
  const cap = (c.baseCapacity[k] ?? 0) + (at(c.O, k, 'O') >= 0 ? (c.overtimeLimit[k] ?? 0) : 0);
  if (Number.isFinite(cap)) return cap;
  const loads = at(c.byRes, r, 'loads by resource');
  let total = 0;
  loads.f.forEach((f, n) => {
    const fam = at(p.families, f, 'families');
    let units = fam.initialBacklog + fam.endingInventoryMin;
    for (let s = 0; s < c.T; s++)
      units += (c.demand[f * c.T + s] ?? 0) + (c.minStock[f * c.T + s] ?? 0);
    total += (loads.a[n] ?? 0) * units;
  });
  return total;
}

function addStrategyRows(
  b: Builder,
  p: PlanProblem,
  strategy: Strategy,
  c: { T: number; P: Int32Array; W: Int32Array; frozenPeriod: Uint8Array },
): void {
  if (strategy !== 'level') return;
  const { T } = c;
  const free: number[] = [];
  for (let t = 0; t < T; t++) if (c.frozenPeriod[t] === 0) free.push(t);
  // Level: production of each family, and each workforce, is the same in every free month.
  const same = (xs: Int32Array, o: number, t0: number, t1: number, what: string): void => {
    b.addRow([at(xs, o * T + t0, what), at(xs, o * T + t1, what)], [1, -1], 0, 0);
  };
  free.forEach((t1, n) => {
    const t0 = free[n - 1];
    if (t0 === undefined) return;
    for (let f = 0; f < p.families.length; f++) same(c.P, f, t0, t1, 'P');
    p.resources.forEach((res, r) => {
      if (res.workforce) same(c.W, r, t0, t1, 'W');
    });
  });
}
