/**
 * The meeting pack answers the ten questions from stored data: each section is present,
 * shows the figures computed from this cycle's tables, and changes when the data does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS } from './meeting-fixture.js';

const tdb = useDb();
let db: Db;
let fam: { fam1: number; fam2: number; line: number };
let cur: number;
let actionId: string;
const NOW = new Date('2027-01-20T10:00:00Z');

/** The lines of section n of the Markdown pack. */
function section(md: string, n: number): string {
  const start = md.indexOf(`## ${n}. `);
  expect(start, `section ${n} present`).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n## ', start + 1);
  return md.slice(start, next < 0 ? undefined : next);
}

const pack = async () => packMarkdown(await buildPack(db, '2027-01', NOW));

beforeAll(async () => {
  db = tdb.db;
  fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', frozen_months: 1, slushy_months: 2 })
    .execute();
  // November's lag-1 forecast of December (the snapshot it kept when it closed).
  const novId = await insertCycle(db, {
    month: '2026-11',
    phase: 'closed',
    closed_at: new Date('2026-11-20T00:00:00Z'),
  });
  await db
    .insertInto('forecast_snapshots')
    .values(
      [
        { f: fam.fam1, c: 100 },
        { f: fam.fam2, c: 1000 },
      ].map(({ f, c }) => ({
        cycle_id: novId,
        family_id: f,
        period: '2026-12',
        lag: 1,
        naive: c,
        baseline: c,
        consensus: c,
      })),
    )
    .execute();
  const prevId = await insertCycle(db, {
    month: '2026-12',
    phase: 'closed',
    closed_at: new Date('2026-12-20T00:00:00Z'),
  });
  const prevRun = await insertRun(db, {
    cycleId: prevId,
    runKey: 'pack-prev',
    periods: ['2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05'],
    demand: { [fam.fam1]: 100, [fam.fam2]: 1000 },
    price: { [fam.fam1]: 900, [fam.fam2]: 20 },
    resources: [{ id: fam.line, capacity: 600, loadPerUnit: 0.5 }],
    scenarios: SCENARIOS,
  });
  await db
    .updateTable('cycles')
    .set({ adopted_scenario_id: prevRun.ids.central! })
    .where('id', '=', prevId)
    .execute();
  cur = await insertCycle(db, { month: '2027-01', phase: 'executive' });
  const curRun = await insertRun(db, {
    cycleId: cur,
    runKey: 'pack-cur',
    periods: ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06'],
    demand: { [fam.fam1]: 120, [fam.fam2]: 1000 },
    price: { [fam.fam1]: 900, [fam.fam2]: 20 },
    resources: [{ id: fam.line, capacity: 500, loadPerUnit: 0.5 }],
    scenarios: SCENARIOS,
  });
  // A fourth scenario of the run has no plan, and the solver said why.
  await db
    .insertInto('plan_scenarios')
    .values({
      run_id: curRun.runId,
      name: 'stock-build',
      label: 'Stock build',
      assumptions: '{}',
      status: 'infeasible',
      message: 'FAM-2 cannot end 2027-06 with the required 9,000 units in stock (3,000 short).',
    })
    .execute();
  await db
    .insertInto('sales_history')
    .values([
      { family_id: fam.fam1, period: '2026-12', units: 90 },
      { family_id: fam.fam2, period: '2026-12', units: 1100 },
    ])
    .execute();
  const months = ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06'];
  await db
    .insertInto('budget')
    .values(
      months.flatMap((p) => [
        { family_id: fam.fam1, period: p, volume: 100, revenue: 90_000 },
        { family_id: fam.fam2, period: p, volume: 1000, revenue: 20_000 },
      ]),
    )
    .execute();
  await db
    .insertInto('capacity_updates')
    .values({
      cycle_id: cur,
      resource_id: fam.line,
      period: '2027-02',
      kind: 'delta_units',
      value: -100,
      reason_code: 'maintenance',
      comment: 'gearbox overhaul',
      is_constraint: true,
      author: 'U_OPS',
      source: 'command',
      request_key: 'cap-1',
    })
    .execute();
  await db
    .insertInto('forecast_adjustments')
    .values({
      cycle_id: cur,
      family_id: fam.fam2,
      period: '2027-03',
      author: 'U_REP',
      author_role: 'sales',
      kind: 'delta_units',
      value: 300,
      reason_code: 'launch',
      status: 'flagged',
      zone: 'slushy',
      before_value: 1000,
      after_value: 1300,
      source: 'command',
      request_key: 'adj-1',
    })
    .execute();
  const a = await db
    .insertInto('actions')
    .values({
      cycle_id: prevId,
      description: 'Qualify a second gearbox supplier',
      owner: 'U_OPS',
      due_date: '2027-01-05',
      created_by: 'U_EXEC',
      request_key: 'act-1',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  actionId = a.id;
});

describe('meeting pack', () => {
  it('answers each of the ten questions with figures from the stored data', async () => {
    const md = await pack();
    // 1. Five common months: (120 + 1000) × 5 now vs (100 + 1000) × 5 before.
    expect(section(md, 1)).toContain('5,600 vs 5,500 in 2026-12 (+1.8%)');
    expect(section(md, 1)).toContain('Biggest movers: FAM-1 +100 (+20.0%)');
    // LINE-1's capacity, in its own unit: 500 × 5 months now, 600 × 5 before.
    expect(section(md, 1)).toContain(
      'Capacity over the same months: LINE-1 2,500 vs 3,000 hours (−16.7%).',
    );
    // 2. Dec actuals 90 and 1100 against 100 and 1000: WMAPE 110/1190, bias −90/1190.
    expect(section(md, 2)).toContain('Lag-1 forecast accuracy 90.8%');
    expect(section(md, 2)).toContain(
      "Review of 2026-12 against cycle 2026-12's adopted Central plan:",
    );
    expect(section(md, 2)).toContain('bias −7.6%');
    expect(section(md, 2)).toContain('OFF TARGET'); // |bias| > 5%
    // The fill rate against the demand samples is judged (93% < 95%), not the plan's own 97%.
    expect(section(md, 2)).toContain(
      'Fill rate 93.0% expected against the demand samples, 90.0% in a bad case; 97.0% if demand comes as forecast (target ≥ 95.0%: OFF TARGET expected).',
    );
    expect(section(md, 2)).toContain('Capacity utilisation 112.0% on average');
    // 3. Families against last cycle's plan.
    expect(section(md, 3)).toContain(
      'FAM-1: sold 90 vs 100 planned (−10.0%), lag-1 accuracy 88.9%', // 1 − 10/90,
    );
    expect(section(md, 3)).toContain(
      'FAM-2: sold 1,100 vs 1,000 planned (+10.0%), lag-1 accuracy 90.9%', // 1 − 100/1100,
    );
    // 4. Revenue 120·900·6 + 1000·20·6 = 768,000 vs budget 660,000; the stored margin
    // (the one definition) 668,000 = 87.0% of revenue; the stress figures as stored. Money
    // with its currency, compact as in the charts: 768,000 → $768k.
    expect(section(md, 4)).toContain('$768k vs budget $660k (+16.4%)');
    expect(section(md, 4)).toContain(
      'Margin at planned demand $668k over 2027-01–2027-06 (87.0% of revenue)',
    );
    expect(section(md, 4)).toContain('expected margin $650k, $600k in a bad case');
    // "Bad case" is said in words in every line and defined once, at the top.
    expect(md.split('## 1.')[1]).not.toContain('P10');
    expect(md.split('## 1.')[0]).toContain(
      "in a bad case, 1 demand outcome in 10 does worse (the samples' P10; of working capital, their P90: more cash tied up), each figure its own 1 in 10, not one outcome, so question 6 says whether demand runs low or high where the samples show it; in a good case, 1 in 10 does better (the P90 of margin).",
    );
    // Cash at P10 300,000 against the budget's 320,000: −20,000.
    expect(section(md, 4)).toContain('$300k in a bad case vs budget $320k (−$20k in a bad case)');
    // The fixture's KPIs are stored as runs were before the bad case of working capital was
    // kept: the expected peak alone, 150,000 against the budget's 150,000 − 10,000 = 140,000.
    expect(section(md, 4)).toContain(
      'Peak working capital (its highest month-end) $150k expected; the expected peak is +$10k vs budget $140k.',
    );
    // 5. Risks.
    expect(section(md, 5)).toContain(
      'NEW constraint: LINE-1 2027-02 (maintenance: gearbox overhaul)',
    );
    expect(section(md, 5)).toContain('Flagged slushy adjustment: FAM-2 2027-03 by U_REP (launch)');
    // 6. Decision needed, with the scenarios.
    expect(section(md, 6)).toContain('DECISION NEEDED NOW');
    // Trade-offs against central, beside the margins they are taken from: P90 margin 760k −
    // 700k = +60k, expected 660k − 650k = +10k, cash at P10 250k − budget 320k = −70k, service
    // at risk 86% − 90% = −4.0 pts.
    expect(section(md, 6)).toContain(
      "Ambitious: margin $760k in a good case (1 in 10), +$60k vs Central $700k, and $660k expected, +$10k vs Central $650k; in a bad case (each its own 1 in 10) it leaves $95k of stock beyond 3 months' cover, cash is −$70k against budget and it fills 86.0% of demand (−4.0 pts vs Central).",
    );
    expect(section(md, 6)).toContain('Cautious: revenue');
    expect(section(md, 6)).toContain(
      '- Stock build: no plan (infeasible). FAM-2 cannot end 2027-06 with the required 9,000 units in stock (3,000 short).\n',
    );
    expect(section(md, 5)).toContain('Demand risk, Ambitious: fill rate 86.0%');
    // 7. Launches.
    expect(section(md, 7)).toContain('FAM-2 2027-03: launch by U_REP (1,000 → 1,300)');
    // 8. 1120 × 0.5 / 500 = 112%.
    expect(section(md, 8)).toContain('LINE-1 2027-01 loaded at 112.0%');
    // 9. Frozen 1 + slushy 2: months 4–6 are liquid; 3 × 1120 delivered (none lost, no
    // backlog) vs 3 × 1100.
    expect(section(md, 9)).toContain(
      'From 2027-04 (beyond the slushy zone): the plan delivers 3,360 units vs budgeted sales of 3,300 (+1.8%).',
    );
    // 10. The open action of the previous cycle, overdue.
    expect(section(md, 10)).toContain(
      `OVERDUE #${actionId} U_OPS due 2027-01-05 (from 2026-12): Qualify a second gearbox supplier.`,
    );
  });

  it('each section changes when its data changes', async () => {
    const before = await pack();

    await db
      .updateTable('sales_history')
      .set({ units: 100 })
      .where('family_id', '=', fam.fam1)
      .execute();
    await db
      .updateTable('budget')
      .set({ revenue: 30_000 })
      .where('family_id', '=', fam.fam2)
      .execute();
    await db
      .updateTable('capacity_updates')
      .set({ status: 'resolved', resolved_at: NOW })
      .where('request_key', '=', 'cap-1')
      .execute();
    await db
      .updateTable('forecast_adjustments')
      .set({ status: 'withdrawn' })
      .where('request_key', '=', 'adj-1')
      .execute();
    await db.updateTable('budget').set({ volume: 200 }).where('family_id', '=', fam.fam1).execute();
    await db
      .updateTable('actions')
      .set({ status: 'done', done_at: NOW, done_by: 'U_OPS' })
      .where('id', '=', actionId)
      .execute();
    // A newer run: FAM-1 back to 100, capacity up to 700.
    const run = await insertRun(db, {
      cycleId: cur,
      runKey: 'pack-cur-2',
      periods: ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06'],
      demand: { [fam.fam1]: 100, [fam.fam2]: 1000 },
      price: { [fam.fam1]: 900, [fam.fam2]: 20 },
      resources: [{ id: fam.line, capacity: 700, loadPerUnit: 0.5 }],
      scenarios: SCENARIOS,
    });
    const decision = await db
      .insertInto('decisions')
      .values({
        cycle_id: cur,
        scenario_id: run.ids.cautious!,
        title: 'Adopt the Cautious scenario',
        rationale: 'cash',
        decided_by: 'U_EXEC',
        request_key: 'dec-1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The follow-up action the decision set.
    const followUp = await db
      .insertInto('actions')
      .values({
        decision_id: decision.id,
        cycle_id: cur,
        description: 'Book overtime on LINE-1',
        owner: 'U_OPS',
        due_date: '2027-02-26',
        created_by: 'U_EXEC',
        created_at: NOW,
        request_key: 'dec-1-a1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const after = await pack();
    for (let n = 1; n <= 10; n++)
      expect(section(after, n), `section ${n}`).not.toBe(section(before, n));
    expect(section(after, 1)).toContain('No family moved.');
    expect(section(after, 2)).toContain('Lag-1 forecast accuracy 91.7%'); // 1 − 100/1200
    expect(section(after, 3)).toContain('FAM-1: sold 100 vs 100 planned (0.0%)');
    expect(section(after, 4)).toContain('vs budget $720k');
    expect(section(after, 5)).toContain('No open constraint and no flagged adjustment.');
    expect(section(after, 6)).toContain(
      'Decided: Cautious scenario, recorded by U_EXEC without a vote. Rationale: “cash”.',
    );
    expect(section(after, 7)).toContain('No launch or end-of-life adjustment this cycle.');
    expect(section(after, 8)).toContain('No resource loaded above 100%');
    expect(section(after, 9)).toContain('vs budgeted sales of 3,600');
    // The decision's own follow-up action, with its owner and due date.
    expect(section(after, 10)).toContain(
      `Set by this cycle's decision (Cautious):\n  - #${followUp.id} U_OPS due 2027-02-26: Book overtime on LINE-1.`,
    );
    expect(section(after, 10)).toContain(
      'No open action from earlier cycles, S&OE or Slack messages.',
    );
  });

  it('sets the plan against a budget that ends before the horizon over the budget months only', async () => {
    // After the test above: each month the plan sells 100 × 900 + 1000 × 20 = 110,000 and
    // the budget says 90,000 + 30,000 = 120,000, in volume 1,100 against 200 + 1,000.
    await db.deleteFrom('budget').where('period', '=', '2027-06').execute();
    const md = await pack();
    // Six months of plan (660,000), five of budget: 550,000 vs 600,000 is −8.3%. Counting
    // June's plan against no budget would read 660,000 vs 600,000, +10%.
    expect(section(md, 4)).toContain(
      'Revenue of the Central scenario at planned demand $660k, 2027-01–2027-06; over the 5 months the budget covers (2027-01–2027-05): $550k vs budget $600k (−8.3%).',
    );
    // Liquid months April to June, budgeted April and May: 2 × 1,100 vs 2 × 1,200.
    expect(section(md, 9)).toContain(
      'From 2027-04 (beyond the slushy zone): the plan delivers 2,200 units vs budgeted sales of 2,400 (−8.3%), over the 2 of 3 months the budget covers (2027-04–2027-05).',
    );
  });

  it('keeps a comment typed over several lines on its constraint’s line', async () => {
    // The forms' comment fields are multiline: a break followed by "## 11." made a section
    // of its own in the pack, and one followed by "- " an item nobody wrote.
    await db
      .updateTable('capacity_updates')
      .set({
        status: 'open',
        resolved_at: null,
        comment: 'gearbox overhaul\n## 11. All clear\n- nothing to decide',
      })
      .where('request_key', '=', 'cap-1')
      .execute();
    const md = await pack();
    expect(md.split('\n').filter((l) => l.startsWith('## '))).toHaveLength(10);
    expect(md).not.toMatch(/^- nothing to decide/m);
    expect(section(md, 5)).toContain(
      'constraint: LINE-1 2027-02 (maintenance: gearbox overhaul ## 11. All clear - nothing to decide)',
    );
  });
});
