/**
 * A linear program as plain arrays (rows in compressed sparse row form), and the port a
 * solver implements. Core builds models and reads solutions; it never knows which solver
 * runs them (src/solver/highs.ts is the adapter).
 */

/** minimise colCost·x subject to rowLower ≤ A·x ≤ rowUpper and colLower ≤ x ≤ colUpper. */
export interface LpModel {
  readonly numCols: number;
  readonly numRows: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  /** CSR: row i holds entries rowStarts[i] .. rowStarts[i+1]-1 of rowIndex/rowValue. */
  readonly rowStarts: Int32Array;
  readonly rowIndex: Int32Array;
  readonly rowValue: Float64Array;
  /** 1 where the column must take a whole value (a MIP); absent or all 0 = a pure LP. */
  readonly integrality?: Uint8Array;
  /** How to solve it when it is a MIP (it travels with the model, e.g. to a pool thread). */
  readonly mipSettings?: MipSettings;
  /**
   * Steps to price once an LP is solved optimal: for each, what the optimal objective
   * would become with that one change made alone (LpSolution.stepChanges). They travel
   * with the model, like mipSettings, so a pool thread prices them on the model it solved.
   */
  readonly steps?: readonly LpStep[];
  /**
   * At most this many steps are priced by solving again (`resolveOrder` says which); the
   * others the basis cannot price keep NaN in stepChanges. A count, never a time, so that a
   * plan's prices do not depend on the machine's speed. Absent: no limit.
   */
  readonly stepSolveLimit?: number;
  /** Names for export and debugging; computed on demand because big models rarely need them. */
  colName(j: number): string;
  rowName(i: number): string;
}

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'error' | 'limit';

export interface LpSolution {
  readonly status: LpStatus;
  readonly objective: number;
  /** Column values (empty unless status is optimal). */
  readonly x: Float64Array;
  /**
   * Row duals, when the solver gives them (empty otherwise): the change in the objective
   * per unit the row's active bound moves (HiGHS's sign convention). None for a MIP.
   */
  readonly rowDual: Float64Array;
  /** Column reduced costs, same convention (empty or absent when not given). */
  readonly colDual?: Float64Array;
  /** For a MIP: the relative gap between the plan found and the best bound, and that bound. */
  readonly mip?: MipInfo;
  /** Wall-clock seconds the solver itself reports for this solve. */
  readonly solverSeconds: number;
  /**
   * Simplex iterations (interior-point and crossover ones added), when the solver says: a
   * measure of work that, unlike seconds, does not depend on how loaded the machine is.
   */
  readonly iterations?: number;
  /** Solver-side detail for logs; never shown to users as is. */
  readonly detail?: string;
  /**
   * For each of the model's `steps`: the optimal objective with that step made, minus this
   * one. +Infinity when the step leaves no feasible plan, NaN when the solver could not
   * tell. Absent when the model asked for none or the solver does not price steps.
   */
  readonly stepChanges?: Float64Array;
  /**
   * Set when pricing the steps failed part way (HiGHS threw in a solve again): the plan and
   * its duals stand, every step solved again is NaN (core keeps the duals' figures), and this
   * is the error, as plain data so that it crosses from a pool thread, for the log.
   */
  readonly stepFailure?: { readonly message: string; readonly stack?: string };
  /** How the steps were priced: solved again (and their simplex iterations), left at NaN. */
  readonly stepSolves?: {
    readonly solved: number;
    readonly iterations: number;
    readonly left: number;
  };
}

/** Moves of one row's or column's bounds (added to them; an infinite bound stays infinite). */
export interface BoundShift {
  readonly index: number;
  readonly lower: number;
  readonly upper: number;
}

/** A change to a model's bounds: "one more hour", "one more unit demanded". */
export interface LpStep {
  readonly rows: readonly BoundShift[];
  readonly cols: readonly BoundShift[];
  /** Steps of a lower group are solved again first (resolveOrder); 0 when absent. */
  readonly group?: number;
}

/**
 * What the solved duals say a step changes in the objective: each bound the step moves, if
 * active (a nonzero dual), times its dual. Exact where the basis stays optimal; where it
 * does not, the figure a step keeps when it is not solved again.
 */
