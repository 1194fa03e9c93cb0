/**
 * Scenarios: the consensus plan problem changed by a few named assumptions, each solved and
 * all compared on one grid (docs/plan-format.md, "Scenarios").
 */
import { z } from 'zod';
import type { BudgetLine } from './company.js';
import {
  type BillGap,
  type OpeningPayables,
  type OpeningReceivables,
  type PlanFinance,
  planFinance,
} from './finance.js';
import { daysInMonth, type Period, periodIndex } from './period.js';
import {
  type CashSettings,
  DEFAULT_CASH,
  type ScenarioAssumptionsInput,
  scenarioAssumptionsSchema,
} from './scenarios/schema.js';
import { EXCESS_STOCK } from './scenarios/trade-off.js';
import type { WhatIf } from './scenarios/what-if.js';
import {
  type BudgetCash,
  budgetCash,
  type DemandSamples,
  drawDemand,
  monthIndex,
  type StressSummary,
  stressScenario,
  workingCapitalP90VsBudget,
  workingCapitalVsBudget,
} from './stress/index.js';
import type { LpSolver } from './supply/lp.js';
import type { PlanProblem } from './supply/problem.js';
import { type SolvedPlan, solvePlan } from './supply/solve.js';

export type ScenarioAssumptions = DeepReadonly<ScenarioAssumptionsInput>;
type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * The three plans the company could commit to (docs/plan-format.md, "Scenarios"):
 * - Central: plan to the consensus, overtime allowed, subcontracting within the company's
 *   limits.
 * - Cautious: plan to the consensus −10%, no overtime, no subcontracting, stock targets cut
 *   to 5 days of cover, hiring frozen (protect cash).
 * - Ambitious: plan to +15% with a promotion (price −3%, expected to add 6% to demand),
 *   overtime, subcontracting up to 25% of demand, and 15% more capacity on the most loaded
 *   resource from the fourth month.
 */
/** The scenario the others are compared with, and the charts and pack read as the plan. */
export const CENTRAL = 'central';

export const DEFAULT_SCENARIOS: readonly ScenarioAssumptions[] = [
  { name: CENTRAL, label: 'Central', overtime: true },
  {
    name: 'cautious',
    label: 'Cautious',
    demandMultiplier: 0.9,
    overtime: false,
    subcontracting: false,
    stockCoverDays: 5,
    hiringFreeze: true,
  },
  {
    name: 'ambitious',
    label: 'Ambitious',
    demandMultiplier: 1.15,
    promotion: { pricePct: -3, upliftPct: 6 },
    overtime: true,
    subcontracting: true,
    subcontractCapPct: 25,
    capacityInvestment: { resource: null, sizePct: 15 },
  },
];

/** Parses a list of scenarios (a plan file's or a stored one); throws naming the bad field. */
export function parseScenarios(input: unknown): ScenarioAssumptions[] {
  return z.array(scenarioAssumptionsSchema).parse(input);
}

/** The value of each lever that plans as leaving it out does (the `?? 1`, `?? 0` below). */
const MEANS_NOTHING: Readonly<Record<string, unknown>> = {
  demandMultiplier: 1,
  priceChangePct: 0,
  hiringFreeze: false,
  overtimeCapPct: 100,
  strategy: 'optimal',
};

/** Levers that are lists or maps, which change nothing when empty (the `?? []` below). */
const EMPTY_MEANS_NOTHING: ReadonlySet<string> = new Set([
  'familyMultipliers',
  'demandChanges',
  'capacityChanges',
  'priceChanges',
]);

const isEmpty = (v: unknown): boolean =>
  Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' && !Object.keys(v).length;

/**
 * `a` without the levers whose value means nothing (demand at 1× the consensus, a 0% price
 * change, no hiring freeze, all of the overtime limit, the optimal strategy, no family
 * multipliers, no demand, capacity or price changes): two scenarios that plan alike are equal
 * as this. Plan files and service calls may say them; the `/sop scenario set` form writes none.
 */
