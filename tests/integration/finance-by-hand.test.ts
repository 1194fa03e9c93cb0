/**
 * The finance read of the meeting, by hand, on a company small enough to do on paper: two
 * families, three months, a budget, payment terms, opening stock. Planned for real (HiGHS,
 * through the planning service, stored in Postgres), then read as the pack, the vote, the
 * cash chart and `explain` show it. The demand has no spread (no p10/p90), so every demand
 * sample is the consensus and the stress test's figures are the plan's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { latestRunScenarios } from '../../db/queries/demo.js';
import { familyResults } from '../../db/queries/plan-results.js';
import { getRun, runScenarios } from '../../db/queries/plan-runs.js';
import { cashChart } from '../../src/charts/cash.js';
import type { Period } from '../../src/core/period.js';
import { parseWhatIfs } from '../../src/core/scenarios/what-if.js';
import type { StressSummary } from '../../src/core/stress/index.js';
import { scenarioSummary } from '../../src/demo/summary.js';
import { importCsv } from '../../src/import/import-csv.js';
import { cashSeries } from '../../src/services/chart-data.js';
import { getCycleByMonth } from '../../src/services/cycles.js';
import { runTradeOffs } from '../../src/services/decisions.js';
import { explainQuestion } from '../../src/services/explain.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { runPlan, runWhatIf } from '../../src/services/planning.js';
import { getPollView } from '../../src/services/polls.js';
import { getSettings } from '../../src/services/settings.js';
import { explainPlainText } from '../../src/slack/presenters/explain.js';
import { planHeadline, whatIfDiff } from '../../src/slack/presenters/plan-run.js';
import { voteMessage } from '../../src/slack/presenters/vote.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertCycle, insertFlatBaseline, useDb } from '../helpers/db.js';

const MONTHS = ['2027-01', '2027-02', '2027-03'];
const NOW = new Date('2027-01-20T10:00:00Z');

const t = useDb();
let runId = '';

/*
 * The company.
 * - FAM-A: price $50, unit cost $20, holding $1; 30 in stock at the start; demand 100 a month;
 *   LINE-A makes up to 200 a month. The plan makes 70, 100, 100 (the 30 in stock first).
 * - FAM-B: price $30, unit cost $12, no holding cost; no stock; demand 40, 80, 40; LINE-B makes
 *   at most 60 a month, so February's 80 needs 20 built in January: the plan makes 60, 60, 40.
 * - Payment terms: customers pay after 45 days, suppliers are paid after 15.
 * - Budget: FAM-A 100 a month for $5,000; FAM-B 50 a month for $1,500; January to March.
 */
