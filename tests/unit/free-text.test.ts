/**
 * Free text people type is stored without control characters (other than line feed and tab)
 * and refused over its limit, naming the field, alike in every service that takes some: a
 * decision's rationale, supersede reason and action descriptions, a constraint's closing note,
 * an S&OE report's comment (refused before any query).
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { checkCloseNote } from '../../src/services/constraints.js';
import type { CycleDeps } from '../../src/services/cycles.js';
import { cleanDecisionText, type RecordDecisionInput } from '../../src/services/decisions.js';
import { reportDeviation } from '../../src/services/execution.js';

const decision: RecordDecisionInput = {
  cycleId: 1,
  pollId: null,
  scenarioId: '2',
  rationale: 'Protects\u0000 service\r\nat the lowest cost\u0007',
  decidedBy: 'U_EXEC',
  requestKey: 'free-text',
  actions: [{ owner: 'U_OPS', dueDate: '2027-04-01', description: ' Hire\u001b two\toperators ' }],
  supersedeReason: 'Demand\u0008 moved',
};

describe('a decision', () => {
  it('is stored without control characters', () => {
    const clean = cleanDecisionText(decision);
    expect(clean.rationale).toBe('Protects service\nat the lowest cost');
    expect(clean.supersedeReason).toBe('Demand moved');
    expect(clean.actions.map((a) => a.description)).toEqual(['Hire two\toperators']);
  });

  it('refuses a rationale over 2,000, a supersede reason over 1,000, a description over 500', () => {
    expect(() => cleanDecisionText({ ...decision, rationale: 'r'.repeat(2001) })).toThrow(
      new ValidationError('The rationale is 2,001 characters; keep it to 2,000.'),
    );
    expect(() => cleanDecisionText({ ...decision, supersedeReason: 's'.repeat(1001) })).toThrow(
      'The reason it supersedes the earlier decision is 1,001 characters; keep it to 1,000.',
    );
    expect(() =>
      cleanDecisionText({
        ...decision,
        actions: [{ owner: 'U_OPS', dueDate: '2027-04-01', description: 'd'.repeat(501) }],
      }),
    ).toThrow("Action 1's description is 501 characters; keep it to 500.");
  });
});

describe('a constraint closing note', () => {
  it('is kept without control characters, and refused over 500 characters', () => {
    expect(checkCloseNote('Line\u0000 fixed\u0007')).toBe('Line fixed');
    expect(checkCloseNote('\u0000 ')).toBeNull();
    expect(() => checkCloseNote('n'.repeat(501))).toThrow(
      'The note is 501 characters; keep it to 500.',
    );
  });
});

describe('an S&OE report comment', () => {
  it('over 1,000 characters is refused before the database is read', async () => {
    const deps = {
      get db(): never {
        throw new Error('the database was read');
      },
    } as unknown as CycleDeps;
    await expect(
      reportDeviation(deps, {
        kind: 'supplier_delay',
        code: 'SUP-1',
        day: '2027-02-10',
        expected: null,
        actual: null,
        comment: 'c'.repeat(1001),
        reportedBy: 'U_OPS',
        requestKey: 'free-text',
      }),
    ).rejects.toThrow('The comment is 1,001 characters; keep it to 1,000.');
  });
});
