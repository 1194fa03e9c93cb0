import { describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/core/calendar.js';
import {
  DEFAULT_PHASE_DAYS,
  nextPhase,
  nudgeAt,
  PHASE_ORDER,
  parsePhaseDays,
  phaseDeadlines,
} from '../../src/core/cycle.js';
import { initialReminders, nextOverdue, reminderTime } from '../../src/services/actions.js';

describe('phase machine', () => {
  it('runs the six phases in order and stops at closed', () => {
    const seen = [PHASE_ORDER[0]!];
    let p = nextPhase(PHASE_ORDER[0]!);
    while (p) {
      seen.push(p);
      p = nextPhase(p);
    }
    expect(seen).toEqual([
      'data_gathering',
      'demand_review',
      'supply_review',
      'pre_sop',
      'executive',
      'closed',
    ]);
  });

  it('counts working days and skips weekends', () => {
    // Friday 2027-01-01 10:00 UTC + 1 working day = Monday 2027-01-04.
    expect(addWorkingDays(new Date('2027-01-01T10:00:00Z'), 1, 'UTC').toISOString()).toBe(
      '2027-01-04T10:00:00.000Z',
    );
    // A Saturday start counts from Monday: +2 = Wednesday.
    expect(addWorkingDays(new Date('2027-01-02T08:00:00Z'), 2, 'UTC').toISOString()).toBe(
      '2027-01-06T08:00:00.000Z',
    );
  });

  it('chains the deadlines from the configured working days, defaults elsewhere', () => {
    const d = phaseDeadlines(new Date('2027-01-04T09:00:00Z'), { demand_review: 1 }, 'UTC');
    // Monday + 3 (data gathering default) = Thursday; +1 = Friday; +4 supply = next Thursday.
    expect(DEFAULT_PHASE_DAYS.data_gathering).toBe(3);
    expect(d.data_gathering).toBe('2027-01-07T09:00:00.000Z');
    expect(d.demand_review).toBe('2027-01-08T09:00:00.000Z');
    expect(d.supply_review).toBe('2027-01-14T09:00:00.000Z');
    expect(d.closed).toBeUndefined();
  });

  it('parses phase=days and names the bad token', () => {
    expect(parsePhaseDays(['demand_review=5', 'pre-sop=2'])).toEqual({
      demand_review: 5,
      pre_sop: 2,
    });
    expect(() => parsePhaseDays(['demand=5'])).toThrow('`demand=5`: unknown phase `demand`;');
    expect(() => parsePhaseDays(['executive=0'])).toThrow(/between 1 and 30/);
    expect(() => parsePhaseDays(['executive:3'])).toThrow(/write phase=days/);
  });

  it('nudges one working day before a deadline, at its local time, never before now', () => {
    // Friday 09:00 UTC: nudged on Thursday 09:00.
    const dl = new Date('2027-01-08T09:00:00Z');
    expect(nudgeAt(dl, new Date('2027-01-04T00:00:00Z'), 'UTC').toISOString()).toBe(
      '2027-01-07T09:00:00.000Z',
    );
    expect(nudgeAt(dl, new Date('2027-01-08T00:00:00Z'), 'UTC').toISOString()).toBe(
      '2027-01-08T00:00:00.000Z',
    );
    // Monday 17:00 in Tokyo (08:00 UTC): nudged on the Friday before at 17:00 Tokyo, not on
    // the Sunday, as 24 hours before would be.
    const monday = new Date('2027-01-11T08:00:00Z');
    expect(nudgeAt(monday, new Date('2027-01-04T00:00:00Z'), 'Asia/Tokyo').toISOString()).toBe(
      '2027-01-08T08:00:00.000Z',
    );
    // Across the spring DST change in Los Angeles: Monday 2027-03-15 10:00 PDT (17:00 UTC)
    // is nudged on Friday 2027-03-12 10:00 PST (18:00 UTC).
    const afterDst = new Date('2027-03-15T17:00:00Z');
    expect(
      nudgeAt(afterDst, new Date('2027-03-01T00:00:00Z'), 'America/Los_Angeles').toISOString(),
    ).toBe('2027-03-12T18:00:00.000Z');
  });
});

describe('action reminder schedule', () => {
  it('plans before, due and the first overdue reminder when all are ahead', () => {
    const slots = initialReminders('2027-02-10', new Date('2027-02-01T12:00:00Z'), 'UTC');
    expect(slots.map((s) => [s.kind, s.occurrence, s.at.toISOString()])).toEqual([
      ['before', '2027-02-08', '2027-02-08T09:00:00.000Z'],
      ['due', '2027-02-10', '2027-02-10T09:00:00.000Z'],
      ['overdue', 'overdue-1', '2027-02-11T09:00:00.000Z'],
    ]);
  });

  it('drops reminders already in the past and caps the overdue chain', () => {
    const slots = initialReminders('2027-02-10', new Date('2027-02-09T12:00:00Z'), 'UTC');
    expect(slots.map((s) => s.kind)).toEqual(['due', 'overdue']);
    expect(nextOverdue('2027-02-10', 'overdue-1', 'UTC')?.occurrence).toBe('overdue-2');
    expect(nextOverdue('2027-02-10', 'overdue-3', 'UTC')).toBeNull();
    expect(reminderTime('2027-02-10', 'overdue', 'overdue-2', 'UTC').toISOString()).toBe(
      '2027-02-12T09:00:00.000Z',
    );
    expect(
      reminderTime('2027-02-10', 'due', 'snooze-2027-02-15T10:00:00.000Z', 'UTC').toISOString(),
    ).toBe('2027-02-15T10:00:00.000Z');
  });
});
