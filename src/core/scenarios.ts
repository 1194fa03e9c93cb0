/**
 * Scenarios: the consensus plan problem changed by a few named assumptions, each solved and
 * all compared on one grid (docs/plan-format.md, "Scenarios").
 */
import type { BudgetLine } from './company.js';
import { type PlanFinance, planFinance } from './finance.js';
import { type Period, periodIndex } from './period.js';
import type { WhatIf } from './scenarios/what-if.js';
import type { LpSolver } from './supply/lp.js';
import type { Strategy } from './supply/model.js';
import type { PlanProblem } from './supply/problem.js';
import { type SolvedPlan, solvePlan } from './supply/solve.js';

export interface DemandChange {
  /** null or absent: every family. */
  readonly family?: string | null;
  readonly pct: number;
  readonly from?: Period;
  readonly to?: Period;
}

export interface CapacityChange {
  readonly resource: string;
  readonly pct: number;
  readonly from?: Period;
  readonly to?: Period;
}

export interface PriceChange {
  readonly family?: string | null;
  readonly pct: number;
}

export interface ScenarioAssumptions {
  readonly name: string;
  readonly label: string;
  /** Multiplies every family's demand (1 = consensus). */
  readonly demandMultiplier?: number;
  /** Multiplies one family's demand, on top of demandMultiplier. */
  readonly familyMultipliers?: Readonly<Record<string, number>>;
  /** Percentage changes by family and month range, applied in order on top. */
  readonly demandChanges?: readonly DemandChange[];
  /** Percentage changes of a resource's regular capacity (a workforce: hours per worker). */
  readonly capacityChanges?: readonly CapacityChange[];
  /** Overtime allowed; absent: as in the problem. */
  readonly overtime?: boolean;
  /** Subcontracting allowed; absent: as in the problem. */
  readonly subcontracting?: boolean;
  /** Price change of every family, in percent. */
  readonly priceChangePct?: number;
  readonly priceChanges?: readonly PriceChange[];
  readonly strategy?: Strategy;
}

/**
 * Central = the consensus as is. Cautious = demand −10% and no overtime (a slowdown with
 * a cash squeeze). Ambitious = demand +15% with overtime and subcontracting open.
 */
export const DEFAULT_SCENARIOS: readonly ScenarioAssumptions[] = [
  { name: 'central', label: 'Central' },
  { name: 'cautious', label: 'Cautious', demandMultiplier: 0.9, overtime: false },
  {
    name: 'ambitious',
    label: 'Ambitious',
    demandMultiplier: 1.15,
    overtime: true,
    subcontracting: true,
  },
];

function inRange(t: Period, from?: Period, to?: Period): boolean {
  const i = periodIndex(t);
  return (
    (from === undefined || i >= periodIndex(from)) && (to === undefined || i <= periodIndex(to))
  );
}

/** The problem as the scenario sees it. Unknown family or resource codes throw a RangeError. */
export function applyScenario(problem: PlanProblem, a: ScenarioAssumptions): PlanProblem {
  const families = new Set(problem.families.map((f) => f.code));
  const resources = new Set(problem.resources.map((r) => r.code));
  const checkFamily = (f: string | null | undefined, where: string): void => {
    if (f != null && !families.has(f))
      throw new RangeError(`scenario '${a.name}': ${where} names unknown family '${f}'`);
  };
  for (const f of Object.keys(a.familyMultipliers ?? {})) checkFamily(f, 'familyMultipliers');
  for (const d of a.demandChanges ?? []) checkFamily(d.family, 'a demand change');
  for (const p of a.priceChanges ?? []) checkFamily(p.family, 'a price change');
  for (const c of a.capacityChanges ?? [])
    if (!resources.has(c.resource))
      throw new RangeError(
        `scenario '${a.name}': a capacity change names unknown resource '${c.resource}'`,
      );

  const demand = problem.demand.map((d) => {
    let m = (a.demandMultiplier ?? 1) * (a.familyMultipliers?.[d.family] ?? 1);
    for (const c of a.demandChanges ?? [])
      if ((c.family == null || c.family === d.family) && inRange(d.period, c.from, c.to))
        m *= 1 + c.pct / 100;
    return { ...d, units: d.units * m };
  });
  const resourcesOut = problem.resources.map((r) => {
    const changes = (a.capacityChanges ?? []).filter((c) => c.resource === r.code);
    if (changes.length === 0) return r;
    const availabilityByPeriod: Record<string, number> = { ...r.availabilityByPeriod };
    for (const t of problem.periods) {
      let f = availabilityByPeriod[t] ?? 1;
      for (const c of changes) if (inRange(t, c.from, c.to)) f *= 1 + c.pct / 100;
      if (f !== 1) availabilityByPeriod[t] = Math.max(0, f);
    }
    return { ...r, availabilityByPeriod };
  });
  const familiesOut = problem.families.map((f) => {
    let m = 1 + (a.priceChangePct ?? 0) / 100;
    for (const p of a.priceChanges ?? [])
      if (p.family == null || p.family === f.code) m *= 1 + p.pct / 100;
    return m === 1 ? f : { ...f, price: f.price * m };
  });
  return {
    ...problem,
    name: `${problem.name} / ${a.label}`,
    demand,
    resources: resourcesOut,
    families: familiesOut,
    options: {
      ...problem.options,
      overtime: a.overtime ?? problem.options.overtime,
      subcontracting: a.subcontracting ?? problem.options.subcontracting,
    },
  };
}

