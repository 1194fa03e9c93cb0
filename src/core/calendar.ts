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

const isWeekend = (dt: DateTime) => dt.weekday >= 6;

/**
 * `start` plus `days` working days (Monday to Friday in `zone`), at the same local wall-clock
 * time whatever DST did in between. A start on a local weekend counts from the next Monday.
 */
export function addWorkingDays(start: Date, days: number, zone: string): Date {
  const from = inZone(start, zone);
  let offset = 0;
  while (isWeekend(from.plus({ days: offset }))) offset++;
  let left = Math.max(0, Math.round(days));
  while (left > 0) {
    offset++;
    if (!isWeekend(from.plus({ days: offset }))) left--;
  }
  // One step from the start: calendar days keep the local time (luxon moves a time that
  // does not exist that day, in a spring-forward gap, to just after it).
  return from.plus({ days: offset }).toJSDate();
}

/**
 * The last working day (Monday to Friday in `zone`) before `instant`'s local day, at the same
 * local wall-clock time: a Monday 17:00 gives the Friday before at 17:00.
 */
export function previousWorkingDay(instant: Date, zone: string): Date {
  const from = inZone(instant, zone);
  let offset = -1;
  while (isWeekend(from.plus({ days: offset }))) offset--;
  return from.plus({ days: offset }).toJSDate();
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
