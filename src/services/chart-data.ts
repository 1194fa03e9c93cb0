/**
 * From a stored plan run to the plain inputs of the chart builders (src/charts/types.ts).
 * The mapping functions are pure (tested on their own); `loadRunCharts` reads the rows.
 */
import type { Db } from '../../db/connect.js';
import {
  allSales,
  baselineValuesBetween,
  closedCyclesBefore,
  cycleMonthOf,
  familyBaseline,
} from '../../db/queries/chart-data.js';
import { familyIds } from '../../db/queries/codes.js';
import { cycleAdjustments } from '../../db/queries/cycle-inputs.js';
import { salesHistoryEnd, salesOf } from '../../db/queries/explain.js';
import { type ResourceResult, resourceResults } from '../../db/queries/plan-results.js';
import { getRun, runScenarios } from '../../db/queries/plan-runs.js';
import type { PlanRunRow, PlanScenarioRow } from '../../db/schema.js';
import type {
  AccuracyPoint,
  BaselinePoint,
  CashSeries,
  FamilySeries,
  GapPoint,
  RoughCut,
  RoughCutGap,
  ScenarioKpis,
} from '../charts/types.js';
import { computeConsensus, peopleSteps, stepBrief } from '../core/consensus.js';
import type { BillGap, OpeningAmounts } from '../core/finance.js';
import { withZeroMonths } from '../core/history-gaps.js';
import { bias, wmape } from '../core/kpi.js';
import { addMonths, type Period, periodIndex } from '../core/period.js';
import type { StressSummary } from '../core/stress/index.js';
import { crewOvertimeLimit } from '../core/supply/overtime.js';
import { compareCodes } from '../core/text.js';

/** What a plan run stores of consensus: only the lines someone adjusted. */
export interface StoredConsensusLine {
  readonly family: string;
  readonly period: Period;
  readonly baseline: number;
  readonly consensus: number;
  readonly steps: readonly {
    adjustmentId: string;
    author: string;
    reasonCode: string;
    before: number;
    after: number;
  }[];
}

interface ProblemResources {
  readonly periods?: readonly string[];
  readonly demand?: readonly { family: string; period: string; units: number }[];
  readonly loads?: readonly { family: string; resource: string; perUnit: number }[];
  readonly resources?: readonly {
    code: string;
    unit?: string;
    overtimeLimit: number;
    overtimeLimitByPeriod?: Readonly<Record<string, number>>;
    leadTime?: number;
    minOrderQuantity?: number;
    storage?: boolean;
    workforce?: {
      initialWorkers: number;
      overtimeHoursPerWorker: number | null;
      crewOvertimeLimit?: number;
      crewOvertimeLimitByPeriod?: Readonly<Record<string, number>>;
    } | null;
  }[];
}

/** A crew's overtime by the plan's rule (src/core/supply/overtime.ts); 0 when nothing caps it. */
function crewOvertime(
  wf: {
    initialWorkers: number;
    overtimeHoursPerWorker: number | null;
    crewOvertimeLimit?: number;
    crewOvertimeLimitByPeriod?: Readonly<Record<string, number>>;
  },
  period: string,
): number {
  const cap = crewOvertimeLimit(
    wf.initialWorkers,
    wf.overtimeHoursPerWorker,
    wf.crewOvertimeLimitByPeriod?.[period] ?? wf.crewOvertimeLimit,
  );
  return Number.isFinite(cap) ? cap : 0;
}

/**
 * Load against regular capacity per resource and month, with the overtime allowed on top,
 * and the rough-cut check's supplier and warehouse marks (src/core/supply/capacity-check.ts):
 * a month inside a supplier's lead time (its order is already placed), a month whose need
 * (Σ load per unit × demand) is above 0 but under the minimum order, a warehouse's months.
 */
