/**
 * The one HiGHS adapter: implements core's LpSolver with the `highs` WebAssembly build.
 *
 * The WASM runtime is loaded once per solver and reused: loading costs ~60 ms, a small
 * solve well under 1 ms. The model goes in as CSR arrays through `createModel`, which skips
 * writing and parsing LP text (see bench/plan.ts for the measured difference); the text
 * path through `highs.solve(lp)` is kept as `input: 'lp'`. highs-js can abort inside the
 * WASM on some inputs and leave the runtime unusable, so after any thrown error the runtime
 * is dropped and re-instantiated once before giving up with status 'error'.
 */

import type { Highs } from 'highs';
import highsModule from 'highs';
import {
  type LpModel,
  type LpSolution,
  type LpSolver,
  type MipSettings,
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

export async function createHighsSolver(options: HighsSolverOptions = {}): Promise<HighsSolver> {
  let runtime: Highs | null = await loadHighs();
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
      return {
        status,
        objective,
        x: sol.colValue,
        rowDual: sol.rowDual,
        colDual: sol.colDual,
        solverSeconds,
        iterations,
      };
    } finally {
      model.dispose();
    }
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
            runtime = await loadHighs();
            loads++;
          }
          return attempt(runtime, m);
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
