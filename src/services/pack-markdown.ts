/**
 * The meeting pack as text: the ten answers as short lines (shared by the Markdown export and
 * the Slack presenter, src/slack/presenters/pack.ts) and the Markdown file itself.
 */

import { CASH_GENERATED_WORDS, type OpeningAmounts, openingLeftOut } from '../core/finance.js';
import { BIAS_SIGN_CONVENTION } from '../core/kpi.js';
import { formatMoneyBetween, formatNumber, moneyAlike, pctAsShown } from '../core/number-format.js';
import { ratio } from '../core/pack-kpis.js';
import { addMonths, periodSpan } from '../core/period.js';
import {
  BAD_CASE,
  BAD_CASE_MEANING,
  workingCapitalVsBudgetWords,
} from '../core/scenarios/trade-off.js';
import { type FamilyShortfall, SHORTFALL_SHARE, shortfallLine } from '../core/shortfall.js';
import { LAST_MONTH_NOTE, priceReading } from '../core/supply/duals.js';
import { cutWhole, oneUnit } from '../core/text.js';
import { decidedHow } from '../core/vote.js';
import { type CapacityMove, KPI_TARGETS, type PackData } from './pack-data.js';
import {
  allBy,
  BY_ID,
  bullet,
  changedLines,
  escalationLines,
  familyLines,
  followLines,
  loopPeople,
  money,
  num,
  type People,
  pct,
  reviewLines,
  sentence,
  signedNum,
  sub,
} from './pack-loop.js';

const vs = (ok: boolean) => (ok ? 'on target' : 'OFF TARGET');
/** Whether a share meets a target as printed (pctAsShown): 84.96% reads 85.0%, as much as 85.0%. */
const atLeast = (x: number, target: number) => pctAsShown(x) >= pctAsShown(target);
const atMost = (x: number, target: number) => pctAsShown(x) <= pctAsShown(target);
const NO_RUN = 'No plan run for this cycle yet: run `/sop plan`.';

/** A signed change; one under 0.05% reads '<0.1%' with its sign rather than '−0.0%'. */
const smallPct = (x: number | null) =>
  x !== null && x !== 0 && Math.abs(x) < 0.0005 ? `${x < 0 ? '−' : '+'}<0.1%` : pct(x, true);

/** Q1's capacity line: each resource that moved, in its own unit; at most four named. */
export function capacityLine(moves: readonly CapacityMove[]): string {
  if (moves.length === 0) return 'Capacity over the same months: unchanged.';
  const named = moves
    .slice(0, 4)
    .map(
      (m) =>
        `${m.resource} ${num(m.now)} vs ${num(m.before)} ${m.unit} (${smallPct(ratio(m.now - m.before, m.before))}${m.workforce ? ", the plan's crew size" : ''})`,
    );
  const more = moves.length - named.length;
  return `Capacity over the same months: ${named.join('; ')}${more > 0 ? `; …and ${more} more` : ''}.`;
}

/**
 * Q2's fill rate. Against the demand samples once the stress test has run: the plan's own
 * figure assumes demand comes exactly as forecast, so it reads 100% for nearly every plan.
 */
export function fillRateLine(k: PackData['kpis']): string {
  const target = KPI_TARGETS.fillRate;
  if (k.fillRate === null) return 'Fill rate: no plan run yet.';
  if (k.expectedFillRate === null)
    return `Planned fill rate ${pct(k.fillRate)} if demand comes as forecast (target ≥ ${pct(target)}: ${vs(atLeast(k.fillRate, target))}).`;
  const p10 =
    k.fillRateP10 === null
      ? ''
      : `, ${pct(k.fillRateP10)} in a bad case${!atLeast(k.fillRateP10, target) && atLeast(k.expectedFillRate, target) ? ' (below target)' : ''}`;
  return `Fill rate ${pct(k.expectedFillRate)} expected against the demand samples${p10}; ${pct(k.fillRate)} if demand comes as forecast (target ≥ ${pct(target)}: ${vs(atLeast(k.expectedFillRate, target))} expected).`;
}

