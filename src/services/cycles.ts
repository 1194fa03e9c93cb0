/**
 * S&OP cycles: reading the current one, and the lifecycle on top of the pure phase machine
 * (src/core/cycle.ts): start, advance on command or at a deadline, close. What the cycle
 * tells people (announcements, nudges) is in services/cycle-posts.ts.
 */
import type { Db } from '../../db/connect.js';
import { audit, lastPhaseChangeBy } from '../../db/queries/audit.js';
import { cycleById } from '../../db/queries/cycle-inputs.js';
import {
  cycleOfMonth,
  insertCycle,
  latestCycleWhere,
  lockCycleStart,
  movePhase,
  openCycle,
  savePhaseDays,
} from '../../db/queries/cycles.js';
import { openPollOf } from '../../db/queries/polls.js';
import { previousCycle } from '../../db/queries/review.js';
import { lockedSettings, patchSettings } from '../../db/queries/settings.js';
import type { CycleRow, Phase, SettingsRow, SkippedHoliday } from '../../db/schema.js';
import {
  type Holidays,
  localDate,
  parseTimeOfDay,
  type TimeOfDay,
  timeOfDayText,
} from '../core/calendar.js';
import {
  type CyclePhase,
  effectivePhaseDays,
  nextPhase,
  nudgeAt,
  PHASE_LABEL,
  PHASE_ORDER,
  type PhaseDays,
  phaseSchedule,
  TIMED_PHASES,
} from '../core/cycle.js';
import { addMonths, isPeriod, monthsBetween, type Period, periodIndex } from '../core/period.js';
import { codeSpan } from '../core/text.js';
import type { Clock, CycleDeps } from '../deps.js';
import { SopError, ValidationError } from '../errors.js';
import { carryAdjustments } from './carry-over.js';
import { holidayNames } from './holidays.js';
import { roleNames } from './members.js';
import { deliverJobs, requestJob } from './outbox.js';
import { closePollIn } from './polls.js';
import { snapshotCycle } from './review.js';
import { carryScenarios, type ScenarioCarry } from './scenario-carry.js';
import { getSettings } from './settings.js';

/** The phases' names as people read them (in core, so the vote's refusals name them too). */
export { PHASE_LABEL };

/** The open cycle (the latest month not closed), or null: db/queries/cycles.ts `openCycle`. */
export async function getOpenCycle(db: Db): Promise<CycleRow | null> {
  return openCycle(db);
}

/** The latest cycle by month, open or closed, or null when no cycle was ever started. */
export async function getLatestCycle(db: Db): Promise<CycleRow | null> {
  return latestCycleWhere(db);
}

export async function getCycle(db: Db, id: number): Promise<CycleRow | null> {
  return (await cycleById(db, id)) ?? null;
}

export async function getCycleByMonth(db: Db, month: string): Promise<CycleRow | null> {
  return cycleOfMonth(db, month);
}

/** Phases in which sales may still adjust the forecast. */
export function adjustmentsOpen(phase: Phase): boolean {
  return phase === 'data_gathering' || phase === 'demand_review';
}

// ---------------------------------------------------------------------------------------------
// The lifecycle: start, advance (on command or at a deadline), close, nudges.
// ---------------------------------------------------------------------------------------------

/** What the lifecycle needs (defined with the other deps, so polls and actions need not import this file). */
export type { CycleDeps };

/** A cycle just opened, with what it carried of the previous cycle's scenarios (null: none). */
export type StartedCycle = CycleRow & { readonly carriedScenarios: ScenarioCarry | null };

/** How far after this month a cycle may be opened: a year, as far as a planner plans a cycle. */
export const CYCLE_MONTHS_AHEAD = 12;

/**
 * Refuses `month` as a new cycle's when it is before the latest cycle's month (`latest`), which
 * would open a cycle behind the company's history, or more than CYCLE_MONTHS_AHEAD after
 * `thisMonth` (the company's month, from the app's clock): a typo such as 2072-01 would open
 * and announce a cycle no one meant, and a cycle once opened stays. Each refusal names the
 * next cycle to plan: the month after the latest cycle, or this month when that is earlier.
 */
