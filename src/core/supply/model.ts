/**
 * The aggregate plan as a linear program (docs/plan-format.md, "The model").
 * Columns carry a kind and (entity, period) indices instead of names, so decoding a big
 * solution is array arithmetic; names are made only when someone exports the LP.
 */
import { addMonths } from '../period.js';
import { type LpBuilder as Builder, LpBuilder, type LpModel } from './lp.js';
import { familyCost, type PlanFamily, type PlanProblem, resourceCost } from './problem.js';

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
];

/** Days in a month `YYYY-MM` (for cover in days of demand). */
function daysIn(period: string): number {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y ?? 2000, m ?? 1, 0)).getUTCDate();
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
  for (let t = 0; t < T; t++) {
    const next = t + 1 < T ? demandOf(t + 1) : (ms.demandAfterHorizon ?? demandOf(t));
    const nextPeriod = periods[t + 1] ?? addMonths(periods[t]!, 1);
    let level = ms.unitsByPeriod?.[periods[t]!] ?? ms.units ?? 0;
    if (ms.shareOfNextDemand !== undefined) level = Math.max(level, ms.shareOfNextDemand * next);
    if (ms.daysOfDemand !== undefined)
      level = Math.max(level, (ms.daysOfDemand * next) / daysIn(nextPeriod));
    out[t] = level;
  }
  return out;
}

