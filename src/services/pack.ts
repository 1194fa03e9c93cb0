/**
 * The executive meeting pack: a short pre-read that answers the ten questions of
 * docs/sop-domain.md with numbers read from the database (plan runs, actuals, budget,
 * constraints, adjustments, votes, actions). `buildPack` gathers the data (queries in
 * db/queries, arithmetic in src/core/pack-kpis.ts); `packMarkdown` (services/pack-markdown.ts)
 * writes it; the Slack presenter (src/slack/presenters/pack.ts) shows the same data.
 */
import type { Db } from '../../db/connect.js';
import { actionsOfDecisions } from '../../db/queries/decisions.js';
import { topShadowPrices } from '../../db/queries/explain.js';
import {
  budgetIn,
  latestDecisionOf,
  latestPollOf,
  openConstraintLines,
  salesBefore,
  standingAdjustments,
} from '../../db/queries/pack.js';
import {
  centralOf,
  familyResults,
  type ResourceResult,
  resourceResults,
} from '../../db/queries/plan-results.js';
import { latestRun, runScenarios } from '../../db/queries/plan-runs.js';
import { previousCycle, referenceScenario } from '../../db/queries/review.js';
import { storedBillGap, storedBillsEstimated } from '../core/finance.js';
import {
  budgetGap,
  demandByFamily,
  familyPerformance,
  ratio,
  sum,
  topMovers,
} from '../core/pack-kpis.js';
import { periodSpan } from '../core/period.js';
import { tradeOffSentences } from '../core/scenarios/trade-off.js';
import { deliveredByRow } from '../core/shortfall.js';
import { compareCodes } from '../core/text.js';
import { zoneOf } from '../core/time-fences.js';
import { SopError } from '../errors.js';
import { constraintGroups } from './constraints.js';
import { getCycleByMonth, PHASE_LABEL } from './cycles.js';
import { type ActionStatus, decisionVotes } from './follow-through.js';
import type { CapacityMove, PackData } from './pack-data.js';
import { loopOf } from './review-post.js';
import { fencesOf, getSettings } from './settings.js';
import { openingBacklog, runProblem, scenarioShortfalls } from './shortfall.js';
import { deactivatedAmong, type UsersInfoLookup } from './slack-person.js';

/** Where callers of the pack found them before the split. */
export type { PackData } from './pack-data.js';
export { packMarkdown, packPeople, packSections } from './pack-markdown.js';

const LAUNCH_EOL = /launch|new[_ -]?product|eol|end[_ -]?of[_ -]?life|discontinu|phase[_ -]?out/i;

/**
 * Who the pack asks Slack about its open actions' owners (users.info: one who left is marked),
 * and where it logs that Slack did not answer. Without it nobody is marked.
 */
export interface PackPeopleLookup {
  readonly slack: UsersInfoLookup;
  readonly logger: { error(obj: object, msg: string): void };
}

/**
 * Of the owners of the pack's open actions, those whose account is deactivated: users.info
 * asked once per owner (deactivatedAmong). Slack not answering (a 429, the network) leaves the
 * pack unmarked, said once in the log with its stack: the pre-read is not held up for a mark.
 */
async function ownersWhoLeftOf(
  db: Db,
  people: PackPeopleLookup | undefined,
  month: string,
  owners: readonly string[],
): Promise<string[]> {
  if (!people || owners.length === 0) return [];
  try {
    return await deactivatedAmong(people.slack, db, owners);
  } catch (err) {
    people.logger.error(
      { err, cycle: month, owners: owners.length },
      "users.info failed: the pack goes out without marking the open actions' owners who left the workspace",
    );
    return [];
  }
}

