import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  addWorkingDays,
  atLocalHour,
  isTimeZone,
  localDate,
  localDateTime,
} from '../../src/core/calendar.js';
import { phaseDeadlines } from '../../src/core/cycle.js';
import {
  initialReminders,
  isOverdue,
  nextOverdue,
  reminderTime,
  today,
} from '../../src/services/actions.js';

const TOKYO = 'Asia/Tokyo';
const LA = 'America/Los_Angeles';

/** "Mon 17:00" in `zone`: the local weekday and wall-clock time of an instant. */
const local = (d: Date | string, zone: string) =>
  DateTime.fromJSDate(new Date(d), { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('working days in the company time zone', () => {
  it('Tokyo: a Friday-morning start plus one working day is Monday morning, not Saturday', () => {
    // Fri 2027-01-08 08:00 JST is Thu 23:00 UTC; counted in UTC, +1 landed on Sat 08:00 JST.
    const start = new Date('2027-01-07T23:00:00Z');
    expect(local(start, TOKYO)).toBe('Fri 2027-01-08 08:00');
    const d = addWorkingDays(start, 1, TOKYO);
    expect(local(d, TOKYO)).toBe('Mon 2027-01-11 08:00');
    expect(d.toISOString()).toBe('2027-01-10T23:00:00.000Z');
    // A Monday-morning start (Sunday in UTC) counts from Monday, not from Tuesday.
    expect(local(addWorkingDays(new Date('2027-01-10T23:00:00Z'), 1, TOKYO), TOKYO)).toBe(
      'Tue 2027-01-12 08:00',
    );
  });

  it('Los Angeles: an evening start counts from its local day', () => {
    // Thu 2027-01-07 18:00 PST is Fri 02:00 UTC; counted in UTC, +1 landed on Sun 18:00 PST.
    const start = new Date('2027-01-08T02:00:00Z');
    expect(local(addWorkingDays(start, 1, LA), LA)).toBe('Fri 2027-01-08 18:00');
    // Sat 2027-01-09 20:00 PST (Sun 04:00 UTC) counts from Monday: +2 is Wednesday.
    expect(local(addWorkingDays(new Date('2027-01-10T04:00:00Z'), 2, LA), LA)).toBe(
      'Wed 2027-01-13 20:00',
    );
  });

  it('keeps the local time across a DST change (spring forward in LA, fall back in Paris)', () => {
    // Fri 2027-03-12 17:00 PST; DST starts Sunday 2027-03-14; Monday is 17:00 PDT.
    const la = addWorkingDays(new Date('2027-03-13T01:00:00Z'), 1, LA);
    expect(local(la, LA)).toBe('Mon 2027-03-15 17:00');
    expect(la.toISOString()).toBe('2027-03-16T00:00:00.000Z');
    // Fri 2027-10-29 09:00 CEST; DST ends Sunday 2027-10-31; Monday is 09:00 CET.
    const paris = addWorkingDays(new Date('2027-10-29T07:00:00Z'), 1, 'Europe/Paris');
    expect(paris.toISOString()).toBe('2027-11-01T08:00:00.000Z');
  });

  it('UTC is counted as before', () => {
    expect(addWorkingDays(new Date('2027-01-01T10:00:00Z'), 1, 'UTC').toISOString()).toBe(
      '2027-01-04T10:00:00.000Z',
    );
  });

  it('phase deadlines fall on local weekdays at the start time, across a DST change', () => {
    // Wed 2027-03-10 17:00 PST; the defaults are 3, 5, 4, 3, 2 working days.
    const d = phaseDeadlines(new Date('2027-03-11T01:00:00Z'), {}, LA);
    expect(Object.values(d).map((iso) => local(iso, LA))).toEqual([
      'Mon 2027-03-15 17:00',
      'Mon 2027-03-22 17:00',
      'Fri 2027-03-26 17:00',
      'Wed 2027-03-31 17:00',
      'Fri 2027-04-02 17:00',
    ]);
    // Tokyo, from a Friday 08:00 start: no deadline on a Saturday.
    const t = phaseDeadlines(new Date('2027-01-07T23:00:00Z'), { data_gathering: 1 }, TOKYO);
    for (const iso of Object.values(t))
      expect(local(iso, TOKYO)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) .* 08:00$/);
    expect(local(t.data_gathering!, TOKYO)).toBe('Mon 2027-01-11 08:00');
  });

  it('local dates and times, and which zones are zones', () => {
    const at = new Date('2027-02-10T20:00:00Z');
    expect(localDate(at, TOKYO)).toBe('2027-02-11');
    expect(localDate(at, LA)).toBe('2027-02-10');
    expect(localDateTime(at, TOKYO)).toBe('2027-02-11 05:00');
    expect(atLocalHour('2027-02-10', 9, TOKYO).toISOString()).toBe('2027-02-10T00:00:00.000Z');
    expect(isTimeZone('UTC') && isTimeZone(TOKYO) && isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(() => localDate(at, 'Mars/Olympus')).toThrow(/not a time zone/);
  });
});

describe('calendar days in the company time zone', () => {
  it('keep the wall-clock time across DST: a 23-hour and a 25-hour day', () => {
    // Los Angeles springs forward on Sun 2027-03-14 (PST UTC−8 → PDT UTC−7) and falls back on
    // Sun 2027-11-07 (PDT → PST): Saturday 09:00 plus one day is Sunday 09:00 both times.
    expect(addLocalDays(new Date('2027-03-13T17:00:00Z'), 1, LA).toISOString()).toBe(
      '2027-03-14T16:00:00.000Z',
    );
    expect(addLocalDays(new Date('2027-11-06T16:00:00Z'), 1, LA).toISOString()).toBe(
      '2027-11-07T17:00:00.000Z',
    );
    // A week from Friday 2027-03-12 09:00 PST is Friday 2027-03-19 09:00 PDT.
    expect(addLocalDays(new Date('2027-03-12T17:00:00Z'), 7, LA).toISOString()).toBe(
      '2027-03-19T16:00:00.000Z',
    );
    // Tokyo has no DST: one day is 24 hours.
    expect(addLocalDays(new Date('2027-03-13T00:00:00Z'), 1, TOKYO).toISOString()).toBe(
      '2027-03-14T00:00:00.000Z',
    );
  });
});

describe('action reminders in the company time zone', () => {
  it('Tokyo: before, due and overdue at 09:00 local on their local days', () => {
    const slots = initialReminders('2027-02-10', new Date('2027-02-01T12:00:00Z'), TOKYO);
    expect(slots.map((s) => [s.kind, s.occurrence, local(s.at, TOKYO)])).toEqual([
      ['before', '2027-02-08', 'Mon 2027-02-08 09:00'],
      ['due', '2027-02-10', 'Wed 2027-02-10 09:00'],
      ['overdue', 'overdue-1', 'Thu 2027-02-11 09:00'],
    ]);
    // 09:00 JST is midnight UTC: in UTC it would have fired at 18:00 JST.
    expect(slots[1]!.at.toISOString()).toBe('2027-02-10T00:00:00.000Z');
    expect(reminderTime('2027-02-10', 'due', '2027-02-10', TOKYO)).toEqual(slots[1]!.at);
  });

  it('Los Angeles: the due reminder follows DST, the overdue chain stays at 09:00 local', () => {
    // Due Tuesday 2027-03-16, after the switch to PDT (Sunday the 14th); "before" falls on that
    // Sunday and goes out on the working day before, Friday the 12th, at 09:00 PST (17:00Z),
    // the due one at 09:00 PDT (16:00Z).
    const slots = initialReminders('2027-03-16', new Date('2027-03-01T00:00:00Z'), LA);
    expect(slots.map((s) => s.at.toISOString())).toEqual([
      '2027-03-12T17:00:00.000Z',
      '2027-03-16T16:00:00.000Z',
      '2027-03-17T16:00:00.000Z',
    ]);
    // Due Monday 2027-03-15: "before" (Saturday the 13th) goes out on Friday the 12th (PST),
    // not with the due one on the Monday.
    const monday = initialReminders('2027-03-15', new Date('2027-03-01T00:00:00Z'), LA);
    expect(monday.map((s) => [s.kind, s.at.toISOString()])).toEqual([
      ['before', '2027-03-12T17:00:00.000Z'],
      ['due', '2027-03-15T16:00:00.000Z'],
      ['overdue', '2027-03-16T16:00:00.000Z'],
    ]);
    const next = nextOverdue('2027-03-15', 'overdue-1', LA);
    expect(next && local(next.at, LA)).toBe('Wed 2027-03-17 09:00');
    // Created on the due day after 09:00 local: only the overdue reminder is left.
    const late = initialReminders('2027-03-15', new Date('2027-03-15T17:00:00Z'), LA);
    expect(late.map((s) => s.kind)).toEqual(['overdue']);
  });

  it('"today" and overdue are the local day', () => {
    // 2027-02-10 20:00 UTC is already the 11th in Tokyo, still the 10th in Los Angeles.
    const now = new Date('2027-02-10T20:00:00Z');
    const a = { status: 'open' as const, due_date: '2027-02-10' };
    expect(today(now, TOKYO)).toBe('2027-02-11');
    expect(isOverdue(a, today(now, TOKYO))).toBe(true);
    expect(isOverdue(a, today(now, LA))).toBe(false);
    expect(isOverdue({ ...a, status: 'done' as const }, today(now, TOKYO))).toBe(false);
  });
});
