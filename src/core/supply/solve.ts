/**
 * Solve a plan problem: build the LP for a strategy, solve it through the LpSolver port,
 * and read the solution back as a plan with its cost by term and its KPIs. When the LP has
 * no solution, an elastic re-solve says in words which requirement cannot be met.
 */
import { addMonths, type Period } from '../period.js';
import { explainInfeasible } from './diagnose.js';
import { marginalSteps, type PlanDuals, readDuals, stepSolveLimit } from './duals.js';
import type { LpSolution, LpSolver } from './lp.js';
import {
  at,
  type BuiltModel,
  buildModel,
  overtimeCap,
  type Strategy,
  shipsNothingNegative,
  stockAt,
} from './model.js';
import { familyCost, type PlanProblem, safetyPenalty } from './problem.js';

export interface FamilyPeriodPlan {
  readonly family: string;
  readonly period: Period;
  readonly demand: number;
  readonly production: number;
  readonly subcontract: number;
  readonly inventory: number;
  readonly backlog: number;
  readonly lostSales: number;
  /** Units below safety stock at the end of the month. */
  readonly safetyShortfall: number;
  readonly frozen: boolean;
  /** Hard minimum stock at this month end (present when the family has one). */
  readonly minStock?: number;
  /** Shelf life: units that expired at this month end and were thrown away, and their value at unit cost. */
  readonly scrapped?: number;
  readonly scrapValue?: number;
}

export interface ResourcePeriodPlan {
  readonly resource: string;
  readonly period: Period;
  readonly load: number;
  /** Regular capacity available (for a workforce: its base plus workers × hours per worker). */
  readonly capacity: number;
  readonly overtime: number;
  /** Most overtime allowed this month (for a workforce: workers × overtime hours per worker). */
  readonly overtimeLimit: number;
  readonly workers: number | null;
  readonly hires: number;
  readonly layoffs: number;
  /** load / regular capacity; above 1 means overtime; null when there is no regular capacity. */
  readonly utilisation: number | null;
  /** Supplier with a lead time: the month the order arriving now is placed in. */
  readonly orderPeriod?: Period;
  /** Supplier: true inside the lead time, where what arrives was ordered before the plan. */
  readonly fixedOrder?: boolean;
  /** Supplier with a minimum order quantity: whether an order arrives this month. */
  readonly ordered?: boolean;
}

export interface CostBreakdown {
  readonly production: number;
  readonly subcontract: number;
  readonly holding: number;
  readonly backlog: number;
  readonly overtime: number;
  readonly workforce: number;
  readonly hiring: number;
  readonly layoffs: number;
  readonly lostSales: number;
  readonly safetyStock: number;
  /** Disposal cost of expired units (shelf life); their value is in `scrapValue` of the KPIs. */
  readonly scrap?: number;
}

export interface PlanKpis {
  /** Units delivered in the month they were demanded / units demanded (backlog served oldest first). */
  readonly fillRate: number;
  readonly endingInventory: number;
  /** Mean over months of the total end-of-month inventory. */
  readonly averageInventory: number;
  readonly averageUtilisation: number;
  readonly peakUtilisation: number;
  /** Resource-months loaded above 90% of regular capacity. */
  readonly tenseResourceMonths: number;
  /** Units that expired over the horizon, and their value at the unit cost of the month they were made. */
  readonly scrappedUnits?: number;
  readonly scrapValue?: number;
}

/** How an integer plan was solved (whole workers, minimum order quantities). */
export interface MipReport {
  /** Relative gap between this plan and the best bound HiGHS proved; ≤ relativeGap when optimal. */
  readonly gap: number;
  readonly bound: number;
  readonly timeLimit: number;
  readonly relativeGap: number;
  /** True when the time limit stopped the search: the plan is the best found, not proven best. */
  readonly timeLimitHit: boolean;
}

export interface ModelSize {
  readonly rows: number;
  readonly columns: number;
  readonly nonzeros: number;
}