export async function buildPack(
  db: Db,
  month: string,
  now: Date,
  people?: PackPeopleLookup,
): Promise<PackData> {
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
  // The previous cycle's consensus is the demand of the central scenario of the run its
  // adopted plan came from, as this cycle's is its central's: an adopted Cautious plans for
  // less than the consensus, and compared with it the forecast seemed to jump.
  const prevCentral = prevRef ? centralOf(await runScenarios(db, prevRef.runId)) : null;
  const prevConsensus = !prevCentral
    ? []
    : prevCentral.id === prevRef?.scenario.id
      ? prevFam
      : await familyResults(db, prevCentral.id);

  // Q1: what changed, over the months both plans cover.
  const common = new Set(
    fam.map((r) => r.period).filter((p) => prevConsensus.some((q) => q.period === p)),
  );
  const commonPeriods = [...common].sort();
  const nowBy = demandByFamily(fam, common);
  const beforeBy = demandByFamily(prevConsensus, common);
  const movers = topMovers(nowBy, beforeBy, 3);

  // Q2 and Q3: forecasts of archived cycles against the actuals that have arrived since.
  const actuals = await salesBefore(db, month);
  const actualOf = new Map(actuals.map((a) => [`${a.code}|${a.period}`, a.units]));
  const kpiFill = central?.kpis.fillRate;

  // Q4: the central scenario's revenue and margin against the budget.
  const periods = [...new Set(fam.map((r) => r.period))].sort();
  const budgetRows = await budgetIn(db, periods);
  const revenue = sum(fam.map((r) => r.revenue));
  // Against the budget only over the months it covers (it may end before the horizon).
  const budgetPeriods = periods.filter((p) => budgetRows.some((b) => b.period === p));
  const inBudget = new Set(budgetPeriods);
  const revenueInBudget = sum(fam.filter((r) => inBudget.has(r.period)).map((r) => r.revenue));
  const budgetRevenue = budgetRows.length ? sum(budgetRows.map((b) => b.revenue)) : null;
  const cost = central?.total_cost ?? null;
  const priced = central ? await topShadowPrices(db, central.id, 5) : [];
  const ck = central?.kpis ?? {};
  const kNum = (k: Record<string, number | null>, key: string): number | null =>
    typeof k[key] === 'number' ? (k[key] as number) : null;
  const centralMargin = kNum(ck, 'grossMargin');
  const sentences = tradeOffSentences(
    scenarios.filter((x) => x.status === 'optimal').map((x) => ({ label: x.label, kpis: x.kpis })),
    { horizon: periods },
  );
  const sentenceOf = new Map(
    scenarios.filter((x) => x.status === 'optimal').map((x, i) => [x.id, sentences[i] ?? null]),
  );

  // Q5 and Q8: constraints, flagged adjustments, overloads.
  const constraints = await openConstraintLines(db, cycle.id);
  const adjustments = await standingAdjustments(db, cycle.id);

  // Q6: the vote.
  const poll = await latestPollOf(db, cycle.id);
  const decided = await latestDecisionOf(db, cycle.id);
  const decidedVote = decided
    ? ((await decisionVotes(db, [decided.id])).get(decided.id) ?? null)
    : null;
  const decidedActions = decided ? await actionsOfDecisions(db, [decided.id]) : [];
  const scenarioRevenue = new Map<string, number>();
  for (const s of scenarios) {
    if (s.status !== 'optimal') continue;
    scenarioRevenue.set(
      s.id,
      s.id === central?.id ? revenue : sum((await familyResults(db, s.id)).map((r) => r.revenue)),
    );
  }

  // Q8 and Q9 need the run's problem (prices, loads, the opening backlog), which holds every
  // demand line: it is read only when the plan gives demand up or leaves it owed, or when Q9
  // counts the first month (whose deliveries depend on the opening backlog).
  const fences = fencesOf(settings);
  const liquid = periods.filter((p) => zoneOf(month, p, fences) === 'liquid');
  const owes = fam.some((r) => r.lostSales > 1e-6 || r.backlog > 1e-6);
  const problem =
    run && (owes || (periods[0] !== undefined && liquid.includes(periods[0])))
      ? await runProblem(db, run.id)
      : null;

  // Q8: the families the central plan leaves short, and why.
  const shortfalls = central && owes ? await scenarioShortfalls(db, central.id, problem, fam) : [];

  // Q9: the units the plan delivers (sells) beyond the slushy zone against the budget volume.
  const delivered = deliveredByRow(fam, openingBacklog(problem));
  const longTerm = budgetGap(
    liquid,
    fam.map((r, i) => ({ period: r.period, demand: r.demand, delivered: delivered[i] ?? 0 })),
    budgetRows,
    3,
  );

  // The loop: review of the months since the previous cycle, what changed, follow-through.
  const loop = await loopOf(db, cycle, now);

  // Q10: the open actions of earlier cycles and those S&OE raised (a frozen-zone break's too:
  // question 6 disposes of the break, not of its owner's action) or people made from a Slack
  // message in this one since the last meeting (question 1 counts the same), by due date.
  // This meeting's own decision's are listed under it; a later cycle's are not this pack's,
  // should it be built again later.
  const open = (a: ActionStatus) => a.state === 'open' || a.state === 'overdue';
  const acts = [
    ...loop.changed.actions.filter(open),
    ...(loop.changed.soeActions ?? []).filter(open),
    ...(loop.changed.messageActions ?? []).filter(open),
  ].sort((a, b) => a.due.localeCompare(b.due) || Number(a.id) - Number(b.id));
  const last = loop.trend.at(-1);
  const lag1 = last?.review.total.byLag['1'];
  // Their owners who left the workspace: users.info once per owner, for this build.
  const ownersWhoLeft = await ownersWhoLeftOf(db, people, month, [
    ...acts.map((a) => a.owner),
    ...decidedActions.filter((a) => a.status === 'open').map((a) => a.owner),
  ]);

  return {
    cycle: { id: cycle.id, month, phase: PHASE_LABEL[cycle.phase] },
    runId: run?.id ?? null,
    scenario: central?.label ?? null,
    previous: prevCycle ? { month: prevCycle.month, runId: prevRef?.runId ?? null } : null,
    changes: {
      periods: commonPeriods,
      consensusNow: sum([...nowBy.values()]),
      consensusBefore: prevRef ? sum([...beforeBy.values()]) : null,
      capacity: prevRef ? capacityMoves(res, prevRes, common) : [],
      movers,
    },
    kpis: {
      // Lag-1 consensus accuracy and bias of the review (the snapshots' own scores).
      accuracy: lag1?.consensusAccuracy ?? null,
      bias: lag1?.consensusBias ?? null,
      pairs: lag1?.pairs ?? 0,
      cycles: last?.review.periods ?? [],
      fillRate: typeof kpiFill === 'number' ? kpiFill : null,
      expectedFillRate: kNum(ck, 'expectedFillRate'),
      fillRateP10: kNum(ck, 'serviceAtRisk'),
      // The solver's figures, as the vote, the plan headline and the chart show them: over the
      // resource-months with capacity (a line shut for a month is not 0% loaded).
      averageUtilisation: kNum(ck, 'averageUtilisation'),
      peakUtilisation: kNum(ck, 'peakUtilisation'),
    },
    families: familyPerformance(prevFam, actualOf),
    finance: {
      periods,
      revenue,
      budgetPeriods,
      revenueInBudget,
      budget: budgetRevenue,
      gapPct: budgetRevenue === null ? null : ratio(revenueInBudget - budgetRevenue, budgetRevenue),
      cost,
      margin: centralMargin,
      marginPct: centralMargin === null ? null : ratio(centralMargin, revenue),
      expectedMargin: kNum(ck, 'expectedMargin'),
      marginP10: kNum(ck, 'marginP10'),
      cashFlow: kNum(ck, 'cashFlow'),
      cashFlowP10: kNum(ck, 'cashFlowP10'),
      budgetCashFlow: kNum(ck, 'budgetCashFlow'),
      budgetCashPeriod: periods[(kNum(ck, 'budgetCashMonths') ?? periods.length) - 1] ?? null,
      cashP10VsBudget:
        kNum(ck, 'cashP10VsBudget') ??
        (kNum(ck, 'budgetCashFlow') === null
          ? null
          : (kNum(ck, 'cashFlowP10') ?? 0) - (kNum(ck, 'budgetCashFlow') ?? 0)),
      workingCapital: kNum(ck, 'workingCapital'),
      workingCapitalP90: kNum(ck, 'workingCapitalP90'),
      workingCapitalInBudget: kNum(ck, 'workingCapitalInBudget'),
      workingCapitalInBudgetP90: kNum(ck, 'workingCapitalInBudgetP90'),
      workingCapitalVsBudget: kNum(ck, 'workingCapitalVsBudget'),
      openingReceivables: kNum(ck, 'openingReceivables'),
      openingPayables: kNum(ck, 'openingPayables'),
      openingPayablesGap:
        kNum(ck, 'openingPayables') === null || storedBillsEstimated(central?.stress)
          ? storedBillGap(central?.stress)
          : null,
      openingPayablesEstimated:
        kNum(ck, 'openingPayables') !== null && storedBillsEstimated(central?.stress),
    },
    risks: {
      // One line per constraint (its months, one request's), as /sop constraints lists them.
      constraints: constraintGroups(constraints).map(({ first: c, months }) => ({
        resource: c.code,
        period: periodSpan(months),
        reason: c.reason_code,
        comment: c.comment,
        isNew: c.cycle_id === cycle.id,
        enteredIn: c.entered_in,
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
        message: s.message,
        totalCost: s.total_cost,
        fillRate: typeof s.kpis.fillRate === 'number' ? s.kpis.fillRate : null,
        revenue: scenarioRevenue.get(s.id) ?? 0,
        serviceAtRisk: kNum(s.kpis, 'serviceAtRisk'),
        excessInventoryValue: kNum(s.kpis, 'excessInventoryValue'),
        tradeOff: sentenceOf.get(s.id) ?? null,
      })),
      poll: poll ? { id: poll.id, status: poll.status } : null,
      decided: decided
        ? {
            scenario: decided.label,
            by: decided.decided_by,
            vote: decidedVote,
            rationale: decided.rationale,
            actions: decidedActions.map((a) => ({
              id: a.id,
              owner: a.owner,
              due: a.due_date,
              description: a.description,
              status: a.status,
            })),
          }
        : null,
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
        carried: a.source === 'carried',
      })),
    criticalConstraints: priced.map((c) => ({
      resource: c.code,
      period: c.period,
      unit: c.unit,
      shadowPrice: c.shadowPrice,
      shadowPriceKind: c.shadowPriceKind,
      utilisation: res.find((r) => r.code === c.code && r.period === c.period)?.utilisation ?? null,
      lastMonth: c.period === periods[periods.length - 1],
    })),
    shortfalls,
    overloads: res
      .filter((r) => r.utilisation > 1 + 1e-9)
      .map((r) => ({ resource: r.code, period: r.period, utilisation: r.utilisation })),
    longTerm,
    loop,
    actions: acts.map((a) => ({
      id: a.id,
      cycle: a.cycle,
      owner: a.owner,
      due: a.due,
      description: a.description,
      overdue: a.state === 'overdue',
      soe: a.cycle === month && a.raisedBy === undefined,
      ...(a.raisedBy !== undefined ? { raisedBy: a.raisedBy } : {}),
    })),
    ownersWhoLeft,
  };
}

