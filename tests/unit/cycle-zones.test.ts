/**
 * The cycle's deadlines and nudges in company zones that make time hard: Europe/Berlin across
 * both DST changes (last Sunday of March and of October), America/New_York (second Sunday of
 * March, first of November), Asia/Kolkata (UTC+05:30, no DST) and Pacific/Auckland across New
 * Year (NZDT, UTC+13, so its Monday morning is Sunday in UTC). Every expected instant is worked
 * by hand in the comments; the properties at the end check every start over a year against
 * luxon's reading of the zone, not against the code's own arithmetic.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CycleRow } from '../../db/schema.js';
import { nudgeAt, phaseDeadlines } from '../../src/core/cycle.js';
import { phaseAnnouncement } from '../../src/slack/presenters/cycle.js';
import { slackDate } from '../../src/slack/presenters/format.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';
const AUCKLAND = 'Pacific/Auckland';

const iso = (s: string) => new Date(s).toISOString();
const deadlinesOf = (start: string, zone: string, days = {}) =>
  Object.values(phaseDeadlines(new Date(start), days, zone));

describe('phase deadlines (defaults: 3, 5, 4, 3, 2 working days, chained)', () => {
  it('Berlin across the spring change (Sunday 2027-03-28, CET UTC+1 → CEST UTC+2)', () => {
    // Thu 2027-03-25 09:00 CET. +3: Fri 26, Mon 29, Tue 30; +5: Wed 31, Thu 1, Fri 2, Mon 5,
    // Tue 6; +4: Wed 7, Thu 8, Fri 9, Mon 12; +3: Tue 13, Wed 14, Thu 15; +2: Fri 16, Mon 19.
    // All at 09:00 CEST, 07:00 UTC (an hour earlier in UTC than the start).
    expect(deadlinesOf('2027-03-25T08:00:00Z', BERLIN)).toEqual(
      ['2027-03-30', '2027-04-06', '2027-04-12', '2027-04-15', '2027-04-19'].map((d) =>
        iso(`${d}T07:00:00Z`),
      ),
    );
  });

  it('Berlin across the autumn change (Sunday 2027-10-31, CEST → CET)', () => {
    // Thu 2027-10-28 09:00 CEST (07:00Z). +3: Fri 29, Mon 1 Nov, Tue 2 Nov, 09:00 CET = 08:00Z.
    expect(deadlinesOf('2027-10-28T07:00:00Z', BERLIN)[0]).toBe(iso('2027-11-02T08:00:00Z'));
  });

  it('New York across the spring change (Sunday 2027-03-14, EST UTC−5 → EDT UTC−4)', () => {
    // Fri 2027-03-12 16:30 EST (21:30Z). +3: Mon 15, Tue 16, Wed 17; +5: Thu 18, Fri 19, Mon 22,
    // Tue 23, Wed 24; +4: Thu 25, Fri 26, Mon 29, Tue 30; +3: Wed 31, Thu 1, Fri 2 April;
    // +2: Mon 5, Tue 6. All at 16:30 EDT, 20:30Z.
    expect(deadlinesOf('2027-03-12T21:30:00Z', NEW_YORK)).toEqual(
      ['2027-03-17', '2027-03-24', '2027-03-30', '2027-04-02', '2027-04-06'].map((d) =>
        iso(`${d}T20:30:00Z`),
      ),
    );
    // Fall back on Sunday 2027-11-07: Fri 2027-11-05 16:30 EDT (20:30Z) plus one working day
    // is Mon 2027-11-08 16:30 EST, 21:30Z.
    expect(deadlinesOf('2027-11-05T20:30:00Z', NEW_YORK, { data_gathering: 1 })[0]).toBe(
      iso('2027-11-08T21:30:00Z'),
    );
  });

  it('Kolkata (UTC+05:30): the local day, not the UTC one, decides the weekend', () => {
    // Thu 2027-01-14 20:00Z is Fri 2027-01-15 01:30 IST. One working day on is Monday
    // 2027-01-18 01:30 IST = Sun 2027-01-17 20:00Z (counted in UTC it was Fri 20:00Z, which is
    // Saturday 01:30 in Kolkata).
    expect(deadlinesOf('2027-01-14T20:00:00Z', KOLKATA, { data_gathering: 1 })[0]).toBe(
      iso('2027-01-17T20:00:00Z'),
    );
    // Fri 2027-01-08 22:00Z is Sat 2027-01-09 03:30 IST: a weekend start counts from Monday
    // the 11th, so +3 is Thu 2027-01-14 03:30 IST = Wed 2027-01-13 22:00Z.
    expect(deadlinesOf('2027-01-08T22:00:00Z', KOLKATA)[0]).toBe(iso('2027-01-13T22:00:00Z'));
  });

  it('Auckland across New Year (NZDT, UTC+13): Monday morning is Sunday in UTC', () => {
    // Wed 2026-12-30 09:00 NZDT = Tue 2026-12-29 20:00Z. +3: Thu 31, Fri 1 Jan, Mon 4; +5: Tue 5,
    // Wed 6, Thu 7, Fri 8, Mon 11; +4: Tue 12, Wed 13, Thu 14, Fri 15; +3: Mon 18, Tue 19,
    // Wed 20; +2: Thu 21, Fri 22. Each 09:00 NZDT, 20:00Z the day before. New Year's Day counts:
    // working days are Monday to Friday less the holidays the company lists, none here.
    expect(deadlinesOf('2026-12-29T20:00:00Z', AUCKLAND)).toEqual(
      ['2027-01-03', '2027-01-10', '2027-01-14', '2027-01-19', '2027-01-21'].map((d) =>
        iso(`${d}T20:00:00Z`),
      ),
    );
  });
});

describe('nudges: one working day before the deadline, at its local time', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  it('a Monday deadline is nudged on the Friday before, across a DST change', () => {
    // Berlin: Mon 2027-03-29 09:00 CEST (07:00Z) → Fri 2027-03-26 09:00 CET, 08:00Z (72 hours
    // earlier would be 08:00 CET).
    expect(nudgeAt(new Date('2027-03-29T07:00:00Z'), start, BERLIN).toISOString()).toBe(
      iso('2027-03-26T08:00:00Z'),
    );
    // Berlin: Mon 2027-11-01 09:00 CET (08:00Z) → Fri 2027-10-29 09:00 CEST, 07:00Z.
    expect(nudgeAt(new Date('2027-11-01T08:00:00Z'), start, BERLIN).toISOString()).toBe(
      iso('2027-10-29T07:00:00Z'),
    );
    // Auckland: Mon 2027-01-04 09:00 NZDT (Sun 20:00Z) → Fri 2027-01-01 09:00 NZDT, Thu 20:00Z.
    expect(nudgeAt(new Date('2027-01-03T20:00:00Z'), start, AUCKLAND).toISOString()).toBe(
      iso('2026-12-31T20:00:00Z'),
    );
    // Kolkata: Mon 2027-01-18 01:30 IST (Sun 20:00Z) → Fri 2027-01-15 01:30 IST, Thu 20:00Z.
    expect(nudgeAt(new Date('2027-01-17T20:00:00Z'), start, KOLKATA).toISOString()).toBe(
      iso('2027-01-14T20:00:00Z'),
    );
  });

  it('never before the cycle opened', () => {
    const opened = new Date('2027-03-29T06:00:00Z');
    expect(nudgeAt(new Date('2027-03-29T07:00:00Z'), opened, BERLIN)).toEqual(opened);
  });
});

describe('every start of a year, in each zone (luxon reads the zone)', () => {
  const zones = [BERLIN, NEW_YORK, KOLKATA, AUCKLAND];
  // Every 29 hours over 2027: every hour of the day on every weekday (29 and 24 share no
  // factor), both DST changes.
  const starts = Array.from(
    { length: Math.floor((365 * 24) / 29) },
    (_, i) => new Date(Date.UTC(2027, 0, 1) + i * 29 * 3_600_000),
  );
  const local = (d: Date | string, zone: string) => DateTime.fromJSDate(new Date(d), { zone });

  it('deadlines fall on local weekdays at the start’s local time, in order; nudges on the working day before', () => {
    for (const zone of zones) {
      for (const s of starts) {
        const start = local(s, zone);
        const deadlines = Object.values(phaseDeadlines(s, {}, zone)).map((d) => local(d!, zone));
        let before = start;
        for (const d of deadlines) {
          expect(d.weekday, `${zone} ${s.toISOString()}`).toBeLessThanOrEqual(5);
          expect(d.toFormat('HH:mm')).toBe(start.toFormat('HH:mm'));
          expect(d > before).toBe(true);
          before = d;
          // The nudge: the last Monday-to-Friday day before the deadline's, at its time.
          const n = local(nudgeAt(d.toJSDate(), new Date(0), zone), zone);
          const back = d.weekday === 1 ? 3 : 1;
          expect(n.toFormat('yyyy-MM-dd HH:mm')).toBe(
            d.minus({ days: back }).toFormat('yyyy-MM-dd HH:mm'),
          );
        }
      }
    }
  });

  it('an announcement’s fallback text is the same minute as its epoch, in the company zone', () => {
    for (const zone of zones) {
      for (const s of starts) {
        // Seconds on the instant too: the epoch is cut to the second, the fallback to the minute.
        const at = new Date(s.getTime() + 59_999);
        const m = /^<!date\^(\d+)\^\{date_short_pretty\} \{time\}\|(.+) (\S+)>$/.exec(
          slackDate(at, zone),
        );
        expect(m?.[3]).toBe(zone);
        const fallback = DateTime.fromFormat(m![2]!, 'yyyy-MM-dd HH:mm', { zone });
        expect(fallback.toMillis(), `${zone} ${at.toISOString()}`).toBe(
          Math.floor(Number(m![1]) / 60) * 60_000,
        );
      }
    }
  });
});

describe('the announcement of a phase entered late', () => {
  // Berlin; the demand review was due to end Tue 2027-04-06 09:00 CEST (07:00Z) = 1806994800
  // (2027-01-01 is 1798761600; +95 days +7 hours).
  const cycle: CycleRow = {
    id: 1,
    month: '2027-04',
    phase: 'supply_review',
    deadlines: {
      demand_review: '2027-04-06T07:00:00.000Z',
      supply_review: '2027-04-12T07:00:00.000Z',
    },
    phase_entered_at: new Date('2027-04-06T07:00:01Z'),
    opened_by: 'U_PLAN',
    opened_at: new Date('2027-03-25T08:00:00Z'),
    closed_at: null,
    adopted_scenario_id: null,
    skipped_holidays: {},
  };

  it('says nothing when the deadline job ran on time, or within a quarter of an hour', () => {
    expect(phaseAnnouncement(cycle, BERLIN).text).not.toContain('late');
    const at = new Date('2027-04-06T07:15:00Z');
    expect(phaseAnnouncement({ ...cycle, phase_entered_at: at }, BERLIN).text).not.toContain(
      'late',
    );
    // A planner who ends the phase early is not late either.
    const early = new Date('2027-04-02T07:00:00Z');
    expect(phaseAnnouncement({ ...cycle, phase_entered_at: early }, BERLIN).text).not.toContain(
      'late',
    );
  });

  it('names the deadline and when the phase ended, in the text and the blocks', () => {
    // Ended at 2027-04-06 08:16Z, 10:16 in Berlin: 1806994800 + 76 min = 1806999360.
    const late = { ...cycle, phase_entered_at: new Date('2027-04-06T08:16:00Z') };
    const msg = phaseAnnouncement(late, BERLIN);
    const sentence =
      'Demand review was due to end <!date^1806994800^{date_short_pretty} {time}|2027-04-06 09:00 Europe/Berlin> and ended late, <!date^1806999360^{date_short_pretty} {time}|2027-04-06 10:16 Europe/Berlin>.';
    expect(msg.text.endsWith(` ${sentence}`)).toBe(true);
    expect(JSON.stringify(msg.blocks)).toContain(JSON.stringify(`:hourglass: ${sentence}`));
  });
});