function refuseCycleMonth(month: Period, latest: Period | null, thisMonth: Period): void {
  const after = latest === null ? thisMonth : addMonths(latest, 1);
  const next = periodIndex(after) < periodIndex(thisMonth) ? thisMonth : after;
  const start = `the next cycle to plan is ${next}: \`/sop cycle start ${next}\`.`;
  if (latest !== null && periodIndex(month) < periodIndex(latest))
    throw new ValidationError(`${codeSpan(month)} is before the last cycle, ${latest}; ${start}`);
  if (monthsBetween(thisMonth, month) > CYCLE_MONTHS_AHEAD)
    throw new ValidationError(
      `${codeSpan(month)} is more than ${CYCLE_MONTHS_AHEAD} months after this month, ${thisMonth}; ${start}`,
    );
}

/**
 * Open the cycle for `month` with a deadline per phase (settings.phase_days, in working days
 * of the company's time zone from now, less its holidays, each at settings.deadline_time) and
 * the holidays each phase's count stepped over, and request its deadline and nudge jobs and
 * the performance review with the cycle (the outbox). Its first plan comes from `/sop plan` or the
 * daily schedule. The previous cycle's forecast adjustments (carry-over.ts) and scenarios
 * (scenario-carry.ts) are carried into it in the same transaction. Refuses a second open cycle.
 */
export async function startCycle(
  deps: CycleDeps,
  actor: string,
  month: string,
): Promise<StartedCycle> {
  if (!isPeriod(month)) {
    throw new ValidationError(
      `${codeSpan(month)} is not a month; write it as YYYY-MM, e.g. 2027-01.`,
    );
  }
  const now = deps.clock.now();
  const cycle = await deps.db.transaction().execute(async (trx) => {
    await lockCycleStart(trx);
    const open = await getOpenCycle(trx);
    // The same month again is a double click or a second planner: it is open, as they asked.
    if (open?.month === month) {
      throw new SopError(
        'conflict',
        `Cycle ${month} is already open (phase: ${PHASE_LABEL[open.phase]}); nothing more to do. \`/sop status\` shows where it stands.`,
      );
    }
    const settings = await getSettings(trx);
    const latest = await latestCycleWhere(trx);
    // An open cycle is said first: the month's advice ("the next cycle to plan is …") would
    // name a command that fails while it is open.
    if (open) {
      throw new SopError(
        'conflict',
        `Cycle ${open.month} is still open (phase: ${PHASE_LABEL[open.phase]}); close it first with \`/sop cycle close\`.`,
      );
    }
    refuseCycleMonth(month, latest?.month ?? null, localDate(now, settings.timezone).slice(0, 7));
    if (await getCycleByMonth(trx, month)) {
      throw new SopError('conflict', `A cycle for ${month} already exists and is closed.`);
    }
    const names = await holidayNames(trx);
    const holidays: Holidays = new Set(names.keys());
    const schedule = phaseSchedule(now, settings.phase_days, settings.timezone, {
      at: deadlineTimeOf(settings),
      holidays,
    });
    const { deadlines } = schedule;
    const skipped: Partial<Record<Phase, SkippedHoliday[]>> = {};
    for (const [phase, days] of Object.entries(schedule.skipped) as [Phase, string[]][])
      skipped[phase] = days.map((day) => ({ day, name: names.get(day) ?? null }));
    const row = await insertCycle(trx, {
      month,
      phase: 'data_gathering',
      deadlines: JSON.stringify(deadlines),
      skipped_holidays: JSON.stringify(skipped),
      phase_entered_at: now,
      opened_by: actor,
      opened_at: now,
    });
    // The previous cycle's adjustments for months still ahead stay in the consensus.
    const previous = await previousCycle(trx, month);
    const carried = previous ? await carryAdjustments(trx, row, previous, settings) : [];
    // And its scenarios, when it had its own (not the defaults).
    const scenarios = previous
      ? await carryScenarios(trx, row, previous, settings, actor, now)
      : null;
    await audit(trx, {
      actor,
      action: 'cycle.start',
      entity: 'cycle',
      entityId: row.id,
      details: {
        month,
        deadlines,
        deadlineTime: settings.deadline_time,
        ...(Object.keys(skipped).length > 0 ? { skippedHolidays: skipped } : {}),
        ...(previous ? { carriedAdjustments: carried.length, carriedFrom: previous.month } : {}),
      },
    });
    const jobs = await requestCycleJobs(trx, row, now, settings.timezone, holidays);
    // The demand channel is told the cycle opened: a job, so a Slack error loses nothing.
    jobs.push(await requestJob(trx, 'phase-announce', { cycleId: row.id, phase: row.phase }));
    // The cycle opens with the review of how the last adopted plan did.
    jobs.push(await requestJob(trx, 'review', { cycleId: row.id }));
    return { row: { ...row, carriedScenarios: scenarios }, jobs };
  });
  await deliverJobs(deps.db, deps.queue, { ids: cycle.jobs });
  return cycle.row;
}