/** A what-if scenario: `base` (usually central) with the what-ifs added on top. */
export function applyWhatIfs(
  base: ScenarioAssumptions,
  whatIfs: readonly WhatIf[],
  name = 'what-if',
  label = 'What-if',
): ScenarioAssumptions {
  let s: ScenarioAssumptions = { ...base, name, label };
  for (const w of whatIfs) {
    const range = (x: { from?: Period; to?: Period }) => ({
      ...(x.from ? { from: x.from } : {}),
      ...(x.to ? { to: x.to } : {}),
    });
    if (w.kind === 'demand')
      s = {
        ...s,
        demandChanges: [...(s.demandChanges ?? []), { family: w.family, pct: w.pct, ...range(w) }],
      };
    else if (w.kind === 'capacity')
      s = {
        ...s,
        capacityChanges: [
          ...(s.capacityChanges ?? []),
          { resource: w.resource, pct: w.pct, ...range(w) },
        ],
      };
    else if (w.kind === 'price')
      s = { ...s, priceChanges: [...(s.priceChanges ?? []), { family: w.family, pct: w.pct }] };
    else if (w.kind === 'overtime') s = { ...s, overtime: w.allowed };
    else s = { ...s, subcontracting: w.allowed };
  }
  return s;
}

export interface ScenarioResult {
  readonly name: string;
  readonly label: string;
  readonly assumptions: ScenarioAssumptions;
  readonly status: 'optimal' | 'infeasible' | 'unbounded' | 'error';
  readonly plan: SolvedPlan | null;
  readonly finance: PlanFinance | null;
  /** Plain-words reason when there is no plan. */
  readonly message: string | null;
  readonly reasons: readonly string[];
  readonly solverSeconds: number;
}

export interface RunScenariosOptions {
  readonly budget?: readonly BudgetLine[];
}

/**
 * Solves each scenario and prices its plan. The solves are independent and are all asked
 * of the solver at once: a solver that runs several at a time (the worker's thread pool)
 * solves them side by side, one that runs one at a time solves them in turn. Either way the
 * results come back in the scenarios' order.
 */
export async function runScenarios(
  problem: PlanProblem,
  scenarios: readonly ScenarioAssumptions[],
  solver: LpSolver,
  opts: RunScenariosOptions = {},
): Promise<ScenarioResult[]> {
  // Apply every scenario first, so a bad assumption fails before any solving.
  const problems = scenarios.map((a) => applyScenario(problem, a));
  return Promise.all(
    scenarios.map(async (a, n): Promise<ScenarioResult> => {
      const p = problems[n]!;
      const r = await solvePlan(p, solver, { strategy: a.strategy ?? 'optimal' });
      if (r.status === 'optimal') {
        return {
          name: a.name,
          label: a.label,
          assumptions: a,
          status: 'optimal',
          plan: r,
          finance: planFinance(p, r, opts.budget),
          message: null,
          reasons: [],
          solverSeconds: r.solverSeconds,
        };
      }
      return {
        name: a.name,
        label: a.label,
        assumptions: a,
        status: r.status,
        plan: null,
        finance: null,
        message: r.message,
        reasons: r.reasons,
        solverSeconds: r.solverSeconds,
      };
    }),
  );
}

export type MetricFormat = 'percent' | 'money' | 'units' | 'days' | 'count';

export interface ScenarioGridRow {
  readonly metric: string;
  readonly label: string;
  readonly unit: string;
  readonly format: MetricFormat;
  /** Whether a larger value is better (for highlighting); null when neither. */
  readonly higherIsBetter: boolean | null;
  /** One value per column, null where the scenario has no plan or the figure is undefined. */
  readonly values: readonly (number | null)[];
}

