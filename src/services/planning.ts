/**
 * The planning pipeline's service: load the company and the cycle from the database into
 * core types, compute consensus with the stored adjustments, run the rough-cut capacity
 * check with the capacity updates in force, solve the scenarios with the LP, and write one
 * immutable plan run. A run is keyed by its run_key: asking twice writes once.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import { lockKey, withSessionLock } from '../../db/queries/adjustments.js';
import { audit } from '../../db/queries/audit.js';
import { baselineForecasts } from '../../db/queries/baselines.js';
import { exceptionFamilies } from '../../db/queries/break-dispositions.js';
import { type LoadedCompany, loadCompany } from '../../db/queries/company.js';
import { pastConsensusErrors } from '../../db/queries/consensus-errors.js';
import {
  capacityUpdatesInForce,
  cycleAdjustments,
  cycleById,
} from '../../db/queries/cycle-inputs.js';
import { cycleScenarios } from '../../db/queries/cycle-scenarios.js';
import { lastAdoptedCycleBefore, lockCyclePhase } from '../../db/queries/cycles.js';
import { dbNow, productionActuals } from '../../db/queries/execution.js';
import {
  insertPlanRun,
  latestRunInputs,
  type NewPlanRun,
  type NewScenario,
  runByKey,
} from '../../db/queries/plan-runs.js';
import type { CycleRow, SettingsRow } from '../../db/schema.js';
import { type ConsensusLine, computeConsensus } from '../core/consensus.js';
import { billRange, productionByMonth } from '../core/execution.js';
import {
  type BillGap,
  type OpeningPayables,
  type OpeningReceivables,
  openingPayables,
  openingReceivables,
  openingSalesMonths,
  type ProductionActuals,
  productionCost,
  productionGap,
  revenueByRow,
  salesCost,
  salesRevenue,
} from '../core/finance.js';
import { nextPeriods, type Period } from '../core/period.js';
import type { CashSettings } from '../core/scenarios/schema.js';
import type { WhatIf } from '../core/scenarios/what-if.js';
import {
  applyScenario,
  applyWhatIfs,
  DEFAULT_SCENARIOS,
  demandSamplesIfItHappens,
  runScenarios,
  type ScenarioAssumptions,
  type ScenarioResult,
  type StressContext,
  scenarioInEffect,
  stressContext,
  stressOne,
} from '../core/scenarios.js';
import {
  demandDistribution,
  type StressSummary,
  wideningFromErrors,
  workingCapitalVsBudget,
} from '../core/stress/index.js';
import {
  type CapacityCheck,
  type CapacityGap,
  type CapacityUpdate,
  type DemandLine,
  roughCutCapacity,
} from '../core/supply/capacity-check.js';
import {
  buildPlanProblem,
  openingStockMonth,
  runStaleStock,
  staleOpeningStock,
} from '../core/supply/from-company.js';
import type { LpSolver } from '../core/supply/lp.js';
import type { PlanProblem } from '../core/supply/problem.js';
import type { SolvedPlan } from '../core/supply/solve.js';
import { SopError } from '../errors.js';
import { MissingCompanyDataError, missingForPlan } from './company-data.js';

import { adoptedProduction } from './decisions.js';
import { storeRunDuals } from './plan-duals.js';
import { knownCodes, whatIfsInCompanyCodes } from './scenarios.js';
import { getSettings } from './settings.js';

export interface PlanInputs {
  readonly cycle: CycleRow;
  readonly settings: SettingsRow;
  readonly loaded: LoadedCompany;
  readonly periods: readonly Period[];
  readonly consensus: readonly ConsensusLine[];
  readonly demand: readonly DemandLine[];
  readonly updates: readonly CapacityUpdate[];
  /** Production fixed in this cycle's frozen months by the previous cycle's adopted plan. */
  readonly frozen: readonly { family: string; period: Period; production: number }[];
  readonly check: CapacityCheck;
  /** P10 and P90 of each family-month's demand ('FAM|YYYY-MM'): the baseline's 80% interval scaled to the consensus. */
  readonly intervals: ReadonlyMap<string, { readonly p10: number; readonly p90: number }>;
  /** Relative errors of past consensus plans, by family (widen the demand spread). */
  readonly pastErrors: ReadonlyMap<string, readonly number[]>;
  /** The cycle's scenarios as planners set them (`/sop scenario`), else the defaults. */
  readonly scenarios: readonly ScenarioAssumptions[];
  /** The month of the inventory count the plan opens on (the latest before its first). */
  readonly openingStockMonth: Period | null;
  /**
   * The plan's families' production by month from the production actuals (monthly rows, and
   * weekly ones split by days for the months a family's weeks hold whole: productionByMonth),
   * for the bills open when it begins, and the families still producing (production actuals
   * in the 12 months before those months or in them: billRange), each of which a month needs
   * for its bill to be known.
   */
  readonly production: ProductionActuals;
  readonly ms: {
    readonly load: number;
    readonly consensus: number;
    readonly capacityCheck: number;
  };
}

/**
 * The frozen zone: production in this cycle's first `frozen_months` months is fixed to what
 * the latest earlier cycle's adopted plan (its decision) said for those months, but for the
 * families whose frozen-zone break that decision granted an exception for.
 */
