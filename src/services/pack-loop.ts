/**
 * The pack's lines that close the loop: the performance review (questions 2 and 3), what
 * changed since the last adopted plan (question 1) and the decisions' follow-through
 * (question 10). Pure: data in, lines of plain text out; presenters escape them for mrkdwn.
 */

import { earlyAndLate } from '../core/action-timing.js';
import {
  type BreakDisposition,
  breakOutcome,
  comesBack,
  deferredBy,
  OUTCOME_DONE,
} from '../core/break-disposition.js';
import { formatMoney, formatNumber, formatPercent, moneyAlike } from '../core/number-format.js';
import { periodSpan } from '../core/period.js';
import { FVA_LAG, type KpiSet, type LagScore } from '../core/review.js';
import { TRACKING_LIMIT, type TrackingSignals } from '../core/tracking-signal.js';
import { decidedHow } from '../core/vote.js';
import type { ActionStatus, FollowThrough, WhatChanged } from './follow-through.js';
import type { CycleReview } from './review.js';

export interface PackLoop {
  /** The reviews of the last cycles, oldest first; the last one is this cycle's. */
  readonly trend: readonly CycleReview[];
  readonly changed: WhatChanged;
  /** The lag-1 consensus forecasts' tracking signals over the last 12 months. */
  readonly tracking: TrackingSignals;
  readonly follow: FollowThrough | null;
  /** S&OE deviations since the last meeting that broke the frozen zone's assumptions. */
  readonly escalations: readonly {
    readonly summary: string;
    readonly owner: string | null;
    readonly due: string | null;
    /** Its S&OE action (null: none). */
    readonly actionId?: string | null;
    /** Its action's state on the pack's day (null without an action). */
    readonly state: ActionStatus['state'] | null;
    /** Deferred to this meeting by an earlier one. */
    readonly carried?: boolean;
    /** The cycles of the meetings that deferred it, oldest first, and the last note written. */
    readonly deferredIn?: readonly string[];
    /** Those of `deferredIn` whose decision chose nothing for it. */
    readonly undecidedIn?: readonly string[];
    readonly deferNote?: string | null;
    /**
     * What this cycle's decision disposed of it (absent: no decision yet); `chosen` false: the
     * decision chose nothing for it (typed `/sop decide`).
     */
    readonly decided?: {
      readonly disposition: BreakDisposition;
      readonly note: string | null;
      readonly chosen: boolean;
    } | null;
  }[];
}

/*
 * The pack's and the review's figures, one form each: the typographic minus the charts and
 * the vote use ("−1.6%", "−$80"), money always with its currency sign and compact as in the
 * charts ("$77.4M"), units (counts, hours) as plain grouped numbers. A value that rounds to
 * zero has no sign. No workspace setting names a currency: money is in dollars, as in the
 * charts and the vote.
 */

/** Units: 1234.5 → "1,235", −2116 → "−2,116". */
export const num = (n: number): string => formatNumber(n);
/** 0.0123 → "1.2%" ("+1.2%" when signed), −0.124 → "−12.4%"; null → "n/a". */
export const pct = (x: number | null, signed = false): string =>
  x === null ? 'n/a' : formatPercent(x, 1, signed);
/** Units with their sign: "+1,560", "−2,116", and "0" for what rounds to zero. */
export const signedNum = (n: number): string => `${Math.round(n) > 0 ? '+' : ''}${num(n)}`;
/** Money: 77_420_073 → "$77.4M"; `signed` for differences: "+$512k", "−$9.6M", "$0". */
export const money = (n: number, signed = false): string => formatMoney(n, '$', signed);
const ratio = (a: number, b: number) => (b !== 0 ? a / b : null);
/**
 * `s` ending with one full stop: none added after one it has (a quoted rationale or an action
 * description typed with its own), so a line never ends "..".
 */
