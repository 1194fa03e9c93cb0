/**
 * Where a snooze ends (`snoozeEnd`): 1 or 7 days later at the same local time, or the next
 * working day after that at that time. Worked by hand in Europe/Berlin, which is CET (UTC+1)
 * until Sunday 2027-03-28 02:00 and CEST (UTC+2) after; Easter 2027 is Sunday 28 March, so
 * Good Friday is the 26th and Easter Monday the 29th, both listed as holidays here.
 */
import { describe, expect, it } from 'vitest';
import { snoozeEnd } from '../../src/services/actions.js';

const BERLIN = 'Europe/Berlin';
const EASTER = new Map([
  ['2027-03-26', 'Good Friday'],
  ['2027-03-29', 'Easter Monday'],
]);

describe('snoozeEnd', () => {
  it('Thursday 09:00 CET, 1 day: Good Friday, the weekend and Easter Monday are stepped over, Tuesday 09:00 CEST', () => {
    // 2027-03-25T08:00Z is 09:00 CET; Tuesday 30 March 09:00 CEST is 07:00Z (23 hours a day
    // on the 28th, so not 5 × 24 h later, which would be 08:00Z, 10:00 local).
    expect(snoozeEnd(new Date('2027-03-25T08:00:00Z'), '1d', BERLIN, EASTER)).toEqual({
      at: new Date('2027-03-30T07:00:00Z'),
      moved: true,
      skipped: [
        { day: '2027-03-26', name: 'Good Friday' },
        { day: '2027-03-29', name: 'Easter Monday' },
      ],
    });
  });

  it('Monday 09:00 CET, 1 week: Easter Monday, so Tuesday 09:00 CEST', () => {
    expect(snoozeEnd(new Date('2027-03-22T08:00:00Z'), '1w', BERLIN, EASTER)).toEqual({
      at: new Date('2027-03-30T07:00:00Z'),
      moved: true,
      skipped: [{ day: '2027-03-29', name: 'Easter Monday' }],
    });
  });

  it('Friday 17:30 CET without holidays, 1 day: Monday 17:30 CEST, only the weekend stepped over', () => {
    // Friday 2027-03-26 17:30 CET is 16:30Z; Monday 29 March 17:30 CEST is 15:30Z.
    expect(snoozeEnd(new Date('2027-03-26T16:30:00Z'), '1d', BERLIN)).toEqual({
      at: new Date('2027-03-29T15:30:00Z'),
      moved: true,
      skipped: [],
    });
  });

  it('Tuesday, 1 day: Wednesday at the same time, not moved', () => {
    expect(snoozeEnd(new Date('2027-03-23T08:00:00Z'), '1d', BERLIN, EASTER)).toEqual({
      at: new Date('2027-03-24T08:00:00Z'),
      moved: false,
      skipped: [],
    });
  });
});