export function gapPoints(
  problem: unknown,
  rows: readonly Pick<ResourceResult, 'code' | 'period' | 'load' | 'capacity'>[],
): GapPoint[] {
  const p = problem as ProblemResources | null;
  const resources = p?.resources ?? [];
  const byCode = new Map(resources.map((r) => [r.code, r]));
  const monthIndex = new Map((p?.periods ?? []).map((t, i) => [t, i]));
  const demand = new Map((p?.demand ?? []).map((d) => [`${d.family}|${d.period}`, d.units]));
  const need = (resource: string, period: string): number => {
    let total = 0;
    for (const l of p?.loads ?? [])
      if (l.resource === resource) total += l.perUnit * (demand.get(`${l.family}|${period}`) ?? 0);
    return total;
  };
  return rows.map((r) => {
    const res = byCode.get(r.code);
    const limit = res
      ? res.workforce
        ? crewOvertime(res.workforce, r.period)
        : (res.overtimeLimitByPeriod?.[r.period] ?? res.overtimeLimit)
      : 0;
    const i = monthIndex.get(r.period);
    const moq = res?.minOrderQuantity ?? 0;
    const needed = moq > 0 ? need(r.code, r.period) : 0;
    return {
      resource: r.code,
      period: r.period,
      load: r.load,
      capacity: r.capacity,
      ...(res?.unit ? { unit: res.unit } : {}),
      overtimeLimit: Math.max(0, limit),
      ...(i !== undefined && i < (res?.leadTime ?? 0) ? { fixedOrder: true } : {}),
      ...(needed > 0 && needed < moq ? { belowMinimumOrder: true } : {}),
      ...(res?.storage ? { storage: true } : {}),
    };
  });
}

/**
 * The rough-cut check stored with a run, each gap with its resource's unit from the run's
 * `problem`. Runs stored before the counts were kept hold only the (up to 200) largest
 * overloads; their count stands for the total then.
 */
export function storedRoughCut(stored: unknown, problem: unknown = null): RoughCut | null {
  const x = stored as { gaps?: unknown; total?: unknown; beyondOvertime?: unknown } | null;
  if (!x || !Array.isArray(x.gaps)) return null;
  const units = new Map(
    ((problem as ProblemResources | null)?.resources ?? []).map((r) => [r.code, r.unit]),
  );
  const gaps = (x.gaps as Partial<RoughCutGap>[]).flatMap((g) =>
    typeof g.resource === 'string' &&
    typeof g.period === 'string' &&
    typeof g.units === 'number' &&
    typeof g.coveredByOvertime === 'boolean'
      ? [
          {
            resource: g.resource,
            period: g.period,
            units: g.units,
            ...(units.get(g.resource) ? { unit: units.get(g.resource) } : {}),
            // JSON keeps no Infinity: a load on no capacity is stored as null.
            relative: typeof g.relative === 'number' ? g.relative : Number.POSITIVE_INFINITY,
            coveredByOvertime: g.coveredByOvertime,
          },
        ]
      : [],
  );
  return {
    gaps,
    total: typeof x.total === 'number' ? x.total : gaps.length,
    beyondOvertime:
      typeof x.beyondOvertime === 'number'
        ? x.beyondOvertime
        : gaps.filter((g) => !g.coveredByOvertime).length,
  };
}

const num = (v: number | null | undefined): number => (typeof v === 'number' ? v : 0);

/** The stored stress summary of a scenario (src/core/stress), or null. */
function storedStress(row: { stress?: unknown }): StressSummary | null {
  const x = row.stress as StressSummary | null | undefined;
  return x && typeof x === 'object' && 'fillRate' in x ? x : null;
}

/** Headline figures of the solved scenarios, in run order. */
export function scenarioKpis(
  rows: readonly (Pick<PlanScenarioRow, 'name' | 'label' | 'status' | 'kpis'> & {
    stress?: unknown;
  })[],
): ScenarioKpis[] {
  return rows
    .filter((s) => s.status === 'optimal')
    .map((s) => {
      const k = s.kpis;
      const x = storedStress(s);
      return {
        ...(x
          ? {
              stress: {
                fillRate: x.fillRate,
                margin: x.margin,
                cashFlow: x.cashFlow,
                excessInventoryValue: x.excessInventoryValue,
              },
            }
          : {}),
        scenario: s.name,
        label: s.label,
        fillRate: num(k.fillRate),
        endingInventoryValue: num(k.endingInventoryValue),
        daysOfSupply: num(k.daysOfSupply),
        grossMargin: num(k.grossMargin),
        revenue: num(k.revenue),
        peakUtilisation: num(k.peakUtilisation),
        monthsOver90: num(k.tenseResourceMonths),
      };
    });
}

