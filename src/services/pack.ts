/**
 * The executive meeting pack: a short pre-read that answers the ten questions of
 * docs/sop-domain.md with numbers read from the database (plan runs, actuals, budget,
 * constraints, adjustments, votes, actions). `buildPack` gathers the data, `packMarkdown`
 * writes it; the Slack presenter (src/slack/presenters/pack.ts) shows the same data.
 */
import type { Db } from '../../db/connect.js';
import { topShadowPrices } from '../../db/queries/explain.js';
import {
  centralOf,
  type FamilyResult,
  familyResults,
  resourceResults,
} from '../../db/queries/plan-results.js';
import { latestRun, runScenarios } from '../../db/queries/plan-runs.js';
import { previousCycle, referenceScenario } from '../../db/queries/review.js';
import type { CycleRow, PlanScenarioRow } from '../../db/schema.js';
import { accuracy, BIAS_SIGN_CONVENTION, bias } from '../core/kpi.js';
import { tradeOffSentences } from '../core/scenarios/trade-off.js';
import { zoneOf } from '../core/time-fences.js';
import { SopError } from '../errors.js';
import { isOverdue, listActions, today } from './actions.js';
import { getCycleByMonth, PHASE_LABEL } from './cycles.js';
import {
  changedLines,
  escalationLines,
  familyLines,
  followLines,
  loopPeople,
  type PackLoop,
  reviewLines,
} from './pack-loop.js';
import { loopOf } from './review-post.js';
import { fencesOf, getSettings } from './settings.js';

/** Targets the KPIs are shown against. */
export const KPI_TARGETS = {
  accuracy: 0.8,
  absBias: 0.05,
  fillRate: 0.95,
  averageUtilisation: 0.9,
} as const;

const LAUNCH_EOL = /launch|new[_ -]?product|eol|end[_ -]?of[_ -]?life|discontinu|phase[_ -]?out/i;

export interface Mover {
  readonly family: string;
  readonly now: number;
  readonly before: number;
  readonly delta: number;
  readonly deltaPct: number | null;
}

export interface PackData {
  readonly cycle: { readonly id: number; readonly month: string; readonly phase: string };
  readonly runId: string | null;
  readonly scenario: string | null;
  readonly previous: { readonly month: string; readonly runId: string | null } | null;
  /** Q1 */
  readonly changes: {
    readonly periods: readonly string[];
    readonly consensusNow: number;
    readonly consensusBefore: number | null;
    readonly capacityNow: number;
    readonly capacityBefore: number | null;
    readonly movers: readonly Mover[];
  };
  /** Q2 */
  readonly kpis: {
    readonly accuracy: number | null;
    readonly bias: number | null;
    readonly pairs: number;
    readonly cycles: readonly string[];
    readonly fillRate: number | null;
    readonly averageUtilisation: number | null;
    readonly peakUtilisation: number | null;
  };
  /** Q3: actuals against the previous cycle's consensus. */
  readonly families: readonly {
    readonly family: string;
    readonly periods: readonly string[];
    readonly actual: number;
    readonly forecast: number;
    readonly deltaPct: number | null;
  }[];
  /** Q4 */
  readonly finance: {
    readonly periods: readonly string[];
    readonly revenue: number;
    readonly budget: number | null;
    readonly gapPct: number | null;
    readonly cost: number | null;
    /** The one margin (src/core/finance.ts): revenue − the plan's cash costs + stock change. */
    readonly margin: number | null;
    readonly marginPct: number | null;
    /** The central plan against the demand samples (null before the stress test). */
    readonly expectedMargin: number | null;
    readonly marginP10: number | null;
    readonly cashFlow: number | null;
    readonly cashFlowP10: number | null;
    readonly budgetCashFlow: number | null;
    readonly workingCapital: number | null;
    readonly workingCapitalVsBudget: number | null;
  };
  /** Q5 */
  readonly risks: {
    readonly constraints: readonly {
      readonly resource: string;
      readonly period: string;
      readonly reason: string;
      readonly comment: string | null;
      readonly isNew: boolean;
    }[];
    readonly flagged: readonly {
      readonly family: string;
      readonly period: string;
      readonly author: string;
      readonly reason: string;
      readonly zone: string;
    }[];
  };
  /** Q6 */
  readonly decisions: {
    readonly scenarios: readonly {
      readonly name: string;
      readonly label: string;
      readonly status: string;
      readonly totalCost: number | null;
      readonly fillRate: number | null;
      readonly revenue: number;
      readonly serviceAtRisk: number | null;
      readonly excessInventoryValue: number | null;
      /** What adopting it accepts, in one sentence (src/core/scenarios/trade-off.ts). */
      readonly tradeOff: string | null;
    }[];
    readonly poll: { readonly id: string; readonly status: string } | null;
    readonly decided: { readonly scenario: string; readonly by: string } | null;
  };
  /** Q7 */
  readonly productDevelopment: readonly {
    readonly family: string;
    readonly period: string;
    readonly reason: string;
    readonly before: number | null;
    readonly after: number | null;
    readonly author: string;
  }[];
  /** Q8 */
  readonly overloads: readonly {
    readonly resource: string;
    readonly period: string;
    readonly utilisation: number;
  }[];
  /**
   * Q8, ranked by money: the binding capacities of the central plan with the highest shadow
   * prices (what one more unit is worth), at most five. Absent for runs without duals.
   */
  readonly criticalConstraints?: readonly {
    readonly resource: string;
    readonly period: string;
    readonly unit: string;
    readonly shadowPrice: number;
    readonly utilisation: number | null;
  }[];
  /** Q9 */
  readonly longTerm: {
    readonly from: string | null;
    readonly plan: number;
    readonly budget: number | null;
    readonly gapPct: number | null;
    readonly worst: readonly { period: string; plan: number; budget: number; gapPct: number }[];
  };
  /** The loop: performance review (Q2, Q3), what changed (Q1), follow-through (Q10). */
  readonly loop: PackLoop | null;
  /** Q10 */
  readonly actions: readonly {
    readonly id: string;
    readonly cycle: string;
    readonly owner: string;
    readonly due: string;
    readonly description: string;
    readonly overdue: boolean;
  }[];
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const ratio = (a: number, b: number) => (b !== 0 ? a / b : null);

function byFamily(
  rows: readonly FamilyResult[],
  periods: ReadonlySet<string>,
): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) if (periods.has(r.period)) m.set(r.code, (m.get(r.code) ?? 0) + r.demand);
  return m;
}