export function inEffect<T extends Partial<ScenarioAssumptions>>(a: T): T {
  return Object.fromEntries(
    Object.entries(a).filter(
      ([lever, v]) =>
        !(lever in MEANS_NOTHING && MEANS_NOTHING[lever] === v) &&
        !(EMPTY_MEANS_NOTHING.has(lever) && isEmpty(v)),
    ),
  ) as T;
}

/** `v` as JSON with every object's keys in order: equal values, equal text (jsonb reorders keys). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_key, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/**
 * A scenario as text that is the same for every way of writing the same plan: its levers in
 * effect (inEffect), keys in order (canonicalJson). Equal for scenarios that plan alike.
 */
export function scenarioInEffect(a: Partial<ScenarioAssumptions>): string {
  return canonicalJson(inEffect(a));
}

function inRange(t: Period, from?: Period, to?: Period): boolean {
  const i = periodIndex(t);
  return (
    (from === undefined || i >= periodIndex(from)) && (to === undefined || i <= periodIndex(to))
  );
}

/**
 * What a what-if's demand changes multiply a family's demand in a month by: each change for
 * the family (or for all) whose months hold the month adds its percentage, compounded
 * (+20% then +10%: 1.2 × 1.1). 1 without one.
 */
export function demandChangeFactor(
  changes: ScenarioAssumptions['demandChanges'],
  family: string,
  period: Period,
): number {
  let m = 1;
  for (const c of changes ?? [])
    if ((c.family == null || c.family === family) && inRange(period, c.from, c.to))
      m *= 1 + c.pct / 100;
  return m;
}

/**
 * The demand samples as they would be if the what-if's demand changes happen: every
 * sample's demand, and the distribution it was drawn from (median and both spreads), of a
 * matching family and month multiplied by demandChangeFactor, the rule the what-if's plan is
 * made to. Samples without a change are returned as they are.
 */
export function demandSamplesIfItHappens(
  samples: DemandSamples,
  changes: ScenarioAssumptions['demandChanges'],
): DemandSamples {
  const { distribution: dist } = samples;
  const F = dist.families.length;
  const T = dist.periods.length;
  const factor = new Float64Array(F * T);
  let changed = false;
  dist.families.forEach((family, f) => {
    dist.periods.forEach((period, t) => {
      const m = demandChangeFactor(changes, family, period);
      factor[f * T + t] = m;
      if (m !== 1) changed = true;
    });
  });
  if (!changed) return samples;
  const scale = (xs: Float64Array): Float64Array => xs.map((x, k) => x * factor[k]!);
  const demand = new Float64Array(samples.demand.length);
  const S = F * T > 0 ? Math.floor(demand.length / (F * T)) : 0;
  for (let s = 0; s < S; s++)
    for (let k = 0; k < F * T; k++)
      demand[s * F * T + k] = samples.demand[s * F * T + k]! * factor[k]!;
  return {
    distribution: {
      ...dist,
      median: scale(dist.median),
      sdLow: scale(dist.sdLow),
      sdHigh: scale(dist.sdHigh),
    },
    demand,
  };
}

/** A capacity investment with its resource, size, cost and first month resolved. */
export interface ResolvedInvestment {
  readonly resource: string;
  /** Capacity added per month, in the resource's unit. */
  readonly size: number;
  readonly cost: number;
  readonly from: Period;
}

/** Regular capacity of a resource in a month, as the problem states it (workforce: its crew). */
function regularCapacity(r: PlanProblem['resources'][number], t: Period): number {
  const crew = r.workforce ? r.workforce.initialWorkers * r.workforce.hoursPerWorker : 0;
  return ((r.capacityByPeriod[t] ?? r.capacity) + crew) * (r.availabilityByPeriod[t] ?? 1);
}

/**
 * The first month of an investment that names none: the plan's fourth month (its last, in a
 * shorter plan); undefined when there are no months.
 */
export function defaultInvestmentMonth(periods: readonly Period[]): Period | undefined {
  return periods[Math.min(3, periods.length - 1)];
}

/**
 * The investment of a scenario, resolved on the problem: a null resource is the machine or
 * supplier (not a workforce or a warehouse) with the highest load of planned demand over its
 * regular capacity; the size is a share of its mean regular capacity; the default cost is six
 * months of that size at its overtime cost; the default first month is the fourth.
 */