/** ", over the 16 of 18 months the budget covers (2027-03–2028-06)", when it covers fewer. */
function partOf(budgeted: readonly string[], months: number): string {
  if (budgeted.length === 0 || budgeted.length >= months) return '';
  return `, over the ${budgeted.length} of ${months} months the budget covers (${periodSpan(budgeted)})`;
}

/**
 * Q9's line: the units the plan delivers (sells) against the budget's sales volume, and the
 * demand beside it when the plan does not deliver all of it.
 */
function longTermLine(lt: PackData['longTerm']): string {
  if (lt.budget === null)
    return `From ${lt.from} (beyond the slushy zone): no budget loaded for these months to set the plan against.`;
  const head = `From ${lt.from} (beyond the slushy zone): the plan delivers ${num(lt.delivered)} units vs budgeted sales of ${num(lt.budget)} (${pct(lt.gapPct, true)})${partOf(lt.budgeted, lt.months)}`;
  const short = lt.demand - lt.delivered;
  return short > 0.5
    ? `${head}; demand there is ${num(lt.demand)} units, ${num(short)} of which the plan does not deliver.`
    : `${head}.`;
}

/** What the plan's cash counts of the invoices and bills open when its first month began. */
const openingOf = (fi: PackData['finance']): OpeningAmounts => ({
  receivables: fi.openingReceivables,
  payables: fi.openingPayables,
  billsGap: fi.openingPayablesGap,
  ...(fi.openingPayablesEstimated ? { billsEstimated: true } : {}),
});

/**
 * Q4's cash: over the horizon, and against the budget where the budget ends. The gap is the
 * difference of the amounts as printed ($58M in a bad case vs budget $67.1M: −$9.1M), as the
 * trade-off sentences (Q6, the vote) and the cash chart write it.
 */
function cashLine(fi: PackData['finance']): string {
  // The sentence's amounts at one precision: "$85.7M expected, $80.0M in a bad case".
  const budgeted = fi.budgetCashFlow !== null && fi.cashP10VsBudget !== null;
  const [expected, bad, budget = '', gap = ''] = moneyAlike([
    money(fi.cashFlow ?? 0),
    money(fi.cashFlowP10 ?? 0),
    ...(fi.budgetCashFlow === null || fi.cashP10VsBudget === null
      ? []
      : [
          money(fi.budgetCashFlow),
          formatMoneyBetween(fi.budgetCashFlow + fi.cashP10VsBudget, fi.budgetCashFlow),
        ]),
  ]);
  // Not a bank balance: what it counts is said beside it, so the CFO does not read it as one.
  const head = `Cash generated over the horizon (${CASH_GENERATED_WORDS}) ${expected} expected, ${bad} in a bad case`;
  const first = fi.periods[0];
  if (!budgeted) {
    // A budget with no line for the plan's first month has no cash to compare (budgetCash).
    const from = fi.budgetPeriods[0];
    const late =
      fi.budget !== null && from !== undefined && first !== undefined && from !== first
        ? `; the budget starts in ${from}, after ${first}, so the cash is not set against it`
        : '';
    return `${head}${first ? `; ${openingLeftOut(first, openingOf(fi))}` : ''}${late}.`;
  }
  const vs = `budget ${budget} (${gap} in a bad case)`;
  const opening = first ? `; ${openingLeftOut(first, openingOf(fi), 'both')}` : '';
  return fi.budgetCashPeriod === null || fi.budgetCashPeriod === fi.periods.at(-1)
    ? `${head} vs ${vs}${opening}.`
    : `${head}; by ${fi.budgetCashPeriod}, the budget's last month, ${gap} in a bad case against budget ${budget}${opening}.`;
}

