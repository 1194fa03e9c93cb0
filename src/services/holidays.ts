/**
 * The company's holidays (`/sop cycle holidays`): days off that deadline counting skips like
 * weekends, for the cycles opened after they are listed. A cycle already open keeps the
 * deadlines it opened with (instants in UTC, with their jobs waiting for them).
 */
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { openCycle } from '../../db/queries/cycles.js';
import { deleteHoliday, holidays, holidaysBefore, listHoliday } from '../../db/queries/holidays.js';
import type { CycleRow, HolidayRow } from '../../db/schema.js';
import {
  HOLIDAY_NAME_MAX,
  type Holidays,
  holidayName,
  isDay,
  localDate,
  weekdayOf,
} from '../core/calendar.js';
import { type CyclePhase, TIMED_PHASES } from '../core/cycle.js';
import type { Clock } from '../deps.js';
import { ValidationError } from '../errors.js';
import { dayRefusal } from '../import/advice.js';
import { getSettings } from './settings.js';

const EXAMPLE = "`/sop cycle holidays add 2027-01-01 New Year's Day`";

/** The day typed, checked: a date as YYYY-MM-DD the calendar has, or a refusal saying what to write. */
function dayTyped(typed: string | undefined, what: 'add' | 'remove'): string {
  const not = what === 'add' ? 'Holiday not added' : 'Holiday not removed';
  if (typed === undefined || typed.trim() === '')
    throw new ValidationError(`${not}: name the day as YYYY-MM-DD, as in ${EXAMPLE}.`);
  const day = typed.trim();
  if (!isDay(day))
    throw new ValidationError(`${not}: the day ${dayRefusal(day)}, as in ${EXAMPLE}.`);
  return day;
}

/** Every holiday listed, by day: the calendar's set of days off, and their names. */
export async function holidayNames(db: Db): Promise<ReadonlyMap<string, string | null>> {
  return new Map((await holidays(db)).map((h) => [h.day, h.name]));
}

/** The holidays as the calendar reads them (every one listed). */
export async function holidaySet(db: Db): Promise<Holidays> {
  return new Set((await holidayNames(db)).keys());
}

/** What a change to the holidays did to the open cycle, when it concerns it. */
export interface OpenCycleNote {
  readonly month: string;
  /** The phases whose deadline falls on the day (they keep it). */
  readonly deadlinesOn: readonly CyclePhase[];
}

export interface HolidayChange {
  readonly day: string;
  readonly name: string | null;
  /** What changed: `unchanged` is a day listed so already, `not_listed` one there was none to remove. */
  readonly outcome: 'added' | 'renamed' | 'unchanged' | 'removed' | 'not_listed';
  /** True for a Saturday or a Sunday: deadlines skip it anyway. */
  readonly weekend: boolean;
  /** True for a day before today in the company's zone: no deadline to come is counted over it. */
  readonly past: boolean;
  /** The open cycle, when the day falls within its phases still to end; it keeps its deadlines. */
  readonly openCycle: OpenCycleNote | null;
}

/** The open cycle's note when `day` lies between today and its last deadline, else null. */
function openCycleNote(
  cycle: CycleRow | null,
  day: string,
  today: string,
  zone: string,
): OpenCycleNote | null {
  if (!cycle || day < today) return null;
  const days = TIMED_PHASES.flatMap((p) => {
    const d = cycle.deadlines[p];
    return d ? [{ phase: p, day: localDate(new Date(d), zone) }] : [];
  });
  const last = days.at(-1)?.day;
  if (last === undefined || day > last) return null;
  return {
    month: cycle.month,
    deadlinesOn: days.filter((d) => d.day === day).map((d) => d.phase),
  };
}

/** The facts about `day` a change reports besides its outcome. */
async function around(
  db: Db,
  clock: Clock,
  day: string,
): Promise<Pick<HolidayChange, 'weekend' | 'past' | 'openCycle'>> {
  const settings = await getSettings(db);
  const today = localDate(clock.now(), settings.timezone);
  return {
    weekend: weekdayOf(day) >= 6,
    past: day < today,
    openCycle: openCycleNote(await openCycle(db), day, today, settings.timezone),
  };
}

/**
 * Lists `day` as a holiday named `name` (or renames it), audited (`holiday.add`,
 * `holiday.rename`). The same day with the same name again changes nothing: a double click,
 * Slack's retry.
 */
export async function addHoliday(
  deps: { readonly db: Db; readonly clock: Clock },
  actor: string,
  typedDay: string | undefined,
  typedName: string,
): Promise<HolidayChange> {
  const day = dayTyped(typedDay, 'add');
  const named = holidayName(typedName);
  if (named !== null && named.length > HOLIDAY_NAME_MAX)
    throw new ValidationError(
      `Holiday not added: its name is too long (${named.length} characters, at most ${HOLIDAY_NAME_MAX}).`,
    );
  const outcome = await deps.db
    .transaction()
    .execute((trx) => listHoliday(trx, { day, name: named, by: actor }));
  return { day, name: named, outcome, ...(await around(deps.db, deps.clock, day)) };
}

/** Takes `day` off the holidays, audited (`holiday.remove`); a day not listed changes nothing. */
export async function removeHoliday(
  deps: { readonly db: Db; readonly clock: Clock },
  actor: string,
  typedDay: string | undefined,
): Promise<HolidayChange> {
  const day = dayTyped(typedDay, 'remove');
  const removed = await deps.db.transaction().execute(async (trx) => {
    const row = await deleteHoliday(trx, day);
    if (row)
      await audit(trx, {
        actor,
        action: 'holiday.remove',
        entity: 'holiday',
        entityId: day,
        details: { day, name: row.name },
      });
    return row;
  });
  return {
    day,
    name: removed?.name ?? null,
    outcome: removed ? 'removed' : 'not_listed',
    ...(await around(deps.db, deps.clock, day)),
  };
}

/** The holidays from today on (in the company's zone), and how many earlier ones are listed. */
export async function upcomingHolidays(deps: {
  readonly db: Db;
  readonly clock: Clock;
}): Promise<{ readonly upcoming: readonly HolidayRow[]; readonly earlier: number }> {
  const settings = await getSettings(deps.db);
  const today = localDate(deps.clock.now(), settings.timezone);
  return {
    upcoming: await holidays(deps.db, today),
    earlier: await holidaysBefore(deps.db, today),
  };
}