/** The time of day the settings place deadlines at (`deadline_time`, checked by its column). */
export function deadlineTimeOf(settings: Pick<SettingsRow, 'deadline_time'>): TimeOfDay {
  const t = parseTimeOfDay(settings.deadline_time);
  if (!t)
    throw new SopError(
      'internal',
      `settings.deadline_time is ${JSON.stringify(settings.deadline_time)}, not a time as HH:MM`,
    );
  return t;
}

/**
 * Records (in `trx`, with the cycle) the delayed `phase-deadline` and `nudge` jobs of every
 * phase not yet passed. Returns the requests' ids.
 */
async function requestCycleJobs(
  trx: Db,
  cycle: CycleRow,
  now: Date,
  timezone: string,
  holidays: Holidays,
): Promise<string[]> {
  const ids: string[] = [];
  const from = PHASE_ORDER.indexOf(cycle.phase);
  /** A job about `phase` that runs at `at` (at once when that has passed). */
  const requestAt = async (type: 'phase-deadline' | 'nudge', phase: CyclePhase, at: Date) => {
    const delayMs = Math.max(0, at.getTime() - now.getTime());
    ids.push(await requestJob(trx, type, { cycleId: cycle.id, phase }, { delayMs }));
  };
  for (const phase of TIMED_PHASES) {
    if (PHASE_ORDER.indexOf(phase) < from) continue;
    const deadline = cycle.deadlines[phase];
    if (!deadline) continue;
    const at = new Date(deadline);
    await requestAt('phase-deadline', phase, at);
    if (NUDGED_PHASES.includes(phase))
      await requestAt('nudge', phase, nudgeAt(at, now, timezone, holidays));
  }
  return ids;
}

/** Phases whose deadline is preceded by DM nudges to the people who still owe input. */
export const NUDGED_PHASES: readonly Phase[] = ['demand_review', 'supply_review', 'executive'];

export interface PhaseChange {
  readonly cycle: CycleRow;
  /** False when the cycle was no longer in `from` (someone or something advanced it). */
  readonly changed: boolean;
  readonly from: Phase;
  readonly to: Phase;
  /**
   * True when the change requested a job (a recompute, the pack) that the queue has not taken
   * yet: it waits in the outbox and is delivered as soon as the queue is back.
   */
  readonly jobsWaiting?: boolean;
}

/**
 * Move the cycle from `from` to the next phase. Idempotent: when the cycle is no longer in
 * `from`, nothing happens (`changed: false`). Every phase change requests its announcement
 * (`phase-announce`); entering supply review or pre-S&OP requests a recompute; entering the
 * executive phase requests the meeting pack; closing closes the open vote. All in the
 * transaction of the change.
 */
export async function advancePhase(
  deps: CycleDeps,
  cycleId: number,
  from: Phase,
  actor: string,
): Promise<PhaseChange> {
  const to = nextPhase(from);
  if (to === null) {
    const cycle = await requireCycle(deps.db, cycleId);
    return { cycle, changed: false, from, to: from };
  }
  const now = deps.clock.now();
  const res = await deps.db
    .transaction()
    .execute((trx) => advanceIn(trx, cycleId, from, to, actor, now));
  if (!res) return { cycle: await requireCycle(deps.db, cycleId), changed: false, from, to };
  const delivery = await deliverJobs(deps.db, deps.queue, { ids: res.jobs });
  return { cycle: res.row, changed: true, from, to, jobsWaiting: delivery.pending > 0 };
}

