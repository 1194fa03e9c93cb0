import { describe, expect, it } from 'vitest';
import { type Ballot, tally } from '../../src/core/vote.js';
import { parseDecisionState } from '../../src/slack/presenters/decision.js';

const opts = [
  { id: '1', label: 'Central' },
  { id: '2', label: 'Cautious' },
  { id: '3', label: 'Ambitious' },
];
const at = (m: number) => new Date(Date.UTC(2027, 0, 1, 10, m));
const b = (voter: string, optionId: string, m: number, extra: Partial<Ballot> = {}): Ballot => ({
  voter,
  optionId,
  counted: true,
  at: at(m),
  supersededAt: null,
  ...extra,
});

describe('tally', () => {
  it('counts only counted, current ballots and names the winner', () => {
    const t = tally(opts, [
      b('A', '1', 1),
      b('B', '1', 2),
      b('C', '2', 3),
      b('X', '3', 4, { counted: false }),
      b('C', '3', 0, { supersededAt: at(3) }),
    ]);
    expect(t.options.map((o) => o.votes)).toEqual([2, 1, 0]);
    expect(t.options[0]!.voters).toEqual(['A', 'B']);
    expect(t.total).toBe(3);
    expect(t.winner).toBe('1');
    expect(t.notCounted).toBe(1);
  });

  it('keeps the latest ballot of a voter when two are current', () => {
    const t = tally(opts, [b('A', '1', 1), b('A', '2', 5)]);
    expect(t.options.map((o) => o.votes)).toEqual([0, 1, 0]);
    expect(t.total).toBe(1);
  });

  it('has no winner on a tie or without votes, and checks the quorum', () => {
    const tie = tally(opts, [b('A', '1', 1), b('B', '2', 2)], 2);
    expect(tie.winner).toBeNull();
    expect(tie.tie).toBe(true);
    expect(tie.quorumReached).toBe(true);
    const none = tally(opts, [], 2);
    expect(none.winner).toBeNull();
    expect(none.tie).toBe(false);
    expect(none.quorumReached).toBe(false);
    expect(tally(opts, [b('A', '1', 1)], 2).quorumReached).toBe(false);
  });
});

describe('decision modal parser', () => {
  it('reads the scenario, rationale and complete action rows, skipping empty rows', () => {
    const p = parseDecisionState(
      {
        scenario: { pick: { selected_option: { value: '7' } } },
        rationale: { text: { value: ' Cash first ' } },
        a1_owner: { owner: { selected_user: 'U1' } },
        a1_due: { due: { selected_date: '2027-02-01' } },
        a1_desc: { desc: { value: 'Book overtime' } },
        a2_owner: { owner: { selected_user: null } },
        a2_due: { due: { selected_date: null } },
        a2_desc: { desc: { value: '' } },
      },
      2,
      '2027-01-15',
      'UTC',
    );
    expect(p.errors).toEqual({});
    expect(p.scenarioId).toBe('7');
    expect(p.rationale).toBe('Cash first');
    expect(p.actions).toEqual([
      { owner: 'U1', dueDate: '2027-02-01', description: 'Book overtime' },
    ]);
  });

  it('names each missing or wrong field by its block', () => {
    const p = parseDecisionState(
      {
        scenario: { pick: { selected_option: null } },
        rationale: { text: { value: '' } },
        a1_owner: { owner: { selected_user: 'U1' } },
        a1_due: { due: { selected_date: '2027-01-01' } },
        a1_desc: { desc: { value: '' } },
      },
      1,
      '2027-01-15',
      'UTC',
    );
    expect(Object.keys(p.errors).sort()).toEqual(['a1_desc', 'a1_due', 'rationale', 'scenario']);
    expect(p.errors.a1_due).toMatch(/in the past/);
    expect(p.actions).toEqual([]);
  });

  it("a due date before the company's today says which day today is, and in which zone", () => {
    // 2027-03-14 23:30 UTC: 2027-03-15 13:30 at Kiritimati (UTC+14), the company; still
    // 2027-03-14 12:30 at Pago Pago (UTC−11), where the executive picks "today" in the form.
    const p = parseDecisionState(
      {
        scenario: { pick: { selected_option: { value: '7' } } },
        rationale: { text: { value: 'Cash first' } },
        a1_owner: { owner: { selected_user: 'U1' } },
        a1_due: { due: { selected_date: '2027-03-14' } },
        a1_desc: { desc: { value: 'Book overtime' } },
      },
      1,
      '2027-03-15',
      'Pacific/Kiritimati',
    );
    expect(p.errors).toEqual({
      a1_due:
        "Action 1: the due date 2027-03-14 is in the past: today is 2027-03-15 in Pacific/Kiritimati, the company's time zone.",
    });
  });
});
