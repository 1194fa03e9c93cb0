/**
 * The next cycle's pack says what the previous cycle decided: its decision in force, not the
 * one it superseded. Before, question 1 listed every decision of the previous cycle as
 * "2027-01 decided: …", the superseded one first, so February's pack said January had
 * decided both Central and Cautious, with nothing to tell which one held.
 *
 * Hand-built: 2027-01 (closed) decided Central on the 20th, then Cautious on the 22nd,
 * superseding it ("Demand fell."); Cautious is its adopted scenario. 2027-02 has a run and
 * its pack is built on 24 February.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertDecision } from '../../db/queries/decisions.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS } from './meeting-fixture.js';

const t = useDb();
let md: string;

beforeAll(async () => {
  const fam = await insertFamilies(t.db);
  const run = (cycleId: number, month: string) =>
    insertRun(t.db, {
      cycleId,
      runKey: `run-${month}`,
      periods: [month],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    });
  const jan = await insertCycle(t.db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-28T10:00:00Z'),
  });
  const { ids } = await run(jan, '2027-01');
  const first = await insertDecision(
    t.db,
    {
      cycle_id: jan,
      poll_id: null,
      scenario_id: ids.central!,
      title: 'Adopt the Central scenario',
      rationale: 'Protects service.',
      decided_by: 'U_EXEC1',
      decided_at: new Date('2027-01-20T10:00:00Z'),
      request_key: 'd1',
    },
    [],
  );
  await insertDecision(
    t.db,
    {
      cycle_id: jan,
      poll_id: null,
      scenario_id: ids.cautious!,
      title: 'Adopt the Cautious scenario',
      rationale: 'Demand fell.',
      decided_by: 'U_EXEC2',
      decided_at: new Date('2027-01-22T10:00:00Z'),
      request_key: 'd2',
      supersedes_id: first.decision.id,
      supersede_reason: 'Demand fell.',
    },
    [],
  );
  const feb = await insertCycle(t.db, { month: '2027-02', phase: 'executive' });
  await run(feb, '2027-02');
  md = packMarkdown(await buildPack(t.db, '2027-02', new Date('2027-02-24T15:00:00Z')));
});

describe("the next cycle's pack", () => {
  it('names the decision in force, and not the one it superseded as decided', () => {
    const decided = md.split('\n').filter((l) => l.includes('2027-01 decided:'));
    expect(decided).toHaveLength(1);
    expect(decided[0]).toContain(
      '2027-01 decided: Cautious (superseding its decision for Central), recorded by U_EXEC2 without a vote. Rationale: “Demand fell.”',
    );
    expect(md).not.toContain('2027-01 decided: Central');
  });
});