async function frozenFromAdoptedPlan(
  db: Db,
  month: Period,
  frozenPeriods: readonly Period[],
): Promise<{ family: string; period: Period; production: number }[]> {
  if (frozenPeriods.length === 0) return [];
  const previous = await lastAdoptedCycleBefore(db, month);
  if (!previous) return [];
  const [adopted, excepted] = await Promise.all([
    adoptedProduction(db, previous.id),
    exceptionFamilies(db, previous.id),
  ]);
  // A family whose frozen-zone break that cycle's meeting granted an exception for is planned
  // afresh in the frozen months: the exception is the meeting's leave to change its frozen plan.
  const lifted = new Set(excepted);
  const out: { family: string; period: Period; production: number }[] = [];
  for (const [family, byPeriod] of Object.entries(adopted)) {
    if (lifted.has(family)) continue;
    for (const period of frozenPeriods) {
      const production = byPeriod[period];
      if (production !== undefined) out.push({ family, period, production });
    }
  }
  return out;
}

/** Everything a plan needs, from the database, with consensus and the rough-cut check. */
export async function preparePlan(db: Db, cycleId: number): Promise<PlanInputs> {
  const t0 = performance.now();
  const cycle = await cycleById(db, cycleId);
  if (!cycle) throw new SopError('not_found', `Cycle ${cycleId} does not exist.`);
  const settings = await getSettings(db);
  const loaded = await loadCompany(db);
  // Nothing to plan before the company's data is imported: say what to import, solve nothing.
  const missing = missingForPlan({
    families: loaded.company.families.length,
    resources: loaded.company.resources.length,
  });
  if (missing) throw new MissingCompanyDataError(missing);
  const periods = nextPeriods(cycle.month, settings.horizon_months);
  const inPlan = new Set(periods);
  // The months whose production bills are still open when the plan begins (openingBillsOf):
  // only their production actuals are read, and which families are still producing.
  const bills = periods[0] ? billRange(periods[0], settings.dpo_days) : null;
  const [baseline, adjustments, updates, pastErrors, scenarios, made] = await Promise.all([
    baselineForecasts(db, cycleId),
    cycleAdjustments(db, cycleId, loaded.familyCodes),
    capacityUpdatesInForce(db, cycleId, loaded.resourceCodes),
    pastConsensusErrors(db, cycle.month, loaded.familyCodes),
    cycleScenarios(db, cycleId),
    bills ? productionActuals(db, bills) : null,
  ]);
  const t1 = performance.now();
  const baseLines = baseline.flatMap((b) => {
    const family = loaded.familyCodes.get(b.familyId);
    return family && inPlan.has(b.period) ? [{ family, period: b.period, value: b.value }] : [];
  });
  const consensus = computeConsensus(
    baseLines,
    adjustments.filter((a) => inPlan.has(a.period)),
  );
  const demand = consensus.map((c) => ({
    family: c.family,
    period: c.period,
    units: c.consensus,
  }));
  const intervals = new Map<string, { p10: number; p90: number }>();
  const byKey = new Map(consensus.map((c) => [`${c.family}|${c.period}`, c.consensus]));
  for (const b of baseline) {
    const family = loaded.familyCodes.get(b.familyId);
    if (!family || b.lo80 === null || b.hi80 === null) continue;
    const key = `${family}|${b.period}`;
    const units = byKey.get(key);
    if (units === undefined) continue;
    intervals.set(key, demandInterval(units, b.value, b.lo80, b.hi80));
  }
  const t2 = performance.now();
  const { company } = loaded;
  const check = roughCutCapacity({
    resources: company.resources,
    loads: company.loads,
    capacities: company.capacities,
    updates,
    demand,
    periods,
    families: company.families,
  });
  const frozen = await frozenFromAdoptedPlan(
    db,
    cycle.month,
    periods.slice(0, settings.frozen_months),
  );
  const t3 = performance.now();
  return {
    cycle,
    settings,
    loaded,
    periods,
    consensus,
    demand,
    updates,
    frozen,
    check,
    intervals,
    pastErrors,
    scenarios: scenarios.length > 0 ? scenarios : DEFAULT_SCENARIOS,
    openingStockMonth: periods[0] ? openingStockMonth(company.inventory, periods[0]) : null,
    production: made
      ? productionByMonth(made.monthly, made.weekly, made.families)
      : { rows: [], families: [] },
    ms: { load: t1 - t0, consensus: t2 - t1, capacityCheck: t3 - t2 },
  };
}

/**
 * The baseline's 80% interval (its P10 and P90) moved onto the consensus: the same relative
 * spread around the consensus as around the baseline; an interval around a zero baseline
 * keeps its width in units.
 */
export function demandInterval(
  units: number,
  baseline: number,
  lo80: number,
  hi80: number,
): { p10: number; p90: number } {
  if (baseline > 0)
    return {
      p10: Math.min(units, Math.max(0, (units * lo80) / baseline)),
      p90: Math.max(units, (units * hi80) / baseline),
    };
  return { p10: Math.max(0, units - (baseline - lo80)), p90: units + (hi80 - baseline) };
}