export interface ScenarioGrid {
  readonly columns: readonly {
    name: string;
    label: string;
    status: ScenarioResult['status'];
    message: string | null;
  }[];
  readonly rows: readonly ScenarioGridRow[];
}

type MetricPick = (r: ScenarioResult & { plan: SolvedPlan; finance: PlanFinance }) => number | null;

const METRICS: readonly (Omit<ScenarioGridRow, 'values'> & { pick: MetricPick })[] = [
  {
    metric: 'fillRate',
    label: 'Fill rate',
    unit: '%',
    format: 'percent',
    higherIsBetter: true,
    pick: (r) => r.plan.kpis.fillRate,
  },
  {
    metric: 'endingInventory',
    label: 'Ending inventory',
    unit: 'units',
    format: 'units',
    higherIsBetter: null,
    pick: (r) => r.plan.kpis.endingInventory,
  },
  {
    metric: 'averageInventory',
    label: 'Average inventory',
    unit: 'units',
    format: 'units',
    higherIsBetter: null,
    pick: (r) => r.plan.kpis.averageInventory,
  },
  {
    metric: 'endingInventoryValue',
    label: 'Ending inventory value',
    unit: 'money',
    format: 'money',
    higherIsBetter: false,
    pick: (r) => r.finance.endingInventoryValue,
  },
  {
    metric: 'averageInventoryValue',
    label: 'Average inventory value',
    unit: 'money',
    format: 'money',
    higherIsBetter: false,
    pick: (r) => r.finance.averageInventoryValue,
  },
  {
    metric: 'daysOfSupply',
    label: 'Days of supply (end)',
    unit: 'days',
    format: 'days',
    higherIsBetter: null,
    pick: (r) => r.finance.daysOfSupply,
  },
  {
    metric: 'productionCost',
    label: 'Production cost (incl. workforce)',
    unit: 'money',
    format: 'money',
    higherIsBetter: false,
    pick: (r) =>
      r.plan.costs.production + r.plan.costs.workforce + r.plan.costs.hiring + r.plan.costs.layoffs,
  },
  {
    metric: 'overtimeCost',
    label: 'Overtime cost',
    unit: 'money',
    format: 'money',
    higherIsBetter: false,
    pick: (r) => r.plan.costs.overtime,
  },
  {
    metric: 'subcontractCost',
    label: 'Subcontracting cost',
    unit: 'money',
    format: 'money',
    higherIsBetter: false,
    pick: (r) => r.plan.costs.subcontract,
  },
  {
    metric: 'totalCost',
    label: 'Total plan cost',
    unit: 'money',
    format: 'money',
    higherIsBetter: false,
    pick: (r) => r.plan.totalCost,
  },
  {
    metric: 'revenue',
    label: 'Revenue',
    unit: 'money',
    format: 'money',
    higherIsBetter: true,
    pick: (r) => r.finance.revenue,
  },
  {
    metric: 'grossMargin',
    label: 'Gross margin',
    unit: 'money',
    format: 'money',
    higherIsBetter: true,
    pick: (r) => r.finance.grossMargin,
  },
  {
    metric: 'grossMarginPct',
    label: 'Gross margin %',
    unit: '%',
    format: 'percent',
    higherIsBetter: true,
    pick: (r) => r.finance.grossMarginPct,
  },
  {
    metric: 'workingCapitalDelta',
    label: 'Working capital vs budget',
    unit: 'money',
    format: 'money',
    higherIsBetter: false,
    pick: (r) => r.finance.workingCapitalDelta,
  },
  {
    metric: 'peakUtilisation',
    label: 'Peak utilisation',
    unit: '%',
    format: 'percent',
    higherIsBetter: null,
    pick: (r) => r.plan.kpis.peakUtilisation,
  },
  {
    metric: 'averageUtilisation',
    label: 'Average utilisation',
    unit: '%',
    format: 'percent',
    higherIsBetter: null,
    pick: (r) => r.plan.kpis.averageUtilisation,
  },
  {
    metric: 'tenseResourceMonths',
    label: 'Resource-months above 90%',
    unit: 'count',
    format: 'count',
    higherIsBetter: false,
    pick: (r) => r.plan.kpis.tenseResourceMonths,
  },
];

export function compareScenarios(results: readonly ScenarioResult[]): ScenarioGrid {
  return {
    columns: results.map((r) => ({
      name: r.name,
      label: r.label,
      status: r.status,
      message: r.message,
    })),
    rows: METRICS.map(({ pick, ...row }) => ({
      ...row,
      values: results.map((r) =>
        r.plan && r.finance
          ? pick(r as ScenarioResult & { plan: SolvedPlan; finance: PlanFinance })
          : null,
      ),
    })),
  };
}