/**
 * Each resource's capacity summed over `months` in both plans, kept where it moved by more
 * than a millionth (the solver's rounding), the largest relative change first.
 */
export function capacityMoves(
  now: readonly ResourceResult[],
  before: readonly ResourceResult[],
  months: ReadonlySet<string>,
): CapacityMove[] {
  const total = (rows: readonly ResourceResult[]) => {
    const m = new Map<string, { r: ResourceResult; cap: number }>();
    for (const r of rows)
      if (months.has(r.period)) {
        const x = m.get(r.code) ?? { r, cap: 0 };
        x.cap += r.capacity;
        m.set(r.code, x);
      }
    return m;
  };
  const a = total(now);
  const b = total(before);
  const moves: CapacityMove[] = [];
  for (const [code, { r, cap }] of a) {
    const prev = b.get(code)?.cap ?? 0;
    if (Math.abs(cap - prev) <= 1e-6 * Math.max(1, Math.abs(prev))) continue;
    moves.push({
      resource: code,
      unit: r.unit,
      workforce: r.kind === 'workforce',
      now: cap,
      before: prev,
    });
  }
  const rel = (m: CapacityMove) =>
    m.before > 0 ? Math.abs(m.now - m.before) / m.before : Number.POSITIVE_INFINITY;
  return moves.sort((x, y) => rel(y) - rel(x) || compareCodes(x.resource, y.resource));
}
