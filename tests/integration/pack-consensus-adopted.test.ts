/**
 * Question 1's "Consensus demand … vs … in <last month>" and its movers compare consensus with
 * consensus: the previous cycle's is the central scenario of the run its adopted plan came
 * from. Before, it was the adopted scenario's own demand: in the third month of use, after
 * February adopted Cautious (which plans for 90% of the consensus), March's pack said
 * "Consensus demand … 209,476 vs 187,436 in 2027-02 (+11.8%)" and named every family a big
 * mover, though the consensus had moved about 0.5%.
 *
 * Hand-built, with the meeting fixture's runs (each scenario's demand is the base × its scale;
 * Central 1, Cautious 0.9), over 2027-02 and 2027-03, both cycles' runs:
 *   January's run: FAM-1 100 and FAM-2 1,000 a month; January adopted Cautious.
 *   February's run: FAM-1 110 and FAM-2 1,000 a month.
 * Consensus, 2 common months: now (110 + 1,000) × 2 = 2,220; before (100 + 1,000) × 2 =
 * 2,200; +20 / 2,200 = +0.9%; the one mover FAM-1, 220 vs 200: +20 (+10.0%).
 * (Against Cautious's demand, 1,980: +12.1%, and FAM-2 +200 the biggest mover.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS } from './meeting-fixture.js';

const t = useDb();

beforeAll(async () => {
  const fam = await insertFamilies(t.db);
  const run = (cycleId: number, runKey: string, fam1: number) =>
    insertRun(t.db, {
      cycleId,
      runKey,
      periods: ['2027-02', '2027-03'],
      demand: { [fam.fam1]: fam1, [fam.fam2]: 1000 },
      price: { [fam.fam1]: 900, [fam.fam2]: 20 },
      resources: [{ id: fam.line, capacity: 2000, loadPerUnit: 1 }],
      scenarios: SCENARIOS.slice(0, 2),
    });
  const jan = await insertCycle(t.db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-28T17:00:00Z'),
  });
  const { ids } = await run(jan, 'consensus-jan', 100);
  await t.db
    .updateTable('cycles')
    .set({ adopted_scenario_id: ids.cautious! })
    .where('id', '=', jan)
    .execute();
  const feb = await insertCycle(t.db, { month: '2027-02', phase: 'executive' });
  await run(feb, 'consensus-feb', 110);
});

describe('question 1 after a cycle adopted Cautious', () => {
  it("compares this cycle's consensus with the last cycle's consensus, not with Cautious", async () => {
    const md = packMarkdown(await buildPack(t.db, '2027-02', new Date('2027-02-22T15:00:00Z')));
    const q1 = md.slice(md.indexOf('## 1. '), md.indexOf('## 2. '));
    expect(q1).toContain(
      '- Consensus demand over 2 common months: 2,220 vs 2,200 in 2027-01 (+0.9%).',
    );
    expect(q1).toContain('- Biggest movers: FAM-1 +20 (+10.0%).');
    // The line about the adopted plan still sets this plan against Cautious, as it says.
    expect(q1).toContain(
      "Against cycle 2027-01's adopted Cautious plan over 2027-02–2027-03: demand 2,220 vs 1,980",
    );
  });
});