/**
 * Q4's peak working capital: expected and in a bad case (the P90: more cash tied up), and the
 * expected peak against the budget's over the months the budget covers: a budget that ends
 * before the horizon is set against the plan's peak up to its last month, as the cash is.
 */
function workingCapitalLine(fi: PackData['finance']): string {
  const w = {
    expected: fi.workingCapital,
    badCase: fi.workingCapitalP90,
    inBudget: fi.workingCapitalInBudget,
    badCaseInBudget: fi.workingCapitalInBudgetP90,
    vsBudget: fi.workingCapitalVsBudget,
  };
  // Expected and bad case at one precision: "$14.0M expected, $16.1M in a bad case".
  const [expected, badCase] = moneyAlike([
    money(w.expected ?? 0),
    ...(w.badCase === null ? [] : [money(w.badCase)]),
  ]);
  const bad = badCase === undefined ? '' : `, ${badCase} in a bad case`;
  const head = `Peak working capital (its highest month-end) ${expected} expected${bad}`;
  const end =
    fi.budgetCashPeriod !== null && fi.budgetCashPeriod !== fi.periods.at(-1)
      ? fi.budgetCashPeriod
      : null;
  const vsBudget = workingCapitalVsBudgetWords(w, end);
  return vsBudget === null ? `${head}.` : `${head}; ${vsBudget}.`;
}

/** Q4's revenue against the budget, over the months the budget covers. */
function revenueLine(fi: PackData['finance'], scenario: string): string {
  const head = `Revenue of the ${scenario} scenario at planned demand ${money(fi.revenue)}`;
  if (fi.budget === null)
    return `${head} vs budget n/a (no budget loaded), ${periodSpan(fi.periods)}.`;
  const budgeted = fi.budgetPeriods;
  // The revenue and its budget at one precision: "$13.6k vs budget $13.0k".
  if (budgeted.length >= fi.periods.length) {
    const [revenue, budget] = moneyAlike([money(fi.revenue), money(fi.budget)]);
    return `Revenue of the ${scenario} scenario at planned demand ${revenue} vs budget ${budget} (${pct(fi.gapPct, true)}), ${periodSpan(fi.periods)}.`;
  }
  const [inBudget, budget] = moneyAlike([money(fi.revenueInBudget), money(fi.budget)]);
  return `${head}, ${periodSpan(fi.periods)}; over the ${budgeted.length} months the budget covers (${periodSpan(budgeted)}): ${inBudget} vs budget ${budget} (${pct(fi.gapPct, true)}).`;
}

export interface PackSection {
  readonly n: number;
  readonly title: string;
  readonly lines: readonly string[];
}

export interface PackTextOptions {
  /**
   * Why a scenario has no plan, cut whole (`cutWhole`) to this many characters; the whole
   * message when absent (the file).
   */
  readonly messageChars?: number;
}

/** Q5's flagged adjustments of one family, author, reason and zone, over consecutive months. */
export interface FlaggedGroup {
  readonly family: string;
  readonly author: string;
  readonly reason: string;
  readonly zone: string;
  readonly periods: readonly string[];
}

/**
 * Q5's flagged adjustments, as they come (by family, then month), one entry per family,
 * author, reason and zone over consecutive months ("FAM-1 2027-05–2027-06 by Rita
 * (promotion)"), as question 1 groups the carried ones, rather than a line per month; a gap
 * between months starts another entry.
 */
export function flaggedGroups(flagged: PackData['risks']['flagged']): FlaggedGroup[] {
  const out: { family: string; author: string; reason: string; zone: string; periods: string[] }[] =
    [];
  const last = new Map<string, (typeof out)[number]>();
  for (const f of flagged) {
    const key = [f.family, f.author, f.reason, f.zone].join('\u0000');
    const g = last.get(key);
    const end = g?.periods.at(-1);
    if (g && end !== undefined && addMonths(end, 1) === f.period) {
      g.periods.push(f.period);
      continue;
    }
    const fresh = {
      family: f.family,
      author: f.author,
      reason: f.reason,
      zone: f.zone,
      periods: [f.period],
    };
    last.set(key, fresh);
    out.push(fresh);
  }
  return out;
}