/** Cumulative cash by month of each scenario with a stress test, and the budget's. */
export function cashSeries(
  periods: readonly Period[],
  rows: readonly (Pick<PlanScenarioRow, 'name' | 'label' | 'status'> & { stress?: unknown })[],
): RunChartData['cash'] {
  const series: CashSeries[] = [];
  let budget: { period: Period; cumulative: number }[] | null = null;
  let receivables: number | null = null;
  let payables: number | null = null;
  let billsGap: BillGap | null = null;
  let billsEstimated = false;
  for (const r of rows) {
    const x = r.status === 'optimal' ? storedStress(r) : null;
    if (!x) continue;
    receivables ??= typeof x.openingReceivables === 'number' ? x.openingReceivables : null;
    payables ??= typeof x.openingPayables === 'number' ? x.openingPayables : null;
    billsGap ??= x.openingPayablesGap ?? null;
    billsEstimated ||= x.openingPayablesEstimated === true;
    series.push({
      scenario: r.name,
      label: r.label,
      points: periods.map((period, t) => ({
        period,
        cumulative: x.cumulativeCash[t] ?? 0,
        cumulativeP10: x.cumulativeCashP10[t] ?? 0,
      })),
    });
    // The budget's line stops where the budget does.
    if (!budget && x.budget)
      budget = x.budget.cumulativeCash.flatMap((cumulative, t) => {
        const period = periods[t];
        return period ? [{ period, cumulative }] : [];
      });
  }
  const opening = {
    receivables,
    payables,
    ...((payables === null || billsEstimated) && billsGap ? { billsGap } : {}),
    ...(payables !== null && billsEstimated ? { billsEstimated: true } : {}),
  };
  return series.length ? { series, budget, opening } : null;
}

/** The families whose consensus moved furthest from the baseline (in units), largest first. */
export function changedFamilies(lines: readonly StoredConsensusLine[], limit: number): string[] {
  const moved = new Map<string, number>();
  for (const l of lines) {
    const d = Math.abs(l.consensus - l.baseline);
    if (d > 0) moved.set(l.family, (moved.get(l.family) ?? 0) + d);
  }
  return [...moved.entries()]
    .sort((a, b) => b[1] - a[1] || compareCodes(a[0], b[0]))
    .slice(0, limit)
    .map(([f]) => f);
}

export interface FamilyInputs {
  readonly family: string;
  readonly history: readonly { period: Period; units: number }[];
  readonly baseline: readonly {
    period: Period;
    value: number;
    lo80: number | null;
    hi80: number | null;
    lo95: number | null;
    hi95: number | null;
  }[];
  readonly consensus: readonly StoredConsensusLine[];
  /** Months of history to show before the first plan month. */
  readonly historyMonths?: number;
}

export function familySeries(input: FamilyInputs): FamilySeries {
  const first = input.baseline[0]?.period;
  const keep = input.historyMonths ?? 24;
  const history = first
    ? input.history.filter(
        (h) =>
          periodIndex(h.period) < periodIndex(first) &&
          periodIndex(h.period) >= periodIndex(addMonths(first, -keep)),
      )
    : [...input.history].slice(-keep);
  const adjusted = new Map(
    input.consensus.filter((c) => c.family === input.family).map((c) => [c.period, c]),
  );
  const baseline: BaselinePoint[] = input.baseline.map((b) => ({
    period: b.period,
    value: b.value,
    lo80: b.lo80 ?? b.value,
    hi80: b.hi80 ?? b.value,
    lo95: b.lo95 ?? b.value,
    hi95: b.hi95 ?? b.value,
  }));
  return {
    family: input.family,
    history: history.map((h) => ({ period: h.period, units: h.units })),
    baseline,
    consensus: input.baseline.map((b) => ({
      period: b.period,
      value: adjusted.get(b.period)?.consensus ?? b.value,
    })),
    adjustments: [...adjusted.values()].flatMap((c) =>
      peopleSteps(c).map((s) => ({ period: c.period, ...stepBrief(s) })),
    ),
  };
}

/**
 * Forecast quality of one closed cycle's forecast of `period`, once it has actuals: accuracy
 * and bias of the consensus, and FVA = WMAPE(statistical) − WMAPE(consensus) (positive: people helped).
 */
export function accuracyPoint(
  cycle: Period,
  period: Period,
  lines: readonly { actual: number; statistical: number; consensus: number }[],
): AccuracyPoint | null {
  const actual = lines.map((l) => l.actual);
  const consensus = lines.map((l) => l.consensus);
  const eCons = wmape(actual, consensus);
  const eStat = wmape(
    actual,
    lines.map((l) => l.statistical),
  );
  const b = bias(actual, consensus);
  if (eCons === null || eStat === null || b === null) return null;
  return { cycle, period, accuracy: Math.max(0, 1 - eCons), bias: b, fva: eStat - eCons };
}

/**
 * The month of each closed cycle scored for accuracy: the one after the cycle's own (lag 1),
 * as the review and the pack score it. One fixed month per cycle, so a cycle's point does not
 * move as later actuals arrive, and a forecast made in the month it forecasts (lag 0) does
 * not flatter the trend.
 */
const ACCURACY_LAG = 1;