export interface SolvedScenario {
  readonly result: ScenarioResult;
  /** The problem as the scenario saw it (its demand, capacities and prices). */
  readonly problem: PlanProblem;
  readonly kpis: Record<string, number | null>;
}

/**
 * The consensus plan problem (central), with the capacity updates in force. Demand must be
 * served by the end of the horizon or given up as a lost sale costing its price: without
 * that, an open-ended backlog lets the LP push the last months' demand past the horizon
 * for a few months of backlog cost, and the plan stops producing at its end.
 */
function centralProblem(inputs: PlanInputs): PlanProblem {
  const p = buildPlanProblem(inputs.loaded.company, inputs.demand, {
    periods: inputs.periods,
    name: `S&OP ${inputs.cycle.month}`,
    updates: inputs.updates,
    frozen: inputs.frozen,
    options: { lostSales: true },
  });
  return {
    ...p,
    demand: p.demand.map((d) => {
      const i = inputs.intervals.get(`${d.family}|${d.period}`);
      return i ? { ...d, p10: Math.min(d.units, i.p10), p90: Math.max(d.units, i.p90) } : d;
    }),
    families: p.families.map((f) => ({
      ...f,
      endingBacklogMax: f.endingBacklogMax ?? 0,
      lostSalesCost: f.lostSalesCost ?? f.price + f.backlogCost,
    })),
  };
}

/**
 * Solves scenarios over the central problem with core's runScenarios and, with `stress`,
 * plays each against the same demand samples (the workspace's sampling and payment terms;
 * the frozen and slushy months held to the plan).
 */
export async function solveScenarios(
  inputs: PlanInputs,
  scenarios: readonly ScenarioAssumptions[],
  solver: LpSolver,
  opts: { readonly stress?: boolean; readonly timings?: { stressMs: number } } = {},
): Promise<SolvedScenario[]> {
  const base = centralProblem(inputs);
  const cash = cashTerms(inputs.settings);
  const budget = inputs.loaded.company.budget;
  const solvedOnly = await runScenarios(base, scenarios, solver, {
    budget,
    cash,
    opening: openingOf(inputs),
    bills: openingBillsOf(inputs),
  });
  const t0 = performance.now();
  let results = solvedOnly;
  if (opts.stress) {
    const ctx = workspaceStressContext(inputs, base, solvedOnly[0]?.plan ?? null);
    results = solvedOnly.map((r) =>
      r.plan
        ? {
            ...r,
            stress: stressOne(
              ctx,
              applyScenario(base, r.assumptions),
              r.plan,
              r.assumptions,
              r.investment,
            ),
          }
        : r,
    );
  }
  if (opts.timings) opts.timings.stressMs = performance.now() - t0;
  return results.map((result) => {
    const problem = applyScenario(base, result.assumptions);
    return { result, problem, kpis: kpisOf(result) };
  });
}

/**
 * The invoices open when the plan's first month begins (src/core/finance.ts): the sales of the
 * months before it that are still being collected on the workspace's DSO, from the sales
 * history: none with payment on delivery (DSO 0), a known zero. Null when the history does
 * not reach those months: their sales are not known, so they are left out, not taken as zero.
 */
export function openingOf(inputs: PlanInputs): OpeningReceivables | null {
  const first = inputs.periods[0];
  if (!first) return null;
  const dso = inputs.settings.dso_days;
  const months = openingSalesMonths(first, dso);
  if (months.length === 0) return openingReceivables([], inputs.periods.length, dso);
  // Collecting what customers owed while paying none of the bills open then would overstate
  // the cash: with the bills not known (nor to be estimated), the invoices are left out too.
  if (openingBillsOf(inputs) === null) return null;
  const c = inputs.loaded.company;
  const revenue = salesRevenue(c.history, c.families, c.familyCosts ?? [], months);
  const known = revenue.filter((r): r is number => r !== null);
  if (known.length < months.length) return null;
  return openingReceivables(known, inputs.periods.length, dso);
}

/**
 * The bills open when the plan's first month begins (src/core/finance.ts): the production of
 * the months before it that is still being paid on the workspace's DPO, from the production
 * actuals at each family's unit cost that month: none with payment on delivery (DPO 0), a
 * known zero. When one of those months lacks the row of a family still producing (billRange;
 * monthly, or its weeks holding the month whole), or no production actuals reach them, they
 * are estimated as the sales of those months at unit cost (salesCost, `estimated`), as the
 * invoices open then are counted from the same sales. Null when the sales history does not
 * reach those months either: not known, so left out, not taken as zero.
 */
export function openingBillsOf(inputs: PlanInputs): OpeningPayables | null {
  const first = inputs.periods[0];
  if (!first) return null;
  const dpo = inputs.settings.dpo_days;
  const months = openingSalesMonths(first, dpo);
  if (months.length === 0) return openingPayables([], inputs.periods.length, dpo);
  const c = inputs.loaded.company;
  const { rows, families } = inputs.production;
  const known = (xs: readonly (number | null)[]): number[] | null =>
    xs.every((x) => x !== null) ? (xs as number[]) : null;
  const made = known(productionCost(rows, c.families, c.familyCosts ?? [], months, families));
  if (made) return openingPayables(made, inputs.periods.length, dpo);
  const sold = known(salesCost(c.history, c.families, c.familyCosts ?? [], months));
  return sold ? openingPayables(sold, inputs.periods.length, dpo, true) : null;
}