export function stepByDuals(
  b: { readonly rowDual: ArrayLike<number>; readonly colDual: ArrayLike<number> },
  step: LpStep,
): number {
  const TOL = 1e-7;
  const side = (d: number, s: BoundShift): number =>
    d > TOL ? d * s.lower : d < -TOL ? d * s.upper : 0;
  let change = 0;
  for (const s of step.rows) change += side(b.rowDual[s.index] ?? 0, s);
  for (const s of step.cols) change += side(b.colDual[s.index] ?? 0, s);
  return change;
}

/**
 * Which of the steps the basis could not price (`open`, indices into steps) are solved again,
 * in order, within `limit`: by group, then the largest figure by the duals first (what a
 * planner reads first: the pack ranks hours by their price), then the model's order.
 */
export function resolveOrder(
  steps: readonly LpStep[],
  open: readonly number[],
  byDuals: ArrayLike<number>,
  limit = Number.POSITIVE_INFINITY,
): number[] {
  return [...open]
    .sort(
      (a, b) =>
        (steps[a]?.group ?? 0) - (steps[b]?.group ?? 0) ||
        Math.abs(byDuals[b] ?? 0) - Math.abs(byDuals[a] ?? 0) ||
        a - b,
    )
    .slice(0, Math.max(0, limit));
}

/**
 * What a simplex solver knows of its optimal basis: enough to price a step without
 * solving again when the basis stays optimal for it (`stepFromBasis`).
 */
export interface OptimalBasis {
  readonly rowDual: Float64Array;
  readonly colDual: Float64Array;
  /** 0 nonbasic at its lower bound, 1 basic, 2 nonbasic at its upper bound, else other. */
  readonly rowStatus: ArrayLike<number>;
  readonly colStatus: ArrayLike<number>;
  /**
   * Ranging of each row's active bound: how far up and down it may move with this basis
   * staying optimal (the bound's value at each end), so the objective moves by the dual
   * times the move.
   */
  readonly rowBoundUp: Float64Array;
  readonly rowBoundDown: Float64Array;
}

const BASIC = 1;
const AT_LOWER = 0;
const AT_UPPER = 2;

/** True when the shift only widens [lower, upper]. */
const widens = (s: BoundShift): boolean => s.lower <= 0 && s.upper >= 0;

/**
 * The objective change of a step when the solved basis provably stays optimal for it, else
 * null (the solver must then solve again). The argument is the simplex method's own: if the
 * basis stays primal feasible after the step (its duals are untouched by a change of bounds),
 * it is optimal there, and the objective moves by the duals times the bounds' moves.
 *
 * - A shift that only widens the bounds of a basic row or column, or of a nonbasic column
 *   whose resting bound does not move (and whose reduced cost keeps that bound optimal),
 *   leaves the basis feasible: it changes nothing and is dropped.
 * - What is left must be one nonbasic row whose finite bounds all move by the same amount;
 *   HiGHS's ranging says how far that row's active bound may move with the basis optimal.
 *   Within that range the change is dual × move.
 *
 * When an optimum is degenerate the range can be empty in the direction asked: the dual the
 * solver chose is then one end of an interval of valid duals and may be false for this
 * direction ("one more hour is worth $6" where it saves $0), and the step is solved.
 */
export function stepFromBasis(model: LpModel, b: OptimalBasis, step: LpStep): number | null {
  const TOL = 1e-9;
  for (const s of step.cols) {
    const status = b.colStatus[s.index];
    const d = b.colDual[s.index] ?? 0;
    const keeps =
      widens(s) &&
      (status === BASIC ||
        (status === AT_LOWER && s.lower === 0 && d >= -TOL) ||
        (status === AT_UPPER && s.upper === 0 && d <= TOL));
    if (!keeps) return null;
  }
  const moved = step.rows.filter((s) => !(widens(s) && b.rowStatus[s.index] === BASIC));
  if (moved.length === 0) return 0;
  if (moved.length > 1) return null;
  const s = moved[0]!;
  const i = s.index;
  const lo = model.rowLower[i] ?? 0;
  const hi = model.rowUpper[i] ?? 0;
  const status = b.rowStatus[i];
  if (status !== AT_LOWER && status !== AT_UPPER) return null;
  const by = status === AT_LOWER ? s.lower : s.upper;
  // The other bound, when finite, must move with it (an equality row moves as one).
  const other = status === AT_LOWER ? hi : lo;
  const otherBy = status === AT_LOWER ? s.upper : s.lower;
  if (Number.isFinite(other) && otherBy !== by) return null;
  const bound = status === AT_LOWER ? lo : hi;
  if (!Number.isFinite(bound)) return null;
  const tol = TOL * Math.max(1, Math.abs(bound));
  const reach =
    by >= 0
      ? (b.rowBoundUp[i] ?? Number.NaN) >= bound + by - tol
      : (b.rowBoundDown[i] ?? Number.NaN) <= bound + by + tol;
  return reach ? (b.rowDual[i] ?? 0) * by : null;
}

