/**
 * Deadlines at the company's time of day, and its holidays skipped like weekends. Every
 * expected instant is worked by hand in the comments, from the zones' rules: Europe/Berlin is
 * CET (UTC+1) until Sunday 2027-03-28 and from Sunday 2027-10-31, CEST (UTC+2) between;
 * America/New_York is EST (UTC−5) until Sunday 2027-03-14 and from Sunday 2027-11-07, EDT
 * (UTC−4) between. Easter Sunday 2027 is 28 March (Good Friday the 26th, Easter Monday the
 * 29th, Whit Monday 17 May); Thanksgiving 2027 is Thursday 25 November; 2027-12-25 is a
 * Saturday.
 */
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  countWorkingDays,
  parseTimeOfDay,
  previousWorkingDay,
  shortDay,
} from '../../src/core/calendar.js';
import {
  nudgeAt,
  parseDeadlineSettings,
  phaseDeadlines,
  phaseSchedule,
} from '../../src/core/cycle.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const FIVE_PM = { hour: 17, minute: 0 };
const iso = (s: string) => new Date(s).toISOString();
const set = (...days: string[]) => new Set(days);

describe('deadlines at the company time of day', () => {
  it('Berlin: 17:00 local before and after the spring change, whatever time the cycle opened', () => {
    // Opened Wed 2027-03-24 09:00 CET (08:00Z). data gathering +1: Thu 25, 17:00 CET = 16:00Z.
    // demand review +1: Fri 26, 17:00 CET = 16:00Z. supply review +1: Mon 29 (after the
    // change), 17:00 CEST = 15:00Z. pre-S&OP +1: Tue 30, 15:00Z; executive +1: Wed 31, 15:00Z.
    const days = {
      data_gathering: 1,
      demand_review: 1,
      supply_review: 1,
      pre_sop: 1,
      executive: 1,
    };
    expect(phaseDeadlines(new Date('2027-03-24T08:00:00Z'), days, BERLIN, { at: FIVE_PM })).toEqual(
      {
        data_gathering: iso('2027-03-25T16:00:00Z'),
        demand_review: iso('2027-03-26T16:00:00Z'),
        supply_review: iso('2027-03-29T15:00:00Z'),
        pre_sop: iso('2027-03-30T15:00:00Z'),
        executive: iso('2027-03-31T15:00:00Z'),
      },
    );
    // Opened at 23:40 the same Wednesday (22:40Z): the same days, still at 17:00.
    expect(
      phaseDeadlines(new Date('2027-03-24T22:40:00Z'), days, BERLIN, { at: FIVE_PM })
        .data_gathering,
    ).toBe(iso('2027-03-25T16:00:00Z'));
  });

  it('Berlin across the autumn change: Fri 29 Oct 17:00 CEST, then Mon 1 Nov 17:00 CET', () => {
    // Opened Thu 2027-10-28 10:00 CEST (08:00Z). +1: Fri 29, 17:00 CEST = 15:00Z; +1 more:
    // Mon 1 Nov, 17:00 CET = 16:00Z.
    const d = phaseDeadlines(
      new Date('2027-10-28T08:00:00Z'),
      { data_gathering: 1, demand_review: 1 },
      BERLIN,
      { at: FIVE_PM },
    );
    expect([d.data_gathering, d.demand_review]).toEqual([
      iso('2027-10-29T15:00:00Z'),
      iso('2027-11-01T16:00:00Z'),
    ]);
  });

  it('New York across both changes, at 17:00 and at 09:30', () => {
    // Opened Fri 2027-03-12 16:30 EST (21:30Z). +1: Mon 15 (after the change), 17:00 EDT = 21:00Z.
    expect(
      phaseDeadlines(new Date('2027-03-12T21:30:00Z'), { data_gathering: 1 }, NEW_YORK, {
        at: FIVE_PM,
      }).data_gathering,
    ).toBe(iso('2027-03-15T21:00:00Z'));
    // Opened Fri 2027-11-05 10:00 EDT (14:00Z). +1: Mon 8 (after the change), 17:00 EST = 22:00Z;
    // at 09:30 it is 09:30 EST = 14:30Z.
    const start = new Date('2027-11-05T14:00:00Z');
    expect(
      phaseDeadlines(start, { data_gathering: 1 }, NEW_YORK, { at: FIVE_PM }).data_gathering,
    ).toBe(iso('2027-11-08T22:00:00Z'));
    expect(
      phaseDeadlines(start, { data_gathering: 1 }, NEW_YORK, { at: { hour: 9, minute: 30 } })
        .data_gathering,
    ).toBe(iso('2027-11-08T14:30:00Z'));
  });

  it('without a time of day, the deadline keeps the start’s (the rule before)', () => {
    // Fri 2027-03-12 16:30 EST + 1 working day = Mon 15 16:30 EDT = 20:30Z.
    expect(
      phaseDeadlines(new Date('2027-03-12T21:30:00Z'), { data_gathering: 1 }, NEW_YORK)
        .data_gathering,
    ).toBe(iso('2027-03-15T20:30:00Z'));
  });
});