/**
 * Why the production actuals do not give the bills open when the plan begins (openingBillsOf
 * null or estimated): the first of their months that a family still producing has no row
 * for, and that family (productionGap); null when they give them, or no family is producing.
 */
export function openingBillsGapOf(inputs: PlanInputs): BillGap | null {
  const first = inputs.periods[0];
  const bills = openingBillsOf(inputs);
  if (!first || (bills !== null && bills.estimated !== true)) return null;
  const months = openingSalesMonths(first, inputs.settings.dpo_days);
  return productionGap(inputs.production.rows, months, inputs.production.families);
}

/** The workspace's payment terms, and 3 months of forward demand before stock is excess. */
const cashTerms = (s: SettingsRow): CashSettings => ({
  dsoDays: s.dso_days,
  dpoDays: s.dpo_days,
  coverMonths: 3,
});

/**
 * The demand samples and terms a run's plans are played against: the workspace's sampling,
 * seed and payment terms, the frozen and slushy months held to the plan, and the spread
 * widened by past consensus errors. `central` (the first plan) prices the budget's cash.
 */
function workspaceStressContext(
  inputs: PlanInputs,
  base: PlanProblem,
  central: SolvedPlan | null,
): StressContext {
  const s = inputs.settings;
  return stressContext(
    base,
    {
      budget: inputs.loaded.company.budget,
      cash: cashTerms(s),
      opening: openingOf(inputs),
      bills: openingBillsOf(inputs),
      billsGap: openingBillsGapOf(inputs),
      stress: {
        samples: s.stress_samples,
        seed: s.stress_seed,
        fixedMonths: s.frozen_months + s.slushy_months,
        widen: wideningFromErrors(demandDistribution(base), inputs.pastErrors),
      },
    },
    central,
  );
}

function kpisOf(r: ScenarioResult): Record<string, number | null> {
  if (!r.plan || !r.finance) return {};
  const fin = r.finance;
  return {
    fillRate: r.plan.kpis.fillRate,
    endingInventory: r.plan.kpis.endingInventory,
    averageInventory: r.plan.kpis.averageInventory,
    averageUtilisation: r.plan.kpis.averageUtilisation,
    peakUtilisation: r.plan.kpis.peakUtilisation,
    tenseResourceMonths: r.plan.kpis.tenseResourceMonths,
    overloads: r.plan.resources.filter((x) => x.overtime > 1e-6).length,
    totalCost: r.plan.totalCost,
    revenue: fin.revenue,
    makingCost: fin.makingCost,
    grossMargin: fin.grossMargin,
    grossMarginPct: fin.grossMarginPct,
    endingInventoryValue: fin.endingInventoryValue,
    daysOfSupply: fin.daysOfSupply,
    workingCapitalDelta: fin.workingCapitalDelta,
    ...stressKpis(r.stress),
  };
}

/**
 * The budget's cash at its last month in the horizon, and this plan's against it there, at
 * P10: a budget that ends before the horizon is compared where it ends.
 */
function budgetCashKpis(x: StressSummary): Record<string, number | null> {
  const n = x.budget?.cumulativeCash.length ?? 0;
  const budgetEnd = x.budget?.cumulativeCash[n - 1];
  const p10 = x.cumulativeCashP10[n - 1];
  if (budgetEnd === undefined || p10 === undefined) return { budgetCashFlow: null };
  return { budgetCashFlow: budgetEnd, budgetCashMonths: n, cashP10VsBudget: p10 - budgetEnd };
}

/** The stress test's figures as KPIs (metric names as in the grid), empty without one. */
export function stressKpis(x: StressSummary | null): Record<string, number | null> {
  if (!x) return {};
  return {
    expectedFillRate: x.fillRate.expected,
    serviceAtRisk: x.fillRate.p10,
    fillRateP90: x.fillRate.p90,
    expectedMargin: x.margin.expected,
    marginP10: x.margin.p10,
    marginP90: x.margin.p90,
    expectedEndingInventoryValue: x.endingInventoryValue.expected,
    excessInventoryValue: x.excessInventoryValue.expected,
    excessInventoryValueP90: x.excessInventoryValue.p90,
    // Of which written off past its shelf life (expected): the trade-off names it.
    writtenOffValue: x.writtenOffValue.expected,
    // Which way demand runs in the bad case of the stock, the cash and the fill rate (−1 low,
    // 1 high, 0 neither clearly): the trade-off sentence says it. Absent from older runs.
    ...(x.demandTails
      ? {
          excessStockDemandTail: x.demandTails.excessStock,
          cashDemandTail: x.demandTails.cash,
          fillRateDemandTail: x.demandTails.fillRate,
        }
      : {}),
    cashFlow: x.cashFlow.expected,
    cashFlowP10: x.cashFlow.p10,
    cashFlowP90: x.cashFlow.p90,
    ...budgetCashKpis(x),
    workingCapital: x.peakWorkingCapital.expected,
    // Its bad case is the high side (more cash tied up): the P90, as the stock's.
    workingCapitalP90: x.peakWorkingCapital.p90,
    // Against the budget over the months it covers (the plan's peak there, and the gap).
    ...(x.peakWorkingCapitalInBudget === undefined
      ? {}
      : { workingCapitalInBudget: x.peakWorkingCapitalInBudget }),
    // Its bad case there, set against the budget's peak as the expected peak is.
    ...(x.peakWorkingCapitalInBudgetP90 === undefined
      ? {}
      : { workingCapitalInBudgetP90: x.peakWorkingCapitalInBudgetP90 }),
    // What customers owed when the horizon began, whose collections the cash counts.
    ...(x.openingReceivables === undefined ? {} : { openingReceivables: x.openingReceivables }),
    // What the company owed for production when it began, whose payments the cash counts.
    ...(x.openingPayables === undefined ? {} : { openingPayables: x.openingPayables }),
    workingCapitalVsBudget: workingCapitalVsBudget(x),
    cashCost: x.cashCost.expected,
    penaltyCost: x.penaltyCost.expected,
  };
}

