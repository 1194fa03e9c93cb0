/**
 * The pack's S&OE escalations (question 6) say where each one's action stands on the pack's
 * day, as question 10 does for the same action. Before, every action not done was "open": in
 * the third month of use, a break due 2027-03-10 read "open" in question 6 of the pack built
 * on 2027-03-29 while question 10 listed the same action as OVERDUE.
 *
 * Hand-built: February's cycle closed on 24 February; March's is in its executive phase,
 * the pack built on 29 March. Four frozen-zone breaks found on 8 March, their actions in
 * February's cycle (the plan in force):
 *   W  done on 9 March                       → done
 *   X  open, due 2027-03-10 (before 03-29)   → overdue
 *   Z  open, due 2027-04-05 (after 03-29)    → open
 *   Y  cancelled                             → not listed (as before)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();
const PACK_DAY = new Date('2027-03-29T15:00:00Z');
const ids: Record<string, string> = {};

async function breakWithAction(
  name: string,
  due: string,
  status: 'open' | 'done' | 'cancelled',
  cycleId: number,
) {
  const id = await insertDeviation(t.db, {
    dedupeKey: `reported:${name}`,
    kind: 'reported',
    week: '2027-03-01',
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: `Break ${name}`,
    comment: null,
    reportedBy: 'U_OTTO',
    frozenBreak: true,
    createdAt: new Date('2027-03-08T10:00:00Z'),
  });
  const action = await insertDeviationAction(t.db, {
    cycleId,
    description: `Break ${name}`,
    owner: 'U_OTTO',
    dueDate: due,
    createdBy: 'U_OTTO',
    requestKey: `deviation:reported:${name}`,
  });
  await linkAction(t.db, id!, action.id);
  ids[name] = action.id;
  if (status !== 'open')
    await t.db
      .updateTable('actions')
      .set({
        status,
        ...(status === 'done'
          ? { done_at: new Date('2027-03-09T10:00:00Z'), done_by: 'U_OTTO' }
          : {}),
      })
      .where('id', '=', action.id)
      .execute();
}

beforeAll(async () => {
  const feb = await insertCycle(t.db, {
    month: '2027-02',
    phase: 'closed',
    closed_at: new Date('2027-02-24T17:00:00Z'),
  });
  await insertCycle(t.db, { month: '2027-03', phase: 'executive' });
  await breakWithAction('W', '2027-03-10', 'done', feb);
  await breakWithAction('X', '2027-03-10', 'open', feb);
  await breakWithAction('Y', '2027-03-10', 'cancelled', feb);
  await breakWithAction('Z', '2027-04-05', 'open', feb);
});

describe("the pack's escalations", () => {
  it("end with the action's state on the pack's day, as question 10 judges it", async () => {
    const md = packMarkdown(await buildPack(t.db, '2027-03', PACK_DAY));
    const lines = md.split('\n').filter((l) => l.includes('escalated from S&OE'));
    const head = '- DECIDE: escalated from S&OE (breaks the frozen plan): Break';
    expect(lines).toEqual([
      `${head} W; owner U_OTTO, due 2027-03-10, done.`,
      `${head} X; owner U_OTTO, due 2027-03-10, overdue.`,
      `${head} Z; owner U_OTTO, due 2027-04-05, open.`,
    ]);
    // Question 10 lists the same action X as overdue on the same day.
    expect(md).toContain(`- OVERDUE #${ids.X} U_OTTO due 2027-03-10 (from 2027-02): Break X.`);
  });
});
