/** Cycle messages: the announcement that opens a phase, and the nudges before its deadline. */
import type { CycleRow, SkippedHoliday } from '../../../db/schema.js';
import { shortDay } from '../../core/calendar.js';
import {
  type CyclePhase,
  isPhase,
  lateEnd,
  NO_CHANGE_HOW,
  PHASE_EXPECTATIONS,
} from '../../core/cycle.js';
import { replacedVoteNotice } from '../../core/vote.js';
import { PHASE_LABEL } from '../../services/cycles.js';
import { esc, escInMarks, slackDate } from './format.js';

/**
 * The holidays a deadline's count stepped over, as its deadline's note: "(not counting New
 * Year's Day, Fri 1 Jan)"; empty when it stepped over none (then there is nothing to explain).
 * Names are typed text: escaped.
 */
export function skippedHolidaysNote(skipped: readonly SkippedHoliday[] | undefined): string {
  if (!skipped || skipped.length === 0) return '';
  const each = skipped.map((h) =>
    h.name ? `${esc(h.name)}, ${shortDay(h.day)}` : `the holiday on ${shortDay(h.day)}`,
  );
  return ` (not counting ${each.join('; ')})`;
}

/**
 * When the deadlines of new cycles fall, by the phases' names as the bot says them elsewhere:
 * "16:30 UTC, after Data gathering 3 working days, Demand review 6, …" (`/sop settings`, and
 * `/sop cycle deadlines` answering what it saved). `days`: working days per phase, in phase
 * order (`effectivePhaseDays`).
 */
