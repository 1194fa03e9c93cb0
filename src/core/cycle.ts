/**
 * The monthly S&OP cycle as a pure phase machine: the order of the phases, their deadlines
 * (counted in working days of the company's time zone from a start instant) and what each
 * phase expects of whom.
 */
import {
  countWorkingDays,
  type Holidays,
  NO_HOLIDAYS,
  parseTimeOfDay,
  previousWorkingDay,
  type TimeOfDay,
} from './calendar.js';
import { codeSpan } from './text.js';

export type CyclePhase =
  | 'data_gathering'
  | 'demand_review'
  | 'supply_review'
  | 'pre_sop'
  | 'executive'
  | 'closed';

export const PHASE_ORDER: readonly CyclePhase[] = [
  'data_gathering',
  'demand_review',
  'supply_review',
  'pre_sop',
  'executive',
  'closed',
];

/** Phases that have a deadline (every phase but `closed`). */
export const TIMED_PHASES: readonly CyclePhase[] = PHASE_ORDER.slice(0, -1);

/** Working days per phase when the workspace configures none. */
export const DEFAULT_PHASE_DAYS: Readonly<Record<Exclude<CyclePhase, 'closed'>, number>> = {
  data_gathering: 3,
  demand_review: 5,
  supply_review: 4,
  pre_sop: 3,
  executive: 2,
};

/** Each phase's name as people read it. */
export const PHASE_LABEL: Readonly<Record<CyclePhase, string>> = {
  data_gathering: 'Data gathering',
  demand_review: 'Demand review',
  supply_review: 'Supply review',
  pre_sop: 'Pre-S&OP',
  executive: 'Executive S&OP',
  closed: 'Closed',
};

export type Audience = 'demand' | 'supply' | 'exec';

export interface PhaseExpectation {
  /** Which channel is told on entry. */
  readonly audience: Audience;
  /** What is expected during the phase, one sentence. */
  readonly expected: string;
}

/**
 * How a sales rep declares no change for their families: the command, or the button of App Home
 * (and of the `/forecast` form). A request to "declare no change" says how, with these words.
 */
export const NO_CHANGE_HOW =
  '`/forecast no-change`, or *No change for my families* in App Home (the Home tab of sopbot)';

export const PHASE_EXPECTATIONS: Readonly<Record<CyclePhase, PhaseExpectation>> = {
  data_gathering: {
    audience: 'demand',
    expected:
      'Load sales actuals, inventory, capacities and budget (`sopbot import`); planners check the data.',
  },
  demand_review: {
    audience: 'demand',
    expected: `Sales: adjust the baseline for your families with a reason (\`/forecast\`), or declare no change for them: ${NO_CHANGE_HOW}.`,
  },
  supply_review: {
    audience: 'supply',
    expected:
      'Operations: update capacities and flag or resolve constraints (`/capacity`). Forecast adjustments are now closed.',
  },
  pre_sop: {
    audience: 'exec',
    expected:
      'Planners: build and compare the scenarios (`/sop plan`); prepare the decisions for the executive meeting.',
  },
  executive: {
    audience: 'exec',
    expected:
      'Executives: read the pack, vote on the scenarios (`/sop vote`) and record the decision with its follow-up actions.',
  },
  closed: {
    audience: 'exec',
    expected: 'The cycle is closed; the adopted plan is the reference for the month.',
  },
};

export function isPhase(s: string): s is CyclePhase {
  return (PHASE_ORDER as readonly string[]).includes(s);
}

/** The phase after `phase`, or null when the cycle is closed. */
export function nextPhase(phase: CyclePhase): CyclePhase | null {
  const i = PHASE_ORDER.indexOf(phase);
  return PHASE_ORDER[i + 1] ?? null;
}

export type PhaseDays = Partial<Record<CyclePhase, number>>;

/** Configured days over the defaults, per timed phase. */
export function effectivePhaseDays(configured: PhaseDays): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of TIMED_PHASES) {
    const v = configured[p];
    out[p] =
      v !== undefined && v > 0 ? v : DEFAULT_PHASE_DAYS[p as keyof typeof DEFAULT_PHASE_DAYS];
  }
  return out;
}