describe('company holidays are skipped like weekends', () => {
  it('a Friday deadline before a Monday holiday: the next phase ends on Tuesday, nudged on Friday', () => {
    // Berlin, Whit Monday 2027-05-17. Opened Wed 2027-05-12 10:00 CEST (08:00Z): data gathering
    // +2: Thu 13, Fri 14 → Fri 14 17:00 CEST = 15:00Z, untouched by the holiday. Demand review
    // +1: Mon 17 is the holiday, so Tue 18 17:00 CEST = 15:00Z (without it: Mon 17).
    const s = phaseSchedule(
      new Date('2027-05-12T08:00:00Z'),
      { data_gathering: 2, demand_review: 1 },
      BERLIN,
      { at: FIVE_PM, holidays: set('2027-05-17') },
    );
    expect(s.deadlines.data_gathering).toBe(iso('2027-05-14T15:00:00Z'));
    expect(s.deadlines.demand_review).toBe(iso('2027-05-18T15:00:00Z'));
    // Only the demand review's count stepped over it.
    expect(s.skipped).toEqual({ demand_review: ['2027-05-17'] });
    // Its nudge is one working day before: Friday 14 at 17:00, not the holiday Monday.
    expect(
      nudgeAt(new Date(s.deadlines.demand_review!), new Date(0), BERLIN, set('2027-05-17')),
    ).toEqual(new Date('2027-05-14T15:00:00Z'));
    // Without the holiday the nudge is on Monday 17 at 17:00 CEST.
    expect(nudgeAt(new Date('2027-05-18T15:00:00Z'), new Date(0), BERLIN)).toEqual(
      new Date('2027-05-17T15:00:00Z'),
    );
  });

  it('Easter in Berlin, across the spring change: Good Friday and Easter Monday are not counted', () => {
    // Opened Thu 2027-03-25 09:00 CET (08:00Z), defaults 3, 5, 4, 3, 2 at 17:00.
    // data gathering +3: Fri 26 (holiday), Mon 29 (holiday), Tue 30, Wed 31, Thu 1 Apr.
    // demand review +5: Fri 2, Mon 5, Tue 6, Wed 7, Thu 8. supply review +4: Fri 9, Mon 12,
    // Tue 13, Wed 14. pre-S&OP +3: Thu 15, Fri 16, Mon 19. executive +2: Tue 20, Wed 21.
    // All 17:00 CEST = 15:00Z.
    const s = phaseSchedule(new Date('2027-03-25T08:00:00Z'), {}, BERLIN, {
      at: FIVE_PM,
      holidays: set('2027-03-26', '2027-03-29'),
    });
    expect(Object.values(s.deadlines)).toEqual(
      ['2027-04-01', '2027-04-08', '2027-04-14', '2027-04-19', '2027-04-21'].map((d) =>
        iso(`${d}T15:00:00Z`),
      ),
    );
    expect(s.skipped).toEqual({ data_gathering: ['2027-03-26', '2027-03-29'] });
  });

  it('Thanksgiving in New York: Thursday and Friday off', () => {
    // Opened Wed 2027-11-24 09:00 EST (14:00Z), data gathering +2: Thu 25 and Fri 26 are
    // holidays, Mon 29, Tue 30 → Tue 30 17:00 EST = 22:00Z.
    const s = phaseSchedule(new Date('2027-11-24T14:00:00Z'), { data_gathering: 2 }, NEW_YORK, {
      at: FIVE_PM,
      holidays: set('2027-11-25', '2027-11-26'),
    });
    expect(s.deadlines.data_gathering).toBe(iso('2027-11-30T22:00:00Z'));
    expect(s.skipped.data_gathering).toEqual(['2027-11-25', '2027-11-26']);
    // A Monday deadline after a holiday Thursday and Friday is nudged on the Wednesday:
    // Mon 29 17:00 EST (22:00Z) → Wed 24 17:00 EST.
    expect(
      previousWorkingDay(
        new Date('2027-11-29T22:00:00Z'),
        NEW_YORK,
        set('2027-11-25', '2027-11-26'),
      ),
    ).toEqual(new Date('2027-11-24T22:00:00Z'));
  });

  it('a holiday on a weekend moves nothing and is not named', () => {
    // Christmas 2027 is Saturday 25 December, Boxing Day Sunday 26. Opened Thu 2027-12-23
    // 10:00 CET (09:00Z), +2: Fri 24, Mon 27 → Mon 27 17:00 CET = 16:00Z, as without them.
    const holidays = set('2027-12-25', '2027-12-26');
    const start = new Date('2027-12-23T09:00:00Z');
    const s = phaseSchedule(start, { data_gathering: 2 }, BERLIN, { at: FIVE_PM, holidays });
    expect(s.deadlines.data_gathering).toBe(iso('2027-12-27T16:00:00Z'));
    expect(s.skipped.data_gathering).toBeUndefined();
    // Nor a nudge: Mon 27's is Fri 24.
    expect(nudgeAt(new Date('2027-12-27T16:00:00Z'), start, BERLIN, holidays)).toEqual(
      new Date('2027-12-24T16:00:00Z'),
    );
  });

  it('a start on a holiday counts from the next working day, and names it', () => {
    // Fri 2027-01-01 10:00 CET (09:00Z), New Year's Day: counting starts Monday 4, +1 is
    // Tue 5 17:00 CET = 16:00Z (without the holiday: Mon 4).
    const c = countWorkingDays(new Date('2027-01-01T09:00:00Z'), 1, BERLIN, {
      at: FIVE_PM,
      holidays: set('2027-01-01'),
    });
    expect(c).toEqual({ at: new Date('2027-01-05T16:00:00Z'), skipped: ['2027-01-01'] });
    expect(
      countWorkingDays(new Date('2027-01-01T09:00:00Z'), 1, BERLIN, { at: FIVE_PM }).at,
    ).toEqual(new Date('2027-01-04T16:00:00Z'));
  });

  it('addWorkingDays (a deviation’s due date) skips them too, keeping the time', () => {
    // Mon 2027-02-08 12:00 UTC + 2 working days with Tue 9 off: Wed 10, Thu 11.
    expect(addWorkingDays(new Date('2027-02-08T12:00:00Z'), 2, 'UTC', set('2027-02-09'))).toEqual(
      new Date('2027-02-11T12:00:00Z'),
    );
  });
});