async function accuracyTrend(db: Db, before: Period): Promise<AccuracyPoint[]> {
  const cycles = await closedCyclesBefore(db, before);
  if (cycles.length === 0) return [];
  const codes = new Map([...(await familyIds(db))].map(([code, id]) => [id, code]));
  const sales = await allSales(db);
  const actual = new Map(sales.map((s) => [`${codes.get(s.family_id)}|${s.period}`, s.units]));
  const out: AccuracyPoint[] = [];
  for (const c of cycles) {
    const month = addMonths(c.month, ACCURACY_LAG);
    const base = await baselineValuesBetween(db, c.id, month, month);
    const baseline = base.flatMap((b) => {
      const family = codes.get(b.family_id);
      return family ? [{ family, period: b.period, value: b.value }] : [];
    });
    const adjustments = (await cycleAdjustments(db, c.id, codes)).filter((a) => a.period === month);
    const lines = computeConsensus(baseline, adjustments).flatMap((l) => {
      const a = actual.get(`${l.family}|${l.period}`);
      return a === undefined
        ? []
        : [{ actual: a, statistical: l.baseline, consensus: l.consensus }];
    });
    const p = accuracyPoint(c.month, month, lines);
    if (p) out.push(p);
  }
  return out;
}

export interface RunChartData {
  readonly run: PlanRunRow;
  readonly cycleMonth: Period | null;
  readonly gap: readonly GapPoint[];
  /** The run's rough-cut check; null for a run stored before it kept one. */
  readonly roughCut: RoughCut | null;
  readonly scenarios: readonly ScenarioKpis[];
  /** Cumulative cash by scenario and the budget's; null before the stress test. */
  readonly cash: {
    readonly series: readonly CashSeries[];
    readonly budget: readonly { period: Period; cumulative: number }[] | null;
    /**
     * What customers owed and what was owed for production when the first month began, whose
     * collections and payments the lines count (the same for every scenario and the budget);
     * null each when not counted.
     */
    readonly opening: OpeningAmounts;
  } | null;
  readonly families: readonly FamilySeries[];
  readonly accuracy: readonly AccuracyPoint[];
}

export interface ChartDataOptions {
  /** Family charts at most (the families with the largest consensus change). */
  readonly maxFamilies?: number;
}

export async function loadRunCharts(
  db: Db,
  runId: string,
  opts: ChartDataOptions = {},
): Promise<RunChartData | null> {
  const run = await getRun(db, runId);
  if (!run) return null;
  const scenarios = await runScenarios(db, runId);
  const central = scenarios.find((s) => s.name === 'central' && s.status === 'optimal');
  const gap = central ? gapPoints(run.problem, await resourceResults(db, central.id)) : [];
  const cycle = run.cycle_id ? await cycleMonthOf(db, run.cycle_id) : undefined;
  const consensus = (run.consensus as StoredConsensusLine[] | null) ?? [];
  const picked = changedFamilies(consensus, opts.maxFamilies ?? 3);
  const families: FamilySeries[] = [];
  const ids = picked.length && cycle ? await familyIds(db) : new Map<string, number>();
  // The history as the baselines saw it: months without a row, through the company's last, are 0.
  const historyEnd = picked.length && cycle ? await salesHistoryEnd(db, cycle.month) : null;
  for (const code of picked) {
    const familyId = ids.get(code);
    if (familyId === undefined || !cycle) continue;
    const [history, baseline] = await Promise.all([
      salesOf(db, familyId),
      familyBaseline(db, cycle.id, familyId, run.periods),
    ]);
    families.push(
      familySeries({
        family: code,
        history: historyEnd ? withZeroMonths(history, historyEnd) : history,
        baseline,
        consensus,
      }),
    );
  }
  const accuracy = cycle ? await accuracyTrend(db, cycle.month) : [];
  return {
    run,
    cycleMonth: cycle?.month ?? null,
    gap,
    roughCut: storedRoughCut(run.capacity_check, run.problem),
    scenarios: scenarioKpis(scenarios),
    cash: cashSeries(run.periods as Period[], scenarios),
    families,
    accuracy,
  };
}

/** The same data with adjustment authors shown by display name (charts cannot render mentions). */
export function withAuthorNames(
  data: RunChartData,
  nameOf: (userId: string) => string,
): RunChartData {
  return {
    ...data,
    families: data.families.map((f) => ({
      ...f,
      adjustments: f.adjustments.map((a) => ({ ...a, author: nameOf(a.author) })),
    })),
  };
}

/** Every adjustment author of the data, to resolve their names in one go. */
export function authorsOf(data: RunChartData): string[] {
  return [...new Set(data.families.flatMap((f) => f.adjustments.map((a) => a.author)))];
}
