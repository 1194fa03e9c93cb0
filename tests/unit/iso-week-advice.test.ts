/**
 * A weekly file's `week` written as an ISO week (2026-W53, as many planning tools export it):
 * the refusal names the Monday to write. Worked by hand: ISO week 1 is the week holding
 * 4 January. 2026-01-04 is a Sunday, so 2026-W01 starts on Monday 2025-12-29 and 2026-W53 on
 * 2025-12-29 + 52 × 7 days = 2026-12-28; 2027-01-04 is a Monday, so 2027-W01 starts that day,
 * and 2026 has 53 weeks (2025-12-29 to 2027-01-04 is 371 days). 2027 has 52: 2028-01-04 is a
 * Tuesday, its week starts on Monday 2028-01-03, 364 days after 2027-01-04.
 */
import { describe, expect, it } from 'vitest';
import { weeklyRow } from '../../src/import/kinds.js';

const weekRefusal = (week: string) => {
  const r = weeklyRow.safeParse({ family: 'FAM-1', week, units: '5' });
  return r.success ? null : r.error.issues.map((i) => i.message);
};

describe('an ISO week in a weekly file', () => {
  it('is refused with its Monday to write, across the new year', () => {
    // Before: "must be a date as YYYY-MM-DD (e.g. 2027-03-15), not '2026-W53'".
    expect(weekRefusal('2026-W53')).toEqual([
      "must be a date as YYYY-MM-DD: for '2026-W53' write 2026-12-28, the Monday of that ISO week",
    ]);
    expect(weekRefusal('2027W01')).toEqual([
      "must be a date as YYYY-MM-DD: for '2027W01' write 2027-01-04, the Monday of that ISO week",
    ]);
    expect(weekRefusal('2026-W01')).toEqual([
      "must be a date as YYYY-MM-DD: for '2026-W01' write 2025-12-29, the Monday of that ISO week",
    ]);
  });

  it('a week the year has not is named as such', () => {
    expect(weekRefusal('2027-W53')).toEqual([
      "must be a date as YYYY-MM-DD: '2027-W53' is no week, 2027 has 52 ISO weeks",
    ]);
    expect(weekRefusal('2026-W54')).toEqual([
      "must be a date as YYYY-MM-DD: '2026-W54' is no week, 2026 has 53 ISO weeks",
    ]);
  });

  it('a week written as another date is refused with the date to write, not a crash', () => {
    // Before: the Monday check ran on a cell that was no date, and threw "RangeError: Invalid
    // time value" out of the import instead of refusing the row. 06/01/2027 is 6 January
    // (day first) or 1 June (month first).
    expect(weekRefusal('06/01/2027')).toEqual([
      "must be a date as YYYY-MM-DD: for '06/01/2027' write 2027-01-06 (6 January) or 2027-06-01 (1 June)",
    ]);
  });

  it('the Monday it names is taken', () => {
    expect(weekRefusal('2026-12-28')).toBeNull();
  });
});
