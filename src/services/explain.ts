/**
 * `/sop explain` and `sopbot explain`: the chain behind a figure, read from Postgres and
 * put together by core (src/core/explain/). A family's month: history, baseline, each
 * adjustment with its author's and reason's forecast value added, consensus, how the
 * latest plan run serves it and its value in each scenario. A resource's month: the load
 * by family, capacity and the updates in force, the overload and what the plan did, and
 * the shadow price stored with the run.
 */
import type { Db } from '../../db/connect.js';
import { toAdjustment } from '../../db/queries/adjustments.js';
import { openUpdates } from '../../db/queries/capacity.js';
import { familyIds, resourceIds } from '../../db/queries/codes.js';
import {
  baselineOfFamily,
  currentCycle,
  cycleByMonth,
  familyAdjustmentRows,
  familyByCodeCi,
  familyDuals,
  fvaArchive,
  loadsOnResource,
  memberNames,
  type ResourceSubject,
  resourceByCodeCi,
  resourceDuals,
  type ScenarioFamilyRow,
  type SubjectRef,
  salesHistoryEnd,
  salesOf,
  scenarioFamilyRows,
  scenarioResourceRows,
  someCodes,
} from '../../db/queries/explain.js';
import { getRun, latestRun, runScenarios } from '../../db/queries/plan-runs.js';
import type { AdjustmentRow, PlanScenarioRow } from '../../db/schema.js';
import {
  type Adjustment,
  type ConsensusLine,
  computeConsensus,
  peopleSteps,
  stepBrief,
} from '../core/consensus.js';
import {
  type AdjustmentMeta,
  explainFamilyMonth,
  type FamilyMonthExplanation,
  type PlanFamilyRow,
} from '../core/explain/family.js';
import { type Figure, figuresIn } from '../core/explain/figures.js';
import { type ExplainQuery, parseExplainQuestion } from '../core/explain/grammar.js';
import { explainResourceMonth, type ResourceMonthExplanation } from '../core/explain/resource.js';
import { withZeroMonths } from '../core/history-gaps.js';
import { type ArchivedForecast, forecastValueAdded } from '../core/kpi.js';
import { addMonths, monthsBetween, type Period, periodRange } from '../core/period.js';
import { roleNames } from '../core/policy.js';
import { FVA_LAG } from '../core/review.js';
import { type DemandPriceKind, storedDemandPrice } from '../core/supply/duals.js';
import { familyCost, type PlanProblem, planProblemSchema } from '../core/supply/problem.js';
import { codeSpan } from '../core/text.js';
import { SopError, UsageError } from '../errors.js';
import { horizonOf } from './adjustments.js';
import { getSettings } from './settings.js';
import type { UserNames } from './user-names.js';

export interface ExplainContext {
  readonly cycleMonth: Period;
  readonly runId: string | null;
  /** The company's time zone (settings): the days an answer names are its days. */
  readonly timezone: string;
  /** Display names of the people named in the answer, by Slack id. */
  readonly names: Readonly<Record<string, string>>;
}

export interface ChangeRow {
  readonly id: string;
  readonly period: Period;
  readonly author: string;
  readonly kind: AdjustmentRow['kind'];
  readonly value: number;
  readonly before: number | null;
  readonly after: number | null;
  readonly reasonCode: string;
  readonly comment: string | null;
  readonly status: AdjustmentRow['status'];
  readonly zone: AdjustmentRow['zone'];
  /** When it was made: an ISO instant (UTC); shown as the company's local date. */
  readonly createdAt: string;
}

export type Explanation =
  | (ExplainContext & {
      readonly kind: 'family';
      readonly query: ExplainQuery;
      readonly family: SubjectRef;
      readonly months: readonly FamilyMonthExplanation[];
    })
  | (ExplainContext & {
      readonly kind: 'resource';
      readonly query: ExplainQuery;
      readonly resource: ResourceSubject;
      readonly months: readonly ResourceMonthExplanation[];
    })
  | (ExplainContext & {
      readonly kind: 'changes';
      readonly query: ExplainQuery;
      readonly family: SubjectRef;
      readonly changes: readonly ChangeRow[];
    })
  | { readonly kind: 'not_understood'; readonly message: string };

