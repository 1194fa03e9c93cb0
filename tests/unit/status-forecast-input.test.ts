/**
 * `/sop status`'s forecast input line says what is true on a first run: no families, or no
 * sales rep covering any, is not "every sales rep has answered for every family".
 */
import { describe, expect, it } from 'vitest';
import type { CycleStatus } from '../../src/services/status.js';
import { statusText } from '../../src/slack/presenters/status.js';

const base: CycleStatus = {
  cycle: { id: 1, month: '2027-01', phase: 'data_gathering', phase_entered_at: new Date(0) },
  deadlines: {},
  pendingReps: [],
  familyCount: 0,
  uncoveredFamilies: [],
  openConstraints: [],
  latestRun: null,
};
const ASSIGN =
  'give a rep the role with `/sop role @rep sales`, then their families with `/sop families @rep';

describe('/sop status: forecast input', () => {
  it('no families: says so and how to import them', () => {
    const text = statusText(base, 'UTC');
    expect(text).toContain(
      '*Forecast input*: No product families yet: import them with `sopbot import all &lt;dir&gt;` (docs/data-format.md).',
    );
    expect(text).not.toContain('every sales rep');
  });

  it('families but no rep covers any: says so and how to assign them', () => {
    const text = statusText(
      { ...base, familyCount: 2, uncoveredFamilies: ['FAM-1', 'FAM-2'] },
      'UTC',
    );
    expect(text).toContain(
      `*Forecast input*: No sales rep covers any family yet: ${ASSIGN} FAM-1\`.`,
    );
    expect(text).not.toContain('every sales rep');
  });

  it('reps have answered, one family of three uncovered: both said', () => {
    const text = statusText({ ...base, familyCount: 3, uncoveredFamilies: ['FAM-3'] }, 'UTC');
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
    );
    expect(text).toContain('• <@U_BOB>: FAM-1');
    expect(text).toContain(
      `*No sales rep covers* F2, F3, F4, F5, F6, F7 and 2 more: ${ASSIGN} F2\`.`,
    );
  });
});
