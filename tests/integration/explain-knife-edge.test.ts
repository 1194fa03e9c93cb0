/**
 * "One more hour is worth $X" and "one more unit demanded would cost $X" on a plan whose limits
 * are met exactly (a degenerate optimum), through what people read: `/sop explain`,
 * `sopbot explain` and the pack's question 8. Every figure is worked out here by hand; the plan
 * is solved by the real HiGHS through the planning service.
 *
 * The company, three months, no overtime, no subcontracting; every family sells at $40 (a lost
 * sale costs the price), costs $10 a unit, $2 a month held, $6 a month on backlog, and every
 * order must be served or lost by March (ending backlog 0):
 * - LINE-1, 100 h a month: FAM-A (1 h a unit) demands 100, 100, 50; FAM-Z (1 h) demands
 *   nothing at all.
 * - LINE-2, 50 h a month: FAM-B (1 h) demands 50, 50, 60.
 *
 * The plan: A makes 100, 100, 50, each month's own demand; B makes 50, 50, 50 and loses
 * March's 10 (no hour is spare before it, no later month can take it). Cost: 400 made × $10
 * + 10 lost × $40 = $4,400.
 *
 * LINE-1 is loaded exactly to demand in January and February. One more hour there saves
 * nothing: each month already makes its own demand, and building ahead only adds holding.
 * ($0; one hour less would cost a unit's backlog, which is why a dual of $12 or $6 is valid
 * too, and the old answer printed those.) March has 50 h spare: $0.
 * One more unit demanded, of FAM-A or of FAM-Z (whose demand is 0), in January: LINE-1 is full
 * in January and February, so it is made on a spare March hour and waits two months: $10 + 2 ×
 * $6 = $22 (less than the $40 sale lost). February: $10 + $6 = $16. March: $10. (The old answer
 * printed −$4.00 and −$2.00 for FAM-Z: a unit more demanded lowering the cost.)
 * LINE-2: one more March hour makes a $10 unit instead of losing a $40 sale: $30; a February
 * hour builds one for March, $10 + $2: $28; a January hour, $10 + 2 × $2: $26. One more unit
 * of FAM-B demanded in any month is one more sale lost: $40 (the old answer: $36, $38, $40).
 * March is the plan's last month: its $30 is flagged, in the pack and in explain alike.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { explainQuestion } from '../../src/services/explain.js';
import { buildPack, packSections } from '../../src/services/pack.js';
import { runPlan } from '../../src/services/planning.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { seedKnifeEdge } from '../helpers/knife-edge.js';
import { testClock, useHarness } from './meeting-fixture.js';

/** The pack's flag on the plan's last month, which explain now gives with the same words. */
const LAST_MONTH =
  "the plan's last month: no later month can take its orders, so the price may overstate what more capacity is worth";