/**
 * Moves the cycle from `from` to `to` in `trx`, with its audit entry and the jobs the change
 * owes (returned, to deliver after the commit); null when the cycle is no longer in `from`.
 */
async function advanceIn(
  trx: Db,
  cycleId: number,
  from: Phase,
  to: Phase,
  actor: string,
  now: Date,
  opts: { readonly recompute?: boolean; readonly pack?: boolean } = {},
): Promise<{ row: CycleRow; jobs: string[] } | null> {
  const updated = await movePhase(trx, cycleId, from, to, now);
  if (!updated) return null;
  await audit(trx, {
    actor,
    action: to === 'closed' ? 'cycle.close' : 'cycle.advance',
    entity: 'cycle',
    entityId: cycleId,
    // The clock's time: the pack's window of S&OE escalations starts here (review-post).
    details: { from, to, at: now.toISOString() },
  });
  if (to === 'closed') await snapshotCycle(trx, updated);
  // The work a phase owes is requested with the phase change itself (the outbox).
  const jobs: string[] = [];
  if (to === 'closed') jobs.push(...(await closeOpenVote(trx, cycleId, actor, now)));
  jobs.push(await requestJob(trx, 'phase-announce', { cycleId, phase: to }));
  if (owesRecompute(to) && opts.recompute !== false)
    jobs.push(
      await requestJob(trx, 'recompute', {
        cycleId,
        reason: 'cycle',
        requestKey: `phase:${cycleId}:${to}`,
      }),
    );
  if (to === 'executive' && opts.pack !== false)
    jobs.push(await requestJob(trx, 'pack', { cycleId }));
  return { row: updated, jobs };
}

/** Entering `phase` requests a recompute (the plan with what the phase before settled). */
function owesRecompute(phase: Phase): boolean {
  return phase === 'supply_review' || phase === 'pre_sop';
}

/**
 * The `phase-deadline` job of `phase`: its deadline has passed, so the cycle leaves it. A cycle
 * still in an earlier phase whose deadline has passed too (the worker was down across both,
 * and their jobs came due together: this one ran first, or beside the earlier one) leaves that
 * one as well, so no phase stays open past its deadline once its own job is spent; and so does
 * every phase after, entered on the way, whose deadline has passed by now (their own jobs, due
 * too, then find nothing to do). Each phase ends once, by `deadline`, all in one transaction:
 * the phases passed on the way are not announced (their announcement finds the cycle gone on,
 * so no channel is told of a phase "closing" at a time gone by), and they owe no recompute of
 * their own: one, of the last phase entered that owes one, plans with what every phase ended
 * settled (a worker down across the demand and supply reviews' deadlines made two, one per
 * deadline job, the first for a supply review already over); an executive phase passed on the
 * way requests no meeting pack, its meeting's time being over. The announcement of the phase
 * the cycle ends in names every phase ended with it and their deadlines (`phaseAnnouncement`).
 * A cycle already past `phase` is left alone (`changed: false`).
 */