/** The model's matrix column by column (the CSR rows transposed), for `stepByOneColumn`. */
export interface ColumnWise {
  readonly starts: Int32Array;
  readonly index: Int32Array;
  readonly value: Float64Array;
}

export function columnWise(model: LpModel): ColumnWise {
  const starts = new Int32Array(model.numCols + 1);
  for (let k = 0; k < model.rowIndex.length; k++) starts[(model.rowIndex[k] ?? 0) + 1]! += 1;
  for (let j = 0; j < model.numCols; j++) starts[j + 1]! += starts[j]!;
  const next = starts.slice(0, model.numCols);
  const index = new Int32Array(model.rowIndex.length);
  const value = new Float64Array(model.rowIndex.length);
  for (let i = 0; i < model.numRows; i++) {
    for (let k = model.rowStarts[i] ?? 0; k < (model.rowStarts[i + 1] ?? 0); k++) {
      const j = model.rowIndex[k] ?? 0;
      const at = next[j]!;
      next[j] = at + 1;
      index[at] = i;
      value[at] = model.rowValue[k] ?? 0;
    }
  }
  return { starts, index, value };
}

/** An optimal basis with the solution it stands for (values of the columns and of the rows). */
export interface OptimalPoint extends OptimalBasis {
  readonly colValue: Float64Array;
  readonly rowValue: Float64Array;
}

/**
 * The objective change of a step that one column can take up on its own, else null; exact
 * where the basis is degenerate too, so it prices steps `stepFromBasis` cannot. The proof
 * is the optimality conditions of an LP: if moving column j by δ gives a plan feasible for
 * the stepped model, and the solved duals stay complementary to it (every row or column
 * with a nonzero dual still sits on the bound that dual belongs to, after the step), that
 * plan and those duals prove each other optimal, and the cost moved by c_j·δ. The typical
 * case: one more unit demanded of a family-month that already loses sales (or whose lost
 * sale costs what serving it does) is one more lost sale, its price, whatever else is tied.
 *
 * As a check on the signs, the duals' side of the same change (each active bound's move
 * times its dual) must equal c_j·δ; where it does not, null.
 */
export function stepByOneColumn(
  model: LpModel,
  cols: ColumnWise,
  b: OptimalPoint,
  step: LpStep,
): number | null {
  const TOL = 1e-7;
  const near = (a: number, c: number) => Math.abs(a - c) <= TOL * Math.max(1, Math.abs(c));
  const rowShift = new Map(step.rows.map((s) => [s.index, s]));
  const colShift = new Map(step.cols.map((s) => [s.index, s]));
  /** A value within [lo, hi] that keeps complementary slackness with the dual d. */
  const fits = (v: number, lo: number, hi: number, d: number): boolean =>
    v >= lo - TOL * Math.max(1, Math.abs(lo)) &&
    v <= hi + TOL * Math.max(1, Math.abs(hi)) &&
    (d > TOL ? near(v, lo) : d < -TOL ? near(v, hi) : true);
  const dualChange = stepByDuals(b, step);
  const none: BoundShift = { index: -1, lower: 0, upper: 0 };

  const tryColumn = (j: number, delta: number): number | null => {
    const sj = colShift.get(j) ?? none;
    const x = (b.colValue[j] ?? 0) + delta;
    if (
      !fits(
        x,
        (model.colLower[j] ?? 0) + sj.lower,
        (model.colUpper[j] ?? 0) + sj.upper,
        b.colDual[j] ?? 0,
      )
    )
      return null;
    for (const s of step.cols) {
      if (s.index === j) continue;
      const v = b.colValue[s.index] ?? 0;
      const lo = (model.colLower[s.index] ?? 0) + s.lower;
      const hi = (model.colUpper[s.index] ?? 0) + s.upper;
      if (!fits(v, lo, hi, b.colDual[s.index] ?? 0)) return null;
    }
    const moved = new Map<number, number>();
    for (let k = cols.starts[j] ?? 0; k < (cols.starts[j + 1] ?? 0); k++)
      moved.set(cols.index[k] ?? 0, (cols.value[k] ?? 0) * delta);
    for (const i of new Set([...moved.keys(), ...rowShift.keys()])) {
      const s = rowShift.get(i) ?? none;
      const v = (b.rowValue[i] ?? 0) + (moved.get(i) ?? 0);
      if (
        !fits(
          v,
          (model.rowLower[i] ?? 0) + s.lower,
          (model.rowUpper[i] ?? 0) + s.upper,
          b.rowDual[i] ?? 0,
        )
      )
        return null;
    }
    const change = (model.colCost[j] ?? 0) * delta;
    return near(change, dualChange) ? change : null;
  };

  const candidates = new Map<number, Set<number>>();
  const consider = (j: number, delta: number) => {
    if (delta !== 0 && Number.isFinite(delta))
      candidates.set(j, (candidates.get(j) ?? new Set()).add(delta));
  };
  for (const s of step.rows)
    for (let k = model.rowStarts[s.index] ?? 0; k < (model.rowStarts[s.index + 1] ?? 0); k++) {
      const a = model.rowValue[k] ?? 0;
      if (a === 0) continue;
      consider(model.rowIndex[k] ?? 0, s.lower / a);
      consider(model.rowIndex[k] ?? 0, s.upper / a);
    }
  for (const [j, deltas] of candidates)
    for (const delta of deltas) {
      const v = tryColumn(j, delta);
      if (v !== null) return v;
    }
  return null;
}