export function resolveInvestment(
  problem: PlanProblem,
  a: ScenarioAssumptions,
): ResolvedInvestment | null {
  const inv = a.capacityInvestment;
  if (!inv) return null;
  let res = inv.resource ? problem.resources.find((r) => r.code === inv.resource) : undefined;
  if (inv.resource && !res)
    throw new ScenarioCodeError(
      a.name,
      `the capacity investment names resource '${inv.resource}', which is not in the plan`,
    );
  if (!res) {
    const demand = new Map<string, number>();
    for (const d of problem.demand) demand.set(d.family, (demand.get(d.family) ?? 0) + d.units);
    let best = -1;
    for (const r of problem.resources) {
      // A warehouse holds month-end stock, not a flow of production: Σ perUnit × demand is
      // no load for it, and it is not a machine or supplier.
      if (r.workforce || r.storage) continue;
      let load = 0;
      for (const l of problem.loads)
        if (l.resource === r.code) load += l.perUnit * (demand.get(l.family) ?? 0);
      const cap = problem.periods.reduce((acc, t) => acc + regularCapacity(r, t), 0);
      const u = cap > 0 ? load / cap : 0;
      if (u > best) {
        best = u;
        res = r;
      }
    }
  }
  if (!res) return null;
  const mean =
    problem.periods.reduce((acc, t) => acc + regularCapacity(res, t), 0) / problem.periods.length;
  const size = (mean * inv.sizePct) / 100;
  const from = inv.from ?? defaultInvestmentMonth(problem.periods)!;
  return { resource: res.code, size, cost: inv.cost ?? size * 6 * res.overtimeCost, from };
}

/**
 * A scenario names a family or resource the plan does not have: unknown to the company, or
 * inactive (a plan holds only the active ones). No retry can fix it; the scenario must change.
 */
export class ScenarioCodeError extends RangeError {
  constructor(
    readonly scenario: string,
    message: string,
  ) {
    super(`scenario '${scenario}': ${message}`);
    this.name = 'ScenarioCodeError';
  }
}

/**
 * The problem as the scenario sees it. A family or resource code the problem does not have
 * (unknown to the company, or inactive) throws ScenarioCodeError.
 */
