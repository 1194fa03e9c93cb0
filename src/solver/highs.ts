/**
 * The one HiGHS adapter: implements core's LpSolver with the `highs` WebAssembly build.
 *
 * The WASM runtime is loaded once per solver and reused: loading costs ~60 ms, a small
 * solve well under 1 ms. The model goes in as CSR arrays through `createModel`, which skips
 * writing and parsing LP text (see bench/plan.ts for the measured difference); the text
 * path through `highs.solve(lp)` is kept as `input: 'lp'`. highs-js can abort inside the
 * WASM on some inputs and leave the runtime unusable, so after any thrown error the runtime
 * is dropped and re-instantiated once before giving up with status 'error'. An abort while
 * pricing the steps (after the plan is solved) keeps the plan: the steps it would have solved
 * again keep their duals, the error comes back as `stepFailure`, and the runtime is dropped.
 */

import type { Highs, Model } from 'highs';
import highsModule from 'highs';
import {
  columnWise,
  type LpModel,
  type LpSolution,
  type LpSolver,
  type LpStep,
  type MipSettings,
  resolveOrder,
  stepByDuals,
  stepByOneColumn,
  stepFromBasis,
  toCplexLp,
} from '../core/supply/lp.js';

type HighsLoader = (options?: object) => Promise<Highs>;

// The package's types describe a CommonJS export; under NodeNext the ESM build hands us
// either the loader or a namespace whose default is the loader. This is the only `any`.
const loadHighs: HighsLoader = (highsModule as any).default ?? highsModule;

export interface HighsSolverOptions {
  /** 'matrix' (default): pass CSR arrays; 'lp': write CPLEX LP text and let HiGHS parse it. */
  readonly input?: 'matrix' | 'lp';
  /** Seconds; HiGHS stops with status 'limit' after this. */
  readonly timeLimit?: number;
  /** Loads the WASM runtime (default: the `highs` package's); tests hand one that aborts. */
  readonly load?: HighsLoader;
}

export interface HighsSolver extends LpSolver {
  /** Number of times the WASM runtime was (re)loaded; 1 after the first solve. */
  readonly loads: number;
}

const EMPTY = new Float64Array(0);

function failed(detail: string): LpSolution {
  return {
    status: 'error',
    objective: Number.NaN,
    x: EMPTY,
    rowDual: EMPTY,
    solverSeconds: 0,
    detail,
  };
}