describe('shadow prices on a knife-edge plan, as people read them', () => {
  const h = useHarness({
    label: 'explain-edge',
    members: { U_PLAN: 'planner' },
    clock: testClock('2027-01-10T10:00:00Z'),
  });
  let runId: string;

  /** `/sop explain <question>` as the planner, and the answer's blocks as text. */
  const ask = async (question: string, startsWith: string): Promise<string> => {
    const n = h.standin.ephemeralsFor('U_PLAN').length;
    await h.driver.command('/sop', { user: 'U_PLAN', channel: 'C_SUPPLY', text: question });
    const eph = await h.standin.waitFor(() =>
      h.standin
        .ephemeralsFor('U_PLAN')
        .slice(n)
        .find((x) => x.text.startsWith(startsWith)),
    );
    return JSON.stringify(eph.blocks);
  };
  /** `sopbot explain <words>` as text. */
  const cli = async (...words: string[]): Promise<string> => {
    let out = '';
    const io = {
      stdout: (x: string) => {
        out += x;
      },
      stderr: () => {},
      env: h.env,
    };
    expect(await main(['explain', ...words], io)).toBe(0);
    return out;
  };

  beforeAll(async () => {
    const db = h.db;
    const cycleId = await seedKnifeEdge(db);
    const out = await runPlan(db, await createHighsSolver(), {
      cycleId,
      runKey: 'knife-edge',
      trigger: 'test',
      requestedBy: null,
    });
    runId = out.runId;
  });

  it('the plan is the one worked out by hand', async () => {
    const central = await h.db
      .selectFrom('plan_scenarios')
      .select(['total_cost'])
      .where('run_id', '=', runId)
      .where('name', '=', 'central')
      .executeTakeFirstOrThrow();
    expect(central.total_cost).toBeCloseTo(4400, 6);
  });

  it('an hour on a line loaded exactly to demand is worth $0, and says why', async () => {
    const e = await explainQuestion(h.db, 'LINE-1 2027-01..2027-03');
    if (e.kind !== 'resource') throw new Error(e.kind);
    expect(e.months.map((m) => [m.load, m.capacity, m.shadowPrice])).toEqual([
      [100, 100, 0],
      [100, 100, 0],
      [50, 100, 0],
    ]);
    const jan = await ask('explain what limits LINE-1 in January', 'LINE-1 2027-01');
    expect(jan).toContain(
      "One more h on LINE-1 in 2027-01 is worth $0.00: it is used to the full, but one more would not lower the plan's cost.",
    );
    expect(jan).not.toContain('$12.00');
    expect(await cli('LINE-1', '2027-02')).toContain(
      "One more h on LINE-1 in 2027-02 is worth $0.00: it is used to the full, but one more would not lower the plan's cost.",
    );
    // March has 50 h spare.
    expect(await cli('LINE-1', '2027-03')).toContain(
      'One more h on LINE-1 in 2027-03 is worth $0.00: its capacity does not bind.',
    );
  });

  it('one more unit demanded of a family that sells nothing costs what serving it costs; one no hour can make is a lost sale', async () => {
    const e = await explainQuestion(h.db, 'FAM-Z 2027-01..2027-03');
    if (e.kind !== 'family') throw new Error(e.kind);
    expect(e.months.map((m) => m.plan?.marginalCost)).toEqual([22, 16, 10]);
    const a = await explainQuestion(h.db, 'FAM-A 2027-01..2027-03');
    if (a.kind !== 'family') throw new Error(a.kind);
    expect(a.months.map((m) => m.plan?.marginalCost)).toEqual([22, 16, 10]);
    const b = await explainQuestion(h.db, 'FAM-B 2027-01..2027-03');
    if (b.kind !== 'family') throw new Error(b.kind);
    expect(b.months.map((m) => m.plan?.marginalCost)).toEqual([40, 40, 40]);
    // FAM-A's and FAM-Z's units are served; FAM-B's is a lost sale (its $40 price), which
    // is no cost of serving it: LINE-2 has no hour left for it in any month.
    expect(a.months.map((m) => m.plan?.marginalCostKind)).toEqual(['served', 'served', 'served']);
    expect(b.months.map((m) => m.plan?.marginalCostKind)).toEqual(['lost', 'lost', 'lost']);
    const zJan = await ask('explain FAM-Z 2027-01', 'FAM-Z 2027-01');
    expect(zJan).toContain('One more unit demanded would cost $22.00.');
    expect(zJan).not.toContain('−$');
    expect(await cli('FAM-Z', '2027-02')).toContain('One more unit demanded would cost $16.00.');
    expect(await cli('FAM-B', '2027-01')).toContain(
      'One more unit demanded would cost $40.00, a lost sale: serving it would cost no less.',
    );
  });

  it('explain flags the plan’s last month with the pack’s words', async () => {
    const mar = await ask('explain LINE-2 2027-03', 'LINE-2 2027-03');
    expect(mar).toContain(`One more h on LINE-2 in 2027-03 is worth *$30.00* (${LAST_MONTH}).`);
    const feb = await cli('LINE-2', '2027-02');
    expect(feb).toContain('One more h on LINE-2 in 2027-02 is worth $28.00.');
    expect(feb).not.toContain('last month');
    // The family's chain names the same flag on its line's price.
    expect(await cli('FAM-B', '2027-03')).toContain(
      `one more unit of capacity is worth $30.00 (${LAST_MONTH})`,
    );
    expect(await cli('FAM-B', '2027-01')).toContain('one more unit of capacity is worth $26.00');
    // Month by month: the last month's price carries it, the others do not.
    const range = await cli('LINE-2', '2027-01..2027-03');
    expect(range).toContain(`shadow price $30.00 (${LAST_MONTH})`);
    expect(range).toContain('shadow price $26.00\n');
  });

  it('the pack ranks only the hours that are worth something', async () => {
    const pack = await buildPack(h.db, '2027-01', new Date('2027-01-10T10:00:00Z'));
    const q8 = packSections(pack).find((s) => s.n === 8)!;
    const ranked = q8.lines.filter((l) => l.includes('one more h is worth'));
    expect(ranked.map((l) => l.trim())).toEqual([
      `LINE-2 2027-03: one more h is worth $30.00 (loaded at 100.0% of regular capacity; ${LAST_MONTH}).`,
      'LINE-2 2027-02: one more h is worth $28.00 (loaded at 100.0% of regular capacity).',
      'LINE-2 2027-01: one more h is worth $26.00 (loaded at 100.0% of regular capacity).',
    ]);
  });
});