export interface ExplainOptions {
  /** The cycle to explain (YYYY-MM); default: the open cycle, else the latest. */
  readonly cycleMonth?: Period;
}

interface CycleRef {
  readonly id: number;
  readonly month: string;
}

async function resolveCycle(db: Db, month?: Period): Promise<CycleRef> {
  const cycle = month ? await cycleByMonth(db, month) : await currentCycle(db);
  if (month && !cycle) throw new UsageError(`There is no S&OP cycle for ${month}.`);
  // Not a mistake in what was typed: nothing to explain yet.
  if (!cycle)
    throw new SopError(
      'not_found',
      'There is no S&OP cycle yet, so there is no plan to explain. A planner starts one with `/sop cycle start`.',
    );
  return cycle;
}

/** Answers a question as typed after `/sop explain` (or given to `sopbot explain`). */
export async function explainQuestion(
  db: Db,
  text: string,
  opts: ExplainOptions = {},
): Promise<Explanation> {
  const cycle = await resolveCycle(db, opts.cycleMonth);
  const parsed = parseExplainQuestion(text, cycle.month);
  if (!parsed.ok) return { kind: 'not_understood', message: parsed.message };
  return explainQuery(db, parsed.query, cycle);
}

export async function explainQuery(
  db: Db,
  query: ExplainQuery,
  cycle: CycleRef,
): Promise<Explanation> {
  const family = await familyByCodeCi(db, query.code);
  if (family) {
    if (query.intent === 'who') return changesOf(db, query, family, cycle);
    return explainFamily(db, query, family, cycle);
  }
  const resource = await resourceByCodeCi(db, query.code);
  if (resource) {
    if (query.intent === 'who')
      throw new UsageError(
        `\`${resource.code}\` is a resource; "who changed" asks about a family's forecast. Try \`/sop explain ${resource.code} <month>\` for its capacity updates.`,
      );
    return explainResource(db, query, resource, cycle);
  }
  const codes = await someCodes(db);
  throw new UsageError(
    `There is no family or resource ${codeSpan(query.code)}. Families look like ${codes.families.join(', ') || '(none yet)'}; resources like ${codes.resources.join(', ') || '(none yet)'} (${roleNames('families.assign')} list the families with \`/sop families\`).`,
  );
}

/** The Slack ids of the people an explanation names (the one who made each change). */
function peopleOf(e: Explanation): string[] {
  switch (e.kind) {
    case 'not_understood':
      return [];
    case 'changes':
      return e.changes.map((c) => c.author);
    case 'family':
      return e.months.flatMap((m) => m.steps.map((s) => s.author));
    case 'resource':
      return e.months.flatMap((m) => m.updates.map((u) => u.author));
  }
}

/**
 * `e` with a name for each person it names whom the stored names lack (`memberNames`: a member
 * nobody has looked up yet, on a new installation everyone), asked of Slack through the bot's
 * `users.info` cache, which keeps it for the next answer; one Slack cannot name stays an id.
 */
export async function withSlackNames(e: Explanation, users: UserNames): Promise<Explanation> {
  if (e.kind === 'not_understood') return e;
  const missing = [...new Set(peopleOf(e))].filter((id) => id !== 'sopbot' && !e.names[id]);
  if (missing.length === 0) return e;
  const nameOf = await users.names(missing);
  const found = missing.flatMap((id) => (nameOf(id) !== id ? [[id, nameOf(id)] as const] : []));
  return found.length === 0 ? e : { ...e, names: { ...e.names, ...Object.fromEntries(found) } };
}

// --- the latest plan run -------------------------------------------------------------

interface RunView {
  readonly runId: string;
  readonly periods: readonly Period[];
  readonly problem: PlanProblem | null;
  readonly scenarios: readonly PlanScenarioRow[];
  readonly central: PlanScenarioRow | null;
}

async function runView(db: Db, cycleId: number): Promise<RunView | null> {
  const head = await latestRun(db, cycleId);
  if (!head) return null;
  const [run, scenarios] = await Promise.all([getRun(db, head.id), runScenarios(db, head.id)]);
  if (!run) return null;
  const parsed = planProblemSchema.safeParse(run.problem);
  const central =
    scenarios.find((s) => s.name === 'central' && s.status === 'optimal') ??
    scenarios.find((s) => s.status === 'optimal') ??
    null;
  return {
    runId: head.id,
    periods: run.periods,
    problem: parsed.success ? parsed.data : null,
    scenarios,
    central,
  };
}

