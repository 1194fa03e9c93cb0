/**
 * Action reminders on working days: one that would fall on a Saturday, a Sunday or a company
 * holiday goes out on the next working day at 09:00 in the company's zone, the overdue chain
 * on the working days after the due date; a late one is superseded by a later one due by then.
 * Every expected instant is written by hand from the calendar of 2027 (1 March a Monday; Berlin
 * moves to CEST, UTC+2, on Sunday 28 March; Good Friday is 26 March, Easter Monday 29 March).
 */
import { describe, expect, it } from 'vitest';
import {
  initialReminders,
  nextOverdue,
  reminderDays,
  reminderSchedule,
  reminderTime,
  supersededAt,
} from '../../src/services/actions.js';

const BERLIN = 'Europe/Berlin';
const iso = (d: Date) => d.toISOString();
const slots = (due: string, zone: string, holidays?: ReadonlySet<string>) =>
  reminderSchedule(due, zone, holidays).map((s) => [s.kind, s.occurrence, iso(s.at)]);

describe('reminders on working days', () => {
  it('due Friday 19 March (UTC): the overdue chain skips the weekend, Monday to Wednesday', () => {
    expect(slots('2027-03-19', 'UTC')).toEqual([
      ['before', '2027-03-17', '2027-03-17T09:00:00.000Z'],
      ['due', '2027-03-19', '2027-03-19T09:00:00.000Z'],
      ['overdue', 'overdue-1', '2027-03-22T09:00:00.000Z'],
      ['overdue', 'overdue-2', '2027-03-23T09:00:00.000Z'],
      ['overdue', 'overdue-3', '2027-03-24T09:00:00.000Z'],
    ]);
    // The chain's next one, as the job that sends overdue-1 schedules it.
    expect(iso(nextOverdue('2027-03-19', 'overdue-1', 'UTC')!.at)).toBe('2027-03-23T09:00:00.000Z');
  });

  it('a holiday Monday (22 March) moves the first overdue reminder to Tuesday', () => {
    const holidays = new Set(['2027-03-22']);
    expect(slots('2027-03-19', 'UTC', holidays).slice(2)).toEqual([
      ['overdue', 'overdue-1', '2027-03-23T09:00:00.000Z'],
      ['overdue', 'overdue-2', '2027-03-24T09:00:00.000Z'],
      ['overdue', 'overdue-3', '2027-03-25T09:00:00.000Z'],
    ]);
    expect(iso(reminderTime('2027-03-19', 'overdue', 'overdue-1', 'UTC', holidays))).toBe(
      '2027-03-23T09:00:00.000Z',
    );
  });

  it('a due date on a Saturday: its "due" reminder would be the Monday of the first overdue one, which is that day\'s', () => {
    // Due Sat 20 March: before Thu 18; due (Sat) → Mon 22 = overdue-1 (Mon 22): one reminder.
    expect(slots('2027-03-20', 'UTC')).toEqual([
      ['before', '2027-03-18', '2027-03-18T09:00:00.000Z'],
      ['overdue', 'overdue-1', '2027-03-22T09:00:00.000Z'],
      ['overdue', 'overdue-2', '2027-03-23T09:00:00.000Z'],
      ['overdue', 'overdue-3', '2027-03-24T09:00:00.000Z'],
    ]);
    expect(iso(reminderTime('2027-03-20', 'due', '2027-03-20', 'UTC'))).toBe(
      '2027-03-22T09:00:00.000Z',
    );
  });

  it('Berlin across DST and Easter: due Thursday 25 March, reminded again Tuesday 30th at 09:00 CEST', () => {
    const easter = new Set(['2027-03-26', '2027-03-29']);
    expect(slots('2027-03-25', BERLIN, easter)).toEqual([
      // Tue 23 09:00 CET (UTC+1).
      ['before', '2027-03-23', '2027-03-23T08:00:00.000Z'],
      ['due', '2027-03-25', '2027-03-25T08:00:00.000Z'],
      // Fri 26 (Good Friday), the weekend, Mon 29 (Easter Monday): Tue 30 09:00 CEST (UTC+2).
      ['overdue', 'overdue-1', '2027-03-30T07:00:00.000Z'],
      ['overdue', 'overdue-2', '2027-03-31T07:00:00.000Z'],
      ['overdue', 'overdue-3', '2027-04-01T07:00:00.000Z'],
    ]);
    // Without the holidays: Fri 26 09:00 CET, then Mon 29 09:00 CEST.
    expect(slots('2027-03-25', BERLIN).slice(2, 4)).toEqual([
      ['overdue', 'overdue-1', '2027-03-26T08:00:00.000Z'],
      ['overdue', 'overdue-2', '2027-03-29T07:00:00.000Z'],
    ]);
    expect(reminderDays('2027-03-25', BERLIN, easter)).toEqual(
      new Set(['2027-03-23', '2027-03-25', '2027-03-30', '2027-03-31', '2027-04-01']),
    );
  });

  it('"before" on a Sunday goes out on the Friday before: a warning comes earlier, never later', () => {
    // Due Tue 16 March: before (Sun 14) → Fri 12, two working days ahead of the due date.
    expect(slots('2027-03-16', 'UTC').slice(0, 2)).toEqual([
      ['before', '2027-03-14', '2027-03-12T09:00:00.000Z'],
      ['due', '2027-03-16', '2027-03-16T09:00:00.000Z'],
    ]);
    // Created on Saturday the 13th: the warning's Friday has passed, so due and overdue only.
    expect(
      initialReminders('2027-03-16', new Date('2027-03-13T12:00:00Z'), 'UTC').map((s) => s.kind),
    ).toEqual(['due', 'overdue']);
    // Due Mon 15 March: before (Sat 13) → Fri 12 at 09:00, not merged into Monday's "due".
    expect(slots('2027-03-15', 'UTC').slice(0, 2)).toEqual([
      ['before', '2027-03-13', '2027-03-12T09:00:00.000Z'],
      ['due', '2027-03-15', '2027-03-15T09:00:00.000Z'],
    ]);
    // Due Tue 30 March 2027, Good Friday (26) and Easter Monday (29) holidays: before (Sun 28)
    // → the working day before it, Thu 25.
    const easter = new Set(['2027-03-26', '2027-03-29']);
    expect(slots('2027-03-30', 'UTC', easter)[0]).toEqual([
      'before',
      '2027-03-28',
      '2027-03-25T09:00:00.000Z',
    ]);
  });

  it('20 days after the due date, every reminder but the last one is superseded', () => {
    // Due Wed 17 March; overdue-3 is Mon 22 (18 Thu, 19 Fri, 22 Mon). Now: Tue 6 April 09:00.
    const now = new Date('2027-04-06T09:00:00Z');
    const stale = (kind: 'before' | 'due' | 'overdue', occurrence: string) =>
      supersededAt('2027-03-17', kind, occurrence, now, 'UTC');
    expect(stale('before', '2027-03-15')).toBe(true);
    expect(stale('due', '2027-03-17')).toBe(true);
    expect(stale('overdue', 'overdue-1')).toBe(true);
    expect(stale('overdue', 'overdue-2')).toBe(true);
    expect(stale('overdue', 'overdue-3')).toBe(false);
    // On time, overdue-1 (Thu 18 09:00) is not: overdue-2 comes the next day.
    expect(
      supersededAt('2027-03-17', 'overdue', 'overdue-1', new Date('2027-03-18T09:00:00Z'), 'UTC'),
    ).toBe(false);
  });
});