function toNewScenario(s: SolvedScenario, loaded: LoadedCompany): NewScenario {
  const r = s.result;
  if (!r.plan) {
    return {
      name: r.name,
      label: r.label,
      assumptions: r.assumptions,
      status: r.status,
      message: r.message,
      totalCost: null,
      costBreakdown: {},
      kpis: {},
      families: [],
      resources: [],
    };
  }
  const plan = r.plan;
  const revenue = revenueByRow(s.problem, plan);
  return {
    name: r.name,
    label: r.label,
    assumptions: r.assumptions,
    status: 'optimal',
    message: null,
    totalCost: plan.totalCost,
    costBreakdown: { ...plan.costs },
    kpis: s.kpis,
    stress: r.stress,
    families: plan.families.map((f, i) => ({
      familyId: loaded.familyIds.get(f.family) ?? 0,
      period: f.period,
      demand: f.demand,
      production: f.production,
      subcontract: f.subcontract,
      inventory: f.inventory,
      backlog: f.backlog,
      lostSales: f.lostSales,
      revenue: revenue[i] ?? 0,
      scrapped: f.scrapped ?? 0,
    })),
    resources: plan.resources.map((x) => ({
      resourceId: loaded.resourceIds.get(x.resource) ?? 0,
      period: x.period,
      load: x.load,
      capacity: x.capacity,
      overtime: x.overtime,
      utilisation: x.utilisation ?? 0,
      workers: x.workers,
      hires: x.workers === null ? null : x.hires,
      layoffs: x.workers === null ? null : x.layoffs,
    })),
  };
}

export interface PlanRunRequest {
  readonly cycleId: number;
  readonly runKey: string;
  readonly trigger: string;
  readonly requestedBy: string | null;
}

export interface PlanStageMs {
  readonly load: number;
  readonly consensus: number;
  readonly capacityCheck: number;
  readonly scenarios: number;
  /** Of which the stress test (every scenario against the demand samples). */
  readonly stress: number;
  readonly write: number;
  readonly total: number;
}

export interface PlanRunOutcome {
  readonly runId: string;
  /**
   * False when nothing was written: a run with this key already existed (a retried job), or
   * the cycle's latest run has the same inputs (`reused`).
   */
  readonly created: boolean;
  /** True when the latest run of the cycle had exactly these inputs and answers this request. */
  readonly reused?: boolean;
  readonly ms: PlanStageMs | null;
  /**
   * Set when the plan opens on a count older than last month's: "opening stock from 2027-01's
   * count: import 2027-02's inventory".
   */
  readonly staleStock?: string;
  /**
   * The errors the solver met while pricing a scenario's "one more" steps (an abort inside
   * HiGHS): its plan was kept, those prices are the duals' rates. The caller logs each once.
   */
  readonly pricingErrors?: readonly { readonly scenario: string; readonly error: Error }[];
}

/** The pricing errors of solved scenarios, as errors with the stack the solver saw. */
function pricingErrorsOf(solved: readonly SolvedScenario[]): Pick<PlanRunOutcome, 'pricingErrors'> {
  const errors = solved.flatMap(({ result }) => {
    const failure = result.plan?.duals?.pricingError;
    if (!failure) return [];
    const error = new Error(failure.message);
    // The stack where the solver threw (in a pool thread), not this one.
    if (failure.stack) error.stack = failure.stack;
    return [{ scenario: result.name, error }];
  });
  return errors.length > 0 ? { pricingErrors: errors } : {};
}

const staleOf = (run: Parameters<typeof runStaleStock>[0] | undefined) => {
  const note = run ? runStaleStock(run) : null;
  return note ? { staleStock: note } : {};
};

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/**
 * Everything a run is computed from, so equal hashes mean equal runs: the central problem
 * (demand after consensus with its P10/P90, capacities with the updates in force, the frozen
 * plan, prices), the consensus lines with their steps (stored with the run), the rough-cut
 * gaps and the opening-stock month (stored too), the cycle's scenarios (`/sop scenario`),
 * the budget and payment terms (finance), the invoices open when the plan begins (the sales
 * history's months before it, `openingOf`), the bills open then when the production actuals
 * give them (`openingBillsOf`), and what the stress test draws from: its samples,
 * seed, fixed months (frozen + slushy) and the past errors that widen the demand spread.
 * Leave one out and `/sop plan` after changing it returns the previous run. Each scenario
 * counts as it plans (scenarioInEffect): the same plan however it is written (the defaults in
 * code or as a cycle's stored list, whose keys jsonb orders its own way; a lever said at the
 * value that changes nothing, `hiringFreeze: false`) is the same input, not another solve.
 */