export function newCycleDeadlinesText(
  at: string,
  timezone: string,
  days: Readonly<Record<string, number>>,
): string {
  const each = Object.entries(days).map(
    ([p, n], i) =>
      `${isPhase(p) ? PHASE_LABEL[p] : esc(p)} ${n}${i === 0 ? ` working day${n === 1 ? '' : 's'}` : ''}`,
  );
  return `${esc(at)} ${esc(timezone)}, after ${each.join(', ')}`;
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * What the announcement says of the phase before when it ended late (`lateEnd`). `endedWith`
 * is every phase the same deadline job ended at that instant, in order (a worker back after a
 * long stop: `endAtDeadline`); the phases after the first were entered and left at once, so
 * nobody was told of them: the message names each with its deadline, and a meeting pack not
 * posted for an executive phase passed that way.
 */
function lateEndText(
  cycle: CycleRow,
  tz: string,
  late: NonNullable<ReturnType<typeof lateEnd>>,
  endedWith: readonly string[],
): string {
  const chain = (
    endedWith.length > 1 && endedWith[endedWith.length - 1] === late.phase ? endedWith : []
  ).filter((p): p is CyclePhase => isPhase(p) && !!cycle.deadlines[p]);
  if (chain.length < 2)
    return `${PHASE_LABEL[late.phase]} was due to end ${slackDate(late.deadline, tz)} and ended late, ${slackDate(late.endedAt, tz)}.`;
  const due = chain.map(
    (p, i) =>
      `${PHASE_LABEL[p]}${i === 0 ? ' was due to end' : ''} ${slackDate(new Date(cycle.deadlines[p]!), tz)}`,
  );
  const passed = chain.slice(1);
  const all = chain.length === 2 ? 'both' : `all ${chain.length}`;
  const pack =
    cycle.phase === 'closed' && passed.includes('executive')
      ? `, and no meeting pack was posted (\`/sop pack ${cycle.month}\` shows it)`
      : '';
  return `${listed(due)}; ${all} ended late, ${slackDate(late.endedAt, tz)}, so ${listed(passed.map((p) => PHASE_LABEL[p]))} ${passed.length === 1 ? 'was' : 'were'} not announced${pack}.`;
}

/**
 * The message that opens a phase: what is expected, and the deadline (company zone `tz`); when
 * the phase before ended well after its deadline (the worker was down across it), it says so,
 * and names the phases ended with it (`endedWith`: `lateEndText`).
 */
export function phaseAnnouncement(
  cycle: CycleRow,
  tz: string,
  endedWith: readonly string[] = [],
): { text: string; blocks: unknown[] } {
  const deadline = cycle.deadlines[cycle.phase];
  const at = deadline ? slackDate(new Date(deadline), tz) : null;
  const note = skippedHolidaysNote(cycle.skipped_holidays[cycle.phase]);
  const closed = cycle.phase === 'closed';
  // A cycle closed without a decision has no adopted plan to be the month's reference.
  const what =
    closed && cycle.adopted_scenario_id === null
      ? 'The cycle is closed without an adopted plan: the next cycle has no frozen plan to keep.'
      : PHASE_EXPECTATIONS[cycle.phase].expected;
  const late = lateEnd(cycle);
  const lateText = late ? lateEndText(cycle, tz, late, endedWith) : null;
  // The notification's words: a phase "has started", a cycle is closed (no "Closed has started").
  const opening = closed
    ? `S&OP ${cycle.month}:`
    : `S&OP ${cycle.month}: ${PHASE_LABEL[cycle.phase]} has started.`;
  const text = `${opening} ${what}${at ? ` Deadline: ${at}${note}.` : ''}${lateText ? ` ${lateText}` : ''}`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*S&OP ${cycle.month}: ${PHASE_LABEL[cycle.phase]}*${at ? ` by *${at}*${note}` : ''}`,
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: what } },
      ...(lateText
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `:hourglass: ${lateText}` }] }]
        : []),
    ],
  };
}

/** Where every rep who owes input is listed, with each of their families. */
export const STATUS_OWING = '`/sop status owing`';

/** The family codes a nudge names; past them it counts the rest and says where they are. */
export const NUDGE_CODES = 10;

/**
 * The DM to a sales rep who has not reviewed `families` before the demand review closes `by`:
 * the first NUDGE_CODES of them, then how many more (a rep covering 40 families got all 40).
 * The codes come from an import: escaped, their marks shown as typed (`escInMarks`).
 */
export function demandNudgeText(month: string, by: string, families: readonly string[]): string {
  const more = families.length - NUDGE_CODES;
  const codes = (list: readonly string[]) => list.map(escInMarks).join(', ');
  const named =
    more > 0
      ? `${codes(families.slice(0, NUDGE_CODES))} and ${more} more of your families (${STATUS_OWING} lists them all)`
      : codes(families);
  return `Reminder for S&OP ${month}: the demand review closes ${by}. You have not reviewed ${named} yet: adjust the forecast with \`/forecast\`, or declare no change with ${NO_CHANGE_HOW}.`;
}

/**
 * The DM to an operations member while constraints are open before the supply review closes
 * `by`: those they entered (`mine`) first, then the others (`others`). When all of them fit in
 * NUDGE_CODES they are named; else only theirs are (the first NUDGE_CODES), the others counted,
 * and `/sop constraints` lists them all (25 open constraints made one run-on sentence to every
 * operations member). Labels with resource codes from an import: escaped.
 */
export function supplyNudgeText(
  month: string,
  by: string,
  mine: readonly string[],
  others: readonly string[],
): string {
  const named = (list: readonly string[]) => list.map(esc).join('; ');
  const all = mine.length + others.length <= NUDGE_CODES;
  const yours =
    mine.length === 0
      ? ''
      : mine.length > NUDGE_CODES
        ? `Open constraints you entered: ${named(mine.slice(0, NUDGE_CODES))} and ${mine.length - NUDGE_CODES} more of yours.`
        : `Open constraints you entered: ${named(mine)}.`;
  const rest =
    others.length === 0
      ? ''
      : all
        ? mine.length === 0
          ? `Open constraints: ${named(others)}.`
          : `Entered by others: ${named(others)}.`
        : mine.length === 0
          ? `${others.length} constraints are open, none of them entered by you.`
          : `${others.length} more ${others.length === 1 ? 'is' : 'are'} open, entered by others.`;
  const what = [yours, rest].filter(Boolean).join(' ');
  return `Reminder for S&OP ${month}: the supply review closes ${by}. ${what} Each holds in the plan until it is resolved or withdrawn: \`/sop constraints\` lists them${all ? '' : ' all'}, resolve one that is over, withdraw one entered by mistake or cancelled.`;
}

/**
 * The DM to an executive whose vote is not in before the executive phase closes `by`; when a
 * newer plan run replaced the open vote's (`replaced`), the vote has no buttons left, and the
 * DM says how to go on instead.
 */
export function voteNudgeText(
  month: string,
  by: string,
  replaced: {
    readonly pollId: string;
    readonly votedRun: string;
    readonly newerRun: string;
  } | null = null,
): string {
  const next = replaced
    ? replacedVoteNotice(replaced.newerRun, replaced.votedRun, replaced.pollId)
    : 'Vote with the buttons on the vote message.';
  return `Reminder for S&OP ${month}: the executive phase closes ${by} and your vote on the scenarios is not in yet. ${next}`;
}