/** An error as plain data (it crosses from a pool thread), its stack kept for the log. */
function plain(err: unknown): { message: string; stack?: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

export async function createHighsSolver(options: HighsSolverOptions = {}): Promise<HighsSolver> {
  const load = options.load ?? loadHighs;
  let runtime: Highs | null = await load();
  let loads = 1;
  const input = options.input ?? 'matrix';
  const solverOptions = {
    output_flag: false,
    ...(options.timeLimit ? { time_limit: options.timeLimit } : {}),
  };

  const statusOf = (h: Highs, code: number): LpSolution['status'] => {
    const s = h.constants.modelStatus;
    if (code === s.optimal) return 'optimal';
    if (code === s.infeasible) return 'infeasible';
    if (code === s.unbounded || code === s.unboundedOrInfeasible) return 'unbounded';
    if (code === s.timeLimit || code === s.iterationLimit) return 'limit';
    return 'error';
  };

  /** Set when a solve leaves the runtime unfit for the next (an abort while pricing). */
  let drop = false;

  const solveMatrix = (h: Highs, m: LpModel): LpSolution => {
    const mip: MipSettings | undefined = m.mipSettings;
    const isMip = m.integrality?.some((v) => v === 1) === true;
    const model = h.createModel({
      ...(isMip && m.integrality ? { integrality: Int32Array.from(m.integrality) } : {}),
      numCols: m.numCols,
      numRows: m.numRows,
      colCost: m.colCost,
      colLower: m.colLower,
      colUpper: m.colUpper,
      rowLower: m.rowLower,
      rowUpper: m.rowUpper,
      matrix: {
        format: 'csr',
        numRows: m.numRows,
        numCols: m.numCols,
        starts: m.rowStarts,
        indices: m.rowIndex,
        values: m.rowValue,
      },
    });
    try {
      model.options.set(solverOptions);
      if (isMip && mip)
        model.options.set({ time_limit: mip.timeLimit, mip_rel_gap: mip.relativeGap });
      model.run();
      if (model.getModelStatus() === h.constants.modelStatus.unboundedOrInfeasible) {
        // Presolve could not tell which; the simplex without presolve can.
        model.options.set({ presolve: 'off' });
        model.run();
      }
      const status = statusOf(h, model.getModelStatus());
      const solverSeconds = model.getRunTime();
      const iterations = [
        'simplex_iteration_count',
        'ipm_iteration_count',
        'crossover_iteration_count',
      ]
        .map((name) => Math.max(0, Number(model.info.get(name)) || 0))
        .reduce((a, n) => a + n, 0);
      // A MIP stopped by its time limit still has its best plan so far (primal status 2).
      const incumbent =
        isMip && status === 'limit' && Number(model.info.get('primal_solution_status')) === 2;
      if (status !== 'optimal' && !incumbent) {
        return {
          status,
          objective: Number.NaN,
          x: EMPTY,
          rowDual: EMPTY,
          solverSeconds,
          iterations,
        };
      }
      const sol = model.getSolution();
      const objective = model.getObjectiveValue();
      if (isMip) {
        const dualBound = Number(model.info.get('mip_dual_bound'));
        const gap = Number(model.info.get('mip_gap'));
        return {
          status,
          objective,
          x: sol.colValue,
          rowDual: EMPTY,
          solverSeconds,
          iterations,
          mip: { gap: Number.isFinite(gap) ? gap : 0, dualBound, timeLimitHit: incumbent },
        };
      }
      const t0 = performance.now();
      const priced = m.steps?.length ? priceSteps(h, model, m, m.steps, sol, objective) : undefined;
      const stepChanges = priced?.changes;
      // The abort may have left the heap in an unknown state: the next solve starts afresh.
      if (priced?.failure) drop = true;
      return {
        status,
        objective,
        x: sol.colValue,
        rowDual: sol.rowDual,
        colDual: sol.colDual,
        solverSeconds: solverSeconds + (stepChanges ? (performance.now() - t0) / 1000 : 0),
        iterations,
        ...(stepChanges ? { stepChanges } : {}),
        ...(priced?.solves ? { stepSolves: priced.solves } : {}),
        ...(priced?.failure ? { stepFailure: priced.failure } : {}),
      };
    } finally {
      // After an abort while pricing, disposing may throw too; the plan in hand stands.
      if (drop) {
        try {
          model.dispose();
        } catch {
          // the runtime is dropped below, with what it holds
        }
      } else model.dispose();
    }
  };

  /**
   * What each step changes in the optimal objective. From the basis and HiGHS's ranging
   * when the basis provably stays optimal (core's stepFromBasis: one ranging call prices
   * every row of a non-degenerate optimum), or from one column that takes the step up alone
   * (stepByOneColumn: a lost sale more). The rest are solved again with the step made, hot
   * started from the basis in hand (presolve off: a few iterations each, but ~10 ms of
   * HiGHS's own setup on a large plan), then undone: at most m.stepSolveLimit of them, in
   * core's order (resolveOrder); the others stay NaN and core keeps the duals' figures.
   * When a solve again throws (an abort inside the WASM), every step solved again goes back
   * to NaN, so core keeps the duals' figures for them too, and the error is returned.
   */
  const priceSteps = (
    h: Highs,
    model: Model,
    m: LpModel,
    steps: readonly LpStep[],
    sol: ReturnType<Model['getSolution']>,
    objective: number,
  ): {
    changes: Float64Array;
    solves?: { solved: number; iterations: number; left: number };
    failure?: { message: string; stack?: string };
  } => {
    const out = new Float64Array(steps.length).fill(Number.NaN);
    let basis: ReturnType<Model['getBasis']>;
    let ranging: ReturnType<Model['getRanging']>;
    try {
      basis = model.getBasis();
      ranging = model.getRanging();
    } catch (err) {
      // No simplex basis to read: the steps stay unknown (core keeps the duals' figures).
      return { changes: out, failure: plain(err) };
    }
    const known = {
      rowDual: sol.rowDual,
      colDual: sol.colDual,
      rowStatus: basis.rowStatus,
      colStatus: basis.colStatus,
      rowBoundUp: ranging.rowBoundUp.value,
      rowBoundDown: ranging.rowBoundDown.value,
      colValue: sol.colValue,
      rowValue: sol.rowValue,
    };
    const shift = (step: LpStep, sign: 1 | -1): void => {
      for (const r of step.rows)
        model.changeRowBounds(
          r.index,
          (m.rowLower[r.index] ?? 0) + (sign > 0 ? r.lower : 0),
          (m.rowUpper[r.index] ?? 0) + (sign > 0 ? r.upper : 0),
        );
      for (const c of step.cols)
        model.changeColBounds(
          c.index,
          (m.colLower[c.index] ?? 0) + (sign > 0 ? c.lower : 0),
          (m.colUpper[c.index] ?? 0) + (sign > 0 ? c.upper : 0),
        );
    };
    let cols: ReturnType<typeof columnWise> | null = null;
    const open: number[] = [];
    const byDuals = new Float64Array(steps.length);
    steps.forEach((step, n) => {
      const fromBasis = stepFromBasis(m, known, step);
      if (fromBasis !== null) {
        out[n] = fromBasis;
        return;
      }
      cols ??= columnWise(m);
      const oneColumn = stepByOneColumn(m, cols, known, step);
      if (oneColumn !== null) {
        out[n] = oneColumn;
        return;
      }
      byDuals[n] = stepByDuals(known, step);
      open.push(n);
    });
    const order = resolveOrder(steps, open, byDuals, m.stepSolveLimit);
    let iterations = 0;
    try {
      if (order.length > 0) model.options.set({ presolve: 'off' });
      for (const n of order) {
        const step = steps[n]!;
        shift(step, 1);
        model.run();
        iterations += Math.max(0, Number(model.info.get('simplex_iteration_count')) || 0);
        const code = model.getModelStatus();
        if (code === h.constants.modelStatus.optimal)
          out[n] = model.getObjectiveValue() - objective;
        else if (code === h.constants.modelStatus.infeasible) out[n] = Number.POSITIVE_INFINITY;
        shift(step, -1);
      }
    } catch (err) {
      for (const n of order) out[n] = Number.NaN;
      return {
        changes: out,
        solves: { solved: 0, iterations, left: open.length },
        failure: plain(err),
      };
    }
    return {
      changes: out,
      solves: { solved: order.length, iterations, left: open.length - order.length },
    };
  };

  const solveText = (h: Highs, m: LpModel): LpSolution => {
    const t0 = performance.now();
    const res = h.solve(toCplexLp(m), solverOptions);
    const solverSeconds = (performance.now() - t0) / 1000;
    const status: LpSolution['status'] =
      res.Status === 'Optimal'
        ? 'optimal'
        : res.Status === 'Infeasible'
          ? 'infeasible'
          : res.Status === 'Unbounded' || res.Status === 'Primal infeasible or unbounded'
            ? 'unbounded'
            : 'error';
    if (status !== 'optimal') {
      return { status, objective: Number.NaN, x: EMPTY, rowDual: EMPTY, solverSeconds };
    }
    const x = new Float64Array(m.numCols);
    const cols = res.Columns as Record<string, { Primal: number }>;
    for (let j = 0; j < m.numCols; j++) x[j] = cols[m.colName(j)]?.Primal ?? 0;
    return { status, objective: res.ObjectiveValue, x, rowDual: EMPTY, solverSeconds };
  };

  const attempt = (h: Highs, m: LpModel): LpSolution =>
    input === 'lp' ? solveText(h, m) : solveMatrix(h, m);

  return {
    get loads() {
      return loads;
    },
    async solve(m: LpModel): Promise<LpSolution> {
      for (let tries = 0; tries < 2; tries++) {
        try {
          if (!runtime) {
            runtime = await load();
            loads++;
          }
          drop = false;
          const sol = attempt(runtime, m);
          if (drop) runtime = null;
          return sol;
        } catch (err) {
          const detail = err instanceof Error ? err.message : String(err);
          // Input rejected in JavaScript before entering WASM: the runtime is intact.
          if (runtime && err instanceof runtime.errors.HighsValidationError) return failed(detail);
          // An abort inside WASM can leave the heap in an unknown state: start afresh.
          runtime = null;
          if (tries === 1) return failed(detail);
        }
      }
      return failed('unreachable');
    },
  };
}
