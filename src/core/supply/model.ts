/**
 * The aggregate plan as a linear program (docs/plan-format.md, "The model").
 * Columns carry a kind and (entity, period) indices instead of names, so decoding a big
 * solution is array arithmetic; names are made only when someone exports the LP.
 */
import { type LpBuilder as Builder, LpBuilder, type LpModel } from './lp.js';
import type { PlanProblem } from './problem.js';

export type Strategy = 'optimal' | 'chase' | 'level';
export const STRATEGIES: readonly Strategy[] = ['optimal', 'chase', 'level'];

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
} as const;
export type Col = (typeof Col)[keyof typeof Col];

const COL_PREFIX = ['P', 'S', 'I', 'B', 'X', 'Z', 'O', 'W', 'H', 'L', 'U', 'K', 'E', 'Q'];

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
  /** Per resource r at r*T+t. */
  readonly O: Int32Array;
  readonly W: Int32Array;
  readonly H: Int32Array;
  readonly L: Int32Array;
  readonly K: Int32Array;
  /** Per family. */
  readonly E: Int32Array;
  readonly Q: Int32Array;
  /** Demand at f*T+t. */
  readonly demand: Float64Array;
  /** Regular capacity at r*T+t excluding workforce hours, and hours per worker (after availability). */
  readonly baseCapacity: Float64Array;
  readonly hoursPerWorker: Float64Array;
  readonly overtimeLimit: Float64Array;
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
  /** Regular capacity of resource r in month t, at r*T+t. */
  readonly capacity: Int32Array;
  /** A workforce's overtime limit (overtime ≤ hours per worker × workers), at r*T+t. */
  readonly overtime: Int32Array;
  /** Ending inventory minimum and ending backlog maximum, per family. */
  readonly endingInventory: Int32Array;
  readonly endingBacklog: Int32Array;
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
    maxCost = Math.max(maxCost, f.unitCost, f.holdingCost, f.backlogCost, f.subcontractCost ?? 0);
  for (const r of p.resources)
    maxCost = Math.max(maxCost, r.overtimeCost, r.workforce?.costPerWorker ?? 0);
  const penalty = maxCost * 1e3 * T;

  const { overtime, subcontracting, lostSales, maxBacklog, safetyStockPenalty } = p.options;
  const chase = opts.strategy === 'chase';
  for (let f = 0; f < F; f++) {
    const fam = p.families[f]!;
    let cumDemand = 0;
    for (let t = 0; t < T; t++) {
      const k = f * T + t;
      cumDemand += demand[k] ?? 0;
      const fix = frozen[k] ?? Number.NaN;
      P[k] = Number.isNaN(fix)
        ? col(Col.Production, f, t, fam.unitCost)
        : col(Col.Production, f, t, fam.unitCost, fix, fix);
      if (subcontracting && fam.subcontractCost !== null && fam.subcontractLimit !== 0)
        S[k] = col(Col.Subcontract, f, t, fam.subcontractCost, 0, fam.subcontractLimit ?? Infinity);
      let invHi = Infinity;
      let backHi = maxBacklog ?? Infinity;
      if (chase && frozenPeriod[t] === 0) {
        // Chase: no stock beyond safety stock (or what the opening stock forces), no new backlog.
        invHi = Math.max(fam.safetyStock, fam.initialInventory - cumDemand);
        if (t === T - 1) invHi = Math.max(invHi, fam.endingInventoryMin);
        backHi = Math.min(backHi, fam.initialBacklog);
      }
      I[k] = col(Col.Inventory, f, t, fam.holdingCost, 0, invHi);
      B[k] = col(Col.Backlog, f, t, fam.backlogCost, 0, backHi);
      if (lostSales) X[k] = col(Col.Lost, f, t, fam.lostSalesCost ?? fam.price);
      if (fam.safetyStock > 0) Z[k] = col(Col.SafetyShort, f, t, safetyStockPenalty);
      if (elastic) U[k] = col(Col.Unmet, f, t, penalty);
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
  const baseCapacity = new Float64Array(R * T);
  const hoursPerWorker = new Float64Array(R * T);
  const overtimeLimit = new Float64Array(R * T);
  for (let r = 0; r < R; r++) {
    const res = p.resources[r]!;
    const wf = res.workforce;
    for (let t = 0; t < T; t++) {
      const k = r * T + t;
      const period = p.periods[t]!;
      const avail = res.availabilityByPeriod[period] ?? 1;
      baseCapacity[k] = (res.capacityByPeriod[period] ?? res.capacity) * avail;
      hoursPerWorker[k] = wf ? wf.hoursPerWorker * avail : 0;
      const otLimit = wf ? Infinity : (res.overtimeLimitByPeriod[period] ?? res.overtimeLimit);
      overtimeLimit[k] = overtime ? otLimit : 0;
      if (overtime && otLimit > 0 && (wf === null ? true : wf.overtimeHoursPerWorker > 0))
        O[k] = col(Col.Overtime, r, t, res.overtimeCost, 0, otLimit);
      if (wf) {
        W[k] = col(
          Col.Workers,
          r,
          t,
          wf.costPerWorker,
          wf.minWorkers ?? 0,
          wf.maxWorkers ?? Infinity,
        );
        H[k] = col(Col.Hires, r, t, wf.hireCost);
        L[k] = col(Col.Layoffs, r, t, wf.layoffCost);
      }
      if (elastic) K[k] = col(Col.ExtraCapacity, r, t, penalty * 100);
    }
  }

  const rows = addRows(b, p, { T, F, R, demand, P, S, I, B, X, Z, U, E, Q, O, W, H, L, K, byRes });
  addStrategyRows(b, p, opts.strategy, { T, F, R, P, W, frozenPeriod });

  const lp = b.build(
    (j) => `${COL_PREFIX[kind[j] ?? 0]}_${owner[j]}_${per[j]}`,
    (i) => `r${i}`,
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
    O,
    W,
    H,
    L,
    K,
    E,
    Q,
    demand,
    baseCapacity,
    hoursPerWorker,
    overtimeLimit,
    frozen,
    loadsByResource: byRes.map((x) => ({ f: Int32Array.from(x.f), a: Float64Array.from(x.a) })),
    rows,
  };
}

interface RowCtx {
  T: number;
  F: number;
  R: number;
  demand: Float64Array;
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
    capacity: idx(R * T),
    overtime: idx(R * T),
    endingInventory: idx(F),
    endingBacklog: idx(F),
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
      // Balance: P + S + X + U + I[t-1] − B[t-1] − I[t] + B[t] = D[t].
      put(c.P[k]!, 1);
      put(c.S[k]!, 1);
      put(c.X[k]!, 1);
      put(c.U[k]!, 1);
      put(c.I[k]!, -1);
      put(c.B[k]!, 1);
      let rhs = c.demand[k] ?? 0;
      if (t === 0) rhs += fam.initialBacklog - fam.initialInventory;
      else {
        put(c.I[k - 1]!, 1);
        put(c.B[k - 1]!, -1);
      }
      rows.balance[k] = row(rhs, rhs);
      if (c.Z[k]! >= 0) {
        put(c.I[k]!, 1);
        put(c.Z[k]!, 1);
        row(fam.safetyStock, Infinity);
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
      // Capacity: Σ a·P − O − hours·W − K ≤ base capacity.
      for (let n = 0; n < loads.f.length; n++) put(c.P[loads.f[n]! * T + t]!, loads.a[n]!);
      put(c.O[k]!, -1);
      if (wf) put(c.W[k]!, -wf.hoursPerWorker * avail);
      put(c.K[k]!, -1);
      rows.capacity[k] = row(-Infinity, (res.capacityByPeriod[period] ?? res.capacity) * avail);
      if (wf) {
        // Workforce: W[t] − W[t-1] − H + L = 0 (W[-1] = initial workers).
        put(c.W[k]!, 1);
        put(c.H[k]!, -1);
        put(c.L[k]!, 1);
        if (t > 0) put(c.W[k - 1]!, -1);
        const w0 = t === 0 ? wf.initialWorkers : 0;
        row(w0, w0);
        if (c.O[k]! >= 0) {
          put(c.O[k]!, 1);
          put(c.W[k]!, -wf.overtimeHoursPerWorker * avail);
          rows.overtime[k] = row(-Infinity, 0);
        }
      }
    }
  }
  return rows;
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