export async function buildPack(db: Db, month: string, now: Date): Promise<PackData> {
  const cycle = await getCycleByMonth(db, month);
  if (!cycle) throw new SopError('not_found', `No cycle for ${month}; check the month (YYYY-MM).`);
  const settings = await getSettings(db);
  const run = await latestRun(db, cycle.id);
  const scenarios = run ? await runScenarios(db, run.id) : [];
  const central = centralOf(scenarios.filter((s) => s.status === 'optimal'));
  const fam = central ? await familyResults(db, central.id) : [];
  const res = central ? await resourceResults(db, central.id) : [];
  const prevCycle = await previousCycle(db, month);
  const prevRef = prevCycle ? await referenceScenario(db, prevCycle) : null;
  const prevFam = prevRef ? await familyResults(db, prevRef.scenario.id) : [];
  const prevRes = prevRef ? await resourceResults(db, prevRef.scenario.id) : [];

  // Q1: what changed, over the months both plans cover.
  const common = new Set(
    fam.map((r) => r.period).filter((p) => prevFam.some((q) => q.period === p)),
  );
  const commonPeriods = [...common].sort();
  const nowBy = byFamily(fam, common);
  const beforeBy = byFamily(prevFam, common);
  const movers: Mover[] = [...new Set([...nowBy.keys(), ...beforeBy.keys()])]
    .map((f) => {
      const n = nowBy.get(f) ?? 0;
      const b = beforeBy.get(f) ?? 0;
      return { family: f, now: n, before: b, delta: n - b, deltaPct: ratio(n - b, b) };
    })
    .filter((m) => Math.abs(m.delta) > 1e-9)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, 3);
  const capIn = (rows: typeof res, set: ReadonlySet<string>) =>
    sum(rows.filter((r) => set.has(r.period)).map((r) => r.capacity));

  // Q2 and Q3: forecasts of archived cycles against the actuals that have arrived since.
  const actuals = await db
    .selectFrom('sales_history')
    .innerJoin('families', 'families.id', 'sales_history.family_id')
    .select(['families.code', 'sales_history.period', 'sales_history.units'])
    .where('sales_history.period', '<', month)
    .execute();
  const actualOf = new Map(actuals.map((a) => [`${a.code}|${a.period}`, a.units]));
  const util = res.map((r) => r.utilisation);
  const kpiFill = central?.kpis.fillRate;

  const famPerf = new Map<string, { periods: string[]; actual: number; forecast: number }>();
  for (const r of prevFam) {
    const a = actualOf.get(`${r.code}|${r.period}`);
    if (a === undefined) continue;
    const e = famPerf.get(r.code) ?? { periods: [], actual: 0, forecast: 0 };
    e.periods.push(r.period);
    e.actual += a;
    e.forecast += r.demand;
    famPerf.set(r.code, e);
  }

  // Q4: the central scenario's revenue and margin against the budget.
  const periods = [...new Set(fam.map((r) => r.period))].sort();
  const budgetRows = periods.length
    ? await db
        .selectFrom('budget')
        .innerJoin('families', 'families.id', 'budget.family_id')
        .select(['families.code', 'budget.period', 'budget.volume', 'budget.revenue'])
        .where('budget.period', 'in', periods)
        .execute()
    : [];
  const revenue = sum(fam.map((r) => r.revenue));
  const budgetRevenue = budgetRows.length ? sum(budgetRows.map((b) => b.revenue)) : null;
  const cost = central?.total_cost ?? null;
  const priced = central ? await topShadowPrices(db, central.id, 5) : [];
  const ck = central?.kpis ?? {};
  const kNum = (k: Record<string, number | null>, key: string): number | null =>
    typeof k[key] === 'number' ? (k[key] as number) : null;
  const centralMargin = kNum(ck, 'grossMargin');
  const sentences = tradeOffSentences(
    scenarios.filter((x) => x.status === 'optimal').map((x) => ({ label: x.label, kpis: x.kpis })),
  );
  const sentenceOf = new Map(
    scenarios.filter((x) => x.status === 'optimal').map((x, i) => [x.id, sentences[i] ?? null]),
  );

  // Q5 and Q8: constraints, flagged adjustments, overloads.
  const constraints = await db
    .selectFrom('capacity_updates')
    .innerJoin('resources', 'resources.id', 'capacity_updates.resource_id')
    .select([
      'resources.code',
      'capacity_updates.period',
      'capacity_updates.reason_code',
      'capacity_updates.comment',
      'capacity_updates.cycle_id',
    ])
    .where('capacity_updates.status', '=', 'open')
    .where('capacity_updates.is_constraint', '=', true)
    .orderBy('capacity_updates.period')
    .orderBy('resources.code')
    .execute();
  const adjustments = await db
    .selectFrom('forecast_adjustments')
    .innerJoin('families', 'families.id', 'forecast_adjustments.family_id')
    .select([
      'families.code',
      'forecast_adjustments.period',
      'forecast_adjustments.author',
      'forecast_adjustments.reason_code',
      'forecast_adjustments.zone',
      'forecast_adjustments.status',
      'forecast_adjustments.before_value',
      'forecast_adjustments.after_value',
    ])
    .where('forecast_adjustments.cycle_id', '=', cycle.id)
    .where('forecast_adjustments.status', 'in', ['accepted', 'flagged'])
    .orderBy('families.code')
    .orderBy('forecast_adjustments.period')
    .execute();

  // Q6: the vote.
  const poll = await db
    .selectFrom('polls')
    .select(['id', 'status'])
    .where('cycle_id', '=', cycle.id)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const decided = await db
    .selectFrom('decisions')
    .innerJoin('plan_scenarios', 'plan_scenarios.id', 'decisions.scenario_id')
    .select(['plan_scenarios.label', 'decisions.decided_by'])
    .where('decisions.cycle_id', '=', cycle.id)
    .orderBy('decisions.id', 'desc')
    .executeTakeFirst();
  const scenarioRevenue = new Map<string, number>();
  for (const s of scenarios) {
    if (s.status !== 'optimal') continue;
    scenarioRevenue.set(
      s.id,
      s.id === central?.id ? revenue : sum((await familyResults(db, s.id)).map((r) => r.revenue)),
    );
  }

  // Q9: months beyond the slushy zone against the budget volume.
  const fences = fencesOf(settings);
  const liquid = periods.filter((p) => zoneOf(month, p, fences) === 'liquid');
  const liquidSet = new Set(liquid);
  const planBy = new Map<string, number>();
  for (const r of fam)
    if (liquidSet.has(r.period)) planBy.set(r.period, (planBy.get(r.period) ?? 0) + r.demand);
  const budBy = new Map<string, number>();
  for (const b of budgetRows)
    if (liquidSet.has(b.period)) budBy.set(b.period, (budBy.get(b.period) ?? 0) + b.volume);
  const ltPlan = sum([...planBy.values()]);
  const ltBudget = budBy.size ? sum([...budBy.values()]) : null;
  const worst = liquid
    .filter((p) => budBy.has(p))
    .map((p) => {
      const plan = planBy.get(p) ?? 0;
      const budget = budBy.get(p) ?? 0;
      return { period: p, plan, budget, gapPct: ratio(plan - budget, budget) ?? 0 };
    })
    .sort((a, b) => Math.abs(b.gapPct) - Math.abs(a.gapPct))
    .slice(0, 3);

  // Q10: open actions of earlier cycles.
  const day = today(now, settings.timezone);
  const acts = await listActions(db, { filter: 'open', today: day, cycleIdBefore: cycle.id });

  // The loop: review of the months since the previous cycle, what changed, follow-through.
  const loop = await loopOf(db, cycle, now);
  const last = loop.trend.at(-1);
  const lag1 = last?.review.total.byLag['1'];

  return {
    cycle: { id: cycle.id, month, phase: PHASE_LABEL[cycle.phase] },
    runId: run?.id ?? null,
    scenario: central?.label ?? null,
    previous: prevCycle ? { month: prevCycle.month, runId: prevRef?.runId ?? null } : null,
    changes: {
      periods: commonPeriods,
      consensusNow: sum([...nowBy.values()]),
      consensusBefore: prevRef ? sum([...beforeBy.values()]) : null,
      capacityNow: capIn(res, common),
      capacityBefore: prevRef ? capIn(prevRes, common) : null,
      movers,
    },
    kpis: {
      // Lag-1 consensus accuracy and bias of the review (the snapshots' own scores).
      accuracy: lag1?.consensusAccuracy ?? null,
      bias: lag1?.consensusBias ?? null,
      pairs: lag1?.pairs ?? 0,
      cycles: last?.review.periods ?? [],
      fillRate: typeof kpiFill === 'number' ? kpiFill : null,
      averageUtilisation: util.length ? sum(util) / util.length : null,
      peakUtilisation: util.length ? Math.max(...util) : null,
    },
    families: [...famPerf.entries()].map(([family, e]) => ({
      family,
      periods: e.periods.sort(),
      actual: e.actual,
      forecast: e.forecast,
      deltaPct: ratio(e.actual - e.forecast, e.forecast),
    })),
    finance: {
      periods,
      revenue,
      budget: budgetRevenue,
      gapPct: budgetRevenue === null ? null : ratio(revenue - budgetRevenue, budgetRevenue),
      cost,
      margin: centralMargin,
      marginPct: centralMargin === null ? null : ratio(centralMargin, revenue),
      expectedMargin: kNum(ck, 'expectedMargin'),
      marginP10: kNum(ck, 'marginP10'),
      cashFlow: kNum(ck, 'cashFlow'),
      cashFlowP10: kNum(ck, 'cashFlowP10'),
      budgetCashFlow: kNum(ck, 'budgetCashFlow'),
      workingCapital: kNum(ck, 'workingCapital'),
      workingCapitalVsBudget: kNum(ck, 'workingCapitalVsBudget'),
    },
    risks: {
      constraints: constraints.map((c) => ({
        resource: c.code,
        period: c.period,
        reason: c.reason_code,
        comment: c.comment,
        isNew: c.cycle_id === cycle.id,
      })),
      flagged: adjustments
        .filter((a) => a.status === 'flagged')
        .map((a) => ({
          family: a.code,
          period: a.period,
          author: a.author,
          reason: a.reason_code,
          zone: a.zone,
        })),
    },
    decisions: {
      scenarios: scenarios.map((s) => ({
        name: s.name,
        label: s.label,
        status: s.status,
        totalCost: s.total_cost,
        fillRate: typeof s.kpis.fillRate === 'number' ? s.kpis.fillRate : null,
        revenue: scenarioRevenue.get(s.id) ?? 0,
        serviceAtRisk: kNum(s.kpis, 'serviceAtRisk'),
        excessInventoryValue: kNum(s.kpis, 'excessInventoryValue'),
        tradeOff: sentenceOf.get(s.id) ?? null,
      })),
      poll: poll ? { id: poll.id, status: poll.status } : null,
      decided: decided ? { scenario: decided.label, by: decided.decided_by } : null,
    },
    productDevelopment: adjustments
      .filter((a) => LAUNCH_EOL.test(a.reason_code))
      .map((a) => ({
        family: a.code,
        period: a.period,
        reason: a.reason_code,
        before: a.before_value,
        after: a.after_value,
        author: a.author,
      })),
    criticalConstraints: priced.map((c) => ({
      resource: c.code,
      period: c.period,
      unit: c.unit,
      shadowPrice: c.shadowPrice,
      utilisation: res.find((r) => r.code === c.code && r.period === c.period)?.utilisation ?? null,
    })),
    overloads: res
      .filter((r) => r.utilisation > 1 + 1e-9)
      .map((r) => ({ resource: r.code, period: r.period, utilisation: r.utilisation })),
    longTerm: {
      from: liquid[0] ?? null,
      plan: ltPlan,
      budget: ltBudget,
      gapPct: ltBudget === null ? null : ratio(ltPlan - ltBudget, ltBudget),
      worst,
    },
    loop,
    actions: acts.map((a) => ({
      id: a.id,
      cycle: a.cycle,
      owner: a.owner,
      due: a.due_date,
      description: a.description,
      overdue: isOverdue(a, day),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting (shared by the Markdown export and the Slack presenter).
// ---------------------------------------------------------------------------------------------

export const num = (n: number) => Math.round(n).toLocaleString('en-US');
const signedNum = (n: number) => `${n >= 0 ? '+' : '−'}${num(Math.abs(n))}`;
export const pct = (x: number | null, signed = false) =>
  x === null ? 'n/a' : `${signed && x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const vs = (ok: boolean) => (ok ? 'on target' : 'OFF TARGET');

export interface PackSection {
  readonly n: number;
  readonly title: string;
  readonly lines: readonly string[];
}

const mention = (id: string) => `<@${id}>`;

/**
 * The ten answers as short lines of text (mrkdwn-friendly: `*bold*` is avoided). `who` shows
 * a person: a mention in Slack (the default; Slack renders it), a name in a file.
 */
export function packSections(
  p: PackData,
  who: (userId: string) => string = mention,
): PackSection[] {
  const s: PackSection[] = [];
  const ch = p.changes;
  s.push({
    n: 1,
    title: 'What has changed since last month?',
    lines: !p.previous
      ? ['First cycle: nothing to compare with.']
      : ch.consensusBefore === null
        ? [`${p.previous.month} has no plan run to compare with.`]
        : [
            `Consensus demand over ${ch.periods.length} common months: ${num(ch.consensusNow)} vs ${num(ch.consensusBefore)} in ${p.previous.month} (${pct(ratio(ch.consensusNow - ch.consensusBefore, ch.consensusBefore), true)}).`,
            `Capacity over the same months: ${num(ch.capacityNow)} vs ${num(ch.capacityBefore ?? 0)} (${pct(ratio(ch.capacityNow - (ch.capacityBefore ?? 0), ch.capacityBefore ?? 0), true)}).`,
            ch.movers.length
              ? `Biggest movers: ${ch.movers.map((m) => `${m.family} ${m.delta > 0 ? '+' : ''}${num(m.delta)} (${pct(m.deltaPct, true)})`).join(', ')}.`
              : 'No family moved.',
            ...(p.loop ? changedLines(p.loop, who) : []),
          ],
  });
  const k = p.kpis;
  s.push({
    n: 2,
    title: 'How are we executing against performance metrics?',
    lines: [
      k.accuracy === null
        ? 'Forecast accuracy: no lag-1 forecast of an earlier cycle has its actual yet.'
        : `Lag-1 forecast accuracy ${pct(k.accuracy)} (target ≥ ${pct(KPI_TARGETS.accuracy)}: ${vs(k.accuracy >= KPI_TARGETS.accuracy)}), bias ${pct(k.bias, true)} (target within ±${pct(KPI_TARGETS.absBias)}: ${vs(Math.abs(k.bias ?? 0) <= KPI_TARGETS.absBias)}); ${k.pairs} family-months of ${k.cycles.join(', ')}. ${BIAS_SIGN_CONVENTION}.`,
      ...(p.loop ? reviewLines(p.loop, who) : []),
      k.fillRate === null
        ? 'Fill rate: no plan run yet.'
        : `Planned fill rate ${pct(k.fillRate)} (target ≥ ${pct(KPI_TARGETS.fillRate)}: ${vs(k.fillRate >= KPI_TARGETS.fillRate)}).`,
      k.averageUtilisation === null
        ? 'Utilisation: no plan run yet.'
        : `Capacity utilisation ${pct(k.averageUtilisation)} on average, peak ${pct(k.peakUtilisation)} (target ≤ ${pct(KPI_TARGETS.averageUtilisation)} on average: ${vs(k.averageUtilisation <= KPI_TARGETS.averageUtilisation)}).`,
    ],
  });
  s.push({
    n: 3,
    title: 'How are product families performing?',
    lines:
      p.loop && familyLines(p.loop).length
        ? familyLines(p.loop)
        : p.families.length
          ? p.families.map(
              (f) =>
                `${f.family}: actual ${num(f.actual)} vs ${num(f.forecast)} planned last cycle (${pct(f.deltaPct, true)}, ${f.periods.join(', ')}).`,
            )
          : ['No actuals yet against the last cycle’s plan.'],
  });
  const fi = p.finance;
  s.push({
    n: 4,
    title: 'Are we on plan financially?',
    lines: fi.periods.length
      ? [
          `Revenue of the ${p.scenario ?? 'central'} scenario ${num(fi.revenue)} vs budget ${fi.budget === null ? 'n/a (no budget loaded)' : num(fi.budget)} (${pct(fi.gapPct, true)}), ${fi.periods[0]}–${fi.periods.at(-1)}.`,
          fi.margin === null
            ? 'Margin: no cost figure.'
            : `Margin ${num(fi.margin)} (${pct(fi.marginPct)} of revenue): revenue less the plan's cash costs, plus the change in stock at cost; the model's penalties are not in it.`,
          ...(fi.expectedMargin === null
            ? []
            : [
                `Against uncertain demand: expected margin ${num(fi.expectedMargin)}, ${num(fi.marginP10 ?? 0)} at P10.`,
                `Cash over the horizon ${num(fi.cashFlow ?? 0)} expected, ${num(fi.cashFlowP10 ?? 0)} at P10${fi.budgetCashFlow === null ? '' : ` vs budget ${num(fi.budgetCashFlow)} (${signedNum((fi.cashFlowP10 ?? 0) - fi.budgetCashFlow)} at P10)`}.`,
                `Peak working capital ${num(fi.workingCapital ?? 0)}${fi.workingCapitalVsBudget === null ? '' : ` (${signedNum(fi.workingCapitalVsBudget)} vs budget)`}.`,
              ]),
        ]
      : ['No plan run yet: run `/sop plan`.'],
  });
  const r = p.risks;
  s.push({
    n: 5,
    title: 'Which risks, known or new, must we consider?',
    lines: [
      ...r.constraints.map(
        (c) =>
          `${c.isNew ? 'NEW' : 'Known'} constraint: ${c.resource} ${c.period} (${c.reason}${c.comment ? `: ${c.comment}` : ''}).`,
      ),
      ...r.flagged.map(
        (f) =>
          `Flagged ${f.zone} adjustment: ${f.family} ${f.period} by ${who(f.author)} (${f.reason.replace(/_/g, ' ')}).`,
      ),
      ...(r.constraints.length + r.flagged.length === 0
        ? ['No open constraint and no flagged adjustment.']
        : []),
      ...p.decisions.scenarios
        .filter((x) => x.serviceAtRisk !== null)
        .map(
          (x) =>
            `Demand risk, ${x.label}: fill rate ${pct(x.serviceAtRisk)} in the worst tenth of demand outcomes; ${num(x.excessInventoryValue ?? 0)} of stock expected beyond cover or past its shelf life.`,
        ),
    ],
  });
  const d = p.decisions;
  s.push({
    n: 6,
    title: 'Which decisions must be made now, and which later?',
    lines: [
      d.decided
        ? `Decided: ${d.decided.scenario} scenario adopted by ${who(d.decided.by)}.`
        : `DECISION NEEDED NOW: adopt one scenario${d.poll ? ` (vote ${d.poll.id} is ${d.poll.status})` : ' (`/sop vote`)'}.`,
      ...d.scenarios.map((x) =>
        x.status !== 'optimal'
          ? `${x.label}: ${x.status}.`
          : (x.tradeOff ?? `${x.label}: revenue ${num(x.revenue)}, fill rate ${pct(x.fillRate)}.`),
      ),
      ...(p.loop ? escalationLines(p.loop, who) : []),
      ...(p.overloads.length
        ? ['Later: capacity investment for the overloaded months below.']
        : []),
    ],
  });
  s.push({
    n: 7,
    title: 'Is product development on track?',
    lines: p.productDevelopment.length
      ? p.productDevelopment.map(
          (x) =>
            `${x.family} ${x.period}: ${x.reason} by ${who(x.author)} (${x.before === null ? '?' : num(x.before)} → ${x.after === null ? '?' : num(x.after)}).`,
        )
      : ['No launch or end-of-life adjustment this cycle.'],
  });
  s.push({
    n: 8,
    title: 'Do we have critical constraints?',
    lines: criticalLines(p),
  });
  const lt = p.longTerm;
  s.push({
    n: 9,
    title: 'Does the long-term plan need revising?',
    lines:
      lt.from === null
        ? ['The plan does not reach beyond the slushy zone.']
        : [
            `From ${lt.from} (beyond the slushy zone): plan ${num(lt.plan)} vs budget ${lt.budget === null ? 'n/a' : num(lt.budget)} units (${pct(lt.gapPct, true)}).`,
            ...(lt.worst.length
              ? [
                  `Largest gaps: ${lt.worst.map((w) => `${w.period} ${pct(w.gapPct, true)}`).join(', ')}.`,
                ]
              : []),
          ],
  });
  s.push({
    n: 10,
    title: 'What are the follow-up actions?',
    lines: [
      ...(p.loop ? followLines(p.loop) : []),
      ...(p.actions.length
        ? p.actions.map(
            (a) =>
              `${a.overdue ? 'OVERDUE ' : ''}#${a.id} ${who(a.owner)} due ${a.due}: ${a.description} (from ${a.cycle}).`,
          )
        : ['No open action from earlier cycles.']),
    ],
  });
  return s;
}