export interface MipInfo {
  /** (objective − best bound) / |objective|; 0 when proven optimal within tolerance. */
  readonly gap: number;
  readonly dualBound: number;
  /** True when the time limit stopped the search before the gap closed. */
  readonly timeLimitHit: boolean;
}

/** How a MIP is solved: seconds before stopping with the best plan so far, and the gap target. */
export interface MipSettings {
  readonly timeLimit: number;
  readonly relativeGap: number;
}

export interface LpSolver {
  solve(model: LpModel): Promise<LpSolution>;
}

/** Grows a model row by row; amortised O(1) appends into typed arrays. */
export class LpBuilder {
  private cost: number[] = [];
  private lower: number[] = [];
  private upper: number[] = [];
  private rLower: number[] = [];
  private rUpper: number[] = [];
  private starts: number[] = [0];
  private index: number[] = [];
  private value: number[] = [];
  private integer: number[] = [];

  get numCols(): number {
    return this.cost.length;
  }

  get numRows(): number {
    return this.rLower.length;
  }

  addCol(cost: number, lower = 0, upper = Number.POSITIVE_INFINITY): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    return this.cost.length - 1;
  }

  /** Marks column j as integer (the model becomes a MIP). */
  setInteger(j: number): void {
    this.integer.push(j);
  }

  setBounds(j: number, lower: number, upper: number): void {
    this.lower[j] = lower;
    this.upper[j] = upper;
  }

  getUpper(j: number): number {
    return this.upper[j] ?? Number.POSITIVE_INFINITY;
  }

  setUpper(j: number, upper: number): void {
    this.upper[j] = upper;
  }

  setCost(j: number, cost: number): void {
    this.cost[j] = cost;
  }

  /** Adds lower ≤ Σ coef·x ≤ upper. Columns given as parallel arrays; a column must not repeat. */
  addRow(cols: readonly number[], coefs: readonly number[], lower: number, upper: number): number {
    for (let k = 0; k < cols.length; k++) {
      const c = coefs[k] ?? 0;
      if (c !== 0) {
        this.index.push(cols[k] ?? 0);
        this.value.push(c);
      }
    }
    this.starts.push(this.index.length);
    this.rLower.push(lower);
    this.rUpper.push(upper);
    return this.rLower.length - 1;
  }

  build(
    colName: (j: number) => string,
    rowName: (i: number) => string,
    mipSettings?: MipSettings,
  ): LpModel {
    let integrality: Uint8Array | undefined;
    if (this.integer.length > 0) {
      integrality = new Uint8Array(this.cost.length);
      for (const j of this.integer) integrality[j] = 1;
    }
    return {
      ...(integrality ? { integrality, ...(mipSettings ? { mipSettings } : {}) } : {}),
      numCols: this.cost.length,
      numRows: this.rLower.length,
      colCost: Float64Array.from(this.cost),
      colLower: Float64Array.from(this.lower),
      colUpper: Float64Array.from(this.upper),
      rowLower: Float64Array.from(this.rLower),
      rowUpper: Float64Array.from(this.rUpper),
      rowStarts: Int32Array.from(this.starts),
      rowIndex: Int32Array.from(this.index),
      rowValue: Float64Array.from(this.value),
      colName,
      rowName,
    };
  }
}