export function planInputHash(inputs: PlanInputs): string {
  return inputDigest(inputs, inputs.scenarios.map(scenarioInEffect), 'bills');
}

/**
 * The hash runs stored before planInputHash read scenarios in effect: the scenarios as read,
 * and neither the invoices nor the bills open when the plan begins. Kept so a run stored then
 * is still the run of its inputs (`sameInputs`), with no migration, while it lacks nothing
 * known now: a stored hash cannot be recomputed from the run (its inputs were the tables of
 * that day), and an upgrade must not solve an unchanged plan again, a new run replacing the
 * one a vote is on.
 */
export function legacyPlanInputHash(inputs: PlanInputs): string {
  return inputDigest(inputs, inputs.scenarios, 'neither');
}

/**
 * The hash runs stored before the invoices open when the plan begins were counted: without
 * them, and without the bills. Such a run's cash leaves them out (its KPIs have no
 * `openingReceivables` nor `openingPayables`), so it stays the run of its inputs only while
 * neither is known, or known to be none (`sameInputs`).
 */
export function beforeOpeningHash(inputs: PlanInputs): string {
  return inputDigest(inputs, inputs.scenarios.map(scenarioInEffect), 'neither');
}

/**
 * The hash runs stored before the bills open when the plan begins were counted: with the
 * invoices, without the bills. Such a run's cash leaves the bills out (its KPIs have no
 * `openingPayables`), so it stays the run of its inputs only while the bills are not known,
 * or known to be none (`sameInputs`): once production actuals reach the months the DPO pays for, the next
 * recompute or `/sop plan` makes another run, which pays them. A run stored since holds the
 * bills in its hash, known or not (null).
 */
export function beforeBillsHash(inputs: PlanInputs): string {
  return inputDigest(inputs, inputs.scenarios.map(scenarioInEffect), 'invoices');
}

/**
 * Whether a run's stored `input_hash` is the hash of `inputs`, as written now or before. A
 * hash written before counts only while what it did not count is not known now: a run whose
 * cash leaves out bills (or invoices) that the inputs now give is not the run of these inputs.
 * A known nothing (payment on delivery, or nothing sold or made then: a total of 0) counts as
 * nothing it did not count, its cash the same: a hash written when it was null (the versions
 * before a DSO or DPO of 0 was a known zero, or before it was counted at all) still counts,
 * so an upgrade does not solve an unchanged plan again.
 */
function sameInputs(stored: string, inputs: PlanInputs, hash: string): boolean {
  if (stored === hash) return true;
  const opening = openingOf(inputs);
  const bills = openingBillsOf(inputs);
  const none = (x: { readonly total: number } | null) => x === null || x.total === 0;
  // Each way a version before wrote what was open: as known now, or a known nothing as null.
  const ways = <T extends { readonly total: number }>(x: T | null): (T | null)[] =>
    x !== null && x.total === 0 ? [x, null] : [x];
  const scenarios = inputs.scenarios.map(scenarioInEffect);
  for (const o of ways(opening))
    for (const b of ways(bills))
      if (stored === inputDigest(inputs, scenarios, 'bills', { opening: o, bills: b })) return true;
  if (!none(bills)) return false;
  for (const o of ways(opening))
    if (stored === inputDigest(inputs, scenarios, 'invoices', { opening: o, bills: null }))
      return true;
  if (!none(opening)) return false;
  return stored === beforeOpeningHash(inputs) || stored === legacyPlanInputHash(inputs);
}

/**
 * The hash of `inputs` with `open` in place of the invoices and bills open when the plan
 * begins: a version before wrote a known nothing (payment on delivery) as null (`sameInputs`).
 */
export function planInputHashWith(
  inputs: PlanInputs,
  open: { readonly opening: OpeningReceivables | null; readonly bills: OpeningPayables | null },
): string {
  return inputDigest(inputs, inputs.scenarios.map(scenarioInEffect), 'bills', open);
}