const toPlanRow = ({ scenarioId, familyId, period, ...row }: ScenarioFamilyRow): PlanFamilyRow =>
  row;

/** Stock and backlog at the end of the month before `period` in a scenario's results. */
/** Display names of the people an explanation names, by user id. */
async function namesOf(db: Db, people: readonly string[]): Promise<Record<string, string>> {
  return Object.fromEntries(await memberNames(db, [...new Set(people)]));
}

/** An explanation's months, the cycle and run they are read in, and the people they name. */
async function explainedMonths<M>(
  db: Db,
  months: M[],
  cycle: CycleRef,
  runId: string | null,
  people: (month: M) => readonly string[],
) {
  return {
    months,
    cycleMonth: cycle.month,
    runId,
    timezone: (await getSettings(db)).timezone,
    names: await namesOf(db, months.flatMap(people)),
  };
}

/** Each scenario of the run, side by side: its `figures` in `period` (null where it has none). */
function scenarioColumns<R extends { scenarioId: string; period: Period }, F>(
  scenarios: readonly PlanScenarioRow[],
  rows: readonly R[],
  period: Period,
  figures: (row: R | undefined) => F,
) {
  return scenarios.map((s) => ({
    name: s.name,
    label: s.label,
    status: s.status,
    ...figures(rows.find((x) => x.scenarioId === s.id && x.period === period)),
  }));
}

function previousOf(
  rows: readonly ScenarioFamilyRow[],
  problem: PlanProblem | null,
  code: string,
  period: Period,
): { inventory: number; backlog: number } {
  const prev = rows.find((r) => r.period === addMonths(period, -1));
  if (prev) return { inventory: prev.inventory, backlog: prev.backlog };
  const fam = problem?.families.find((f) => f.code === code);
  return { inventory: fam?.initialInventory ?? 0, backlog: fam?.initialBacklog ?? 0 };
}

// --- forecast value added so far ------------------------------------------------------

/**
 * FVA of every person and reason over earlier cycles' adjustments whose actuals arrived,
 * scored as the review scores it: each month once, from the forecast made FVA_LAG months
 * before it (a lag-L forecast of month p is the one cycle p − L made). Every cycle's line
 * would count a month once per cycle that forecast it, and an adjustment carried from cycle
 * to cycle once per cycle it was carried into.
 */
async function fvaSoFar(db: Db, month: Period) {
  const rows = await fvaArchive(db, month);
  if (rows.adjustments.length === 0) return { byPerson: {}, byReason: {} };
  const codeOf = new Map(rows.adjustments.map((a) => [a.family_id, a.code]));
  const byCycle = new Map<number, { month: string; adjustments: Adjustment[] }>();
  for (const a of rows.adjustments) {
    const c = byCycle.get(a.cycle_id) ?? { month: a.month, adjustments: [] };
    c.adjustments.push(toAdjustment(a, a.code));
    byCycle.set(a.cycle_id, c);
  }
  const archive: ArchivedForecast[] = [];
  for (const [cycleId, c] of byCycle) {
    const keys = new Set(c.adjustments.map((a) => `${a.family}|${a.period}`));
    const base = rows.baselines.flatMap((b) => {
      const family = codeOf.get(b.family_id);
      return b.cycle_id === cycleId && family && keys.has(`${family}|${b.period}`)
        ? [{ family, period: b.period, value: b.value, naive: b.naive }]
        : [];
    });
    const naive = new Map(base.map((b) => [`${b.family}|${b.period}`, b.naive]));
    for (const line of computeConsensus(base, c.adjustments)) {
      if (monthsBetween(c.month, line.period) !== FVA_LAG) continue;
      archive.push({
        family: line.family,
        period: line.period,
        lag: FVA_LAG,
        naive: naive.get(`${line.family}|${line.period}`) ?? line.baseline,
        statistical: line.baseline,
        consensus: line.consensus,
        adjustments: peopleSteps(line).map(stepBrief),
      });
    }
  }
  const report = forecastValueAdded(
    archive,
    rows.actuals.map((a) => ({ family: a.code, period: a.period, units: a.units })),
  );
  return { byPerson: report.byPerson, byReason: report.byReason };
}