/** How deadlines are placed besides the working days per phase. */
export interface DeadlineRule {
  /** Local time of day of every deadline; absent: the start's own time of day. */
  readonly at?: TimeOfDay;
  /** Days off besides weekends, skipped as weekends are. */
  readonly holidays?: Holidays;
}

/** Each timed phase's deadline (ISO instants) and the weekday holidays its count stepped over. */
export interface PhaseSchedule {
  readonly deadlines: Partial<Record<CyclePhase, string>>;
  /** Per phase, the holidays (YYYY-MM-DD) that pushed its deadline back; phases with none left out. */
  readonly skipped: Partial<Record<CyclePhase, readonly string[]>>;
}

/**
 * The deadline of each timed phase: phases follow one another, each lasting its working days,
 * starting at `start`. Days are counted in `zone` (an IANA time zone), Monday to Friday less
 * the rule's holidays, and every deadline is at the rule's time of day (else the start's).
 * Each phase's skipped holidays are those its own days stepped over (a holiday on the start
 * day counts for the first phase: the count starts the next working day).
 */
export function phaseSchedule(
  start: Date,
  configured: PhaseDays,
  zone: string,
  rule: DeadlineRule = {},
): PhaseSchedule {
  const days = effectivePhaseDays(configured);
  const deadlines: Partial<Record<CyclePhase, string>> = {};
  const skipped: Partial<Record<CyclePhase, readonly string[]>> = {};
  let total = 0;
  let before = 0;
  for (const p of TIMED_PHASES) {
    // Counted from the start each time, so every deadline keeps its wall-clock time.
    total += Math.max(0, Math.round(days[p] ?? 0));
    const count = countWorkingDays(start, total, zone, {
      holidays: rule.holidays ?? NO_HOLIDAYS,
      ...(rule.at ? { at: rule.at } : {}),
    });
    deadlines[p] = count.at.toISOString();
    const own = count.skipped.slice(before);
    before = count.skipped.length;
    if (own.length > 0) skipped[p] = own;
  }
  return { deadlines, skipped };
}

/**
 * The deadline of each timed phase (ISO strings), as `phaseSchedule` places them: without a
 * rule, at the start's local time of day, Monday to Friday.
 */
export function phaseDeadlines(
  start: Date,
  configured: PhaseDays,
  zone: string,
  rule: DeadlineRule = {},
): Partial<Record<CyclePhase, string>> {
  return phaseSchedule(start, configured, zone, rule).deadlines;
}

/**
 * Parse the time deadlines fall at (`/sop cycle deadlines at=17:00`), 24-hour `HH:MM`. The
 * error names the token and what to write; `5pm` is told its 24-hour form. Midnight is
 * refused however it is written (`00:00`, `24:00`, `12am`): a deadline at 00:00 falls at the
 * start of its phase's last working day, so that day would not count at all (a one-day phase
 * would have none); the end of the day is `23:59`.
 */
export function parseDeadlineTime(token: string, value: string): TimeOfDay {
  const midnight = `${codeSpan(token)}: a deadline at midnight falls at 00:00, the start of its phase's last working day, so that day would not count; write at=23:59 for the end of the day, or the end of the working day, e.g. at=17:00`;
  const t = parseTimeOfDay(value);
  if (t && t.hour === 0 && t.minute === 0) throw new Error(midnight);
  if (t) return t;
  if (/^24:00$/.test(value.trim())) throw new Error(midnight);
  const ampm = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$/i.exec(value.trim());
  const h = ampm ? Number(ampm[1]) : Number.NaN;
  const min = ampm?.[2] ?? '00';
  if (ampm && h >= 1 && h <= 12 && Number(min) <= 59) {
    const hour = (h % 12) + (ampm[3]!.toLowerCase() === 'p' ? 12 : 0);
    if (hour === 0 && Number(min) === 0) throw new Error(midnight);
    throw new Error(
      `${codeSpan(token)}: write the time on a 24-hour clock, here at=${String(hour).padStart(2, '0')}:${min}`,
    );
  }
  throw new Error(
    `${codeSpan(token)}: write the time of day as HH:MM on a 24-hour clock, e.g. at=17:00`,
  );
}