interface PlanBase {
  readonly strategy: Strategy;
  readonly model: ModelSize;
  /** Seconds HiGHS (or whichever solver) reports, summed over the solves made. */
  readonly solverSeconds: number;
}

export interface SolvedPlan extends PlanBase {
  readonly status: 'optimal';
  /**
   * Shadow prices from the LP's duals (src/core/supply/duals.ts); null for a MIP or when
   * the solver gave none. Optional so that plans built elsewhere (fixtures) need not carry it.
   */
  readonly duals?: PlanDuals | null;
  /** Present when the plan has integer variables. */
  readonly mip?: MipReport;
  readonly totalCost: number;
  readonly costs: CostBreakdown;
  readonly kpis: PlanKpis;
  readonly families: readonly FamilyPeriodPlan[];
  readonly resources: readonly ResourcePeriodPlan[];
}

export interface FailedPlan extends PlanBase {
  readonly status: 'infeasible' | 'unbounded' | 'error';
  /** One sentence per requirement that cannot be met, in plain words. */
  readonly reasons: readonly string[];
  readonly message: string;
}

export type PlanResult = SolvedPlan | FailedPlan;

export interface SolveOptions {
  readonly strategy?: Strategy;
}

const round = (v: number): number => Math.round(v * 1e9) / 1e9 + 0;

export async function solvePlan(
  problem: PlanProblem,
  solver: LpSolver,
  opts: SolveOptions = {},
): Promise<PlanResult> {
  const strategy = opts.strategy ?? 'optimal';
  const { built, sol } = await solveModel(problem, solver, strategy);
  const size: ModelSize = {
    rows: built.lp.numRows,
    columns: built.lp.numCols,
    nonzeros: built.lp.rowIndex.length,
  };
  const settings = built.lp.mipSettings;
  if (sol.status === 'optimal' || (sol.status === 'limit' && sol.mip && sol.x.length > 0)) {
    return {
      ...readPlan(problem, built, sol.x),
      strategy,
      model: size,
      solverSeconds: sol.solverSeconds,
      duals: readDuals(problem, built, sol),
      ...(sol.mip && settings
        ? {
            mip: {
              gap: sol.mip.gap,
              bound: sol.mip.dualBound,
              timeLimit: settings.timeLimit,
              relativeGap: settings.relativeGap,
              timeLimitHit: sol.mip.timeLimitHit,
            },
          }
        : {}),
    };
  }
  if (sol.status === 'infeasible') {
    const elastic = buildModel(problem, { strategy, elastic: true });
    const esol = await solver.solve(elastic.lp);
    const reasons =
      esol.status === 'optimal'
        ? explainInfeasible(problem, elastic, esol.x, strategy)
        : ['The requirements contradict each other, and the diagnosis could not locate where.'];
    return {
      status: 'infeasible',
      strategy,
      model: size,
      solverSeconds: sol.solverSeconds + esol.solverSeconds,
      reasons,
      message: `No ${strategy} plan meets every requirement. ${reasons.join(' ')}`,
    };
  }
  if (sol.status === 'unbounded') {
    const reasons = [
      'Some cost is negative, so making more of something always pays; check the costs.',
    ];
    return {
      status: 'unbounded',
      strategy,
      model: size,
      solverSeconds: sol.solverSeconds,
      reasons,
      message: `The ${strategy} plan is unbounded. ${reasons[0]}`,
    };
  }
  const reasons = [
    sol.status === 'limit'
      ? 'The solver ran out of time before finding the best plan.'
      : 'The solver failed on this problem; nothing was planned.',
  ];
  return {
    status: 'error',
    strategy,
    model: size,
    solverSeconds: sol.solverSeconds,
    reasons,
    message: reasons[0] ?? '',
  };
}

/**
 * The plan's LP and its solution. An LP is solved first without the shipped rows, a third
 * of its rows that rarely bind: when that optimum ships nothing negative it meets them, so
 * it is optimal for the full model too (and its duals, 0 on those rows, are the full
 * model's). When it is infeasible the full model is too. Otherwise, and for a MIP, the full
 * model is solved; the solver time is the sum. The "one more" steps are priced on the model
 * kept (on the one without shipped rows, a step's own plan is not checked against them).
 */
