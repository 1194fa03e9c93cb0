/**
 * `/sop status` in words: phase, deadlines, who owes input, the latest plan run. Each remedy
 * names a command its reader may use, or the roles that may (`roleNames`, from the policy).
 */
import type { Role } from '../../core/company.js';
import { TIMED_PHASES } from '../../core/cycle.js';
import { can } from '../../core/policy.js';
import { compareCodes } from '../../core/text.js';
import { NO_FAMILIES } from '../../services/company-data.js';
import { adjustmentsOpen, PHASE_LABEL } from '../../services/cycles.js';
import { roleNames } from '../../services/members.js';
import type { CycleStatus, PersonLeft } from '../../services/status.js';
import { STATUS_OWING, skippedHolidaysNote } from './cycle.js';
import { andMore, fitText, MESSAGE_TEXT_CHARS } from './fit.js';
import { esc, escInMarks, slackDate } from './format.js';
import { refusalWords } from './undelivered.js';

/** An instant in each reader's zone (fallback: the company's `zone`, named). */
function when(iso: string | Date, zone: string): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return String(iso);
  return slackDate(d, zone);
}

const MAX_LISTED = 15;

/** The family codes `/sop status` shows of each rep who owes input; `/sop status owing` has all. */
const CODES_LISTED = 6;

/** Why a run was made (its trigger, a recompute reason), as a planner says it. */
const TRIGGER: Readonly<Record<string, string>> = {
  submission: 'after a forecast or capacity change',
  command: 'asked with `/sop plan`',
  import: 'after an import',
  schedule: 'the daily recompute',
  whatif: 'a what-if',
  cycle: 'on a phase change',
};

/** Who reads the status: the remedies it names are theirs to use, or say who may. */
export interface StatusReader {
  readonly role: Role | null;
}

/** How a family gets a sales rep, as `reader` can do it (or who can). */
function assign(code: string, reader: StatusReader): string {
  const families = `\`/sop families @rep ${esc(code)}\``;
  if (can(reader, 'role.set'))
    return `give a rep the role with \`/sop role @rep sales\`, then their families with ${families}`;
  if (can(reader, 'families.assign'))
    return `give a sales rep their families with ${families} (${roleNames('role.set')} give the role with \`/sop role\`)`;
  return `${roleNames('families.assign')} give a sales rep their families with \`/sop families\``;
}

/** There is no open cycle: how one starts, as `reader` can do it (or who can). */
export function noCycleText(reader: StatusReader): string {
  const start = '`/sop cycle start YYYY-MM`';
  return can(reader, 'cycle.manage')
    ? `No S&OP cycle is open. Start one with ${start}.`
    : `No S&OP cycle is open. ${roleNames('cycle.manage')} start one with ${start}.`;
}

/** Family codes as every list of them reads: digits as numbers (FAM-6 before FAM-10). */
const inCodeOrder = (codes: readonly string[]): string[] => [...codes].sort(compareCodes);

/**
 * The forecast input line when no rep owes any: no families, no family covered by a rep, or
 * every rep has answered for the families they cover. Null when some rep still owes input.
 */
function forecastInput(s: CycleStatus, reader: StatusReader): string | null {
  if (s.familyCount === 0) return `*Forecast input*: ${esc(NO_FAMILIES)}`;
  const first = inCodeOrder(s.uncoveredFamilies)[0];
  if (first !== undefined && s.uncoveredFamilies.length === s.familyCount)
    return `*Forecast input*: No sales rep covers any family yet: ${assign(first, reader)}.`;
  if (s.pendingReps.length > 0) return null;
  return '*Forecast input*: every sales rep has answered for the families they cover.';
}

/**
 * A list of family codes in a sentence: a code may hold `_` or `.` (`A._B_`), which mrkdwn
 * would read as italics, so each goes through escInMarks, as the demand nudge's list does.
 */
const codeList = (codes: readonly string[]): string => codes.map(escInMarks).join(', ');

/** The families no rep covers, when some are covered (none covered: said by forecastInput). */
function uncoveredText(s: CycleStatus, reader: StatusReader): string | null {
  const uncovered = inCodeOrder(s.uncoveredFamilies);
  const first = uncovered[0];
  if (first === undefined || uncovered.length === s.familyCount) return null;
  const shown = codeList(uncovered.slice(0, 6));
  const n = uncovered.length;
  const more = n > 6 ? ` and ${n - 6} more` : '';
  return `*No sales rep covers* ${shown}${more}: ${assign(first, reader)}.`;
}

