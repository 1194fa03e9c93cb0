/**
 * What changed since the last adopted plan, and what its decision became (the pack's
 * questions 1 and 10, the review's follow-through):
 *
 * - the previous cycle's adopted scenario against this cycle's central, over the months both
 *   cover: demand, production and revenue, and the planned fill rate;
 * - constraints opened this cycle, resolved since the previous cycle closed, still open;
 * - forecast adjustments carried into this cycle from the previous one (src/services/carry-over.ts);
 * - the previous cycle's decisions, and each earlier action: done, overdue, open or dropped;
 * - the decision's assumptions against what happened over the reviewed months ("Central
 *   assumed revenue 236M; actual 221M (−6%)"), from the performance review;
 * - the action completion rate of the last decision (the previous cycle's decisions' actions):
 *   actions done / actions due by today (dropped ones left out).
 */

import type { Db } from '../../db/connect.js';
import { carriedInto } from '../../db/queries/adjustments.js';
import { decisionVoteCounts } from '../../db/queries/decisions.js';
import {
  actionsBefore,
  constraintChanges,
  decisionsOf,
  messageActionsOf,
  soeActionsOf,
} from '../../db/queries/follow-through.js';
import { familyResults } from '../../db/queries/plan-results.js';
import { referenceScenario } from '../../db/queries/review.js';
import type { CycleRow } from '../../db/schema.js';
import { earlyAndLate, isOverdue } from '../core/action-timing.js';
import { localDate } from '../core/calendar.js';
import { type Period, periodSpan } from '../core/period.js';
import { type DecisionVote, outOfDateVote } from '../core/vote.js';
import { constraintGroups } from './constraints.js';
import type { CycleReview } from './review.js';

type ConstraintChangeRow = Awaited<ReturnType<typeof constraintChanges>>['added'][number];

export interface FigureChange {
  readonly name: string;
  readonly before: number | null;
  readonly now: number | null;
  /** An amount of money: written with its currency sign. */
  readonly money?: boolean;
}

export interface ActionStatus {
  readonly id: string;
  /** The decision that set it; null for one raised by weekly S&OE or from a message. */
  readonly decisionId: string | null;
  /** Who made it from a Slack message ("Make an S&OP action"); absent for any other action. */
  readonly raisedBy?: string;
  readonly cycle: Period;
  readonly owner: string;
  readonly due: string;
  readonly description: string;
  readonly state: 'done' | 'overdue' | 'open' | 'dropped';
  /** The company's local date it was done on; null unless it is done. */
  readonly doneOn: string | null;
}

export interface WhatChanged {
  readonly previous: {
    readonly month: Period;
    readonly scenario: string;
    readonly adopted: boolean;
  } | null;
  /** Over the months both plans cover. */
  readonly periods: readonly Period[];
  readonly figures: readonly FigureChange[];
  /**
   * By constraint (the months of one request, `constraintGroups`): `period` is its months
   * ("2027-03–2027-06"), `stillOpen` how many constraints of earlier cycles are still open.
   */
  readonly constraints: {
    readonly added: readonly { resource: string; period: string; reason: string }[];
    readonly resolved: readonly { resource: string; period: string; reason: string }[];
    readonly stillOpen: number;
  };
  /**
   * The previous cycle's decisions, oldest first: the last decision, and any it superseded
   * (whose actions it still counts in the completion rate).
   */
  readonly decisions: readonly {
    id: string;
    scenario: string;
    rationale: string;
    by: string;
    /** The executives' vote it was taken on; null when it was recorded without one. */
    vote: DecisionVote | null;
    /** The earlier decision this one superseded (null: none). */
    supersedes?: string | null;
  }[];
  /** Every action of the cycles before this one (S&OE deviations' included). */
  readonly actions: readonly ActionStatus[];
  /**
   * The actions weekly S&OE raised in this cycle, since the last meeting, a frozen-zone
   * break's included (question 6 disposes of the break; its owner's action stays open work).
   */
  readonly soeActions?: readonly ActionStatus[];
  /** The actions made from a Slack message in this cycle, since the last meeting. */
  readonly messageActions?: readonly ActionStatus[];
  /** Adjustments carried into this cycle, one entry per family, author and reason. */
  readonly carried: readonly CarriedGroup[];
}

/**
 * What an action is on `today` (the company's date), in the words the pack and the review use:
 * done, dropped (cancelled), overdue (open past its due date) or open.
 */
export function actionState(
  a: { readonly status: string | null; readonly due_date: string | null },
  today: string,
): ActionStatus['state'] {
  if (a.status === 'done') return 'done';
  if (a.status === 'cancelled') return 'dropped';
  return isOverdue({ status: 'open', due_date: a.due_date }, today) ? 'overdue' : 'open';
}