// --- a family --------------------------------------------------------------------------

async function explainFamily(
  db: Db,
  query: ExplainQuery,
  family: SubjectRef,
  cycle: CycleRef,
): Promise<Explanation> {
  const periods = periodRange(query.from ?? cycle.month, query.to ?? query.from ?? cycle.month);
  const [history, historyEnd, baseline, adjustmentRows, run, fva] = await Promise.all([
    salesOf(db, family.id),
    salesHistoryEnd(db, cycle.month),
    baselineOfFamily(db, cycle.id, family.id),
    familyAdjustmentRows(db, cycle.id, family.id),
    runView(db, cycle.id),
    fvaSoFar(db, cycle.month),
  ]);
  const last = periods[periods.length - 1] ?? cycle.month;
  if (last < cycle.month) {
    // Past months have actuals, not a plan: say what was sold instead of a zero consensus.
    const sold = history.filter((h) => periods.includes(h.period)).reduce((a, h) => a + h.units, 0);
    throw new UsageError(
      `${periods.length === 1 ? periods[0] : `${periods[0]}..${last}`} is before the ${cycle.month} cycle: ${family.code} sold ${Math.round(sold).toLocaleString('en-US')} ${family.unit} then. Explanations cover the cycle's plan months, from ${cycle.month}.`,
    );
  }
  // Past the horizon nothing is forecast or planned: a zero consensus there would be untrue.
  const horizon = horizonOf(cycle, await getSettings(db));
  const end = horizon.at(-1) ?? cycle.month;
  const after = periods.find((p) => p > end);
  if (after)
    throw new UsageError(
      `${after} is after the ${cycle.month} cycle's horizon, which ends ${end}: nothing is forecast or planned for it. Explanations cover the cycle's plan months, ${cycle.month} to ${end}.`,
    );
  const counted = adjustmentRows.filter((r) => r.status === 'accepted' || r.status === 'flagged');
  const meta = new Map<string, AdjustmentMeta>(
    counted.map((r) => [
      String(r.id),
      {
        status: r.status as AdjustmentMeta['status'],
        zone: r.zone,
        createdAt: r.created_at.toISOString(),
      },
    ]),
  );
  const adjustments = counted.map((r) => toAdjustment(r, family.code));
  const baseLines = baseline.lines
    .filter((l) => periods.includes(l.period))
    .map((l) => ({ family: family.code, period: l.period, value: l.value }));
  const consensus = computeConsensus(
    baseLines,
    adjustments.filter((a) => periods.includes(a.period)),
  );

  const scenarioIds = run?.scenarios.filter((s) => s.status === 'optimal').map((s) => s.id) ?? [];
  const famRows = await scenarioFamilyRows(db, scenarioIds, [family.id]);
  const loads = run?.problem?.loads.filter((l) => l.family === family.code) ?? [];
  const resourceIds: number[] = [];
  const resourceCodes = new Map<number, string>();
  for (const l of loads) {
    const r = await resourceByCodeCi(db, l.resource);
    if (r) {
      resourceIds.push(r.id);
      resourceCodes.set(r.id, r.code);
    }
  }
  const central = run?.central ?? null;
  const [resRows, duals, marginal] = central
    ? await Promise.all([
        scenarioResourceRows(db, [central.id], resourceIds),
        resourceDuals(db, central.id, resourceIds),
        familyDuals(db, central.id, family.id),
      ])
    : [[], [], new Map<string, { price: number | null; kind: DemandPriceKind | null }>()];

  const dual = (resourceId: number, period: Period) =>
    duals.find((d) => d.resourceId === resourceId && d.period === period);
  const planned = run?.problem?.families.find((f) => f.code === family.code);
  /** One more unit demanded, as stored; an older run's read against the lost sale (core). */
  const demandPrice = (period: Period) =>
    storedDemandPrice(
      marginal.get(period)?.price ?? null,
      marginal.get(period)?.kind ?? null,
      planned && run?.problem?.options.lostSales
        ? familyCost(planned, 'lostSalesCost', period)
        : null,
    );
  const months = periods.map((period) => {
    const line: ConsensusLine = consensus.find((c) => c.period === period) ?? {
      family: family.code,
      period,
      baseline: 0,
      consensus: 0,
      steps: [],
      superseded: [],
    };
    const b = baseline.lines.find((l) => l.period === period) ?? null;
    const centralRows = central ? famRows.filter((r) => r.scenarioId === central.id) : [];
    const row = centralRows.find((r) => r.period === period);
    return explainFamilyMonth({
      family: family.code,
      period,
      // As the baseline saw it: months without a row, up to the company's last, are zero sales.
      history: historyEnd ? withZeroMonths(history, historyEnd) : history,
      cycleMonth: cycle.month,
      model: baseline.model,
      baseline: b,
      consensus: line,
      meta,
      fvaByPerson: fva.byPerson,
      fvaByReason: fva.byReason,
      plan:
        run && central && row
          ? {
              runId: run.runId,
              scenario: central.label,
              row: toPlanRow(row),
              previous: previousOf(centralRows, run.problem, family.code, period),
              frozen: (run.problem?.frozen ?? []).some(
                (f) => f.family === family.code && f.period === period,
              ),
              marginalCost: demandPrice(period).price,
              marginalCostKind: demandPrice(period).kind,
              lastMonth: period === run.periods.at(-1),
              loads: loads.map((l) => ({ resource: l.resource, perUnit: l.perUnit })),
              resources: resRows
                .filter((r) => r.period === period)
                .map((r) => {
                  const code = resourceCodes.get(r.resourceId) ?? '';
                  return {
                    resource: code,
                    load: r.load,
                    capacity: r.capacity,
                    overtime: r.overtime,
                    overtimeLimit: dual(r.resourceId, period)?.overtimeLimit ?? null,
                    shadowPrice: dual(r.resourceId, period)?.shadowPrice ?? null,
                    shadowPriceKind: dual(r.resourceId, period)?.shadowPriceKind ?? null,
                  };
                }),
            }
          : null,
      scenarios: scenarioColumns(run?.scenarios ?? [], famRows, period, (r) => ({
        demand: r?.demand ?? null,
        production: r?.production ?? null,
        revenue: r?.revenue ?? null,
      })),
    });
  });
  return {
    kind: 'family',
    query,
    family,
    ...(await explainedMonths(db, months, cycle, run?.runId ?? null, (m) =>
      m.steps.map((s) => s.author),
    )),
  };
}