export async function endAtDeadline(
  deps: CycleDeps,
  cycleId: number,
  phase: Phase,
): Promise<PhaseChange> {
  const now = deps.clock.now();
  const last = PHASE_ORDER.indexOf(phase);
  const res = await deps.db.transaction().execute(async (trx) => {
    let first: Phase | null = null;
    let row: CycleRow | null = null;
    const jobs: string[] = [];
    for (;;) {
      // Read again after each step: a command or the other job may have moved it meanwhile.
      const cycle = await requireCycle(trx, cycleId);
      /** Whether this job ends `p` too, the cycle standing in it: its deadline has passed. */
      const ends = (p: Phase): boolean => {
        if (nextPhase(p) === null) return false;
        const due = cycle.deadlines[p];
        return p === phase || (!!due && new Date(due).getTime() <= now.getTime());
      };
      // A cycle already past `phase` when the job came is another job's (or a command's).
      if (first === null && PHASE_ORDER.indexOf(cycle.phase) > last) break;
      if (!ends(cycle.phase)) break;
      const to = nextPhase(cycle.phase)!;
      // Once a step has moved it, the row is this transaction's (locked, and its deadlines
      // never change), so where the steps end is known now: a recompute is asked for only by
      // the last phase entered that owes one.
      let recompute = true;
      for (let p = to; ends(p); ) {
        p = nextPhase(p)!;
        if (owesRecompute(p)) recompute = false;
      }
      // An executive phase entered and ended here had its meeting while nobody could be told:
      // no pack, the pre-read "for the executive meeting", is posted for it (the closing
      // announcement says so, and where to read it).
      const pack = !(to === 'executive' && ends(to));
      const step = await advanceIn(trx, cycleId, cycle.phase, to, 'deadline', now, {
        recompute,
        pack,
      });
      if (!step) continue;
      first ??= cycle.phase;
      row = step.row;
      jobs.push(...step.jobs);
    }
    return first && row ? { first, row, jobs } : null;
  });
  if (!res) {
    const cycle = await requireCycle(deps.db, cycleId);
    return { cycle, changed: false, from: phase, to: cycle.phase };
  }
  const delivery = await deliverJobs(deps.db, deps.queue, { ids: res.jobs });
  return {
    cycle: res.row,
    changed: true,
    from: res.first,
    to: res.row.phase,
    jobsWaiting: delivery.pending > 0,
  };
}

/**
 * Closes the cycle's open vote, if any, in the cycle's closing transaction `trx` (reason
 * `cycle`): its decision can no longer be recorded, so it takes no more votes and nobody is
 * asked to decide. Returns the request to redraw its message without the buttons.
 */
async function closeOpenVote(
  trx: Db,
  cycleId: number,
  actor: string,
  now: Date,
): Promise<string[]> {
  const poll = await openPollOf(trx, cycleId);
  if (!poll) return [];
  if (!(await closePollIn(trx, { pollId: poll.id, by: actor, reason: 'cycle' }, now))) return [];
  // Debounced, as the vote clicks request it: the job id stays free for the next refresh.
  return [await requestJob(trx, 'poll-refresh', { pollId: poll.id }, { debounceMs: 250 })];
}

/**
 * Close the open cycle from whatever phase it is in; its announcement, and the close of its
 * open vote, go with it.
 */
export async function closeCycle(
  deps: CycleDeps,
  cycleId: number,
  actor: string,
): Promise<PhaseChange> {
  const cycle = await requireCycle(deps.db, cycleId);
  if (cycle.phase === 'closed') return { cycle, changed: false, from: 'closed', to: 'closed' };
  const now = deps.clock.now();
  const res = await deps.db.transaction().execute(async (trx) => {
    const row = await movePhase(trx, cycleId, cycle.phase, 'closed', now);
    if (!row) return null;
    await audit(trx, {
      actor,
      action: 'cycle.close',
      entity: 'cycle',
      entityId: cycleId,
      details: { from: cycle.phase, adoptedScenarioId: row.adopted_scenario_id },
    });
    await snapshotCycle(trx, row);
    const jobs = [
      await requestJob(trx, 'phase-announce', { cycleId, phase: 'closed' }),
      ...(await closeOpenVote(trx, cycleId, actor, now)),
    ];
    return { row, jobs };
  });
  if (!res)
    return {
      cycle: await requireCycle(deps.db, cycleId),
      changed: false,
      from: cycle.phase,
      to: 'closed',
    };
  const delivery = await deliverJobs(deps.db, deps.queue, { ids: res.jobs });
  return {
    cycle: res.row,
    changed: true,
    from: cycle.phase,
    to: 'closed',
    jobsWaiting: delivery.pending > 0,
  };
}