/** One entry per constraint: its resource, its months ("2027-03–2027-06") and reason. */
function constraintLines(
  rows: readonly ConstraintChangeRow[],
): WhatChanged['constraints']['added'] {
  return constraintGroups(rows).map(({ first, months }) => ({
    resource: first.resource,
    period: periodSpan(months),
    reason: first.reason,
  }));
}

/** Each decision's vote, by decision id; a decision recorded without a vote is absent. */
export async function decisionVotes(
  db: Db,
  decisionIds: readonly string[],
): Promise<Map<string, DecisionVote>> {
  const out = new Map<string, DecisionVote>();
  for (const r of await decisionVoteCounts(db, decisionIds)) {
    const v = out.get(r.decision_id) ?? {
      forIt: 0,
      total: 0,
      topOther: 0,
      closedByDecision: r.close_reason === 'decided',
      outOfDate: outOfDateVote(r.poll_id, r.voted_run, r.adopted_run),
    };
    const mine = r.voted === r.adopted;
    out.set(r.decision_id, {
      ...v,
      forIt: v.forIt + (mine ? r.votes : 0),
      total: v.total + r.votes,
      topOther: mine || r.voted === null ? v.topOther : Math.max(v.topOther, r.votes),
    });
  }
  return out;
}

export interface CarriedGroup {
  readonly family: string;
  readonly author: string;
  readonly reason: string;
  /** The months, in order. */
  readonly periods: readonly Period[];
  /** The month of the cycle its author entered it in (null: not known). */
  readonly enteredIn: Period | null;
}

/** Carried rows grouped by family, author, reason and the cycle entered in, as they come. */
export function groupCarried(
  rows: readonly {
    code: string;
    period: string;
    author: string;
    reason_code: string;
    entered_in: string | null;
  }[],
): CarriedGroup[] {
  const groups = new Map<
    string,
    { family: string; author: string; reason: string; periods: Period[]; enteredIn: Period | null }
  >();
  for (const r of rows) {
    const key = [r.code, r.author, r.reason_code, r.entered_in ?? ''].join('\u0000');
    const g = groups.get(key) ?? {
      family: r.code,
      author: r.author,
      reason: r.reason_code,
      periods: [],
      enteredIn: r.entered_in,
    };
    g.periods.push(r.period);
    groups.set(key, g);
  }
  return [...groups.values()];
}

export interface Assumption {
  readonly what: string;
  readonly assumed: number;
  readonly actual: number;
  /** (actual − assumed) / assumed; null unless the assumption is above zero. */
  readonly deltaPct: number | null;
  /** An amount of money: written with its currency sign. */
  readonly money?: boolean;
}

