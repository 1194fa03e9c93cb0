/**
 * A meeting that records no decision disposes of none of the frozen-zone breaks escalated to
 * it: they go to the next meeting. Before, the next meeting's window started at the undecided
 * meeting's own executive entry, so its breaks were in neither pack: never decided, never
 * shown again, and the Monday digest stopped counting them.
 *
 * Hand-built, three cycles:
 *   2027-01  entered its executive phase on 25 January, decided (adopted central), closed
 *   2027-02  entered its executive phase on 22 February, closed on 26 February, no decision
 *   2027-03  entered its executive phase on 25 March (its pack, its decision form)
 * Breaks, each with an open action:
 *   JAN  recorded 20 January  → January's meeting (which decided): not March's
 *   FEB  recorded 10 February → February's meeting, which decided nothing: March's
 *   MAR  recorded 8 March     → March's
 *   LATE recorded 27 March    → after March's entry: April's, not March's
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../db/queries/audit.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { escalationsOf, escalationsToDecide } from '../../src/services/escalations.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS } from './meeting-fixture.js';

const t = useDb();
let march: number;

async function breakAt(name: string, at: string, cycleId: number) {
  const id = await insertDeviation(t.db, {
    dedupeKey: `reported:${name}`,
    kind: 'reported',
    week: at.slice(0, 10),
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: `Break ${name}`,
    comment: null,
    reportedBy: 'U_OTTO',
    frozenBreak: true,
    createdAt: new Date(at),
  });
  const action = await insertDeviationAction(t.db, {
    cycleId,
    description: `Break ${name}`,
    owner: 'U_OTTO',
    dueDate: '2027-04-30',
    createdBy: 'U_OTTO',
    requestKey: `deviation:reported:${name}`,
  });
  await linkAction(t.db, id!, action.id);
}

const enteredExecutive = (cycleId: number, at: string) =>
  audit(t.db, {
    actor: 'U_PLANNER',
    action: 'cycle.advance',
    entity: 'cycle',
    entityId: cycleId,
    details: { from: 'pre_sop', to: 'executive', at },
  });

beforeAll(async () => {
  const fam = await insertFamilies(t.db);
  const jan = await insertCycle(t.db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-28T10:00:00Z'),
  });
  const { ids } = await insertRun(t.db, {
    cycleId: jan,
    runKey: 'run-jan',
    periods: ['2027-01'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  await t.db
    .updateTable('cycles')
    .set({ adopted_scenario_id: ids.central! })
    .where('id', '=', jan)
    .execute();
  const feb = await insertCycle(t.db, {
    month: '2027-02',
    phase: 'closed',
    closed_at: new Date('2027-02-26T10:00:00Z'),
  });
  march = await insertCycle(t.db, { month: '2027-03', phase: 'executive' });
  await enteredExecutive(jan, '2027-01-25T10:00:00Z');
  await enteredExecutive(feb, '2027-02-22T10:00:00Z');
  await enteredExecutive(march, '2027-03-25T10:00:00Z');
  await breakAt('JAN', '2027-01-20T10:00:00Z', jan);
  await breakAt('FEB', '2027-02-10T10:00:00Z', feb);
  await breakAt('MAR', '2027-03-08T10:00:00Z', feb);
  await breakAt('LATE', '2027-03-27T10:00:00Z', march);
});

describe('breaks of a meeting that decided nothing', () => {
  it('go to the next meeting: its escalations, its decision form and its pack', async () => {
    const cycle = { id: march, month: '2027-03' };
    expect((await escalationsOf(t.db, cycle)).map((e) => e.summary).sort()).toEqual([
      'Break FEB',
      'Break MAR',
    ]);
    expect((await escalationsToDecide(t.db, march)).map((e) => e.summary).sort()).toEqual([
      'Break FEB',
      'Break MAR',
    ]);
    const md = packMarkdown(await buildPack(t.db, '2027-03', new Date('2027-03-29T15:00:00Z')));
    const decide = md.split('\n').filter((l) => l.includes('DECIDE: escalated'));
    expect(decide).toHaveLength(2);
    expect(decide.some((l) => l.includes('Break FEB'))).toBe(true);
    expect(decide.some((l) => l.includes('Break MAR'))).toBe(true);
  });
});