export const sentence = (s: string): string =>
  /[.!?…]["”’)]*$/.test(s.trimEnd()) ? s.trimEnd() : `${s.trimEnd()}.`;

/**
 * A sub-point of the line before it (the review's figures under "Review of …:", the ranked
 * constraints under their heading): `sub(text)` marks it, and `bullet` writes both levels, so
 * every question's list looks alike. Lines are built here, never from typed text at their
 * start, so the mark cannot be typed.
 */
const SUB = '\t';
export const sub = (text: string): string => `${SUB}${text}`;

/**
 * One line as a list item: "- text" and "  - sub-point" in Markdown; in Slack's mrkdwn, which
 * has no nested lists, "• text" and an indented "◦ sub-point". `text` maps the line's text
 * (the Slack presenters escape it there). A line break typed in a comment, a rationale or an
 * action becomes a space: the item stays one line, and what follows the break cannot start a
 * heading ("## 11. All clear") or an item of its own in the pack.
 */
export function bullet(
  line: string,
  style: 'markdown' | 'slack',
  text: (t: string) => string = (t) => t,
): string {
  const nested = line.startsWith(SUB);
  const t = text((nested ? line.slice(SUB.length) : line).replace(/\s*[\r\n]\s*/g, ' '));
  if (style === 'markdown') return `${nested ? '  - ' : '- '}${t}`;
  return `${nested ? '\u2003◦ ' : '• '}${t}`;
}

/** How a line shows a member. */
export type Who = (userId: string) => string;
export const mention: Who = (id) => `<@${id}>`;

/**
 * How the lines show members. A line that says who did something (who adjusted a forecast,
 * who recorded a decision) shows them by `name`; only a line that asks someone to act now (the
 * owner of an open action in question 10) shows them by `ask`. In Slack a name is plain text
 * and an ask a mention (`<@U…>` pings): the pack and the review ping nobody for what they
 * did. In a file both are the name.
 */
export interface People {
  readonly name: Who;
  readonly ask: Who;
}

/** Both by the same function (a file: names; Slack renders no mention there). */
export const allBy = (who: Who): People => ({ name: who, ask: who });

/** Names as the user ids, asks as mentions: the presenters' default when no name is known. */
export const BY_ID: People = { name: (id) => id, ask: mention };

/**
 * The members `write` shows by name: the names to read (once, together) before writing the
 * same lines for Slack, and no others.
 */
export function namesUsed(write: (people: People) => unknown): string[] {
  const ids = new Set<string>();
  write({
    name: (id) => {
      ids.add(id);
      return id;
    },
    ask: mention,
  });
  return [...ids];
}

/**
 * The members the loop's lines name: plain text (what people typed included), which the
 * presenters escape, making live again only the mentions they put there (`People.ask`).
 */
export function loopPeople(l: PackLoop): string[] {
  return [
    ...l.changed.decisions.map((d) => d.by),
    ...l.changed.carried.map((g) => g.author),
    ...l.escalations.flatMap((e) => (e.owner ? [e.owner] : [])),
    ...l.trend.flatMap((r) => Object.keys(r.review.fva.byPerson)),
  ];
}

const MAX_FAMILIES = 5;

function lagLine(lag: string, s: LagScore | undefined): string | null {
  if (!s || s.pairs === 0 || s.consensusAccuracy === null) return null;
  return `lag ${lag}: consensus ${pct(s.consensusAccuracy)} (bias ${pct(s.consensusBias, true)}) vs baseline ${pct(s.baselineAccuracy)} (bias ${pct(s.baselineBias, true)}), ${num(s.pairs)} family-months`;
}

/** Question 1: the lines added after the consensus and capacity comparison. */
export function changedLines(l: PackLoop, people: People = BY_ID): string[] {
  const c = l.changed;
  const out: string[] = [];
  if (c.previous && c.figures.length) {
    const figs = c.figures
      .filter((f) => f.before !== null && f.now !== null)
      .map((f) => {
        if (f.name.includes('rate')) return `${f.name} ${pct(f.now)} vs ${pct(f.before)}`;
        const [now, before] = [f.now as number, f.before as number];
        const v = f.money ? money : num;
        return `${f.name} ${v(now)} vs ${v(before)} (${pct(ratio(now - before, before), true)})`;
      });
    out.push(
      `Against cycle ${c.previous.month}'s ${c.previous.adopted ? 'adopted' : 'latest'} ${c.previous.scenario} plan over ${periodSpan(c.periods)}: ${figs.join(', ')}.`,
    );
  }
  const k = c.constraints;
  const list = (xs: typeof k.added) =>
    xs
      .slice(0, 4)
      .map((x) => `${x.resource} ${x.period} (${x.reason.replace(/_/g, ' ')})`)
      .join(', ');
  out.push(
    `Constraints: ${num(k.added.length)} new${k.added.length ? ` (${list(k.added)})` : ''}, ${num(k.resolved.length)} resolved${k.resolved.length ? ` (${list(k.resolved)})` : ''}, ${num(k.stillOpen)} still open from earlier cycles.`,
  );
  const carriedLine = carriedAdjustmentsLine(c, people.name);
  if (carriedLine) out.push(carriedLine);
  // The decision in force, naming the one it superseded: a superseded decision is not what
  // the cycle decided.
  const superseded = new Map(
    c.decisions.flatMap((d) => (d.supersedes ? [[d.supersedes, d.id] as const] : [])),
  );
  for (const d of c.decisions) {
    if (superseded.has(d.id)) continue;
    const earlier = d.supersedes ? c.decisions.find((x) => x.id === d.supersedes) : undefined;
    out.push(
      sentence(
        `${c.previous?.month ?? 'Last cycle'} decided: ${d.scenario}${earlier ? ` (superseding its decision for ${earlier.scenario})` : ''}, ${decidedHow(d.vote, people.name(d.by))}. Rationale: “${d.rationale}”`,
      ),
    );
  }
  const counts = (xs: readonly ActionStatus[]) => actionCounts(xs, true);
  if (c.actions.length) out.push(`Actions of earlier cycles: ${counts(c.actions)}.`);
  // S&OE files its actions under the latest cycle: those raised since the last meeting are
  // this cycle's, and no earlier cycle's count holds them.
  if (c.soeActions?.length)
    out.push(`Actions S&OE raised since the last meeting: ${counts(c.soeActions)}.`);
  if (c.messageActions?.length)
    out.push(
      `Actions made from Slack messages since the last meeting: ${counts(c.messageActions)}.`,
    );
  return out;
}

const STATES: readonly ActionStatus['state'][] = ['done', 'overdue', 'open', 'dropped'];

/**
 * "1 done (1 early), 5 overdue, 0 open, 0 dropped": actions by state, as question 1 counts
 * them; without `all`, only the states some action is in ("1 done (1 early), 5 overdue").
 */
function actionCounts(xs: readonly ActionStatus[], all: boolean): string {
  return STATES.flatMap((s) => {
    const n = xs.filter((a) => a.state === s).length;
    if (n === 0 && !all) return [];
    return [`${num(n)} ${s}${s === 'done' ? doneSplit(xs) : ''}`];
  }).join(', ');
}

/**
 * " (2 early, 1 late)": the done actions finished before and after their due date, in days of
 * the company's zone; '' when all were done on it (or none is done).
 */
function doneSplit(actions: readonly ActionStatus[]): string {
  const { early, late } = earlyAndLate(actions);
  return splitOf(early, late);
}

const splitOf = (early: number, late: number): string => {
  const parts = [...(early ? [`${num(early)} early`] : []), ...(late ? [`${num(late)} late`] : [])];
  return parts.length ? ` (${parts.join(', ')})` : '';
};

/**
 * "Forecast adjustments carried into this cycle for months still ahead: 6 (FAM-1
 * 2027-05–2027-07 promotion, entered in 2027-01 by Rita; …); each counts until its author
 * adjusts that month again." Each says the cycle it was entered in, which may be older than
 * the previous one: an adjustment carries on from cycle to cycle.
 */
export function carriedAdjustmentsLine(c: WhatChanged, who: Who): string | null {
  const n = c.carried.reduce((s, g) => s + g.periods.length, 0);
  if (n === 0) return null;
  const shown = c.carried.slice(0, 4).map((g) => {
    return `${g.family} ${periodSpan(g.periods)} ${g.reason.replace(/_/g, ' ')}, entered in ${g.enteredIn ?? 'an earlier cycle'} by ${who(g.author)}`;
  });
  const more = c.carried.length - shown.length;
  return `Forecast adjustments carried into this cycle for months still ahead: ${num(n)} (${shown.join('; ')}${more > 0 ? `; …and ${more} more` : ''}); each counts until its author adjusts that month again.`;
}

function fvaLine(r: CycleReview, who: Who): string | null {
  const f = r.review.fva;
  if (f.matched === 0) return null;
  const step = (name: string) => f.steps.find((s) => s.step === name)?.fva ?? 0;
  const people = Object.entries(f.byPerson)
    .sort((a, b) => b[1].fva - a[1].fva)
    .slice(0, 3)
    .map(([p, v]) => `${who(p)} ${signedNum(v.fva)}`);
  const why = Object.entries(f.byReason)
    .sort((a, b) => b[1].fva - a[1].fva)
    .slice(0, 3)
    .map(([p, v]) => `${p.replace(/_/g, ' ')} ${signedNum(v.fva)}`);
  return `Forecast value added (FVA) at lag ${FVA_LAG}, in units of error removed (+ = the step helped): statistical vs naive ${signedNum(step('statistical'))}, people's adjustments ${signedNum(step('adjustments'))}, consensus rules ${signedNum(step('consensus'))}${people.length ? `; by person ${people.join(', ')}` : ''}${why.length ? `; by reason ${why.join(', ')}` : ''}.`;
}

/**
 * `plan`: what the stock is set against ("the adopted scenario", "cycle 2027-01's latest
 * Central plan"). The backlog is summed over families, whose units differ: "units", as the review's
 * other totals of quantities say.
 */
function stockLines(t: KpiSet, plan: string): string[] {
  const out: string[] = [];
  const parts: string[] = [];
  if (t.turns !== null) parts.push(`turns ${t.turns.toFixed(1)} a year`);
  if (t.coverMonths !== null)
    parts.push(
      `cover ${t.coverMonths.toFixed(1)} months${t.targetCoverMonths === null ? '' : ` vs ${t.targetCoverMonths.toFixed(1)} planned`}`,
    );
  if (t.backlog !== null)
    parts.push(
      `backlog ${num(t.backlog)} units${t.plannedBacklog === null ? '' : ` vs ${num(t.plannedBacklog)} planned`}`,
    );
  parts.push(`obsolete stock ${money(t.obsoleteValue)}`);
  out.push(`Stock: ${parts.join(', ')}.`);
  if (t.stockValue !== null && t.plannedStockValue !== null) {
    // Each pair at one precision: "$2.0M vs $1.9M".
    const [stock, plannedStock] = moneyAlike([money(t.stockValue), money(t.plannedStockValue)]);
    const [cash, plannedCash] = moneyAlike([
      money(t.cash),
      ...(t.plannedCash === null ? [] : [money(t.plannedCash)]),
    ]);
    out.push(
      `Working capital in stock ${stock} vs ${plannedStock} in ${plan} (${pct(ratio(t.stockValue - t.plannedStockValue, t.plannedStockValue), true)}); revenue less production at cost ${cash}${plannedCash === undefined ? '' : ` vs ${plannedCash}`}.`,
    );
  }
  return out;
}

/**
 * Question 2: the review's totals, headed by the months reviewed and the plan they are set
 * against, named by its cycle ("Review of 2027-02 against cycle 2027-02's adopted Central
 * plan"): every bare month in the lines is one of actuals.
 */
export function reviewLines(l: PackLoop, people: People = BY_ID): string[] {
  const r = l.trend.at(-1);
  if (!r) return [];
  const t = r.review.total;
  const head = `Review of ${periodSpan(r.review.periods)}${r.reference ? ` against cycle ${r.reference.month}'s ${r.reference.adopted ? 'adopted' : 'latest'} ${r.reference.label} plan` : ''}:`;
  const hasActuals = t.salesUnits > 0 || t.actualProduction > 0 || t.orderLines > 0;
  if (!hasActuals)
    return [
      `${head} no actuals yet; import sales, production, inventory and orders (\`sopbot import\`).`,
    ];
  const lags = Object.entries(t.byLag).flatMap(([lag, s]) => {
    const x = lagLine(lag, s);
    return x ? [x] : [];
  });
  return [
    head,
    ...[
      lags.length
        ? `Forecast accuracy by lag (1 − WMAPE; bias + = over-forecast): ${lags.join('; ')}.`
        : 'Forecast accuracy: no lag-1 or lag-3 forecast of these months can be scored against actuals yet.',
      ...[fvaLine(r, people.name)].filter((x): x is string => x !== null),
      t.adherence === null
        ? 'Plan adherence: no production actuals against the plan yet.'
        : `Plan adherence ${pct(t.adherence)}: produced ${num(t.actualProduction)} units vs ${num(t.plannedProduction)} planned.`,
      t.orderLines === 0
        ? 'Service: no order lines due in these months (import orders).'
        : `Service: fill rate ${pct(t.fillRate)}, OTIF ${pct(t.otif)} over ${num(t.orderLines)} order lines.`,
      ...stockLines(
        t,
        r.reference && !r.reference.adopted
          ? `cycle ${r.reference.month}'s latest ${r.reference.label} plan, as none was adopted`
          : 'the adopted scenario',
      ),
    ].map(sub),
  ];
}

/**
 * Question 3: the families furthest from the plan, with their KPIs. A family that sold
 * nothing against a plan is −100%; one that sold against no plan at all (a plan of 0, or no
 * plan line while other families have one) is the largest miss there is, written "(no plan)",
 * and never counted among those "within ±x% of plan".
 */
export function familyLines(l: PackLoop): string[] {
  const r = l.trend.at(-1);
  if (!r) return [];
  // No sales imported for these months: nothing to set against the plan yet.
  const sold = r.review.total.salesUnits > 0;
  const planned = r.review.total.plannedDemand !== null;
  const rows = Object.entries(r.review.byFamily)
    .filter(([, k]) => sold && ((k.plannedDemand ?? 0) > 0 || (planned && k.salesUnits > 0)))
    .map(([f, k]) => {
      const plan = k.plannedDemand ?? 0;
      // null: sold with nothing planned, a deviation no percentage measures.
      return { f, k, d: plan > 0 ? (k.salesUnits - plan) / plan : null };
    })
    // Unplanned sales first (the larger first), then the largest deviation either way.
    .sort((a, b) =>
      a.d === null || b.d === null
        ? (a.d === null ? 0 : 1) - (b.d === null ? 0 : 1) || b.k.salesUnits - a.k.salesUnits
        : Math.abs(b.d) - Math.abs(a.d),
    );
  const shown = rows.slice(0, MAX_FAMILIES).map(({ f, k, d }) => {
    const acc = k.byLag['1']?.consensusAccuracy ?? null;
    return `${f}: sold ${num(k.salesUnits)} vs ${num(k.plannedDemand ?? 0)} planned (${d === null ? 'no plan' : pct(d, true)})${acc === null ? '' : `, lag-1 accuracy ${pct(acc)}`}${k.adherence === null ? '' : `, adherence ${pct(k.adherence)}`}${k.fillRate === null ? '' : `, fill rate ${pct(k.fillRate)}, OTIF ${pct(k.otif)}`}.`;
  });
  const rest = rows.slice(MAX_FAMILIES);
  const unplanned = rest.filter((x) => x.d === null);
  const within = rest.flatMap((x) => (x.d === null ? [] : [Math.abs(x.d)]));
  const families = (n: number) => `${num(n)} other ${n === 1 ? 'family' : 'families'}`;
  if (unplanned.length) {
    const named = unplanned.slice(0, MAX_FAMILIES).map((x) => x.f);
    const more = unplanned.length - named.length;
    shown.push(
      `${families(unplanned.length)} sold with no plan: ${named.join(', ')}${more > 0 ? `, …and ${more} more` : ''}.`,
    );
  }
  // The bound rounded up to the 0.1% written, so the family at it is within it (3.44% → 3.5%).
  if (within.length)
    shown.push(
      `${families(within.length)} within ±${pct(Math.ceil(Math.max(...within) * 1000 - 1e-9) / 1000)} of plan.`,
    );
  const tracking = trackingLine(l.tracking);
  return tracking ? [...shown, tracking] : shown;
}

/**
 * "Tracking signal outside ±4 (lag-1 consensus, last 12 months): FAM-7 +6.0 over 6 months
 * (under-forecast); …", or that every judged family is within; null when none could be judged.
 */
export function trackingLine(t: TrackingSignals): string | null {
  if (t.judged === 0) return null;
  const head = `Tracking signal (lag-1 consensus, Σ(actual − forecast) / MAD over up to 12 months)`;
  if (t.outside.length === 0)
    return `${head}: all ${num(t.judged)} families with 5 months or more within ±${TRACKING_LIMIT}.`;
  const shown = t.outside
    .slice(0, MAX_FAMILIES)
    .map(
      (x) =>
        `${x.family} ${x.signal > 0 ? '+' : '−'}${Math.abs(x.signal).toFixed(1)} over ${x.months} months (${x.signal > 0 ? 'under' : 'over'}-forecast)`,
    );
  const more = t.outside.length - shown.length;
  return `${head} outside ±${TRACKING_LIMIT}, to investigate: ${shown.join('; ')}${more > 0 ? `; …and ${more} more` : ''}.`;
}

/**
 * Question 10: follow-through of the last decision, before the open actions. `listedBelow`:
 * the open actions follow (the pack's question 10; the review lists none).
 */
export function followLines(l: PackLoop, listedBelow = false): string[] {
  const f = l.follow;
  if (!f) return [];
  const out: string[] = [];
  // One heading for the decision's assumptions, each a sub-point, rather than the scenario,
  // month and period repeated on every line.
  if (f.scenario && f.assumptions.length)
    out.push(
      `${f.scenario} (${f.month}) assumed, for ${periodSpan(f.periods)}, against what happened:`,
      ...f.assumptions.map((a) => {
        // Money at one precision across the line: "$1.9M assumed; actual $2.0M".
        const [assumed, actual, gap] = a.money
          ? moneyAlike([money(a.assumed), money(a.actual), money(a.actual - a.assumed, true)])
          : [num(a.assumed), num(a.actual), signedNum(a.actual - a.assumed)];
        const what = `${a.what.charAt(0).toUpperCase()}${a.what.slice(1)}`;
        return sub(
          `${what} ${assumed} assumed; actual ${actual} (${a.deltaPct === null ? `${gap} vs plan` : pct(a.deltaPct, true)}).`,
        );
      }),
    );
  out.push(
    l.changed.decisions.length === 0
      ? `Action completion rate: ${l.changed.previous ? `${l.changed.previous.month} recorded no decision` : 'no earlier decision to follow through'}.`
      : f.actionsSet === 0
        ? noActionsSet(l.changed, listedBelow)
        : f.completionRate === null
          ? 'Action completion rate: no action due yet.'
          : `Action completion rate ${pct(f.completionRate)}: ${num(f.actionsDone)} done${splitOf(f.actionsDoneEarly, f.actionsDoneLate)} of ${num(f.actionsDue)} due by today or done early.`,
  );
  return out;
}

/**
 * The completion rate's line when the last decision set no actions: it measures only that
 * decision's actions, so it has no figure; what became of the earlier cycles' actions is said
 * beside it, with question 1's counts, so "set no actions" never reads as nothing to follow
 * up: "Action completion rate: 2027-02's decision set no actions; of the actions of earlier
 * cycles, 1 done (1 early), 5 overdue (the open ones are listed below)."
 */
function noActionsSet(c: WhatChanged, listedBelow: boolean): string {
  const decision = c.previous ? `${c.previous.month}'s decision` : 'the last decision';
  if (c.actions.length === 0) return `Action completion rate: ${decision} set no actions.`;
  const open = c.actions.some((a) => a.state === 'open' || a.state === 'overdue');
  return `Action completion rate: ${decision} set no actions; of the actions of earlier cycles, ${actionCounts(c.actions, false)}${listedBelow && open ? ' (the open ones are listed below)' : ''}.`;
}

/**
 * Question 6: what weekly S&OE escalated to this meeting: "DECIDE" while the meeting has not
 * disposed of it, then what it decided (an exception granted, the plan held, deferred), or
 * "UNDECIDED" when its decision chose nothing for it (typed `/sop decide`). Each line ends with
 * its owner and its S&OE action's state; a break that comes back to the next meeting (deferred
 * or not decided) names the action instead of its due date, so the date does not read as the
 * meeting's: the owner's action to handle the deviation is question 10's, where it stays.
 */
export function escalationLines(l: PackLoop, people: People = BY_ID): string[] {
  return l.escalations.map((e) => {
    // Named: its action, while open, is question 10's to ask of its owner.
    const outcome = e.decided ? breakOutcome(e.decided) : null;
    const state = e.state ?? 'open';
    const owner = !e.owner
      ? ''
      : outcome && comesBack(outcome)
        ? `; owner ${people.name(e.owner)}, S&OE action${e.actionId ? ` #${e.actionId}` : ''} ${state}${state === 'done' ? '' : ' (question 10)'}`
        : `; owner ${people.name(e.owner)}, due ${e.due}, ${state}`;
    const carried = e.carried
      ? ` (${deferredBy(e.deferredIn ?? [], e.deferNote ?? null, undefined, e.undecidedIn)})`
      : '';
    if (e.decided && outcome)
      return sentence(
        `${outcome === 'undecided' ? 'UNDECIDED' : 'DECIDED'}: escalated from S&OE (breaks the frozen plan)${carried}: ${e.summary}: ${OUTCOME_DONE[outcome]}${e.decided.note ? ` (“${e.decided.note.trim()}”)` : ''}${owner}`,
      );
    return sentence(
      `DECIDE: escalated from S&OE (breaks the frozen plan)${carried}: ${e.summary}${owner}`,
    );
  });
}