export interface BuiltModel {
  readonly lp: LpModel;
  readonly kind: Int8Array;
  /** Family or resource index of each column. */
  readonly owner: Int32Array;
  readonly period: Int32Array;
  /** Column index of P[f,t] at f*T+t (and so on); -1 when the column does not exist. */
  readonly P: Int32Array;
  readonly S: Int32Array;
  readonly I: Int32Array;
  readonly B: Int32Array;
  readonly X: Int32Array;
  readonly Z: Int32Array;
  readonly U: Int32Array;
  /** Expired units scrapped, elastic minimum-stock shortfall, elastic expiry excess. */
  readonly SC: Int32Array;
  readonly V: Int32Array;
  readonly EX: Int32Array;
  /** Hard minimum stock at f*T+t (0 when none). */
  readonly minStock: Float64Array;
  /** Per resource r at r*T+t. */
  readonly O: Int32Array;
  readonly W: Int32Array;
  readonly H: Int32Array;
  readonly L: Int32Array;
  readonly K: Int32Array;
  /** Order-or-not binaries of suppliers with a minimum order quantity. */
  readonly Y: Int32Array;
  /** Per family. */
  readonly E: Int32Array;
  readonly Q: Int32Array;
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
  /** Units shipped are not negative (backlog grows by at most the month's demand), at f*T+t. */
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

/**
 * Most overtime resource-month k may use with `workers` on the crew: the machine's cap, or
 * for a workforce the smaller of hours per worker × availability × workers and the crew cap.
 */
export function overtimeCap(m: BuiltModel, k: number, workers: number): number {
  if (m.O[k]! < 0) return 0;
  const cap = m.overtimeLimit[k] ?? 0;
  if (m.W[k]! < 0) return cap;
  return Math.min(cap, workers * (m.overtimePerWorker[k] ?? 0));
}

export interface BuildOptions {
  readonly strategy: Strategy;
  /** Add penalised slacks so the model is always feasible (infeasibility diagnosis). */
  readonly elastic?: boolean;
}

export function buildModel(p: PlanProblem, opts: BuildOptions): BuiltModel {
  const T = p.periods.length;
  const F = p.families.length;
  const R = p.resources.length;
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
  const byRes: { f: number[]; a: number[] }[] = p.resources.map(() => ({ f: [], a: [] }));
  for (const l of p.loads) {
    const f = famIdx.get(l.family);
    const r = resIdx.get(l.resource);
    if (f === undefined || r === undefined || l.perUnit === 0) continue;
    byRes[r]?.f.push(f);
    byRes[r]?.a.push(l.perUnit);
  }

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
  const idx = (n: number): Int32Array => new Int32Array(n).fill(-1);
  const P = idx(F * T);
  const S = idx(F * T);
  const I = idx(F * T);
  const B = idx(F * T);
  const X = idx(F * T);
  const Z = idx(F * T);
  const U = idx(F * T);
  const E = idx(F);
  const Q = idx(F);

  // A penalty that dominates every real cost: diagnosis first minimises what cannot be done.
  let maxCost = 1;
  for (const f of p.families)
    for (const t of p.periods)
      maxCost = Math.max(
        maxCost,
        familyCost(f, 'unitCost', t),
        familyCost(f, 'holdingCost', t),
        familyCost(f, 'backlogCost', t),
        familyCost(f, 'subcontractCost', t),
        f.shelfLife?.scrapCost ?? 0,
      );
  for (const r of p.resources)
    for (const t of p.periods)
      maxCost = Math.max(
        maxCost,
        resourceCost(r, 'overtimeCost', t),
        resourceCost(r, 'costPerWorker', t),
      );
  const penalty = maxCost * 1e3 * T;

  const { overtime, subcontracting, lostSales, maxBacklog, safetyStockPenalty } = p.options;
  const chase = isChase(opts.strategy);
  const crewChase = opts.strategy === 'chase-workforce';
  const SC = idx(F * T);
  const V = idx(F * T);
  const EX = idx(F * T);
  const minStock = new Float64Array(F * T);
  for (let f = 0; f < F; f++) {
    const fam = p.families[f]!;
    const levels = minStockLevels(fam, p.periods, (t) => demand[f * T + t] ?? 0);
    minStock.set(levels, f * T);
    let cumDemand = 0;
    for (let t = 0; t < T; t++) {
      const k = f * T + t;
      const period = p.periods[t]!;
      const cost = (field: Parameters<typeof familyCost>[1]): number =>
        familyCost(fam, field, period);
      cumDemand += demand[k] ?? 0;
      const fix = frozen[k] ?? Number.NaN;
      P[k] = Number.isNaN(fix)
        ? col(Col.Production, f, t, cost('unitCost'))
        : col(Col.Production, f, t, cost('unitCost'), fix, fix);
      if (
        subcontracting &&
        !crewChase &&
        fam.subcontractCost !== null &&
        fam.subcontractLimit !== 0
      )
        S[k] = col(
          Col.Subcontract,
          f,
          t,
          cost('subcontractCost'),
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
      // The hard minimum is a bound on I, or a penalised row in the elastic model.
      I[k] = col(Col.Inventory, f, t, cost('holdingCost'), elastic ? 0 : floor, invHi);
      B[k] = col(Col.Backlog, f, t, cost('backlogCost'), 0, backHi);
      // Demand given up or unserved is at most the month's demand (it must not feed stock).
      if (lostSales) X[k] = col(Col.Lost, f, t, cost('lostSalesCost'), 0, demand[k] ?? 0);
      if (fam.safetyStock > 0) Z[k] = col(Col.SafetyShort, f, t, safetyStockPenalty);
      if (fam.shelfLife?.expired === 'scrap') SC[k] = col(Col.Scrap, f, t, fam.shelfLife.scrapCost);
      if (elastic) {
        U[k] = col(Col.Unmet, f, t, penalty, 0, demand[k] ?? 0);
        // A shortfall in every month still costs less than one unit of unmet demand: when a
        // minimum or an expiry rule is what cannot be met, the diagnosis names it rather
        // than the demand it would otherwise leave unserved.
        const soft = penalty / (2 * T);
        if (floor > 0) V[k] = col(Col.MinStockShort, f, t, soft);
        if (fam.shelfLife?.expired === 'forbid') EX[k] = col(Col.ExpiredExcess, f, t, soft);
      }
    }
    if (elastic) {
      E[f] = col(Col.EndingShort, f, T - 1, penalty);
      if (fam.endingBacklogMax !== null) Q[f] = col(Col.EndingExcess, f, T - 1, penalty);
    }
  }

  const O = idx(R * T);
  const W = idx(R * T);
  const H = idx(R * T);
  const L = idx(R * T);
  const K = idx(R * T);
  const Y = idx(R * T);
  const baseCapacity = new Float64Array(R * T);
  const hoursPerWorker = new Float64Array(R * T);
  const overtimeLimit = new Float64Array(R * T);
  const overtimePerWorker = new Float64Array(R * T);
  for (let r = 0; r < R; r++) {
    const res = p.resources[r]!;
    const wf = res.workforce;
    for (let t = 0; t < T; t++) {
      const k = r * T + t;
      const period = p.periods[t]!;
      const avail = res.availabilityByPeriod[period] ?? 1;
      baseCapacity[k] = (res.capacityByPeriod[period] ?? res.capacity) * avail;
      // Inside a supplier's lead time the orders are placed: what arrives is fixed.
      if (t < (res.leadTime ?? 0))
        baseCapacity[k] = res.scheduledReceipts?.[period] ?? baseCapacity[k]!;
      hoursPerWorker[k] = wf ? wf.hoursPerWorker * avail : 0;
      let otLimit: number;
      if (wf) {
        const crew = wf.crewOvertimeLimitByPeriod?.[period] ?? wf.crewOvertimeLimit;
        otLimit = crew ?? Infinity;
        // Per worker: a positive cap; 0 (the default) means none allowed unless a crew-wide
        // cap is given, which then applies alone; null means no per-worker cap.
        const pw = wf.overtimeHoursPerWorker;
        overtimePerWorker[k] =
          pw === null || (pw === 0 && crew !== undefined) ? Infinity : pw * avail;
      } else otLimit = res.overtimeLimitByPeriod[period] ?? res.overtimeLimit;
      overtimeLimit[k] = overtime ? otLimit : 0;
      const crewOvertime = wf !== null && !crewChase && (overtimePerWorker[k] ?? 0) > 0;
      if (overtime && otLimit > 0 && (wf === null || crewOvertime))
        O[k] = col(Col.Overtime, r, t, resourceCost(res, 'overtimeCost', period), 0, otLimit);
      if (wf) {
        W[k] = col(
          Col.Workers,
          r,
          t,
          resourceCost(res, 'costPerWorker', period),
          wf.minWorkers ?? 0,
          wf.maxWorkers ?? Infinity,
        );
        H[k] = col(Col.Hires, r, t, resourceCost(res, 'hireCost', period));
        L[k] = col(Col.Layoffs, r, t, resourceCost(res, 'layoffCost', period));
        if (wf.integer) for (const j of [W[k]!, H[k]!, L[k]!]) b.setInteger(j);
      }
      if (elastic) K[k] = col(Col.ExtraCapacity, r, t, penalty * 100);
      if ((res.minOrderQuantity ?? 0) > 0 && t >= (res.leadTime ?? 0)) {
        Y[k] = col(Col.Order, r, t, 0, 0, 1);
        b.setInteger(Y[k]!);
      }
    }
  }

  const rows = addRows(b, p, {
    crewChase,
    T,
    F,
    R,
    demand,
    baseCapacity,
    overtimeLimit,
    Y,
    minStock,
    overtimePerWorker,
    P,
    S,
    I,
    B,
    X,
    Z,
    U,
    SC,
    V,
    EX,
    E,
    Q,
    O,
    W,
    H,
    L,
    K,
    byRes,
  });
  addStrategyRows(b, p, opts.strategy, { T, F, R, P, W, frozenPeriod });

  const lp = b.build(
    (j) => `${COL_PREFIX[kind[j] ?? 0]}_${owner[j]}_${per[j]}`,
    (i) => `r${i}`,
    { timeLimit: p.options.mip?.timeLimit ?? 60, relativeGap: p.options.mip?.relativeGap ?? 1e-4 },
  );
  return {
    lp,
    kind: Int8Array.from(kind),
    owner: Int32Array.from(owner),
    period: Int32Array.from(per),
    P,
    S,
    I,
    B,
    X,
    Z,
    U,
    SC,
    V,
    EX,
    minStock,
    O,
    W,
    H,
    L,
    K,
    Y,
    E,
    Q,
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

interface RowCtx {
  crewChase: boolean;
  T: number;
  F: number;
  R: number;
  demand: Float64Array;
  baseCapacity: Float64Array;
  overtimeLimit: Float64Array;
  Y: Int32Array;
  minStock: Float64Array;
  overtimePerWorker: Float64Array;
  SC: Int32Array;
  V: Int32Array;
  EX: Int32Array;
  P: Int32Array;
  S: Int32Array;
  I: Int32Array;
  B: Int32Array;
  X: Int32Array;
  Z: Int32Array;
  U: Int32Array;
  E: Int32Array;
  Q: Int32Array;
  O: Int32Array;
  W: Int32Array;
  H: Int32Array;
  L: Int32Array;
  K: Int32Array;
  byRes: { f: number[]; a: number[] }[];
}

function addRows(b: Builder, p: PlanProblem, c: RowCtx): ModelRows {
  const { T, F, R } = c;
  const idx = (n: number): Int32Array => new Int32Array(n).fill(-1);
  const rows = {
    balance: idx(F * T),
    shipped: idx(F * T),
    capacity: idx(R * T),
    overtime: idx(R * T),
    endingInventory: idx(F),
    endingBacklog: idx(F),
    minStock: idx(F * T),
    freshness: idx(F * T),
  };
  const cols: number[] = [];
  const coefs: number[] = [];
  const put = (j: number, v: number): void => {
    if (j >= 0) {
      cols.push(j);
      coefs.push(v);
    }
  };
  const row = (lo: number, hi: number): number => {
    const i = b.addRow(cols, coefs, lo, hi);
    cols.length = 0;
    coefs.length = 0;
    return i;
  };
  for (let f = 0; f < F; f++) {
    const fam = p.families[f]!;
    for (let t = 0; t < T; t++) {
      const k = f * T + t;
      // Balance: P + S + X + U + I[t-1] − B[t-1] − I[t] − scrap + B[t] = D[t].
      put(c.P[k]!, 1);
      put(c.S[k]!, 1);
      put(c.X[k]!, 1);
      put(c.U[k]!, 1);
      put(c.I[k]!, -1);
      put(c.SC[k]!, -1);
      put(c.B[k]!, 1);
      let rhs = c.demand[k] ?? 0;
      if (t === 0) rhs += fam.initialBacklog - fam.initialInventory;
      else {
        put(c.I[k - 1]!, 1);
        put(c.B[k - 1]!, -1);
      }
      rows.balance[k] = row(rhs, rhs);
      // Shipped: D − X − U + B[t-1] − B[t] ≥ 0. The balance alone fixes only I − B, so a
      // stock rule (a minimum, a safety stock, an ending target) could otherwise be met by
      // raising I and B together: stock that was never made. With it, stock and backlog of
      // one family coexist only when stock really made is held back for such a rule.
      put(c.B[k]!, 1);
      put(c.X[k]!, 1);
      put(c.U[k]!, 1);
      if (t > 0) put(c.B[k - 1]!, -1);
      rows.shipped[k] = row(-Infinity, (c.demand[k] ?? 0) + (t === 0 ? fam.initialBacklog : 0));
      if (c.Z[k]! >= 0) {
        put(c.I[k]!, 1);
        put(c.Z[k]!, 1);
        row(fam.safetyStock, Infinity);
      }
      if (c.V[k]! >= 0) {
        put(c.I[k]!, 1);
        put(c.V[k]!, 1);
        rows.minStock[k] = row(c.minStock[k] ?? 0, Infinity);
      }
      const life = fam.shelfLife?.periods;
      if (life !== undefined) {
        // Stock by age, in closed form: sold oldest first, what is carried out of month t
        // is the newest units, so it must have been made (or bought) in t−life+2 .. t; the
        // opening stock counts as made the month before the horizon. Older units expire.
        for (let s = Math.max(0, t - life + 2); s <= t; s++) {
          put(c.P[f * T + s]!, -1);
          put(c.S[f * T + s]!, -1);
        }
        put(c.I[k]!, 1);
        put(c.EX[k]!, -1);
        rows.freshness[k] = row(-Infinity, t <= life - 3 ? fam.initialInventory : 0);
      }
    }
    const last = f * T + T - 1;
    if (fam.endingInventoryMin > 0) {
      put(c.I[last]!, 1);
      put(c.E[f]!, 1);
      rows.endingInventory[f] = row(fam.endingInventoryMin, Infinity);
    }
    if (fam.endingBacklogMax !== null) {
      put(c.B[last]!, 1);
      put(c.Q[f]!, -1);
      rows.endingBacklog[f] = row(-Infinity, fam.endingBacklogMax);
    }
  }
  for (let r = 0; r < R; r++) {
    const res = p.resources[r]!;
    const wf = res.workforce;
    const loads = c.byRes[r]!;
    for (let t = 0; t < T; t++) {
      const k = r * T + t;
      const period = p.periods[t]!;
      const avail = res.availabilityByPeriod[period] ?? 1;
      // Capacity: Σ a·P − O − hours·W − K ≤ base capacity; a warehouse loads the stock I.
      const used = res.storage ? c.I : c.P;
      const addLoad = (): void => {
        for (let n = 0; n < loads.f.length; n++) put(used[loads.f[n]! * T + t]!, loads.a[n]!);
      };
      addLoad();
      put(c.O[k]!, -1);
      if (wf) put(c.W[k]!, -wf.hoursPerWorker * avail);
      put(c.K[k]!, -1);
      // The workforce chase sizes the crew to its load: its hours are all used.
      // Whole workers: idle time under one worker's hours (the head count is rounded up).
      const sized = wf !== null && c.crewChase && (c.baseCapacity[k] ?? 0) === 0;
      const slack = wf?.integer ? wf.hoursPerWorker * avail * (1 - 1e-9) : 0;
      rows.capacity[k] = row(sized ? -slack : -Infinity, c.baseCapacity[k] ?? 0);
      const y = c.Y[k]!;
      if (y >= 0) {
        // Minimum order: what arrives (and is used) this month is 0 or at least the MOQ:
        // MOQ·Y ≤ Σ a·P ≤ M·Y, M = the most that can arrive.
        const moq = res.minOrderQuantity ?? 0;
        addLoad();
        put(y, -moq);
        row(0, Infinity);
        addLoad();
        put(c.K[k]!, -1);
        put(y, -bigM(p, c, r, t));
        row(-Infinity, 0);
      }
      if (wf) {
        // Workforce: W[t] − W[t-1] − H + L = 0 (W[-1] = initial workers).
        put(c.W[k]!, 1);
        put(c.H[k]!, -1);
        put(c.L[k]!, 1);
        if (t > 0) put(c.W[k - 1]!, -1);
        const w0 = t === 0 ? wf.initialWorkers : 0;
        row(w0, w0);
        const perWorker = c.overtimePerWorker[k] ?? 0;
        if (c.O[k]! >= 0 && Number.isFinite(perWorker)) {
          put(c.O[k]!, 1);
          put(c.W[k]!, -perWorker);
          rows.overtime[k] = row(-Infinity, 0);
        }
      }
    }
  }
  return rows;
}

/** The most a supplier can deliver in month t: capacity plus overtime, or all demand's load. */
function bigM(p: PlanProblem, c: RowCtx, r: number, t: number): number {
  const k = r * c.T + t;
  const cap = (c.baseCapacity[k] ?? 0) + (c.O[k]! >= 0 ? (c.overtimeLimit[k] ?? 0) : 0);
  if (Number.isFinite(cap)) return cap;
  const loads = c.byRes[r]!;
  let total = 0;
  for (let n = 0; n < loads.f.length; n++) {
    const f = loads.f[n]!;
    const fam = p.families[f]!;
    let units = fam.initialBacklog + fam.endingInventoryMin;
    for (let s = 0; s < c.T; s++)
      units += (c.demand[f * c.T + s] ?? 0) + (c.minStock[f * c.T + s] ?? 0);
    total += loads.a[n]! * units;
  }
  return total;
}

function addStrategyRows(
  b: Builder,
  p: PlanProblem,
  strategy: Strategy,
  c: { T: number; F: number; R: number; P: Int32Array; W: Int32Array; frozenPeriod: Uint8Array },
): void {
  if (strategy !== 'level') return;
  const { T, F, R } = c;
  const free: number[] = [];
  for (let t = 0; t < T; t++) if (c.frozenPeriod[t] === 0) free.push(t);
  // Level: production of each family, and each workforce, is the same in every free month.
  for (let n = 1; n < free.length; n++) {
    const t0 = free[n - 1]!;
    const t1 = free[n]!;
    for (let f = 0; f < F; f++) b.addRow([c.P[f * T + t0]!, c.P[f * T + t1]!], [1, -1], 0, 0);
    for (let r = 0; r < R; r++) {
      if (!p.resources[r]!.workforce) continue;
      b.addRow([c.W[r * T + t0]!, c.W[r * T + t1]!], [1, -1], 0, 0);
    }
  }
}
