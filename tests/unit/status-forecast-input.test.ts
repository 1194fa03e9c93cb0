/**
 * `/sop status`'s forecast input line says what is true on a first run: no families, or no
 * sales rep covering any, is not "every sales rep has answered for every family"; once the
 * demand review has ended, a rep who did not answer can no longer, and is not told "not yet".
 * Each remedy is a command its reader may use, or names who may (policy by hand: `/sop role`
 * admins; `/sop families`, `/sop plan` and `/sop cycle start` planners and admins).
 */
import { describe, expect, it } from 'vitest';
import type { CycleStatus } from '../../src/services/status.js';
import { noCycleText, statusText } from '../../src/slack/presenters/status.js';

const base: CycleStatus = {
  cycle: { id: 1, month: '2027-01', phase: 'data_gathering', phase_entered_at: new Date(0) },
  deadlines: {},
  skippedHolidays: {},
  pendingReps: [],
  repsLeft: [],
  familyCount: 0,
  uncoveredFamilies: [],
  openConstraints: [],
  latestRun: null,
};
const ADMIN = { role: 'admin' } as const;
const ASSIGN =
  'give a rep the role with `/sop role @rep sales`, then their families with `/sop families @rep';

describe('/sop status: forecast input', () => {
  it('no families: says so and how to import them', () => {
    const text = statusText(base, 'UTC', ADMIN);
    expect(text).toContain(
      '*Forecast input*: No product families yet: import them with `sopbot import all &lt;dir&gt;` (docs/data-format.md).',
    );
    expect(text).not.toContain('every sales rep');
  });

  it('families but no rep covers any: says so and how to assign them', () => {
    const text = statusText(
      { ...base, familyCount: 2, uncoveredFamilies: ['FAM-1', 'FAM-2'] },
      'UTC',
      ADMIN,
    );
    expect(text).toContain(
      `*Forecast input*: No sales rep covers any family yet: ${ASSIGN} FAM-1\`.`,
    );
    expect(text).not.toContain('every sales rep');
  });

  it('reps have answered, one family of three uncovered: both said', () => {
    const text = statusText(
      { ...base, familyCount: 3, uncoveredFamilies: ['FAM-3'] },
      'UTC',
      ADMIN,
    );
    expect(text).toContain(
      '*Forecast input*: every sales rep has answered for the families they cover.',
    );
    expect(text).toContain(`*No sales rep covers* FAM-3: ${ASSIGN} FAM-3\`.`);
  });

  it('a rep still owes input: listed, with the uncovered families', () => {
    const text = statusText(
      {
        ...base,
        familyCount: 9,
        pendingReps: [{ userId: 'U_BOB', families: ['FAM-1'] }],
        uncoveredFamilies: ['F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9'],
      },
      'UTC',
      ADMIN,
    );
    expect(text).toContain('• <@U_BOB>: FAM-1');
    expect(text).toContain(
      `*No sales rep covers* F2, F3, F4, F5, F6, F7 and 2 more: ${ASSIGN} F2\`.`,
    );
  });
});

describe('/sop status: families in code order', () => {
  it('lists uncovered and owed families with digits as numbers, as the query gives them in text order', () => {
    // The queries order codes as text (FAM-10 before FAM-6); read by hand in number order.
    const text = statusText(
      {
        ...base,
        familyCount: 12,
        pendingReps: [{ userId: 'U_BOB', families: ['FAM-1', 'FAM-12', 'FAM-2'] }],
        uncoveredFamilies: ['FAM-10', 'FAM-11', 'FAM-3', 'FAM-4', 'FAM-5', 'FAM-6', 'FAM-7'],
      },
      'UTC',
      ADMIN,
    );
    expect(text).toContain('• <@U_BOB>: FAM-1, FAM-2, FAM-12');
    expect(text).toContain(
      `*No sales rep covers* FAM-3, FAM-4, FAM-5, FAM-6, FAM-7, FAM-10 and 1 more: ${ASSIGN} FAM-3\`.`,
    );
  });
});