function term(coef: number, name: string, first: boolean): string {
  if (coef >= 0) return first ? `${coef} ${name}` : ` + ${coef} ${name}`;
  return ` - ${-coef} ${name}`;
}

/**
 * The model in CPLEX LP text, for solvers that read it and for people debugging a plan.
 * Built with one array join; lines are wrapped because LP readers cap line length.
 */
export function toCplexLp(model: LpModel): string {
  const out: string[] = ['Minimize', ' obj:'];
  let line: string[] = [];
  const flush = (): void => {
    if (line.length > 0) out.push(line.join(''));
    line = [];
  };
  let first = true;
  for (let j = 0; j < model.numCols; j++) {
    const c = model.colCost[j] ?? 0;
    if (c === 0) continue;
    line.push(term(c, model.colName(j), first));
    first = false;
    if (line.length >= 8) flush();
  }
  if (first) line.push(` 0 ${model.colName(0)}`);
  flush();
  out.push('Subject To');
  for (let i = 0; i < model.numRows; i++) {
    const lo = model.rowLower[i] ?? 0;
    const hi = model.rowUpper[i] ?? 0;
    const a = model.rowStarts[i] ?? 0;
    const b = model.rowStarts[i + 1] ?? 0;
    if (a === b) continue;
    const body: string[] = [];
    for (let k = a; k < b; k++) {
      body.push(term(model.rowValue[k] ?? 0, model.colName(model.rowIndex[k] ?? 0), k === a));
    }
    const expr = body.join('');
    const name = model.rowName(i);
    if (lo === hi) out.push(` ${name}: ${expr} = ${hi}`);
    else {
      if (Number.isFinite(lo)) out.push(` ${name}_lo: ${expr} >= ${lo}`);
      if (Number.isFinite(hi)) out.push(` ${name}_hi: ${expr} <= ${hi}`);
    }
  }
  out.push('Bounds');
  for (let j = 0; j < model.numCols; j++) {
    const lo = model.colLower[j] ?? 0;
    const hi = model.colUpper[j] ?? Number.POSITIVE_INFINITY;
    const name = model.colName(j);
    if (lo === hi) out.push(` ${name} = ${lo}`);
    else if (Number.isFinite(hi)) out.push(` ${lo} <= ${name} <= ${hi}`);
    else if (lo !== 0) out.push(` ${name} >= ${lo}`);
  }
  if (model.integrality?.some((v) => v === 1)) {
    out.push('General');
    for (let j = 0; j < model.numCols; j++)
      if (model.integrality[j] === 1) out.push(` ${model.colName(j)}`);
  }
  out.push('End', '');
  return out.join('\n');
}

/**
 * Weak-duality check of a claimed optimum: from any row duals y, the reduced costs
 * d = c − Aᵀy give the lower bound Σ y·(row bound) + Σ d·(column bound). When that bound
 * equals the primal objective, the primal solution is optimal whoever computed it.
 * Returns the bound (−Infinity when y is not dual feasible for this model).
 */
export function dualBound(model: LpModel, rowDual: Float64Array): number {
  const d = Float64Array.from(model.colCost);
  let bound = 0;
  for (let i = 0; i < model.numRows; i++) {
    const y = rowDual[i] ?? 0;
    if (y === 0) continue;
    const rhs = y > 0 ? (model.rowLower[i] ?? 0) : (model.rowUpper[i] ?? 0);
    if (!Number.isFinite(rhs)) {
      if (Math.abs(y) > 1e-9) return Number.NEGATIVE_INFINITY;
      continue;
    }
    bound += y * rhs;
    const a = model.rowStarts[i] ?? 0;
    const b = model.rowStarts[i + 1] ?? 0;
    for (let k = a; k < b; k++) {
      const j = model.rowIndex[k] ?? 0;
      d[j] = (d[j] ?? 0) - y * (model.rowValue[k] ?? 0);
    }
  }
  for (let j = 0; j < model.numCols; j++) {
    const dj = d[j] ?? 0;
    if (Math.abs(dj) < 1e-9) continue;
    const lim = dj > 0 ? (model.colLower[j] ?? 0) : (model.colUpper[j] ?? 0);
    if (!Number.isFinite(lim)) return Number.NEGATIVE_INFINITY;
    bound += dj * lim;
  }
  return bound;
}