async function solveModel(
  problem: PlanProblem,
  solver: LpSolver,
  strategy: Strategy,
): Promise<{ built: BuiltModel; sol: LpSolution }> {
  const integers = problem.resources.some(
    (r) => r.workforce?.integer === true || (r.minOrderQuantity ?? 0) > 0,
  );
  let seconds = 0;
  // An LP also prices its "one more" steps (duals.ts), in the solve that found its basis.
  const priced = (built: BuiltModel) =>
    integers
      ? built.lp
      : {
          ...built.lp,
          steps: marginalSteps(problem, built),
          stepSolveLimit: stepSolveLimit(built.lp.colLower.length),
        };
  if (!integers) {
    const built = buildModel(problem, { strategy, shipped: false });
    const sol = await solver.solve(priced(built));
    if (sol.status === 'optimal' && shipsNothingNegative(problem, built, sol.x))
      return { built, sol };
    // Fewer rows cannot make a feasible model infeasible: the full one is infeasible too, and
    // the diagnosis (an elastic model of its own) follows without solving it again.
    if (sol.status === 'infeasible') return { built, sol };
    seconds = sol.solverSeconds;
  }
  const built = buildModel(problem, { strategy });
  const sol = await solver.solve(priced(built));
  return { built, sol: { ...sol, solverSeconds: sol.solverSeconds + seconds } };
}