beforeAll(async () => {
  const db = t.db;
  await getSettings(db);
  await db
    .updateTable('workspace_settings')
    .set({ horizon_months: 3, frozen_months: 0, slushy_months: 1, dso_days: 45, dpo_days: 15 })
    .execute();
  const fam = async (code: string, price: number, unitCost: number, holding: number) =>
    (
      await db
        .insertInto('families')
        .values({
          code,
          name: code,
          price,
          unit_cost: unitCost,
          holding_cost: holding,
          backlog_cost: 100,
          subcontract_cost: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const a = await fam('FAM-A', 50, 20, 1);
  const b = await fam('FAM-B', 30, 12, 0);
  const line = async (code: string, capacity: number) =>
    (
      await db
        .insertInto('resources')
        .values({
          code,
          name: code,
          kind: 'line',
          unit: 'units',
          regular_capacity: capacity,
          overtime_limit: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const lineA = await line('LINE-A', 200);
  const lineB = await line('LINE-B', 60);
  await db
    .insertInto('resource_loads')
    .values([
      { family_id: a, resource_id: lineA, load_per_unit: 1 },
      { family_id: b, resource_id: lineB, load_per_unit: 1 },
    ])
    .execute();
  await db
    .insertInto('inventory_snapshots')
    .values([
      { family_id: a, period: '2026-12', on_hand: 30 },
      { family_id: b, period: '2026-12', on_hand: 0 },
    ])
    .execute();
  await db
    .insertInto('budget')
    .values(
      MONTHS.flatMap((period) => [
        { family_id: a, period, volume: 100, revenue: 5000 },
        { family_id: b, period, volume: 50, revenue: 1500 },
      ]),
    )
    .execute();
  const cycleId = await insertCycle(db, { month: '2027-01', phase: 'executive' });
  const demand = [
    { id: a, units: [100, 100, 100] },
    { id: b, units: [40, 80, 40] },
  ];
  await insertFlatBaseline(db, cycleId, MONTHS, demand);
  ({ runId } = await runPlan(db, await createHighsSolver(), {
    cycleId,
    runKey: 'finance-by-hand',
    trigger: 'test',
    requestedBy: null,
  }));
});

/** The vote message as the bot posts it: a vote on the run, read back by getPollView. */
async function voteText(): Promise<string> {
  const rows = (await runScenarios(t.db, runId)).filter((r) => r.status === 'optimal');
  const cycle = await getCycleByMonth(t.db, '2027-01');
  const poll = await t.db
    .insertInto('polls')
    .values({
      cycle_id: cycle!.id,
      run_id: runId,
      poll_key: `finance-${Math.random()}`,
      question: 'Which scenario do we adopt for 2027-01?',
      mode: 'open',
      quorum: null,
      channel_id: 'C_EXEC',
      message_ts: null,
      closes_at: null,
      created_by: 'U_CHAIR',
      created_at: NOW,
      closed_by: null,
      closed_at: null,
      close_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('poll_options')
    .values(
      rows.map((r, i) => ({
        poll_id: poll.id,
        scenario_id: r.id,
        position: i + 1,
        label: r.label,
      })),
    )
    .execute();
  return JSON.stringify(voteMessage(await getPollView(t.db, poll.id)).blocks);
}

/**
 * The 2027-01 cycle planned under `runKey` (the run the vote and the pack read next), and its
 * central scenario.
 */
async function planJanuary(runKey: string) {
  const cycle = await getCycleByMonth(t.db, '2027-01');
  const run = await runPlan(t.db, await createHighsSolver(), {
    cycleId: cycle!.id,
    runKey,
    trigger: 'test',
    requestedBy: null,
  });
  runId = run.runId;
  const [central] = await runScenarios(t.db, run.runId);
  return { cycle, run, central };
}

describe('two families, three months: the finance read by hand', () => {
  /*
   * The central plan, by hand.
   *   FAM-A makes 70, 100, 100 (the 30 in stock go in January) and holds nothing.
   *   FAM-B makes 60, 60, 40: January's 60 less its 40 sold leaves 20 for February's 80.
   * Revenue (units sold × price):
   *   FAM-A 100 × $50 = 5 000 a month, 15 000; FAM-B 40, 80, 40 × $30 = 1 200, 2 400, 1 200, 4 800.
   *   By month 6 200, 7 400, 6 200: 19 800.
   * Cash costs (units made × unit cost; FAM-B's stock costs no holding, FAM-A holds none):
   *   January 70 × 20 + 60 × 12 = 1 400 + 720 = 2 120; February 2 000 + 720 = 2 720;
   *   March 2 000 + 480 = 2 480: 7 320.
   * Cost of goods sold: FAM-A 300 × $20 = 6 000 (the 30 opening units among them), FAM-B
   *   160 × $12 = 1 920: 7 920 = cash costs 7 320 + the opening stock used up, 30 × $20 = 600.
   * Margin = revenue − cash costs + (ending stock 0 − opening stock 600) = 19 800 − 7 320 − 600
   *   = 11 880 = 19 800 − 7 920; 11 880 / 19 800 = 60.0% of revenue.
   */
  it('revenue, cost of goods and margin', async () => {
    const [central] = await runScenarios(t.db, runId);
    expect(central?.name).toBe('central');
    const k = central!.kpis;
    expect(k.revenue).toBe(19800);
    expect(k.makingCost).toBe(7320);
    expect(k.grossMargin).toBe(11880);
    expect(k.grossMarginPct).toBeCloseTo(0.6, 12);
    // No spread in demand: every sample is the plan's demand, so the expected margin is it.
    expect(k.expectedMargin).toBe(11880);
    expect(k.marginP10).toBe(11880);
    const byRow = await familyResults(t.db, central!.id);
    expect(byRow.map((r) => [r.code, r.period, r.revenue])).toEqual([
      ['FAM-A', '2027-01', 5000],
      ['FAM-A', '2027-02', 5000],
      ['FAM-A', '2027-03', 5000],
      ['FAM-B', '2027-01', 1200],
      ['FAM-B', '2027-02', 2400],
      ['FAM-B', '2027-03', 1200],
    ]);
  });

  /*
   * Cash by month. Customers pay after 45 days = 1.5 months: half of a month's sales come in
   * the next month, half the month after. Suppliers are paid after 15 days: half in the month,
   * half the next. Nothing from before January is counted (no December sales collected).
   *   collected: January 0; February 6 200 / 2 = 3 100; March 3 100 + 7 400 / 2 = 6 800.
   *   paid: January 2 120 / 2 = 1 060; February 1 060 + 1 360 = 2 420; March 1 360 + 1 240 = 2 600.
   *   net: −1 060, +680, +4 200; cumulative −1 060, −380, 3 820.
   * FAM-B's 20 units built in January are paid in January and February ($240) and sold in
   * February, collected in March and April: stock built now is cash out now.
   * Working capital at each month's end = stock at cost + receivables − payables:
   *   January: 20 × $12 = 240 + (6 200 − 0) − (2 120 − 1 060) = 240 + 6 200 − 1 060 = 5 380;
   *   February: 0 + (13 600 − 3 100) − (4 840 − 3 480) = 10 500 − 1 360 = 9 140;
   *   March: 0 + (19 800 − 9 900) − (7 320 − 6 080) = 9 900 − 1 240 = 8 660. Peak 9 140.
   * The budget, on the same terms (a budget unit costs its unit cost: the plan pays nothing
   * but materials, so the factor is 7 320 / 7 320 = 1):
   *   revenue 5 000 + 1 500 = 6 500 a month (19 500); costs 100 × 20 + 50 × 12 = 2 600 a month.
   *   collected 0, 3 250, 6 500; paid 1 300, 2 600, 2 600; net −1 300, +650, +3 900;
   *   cumulative −1 300, −650, 3 250.
   *   Stock keeps FAM-A's opening cover, 30 × $20 = 600 each month (FAM-B has none).
   *   Working capital: January 600 + 6 500 − 1 300 = 5 800; February 600 + 9 750 − 1 300 =
   *   9 050; March 600 + 9 750 − 1 300 = 9 050. Peak 9 050.
   * Against the budget: revenue 19 800 vs 19 500, +300, +1.5%; cash 3 820 vs 3 250, +570;
   * peak working capital 9 140 vs 9 050, +90.
   */
  it('cash by month, working capital and the budget', async () => {
    const [central] = await runScenarios(t.db, runId);
    const k = central!.kpis;
    const x = central!.stress as unknown as StressSummary;
    expect(x.cumulativeCash).toEqual([-1060, -380, 3820]);
    expect(x.cumulativeCashP10).toEqual([-1060, -380, 3820]);
    expect(k.cashFlow).toBe(3820);
    expect(k.workingCapital).toBe(9140);
    // Every sample is the plan's demand: its bad case (the P90) is the same 9 140.
    expect(k.workingCapitalP90).toBe(9140);
    expect(x.budget).toEqual({ cumulativeCash: [-1300, -650, 3250], peakWorkingCapital: 9050 });
    expect(k.budgetCashFlow).toBe(3250);
    expect(k.cashP10VsBudget).toBe(570);
    expect(k.workingCapitalVsBudget).toBe(90);
    const data = await buildPack(t.db, '2027-01', NOW);
    expect(data.finance.revenue).toBe(19800);
    expect(data.finance.budget).toBe(19500);
    expect(data.finance.gapPct).toBeCloseTo(300 / 19500, 12);
  });

  /*
   * The same figures wherever they are shown. $19,800 → "$19.8k"; $11,880 → "$11.9k";
   * $3,820 → "$3.8k"; the budget's $3,250 → "$3.3k"; $9,140 → "$9.1k". The differences are
   * written more finely than the amounts, so unrounded: +$570, +$90.
   */
  it('the pack, the vote, the cash chart and explain agree with the hand figures', async () => {
    const md = packMarkdown(await buildPack(t.db, '2027-01', NOW));
    expect(md).toContain(
      '- Revenue of the Central scenario at planned demand $19.8k vs budget $19.5k (+1.5%), 2027-01–2027-03.',
    );
    // Each money figure says its months and whether it is a total, at planned demand or
    // expected, or a month-end: the margin of the plan and the expected one are told apart.
    expect(md).toContain(
      '- Margin at planned demand $11.9k over 2027-01–2027-03 (60.0% of revenue): revenue less',
    );
    expect(md).toContain(
      '- Against uncertain demand, over the same months: expected margin $11.9k, $11.9k in a bad case.',
    );
    expect(md).toContain(
      "Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $3.8k expected, $3.8k in a bad case vs budget $3.3k (+$570 in a bad case); invoices and bills open before 2027-01 are left out of both.",
    );
    // The budget's peak 9 050 → "$9.1k", as the plan's 9 140: the gap unrounded, +$90; the
    // bad case is the same 9 140 (no spread), so neither is within the budget's peak.
    expect(md).toContain(
      '- Peak working capital (its highest month-end) $9.1k expected, $9.1k in a bad case; the expected peak is +$90 vs budget $9.1k, the bad case +$90: neither fits within the budget.',
    );
    expect(md).toContain(
      "- Central: expected margin $11.9k; in a bad case (each its own 1 in 10) it leaves $0 of stock beyond 3 months' cover, cash is +$570 against budget and it fills 100.0% of demand.",
    );

    const vote = await voteText();
    expect(vote).toContain('$11.9k (bad case $11.9k)');
    expect(vote).toContain('$3.8k / $3.8k');
    // The totals' months, said once under the header; working capital is an expected peak.
    expect(vote).toContain(
      'Money over 2027-01–2027-03 (3 months): margin and cash generated are totals for the period, working capital its highest month-end',
    );
    expect(vote).toContain(
      '*Peak working capital expected / bad case*\\n$9.1k / $9.1k\\nThe expected peak is +$90 vs budget $9.1k, the bad case +$90: neither fits within the budget',
    );
    expect(vote).toContain('cash is +$570 against budget');

    const rows = await runScenarios(t.db, runId);
    const run = await getRun(t.db, runId);
    const cash = cashSeries(run!.periods as Period[], rows);
    expect(cash?.budget).toEqual([
      { period: '2027-01', cumulative: -1300 },
      { period: '2027-02', cumulative: -650 },
      { period: '2027-03', cumulative: 3250 },
    ]);
    expect(cash?.series[0]?.points).toEqual([
      { period: '2027-01', cumulative: -1060, cumulativeP10: -1060 },
      { period: '2027-02', cumulative: -380, cumulativeP10: -380 },
      { period: '2027-03', cumulative: 3820, cumulativeP10: 3820 },
    ]);
    const chart = cashChart(cash!.series, cash!.budget);
    expect(chart.summary).toContain(
      '*Central*: $3.8k expected by 2027-03, $3.8k in a bad case (+$570 and +$570 vs budget $3.3k)',
    );
    // January reads −$1,060 because December's sales, collected in January, are not counted:
    // the chart says so, in its subtitle and its description, and that the cash is what the
    // horizon generates from $0, not a bank balance.
    const opening = 'invoices and bills open before 2027-01 are left out';
    const generated =
      "Cash generated: sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment";
    expect((chart.spec as { title: { subtitle: string[] } }).title.subtitle).toEqual([
      'Solid: expected over the demand samples; dotted: bad case (1 in 10); dashed grey: budget',
      'Cash generated: sales collected less costs paid, from $0,',
      "without the opening bank balance, overheads, tax or capex other than a scenario's own investment",
      'Invoices and bills open before 2027-01 are left out',
    ]);
    expect(chart.altText).toContain(`${generated}; ${opening}.`);
    expect(chart.title).toBe('Cash generated against budget');
    expect(JSON.stringify(chart.spec)).toContain('"title":"Cash generated to date"');

    // explain: FAM-B's revenue month by month and over the three months, 1 200 + 2 400 + 1 200.
    const month = explainPlainText(await explainQuestion(t.db, 'FAM-B 2027-02'));
    expect(month).toMatch(/Central[^\n]*revenue \$2,400/);
    const range = explainPlainText(await explainQuestion(t.db, 'FAM-B 2027-01..2027-03'));
    expect(range).toMatch(/Central[^\n]*revenue \$4,800/);
  });

  /*
   * The same company with the budget's January lines taken out (the budget starts in
   * February). Counted as a budget of nothing in January, its cash was 0, −1 300, −650
   * (February's costs paid half in February; March collects half of February's 6 500 and
   * pays 2 600), and the plan's 3 820, which holds January's sales collected in February and
   * March, read "+$4.5k" ahead of it. That is no comparison: the budget has no cash, the pack
   * says why, and the revenue is set against it over February and March only:
   * 7 400 + 6 200 = 13 600 vs 6 500 × 2 = 13 000, +600, +4.6%.
   */
  it("a budget that starts after the plan's first month: no cash against it, and the pack says why", async () => {
    await t.db.deleteFrom('budget').where('period', '=', '2027-01').execute();
    const cycle = await getCycleByMonth(t.db, '2027-01');
    const late = await runPlan(t.db, await createHighsSolver(), {
      cycleId: cycle!.id,
      runKey: 'finance-by-hand-late-budget',
      trigger: 'test',
      requestedBy: null,
    });
    const [central] = await runScenarios(t.db, late.runId);
    expect(central?.kpis.cashFlow).toBe(3820);
    expect(central?.kpis.budgetCashFlow).toBeNull();
    expect(central?.kpis.workingCapitalVsBudget).toBeNull();
    const md = packMarkdown(await buildPack(t.db, '2027-01', NOW));
    expect(md).toContain(
      '$19.8k, 2027-01–2027-03; over the 2 months the budget covers (2027-02–2027-03): $13.6k vs budget $13.0k (+4.6%).',
    );
    expect(md).toContain(
      "- Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $3.8k expected, $3.8k in a bad case; invoices and bills open before 2027-01 are left out; the budget starts in 2027-02, after 2027-01, so the cash is not set against it.",
    );
    expect(md).toContain(
      "- Central: expected margin $11.9k; in a bad case (each its own 1 in 10) it leaves $0 of stock beyond 3 months' cover, cash over the horizon is $3.8k and it fills 100.0% of demand.",
    );
    const run = await getRun(t.db, late.runId);
    expect(
      cashSeries(run!.periods as Period[], await runScenarios(t.db, late.runId))?.budget,
    ).toBeNull();
  });

  /*
   * The budget back in January and out in March: it ends in February, before the horizon.
   * Its cash to February: revenue 6 500, 6 500, costs 2 600, 2 600; collected 0, 3 250; paid
   * 1 300, 2 600; cumulative −1 300, −650. The plan's by February (above): −380, so
   * −380 − (−650) = +270 against budget there, in every sample. The sentences of the vote and
   * the pack's question 6 say that month, as question 4 and the cash chart do; without it
   * "cash is +$270 against budget" read as the horizon's, which is $3.8k.
   */
  it('a budget that ends before the horizon: every comparison of cash names its last month', async () => {
    const [a, b] = await t.db
      .selectFrom('families')
      .select('id')
      .orderBy('code')
      .execute()
      .then((rows) => rows.map((r) => r.id));
    await t.db
      .insertInto('budget')
      .values([
        { family_id: a!, period: '2027-01', volume: 100, revenue: 5000 },
        { family_id: b!, period: '2027-01', volume: 50, revenue: 1500 },
      ])
      .execute();
    await t.db.deleteFrom('budget').where('period', '=', '2027-03').execute();
    const cycle = await getCycleByMonth(t.db, '2027-01');
    const early = await runPlan(t.db, await createHighsSolver(), {
      cycleId: cycle!.id,
      runKey: 'finance-by-hand-early-budget',
      trigger: 'test',
      requestedBy: null,
    });
    runId = early.runId;
    const [central] = await runScenarios(t.db, early.runId);
    expect(central?.kpis.budgetCashFlow).toBe(-650);
    expect(central?.kpis.cashP10VsBudget).toBe(270);
    const md = packMarkdown(await buildPack(t.db, '2027-01', NOW));
    expect(md).toContain(
      "- Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $3.8k expected, $3.8k in a bad case; by 2027-02, the budget's last month, +$270 in a bad case against budget −$650;",
    );
    const sentence =
      "Central: expected margin $11.9k; in a bad case (each its own 1 in 10) it leaves $0 of stock beyond 3 months' cover, cash by 2027-02, the budget's last month, is +$270 against budget and it fills 100.0% of demand.";
    expect(md).toContain(`- ${sentence}`);
    expect(await voteText()).toContain(sentence);
    expect((await runTradeOffs(t.db, early.runId)).get(central!.id)).toBe(sentence);
  });
});

/*
 * The invoices open when the plan begins, by hand. The same company, its budget still
 * January and February (above), now with its sales history for the months before January:
 *   2026-10: FAM-A 80 (paid before January: 45 days after October is in December).
 *   2026-11: FAM-A 90 units, no revenue column: 90 × $50 = 4 500; FAM-B 40 units with their
 *     revenue, $1 100 (a discount). November: 5 600.
 *   2026-12: FAM-A 100 units: 5 000; FAM-B 50 units, no revenue, at December's imported
 *     price of $28: 1 400. December: 6 400.
 * Customers pay after 45 days: half of a month's sales the next month, half the month after.
 *   November's: half in December (before the plan), half, 2 800, in January.
 *   December's: 3 200 in January, 3 200 in February.
 *   Owed when January begins: 2 800 + 6 400 = 9 200 ("$9.2k"); still owed at the end of
 *   January 3 200, of February 0.
 * The plan's cash (above: net −1 060, +680, +4 200) becomes 4 940, 3 880, 4 200;
 *   cumulative 4 940, 8 820, 13 020 ("$13k").
 * The budget's (net −1 300, +650) becomes 4 700, 3 850; cumulative 4 700, 8 550: by
 *   February the plan is 8 820 − 8 550 = +270 against it, as before: the opening invoices are
 *   the same for both.
 * Working capital (above: 5 380, 9 140, 8 660) gains what is still owed: 8 580, 9 140, 8 660;
 *   peak 9 140, in every sample (its bad case too), February as before. The budget's:
 *   January 600 + 6 500 + 3 200 − 1 300 = 9 000, February 9 050; peak 9 050: +$90, expected
 *   and in the bad case, so neither fits within the budget.
 * No production actuals reach December, so its bills are estimated from its sales at unit
 *   cost, as its invoices are counted from them: FAM-A 100 × $20 = 2 000, FAM-B 50 × $12 (no
 *   unit cost imported for December) = 600: 2 600. Suppliers are paid after 15 days: half,
 *   1 300 ("$1.3k"), is open when January begins and paid in January, nothing owed at its end.
 *   The plan's cash: 4 940 − 1 300 = 3 640, 8 820 − 1 300 = 7 520, 13 020 − 1 300 = 11 720
 *   ("$11.7k"); the budget's 4 700 − 1 300 = 3 400, 8 550 − 1 300 = 7 250 ("$7.3k"): +270 by
 *   February, as before. Working capital as above: the bills are paid by January's end.
 */
describe('the invoices open when the plan begins, by hand', () => {
  it('are collected in its first months, the budget’s alike, and the words say what is counted', async () => {
    const [a, b] = await t.db
      .selectFrom('families')
      .select('id')
      .orderBy('code')
      .execute()
      .then((rows) => rows.map((r) => r.id));
    await t.db
      .insertInto('sales_history')
      .values([
        { family_id: a!, period: '2026-10', units: 80, revenue: null },
        { family_id: a!, period: '2026-11', units: 90, revenue: null },
        { family_id: b!, period: '2026-11', units: 40, revenue: 1100 },
        { family_id: a!, period: '2026-12', units: 100, revenue: null },
        { family_id: b!, period: '2026-12', units: 50, revenue: null },
      ])
      .execute();
    await t.db
      .insertInto('family_period_costs')
      .values({
        family_id: b!,
        period: '2026-12',
        price: 28,
        unit_cost: null,
        holding_cost: null,
        backlog_cost: null,
        subcontract_cost: null,
      })
      .execute();
    const { cycle, run, central } = await planJanuary('finance-by-hand-opening');
    const k = central!.kpis;
    const x = central!.stress as unknown as StressSummary;
    // The plan itself is unchanged: the history is not what it plans from here.
    expect(k.makingCost).toBe(7320);
    expect(k.openingReceivables).toBe(9200);
    expect(k.openingPayables).toBe(1300);
    expect(x.openingPayablesEstimated).toBe(true);
    expect(x.cumulativeCash).toEqual([3640, 7520, 11720]);
    expect(k.cashFlow).toBe(11720);
    expect(x.budget).toEqual({ cumulativeCash: [3400, 7250], peakWorkingCapital: 9050 });
    expect(k.cashP10VsBudget).toBe(270);
    expect(k.workingCapital).toBe(9140);
    expect(k.workingCapitalInBudget).toBe(9140);
    expect(k.workingCapitalInBudgetP90).toBe(9140);
    expect(k.workingCapitalVsBudget).toBe(90);

    const owed =
      "count collecting the $9.2k customers owed for the plan's families' sales and paying an estimated $1.3k of bills for their production before 2027-01 (their sales then at unit cost: no production actuals then)";
    const md = packMarkdown(await buildPack(t.db, '2027-01', NOW));
    expect(md).toContain(
      `- Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $11.7k expected, $11.7k in a bad case; by 2027-02, the budget's last month, +$270 in a bad case against budget $7.3k; both ${owed}.`,
    );
    // 9 140 and 9 050 both print "$9.1k"; the gaps are unrounded.
    expect(md).toContain(
      "- Peak working capital (its highest month-end) $9.1k expected, $9.1k in a bad case; by 2027-02, the budget's last month, the expected peak is $9.1k, +$90 vs budget $9.1k, the bad case $9.1k, +$90: neither fits within the budget.",
    );
    const vote = await voteText();
    expect(vote).toContain(
      "By 2027-02, the budget's last month, the expected peak is $9.1k, +$90 vs budget $9.1k, the bad case $9.1k, +$90: neither fits within the budget",
    );
    // The vote's cash, $11.7k, holds the $9.2k collected and the $1.3k paid: its note says so,
    // where it says what the figures are.
    expect(vote).toContain(
      `Money over 2027-01–2027-03 (3 months): margin and cash generated are totals for the period, working capital its highest month-end; cash ${owed.replace(/^count/, 'counts')}`,
    );
    const stored = await getRun(t.db, run.runId);
    const cash = cashSeries(stored!.periods as Period[], await runScenarios(t.db, run.runId));
    expect(cash?.opening).toEqual({ receivables: 9200, payables: 1300, billsEstimated: true });
    const chart = cashChart(cash!.series, cash!.budget, cash!.opening);
    // One clause a subtitle line, so the line is no wider than the plot.
    expect((chart.spec as { title: { subtitle: string[] } }).title.subtitle).toEqual([
      'Solid: expected over the demand samples; dotted: bad case (1 in 10); dashed grey: budget',
      'Cash generated: sales collected less costs paid, from $0,',
      "without the opening bank balance, overheads, tax or capex other than a scenario's own investment",
      "Every line counts collecting the $9.2k customers owed for the plan's families' sales",
      'and paying an estimated $1.3k of bills for their production before 2027-01',
      '(their sales then at unit cost: no production actuals then)',
    ]);
    expect(chart.title).toBe('Cash generated against budget');
    expect(chart.altText).toContain(`every line ${owed.replace(/^count/, 'counts')}`);

    /*
     * A history that stops at 2026-11: December's sales are not known (no row of any family
     * that late), so nothing is counted, not December as zero, neither its invoices nor the
     * bills estimated from it: the cash is the horizon's own again, 3 820, and the words say
     * both are left out.
     */
    /*
     * Suppliers paid after 105 days: the bills open then reach back to September, which the
     * history does not: they cannot be estimated, so the invoices it gives are left out too,
     * where January collected them and paid none.
     */
    await t.db.updateTable('workspace_settings').set({ dpo_days: 105 }).execute();
    const unpaid = await runPlan(t.db, await createHighsSolver(), {
      cycleId: cycle!.id,
      runKey: 'finance-by-hand-opening-bills-unknown',
      trigger: 'test',
      requestedBy: null,
    });
    const [c1] = await runScenarios(t.db, unpaid.runId);
    expect(c1?.kpis.openingReceivables).toBeUndefined();
    expect(c1?.kpis.openingPayables).toBeUndefined();
    expect(packMarkdown(await buildPack(t.db, '2027-01', NOW))).toContain(
      'invoices and bills open before 2027-01 are left out of both.',
    );
    await t.db.updateTable('workspace_settings').set({ dpo_days: 15 }).execute();

    await t.db.deleteFrom('sales_history').where('period', '=', '2026-12').execute();
    const short = await runPlan(t.db, await createHighsSolver(), {
      cycleId: cycle!.id,
      runKey: 'finance-by-hand-opening-short',
      trigger: 'test',
      requestedBy: null,
    });
    const [c2] = await runScenarios(t.db, short.runId);
    expect(c2?.kpis.cashFlow).toBe(3820);
    expect(c2?.kpis.openingReceivables).toBeUndefined();
    expect(c2?.kpis.openingPayables).toBeUndefined();
    expect(packMarkdown(await buildPack(t.db, '2027-01', NOW))).toContain(
      'invoices and bills open before 2027-01 are left out of both.',
    );
  });
});

/*
 * The bills open when the plan begins, by hand. The same company (suppliers paid after 15
 * days, the budget January and February, the sales history now stopping at 2026-11, so the
 * invoices open then are not known, above), with its production actuals imported:
 *   2026-12, monthly (`production`): FAM-A 90 units at its $20 unit cost: 1 800.
 *   2026-12, weekly (`weekly-production`): FAM-B's five weeks that hold December's days, each
 *     split by its days (units × days in the month / 7):
 *       Monday 30 November,  7 units: 1 day in November, 6 in December → 6
 *       7, 14 and 21 December, 14 units each, all in December         → 42
 *       Monday 28 December, 21 units: 4 days in December, 3 in January → 12 (9 in January,
 *         which the plan makes, not a bill open when it begins)
 *     60 units at December's imported unit cost of $14 (`family_costs`): 840. (The week to its
 *     Thursday's month would make it 7 + 42 + 21 = 70 units, 980.)
 *   December's bill: 1 800 + 840 = 2 640.
 * 15 days is half a month: half of December's bill, 1 320, was paid in December; the other
 * 1 320 ("$1.3k") is open when January begins and paid in January.
 * January's cash: collected 0, paid the plan's own 1 060 + 1 320 = 2 380: −2 380; February
 * −380 + 1 060 = +680 and March +4 200 as before; cumulative −2 380, −1 700, 2 500 ("$2.5k").
 * The budget's: −1 300 − 1 320 = −2 620, +650; cumulative −2 620, −1 970 ("−$2k"): by
 * February the plan is −1 700 + 1 970 = +270 against it, as before: the bills are the same for
 * both. Nothing is still owed at January's end, so working capital is as before.
 */
describe('the bills open when the plan begins, by hand', () => {
  const bills =
    "paying the $1.3k of bills for the plan's families' production before 2027-01; invoices open then are left out";

  it('are paid in its first month, the budget’s alike, and the words say what is counted', async () => {
    const imported = async (
      kind: 'production' | 'weekly-production' | 'family_costs',
      text: string,
    ) => importCsv(t.db, { kind, fileName: `${kind}.csv`, text, actor: 'cli:test' });
    await imported('production', 'family,period,units\nFAM-A,2026-12,90\n');
    await imported(
      'weekly-production',
      'family,week,units\nFAM-B,2026-11-30,7\nFAM-B,2026-12-07,14\nFAM-B,2026-12-14,14\nFAM-B,2026-12-21,14\nFAM-B,2026-12-28,21\n',
    );
    // FAM-B's December price ($28, imported above) stays: the file has no price column.
    await imported('family_costs', 'family,period,unit_cost\nFAM-B,2026-12,14\n');
    const { run, central } = await planJanuary('finance-by-hand-bills');
    const k = central!.kpis;
    const x = central!.stress as unknown as StressSummary;
    expect(k.makingCost).toBe(7320);
    expect(k.openingPayables).toBe(1320);
    expect(k.openingReceivables).toBeUndefined();
    // January's cash: nothing collected, 2 380 paid.
    expect(x.cumulativeCash).toEqual([-2380, -1700, 2500]);
    expect(k.cashFlow).toBe(2500);
    expect(x.budget).toEqual({ cumulativeCash: [-2620, -1970], peakWorkingCapital: 9050 });
    expect(k.cashP10VsBudget).toBe(270);
    expect(k.workingCapital).toBe(9140);

    const md = packMarkdown(await buildPack(t.db, '2027-01', NOW));
    expect(md).toContain(
      `- Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $2.5k expected, $2.5k in a bad case; by 2027-02, the budget's last month, +$270 in a bad case against budget −$2.0k; both count ${bills}.`,
    );
    expect(await voteText()).toContain(
      `Money over 2027-01–2027-03 (3 months): margin and cash generated are totals for the period, working capital its highest month-end; cash counts ${bills}`,
    );
    const stored = await getRun(t.db, run.runId);
    const cash = cashSeries(stored!.periods as Period[], await runScenarios(t.db, run.runId));
    expect(cash?.opening).toEqual({ receivables: null, payables: 1320 });
    expect(cashChart(cash!.series, cash!.budget, cash!.opening).altText).toContain(
      `every line counts ${bills}`,
    );
  });

  /*
   * December's sales back (FAM-A 100 × $50 = 5 000, FAM-B 50 × $28 = 1 400): the invoices
   * open are the $9.2k above again, collected 6 000 in January and 3 200 in February. Both
   * are counted: the cash above with the invoices (4 940, 8 820, 13 020) less the 1 320 paid in
   * January: 3 620, 7 500, 11 700 ("$11.7k"); the budget's (4 700, 8 550) less 1 320: 3 380,
   * 7 230 ("$7.2k"); +270 by February.
   */
  it('with the invoices open then: both counted, and said', async () => {
    const [a, b] = await t.db
      .selectFrom('families')
      .select('id')
      .orderBy('code')
      .execute()
      .then((rows) => rows.map((r) => r.id));
    await t.db
      .insertInto('sales_history')
      .values([
        { family_id: a!, period: '2026-12', units: 100, revenue: null },
        { family_id: b!, period: '2026-12', units: 50, revenue: null },
      ])
      .execute();
    const { central } = await planJanuary('finance-by-hand-bills-and-invoices');
    const x = central!.stress as unknown as StressSummary;
    expect(central?.kpis.openingReceivables).toBe(9200);
    expect(central?.kpis.openingPayables).toBe(1320);
    expect(x.cumulativeCash).toEqual([3620, 7500, 11700]);
    expect(x.budget?.cumulativeCash).toEqual([3380, 7230]);
    const both =
      "collecting the $9.2k customers owed for the plan's families' sales and paying the $1.3k of bills for their production before 2027-01";
    expect(packMarkdown(await buildPack(t.db, '2027-01', NOW))).toContain(
      `- Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $11.7k expected, $11.7k in a bad case; by 2027-02, the budget's last month, +$270 in a bad case against budget $7.2k; both count ${both}.`,
    );
    expect(await voteText()).toContain(`; cash counts ${both}`);
  });

  /*
   * Without the week of 28 December, FAM-B's weeks do not hold December's 28th to 31st: its
   * December is held in part, not known, so the production actuals do not give December's
   * bill, not FAM-B's December as the days it has. It is estimated from December's sales at
   * unit cost, as the invoices are counted from them: FAM-A 100 × $20 = 2 000, FAM-B 50 × $14
   * (December's imported unit cost) = 700: 2 700, half of it, 1 350 ("$1.4k"), open when
   * January begins and paid in January. The cash is the invoices' (4 940, 8 820, 13 020) less
   * 1 350: 3 590, 7 470, 11 670. FAM-B is still producing (weeks in December), so the words
   * say the bills are estimated and why, naming it and December: FAM-A has its row.
   */
  it('a month the actuals hold in part: the bills estimated from the sales, and the words say so', async () => {
    await t.db.deleteFrom('weekly_actuals').where('week', '=', '2026-12-28').execute();
    const { cycle, run, central } = await planJanuary('finance-by-hand-bills-in-part');
    expect(central?.kpis.openingPayables).toBe(1350);
    expect((central!.stress as unknown as StressSummary).cumulativeCash).toEqual([
      3590, 7470, 11670,
    ]);
    const gap = { family: 'FAM-B', month: '2026-12' };
    expect((central!.stress as unknown as StressSummary).openingPayablesGap).toEqual(gap);
    const leftOut =
      'and paying an estimated $1.4k of bills for their production before 2027-01 (their sales then at unit cost: FAM-B has no production for 2026-12)';
    expect(packMarkdown(await buildPack(t.db, '2027-01', NOW))).toContain(
      `both count collecting the $9.2k customers owed for the plan's families' sales ${leftOut}.`,
    );
    expect(await voteText()).toContain(
      `cash counts collecting the $9.2k customers owed for the plan's families' sales ${leftOut}`,
    );
    const stored = await getRun(t.db, run.runId);
    const rows = await runScenarios(t.db, run.runId);
    expect(
      planHeadline(run.runId, '2027-01', rows, null, [], [], stored!.periods as Period[]),
    ).toContain(
      `; cash counts collecting the $9.2k customers owed for the plan's families' sales ${leftOut}._`,
    );
    const cash = cashSeries(stored!.periods as Period[], rows);
    expect(cash?.opening).toEqual({
      receivables: 9200,
      payables: 1350,
      billsGap: gap,
      billsEstimated: true,
    });
    const chart = cashChart(cash!.series, cash!.budget, cash!.opening);
    expect(chart.altText).toContain(leftOut);
    // The subtitle's clause a line, no wider than the one before it.
    expect((chart.spec as { title: { subtitle: string[] } }).title.subtitle).toEqual([
      'Solid: expected over the demand samples; dotted: bad case (1 in 10); dashed grey: budget',
      'Cash generated: sales collected less costs paid, from $0,',
      "without the opening bank balance, overheads, tax or capex other than a scenario's own investment",
      "Every line counts collecting the $9.2k customers owed for the plan's families' sales",
      'and paying an estimated $1.4k of bills for their production before 2027-01',
      '(their sales then at unit cost: FAM-B has no production for 2026-12)',
    ]);
    // /sop whatif and the demo's closing grid say the same sentence, naming FAM-B.
    const out = await runWhatIf(
      t.db,
      await createHighsSolver(),
      cycle!.id,
      parseWhatIfs('demand FAM-A +0%'),
      'What-if: demand FAM-A +0%',
    );
    const figures = [out.central, out.whatIf].map((s) => ({
      name: s.result.name,
      label: s.result.label,
      status: s.result.status,
      kpis: s.kpis,
      stress: s.result.stress,
    }));
    expect(
      whatIfDiff('demand FAM-A +0%', figures[0]!, figures[1]!, null, stored!.periods as Period[]),
    ).toContain(
      `; cash counts collecting the $9.2k customers owed for the plan's families' sales ${leftOut}._`,
    );
    const latest = await latestRunScenarios(t.db);
    expect(scenarioSummary(latest.scenarios, latest.periods)[1]).toBe(
      `Money over 2027-01–2027-03 (3 months): margin and cash generated are totals for the period; cash counts collecting the $9.2k customers owed for the plan's families' sales ${leftOut}.`,
    );
  });
  /*
   * Payment on delivery, both ways (DSO 0, DPO 0): nothing was open when the plan began, a
   * known zero, not left out. The plan's own sales and costs are collected and paid in their
   * month: revenue 6 200, 7 400, 6 200 less costs 2 120, 2 720, 2 480 (January's 1 060 paid
   * in it and 1 060 in February, February's 1 360 and 1 360, March's 1 240 and 1 240, above):
   * net 4 080, 4 680, 3 720; cumulative 4 080, 8 760, 12 480 ("$12.5k"). The budget's: 6 500 −
   * 2 600 = 3 900 a month, 3 900 and 7 800 ("$7.8k") by February, its last month: +960.
   */
  it('paid on delivery: none were open, and the words say so', async () => {
    await t.db.updateTable('workspace_settings').set({ dso_days: 0, dpo_days: 0 }).execute();
    const { run, central } = await planJanuary('finance-by-hand-on-delivery');
    const x = central!.stress as unknown as StressSummary;
    expect(central?.kpis.openingReceivables).toBe(0);
    expect(central?.kpis.openingPayables).toBe(0);
    expect(x.cumulativeCash).toEqual([4080, 8760, 12480]);
    expect(x.budget?.cumulativeCash).toEqual([3900, 7800]);
    const none = 'no invoices or bills were open before 2027-01';
    expect(packMarkdown(await buildPack(t.db, '2027-01', NOW))).toContain(
      `- Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $12.5k expected, $12.5k in a bad case; by 2027-02, the budget's last month, +$960 in a bad case against budget $7.8k; ${none}.`,
    );
    expect(await voteText()).toContain(
      `Money over 2027-01–2027-03 (3 months): margin and cash generated are totals for the period, working capital its highest month-end; ${none}`,
    );
    const stored = await getRun(t.db, run.runId);
    const cash = cashSeries(stored!.periods as Period[], await runScenarios(t.db, run.runId));
    expect(cash?.opening).toEqual({ receivables: 0, payables: 0 });
    const chart = cashChart(cash!.series, cash!.budget, cash!.opening);
    expect(chart.altText).toContain(none);
    expect(chart.altText).not.toContain('left out');
  });

  /*
   * Customers on 45 days again, suppliers paid on delivery: December's invoices ($9.2k:
   * 6 000 collected in January, 3 200 in February, above) are counted and no bill was open.
   * Collected 0 + 6 000, 3 100 + 3 200, 6 800; paid 2 120, 2 720, 2 480: net 3 880, 3 580,
   * 4 320; cumulative 3 880, 7 460, 11 780 ("$11.8k"). The budget's: collected 6 000,
   * 3 250 + 3 200 = 6 450; paid 2 600 each: 3 400, 7 250 ("$7.3k"); +210 by February.
   */
  it('invoices open and bills paid on delivery: the one counted, the other said to be none', async () => {
    await t.db.updateTable('workspace_settings').set({ dso_days: 45, dpo_days: 0 }).execute();
    const { central } = await planJanuary('finance-by-hand-bills-on-delivery');
    const x = central!.stress as unknown as StressSummary;
    expect(central?.kpis.openingReceivables).toBe(9200);
    expect(central?.kpis.openingPayables).toBe(0);
    expect(x.cumulativeCash).toEqual([3880, 7460, 11780]);
    expect(x.budget?.cumulativeCash).toEqual([3400, 7250]);
    expect(packMarkdown(await buildPack(t.db, '2027-01', NOW))).toContain(
      "- Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $11.8k expected, $11.8k in a bad case; by 2027-02, the budget's last month, +$210 in a bad case against budget $7.3k; both count collecting the $9.2k customers owed for the plan's families' sales before 2027-01; no bills were open then.",
    );
  });
});