function inputDigest(
  inputs: PlanInputs,
  scenarios: readonly unknown[],
  /** What was open when the plan began that the hash holds: as runs are hashed now, or before. */
  opening: 'bills' | 'invoices' | 'neither',
  /** The invoices and bills open then, as that hash wrote them. */
  open: { readonly opening: OpeningReceivables | null; readonly bills: OpeningPayables | null } = {
    opening: openingOf(inputs),
    bills: openingBillsOf(inputs),
  },
): string {
  const s = inputs.settings;
  return createHash('sha256')
    .update(
      JSON.stringify({
        problem: centralProblem(inputs),
        consensus: inputs.consensus.map((c) => ({
          family: c.family,
          period: c.period,
          baseline: c.baseline,
          consensus: c.consensus,
          steps: c.steps,
        })),
        gaps: inputs.check.gaps,
        openingStockMonth: inputs.openingStockMonth,
        scenarios,
        budget: inputs.loaded.company.budget ?? null,
        cash: { dsoDays: s.dso_days, dpoDays: s.dpo_days },
        stress: {
          samples: s.stress_samples,
          seed: s.stress_seed,
          fixedMonths: s.frozen_months + s.slushy_months,
        },
        pastErrors: [...inputs.pastErrors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        ...(opening === 'neither' ? {} : { opening: open.opening }),
        ...(opening === 'bills' ? { bills: open.bills } : {}),
      }),
    )
    .digest('hex');
}

/** The run as it is written: its inputs, what changed in consensus, the gaps and the scenarios. */
export function planRunRecord(
  req: PlanRunRequest,
  inputs: PlanInputs,
  solved: readonly SolvedScenario[],
  totalMs: number,
): NewPlanRun {
  const central = solved[0];
  if (!central) throw new Error('planRunRecord: no scenario was solved');
  const solverMs = solved.reduce((a, s) => a + s.result.solverSeconds * 1000, 0);
  const inputHash = planInputHash(inputs);
  return {
    cycleId: req.cycleId,
    runKey: req.runKey,
    trigger: req.trigger,
    requestedBy: req.requestedBy,
    periods: inputs.periods,
    inputHash,
    problem: central.problem,
    consensus: inputs.consensus
      .filter((c) => c.steps.length > 1)
      .map((c) => ({
        family: c.family,
        period: c.period,
        baseline: c.baseline,
        consensus: c.consensus,
        steps: c.steps,
      })),
    capacityCheck: roughCutOf(inputs.check.gaps),
    solverMs: Math.round(solverMs),
    totalMs: Math.round(totalMs),
    openingStockMonth: inputs.openingStockMonth,
    scenarios: solved.map((s) => toNewScenario(s, inputs.loaded)),
  };
}

/** The rough-cut check as stored with a run: the 200 largest overloads and the counts of all. */
function roughCutOf(gaps: readonly CapacityGap[]): {
  gaps: CapacityGap[];
  total: number;
  beyondOvertime: number;
} {
  const over = gaps.filter((g) => g.kind === 'overload');
  return {
    gaps: over.slice(0, 200),
    total: over.length,
    beyondOvertime: over.filter((g) => !g.coveredByOvertime).length,
  };
}

/**
 * Refuses (`phase_closed`) a plan run for a closed cycle: a recompute delivered after the
 * close (queued behind another, or waiting in the outbox) must not add a run to the cycle
 * whose pack and vote are final. In a transaction, the cycle's row stays share-locked until
 * it ends, so the cycle cannot close before the run is written.
 */
async function refuseClosedCycle(db: Db, cycleId: number): Promise<void> {
  const cycle = await lockCyclePhase(db, cycleId);
  if (cycle?.phase === 'closed') {
    throw new SopError(
      'phase_closed',
      `Cycle ${cycle.month} is closed; no plan run is written into it.`,
    );
  }
}

/**
 * Consensus, rough-cut check and the three scenarios, written as one immutable run. The plans
 * of one cycle are prepared and solved one at a time (a session lock per cycle): a request
 * that comes while another is solving (a phase change and a submission's recompute seconds
 * apart) waits, then gets the run just written when its inputs are the same, instead of
 * solving them again side by side. A closed cycle gets no new run: `phase_closed`, checked
 * under the lock before solving and again where the run is written. `now` dates the run (the
 * worker's clock; the demo's story time), the database's now() when left out.
 */
export async function runPlan(
  db: Db,
  solver: LpSolver,
  req: PlanRunRequest,
  now?: () => Date,
): Promise<PlanRunOutcome> {
  const existing = await runByKey(db, req.runKey);
  if (existing) return { runId: existing.id, created: false, ms: null, ...staleOf(existing) };
  return withSessionLock(db, `plan-solve:${req.cycleId}`, () => solvePlan(db, solver, req, now));
}

async function solvePlan(
  db: Db,
  solver: LpSolver,
  req: PlanRunRequest,
  now: (() => Date) | undefined,
): Promise<PlanRunOutcome> {
  const existing = await runByKey(db, req.runKey);
  if (existing) return { runId: existing.id, created: false, ms: null, ...staleOf(existing) };
  await refuseClosedCycle(db, req.cycleId);
  const t0 = performance.now();
  // When the inputs are read, by the clock that dates the run and the changes: a change entered
  // after it, while this run solves, is the next run's (`changesSincePrevious`).
  const inputsReadAt = now ? now() : await dbNow(db);
  const inputs = await preparePlan(db, req.cycleId);
  // Exactly one run per input: a request whose inputs are those of the cycle's latest run
  // gets that run (a phase change, `/sop plan` and a capacity update seconds apart).
  const hash = planInputHash(inputs);
  const stale = inputs.periods[0]
    ? staleOpeningStock(inputs.openingStockMonth, inputs.periods[0])
    : null;
  const warn = stale ? { staleStock: stale } : {};
  const same = await latestRunInputs(db, req.cycleId);
  if (same && sameInputs(same.input_hash, inputs, hash))
    return { runId: same.id, created: false, reused: true, ms: null, ...warn };
  const t1 = performance.now();
  const timings = { stressMs: 0 };
  const solved = await solveScenarios(inputs, inputs.scenarios, solver, { stress: true, timings });
  const pricing = pricingErrorsOf(solved);
  const t2 = performance.now();
  const record = planRunRecord(req, inputs, solved, t2 - t0);
  let runId: string;
  let reused: string | null = null;
  try {
    runId = await db.transaction().execute(async (trx) => {
      // Runs of one cycle are written one at a time, so two requests with the same new
      // inputs solved side by side write one run: the second finds the first here.
      await lockKey(trx, `plan-run:${req.cycleId}`);
      // The cycle may have closed while the scenarios were solved.
      await refuseClosedCycle(trx, req.cycleId);
      const latest = await latestRunInputs(trx, req.cycleId);
      if (latest && sameInputs(latest.input_hash, inputs, hash)) {
        reused = latest.id;
        return latest.id;
      }
      const id = await insertPlanRun(trx, {
        ...record,
        inputsReadAt,
        ...(now ? { createdAt: now() } : {}),
      });
      await storeRunDuals(trx, id, solved, inputs.loaded);
      await audit(trx, {
        actor: req.requestedBy ?? 'sopbot',
        action: 'plan.run',
        entity: 'plan_run',
        entityId: id,
        details: { cycleId: req.cycleId, trigger: req.trigger, runKey: req.runKey },
      });
      return id;
    });
  } catch (err) {
    // Two workers raced on one key: the unique run_key refused the second run.
    const winner = isUniqueViolation(err) ? await runByKey(db, req.runKey) : undefined;
    if (!winner) throw err;
    return { runId: winner.id, created: false, ms: null, ...staleOf(winner), ...pricing };
  }
  if (reused !== null)
    return { runId: reused, created: false, reused: true, ms: null, ...warn, ...pricing };
  const t3 = performance.now();
  return {
    runId,
    created: true,
    ms: {
      load: inputs.ms.load,
      consensus: inputs.ms.consensus,
      capacityCheck: inputs.ms.capacityCheck,
      scenarios: t2 - t1,
      stress: timings.stressMs,
      write: t3 - t2,
      total: t3 - t0,
    },
    ...warn,
    ...pricing,
  };
}

export interface WhatIfOutcome {
  readonly central: SolvedScenario;
  readonly whatIf: SolvedScenario;
  /**
   * For a what-if that changes demand: both plans (Central's as made, and the one made for
   * the change) played against the same samples with the change in every one. Null for a
   * what-if without a demand change, or when either has no plan.
   */
  readonly ifItHappens: {
    readonly central: StressSummary;
    readonly whatIf: StressSummary;
  } | null;
}

/**
 * Central and central + the what-ifs, solved side by side and each played against the same
 * demand samples (the forecast's, as in a plan run; nothing is written). A what-if that
 * changes demand also plays both plans against those samples with the change in them: the
 * forecast's samples say what planning for the change costs if it does not come, the
 * changed ones what each plan does if it comes. Codes typed in any case name the company's
 * families and resources.
 */
export async function runWhatIf(
  db: Db,
  solver: LpSolver,
  cycleId: number,
  whatIfs: readonly WhatIf[],
  label: string,
): Promise<WhatIfOutcome> {
  const inputs = await preparePlan(db, cycleId);
  const central = inputs.scenarios[0] ?? DEFAULT_SCENARIOS[0]!;
  const typed = whatIfsInCompanyCodes(whatIfs, await knownCodes(db));
  const changed = applyWhatIfs(central, typed, 'whatif', label);
  const [c, w] = await solveScenarios(inputs, [central, changed], solver, { stress: true });
  if (!c || !w) throw new Error('runWhatIf: the scenarios were not solved');
  // The world changes by the typed demand changes only: a central scenario's own demand
  // changes are how it plans, not what happens.
  const world = applyWhatIfs({ name: 'world', label: 'world' }, typed).demandChanges ?? [];
  return { central: c, whatIf: w, ifItHappens: ifItHappens(inputs, c, w, world) };
}

/** Both plans against the samples with the what-if's demand changes in them (see above). */
function ifItHappens(
  inputs: PlanInputs,
  c: SolvedScenario,
  w: SolvedScenario,
  changes: NonNullable<ScenarioAssumptions['demandChanges']>,
): WhatIfOutcome['ifItHappens'] {
  const cPlan = c.result.plan;
  const wPlan = w.result.plan;
  if (changes.length === 0 || !cPlan || !wPlan) return null;
  // The same samples, seed and fixed months as the forecast's, each scaled by the change.
  const ctx = workspaceStressContext(inputs, centralProblem(inputs), cPlan);
  const happens = { ...ctx, samples: demandSamplesIfItHappens(ctx.samples, changes) };
  const play = (x: SolvedScenario, plan: SolvedPlan): StressSummary =>
    stressOne(happens, x.problem, plan, x.result.assumptions, x.result.investment);
  return { central: play(c, cPlan), whatIf: play(w, wPlan) };
}