describe('/sop status: reps who did not answer', () => {
  const owing: CycleStatus = {
    ...base,
    familyCount: 2,
    pendingReps: [{ userId: 'U_BOB', families: ['FAM-1'] }],
  };

  it('while adjustments are taken (data gathering, demand review): not submitted yet', () => {
    for (const phase of ['data_gathering', 'demand_review'] as const) {
      const text = statusText({ ...owing, cycle: { ...owing.cycle, phase } }, 'UTC', ADMIN);
      expect(text).toContain(
        '*Not submitted yet* (neither an adjustment nor "no change"): 1\n• <@U_BOB>: FAM-1',
      );
    }
  });

  it('after the demand review: they did not, and their families were planned without it', () => {
    for (const phase of ['supply_review', 'pre_sop', 'executive'] as const) {
      const text = statusText({ ...owing, cycle: { ...owing.cycle, phase } }, 'UTC', ADMIN);
      expect(text).not.toContain('Not submitted yet');
      expect(text).toContain(
        '*Did not submit* before the demand review ended (neither an adjustment nor "no change"; their families were planned without their input): 1\n• <@U_BOB>: FAM-1',
      );
    }
  });
});

describe('/sop status: remedies its reader may use', () => {
  const uncovered: CycleStatus = { ...base, familyCount: 2, uncoveredFamilies: ['FAM-2'] };

  it('an uncovered family: the admin both commands, a planner /sop families, the others who may', () => {
    expect(statusText(uncovered, 'UTC', ADMIN)).toContain(
      `*No sales rep covers* FAM-2: ${ASSIGN} FAM-2\`.`,
    );
    expect(statusText(uncovered, 'UTC', { role: 'planner' })).toContain(
      '*No sales rep covers* FAM-2: give a sales rep their families with `/sop families @rep FAM-2` (Admin members give the role with `/sop role`).',
    );
    for (const role of ['sales', 'ops', 'exec', null] as const) {
      const text = statusText(uncovered, 'UTC', { role });
      expect(text).toContain(
        '*No sales rep covers* FAM-2: Planner or Admin members give a sales rep their families with `/sop families`.',
      );
      expect(text).not.toContain('/sop role');
    }
  });

  it('no plan run yet: planners and admins are told to run one, the others who may', () => {
    for (const role of ['planner', 'admin'] as const)
      expect(statusText(base, 'UTC', { role })).toContain(
        '*Latest plan run*: none yet this cycle. Run `/sop plan`.',
      );
    for (const role of ['sales', 'ops', 'exec', null] as const)
      expect(statusText(base, 'UTC', { role })).toContain(
        '*Latest plan run*: none yet this cycle. Planner or Admin members run one with `/sop plan`.',
      );
  });

  it('no cycle: planners and admins start one (with its month), the others are told who may', () => {
    for (const role of ['planner', 'admin'] as const)
      expect(noCycleText({ role })).toBe(
        'No S&OP cycle is open. Start one with `/sop cycle start YYYY-MM`.',
      );
    for (const role of ['sales', 'ops', 'exec', null] as const)
      expect(noCycleText({ role })).toBe(
        'No S&OP cycle is open. Planner or Admin members start one with `/sop cycle start YYYY-MM`.',
      );
  });

  it('a code whose `_` mrkdwn would read as italics is listed as typed, in the list of uncovered and owed families', () => {
    // A code may hold `_` after a `.` or `-` (src/import/advice.ts: CODE). In 'A._B_' the first
    // `_` follows a dot and the second ends the code, so each would open or close italics; a
    // zero-width space (U+200B) on each side of either keeps it a character (by hand).
    const shown = 'A.\u200B_\u200BB\u200B_\u200B';
    const uncovered = statusText(
      { ...base, familyCount: 3, uncoveredFamilies: ['A._B_'] },
      'UTC',
      ADMIN,
    );
    expect(uncovered).toContain(`*No sales rep covers* ${shown}:`);
    const owing = statusText(
      {
        ...base,
        cycle: { ...base.cycle, phase: 'demand_review' },
        familyCount: 3,
        pendingReps: [{ userId: 'U_REP', families: ['A._B_', 'FAM-1'] }],
      },
      'UTC',
      ADMIN,
    );
    expect(owing).toContain(`• <@U_REP>: ${shown}, FAM-1`);
  });
});