/**
 * How long after a phase change a bare `/sop cycle next` is refused: within it, the one who
 * types it has most likely not seen the change (a deadline, another planner), or is typing it
 * again (an answer slow to come); naming the phase to end (`/sop cycle next supply_review`)
 * moves on at once.
 */
export const RECENT_PHASE_CHANGE_MS = 5 * 60_000;

export interface RecentPhaseChange {
  /** Who moved the cycle into its phase: a Slack user id, or `deadline`. */
  readonly by: string;
  readonly at: Date;
}

/**
 * The cycle's latest phase change when it was made less than `RECENT_PHASE_CHANGE_MS` ago, or
 * null (none that long ago, or none recorded in the audit log).
 */
export async function recentPhaseChange(
  deps: { readonly db: Db; readonly clock: Clock },
  cycle: CycleRow,
): Promise<RecentPhaseChange | null> {
  const at = cycle.phase_entered_at;
  const ago = deps.clock.now().getTime() - at.getTime();
  if (ago < 0 || ago >= RECENT_PHASE_CHANGE_MS) return null;
  const by = await lastPhaseChangeBy(deps.db, cycle.id);
  return by === null ? null : { by, at };
}

export async function requireCycle(db: Db, cycleId: number): Promise<CycleRow> {
  const c = await getCycle(db, cycleId);
  if (!c) throw new SopError('not_found', `No cycle with id ${cycleId}.`);
  return c;
}

/** The open cycle, or a not_found error that says how to start one. */
export async function requireOpenCycle(db: Db): Promise<CycleRow> {
  const c = await getOpenCycle(db);
  if (!c) {
    throw new SopError(
      'not_found',
      `No cycle is open; ${roleNames('cycle.manage')} start one with \`/sop cycle start YYYY-MM\`.`,
    );
  }
  return c;
}

/** What `/sop cycle deadlines` leaves in force for the next cycles. */
export interface DeadlineSettingsSaved {
  readonly days: Record<string, number>;
  /** The time of day, HH:MM in `timezone`. */
  readonly at: string;
  readonly timezone: string;
}

/**
 * Save, for the next cycles, working days per phase (`/sop cycle deadlines demand_review=5`,
 * audited `settings.phase_days` when they change) and the time of day deadlines fall at
 * (`at=17:00`, audited `settings.deadline_time` when it changes), in one transaction. The open
 * cycle keeps its deadlines.
 */
export async function setDeadlineSettings(
  db: Db,
  actor: string,
  settings: { readonly days: PhaseDays; readonly at: TimeOfDay | null },
): Promise<DeadlineSettingsSaved> {
  return db.transaction().execute(async (trx) => {
    const s = await getSettings(trx);
    const locked = await lockedSettings(trx, s.team_id);
    let merged = locked.phase_days;
    const changed = Object.entries(settings.days).some(
      ([phase, n]) => locked.phase_days[phase as keyof PhaseDays] !== n,
    );
    // The days as they stand already (a double click) change and record nothing.
    if (changed) {
      merged = { ...locked.phase_days, ...settings.days };
      await savePhaseDays(trx, s.team_id, merged);
      await audit(trx, {
        actor,
        action: 'settings.phase_days',
        entity: 'settings',
        entityId: s.team_id,
        details: merged,
      });
    }
    let at = locked.deadline_time;
    if (settings.at) {
      const wanted = timeOfDayText(settings.at);
      if (wanted !== locked.deadline_time) {
        await patchSettings(trx, s.team_id, { deadline_time: wanted });
        await audit(trx, {
          actor,
          action: 'settings.deadline_time',
          entity: 'settings',
          entityId: s.team_id,
          details: { from: locked.deadline_time, to: wanted, timezone: locked.timezone },
        });
      }
      at = wanted;
    }
    return { days: effectivePhaseDays(merged), at, timezone: locked.timezone };
  });
}

/** Save working days per phase for the next cycles (`/sop cycle deadlines demand_review=5`). */
export async function setPhaseDays(
  db: Db,
  actor: string,
  days: PhaseDays,
): Promise<Record<string, number>> {
  return (await setDeadlineSettings(db, actor, { days, at: null })).days;
}