/** "<@U> left (their Slack account is deactivated)"; several: "<@U> and <@V> left (…)". */
function leftWords(people: readonly PersonLeft[]): string {
  const who = people.map((p) => `<@${p.userId}>`);
  const named = who.length > 1 ? `${who.slice(0, -1).join(', ')} and ${who.at(-1)}` : who[0];
  const reasons = new Set(people.map((p) => p.reason));
  const why =
    reasons.size === 1 ? refusalWords(people[0]?.reason ?? '') : 'Slack refuses DMs to them';
  return `${named} left (${why})`;
}

/**
 * The sales reps Slack refuses DMs to because they left: their input is not waited for, and
 * their role is for an admin to take away (a family only they covered is in uncoveredText).
 */
function repsLeftText(s: CycleStatus, reader: StatusReader): string | null {
  if (s.repsLeft.length === 0) return null;
  const shown = s.repsLeft.slice(0, MAX_LISTED).map((r) => {
    const fams = codeList(inCodeOrder(r.families).slice(0, CODES_LISTED));
    const more =
      r.families.length > CODES_LISTED ? ` and ${r.families.length - CODES_LISTED} more` : '';
    return `• <@${r.userId}> (${refusalWords(r.reason)}): ${fams}${more}`;
  });
  const hidden = s.repsLeft.length - MAX_LISTED;
  if (hidden > 0) shown.push(andMore(hidden, hidden === 1 ? 'rep' : 'reps'));
  const them = s.repsLeft.length === 1 ? `<@${s.repsLeft[0]?.userId}>` : '@them';
  const remove = `\`/sop role ${them} none\``;
  const fix = can(reader, 'role.set')
    ? `Take the role away with ${remove}, and give their families to a rep who is still here.`
    : `${roleNames('role.set')} take the role away with ${remove}.`;
  return `*Left the workspace* (Slack refuses DMs to them), so their forecast input is not waited for:\n${shown.join('\n')}\n${fix}`;
}

/**
 * The heading of the reps who owe input: while adjustments are taken, not yet submitted; once
 * the demand review has ended they can no longer, and their families were planned without it.
 */
function pendingHeading(s: CycleStatus): string {
  return adjustmentsOpen(s.cycle.phase)
    ? `*Not submitted yet* (neither an adjustment nor "no change"): ${s.pendingReps.length}`
    : `*Did not submit* before the demand review ended (neither an adjustment nor "no change"; their families were planned without their input): ${s.pendingReps.length}`;
}

/**
 * In the executive phase, what the meeting still owes and who must act: the decision once
 * recorded; else the vote's state, the executives yet to vote and who records the decision.
 */
function meetingText(s: CycleStatus, timezone: string, reader: StatusReader): string | null {
  const m = s.meeting;
  if (!m) return null;
  if (m.decision)
    return `*Decision*: decision ${m.decision.id}, *${escInMarks(m.decision.scenario)}* adopted, recorded by <@${m.decision.by}>.`;
  const v = m.vote;
  if (v?.status === 'open') {
    const left = v.leftWithoutVote;
    const who = v.yetToVote.length
      ? `executives yet to vote: ${v.yetToVote.map((u) => `<@${u}>`).join(', ')}`
      : left.length
        ? 'every executive still here has voted'
        : 'every executive has voted';
    const gone = left.length
      ? `; ${leftWords(left)}, so ${left.length === 1 ? 'their vote' : 'their votes'} will not come`
      : '';
    // The votes still to come cannot make the quorum: the vote ends by its time or its close.
    const short =
      v.quorum !== null && v.quorum > 0 && v.counted + v.yetToVote.length < v.quorum
        ? ` Its quorum of ${v.quorum} can no longer be reached (${v.counted} counted, ${v.yetToVote.length} to come).`
        : '';
    const chair = v.chairLeft
      ? `Its chair ${leftWords([v.chairLeft])}: ${roleNames('vote.close')} close it (*Close vote* on the vote), and ${roleNames('decision.record')} record the decision (*Record the decision* in their App Home).`
      : `Its chair <@${v.chair}> closes it and records the decision.`;
    return `*Decision*: not recorded yet. Vote ${v.id} is open${v.closesAt ? ` until ${when(v.closesAt, timezone)}` : ''}; ${who}${gone}.${short} ${chair}`;
  }
  if (v?.chairLeft)
    return `*Decision*: not recorded yet. Vote ${v.id} is closed and its chair ${leftWords([v.chairLeft])}: ${roleNames('decision.record')} record the decision (*Record the decision* in their App Home, or \`/sop decide\`).`;
  if (v)
    return `*Decision*: not recorded yet. Vote ${v.id} is closed: its chair <@${v.chair}> records the decision (*Record the decision* on the vote), or ${roleNames('decision.decide')} with \`/sop decide\`.`;
  const start = can(reader, 'vote.start')
    ? 'start it with `/sop vote`'
    : `${roleNames('vote.start')} start it with \`/sop vote\``;
  return `*Decision*: not recorded yet, and no vote has been started: ${start}, or ${roleNames('decision.decide')} record the decision with \`/sop decide\`.`;
}