/** Q6's line for a scenario without a plan: its status, and why, as the solver said. */
export function noPlanLine(
  x: { readonly label: string; readonly status: string; readonly message?: string | null },
  messageChars?: number,
): string {
  const why = x.message?.trim();
  if (!why) return `${x.label}: no plan (${x.status}).`;
  const text = messageChars === undefined ? why : cutWhole(why, messageChars);
  return `${x.label}: no plan (${x.status}). ${text}${/[.!?…]$/.test(text) ? '' : '.'}`;
}

/**
 * The ten answers as short lines of text (mrkdwn-friendly: `*bold*` is avoided). `people`
 * shows a person: by name where a line says what they did, by `ask` where it asks them to act
 * (in Slack a mention, which pings; in a file the name too).
 */
export function packSections(
  p: PackData,
  people: People = BY_ID,
  opts: PackTextOptions = {},
): PackSection[] {
  const who = people.name;
  const s: PackSection[] = [];
  const ch = p.changes;
  const left = new Set(p.ownersWhoLeft ?? []);
  // What changed and the counts of the actions question 10 lists, with or without plans to
  // compare: a cycle after one without a plan run still has actions to count.
  const loop = p.loop ? [...changedLines(p.loop, people), ...leftCount(p, left)] : [];
  s.push({
    n: 1,
    title: 'What has changed since last month?',
    lines: !p.previous
      ? ['First cycle: nothing to compare with.', ...loop]
      : p.runId === null
        ? [NO_RUN, ...loop]
        : ch.consensusBefore === null
          ? [`${p.previous.month} has no plan run to compare with.`, ...loop]
          : [
              `Consensus demand over ${ch.periods.length} common months: ${num(ch.consensusNow)} vs ${num(ch.consensusBefore)} in ${p.previous.month} (${pct(ratio(ch.consensusNow - ch.consensusBefore, ch.consensusBefore), true)}).`,
              capacityLine(ch.capacity),
              ch.movers.length
                ? `Biggest movers: ${ch.movers.map((m) => `${m.family} ${signedNum(m.delta)} (${pct(m.deltaPct, true)})`).join(', ')}.`
                : 'No family moved.',
              ...loop,
            ],
  });
  const k = p.kpis;
  // The review of the months since the last cycle, when there is one: with no lag-1 accuracy to
  // judge, its own lines say what there is to score of those months (by lag, or none yet, or no
  // actuals at all), where question 2 said "none" twice, in two wordings.
  const review = p.loop ? reviewLines(p.loop, people) : [];
  s.push({
    n: 2,
    title: 'How are we executing against performance metrics?',
    lines: [
      ...(k.accuracy !== null
        ? [
            `Lag-1 forecast accuracy ${pct(k.accuracy)} (target ≥ ${pct(KPI_TARGETS.accuracy)}: ${vs(atLeast(k.accuracy, KPI_TARGETS.accuracy))}), bias ${pct(k.bias, true)} (target within ±${pct(KPI_TARGETS.absBias)}: ${vs(atMost(Math.abs(k.bias ?? 0), KPI_TARGETS.absBias))}); ${num(k.pairs)} family-months of ${k.cycles.join(', ')}. ${BIAS_SIGN_CONVENTION.charAt(0).toUpperCase()}${BIAS_SIGN_CONVENTION.slice(1)}.`,
          ]
        : review.length > 0
          ? []
          : ['Forecast accuracy: no lag-1 forecast of an earlier cycle has its actual yet.']),
      ...review,
      fillRateLine(k),
      k.averageUtilisation === null
        ? 'Utilisation: no plan run yet.'
        : `Capacity utilisation ${pct(k.averageUtilisation)} on average, peak ${pct(k.peakUtilisation)} (target ≤ ${pct(KPI_TARGETS.averageUtilisation)} on average: ${vs(atMost(k.averageUtilisation, KPI_TARGETS.averageUtilisation))}).`,
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
          : ["No actuals yet against the last cycle's plan."],
  });
  const fi = p.finance;
  s.push({
    n: 4,
    title: 'Are we on plan financially?',
    lines: fi.periods.length
      ? [
          revenueLine(fi, p.scenario ?? 'central'),
          fi.margin === null
            ? 'Margin: no cost figure.'
            : `Margin at planned demand ${money(fi.margin)} over ${periodSpan(fi.periods)} (${pct(fi.marginPct)} of revenue): revenue less the plan's cash costs, plus the change in stock at cost; the model's penalties are not in it.`,
          ...(fi.expectedMargin === null
            ? []
            : [
                `Against uncertain demand, over the same months: expected margin ${money(fi.expectedMargin)}, ${money(fi.marginP10 ?? 0)} in a bad case.`,
                cashLine(fi),
                workingCapitalLine(fi),
              ]),
        ]
      : [NO_RUN],
  });
  const r = p.risks;
  s.push({
    n: 5,
    title: 'Which risks, known or new, must we consider?',
    lines: [
      ...r.constraints.map(
        (c) =>
          `${c.isNew ? 'NEW' : 'Known'} constraint: ${c.resource} ${c.period} (${c.reason}${c.comment ? `: ${c.comment}` : ''})${!c.isNew && c.enteredIn ? `, entered in ${c.enteredIn}'s cycle` : ''}.`,
      ),
      ...flaggedGroups(r.flagged).map(
        (f) =>
          `Flagged ${f.zone} adjustment: ${f.family} ${periodSpan(f.periods)} by ${who(f.author)} (${f.reason.replace(/_/g, ' ')}).`,
      ),
      ...(r.constraints.length + r.flagged.length === 0
        ? ['No open constraint and no flagged adjustment.']
        : []),
      ...p.decisions.scenarios
        .filter((x) => x.serviceAtRisk !== null)
        .map(
          (x) =>
            `Demand risk, ${x.label}: fill rate ${pct(x.serviceAtRisk)} ${BAD_CASE}; ${money(x.excessInventoryValue ?? 0)} of stock expected beyond cover or past its shelf life.`,
        ),
    ],
  });
  const d = p.decisions;
  s.push({
    n: 6,
    title: 'Which decisions must be made now, and which later?',
    lines: [
      d.decided
        ? sentence(
            `Decided: ${d.decided.scenario} scenario, ${decidedHow(d.decided.vote, who(d.decided.by))}. Rationale: “${d.decided.rationale.trim()}”`,
          )
        : `DECISION NEEDED NOW: adopt one scenario${d.poll ? ` (vote ${d.poll.id} is ${d.poll.status})` : ' (`/sop vote`)'}.`,
      ...d.scenarios.map((x) =>
        x.status !== 'optimal'
          ? noPlanLine(x, opts.messageChars)
          : (x.tradeOff ??
            `${x.label}: revenue ${money(x.revenue)}, fill rate ${pct(x.fillRate)}.`),
      ),
      ...(p.loop ? escalationLines(p.loop, people) : []),
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
            `${x.family} ${x.period}: ${x.reason} by ${who(x.author)} (${x.carried ? 'carried from an earlier cycle' : `${x.before === null ? '?' : num(x.before)} → ${x.after === null ? '?' : num(x.after)}`}).`,
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
      p.runId === null
        ? [NO_RUN]
        : lt.from === null
          ? ['The plan does not reach beyond the slushy zone.']
          : [
              longTermLine(lt),
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
    lines: [...(p.loop ? followLines(p.loop, true) : []), ...actionLines(p, people, left)],
  });
  return s;
}

/**
 * Q10's actions: first every open one whose owner left the workspace (ownerLeft), this cycle's
 * decision's then the other open ones, each saying where it comes from; then the decision's
 * others under its heading, then the other open ones, each list in its own order. The Slack
 * pack cuts a long question 10 at its end ("…and N more"), and an action nobody will do until
 * it is reassigned is the one the meeting must see, however many actions the decision set.
 */
function actionLines(p: PackData, people: People, left: ReadonlySet<string>): string[] {
  const who = people.ask;
  const decided = p.decisions.decided;
  const own = decided?.actions ?? [];
  const ownLeft = (a: (typeof own)[number]) => a.status === 'open' && left.has(a.owner);
  const openLine = (a: PackData['actions'][number]) =>
    sentence(
      `${a.overdue ? 'OVERDUE ' : ''}#${a.id} ${who(a.owner)} due ${a.due} (${actionOrigin(a, p.cycle.month, people.name)}): ${a.description}`,
    ) + ownerLeft(a, left, who);
  return [
    ...(decided
      ? own
          .filter(ownLeft)
          .map(
            (a) =>
              sentence(
                `#${a.id} ${who(a.owner)} due ${a.due} (set by this cycle's decision, ${decided.scenario} scenario): ${a.description}`,
              ) + ownerLeft(a, left, who),
          )
      : []),
    ...p.actions.filter((a) => left.has(a.owner)).map(openLine),
    ...decidedActionLines(
      decided,
      own.filter((a) => !ownLeft(a)),
      people,
    ),
    ...(p.actions.length
      ? p.actions.filter((a) => !left.has(a.owner)).map(openLine)
      : ['No open action from earlier cycles, S&OE or Slack messages.']),
  ];
}

/**
 * Where an open action of Q10 comes from: S&OE or a Slack message in this cycle, since the
 * last meeting, or an earlier cycle.
 */
function actionOrigin(
  a: PackData['actions'][number],
  month: string,
  who: (userId: string) => string,
): string {
  const since = a.cycle === month ? 'since the last meeting' : `from ${a.cycle}`;
  if (a.raisedBy !== undefined) return `made from a message by ${who(a.raisedBy)}, ${since}`;
  return a.soe ? 'S&OE, since the last meeting' : `from ${a.cycle}`;
}

/**
 * After an open action whose owner's account is deactivated (PackData.ownersWhoLeft), what to
 * do about it: nobody will do it, nor be reminded of it, until it has another owner.
 */
function ownerLeft(
  a: { readonly id: string; readonly owner: string },
  left: ReadonlySet<string>,
  who: (userId: string) => string,
): string {
  return left.has(a.owner)
    ? ` Owner ${who(a.owner)} has left the workspace: reassign with \`/sop actions reassign #${a.id} @person\`.`
    : '';
}

/**
 * Q1, after the counts of actions: how many of the open ones Q10 marks (ownerLeft) have an
 * owner who left the workspace: this meeting's decision's open actions and those from earlier
 * cycles, S&OE and Slack messages; nothing when none has.
 */
function leftCount(p: PackData, left: ReadonlySet<string>): string[] {
  const open = [
    ...(p.decisions.decided?.actions ?? []).filter((a) => a.status === 'open'),
    ...p.actions,
  ];
  const n = new Set(open.filter((a) => left.has(a.owner)).map((a) => a.id)).size;
  if (n === 0) return [];
  return [
    n === 1
      ? 'One open action has an owner who left the workspace: nobody will do it until it is reassigned (question 10).'
      : `${num(n)} open actions have owners who left the workspace: nobody will do them until they are reassigned (question 10).`,
  ];
}

/**
 * Q10's lines for this meeting's own decision: the follow-up actions it set, `rest` of them
 * (those listed first, whose owner left, are not), each with its owner and due date (and its
 * state once done or cancelled); or that it set none; nothing when all it set are listed first.
 */
function decidedActionLines(
  decided: PackData['decisions']['decided'],
  rest: NonNullable<PackData['decisions']['decided']>['actions'],
  people: People,
): string[] {
  if (!decided) return [];
  if (decided.actions.length === 0) return ["This cycle's decision set no follow-up actions."];
  if (rest.length === 0) return [];
  return [
    `Set by this cycle's decision (${decided.scenario}):`,
    ...rest.map((a) =>
      sub(
        sentence(
          // Asked while open; one done or cancelled only says whose it was.
          `#${a.id} ${(a.status === 'open' ? people.ask : people.name)(a.owner)} due ${a.due}${a.status === 'open' ? '' : ` (${a.status})`}: ${a.description}`,
        ),
      ),
    ),
  ];
}

/**
 * Q8's first lines: the families whose demand the central plan (the one the pack reads, named
 * by its label) does not meet, above
 * SHORTFALL_SHARE of their demand over the horizon, each with its units and its cause.
 */
export function shortfallLines(
  short: readonly FamilyShortfall[],
  scenario: string | null = 'central',
): string[] {
  if (short.length === 0) return [];
  return [
    `Demand the ${scenario ?? 'central'} plan does not meet (lost, or still on backlog at the end), for each family short by more than ${pct(SHORTFALL_SHARE)} of its demand over the horizon:`,
    ...short.map((x) => sub(shortfallLine(x))),
  ];
}

/** Load over regular capacity, as peak utilisation counts it: above 100% is overtime. */
const loadedAt = (utilisation: number): string =>
  `loaded at ${pct(utilisation)} of regular capacity`;

/**
 * Q8: the constraints worth most first (shadow prices), then the other overloads. The plan's
 * last month is flagged: no month after it takes its orders, so its price may overstate it.
 */
function criticalLines(p: PackData): string[] {
  if (p.runId === null) return [NO_RUN];
  const top = p.criticalConstraints ?? [];
  const listed = new Set(top.map((c) => `${c.resource}|${c.period}`));
  const ranked = top.map((c) => {
    const read = priceReading(c.shadowPriceKind, 'at most', c.shadowPrice);
    const notes = [
      ...(read.note ? [read.note] : []),
      ...(c.utilisation === null ? [] : [loadedAt(c.utilisation)]),
      ...(c.lastMonth ? [LAST_MONTH_NOTE] : []),
    ];
    return `${c.resource} ${c.period}: one more ${oneUnit(c.unit)} is worth ${read.bound}$${formatNumber(c.shadowPrice, 2)}${notes.length ? ` (${notes.join('; ')})` : ''}.`;
  });
  const others = p.overloads
    .filter((o) => !listed.has(`${o.resource}|${o.period}`))
    .slice(0, 8 - Math.min(ranked.length, 5))
    .map((o) => `${o.resource} ${o.period} ${loadedAt(o.utilisation)}.`);
  const short = shortfallLines(p.shortfalls ?? [], p.scenario);
  if (ranked.length + others.length === 0)
    return [...short, 'No resource loaded above 100% of regular capacity in the central scenario.'];
  return [
    ...short,
    ...(ranked.length
      ? ['Ranked by what one more unit of capacity is worth (shadow price):', ...ranked.map(sub)]
      : []),
    ...others,
  ];
}

/** Every person the pack names, to resolve them in one go. */
export function packPeople(p: PackData): string[] {
  return [
    ...new Set([
      ...p.risks.flagged.map((f) => f.author),
      ...(p.decisions.decided
        ? [p.decisions.decided.by, ...p.decisions.decided.actions.map((a) => a.owner)]
        : []),
      ...p.productDevelopment.map((x) => x.author),
      ...p.actions.flatMap((a) => [a.owner, ...(a.raisedBy !== undefined ? [a.raisedBy] : [])]),
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
    BAD_CASE_MEANING,
    '',
  ];
  const body = packSections(p, allBy(who)).flatMap((sec) => [
    `## ${sec.n}. ${sec.title}`,
    '',
    ...sec.lines.map((l) => bullet(l, 'markdown')),
    '',
  ]);
  return `${[...head, ...body].join('\n')}`;
}