/** What `/sop cycle deadlines` sets: working days per phase, the time of day, or both. */
export interface DeadlineSettings {
  readonly days: PhaseDays;
  readonly at: TimeOfDay | null;
}

/**
 * Parse `demand_review=5 at=17:00`: any phase=days (as `parsePhaseDays`) and at most one
 * `at=HH:MM`. Errors name the token to fix.
 */
export function parseDeadlineSettings(tokens: readonly string[]): DeadlineSettings {
  let at: TimeOfDay | null = null;
  const rest: string[] = [];
  for (const t of tokens) {
    const m = /^at=(.*)$/i.exec(t.trim());
    if (!m) {
      rest.push(t);
      continue;
    }
    if (at) throw new Error(`${codeSpan(t)}: give the time once, e.g. at=17:00`);
    at = parseDeadlineTime(t, m[1] ?? '');
  }
  if (at && rest.length === 0) return { days: {}, at };
  if (tokens.length === 0)
    throw new Error('give at least one phase=days or at=HH:MM, e.g. demand_review=5 or at=17:00');
  return { days: parsePhaseDays(rest), at };
}

/**
 * Parse `demand_review=5 supply_review=4` (also `pre-sop=3`, `executive=2`). Each value is a
 * whole number of working days from 1 to 30. Errors name the token to fix.
 */
export function parsePhaseDays(tokens: readonly string[]): PhaseDays {
  if (tokens.length === 0) throw new Error('give at least one phase=days, e.g. demand_review=5');
  const out: PhaseDays = {};
  for (const t of tokens) {
    const m = /^([a-z_-]+)=(\d+)$/i.exec(t.trim());
    if (!m) throw new Error(`${codeSpan(t)}: write phase=days, e.g. demand_review=5`);
    const phase = m[1]!.toLowerCase().replace(/-/g, '_');
    if (!isPhase(phase) || phase === 'closed') {
      throw new Error(
        `${codeSpan(t)}: unknown phase ${codeSpan(m[1] ?? '')}; use one of ${TIMED_PHASES.join(', ')}`,
      );
    }
    const n = Number(m[2]);
    if (n < 1 || n > 30)
      throw new Error(`${codeSpan(t)}: days must be between 1 and 30 working days`);
    out[phase] = n;
  }
  return out;
}

/**
 * How long after the previous phase's deadline a phase may be entered and still be on time: a
 * deadline job runs within seconds of its time, and a database outage or Slack's retries
 * hold it for a minute or two. Later than that, the worker was down across the deadline.
 */
export const LATE_PHASE_END_MS = 15 * 60_000;

/**
 * The phase before `cycle.phase` when it ended later than `LATE_PHASE_END_MS` after its
 * deadline (the worker down across it), with that deadline and when it ended; else null.
 */
export function lateEnd(cycle: {
  readonly phase: CyclePhase;
  readonly deadlines: Partial<Record<CyclePhase, string>>;
  readonly phase_entered_at: Date;
}): { readonly phase: CyclePhase; readonly deadline: Date; readonly endedAt: Date } | null {
  const previous = PHASE_ORDER[PHASE_ORDER.indexOf(cycle.phase) - 1];
  const due = previous ? cycle.deadlines[previous] : undefined;
  if (!previous || !due) return null;
  const deadline = new Date(due);
  if (cycle.phase_entered_at.getTime() - deadline.getTime() <= LATE_PHASE_END_MS) return null;
  return { phase: previous, deadline, endedAt: cycle.phase_entered_at };
}

/**
 * When to nudge before a deadline: one working day earlier in the company's `zone` (less its
 * `holidays`), at the same local time (a Monday deadline is nudged on the Friday, not on the
 * Sunday; a Tuesday one after a holiday Monday on the Friday too), but never before `notBefore`.
 */
export function nudgeAt(
  deadline: Date,
  notBefore: Date,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): Date {
  const t = previousWorkingDay(deadline, zone, holidays).getTime();
  return new Date(Math.max(t, notBefore.getTime()));
}