/** `timezone` is the company's (settings.timezone); `reader`, who asked. */
export function statusText(s: CycleStatus, timezone: string, reader: StatusReader): string {
  const lines = [`*S&OP cycle ${s.cycle.month}*: ${PHASE_LABEL[s.cycle.phase]}`];
  const deadlines = TIMED_PHASES.filter((p) => s.deadlines[p]).map(
    (p) =>
      `${p === s.cycle.phase ? '▸ ' : ''}${PHASE_LABEL[p]}: ${when(s.deadlines[p] ?? '', timezone)}${skippedHolidaysNote(s.skippedHolidays[p])}`,
  );
  lines.push(
    deadlines.length > 0 ? `*Deadlines*\n${deadlines.join('\n')}` : '*Deadlines*: none set',
  );
  const meeting = meetingText(s, timezone, reader);
  if (meeting) lines.push(meeting);
  const input = forecastInput(s, reader);
  if (input) lines.push(input);
  else {
    const shown = s.pendingReps.slice(0, MAX_LISTED).map((r) => {
      const fams = codeList(inCodeOrder(r.families).slice(0, CODES_LISTED));
      const more =
        r.families.length > CODES_LISTED ? ` and ${r.families.length - CODES_LISTED} more` : '';
      return `• <@${r.userId}>: ${fams}${more}`;
    });
    const hidden = s.pendingReps.length - MAX_LISTED;
    const cut = s.pendingReps.some((r) => r.families.length > CODES_LISTED);
    const extra =
      hidden > 0
        ? [
            andMore(
              hidden,
              hidden === 1 ? 'rep' : 'reps',
              `${STATUS_OWING} lists every rep and family`,
            ),
          ]
        : cut
          ? [`_${STATUS_OWING} lists each rep's families in full._`]
          : [];
    lines.push(`${pendingHeading(s)}\n${[...shown, ...extra].join('\n')}`);
  }
  const left = repsLeftText(s, reader);
  if (left) lines.push(left);
  const uncovered = uncoveredText(s, reader);
  if (uncovered) lines.push(uncovered);
  if (s.openConstraints.length > 0)
    lines.push(
      `*Open constraints (ops)*\n${s.openConstraints.map((c) => `• <@${c.userId}>: ${c.count}`).join('\n')}`,
    );
  lines.push(
    s.latestRun
      ? `*Latest plan run*: #${s.latestRun.id}, ${when(s.latestRun.createdAt, timezone)} (${TRIGGER[s.latestRun.trigger] ?? esc(s.latestRun.trigger)})${s.latestRun.staleStock ? `\n:warning: ${esc(s.latestRun.staleStock)}.` : ''}`
      : `*Latest plan run*: none yet this cycle. ${can(reader, 'plan.run') ? 'Run' : `${roleNames('plan.run')} run one with`} \`/sop plan\`.`,
  );
  return lines.join('\n\n');
}

/**
 * `/sop status owing`: every sales rep who owes input this cycle, each with all the families
 * they owe it for, whole lines within what a message's text holds (40,000 characters).
 */
export function owingText(s: CycleStatus, reader: StatusReader): string {
  const none = forecastInput(s, reader);
  const left = repsLeftText(s, reader);
  if (none) return left ? `${none}\n\n${left}` : none;
  const lines = s.pendingReps.map(
    (r) => `• <@${r.userId}> (${r.families.length}): ${codeList(inCodeOrder(r.families))}`,
  );
  const tail = left ? `\n\n${left}` : '';
  const owing = fitText(
    `*S&OP cycle ${s.cycle.month}* · ${pendingHeading(s)}`,
    lines,
    { chars: MESSAGE_TEXT_CHARS - tail.length },
    (n) => andMore(n, n === 1 ? 'rep' : 'reps', 'the count above includes them'),
  ).text;
  return `${owing}${tail}`;
}