export interface FollowThrough {
  readonly scenario: string | null;
  readonly month: Period | null;
  readonly periods: readonly Period[];
  readonly assumptions: readonly Assumption[];
  /** How many actions the last decision set (dropped ones included). */
  readonly actionsSet: number;
  readonly actionsDue: number;
  readonly actionsDone: number;
  /** Of those done: before their due date, and after it (calendar days of the company's zone). */
  readonly actionsDoneEarly: number;
  readonly actionsDoneLate: number;
  readonly completionRate: number | null;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const ratio = (a: number, b: number) => (b !== 0 ? a / b : null);

export async function whatChanged(
  db: Db,
  cycle: CycleRow,
  previous: CycleRow | null,
  today: string,
  zone: string,
): Promise<WhatChanged> {
  const prevRef = previous ? await referenceScenario(db, previous) : null;
  const nowRef = await referenceScenario(db, { id: cycle.id, adopted_scenario_id: null });
  const [before, now] = await Promise.all([
    prevRef ? familyResults(db, prevRef.scenario.id) : Promise.resolve([]),
    nowRef ? familyResults(db, nowRef.scenario.id) : Promise.resolve([]),
  ]);
  const beforePeriods = new Set(before.map((r) => r.period));
  const common = [...new Set(now.map((r) => r.period))].filter((p) => beforePeriods.has(p)).sort();
  const inCommon = new Set(common);
  const total = (rows: typeof now, f: (r: (typeof now)[number]) => number) =>
    sum(rows.filter((r) => inCommon.has(r.period)).map(f));
  const fill = (k: Record<string, number | null> | undefined) =>
    typeof k?.fillRate === 'number' ? k.fillRate : null;
  const figures: FigureChange[] =
    prevRef && nowRef
      ? [
          {
            name: 'demand',
            before: total(before, (r) => r.demand),
            now: total(now, (r) => r.demand),
          },
          {
            name: 'production',
            before: total(before, (r) => r.production),
            now: total(now, (r) => r.production),
          },
          {
            name: 'revenue',
            before: total(before, (r) => r.revenue),
            now: total(now, (r) => r.revenue),
            money: true,
          },
          {
            name: 'planned fill rate',
            before: fill(prevRef.scenario.kpis),
            now: fill(nowRef.scenario.kpis),
          },
        ]
      : [];
  const since = previous?.closed_at ?? previous?.opened_at ?? cycle.opened_at;
  const c = await constraintChanges(db, cycle.id, since);
  const decisions = previous ? await decisionsOf(db, previous.id) : [];
  const votes = await decisionVotes(
    db,
    decisions.map((d) => d.id),
  );
  const [actions, soe, fromMessages] = await Promise.all([
    actionsBefore(db, cycle.month),
    soeActionsOf(db, cycle.month),
    messageActionsOf(db, cycle.month),
  ]);
  const status = (a: (typeof actions)[number]): ActionStatus => ({
    id: a.id,
    decisionId: a.decision_id,
    cycle: a.cycle,
    owner: a.owner,
    due: a.due_date,
    description: a.description,
    state: actionState(a, today),
    doneOn: a.status === 'done' && a.done_at ? localDate(a.done_at, zone) : null,
    ...(a.source_ts !== null ? { raisedBy: a.created_by } : {}),
  });
  const carried = groupCarried(await carriedInto(db, cycle.id));
  return {
    previous:
      previous && prevRef
        ? { month: previous.month, scenario: prevRef.scenario.label, adopted: prevRef.adopted }
        : null,
    periods: common,
    figures,
    // Counted and named by constraint (the months of one request), as /sop constraints does.
    constraints: {
      added: constraintLines(c.added),
      resolved: constraintLines(c.resolved),
      stillOpen: constraintGroups(c.carried).length,
    },
    decisions: decisions.map((d) => ({
      id: d.id,
      scenario: d.label,
      rationale: d.rationale,
      by: d.decided_by,
      vote: votes.get(d.id) ?? null,
      supersedes: d.supersedes_id,
    })),
    actions: actions.map(status),
    soeActions: soe.map(status),
    messageActions: fromMessages.map(status),
    carried,
  };
}

/** The actions the last decision set: those of the previous cycle's decisions. */
export function lastDecisionActions(changed: WhatChanged): ActionStatus[] {
  const ids = new Set(changed.decisions.map((d) => d.id));
  return changed.actions.filter((a) => a.decisionId !== null && ids.has(a.decisionId));
}

/**
 * The decision's assumptions against the review's actuals, and the action completion rate
 * of `actions`: the last decision's (`lastDecisionActions`).
 */
export function followThrough(
  review: CycleReview,
  actions: readonly ActionStatus[],
  today: string,
): FollowThrough {
  const t = review.review.total;
  const sold = t.salesUnits > 0;
  // [what, assumed, actual, money?]
  const pairs: [string, number | null, number, boolean][] = [
    ['revenue', sold ? t.plannedRevenue : null, t.revenue, true],
    ['demand (units)', sold ? t.plannedDemand : null, t.salesUnits, false],
    [
      'production (units)',
      t.adherence === null ? null : t.plannedProduction,
      t.actualProduction,
      false,
    ],
    // Not cash: no payment terms here (the stress test's cash curve has them).
    ['revenue less production at cost', sold ? t.plannedCash : null, t.cash, true],
  ];
  if (t.stockValue !== null) pairs.push(['stock value', t.plannedStockValue, t.stockValue, true]);
  // Actions due by today, and those done early; dropped ones are left out.
  const due = actions.filter(
    (a) => a.state === 'done' || (a.state !== 'dropped' && a.due <= today),
  );
  const doneRows = due.filter((a) => a.state === 'done');
  const done = doneRows.length;
  const timing = earlyAndLate(doneRows);
  return {
    scenario: review.reference?.label ?? null,
    month: review.reference?.month ?? null,
    periods: review.review.periods,
    assumptions: pairs.flatMap(([what, assumed, actual, money]) =>
      assumed === null
        ? []
        : [
            {
              what,
              assumed,
              actual,
              deltaPct: assumed > 0 ? ratio(actual - assumed, assumed) : null,
              ...(money ? { money } : {}),
            },
          ],
    ),
    actionsSet: actions.length,
    actionsDue: due.length,
    actionsDone: done,
    actionsDoneEarly: timing.early,
    actionsDoneLate: timing.late,
    completionRate: due.length ? done / due.length : null,
  };
}