export function applyScenario(problem: PlanProblem, a: ScenarioAssumptions): PlanProblem {
  const families = new Set(problem.families.map((f) => f.code));
  const resources = new Set(problem.resources.map((r) => r.code));
  const checkFamily = (f: string | null | undefined, where: string): void => {
    if (f != null && !families.has(f))
      throw new ScenarioCodeError(a.name, `${where} names family '${f}', which is not in the plan`);
  };
  for (const f of Object.keys(a.familyMultipliers ?? {})) checkFamily(f, 'familyMultipliers');
  for (const d of a.demandChanges ?? []) checkFamily(d.family, 'a demand change');
  for (const p of a.priceChanges ?? []) checkFamily(p.family, 'a price change');
  for (const c of a.capacityChanges ?? [])
    if (!resources.has(c.resource))
      throw new ScenarioCodeError(
        a.name,
        `a capacity change names resource '${c.resource}', which is not in the plan`,
      );
  const investment = resolveInvestment(problem, a);

  // Inside the frozen fence production is the adopted plan's, so planning for other demand
  // there changes nothing the plan can do: it would only book backlog the plan then chases.
  // The scenario's multipliers apply outside it; a what-if's demand changes apply anywhere.
  const frozen = new Set((problem.frozen ?? []).map((f) => `${f.family}|${f.period}`));
  const demand = problem.demand.map((d) => {
    let m = frozen.has(`${d.family}|${d.period}`)
      ? 1
      : (a.demandMultiplier ?? 1) * (a.familyMultipliers?.[d.family] ?? 1);
    m *= demandChangeFactor(a.demandChanges, d.family, d.period);
    return { family: d.family, period: d.period, units: d.units * m };
  });
  const planned = new Map<string, number>();
  for (const d of demand) planned.set(d.family, (planned.get(d.family) ?? 0) + d.units);
  const horizonDays = problem.periods.reduce((acc, t) => acc + daysInMonth(t), 0);
  const otShare = a.overtimeCapPct === undefined ? 1 : a.overtimeCapPct / 100;

  const resourcesOut = problem.resources.map((r) => {
    const changes = (a.capacityChanges ?? []).filter((c) => c.resource === r.code);
    const availabilityByPeriod: Record<string, number> = { ...r.availabilityByPeriod };
    for (const t of problem.periods) {
      let f = availabilityByPeriod[t] ?? 1;
      for (const c of changes) if (inRange(t, c.from, c.to)) f *= 1 + c.pct / 100;
      if (f !== 1) availabilityByPeriod[t] = Math.max(0, f);
    }
    const capacityByPeriod: Record<string, number> = { ...r.capacityByPeriod };
    if (investment?.resource === r.code)
      for (const t of problem.periods)
        if (periodIndex(t) >= periodIndex(investment.from)) {
          // The capacity field is scaled by availability; add the size as available hours.
          const avail = availabilityByPeriod[t] ?? 1;
          capacityByPeriod[t] =
            (capacityByPeriod[t] ?? r.capacity) + (avail > 0 ? investment.size / avail : 0);
        }
    const scale = (rec: Readonly<Record<string, number>>): Record<string, number> =>
      Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, v * otShare]));
    const wf = r.workforce;
    return {
      ...r,
      availabilityByPeriod,
      capacityByPeriod,
      overtimeLimit: r.overtimeLimit * otShare,
      overtimeLimitByPeriod: scale(r.overtimeLimitByPeriod),
      workforce: wf
        ? {
            ...wf,
            overtimeHoursPerWorker:
              wf.overtimeHoursPerWorker === null ? null : wf.overtimeHoursPerWorker * otShare,
            ...(wf.crewOvertimeLimit === undefined
              ? {}
              : { crewOvertimeLimit: wf.crewOvertimeLimit * otShare }),
            ...(wf.crewOvertimeLimitByPeriod === undefined
              ? {}
              : { crewOvertimeLimitByPeriod: scale(wf.crewOvertimeLimitByPeriod) }),
            ...(a.hiringFreeze ? { hiringFreeze: true } : {}),
          }
        : null,
    };
  });
  const familiesOut = problem.families.map((f) => {
    let m = (1 + (a.priceChangePct ?? 0) / 100) * (1 + (a.promotion?.pricePct ?? 0) / 100);
    for (const p of a.priceChanges ?? [])
      if (p.family == null || p.family === f.code) m *= 1 + p.pct / 100;
    const monthly = (planned.get(f.code) ?? 0) / problem.periods.length;
    const cap =
      a.subcontractCapPct === undefined
        ? f.subcontractLimit
        : Math.min(f.subcontractLimit ?? Infinity, (monthly * a.subcontractCapPct) / 100);
    const cover =
      a.stockCoverDays === undefined
        ? null
        : ((planned.get(f.code) ?? 0) / horizonDays) * a.stockCoverDays;
    return {
      ...f,
      price: f.price * m,
      // An imported per-month price overrides the flat one, so it takes the change too.
      ...(f.priceByPeriod === undefined
        ? {}
        : {
            priceByPeriod: Object.fromEntries(
              Object.entries(f.priceByPeriod).map(([t, v]) => [t, v * m]),
            ),
          }),
      subcontractLimit: cap,
      ...(cover === null ? {} : { safetyStock: cover, endingInventoryMin: cover }),
    };
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
  /** The capacity investment, resolved on the problem; null without one. */
  readonly investment: ResolvedInvestment | null;
  /** The plan played against the demand samples; null without a plan or without a stress test. */
  readonly stress: StressSummary | null;
}

export interface RunScenariosOptions {
  readonly budget?: readonly BudgetLine[];
  /** Sampling of the stress test; absent: no stress test. */
  readonly stress?: {
    readonly samples: number;
    readonly seed: number;
    /** Months held to the plan (frozen + slushy); default 3. */
    readonly fixedMonths?: number;
    /** Spread factor per family from past consensus errors. */
    readonly widen?: ReadonlyMap<string, number>;
  };
  readonly cash?: CashSettings;
  /**
   * Invoices open when the horizon began, from the sales history (`openingReceivables` in
   * src/core/finance.ts); absent or null: their collections are not counted.
   */
  readonly opening?: OpeningReceivables | null;
  /**
   * Bills open when the horizon began, from the production actuals (`openingPayables` in
   * src/core/finance.ts); absent or null: their payments are not counted.
   */
  readonly bills?: OpeningPayables | null;
  /**
   * Without `bills`, or with them estimated: the family still producing whose row a month
   * lacks (productionGap).
   */
  readonly billsGap?: BillGap | null;
}

/** Stress-test figures shared by every scenario of one run. */
export interface StressContext {
  readonly samples: DemandSamples;
  readonly budget: BudgetCash | null;
  readonly fixedMonths: number;
  readonly cash: CashSettings;
  /** Invoices open when the horizon began; absent or null: not counted. */
  readonly opening?: OpeningReceivables | null;
  /** Bills open when the horizon began; absent or null: not counted. */
  readonly bills?: OpeningPayables | null;
  /** Without `bills`, or with them estimated: why production does not give them (productionGap). */
  readonly billsGap?: BillGap | null;
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
  const investments = scenarios.map((a) => resolveInvestment(problem, a));
  const solved = await Promise.all(
    scenarios.map((a, n) => solvePlan(problems[n]!, solver, { strategy: a.strategy ?? 'optimal' })),
  );
  const first = solved[0];
  const ctx = opts.stress
    ? stressContext(problem, opts, first?.status === 'optimal' ? first : null)
    : null;
  return scenarios.map((a, n): ScenarioResult => {
    const p = problems[n]!;
    const r = solved[n]!;
    const investment = investments[n] ?? null;
    if (r.status === 'optimal') {
      return {
        name: a.name,
        label: a.label,
        assumptions: a,
        status: 'optimal',
        plan: r,
        finance: planFinance(p, r, opts.budget, investment?.cost ?? 0),
        message: null,
        reasons: [],
        solverSeconds: r.solverSeconds,
        investment,
        stress: ctx ? stressOne(ctx, p, r, a, investment) : null,
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
      investment,
      stress: null,
    };
  });
}

/**
 * The samples and the budget's cash a run's scenarios are all measured against; `central`
 * (the first scenario's plan) gives the budget its cash cost per unit (see budgetCash).
 */
export function stressContext(
  problem: PlanProblem,
  opts: RunScenariosOptions,
  central: SolvedPlan | null = null,
): StressContext {
  const st = opts.stress ?? { samples: 500, seed: 1 };
  const cash = opts.cash ?? DEFAULT_CASH;
  const c = central?.costs;
  const materials = c ? c.production + c.subcontract : 0;
  const all = c
    ? materials + c.overtime + c.workforce + c.hiring + c.layoffs + c.holding + (c.scrap ?? 0)
    : 0;
  return {
    samples: drawDemand(problem, { samples: st.samples, seed: st.seed }, st.widen),
    budget: budgetCash(
      problem,
      opts.budget ?? [],
      cash,
      materials > 0 ? all / materials : 1,
      opts.opening ?? null,
      opts.bills ?? null,
    ),
    fixedMonths: st.fixedMonths ?? 3,
    cash,
    opening: opts.opening ?? null,
    bills: opts.bills ?? null,
    billsGap: opts.bills && !opts.bills.estimated ? null : (opts.billsGap ?? null),
  };
}

/** One scenario's plan played against the run's samples. */
export function stressOne(
  ctx: StressContext,
  p: PlanProblem,
  plan: SolvedPlan,
  a: ScenarioAssumptions,
  investment: ResolvedInvestment | null,
): StressSummary {
  const summary = stressScenario(
    {
      problem: p,
      plan,
      investment: investment
        ? { cost: investment.cost, month: monthIndex(p, investment.from) }
        : null,
      upliftPct: a.promotion?.upliftPct ?? 0,
    },
    ctx.samples,
    {
      fixedMonths: ctx.fixedMonths,
      cash: ctx.cash,
      budget: ctx.budget,
      opening: ctx.opening ?? null,
      bills: ctx.bills ?? null,
    },
  );
  return (!ctx.bills || ctx.bills.estimated) && ctx.billsGap
    ? { ...summary, openingPayablesGap: ctx.billsGap }
    : summary;
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

const money = (
  metric: string,
  label: string,
  higherIsBetter: boolean | null,
  pick: MetricPick,
): Omit<ScenarioGridRow, 'values'> & { pick: MetricPick } => ({
  metric,
  label,
  unit: 'money',
  format: 'money',
  higherIsBetter,
  pick,
});

/** Rows of the stress test: the plan against the demand samples (null without one). */
const STRESS_METRICS: readonly (Omit<ScenarioGridRow, 'values'> & { pick: MetricPick })[] = [
  {
    metric: 'expectedFillRate',
    label: 'Expected fill rate',
    unit: '%',
    format: 'percent',
    higherIsBetter: true,
    pick: (r) => r.stress?.fillRate.expected ?? null,
  },
  {
    metric: 'serviceAtRisk',
    label: 'Service at risk (P10 fill rate)',
    unit: '%',
    format: 'percent',
    higherIsBetter: true,
    pick: (r) => r.stress?.fillRate.p10 ?? null,
  },
  money('expectedMargin', 'Expected margin', true, (r) => r.stress?.margin.expected ?? null),
  money('marginP10', 'Margin at P10', true, (r) => r.stress?.margin.p10 ?? null),
  money(
    'expectedEndingInventoryValue',
    'Expected ending inventory value',
    false,
    (r) => r.stress?.endingInventoryValue.expected ?? null,
  ),
  money(
    'excessInventoryValue',
    `${EXCESS_STOCK} (expected)`,
    false,
    (r) => r.stress?.excessInventoryValue.expected ?? null,
  ),
  money('cashFlow', 'Cash generated (expected)', true, (r) => r.stress?.cashFlow.expected ?? null),
  money('cashFlowP10', 'Cash generated at P10', true, (r) => r.stress?.cashFlow.p10 ?? null),
  money(
    'workingCapital',
    'Peak working capital (expected)',
    false,
    (r) => r.stress?.peakWorkingCapital.expected ?? null,
  ),
  // The high side is the bad one: more cash tied up in stock and receivables.
  money(
    'workingCapitalP90',
    'Peak working capital at P90',
    false,
    (r) => r.stress?.peakWorkingCapital.p90 ?? null,
  ),
  money('workingCapitalVsBudget', 'Peak working capital vs budget', false, (r) =>
    r.stress ? workingCapitalVsBudget(r.stress) : null,
  ),
  // Its bad case against the same budget peak, over the same months.
  money('workingCapitalP90VsBudget', 'Peak working capital at P90 vs budget', false, (r) =>
    r.stress ? workingCapitalP90VsBudget(r.stress) : null,
  ),
  money('cashCost', 'Cash cost (expected)', false, (r) => r.stress?.cashCost.expected ?? null),
  money(
    'penaltyCost',
    'Model penalties (not cash)',
    false,
    (r) => r.stress?.penaltyCost.expected ?? null,
  ),
];

const METRICS: readonly (Omit<ScenarioGridRow, 'values'> & { pick: MetricPick })[] = [
  ...STRESS_METRICS,
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
    label: 'Model objective (costs + penalties)',
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
    label: 'Margin at planned demand',
    unit: 'money',
    format: 'money',
    higherIsBetter: true,
    pick: (r) => r.finance.grossMargin,
  },
  {
    metric: 'grossMarginPct',
    label: 'Margin % at planned demand',
    unit: '%',
    format: 'percent',
    higherIsBetter: true,
    pick: (r) => r.finance.grossMarginPct,
  },
  {
    metric: 'workingCapitalDelta',
    // Stock alone, at the horizon's end: not the pack's peak working capital (stock +
    // receivables − payables), whose gap to the budget can have the other sign.
    label: 'Stock value vs budget, end',
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
