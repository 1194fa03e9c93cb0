/** A done action says when it was done against its due date, in days of the company's zone. */
import { describe, expect, it } from 'vitest';
import { doneTiming, earlyAndLate } from '../../src/core/action-timing.js';
import { actionDoneMessage, actionsListText } from '../../src/slack/presenters/actions.js';

const action = (doneAt: string) => ({
  id: '7',
  owner: 'U_OTTO',
  due_date: '2027-02-10',
  description: 'Book weekend overtime',
  status: 'done' as const,
  decision_id: '1',
  done_at: new Date(doneAt),
});

describe('done against the due date', () => {
  it('counts calendar days: early, on the day, late', () => {
    expect(doneTiming('2027-02-10', '2027-02-07')).toBe('done 3 days early');
    expect(doneTiming('2027-02-10', '2027-02-09')).toBe('done 1 day early');
    expect(doneTiming('2027-02-10', '2027-02-10')).toBe('done on its due date');
    expect(doneTiming('2027-02-10', '2027-02-12')).toBe('done 2 days late');
  });

  it("the Done confirmation counts in the company's zone, not UTC", () => {
    // 2027-02-09 20:00 UTC is 2027-02-10 05:00 in Tokyo: on the due date there, a day early in UTC.
    const onDay = actionDoneMessage(action('2027-02-09T20:00:00Z'), 'U_OTTO', 'Asia/Tokyo');
    expect(onDay.text).toBe(
      ':white_check_mark: #7 Book weekend overtime: done on its due date (marked by <@U_OTTO>). Reminders stopped.',
    );
    // 2027-02-07 03:00 UTC is 12:00 on the 7th in Tokyo: 3 days before the 10th.
    const early = actionDoneMessage(action('2027-02-07T03:00:00Z'), 'U_OTTO', 'Asia/Tokyo');
    expect(early.text).toContain('Book weekend overtime: done 3 days early (marked by <@U_OTTO>)');
    // 2027-02-11 02:00 UTC is still the 10th in Los Angeles.
    expect(
      actionDoneMessage(action('2027-02-11T02:00:00Z'), 'U_OTTO', 'America/Los_Angeles').text,
    ).toContain('done on its due date');
  });

  it('the list of all actions says it too', () => {
    const text = actionsListText(
      [action('2027-02-07T03:00:00Z')],
      () => false,
      'All actions',
      'Asia/Tokyo',
    );
    expect(text).toContain(
      '#7 <@U_OTTO> due 2027-02-10 · done 3 days early: Book weekend overtime',
    );
  });
});

describe('earlyAndLate', () => {
  it('counts done actions before and after their due date; not done and on the day count in neither', () => {
    // By hand: 2027-03-10 done 03-07 (3 early), 03-12 (2 late), 03-10 (on it), open (null).
    expect(
      earlyAndLate([
        { due: '2027-03-10', doneOn: '2027-03-07' },
        { due: '2027-03-10', doneOn: '2027-03-12' },
        { due: '2027-03-10', doneOn: '2027-03-10' },
        { due: '2027-03-10', doneOn: null },
        { due: '2027-03-31', doneOn: '2027-03-01' },
      ]),
    ).toEqual({ early: 2, late: 1 });
  });
});