describe('/sop cycle deadlines at=HH:MM', () => {
  it('reads a time of day on a 24-hour clock, with or without phase days', () => {
    expect(parseDeadlineSettings(['at=17:00'])).toEqual({ days: {}, at: { hour: 17, minute: 0 } });
    expect(parseDeadlineSettings(['demand_review=5', 'at=9:30'])).toEqual({
      days: { demand_review: 5 },
      at: { hour: 9, minute: 30 },
    });
    expect(parseDeadlineSettings(['pre-sop=2'])).toEqual({ days: { pre_sop: 2 }, at: null });
    expect(parseTimeOfDay('00:00')).toEqual({ hour: 0, minute: 0 });
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
  });

  it('refuses another writing, naming the token and what to write', () => {
    expect(() => parseDeadlineSettings(['at=5pm'])).toThrow(
      '`at=5pm`: write the time on a 24-hour clock, here at=17:00',
    );
    expect(() => parseDeadlineSettings(['at=12:30am'])).toThrow('here at=00:30');
    expect(() => parseDeadlineSettings(['at=8:30 a.m.'])).toThrow('here at=08:30');
    for (const bad of ['at=17', 'at=17:00:00', 'at=', 'at=17.00'])
      expect(() => parseDeadlineSettings([bad])).toThrow(
        `\`${bad}\`: write the time of day as HH:MM on a 24-hour clock, e.g. at=17:00`,
      );
    expect(() => parseDeadlineSettings(['at=17:00', 'at=18:00'])).toThrow(
      '`at=18:00`: give the time once',
    );
    expect(() => parseDeadlineSettings([])).toThrow('give at least one phase=days or at=HH:MM');
  });

  it('refuses midnight however it is written: at 00:00 a phase’s last working day would not count', () => {
    // By hand, what 00:00 would do in Berlin: a cycle opened Wed 2027-03-24 10:00 CET with one
    // working day of data gathering would end it Thu 25 at 00:00 CET (Wed 24 23:00Z), before
    // any of Thursday, the one working day it was given, is worked. At 23:59 it ends Thu 25
    // 23:59 CET = 22:59Z, the end of that day.
    for (const t of ['at=00:00', 'at=0:00', 'at=24:00', 'at=12am', 'AT=12a.m.'])
      expect(() => parseDeadlineSettings([t])).toThrow(
        `\`${t}\`: a deadline at midnight falls at 00:00, the start of its phase's last working day, so that day would not count; write at=23:59 for the end of the day, or the end of the working day, e.g. at=17:00`,
      );
    expect(parseDeadlineSettings(['at=23:59']).at).toEqual({ hour: 23, minute: 59 });
    expect(
      phaseDeadlines(new Date('2027-03-24T09:00:00Z'), { data_gathering: 1 }, BERLIN, {
        at: { hour: 23, minute: 59 },
      }).data_gathering,
    ).toBe(iso('2027-03-25T22:59:00Z'));
    // The minute after midnight is a time like any other.
    expect(parseDeadlineSettings(['at=00:01']).at).toEqual({ hour: 0, minute: 1 });
  });

  it('writes a holiday next to its deadline as a short day', () => {
    expect(shortDay('2027-01-01')).toBe('Fri 1 Jan');
    expect(shortDay('2027-05-17')).toBe('Mon 17 May');
  });
});
