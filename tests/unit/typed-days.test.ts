/**
 * A day typed as YYYY-MM-DD must be one the calendar has: '2027-02-30' has the shape, and a
 * Date would quietly make it 2 March. The importer, `sopbot pack --as-of`, a decision's
 * follow-up actions and the S&OE report all read days through `isDay`.
 */
import { describe, expect, it } from 'vitest';
import { isDay } from '../../src/core/calendar.js';
import { validateActions } from '../../src/services/decisions.js';
import { reportDeviation } from '../../src/services/execution.js';
import { parseDecisionState } from '../../src/slack/presenters/decision.js';
import { parseExecutionState } from '../../src/slack/presenters/execution.js';

describe('days typed as YYYY-MM-DD', () => {
  it('isDay takes the days of the calendar and nothing else', () => {
    // Leap years: 2028 (÷4), 2000 (÷400); not 2027, not 2100 (÷100 but not ÷400).
    for (const d of ['2027-01-31', '2027-02-28', '2028-02-29', '2000-02-29', '2027-12-31'])
      expect(isDay(d), d).toBe(true);
    for (const d of [
      '2027-02-29',
      '2027-02-30',
      '2100-02-29',
      '2027-04-31',
      '2027-13-01',
      '2027-00-10',
      '2027-01-00',
      '2027-1-5',
      ' 2027-01-05',
      '',
    ])
      expect(isDay(d), d).toBe(false);
  });

  it("a decision's follow-up action due 2027-02-30 is refused, naming the action and the field", () => {
    const action = { owner: 'U1', description: 'Book overtime' };
    expect(validateActions([{ ...action, dueDate: '2027-02-28' }])).toEqual([]);
    expect(
      validateActions([
        { ...action, dueDate: '2027-02-28' },
        { ...action, dueDate: '2027-02-30' },
      ]),
    ).toEqual(["action 2: due date '2027-02-30' is not a date; give a day as YYYY-MM-DD"]);
  });

  it('the decision and S&OE forms refuse a day the calendar does not have', () => {
    const decision = parseDecisionState(
      {
        scenario: { pick: { selected_option: { value: '7' } } },
        rationale: { text: { value: 'Cash first' } },
        a1_owner: { owner: { selected_user: 'U1' } },
        a1_due: { due: { selected_date: '2027-02-30' } },
        a1_desc: { desc: { value: 'Book overtime' } },
      },
      1,
      '2027-01-15',
      'UTC',
    );
    expect(decision.errors).toEqual({ a1_due: "Action 1: '2027-02-30' is not a date." });
    const report = parseExecutionState({
      kind: { pick: { selected_option: { value: 'supplier_delay' } } },
      code: { value: { value: 'SUP-1' } },
      day: { date: { selected_date: '2027-02-30' } },
      expected: { value: { value: '' } },
      actual: { value: { value: '' } },
      comment: { value: { value: 'late' } },
    });
    expect(report.errors).toEqual({ day: 'Pick a day of the week concerned.' });
  });

  it('the S&OE service refuses such a day before it reads anything', async () => {
    const report = {
      kind: 'supplier_delay',
      code: 'SUP-1',
      day: '2027-02-30',
      expected: null,
      actual: null,
      comment: 'late',
      reportedBy: 'U1',
      requestKey: 'k',
    } as const;
    // No database: the day is checked first.
    const deps = { db: null, queue: null, clock: { now: () => new Date() } } as never;
    await expect(reportDeviation(deps, report)).rejects.toThrow(
      "day: '2027-02-30' is not a date; give a day as YYYY-MM-DD.",
    );
  });
});
