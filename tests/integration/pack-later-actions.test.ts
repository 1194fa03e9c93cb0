/**
 * Question 10 of a cycle's pack lists the open actions of the cycles before it, not of the
 * cycles after it. Before, it left out only its own cycle's, so January's pack built again in
 * February (`/sop pack 2027-01`, `sopbot pack --cycle 2027-01`) listed February's actions as
 * "from 2027-02" under January's follow-up.
 *
 * Hand-built: 2026-12, 2027-01 (closed) and 2027-02 (open), one open S&OE action each, raised
 * before January closed; January's pack is built on 10 February. January's own is S&OE's since
 * the last meeting, which question 10 lists too (pack-soe-actions.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertDeviationAction } from '../../db/queries/execution.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();
let q10: string;

beforeAll(async () => {
  const months = ['2026-12', '2027-01', '2027-02'];
  for (const month of months) {
    const id = await insertCycle(t.db, {
      month,
      phase: month === '2027-02' ? 'demand_review' : 'closed',
      ...(month === '2027-02' ? {} : { closed_at: new Date(`${month}-28T10:00:00Z`) }),
    });
    await insertDeviationAction(t.db, {
      cycleId: id,
      description: `Action of ${month}`,
      owner: 'U_OTTO',
      dueDate: '2027-03-31',
      createdBy: 'U_OTTO',
      requestKey: `action-${month}`,
    });
  }
  const md = packMarkdown(await buildPack(t.db, '2027-01', new Date('2027-02-10T10:00:00Z')));
  q10 = md.slice(md.indexOf('## 10. '));
});

describe("a pack's open actions", () => {
  it('are those of earlier cycles and S&OE raised in its own, never a later cycle', () => {
    expect(q10).toContain('(from 2026-12): Action of 2026-12.');
    expect(q10).toContain('(S&OE, since the last meeting): Action of 2027-01.');
    expect(q10).not.toContain('Action of 2027-02');
  });
});