function readPlan(
  p: PlanProblem,
  m: BuiltModel,
  x: Float64Array,
): Pick<SolvedPlan, 'status' | 'totalCost' | 'costs' | 'kpis' | 'families' | 'resources'> {
  const T = p.periods.length;
  const v = (j: number | undefined): number => (j === undefined || j < 0 ? 0 : round(x[j] ?? 0));
  const costs = {
    production: 0,
    subcontract: 0,
    holding: 0,
    backlog: 0,
    overtime: 0,
    workforce: 0,
    hiring: 0,
    layoffs: 0,
    lostSales: 0,
    safetyStock: 0,
    scrap: 0,
  };
  /** Cost of column j at its value: per-period costs are in the LP's objective. */
  const c = (j: number | undefined): number =>
    j === undefined || j < 0 ? 0 : v(j) * (m.lp.colCost[j] ?? 0);
  let scrappedUnits = 0;
  let scrapValue = 0;
  const families: FamilyPeriodPlan[] = [];
  let demanded = 0;
  let onTime = 0;
  const invByPeriod = new Float64Array(T);
  const raw = (j: number): number => (j < 0 ? 0 : (x[j] ?? 0));
  p.families.forEach((fam, f) => {
    const penalty = safetyPenalty(p, fam);
    for (let t = 0; t < T; t++) {
      const k = f * T + t;
      // With a safety stock the stock is two columns and the shortfall is ss − IS.
      const is = at(m.IS, k, 'IS');
      const shortfall = is >= 0 ? round(fam.safetyStock - raw(is)) : v(m.Z[k]);
      const scrapped = v(m.SC[k]);
      // Expired units were made shelfLife − 1 months earlier (or are opening stock).
      const life = fam.shelfLife?.periods ?? 1;
      const madeIn = t - life + 1;
      const value =
        scrapped * familyCost(fam, 'unitCost', p.periods[Math.max(0, madeIn)] ?? p.periods[0]!);
      const row: FamilyPeriodPlan = {
        family: fam.code,
        period: p.periods[t]!,
        demand: m.demand[k] ?? 0,
        production: v(m.P[k]),
        subcontract: v(m.S[k]),
        inventory: round(stockAt(m, k, raw)),
        backlog: v(m.B[k]),
        lostSales: v(m.X[k]),
        safetyShortfall: shortfall,
        frozen: !Number.isNaN(m.frozen[k] ?? Number.NaN),
        ...(fam.minStock ? { minStock: round(m.minStock[k] ?? 0) } : {}),
        ...(fam.shelfLife ? { scrapped, scrapValue: Math.round(value * 100) / 100 } : {}),
      };
      families.push(row);
      scrappedUnits += scrapped;
      scrapValue += value;
      costs.production += c(m.P[k]);
      costs.subcontract += c(m.S[k]);
      costs.holding += c(m.I[k]) + (is >= 0 ? v(is) * ((m.lp.colCost[is] ?? 0) + penalty) : 0);
      costs.backlog += c(m.B[k]);
      costs.lostSales += c(m.X[k]);
      costs.safetyStock += is >= 0 ? shortfall * penalty : c(m.Z[k]);
      costs.scrap += c(m.SC[k]);
      const served = row.demand - row.lostSales;
      demanded += row.demand;
      onTime += served - Math.min(served, row.backlog);
      invByPeriod[t] = (invByPeriod[t] ?? 0) + row.inventory;
    }
  });
  const resources: ResourcePeriodPlan[] = [];
  let utilSum = 0;
  let utilCount = 0;
  let peak = 0;
  let tense = 0;
  p.resources.forEach((res, r) => {
    const loads = m.loadsByResource[r]!;
    const wf = res.workforce;
    for (let t = 0; t < T; t++) {
      const k = r * T + t;
      let load = 0;
      for (let n = 0; n < loads.f.length; n++) {
        const fk = loads.f[n]! * T + t;
        load += loads.a[n]! * (res.storage ? round(stockAt(m, fk, raw)) : v(m.P[fk]));
      }
      const workers = wf ? v(m.W[k]) : null;
      const capacity = (m.baseCapacity[k] ?? 0) + (workers ?? 0) * (m.hoursPerWorker[k] ?? 0);
      const overtime = v(m.O[k]);
      const overtimeLimit = overtimeCap(m, k, workers ?? 0);
      const utilisation = capacity > 0 ? round(load / capacity) : null;
      resources.push({
        resource: res.code,
        period: p.periods[t]!,
        load: round(load),
        capacity: round(capacity),
        overtime,
        overtimeLimit: round(overtimeLimit),
        workers,
        hires: v(m.H[k]),
        layoffs: v(m.L[k]),
        utilisation,
        ...(res.leadTime !== undefined
          ? {
              orderPeriod: addMonths(p.periods[t]!, -res.leadTime),
              fixedOrder: t < res.leadTime,
            }
          : {}),
        ...(m.Y[k]! >= 0 ? { ordered: v(m.Y[k]) > 0.5 } : {}),
      });
      costs.overtime += c(m.O[k]);
      costs.workforce += c(m.W[k]);
      costs.hiring += c(m.H[k]);
      costs.layoffs += c(m.L[k]);
      if (utilisation !== null) {
        utilSum += utilisation;
        utilCount++;
        peak = Math.max(peak, utilisation);
        if (utilisation > 0.9) tense++;
      }
    }
  });
  const hasScrap = p.families.some((f) => f.shelfLife);
  const { scrap: _scrap, ...always } = costs;
  const rounded = Object.fromEntries(
    Object.entries(hasScrap ? costs : always).map(([k, x]) => [k, Math.round(x * 100) / 100]),
  ) as unknown as CostBreakdown;
  const total = Object.values(costs).reduce((a, x) => a + x, 0);
  let invSum = 0;
  for (const i of invByPeriod) invSum += i;
  return {
    status: 'optimal',
    totalCost: Math.round(total * 100) / 100,
    costs: rounded,
    kpis: {
      fillRate: demanded > 0 ? onTime / demanded : 1,
      endingInventory: invByPeriod[T - 1] ?? 0,
      averageInventory: invSum / T,
      averageUtilisation: utilCount > 0 ? utilSum / utilCount : 0,
      peakUtilisation: peak,
      tenseResourceMonths: tense,
      ...(hasScrap
        ? { scrappedUnits: round(scrappedUnits), scrapValue: Math.round(scrapValue * 100) / 100 }
        : {}),
    },
    families,
    resources,
  };
}
