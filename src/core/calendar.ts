/**
 * The company's calendar: working days, local dates and wall-clock times in an IANA time zone
 * (the zone is always a parameter). Zone rules and DST come from luxon, the library BullMQ's
 * cron parser already uses for the daily recompute, so both read a zone the same way.
 */
import { DateTime, IANAZone } from 'luxon';

/** True for a time zone this calendar can use ('UTC', 'Asia/Tokyo', 'America/Los_Angeles'…). */
export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function inZone(instant: Date, zone: string): DateTime {
  const dt = DateTime.fromJSDate(instant, { zone });
  if (!dt.isValid) throw new RangeError(`'${zone}' is not a time zone: ${dt.invalidExplanation}`);
  return dt;
}

/**
 * The company's days off besides Saturdays and Sundays: local dates (YYYY-MM-DD) in its zone
 * (`/sop cycle holidays`). Working days are Monday to Friday, less these.
 */
export type Holidays = ReadonlySet<string>;
export const NO_HOLIDAYS: Holidays = new Set();

/** The longest name a holiday may have (`/sop cycle holidays add`, the holidays import). */
export const HOLIDAY_NAME_MAX = 100;

/**
 * A holiday's name as typed, as it is kept: trimmed, each run of white space one space; null
 * for none. The command and the import read a name the same way, so the same name is the same.
 */
export function holidayName(typed: string): string | null {
  const name = typed.trim().replace(/\s+/g, ' ');
  return name === '' ? null : name;
}

/** A local time of day on a 24-hour clock: 17:00 is `{ hour: 17, minute: 0 }`. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

const dayOf = (dt: DateTime) => dt.toFormat('yyyy-MM-dd');
const isWeekend = (dt: DateTime) => dt.weekday >= 6;
const isWorkingDay = (dt: DateTime, holidays: Holidays) =>
  !isWeekend(dt) && !holidays.has(dayOf(dt));

/** Where a count of working days lands, and the holidays it stepped over on a weekday. */
export interface WorkingDayCount {
  readonly at: Date;
  /** Holidays on Monday to Friday the count did not count, in order (YYYY-MM-DD). */
  readonly skipped: readonly string[];
}

/**
 * `start` plus `days` working days (Monday to Friday in `zone`, less `holidays`), at `at`
 * local time, or else at the start's local wall-clock time, whatever DST did in between. A
 * start on a local weekend or holiday counts from the next working day.
 */
export function countWorkingDays(
  start: Date,
  days: number,
  zone: string,
  opts: { readonly holidays?: Holidays; readonly at?: TimeOfDay } = {},
): WorkingDayCount {
  const holidays = opts.holidays ?? NO_HOLIDAYS;
  const from = inZone(start, zone);
  const skipped: string[] = [];
  const pass = (dt: DateTime) => {
    // A holiday on a weekend moves nothing: the weekend is not counted anyway.
    if (!isWeekend(dt)) skipped.push(dayOf(dt));
  };
  let offset = 0;
  while (!isWorkingDay(from.plus({ days: offset }), holidays)) {
    pass(from.plus({ days: offset }));
    offset++;
  }
  let left = Math.max(0, Math.round(days));
  while (left > 0) {
    offset++;
    const dt = from.plus({ days: offset });
    if (isWorkingDay(dt, holidays)) left--;
    else pass(dt);
  }
  // One step from the start: calendar days keep the local time (luxon moves a time that
  // does not exist that day, in a spring-forward gap, to just after it).
  const day = from.plus({ days: offset });
  const landed = opts.at
    ? day.set({ hour: opts.at.hour, minute: opts.at.minute, second: 0, millisecond: 0 })
    : day;
  return { at: landed.toJSDate(), skipped };
}

/**
 * `instant` plus `days` calendar days in `zone` at the same local wall-clock time (as
 * `addLocalDays`), or, when that day is a weekend day or one of `holidays`, the next working day
 * after it at that time: a Friday 10:00 plus one day is the Monday 10:00. One step from
 * `instant`, so DST moves nothing (a day is 23 or 25 hours across a change, not 24). `skipped`
 * names the holidays on Monday to Friday stepped over.
 */
export function addLocalDaysToWorkingDay(
  instant: Date,
  days: number,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): WorkingDayCount {
  const from = inZone(instant, zone);
  const skipped: string[] = [];
  let offset = days;
  while (!isWorkingDay(from.plus({ days: offset }), holidays)) {
    const dt = from.plus({ days: offset });
    if (!isWeekend(dt)) skipped.push(dayOf(dt));
    offset++;
  }
  return { at: from.plus({ days: offset }).toJSDate(), skipped };
}

/**
 * `start` plus `days` working days (Monday to Friday in `zone`, less `holidays`), at the same
 * local wall-clock time whatever DST did in between. A start on a local weekend or holiday
 * counts from the next working day.
 */
export function addWorkingDays(
  start: Date,
  days: number,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): Date {
  return countWorkingDays(start, days, zone, { holidays }).at;
}

/**
 * The last working day (Monday to Friday in `zone`, less `holidays`) before `instant`'s local
 * day, at the same local wall-clock time: a Monday 17:00 gives the Friday before at 17:00, a
 * Tuesday 17:00 after a holiday Monday too.
 */
export function previousWorkingDay(
  instant: Date,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): Date {
  const from = inZone(instant, zone);
  let offset = -1;
  while (!isWorkingDay(from.plus({ days: offset }), holidays)) offset--;
  return from.plus({ days: offset }).toJSDate();
}

/**
 * The time of day written `17:00` or `9:30` (24-hour clock), or null for anything else
 * (`5pm`, `17`, `24:00`, `17:00:00`).
 */
export function parseTimeOfDay(s: string): TimeOfDay | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/** A time of day as `17:00`, `09:30`. */
export function timeOfDayText(t: TimeOfDay): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/** The weekday of a day (YYYY-MM-DD): 1 is Monday, 7 Sunday. */
export function weekdayOf(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

/** A day (YYYY-MM-DD) as people read it next to a deadline: "Fri 1 Jan". */
export function shortDay(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC', locale: 'en' }).toFormat('ccc d LLL');
}

/**
 * `instant` plus `days` calendar days in `zone`, at the same local wall-clock time: across a
 * DST change that is 23 or 25 hours a day, not 24 (a time that does not exist that day, in a
 * spring-forward gap, moves to just after it).
 */
export function addLocalDays(instant: Date, days: number, zone: string): Date {
  return inZone(instant, zone).plus({ days }).toJSDate();
}

/** The local date (YYYY-MM-DD) of an instant in `zone`. */
export function localDate(instant: Date, zone: string): string {
  return inZone(instant, zone).toFormat('yyyy-MM-dd');
}

/** The local date and time of an instant in `zone`: "2027-01-12 17:00". */
export function localDateTime(instant: Date, zone: string): string {
  return inZone(instant, zone).toFormat('yyyy-MM-dd HH:mm');
}

/**
 * True for a day written YYYY-MM-DD that the calendar has: '2027-02-30' has the shape but
 * not the day (a Date would roll it over to 2 March), so it is refused.
 */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (both YYYY-MM-DD): 2027-03-21 to 2027-03-25 is 4. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The instant of `hour`:00 local time on `date` (YYYY-MM-DD) in `zone`. */
export function atLocalHour(date: string, hour: number, zone: string): Date {
  const dt = DateTime.fromISO(date, { zone }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (!dt.isValid) throw new RangeError(`${date} in '${zone}': ${dt.invalidExplanation}`);
  return dt.toJSDate();
}