async function changesOf(
  db: Db,
  query: ExplainQuery,
  family: SubjectRef,
  cycle: CycleRef,
): Promise<Explanation> {
  const rows = await familyAdjustmentRows(db, cycle.id, family.id);
  const inRange =
    query.from && query.to
      ? rows.filter((r) => r.period >= (query.from as string) && r.period <= (query.to as string))
      : rows;
  const changes = inRange.map(
    (r): ChangeRow => ({
      id: String(r.id),
      period: r.period,
      author: r.author,
      kind: r.kind,
      value: r.value,
      before: r.before_value,
      after: r.after_value,
      reasonCode: r.reason_code,
      comment: r.comment,
      status: r.status,
      zone: r.zone,
      createdAt: r.created_at.toISOString(),
    }),
  );
  const run = await latestRun(db, cycle.id);
  return {
    kind: 'changes',
    query,
    family,
    changes,
    cycleMonth: cycle.month,
    runId: run?.id ?? null,
    timezone: (await getSettings(db)).timezone,
    names: await namesOf(
      db,
      changes.map((c) => c.author),
    ),
  };
}

// --- a resource ------------------------------------------------------------------------

async function explainResource(
  db: Db,
  query: ExplainQuery,
  resource: ResourceSubject,
  cycle: CycleRef,
): Promise<Explanation> {
  const periods = periodRange(query.from ?? cycle.month, query.to ?? query.from ?? cycle.month);
  const run = await runView(db, cycle.id);
  if (!run?.central)
    throw new UsageError(
      `There is no solved plan for the ${cycle.month} cycle yet, so nothing to explain on ${resource.code}. A planner runs one with \`/sop plan\`.`,
    );
  const central = run.central;
  const outside = periods.filter((p) => !run.periods.includes(p));
  if (outside.length === periods.length)
    throw new UsageError(
      `Plan run ${run.runId} covers ${run.periods[0]}..${run.periods[run.periods.length - 1]}; ${outside[0]} is outside it.`,
    );
  const loads = await loadsOnResource(db, resource.id);
  const okScenarios = run.scenarios.filter((s) => s.status === 'optimal');
  const [famRows, resRows, updates, duals] = await Promise.all([
    scenarioFamilyRows(
      db,
      [central.id],
      loads.map((l) => l.familyId),
    ),
    scenarioResourceRows(
      db,
      okScenarios.map((s) => s.id),
      [resource.id],
    ),
    openUpdates(db, resource.id, periods, cycle.id),
    resourceDuals(db, central.id, [resource.id]),
  ]);
  const base = run.problem?.resources.find((r) => r.code === resource.code);
  const months = periods
    .filter((p) => run.periods.includes(p))
    .map((period) => {
      const own = resRows.find((r) => r.scenarioId === central.id && r.period === period);
      return explainResourceMonth({
        resource: resource.code,
        unit: resource.unit,
        period,
        runId: run.runId,
        overtimeCost: base?.overtimeCost ?? resource.overtimeCost,
        plan: {
          load: own?.load ?? 0,
          capacity: own?.capacity ?? 0,
          overtime: own?.overtime ?? 0,
          overtimeLimit: duals.find((d) => d.period === period)?.overtimeLimit ?? null,
        },
        baseCapacity: null,
        updates: updates
          .filter((u) => u.period === period)
          .map((u) => ({
            id: String(u.id),
            kind: u.kind,
            value: u.value,
            reason: u.reason_code,
            comment: u.comment,
            isConstraint: u.is_constraint,
            author: u.author,
            enteredIn: u.entered_in,
          })),
        families: loads.flatMap((l) => {
          const rows = famRows.filter((r) => r.familyId === l.familyId);
          const row = rows.find((r) => r.period === period);
          if (!row) return [];
          const builtIn = rows
            .filter((r) => r.period < period)
            .filter((r) => r.inventory > previousOf(rows, run.problem, l.code, r.period).inventory)
            .map((r) => r.period);
          return [
            {
              family: l.code,
              perUnit: l.perUnit,
              row: toPlanRow(row),
              previous: previousOf(rows, run.problem, l.code, period),
              builtIn,
            },
          ];
        }),
        shadowPrice: duals.find((d) => d.period === period)?.shadowPrice ?? null,
        shadowPriceKind: duals.find((d) => d.period === period)?.shadowPriceKind ?? null,
        lastMonth: period === run.periods.at(-1),
        scenarios: scenarioColumns(run.scenarios, resRows, period, (r) => ({
          load: r?.load ?? null,
          capacity: r?.capacity ?? null,
          overtime: r?.overtime ?? null,
        })),
      });
    });
  return {
    kind: 'resource',
    query,
    resource,
    ...(await explainedMonths(db, months, cycle, run.runId, (m) => m.updates.map((u) => u.author))),
  };
}

/** The figures a bot message names (for "Explain this"), and the cycle they are read in. */
export async function figuresOfMessage(
  db: Db,
  texts: readonly string[],
): Promise<{ cycleMonth: Period; figures: Figure[] }> {
  const cycle = await resolveCycle(db);
  const [fams, res] = await Promise.all([familyIds(db), resourceIds(db)]);
  return {
    cycleMonth: cycle.month,
    figures: figuresIn(
      texts,
      { families: new Set(fams.keys()), resources: new Set(res.keys()) },
      cycle.month,
    ),
  };
}

/** One figure of a message, explained in the cycle the message was read in. */
export async function explainFigure(
  db: Db,
  figure: { code: string; period: Period },
  cycleMonth: Period,
): Promise<Explanation> {
  const cycle = await resolveCycle(db, cycleMonth);
  return explainQuery(
    db,
    {
      intent: 'explain',
      code: figure.code,
      from: figure.period,
      to: figure.period,
      direction: null,
    },
    cycle,
  );
}