/** Q8: the constraints worth most first (shadow prices), then the other overloads. */
function criticalLines(p: PackData): string[] {
  const top = p.criticalConstraints ?? [];
  const listed = new Set(top.map((c) => `${c.resource}|${c.period}`));
  const ranked = top.map(
    (c) =>
      `${c.resource} ${c.period}: one more ${c.unit} is worth $${c.shadowPrice.toFixed(2)}${c.utilisation === null ? '' : ` (loaded at ${pct(c.utilisation)})`}.`,
  );
  const others = p.overloads
    .filter((o) => !listed.has(`${o.resource}|${o.period}`))
    .slice(0, 8 - Math.min(ranked.length, 5))
    .map((o) => `${o.resource} ${o.period} loaded at ${pct(o.utilisation)}.`);
  if (ranked.length + others.length === 0)
    return ['No resource loaded above 100% in the central scenario.'];
  return [
    ...(ranked.length
      ? ['Ranked by what one more unit of capacity is worth (shadow price):', ...ranked]
      : []),
    ...others,
  ];
}

/** Every person the pack names, to resolve them in one go. */
export function packPeople(p: PackData): string[] {
  return [
    ...new Set([
      ...p.risks.flagged.map((f) => f.author),
      ...(p.decisions.decided ? [p.decisions.decided.by] : []),
      ...p.productDevelopment.map((x) => x.author),
      ...p.actions.map((a) => a.owner),
      ...(p.loop ? loopPeople(p.loop) : []),
    ]),
  ];
}

/** A file, not a message: mentions would not render, so people are shown by `who` (a name). */
export function packMarkdown(p: PackData, who: (userId: string) => string = (id) => id): string {
  const head = [
    `# S&OP ${p.cycle.month}: executive pack`,
    '',
    `Phase: ${p.cycle.phase}. Plan run ${p.runId ?? 'none'}${p.previous ? `, compared with ${p.previous.month}` : ''}.`,
    '',
  ];
  const body = packSections(p, who).flatMap((sec) => [
    `## ${sec.n}. ${sec.title}`,
    '',
    ...sec.lines.map((l) => `- ${l}`),
    '',
  ]);
  return `${[...head, ...body].join('\n')}`;
}
