/**
 * The figures the executive meeting decides on, each worked out by hand on problems small
 * enough to follow (one family, two in the last, two or three months, demand samples given explicitly,
 * so no random draw stands between the samples and the figures): margin, fill rate with
 * backorders and with lost sales, cash with DSO and DPO, working capital, stock beyond cover,
 * P10 and P90, the trade-off sentences, and the same figure in the vote, the plan headline and
 * the scenario chart.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioChart } from '../../src/charts/scenarios.js';
import { planFinance } from '../../src/core/finance.js';
import { quantileSorted } from '../../src/core/random.js';
import { tradeOffSentences } from '../../src/core/scenarios/trade-off.js';
import { compareScenarios } from '../../src/core/scenarios.js';
import {
  budgetCash,
  type StressSummary,
  stressPlan,
  summarise,
} from '../../src/core/stress/index.js';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import { type SolvedPlan, solvePlan } from '../../src/core/supply/solve.js';
import { tally } from '../../src/core/vote.js';
import { scenarioKpis } from '../../src/services/chart-data.js';
import { stressKpis } from '../../src/services/planning.js';
import { planHeadline } from '../../src/slack/presenters/plan-run.js';
import { voteMessage } from '../../src/slack/presenters/vote.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

async function solved(p: PlanProblem): Promise<SolvedPlan> {
  const r = await solvePlan(p, solver);
  if (r.status !== 'optimal') throw new Error(r.message);
  return r;
}

const JAN_FEB = ['2027-01', '2027-02'];
const JAN_MAR = ['2027-01', '2027-02', '2027-03'];

/**
 * One family W: price $30, unit cost $10, holding $1, backlog $5 a unit-month, 20 in stock;
 * demand 100 a month; a line of 100 units a month, no overtime. The plan makes 80 in January
 * (the 20 in stock make up the rest) and 100 in February, and holds nothing.
 */
const twoMonths = (lostSales: boolean): PlanProblem =>
  parsePlanProblem({
    periods: JAN_FEB,
    families: [
      {
        code: 'W',
        price: 30,
        unitCost: 10,
        holdingCost: 1,
        backlogCost: 5,
        initialInventory: 20,
        endingBacklogMax: 0,
      },
    ],
    demand: JAN_FEB.map((period) => ({ family: 'W', period, units: 100 })),
    resources: [{ code: 'L', capacity: 100 }],
    loads: [{ family: 'W', resource: 'L', perUnit: 1 }],
    options: { lostSales },
  });

/** Three samples of January and February: as planned, 120 then 80, 70 then 130. */
const TWO_MONTH_SAMPLES = Float64Array.from([100, 100, 120, 80, 70, 130]);

describe('one family, two months, three demand samples', () => {
  it('backorders: fill rate, margin, cash after DSO 45 and DPO 30, working capital, P10 and P90', async () => {
    const p = twoMonths(false);
    const plan = await solved(p);
    expect(plan.families.map((r) => r.production)).toEqual([80, 100]);
    const x = stressPlan({ problem: p, plan }, TWO_MONTH_SAMPLES, Float64Array.from([100, 100]), {
      fixedMonths: 2,
      cash: { dsoDays: 45, dpoDays: 30, coverMonths: 3 },
    });
    /*
     * Each month 100 units are on hand (January: 20 + 80; February: 100).
     * s0 (100, 100): ships 100 and 100, all on time; costs 800 + 1 000; no stock at the end.
     * s1 (120, 80): January ships 100, 20 wait (backlog, nothing lost); February ships the 20
     *   then 80: on time 100 + 80 = 180 of 200 = 0.9. Revenue still 200 × $30 = 6 000.
     * s2 (70, 130): January ships 70 and keeps 30 ($30 of holding); February ships 130.
     * Margin = revenue − cash costs + (ending stock − opening stock at cost, 0 − 20 × $10):
     *   s0 6 000 − 1 800 − 200 = 4 000; s1 the same 4 000; s2 6 000 − 1 830 − 200 = 3 970.
     */
    expect([...x.fillRate]).toEqual([1, 0.9, 1]);
    expect([...x.revenue]).toEqual([6000, 6000, 6000]);
    expect([...x.margin]).toEqual([4000, 4000, 3970]);
    // The backlog is a penalty, not money: 20 units waiting a month at $5.
    expect([...x.penaltyCost]).toEqual([0, 100, 0]);
    /*
     * Cash. DSO 45 days = 1.5 months: half of a month's sales are collected the next month,
     * half the month after; DPO 30: costs are paid the next month. Sales and costs before the
     * horizon are left out, so January collects and pays nothing.
     *   s0, s1: sales 3 000 + 3 000, costs 800 + 1 000: February collects 1 500, pays 800: 700.
     *   s2: sales 2 100 + 3 900, costs 830 + 1 000: February collects 1 050, pays 830: 220.
     * Working capital = stock at cost + receivables − payables, at each month's end:
     *   s0: January 0 + 3 000 − 800 = 2 200; February 0 + (6 000 − 1 500) − (1 800 − 800) = 3 500.
     *   s2: January 300 + 2 100 − 830 = 1 570; February 0 + 4 950 − 1 000 = 3 950.
     */
    expect([...x.cashByMonth]).toEqual([0, 700, 0, 700, 0, 220]);
    expect([...x.cashFlow]).toEqual([700, 700, 220]);
    expect([...x.peakWorkingCapital]).toEqual([3500, 3500, 3950]);
    /*
     * P10 and P90 interpolate between the sorted samples (R type 7: position (n − 1)·p, here
     * 0.2 and 1.8 of 0..2):
     *   fill rate sorted 0.9, 1, 1: P10 = 0.9 + 0.2 × 0.1 = 0.92, P90 = 1, mean 2.9 / 3
     *   margin 3 970, 4 000, 4 000: P10 = 3 970 + 0.2 × 30 = 3 976, P90 4 000, mean 3 990
     *   cash 220, 700, 700: P10 = 220 + 0.2 × 480 = 316, mean 540
     */
    const s = summarise(x, 2);
    expect(s.fillRate.p10).toBeCloseTo(0.92, 12);
    expect(s.fillRate.p90).toBe(1);
    expect(s.fillRate.expected).toBeCloseTo(2.9 / 3, 12);
    expect(s.margin).toEqual({ expected: 3990, p10: 3976, p90: 4000 });
    expect(s.cashFlow.p10).toBeCloseTo(316, 9);
    expect(s.cashFlow.expected).toBeCloseTo(540, 9);
    expect(s.cumulativeCash).toEqual([0, 540]);
    expect(s.cumulativeCashP10[1]).toBeCloseTo(316, 9);
    expect(s.peakWorkingCapital.expected).toBeCloseTo((3500 + 3500 + 3950) / 3, 9);
  });

  it('peak working capital against a budget of January only: over January', async () => {
    const p = twoMonths(false);
    const plan = await solved(p);
    const terms = { dsoDays: 45, dpoDays: 30, coverMonths: 3 };
    const x = stressPlan({ problem: p, plan }, TWO_MONTH_SAMPLES, Float64Array.from([100, 100]), {
      fixedMonths: 2,
      cash: terms,
    });
    /*
     * The budget: January only, 100 units for $3 000. On the same terms its January holds
     * the opening cover, 20 × $10 × (100 / 100) = 200 of stock, the 3 000 billed (nothing
     * collected before 45 days) and owes the 100 × $10 = 1 000 of costs (paid after 30):
     * working capital 200 + 3 000 − 1 000 = 2 200, its peak.
     * The plan's January, sample by sample (above): 2 200, 2 200 and 1 570; expected peak over
     * January (2 200 + 2 200 + 1 570) / 3 = 1 990, so 1 990 − 2 200 = −210 against budget.
     * Over the horizon its expected peak is (3 500 + 3 500 + 3 950) / 3 = 3 650: set against
     * a budget that says nothing of February, that read +1 450.
     */
    const budget = budgetCash(
      p,
      [{ family: 'W', period: '2027-01', volume: 100, revenue: 3000 }],
      terms,
    );
    expect(budget?.peakWorkingCapital).toBe(2200);
    const s = summarise(x, 2, budget);
    expect(s.peakWorkingCapital.expected).toBeCloseTo(3650, 9);
    const k = stressKpis(s);
    expect(k.workingCapital).toBeCloseTo(3650, 9);
    expect(k.workingCapitalInBudget).toBeCloseTo(1990, 9);
    expect(k.workingCapitalVsBudget).toBeCloseTo(-210, 9);
    // The vote names the budget's last month, as the pack does: $1,990 → "$2.0k" (beside "$2.2k"), the budget's
    // $2,200 → "$2.2k", the gap unrounded: −$210.
    expect(
      voteText([{ label: 'Central', kpis: { ...k, expectedMargin: 3990 } }], JAN_FEB),
    ).toContain(
      "\\nBy 2027-01, the budget's last month, the expected peak is $2.0k, −$210 vs budget $2.2k",
    );
    /*
     * Its bad case over January: the P90 of 1 570, 2 200, 2 200 (sorted) at position 1.8:
     * 2 200 + 0.8 × 0 = 2 200, the budget's own peak: $0, within it. Over the horizon the
     * bad case is 3 860 (below), which a budget of January only says nothing of.
     */
    expect(k.workingCapitalInBudgetP90).toBeCloseTo(2200, 9);
    expect(
      voteText([{ label: 'Central', kpis: { ...k, expectedMargin: 3990 } }], JAN_FEB),
    ).toContain(
      "\\nBy 2027-01, the budget's last month, the expected peak is $2.0k, −$210 vs budget $2.2k, the bad case $2.2k, $0: both fit within the budget",
    );
  });

  it('peak working capital in a bad case: the P90 of the peaks, in the vote and the grid', async () => {
    const p = twoMonths(false);
    const plan = await solved(p);
    const terms = { dsoDays: 45, dpoDays: 30, coverMonths: 3 };
    const x = stressPlan({ problem: p, plan }, TWO_MONTH_SAMPLES, Float64Array.from([100, 100]), {
      fixedMonths: 2,
      cash: terms,
    });
    /*
     * The peaks, sample by sample (above): 3 500, 3 500 and 3 950 (s2: 30 left in January,
     * then February's 130 billed and half of January's 2 100 still owed by customers).
     * More cash tied up is the bad side, so the bad case is the P90, the P10's mirror:
     * sorted 3 500, 3 500, 3 950; position (3 − 1) × 0.9 = 1.8: 3 500 + 0.8 × 450 = 3 860.
     * Expected (3 500 + 3 500 + 3 950) / 3 = 3 650.
     * The budget: both months, 100 units for $3 000 each. Its stock keeps the opening cover,
     * 20 × $10 = 200; January 200 + 3 000 billed − 1 000 owed = 2 200; February collects
     * 1 500 of January's and pays its 1 000: 200 + 4 500 − 1 000 = 3 700, its peak.
     * The plan's expected peak against it: 3 650 − 3 700 = −50.
     */
    const budget = budgetCash(
      p,
      JAN_FEB.map((period) => ({ family: 'W', period, volume: 100, revenue: 3000 })),
      terms,
    );
    expect(budget?.peakWorkingCapital).toBe(3700);
    const s = summarise(x, 2, budget);
    expect(s.peakWorkingCapital.p90).toBeCloseTo(3860, 9);
    const k = stressKpis(s);
    expect(k.workingCapital).toBeCloseTo(3650, 9);
    expect(k.workingCapitalP90).toBeCloseTo(3860, 9);
    expect(k.workingCapitalVsBudget).toBeCloseTo(-50, 9);
    // The CLI's grid (`sopbot plan --scenarios`): the bad case beside the expected peak.
    const grid = compareScenarios([
      {
        name: 'central',
        label: 'Central',
        assumptions: { name: 'central', label: 'Central' },
        status: 'optimal',
        plan,
        finance: planFinance(p, plan),
        message: null,
        reasons: [],
        solverSeconds: 0,
        investment: null,
        stress: s,
      },
    ]);
    const rows = grid.rows.map((r) => [r.metric, r.label]);
    const at = rows.findIndex(([m]) => m === 'workingCapital');
    expect(rows[at + 1]).toEqual(['workingCapitalP90', 'Peak working capital at P90']);
    expect(grid.rows[at + 1]?.values[0]).toBeCloseTo(3860, 9);
    // Each against the budget's peak, 3 700: expected −50, the bad case 3 860 − 3 700 = +160
    // (the budget covers both months, so its months' bad case is the horizon's).
    const vs = rows.findIndex(([m]) => m === 'workingCapitalVsBudget');
    expect(rows[vs + 1]).toEqual([
      'workingCapitalP90VsBudget',
      'Peak working capital at P90 vs budget',
    ]);
    expect(grid.rows[vs]?.values[0]).toBeCloseTo(-50, 9);
    expect(grid.rows[vs + 1]?.values[0]).toBeCloseTo(160, 9);
    // The vote's field: $3,650 → "$3.7k", $3,860 → "$3.9k", the budget's $3,700 → "$3.7k";
    // the gap, finer than the amounts print, unrounded: −$50.
    const vote = voteText([{ label: 'Central', kpis: { ...k, expectedMargin: 3990 } }], JAN_FEB);
    expect(vote).toContain(
      '*Peak working capital expected / bad case*\\n$3.7k / $3.9k\\nThe expected peak is −$50 vs budget $3.7k, the bad case +$160: the expected peak fits within the budget, the bad case does not',
    );
  });

  it('a run stored before the bad case of working capital was kept: its expected peak alone', () => {
    // The KPIs as stored then: the expected peak and its gap to the budget, no P90.
    const vote = voteText(
      [
        {
          label: 'Central',
          kpis: { expectedMargin: 3990, workingCapital: 3650, workingCapitalVsBudget: -50 },
        },
      ],
      JAN_FEB,
    );
    expect(vote).toContain(
      '*Expected peak working capital*\\n$3.7k\\nThe expected peak is −$50 vs budget $3.7k',
    );
    expect(vote).not.toContain('Peak working capital expected / bad case');
  });

  it('lost sales: the same fill rate, less revenue, stock left over', async () => {
    const p = twoMonths(true);
    const plan = await solved(p);
    expect(plan.families.map((r) => r.production)).toEqual([80, 100]);
    const x = stressPlan({ problem: p, plan }, TWO_MONTH_SAMPLES, Float64Array.from([100, 100]), {
      fixedMonths: 2,
      cash: { dsoDays: 45, dpoDays: 30, coverMonths: 3 },
    });
    /*
     * The plan carried no backlog, so with lost sales allowed nobody waits:
     * s1 (120, 80): January ships 100 and loses 20; February ships 80 and keeps 20.
     *   On time 100 + 80 of 200 = 0.9, as with backorders, but revenue 180 × $30 = 5 400.
     *   Costs 800 + 1 000 + 20 × $1 holding = 1 820; ending stock 20 × $10 = 200 = opening.
     *   Margin 5 400 − 1 820 + (200 − 200) = 3 580. The lost 20 cost their price as a
     *   penalty (20 × $30 = 600), which is not money.
     *   Cash: February collects half of January's 3 000 and pays its 800: 700.
     *   Working capital in February: 200 + (5 400 − 1 500) − (1 820 − 800) = 3 080.
     */
    expect([...x.fillRate]).toEqual([1, 0.9, 1]);
    expect([...x.revenue]).toEqual([6000, 5400, 6000]);
    expect([...x.margin]).toEqual([4000, 3580, 3970]);
    expect([...x.penaltyCost]).toEqual([0, 600, 0]);
    expect([...x.endingInventoryValue]).toEqual([0, 200, 0]);
    expect(x.cashFlow[1]).toBe(700);
    expect(x.peakWorkingCapital[1]).toBe(3080);
  });

  it('zero demand in every sample: nothing sold, nothing owed, fill rate 100%', async () => {
    const p = twoMonths(true);
    const plan = await solved(p);
    const x = stressPlan({ problem: p, plan }, new Float64Array(6), Float64Array.from([100, 100]), {
      fixedMonths: 2,
      cash: { dsoDays: 0, dpoDays: 0, coverMonths: 3 },
    });
    /*
     * The plan still makes 80 + 100 at $10: 1 800. Stock 100 then 200 (holding 100 + 200 =
     * 300). Nothing demanded: fill rate 1 (no demand to fail). Margin 0 − 2 100 + (2 000 −
     * 200) = −300; cash −2 100 (DSO = DPO = 0). Stock beyond 3 months of forward demand
     * (3 × 100 = 300): none of the 200.
     */
    expect([...x.fillRate]).toEqual([1, 1, 1]);
    expect([...x.revenue]).toEqual([0, 0, 0]);
    expect([...x.margin]).toEqual([-300, -300, -300]);
    expect([...x.cashFlow]).toEqual([-2100, -2100, -2100]);
    expect([...x.excessInventoryValue]).toEqual([0, 0, 0]);
  });
});

/**
 * One family W over three months: price $50, and $40 in February (the one month with its
 * own price; January and March have none and take the flat $50); unit cost $10, holding $1,
 * backlog $5; no opening stock; demand 100 a month; a line of 200 a month; the plan must end
 * with `ending` units in stock and no backlog. It makes 100, 100 and 100 + `ending`.
 */
const threeMonths = (ending: number): PlanProblem =>
  parsePlanProblem({
    periods: JAN_MAR,
    families: [
      {
        code: 'W',
        price: 50,
        priceByPeriod: { '2027-02': 40 },
        unitCost: 10,
        holdingCost: 1,
        backlogCost: 5,
        endingInventoryMin: ending,
        endingBacklogMax: 0,
      },
    ],
    demand: JAN_MAR.map((period) => ({ family: 'W', period, units: 100 })),
    resources: [{ code: 'L', capacity: 200 }],
    loads: [{ family: 'W', resource: 'L', perUnit: 1 }],
  });

/** As planned; low (80, 90, 40); high (130, 100, 120). */
const THREE_MONTH_SAMPLES = Float64Array.from([100, 100, 100, 80, 90, 40, 130, 100, 120]);
const MEDIAN = Float64Array.from([100, 100, 100]);
/** Collected in the month, paid two months later; stock beyond one month of demand is excess. */
const TERMS = { dsoDays: 0, dpoDays: 60, coverMonths: 1 };

async function threeMonthRun(ending: number) {
  const p = threeMonths(ending);
  const plan = await solved(p);
  const x = stressPlan({ problem: p, plan }, THREE_MONTH_SAMPLES, MEDIAN, {
    fixedMonths: 3,
    cash: TERMS,
  });
  return { p, plan, x, summary: summarise(x, 3) };
}

describe('three months: a month without its own price, stock beyond cover, DPO 60', () => {
  it('the plan at its own demand: revenue, margin, days of supply, utilisation', async () => {
    const { p, plan } = await threeMonthRun(60);
    expect(plan.families.map((r) => r.production)).toEqual([100, 100, 160]);
    /*
     * Revenue 100 × $50 + 100 × $40 + 100 × $50 = 14 000; cash costs 360 × $10 + 60 × $1 =
     * 3 660; ending stock 60 × $10 = 600, opening 0: margin 14 000 − 3 660 + 600 = 10 940.
     * Days of supply: 60 / (300 units / 90 days of January–March) = 18.
     * Utilisation 100/200, 100/200, 160/200: peak 80%, average 60%.
     */
    const f = planFinance(p, plan);
    expect(f.revenue).toBe(14000);
    expect(f.makingCost).toBe(3660);
    expect(f.grossMargin).toBe(10940);
    expect(f.daysOfSupply).toBeCloseTo(18, 12);
    expect(plan.kpis.peakUtilisation).toBeCloseTo(0.8, 12);
    expect(plan.kpis.averageUtilisation).toBeCloseTo(0.6, 12);
  });

  it('against the samples: margin, fill rate, stock beyond cover, cash and a negative working capital', async () => {
    const { x, summary } = await threeMonthRun(60);
    /*
     * s0 (100, 100, 100): ships 100 a month, keeps the 60: as the plan, margin 10 940.
     * s1 (80, 90, 40): stock 20, 30, then 30 + 160 − 40 = 150. Revenue 80 × 50 + 90 × 40 +
     *   40 × 50 = 9 600; costs 3 600 + (20 + 30 + 150) × $1 = 3 800; ending stock 1 500:
     *   margin 9 600 − 3 800 + 1 500 = 7 300. Beyond one month of demand (100): 50 × $10 = 500.
     * s2 (130, 100, 120): January ships 100 (30 wait, on time 100); February ships 100 (the 30
     *   waiting, then 70 of 100: on time 70, 30 wait); March has 160 but holds back the 60 the
     *   plan must end with: ships 100 of the 150 owed (on time 120 − 50 = 70). On time 240 of
     *   350. Revenue 14 000, costs 3 660, ending stock 600: margin 10 940.
     */
    expect([...x.margin]).toEqual([10940, 7300, 10940]);
    expect([...x.fillRate].map((v) => Number(v.toFixed(12)))).toEqual([
      1,
      1,
      Number((240 / 350).toFixed(12)),
    ]);
    expect([...x.excessInventoryValue]).toEqual([0, 500, 0]);
    /*
     * Cash (DSO 0, DPO 60): sales collected in the month, costs paid two months later.
     *   s0: costs 1 000, 1 000, 1 660; March pays January's 1 000: 5 000, 4 000, 4 000.
     *   s1: costs 1 020, 1 030, 1 750; 4 000, 3 600, 2 000 − 1 020 = 980: total 8 580.
     * Working capital of s1: January 200 − 1 020 = −820; February 300 − 2 050 = −1 750;
     * March 1 500 − (3 800 − 1 020) = −1 280. Its peak is −820: the suppliers finance more
     * than the stock holds, and no month's figure is taken as 0.
     */
    expect([...x.cashByMonth.subarray(0, 6)]).toEqual([5000, 4000, 4000, 4000, 3600, 980]);
    expect([...x.cashFlow]).toEqual([13000, 8580, 13000]);
    expect(x.peakWorkingCapital[1]).toBe(-820);
    /*
     * P10 at position 0.2 of the sorted three, P90 at 1.8:
     *   margin 7 300, 10 940, 10 940: P10 = 7 300 + 0.2 × 3 640 = 8 028; mean 29 180 / 3
     *   fill 0.685714…, 1, 1: P10 = 240/350 + 0.2 × 110/350 = 262/350
     *   excess 0, 0, 500: P90 = 0 + 0.8 × 500 = 400 (the bad case of stock); mean 500 / 3
     *   cash 8 580, 13 000, 13 000: P10 = 8 580 + 0.2 × 4 420 = 9 464
     */
    expect(summary.margin.p10).toBeCloseTo(8028, 9);
    expect(summary.margin.expected).toBeCloseTo(29180 / 3, 9);
    expect(summary.fillRate.p10).toBeCloseTo(262 / 350, 12);
    expect(summary.excessInventoryValue.p90).toBeCloseTo(400, 9);
    expect(summary.excessInventoryValue.expected).toBeCloseTo(500 / 3, 9);
    expect(summary.cashFlow.p10).toBeCloseTo(9464, 9);
  });
});

describe('P10 and P90: one demand outcome in ten does worse (better)', () => {
  it('for every sample count a workspace allows from 10 to 5 000, within one sample of n/10', () => {
    // The samples 1..n in any order: the P10 has as many samples strictly below it as the
    // nearest whole number of samples to n/10 allows, and the P90 as many strictly above.
    for (let n = 10; n <= 5000; n++) {
      const sorted = Float64Array.from({ length: n }, (_, i) => i + 1);
      const p10 = quantileSorted(sorted, 0.1);
      const p90 = quantileSorted(sorted, 0.9);
      // The samples are the whole numbers 1..n: below x are ⌈x⌉ − 1 of them, above x n − ⌊x⌋.
      const worse = Math.ceil(p10) - 1;
      const better = n - Math.floor(p90);
      expect(Math.abs(worse - n / 10)).toBeLessThanOrEqual(1);
      expect(Math.abs(better - n / 10)).toBeLessThanOrEqual(1);
    }
    // The default 500: exactly 50 below the P10 (between the 50th and 51st) and 50 above the P90.
    const five = Float64Array.from({ length: 500 }, (_, i) => i + 1);
    expect(quantileSorted(five, 0.1)).toBeCloseTo(50.9, 9);
    expect(quantileSorted(five, 0.9)).toBeCloseTo(450.1, 9);
  });
});

/** The KPIs the planning service stores for a scenario, the plan's and the stress test's. */
function storedKpis(plan: SolvedPlan, p: PlanProblem, x: StressSummary) {
  const f = planFinance(p, plan);
  return {
    fillRate: plan.kpis.fillRate,
    grossMargin: f.grossMargin,
    revenue: f.revenue,
    daysOfSupply: f.daysOfSupply,
    averageUtilisation: plan.kpis.averageUtilisation,
    peakUtilisation: plan.kpis.peakUtilisation,
    tenseResourceMonths: plan.kpis.tenseResourceMonths,
    overloads: 0,
    ...stressKpis(x),
  };
}

describe('the trade-off and the same figure everywhere', () => {
  /*
   * Central ends with 60 in stock (above); Lean ends with none and makes 100 a month.
   * Lean against the same samples:
   *   s0: margin 14 000 − 3 000 = 11 000;
   *   s1 (80, 90, 40): stock 20, 30, 90; costs 3 000 + 140; ending 900: 9 600 − 3 140 + 900 = 7 360;
   *   s2: ships 100 a month as Central, on time 240 of 350; margin 11 000.
   *   Expected (11 000 + 7 360 + 11 000) / 3 = 9 786.67, P90 11 000, P10 7 360 + 0.2 × 3 640 = 8 088.
   *   Fill rate P10 262/350 = 74.857…% as Central's. No stock beyond one month (90 < 100).
   *   Cash (DPO 60): s1's costs 1 020, 1 030, 1 090, of which March pays January's:
   *   4 000 + 3 600 + 2 000 − 1 020 = 8 580; s0 and s2 5 000 + 4 000 + 5 000 − 1 000 = 13 000.
   *   P10 8 580 + 0.2 × 4 420 = 9 464, as Central's.
   */
  const runs = async () => {
    const central = await threeMonthRun(60);
    const lean = await threeMonthRun(0);
    expect(lean.plan.families.map((r) => r.production)).toEqual([100, 100, 100]);
    return [
      { name: 'central', label: 'Central', status: 'optimal' as const, ...central },
      { name: 'lean', label: 'Lean', status: 'optimal' as const, ...lean },
    ].map((r) => ({ ...r, kpis: storedKpis(r.plan, r.p, r.summary), stress: r.summary }));
  };

  it('differences against Central of the same quantity, with their signs', async () => {
    const [central, lean] = await runs();
    if (!central || !lean) throw new Error('no runs');
    expect(lean.summary.margin.expected).toBeCloseTo(29360 / 3, 9);
    expect(lean.summary.margin.p90).toBe(11000);
    expect(central.summary.margin.p90).toBe(10940);
    expect(lean.summary.margin.p10).toBeCloseTo(8088, 9);
    /*
     * Expected margin $9,786.67 ("$9.8k") against $9,726.67 ("$9.7k"): +$60 (finer than the
     * $0.1k they print at, so the unrounded difference). The good case, the P90 at position
     * 1.8 of the sorted samples: Lean's margins 7 360, 11 000, 11 000 give 11 000 + 0.8 × 0 =
     * 11 000 ("$11.0k", at the sentence's precision); Central's 7 300, 10 940, 10 940 give
     * 10 940 ("$10.9k"): +$60, both printed beside it. Stock beyond one
     * month's cover in the bad case (P90): Central $400, Lean $0. Cash at P10: 9 464 for both
     * ("$9.5k"). Fill rate at P10: 74.9% for both: 0.0 pts.
     */
    expect(
      tradeOffSentences(
        [central, lean].map((r) => ({ label: r.label, kpis: r.kpis })),
        { coverMonths: 1 },
      ),
    ).toEqual([
      "Central: expected margin $9.7k; in a bad case (each its own 1 in 10) it leaves $400 of stock beyond 1 months' cover, cash over the horizon is $9.5k and it fills 74.9% of demand.",
      "Lean: margin $11.0k in a good case (1 in 10), +$60 vs Central $10.9k, and $9.8k expected, +$60 vs Central $9.7k; in a bad case (each its own 1 in 10) it leaves $0 of stock beyond 1 months' cover, cash over the horizon is $9.5k and it fills 74.9% of demand (0.0 pts vs Central).",
    ]);
  });

  it('the plan headline, the vote and the scenario chart print the same figures', async () => {
    const rows = await runs();
    /*
     * Central: expected fill rate (1 + 1 + 240/350) / 3 = 89.5%, P10 74.9%; expected margin
     * $9.7k, P10 $8,028 → "$8.0k" (beside "$9.7k"); cash expected (13 000 + 8 580 + 13 000) / 3 = 11 526.67 →
     * "$11.5k", P10 $9.5k. Lean: margin $9.8k, P10 $8,088 → "$8.1k".
     * Peak working capital (DSO 0: no receivables; stock at cost − what is owed suppliers,
     * paid two months later). Central makes 100, 100, 160:
     *   s0: stock 0, 0, 60; costs 1 000, 1 000, 1 660 (60 held in March); owed 1 000, 2 000,
     *     1 000 + 1 660: −1 000, −2 000, 600 − 2 660 = −2 060; peak −1 000.
     *   s1: peak −820 (above). s2: ships what it makes, keeps the 60 in March: as s0, −1 000.
     *   Expected (−1 000 − 820 − 1 000) / 3 = −940; P90 at 1.8 of −1 000, −1 000, −820:
     *   −1 000 + 0.8 × 180 = −856.
     */
    const head = planHeadline('5', '2027-01', rows);
    expect(head).toContain(
      '*Central*: expected fill rate 89.5% (74.9% in a bad case), expected margin $9.7k ($8.0k in a bad case), cash generated $11.5k ($9.5k in a bad case), peak working capital −$940 (−$856 in a bad case); peak utilisation 80.0%',
    );
    expect(head).toContain(
      '*Lean*: expected fill rate 89.5% (74.9% in a bad case), expected margin $9.8k ($8.1k in a bad case)',
    );
    // The vote's fields for each option, the same figures in the same words.
    const vote = JSON.stringify(
      voteMessage({
        poll: {
          id: '1',
          cycle_id: 1,
          run_id: '5',
          poll_key: 'k',
          question: 'Which scenario do we adopt for 2027-01?',
          mode: 'open',
          quorum: null,
          status: 'open',
          channel_id: 'C_EXEC',
          message_ts: '1.0',
          closes_at: null,
          created_by: 'U_CHAIR',
          created_at: new Date('2027-01-20T10:00:00Z'),
          closed_by: null,
          closed_at: null,
          close_reason: null,
        },
        options: rows.map((r, i) => ({
          scenarioId: String(i + 1),
          position: i + 1,
          label: r.label,
          name: r.name,
          status: r.status,
          totalCost: r.plan.totalCost,
          kpis: r.kpis,
          costBreakdown: {},
        })),
        tally: tally(
          rows.map((r, i) => ({ id: String(i + 1), label: r.label })),
          [],
          null,
        ),
        decision: null,
        decisionScenario: null,
        chartFileId: null,
        timezone: 'UTC',
        replacedBy: null,
      }).blocks,
    );
    for (const field of [
      '*Expected margin*\\n$9.7k (bad case $8.0k)',
      '*Fill rate expected / bad case*\\n89.5% / 74.9%',
      '*Cash generated expected / bad case*\\n$11.5k / $9.5k',
      '*Utilisation avg / peak*\\n60.0% / 80.0%',
      '*Expected margin*\\n$9.8k (bad case $8.1k)',
    ])
      expect(vote).toContain(field);
    const chart = scenarioChart(scenarioKpis(rows));
    expect(chart.summary).toContain(
      '*Central*: expected margin $9.7k (bad case $8.0k), expected fill rate 89.5% (bad case 74.9%), peak utilisation 80.0%',
    );
    expect(chart.summary).toContain(
      '*Lean*: expected margin $9.8k (+$60 vs Central; bad case $8.1k)',
    );
    const values = (chart.spec as unknown as { data: { values: Record<string, unknown>[] } }).data
      .values;
    expect(values.map((v) => v.margin_e_label)).toEqual(['$9.7k', '$9.8k']);
    expect(values.map((v) => v.fillRate_e_label)).toEqual(['89.5%', '89.5%']);
    // Stock beyond cover, expected: Central 500 / 3 = $166.67 → "$167"; Lean none.
    expect(values.map((v) => v.excess_e_label)).toEqual(['$167', '$0']);
  });
});

describe('trade-offs with negative margins and demand all met', () => {
  it('a loss that grows reads with a minus, against the same quantity', () => {
    /*
     * Central loses $1,234,567 expected ("−$1.2M") and $400,000 in a good case ("−$400k");
     * Worse loses $3,456,789 ("−$3.5M") and $2,000,000 ("−$2.0M", at the sentence's
     * precision). Differences as printed: −3.5 − (−1.2) = −$2.3M expected; −2.0 − (−0.4) =
     * −$1.6M in a good case. Both fill all demand in the bad case: 100.0%, 0.0 pts.
     */
    const kpis = (margin: number, p90: number) => ({
      expectedMargin: margin,
      marginP90: p90,
      serviceAtRisk: 1,
      excessInventoryValueP90: 0,
    });
    expect(
      tradeOffSentences([
        { label: 'Central', kpis: kpis(-1_234_567, -400_000) },
        { label: 'Worse', kpis: kpis(-3_456_789, -2_000_000) },
        { label: 'Better', kpis: kpis(-734_567, 100_000) },
      ]),
    ).toEqual([
      "Central: expected margin −$1.2M; in a bad case (each its own 1 in 10) it leaves $0 of stock beyond 3 months' cover and fills 100.0% of demand.",
      "Worse: margin −$2.0M in a good case (1 in 10), −$1.6M vs Central −$400k, and −$3.5M expected, −$2.3M vs Central −$1.2M; in a bad case (each its own 1 in 10) it leaves $0 of stock beyond 3 months' cover and fills 100.0% of demand (0.0 pts vs Central).",
      // −734,567 ("−$735k") against −1,234,567 ("−$1.2M"): +$500,000, written to the $1k,
      // finer than the $0.1M of "−$1.2M", so unrounded: "+$500k". A profit in the good case,
      // +$100k, against a loss of $400k: +$500k.
      "Better: margin $100k in a good case (1 in 10), +$500k vs Central −$400k, and −$735k expected, +$500k vs Central −$1.2M; in a bad case (each its own 1 in 10) it leaves $0 of stock beyond 3 months' cover and fills 100.0% of demand (0.0 pts vs Central).",
    ]);
  });
});

describe('stock written off past its shelf life', () => {
  it('the trade-off says the bad case of stock counts it', async () => {
    /*
     * Two-month shelf life, $5 a unit in January and $20 in February, holding $1, scrapping
     * $1 a unit, price $30 (tests/unit/stress.test.ts): the plan makes January's and
     * February's 100 in January. One sample sells 100 then 50: the 50 January units left
     * expire at February's end, written off at their $5: $250, which is the whole "stock
     * beyond cover or expired" (nothing is left). Revenue 150 × $30 = 4 500; cash costs
     * 200 × $5 + 100 × $1 holding in January + 50 × $1 scrapping = 1 150; no stock at either
     * end: margin 3 350, and with DSO = DPO = 0 cash 3 350. Fill rate 150 of 150.
     */
    const p = parsePlanProblem({
      periods: JAN_FEB,
      families: [
        {
          code: 'J',
          price: 30,
          unitCost: 5,
          unitCostByPeriod: { '2027-02': 20 },
          holdingCost: 1,
          backlogCost: 50,
          shelfLife: { periods: 2, expired: 'scrap', scrapCost: 1 },
        },
      ],
      demand: JAN_FEB.map((period) => ({ family: 'J', period, units: 100 })),
      resources: [{ code: 'L', capacity: 1000 }],
      loads: [{ family: 'J', resource: 'L', perUnit: 1 }],
    });
    const plan = await solved(p);
    expect(plan.families.map((r) => r.production)).toEqual([200, 0]);
    const x = stressPlan(
      { problem: p, plan },
      Float64Array.from([100, 50]),
      MEDIAN.subarray(0, 2),
      {
        fixedMonths: 2,
        cash: { dsoDays: 0, dpoDays: 0, coverMonths: 3 },
      },
    );
    const k = stressKpis(summarise(x, 2));
    expect(k.excessInventoryValueP90).toBe(250);
    expect(k.writtenOffValue).toBe(250);
    expect(k.expectedMargin).toBe(3350);
    expect(tradeOffSentences([{ label: 'Central', kpis: k }])).toEqual([
      "Central: expected margin $3.4k; in a bad case (each its own 1 in 10) it leaves $250 of stock beyond 3 months' cover or past its shelf life, cash over the horizon is $3.4k and it fills 100.0% of demand.",
    ]);
  });
});

describe('two families against two demand samples: each sample adds its families up', () => {
  it('margin, cash and their bad case, by hand', async () => {
    /*
     * The company of tests/integration/finance-by-hand.test.ts: FAM-A (price $50, cost $20,
     * holding $1, 30 in stock, demand 100 a month, made 70, 100, 100) and FAM-B (price $30,
     * cost $12, no holding, demand 40, 80, 40, its line capped at 60: made 60, 60, 40); DSO 45,
     * DPO 15; the three months held to the plan.
     */
    const p = parsePlanProblem({
      periods: JAN_MAR,
      families: [
        {
          code: 'FAM-A',
          price: 50,
          unitCost: 20,
          holdingCost: 1,
          backlogCost: 100,
          initialInventory: 30,
        },
        { code: 'FAM-B', price: 30, unitCost: 12, holdingCost: 0, backlogCost: 100 },
      ],
      demand: [
        ...JAN_MAR.map((period) => ({ family: 'FAM-A', period, units: 100 })),
        ...JAN_MAR.map((period, i) => ({ family: 'FAM-B', period, units: [40, 80, 40][i]! })),
      ],
      resources: [
        { code: 'LINE-A', capacity: 200 },
        { code: 'LINE-B', capacity: 60 },
      ],
      loads: [
        { family: 'FAM-A', resource: 'LINE-A', perUnit: 1 },
        { family: 'FAM-B', resource: 'LINE-B', perUnit: 1 },
      ],
    });
    const plan = await solved(p);
    expect(plan.families.map((r) => r.production)).toEqual([70, 100, 100, 60, 60, 40]);
    // s0: demand as planned; s1: FAM-A sells 80 in January, FAM-B as planned.
    const median = Float64Array.from([100, 100, 100, 40, 80, 40]);
    const samples = Float64Array.from([...median, 80, 100, 100, 40, 80, 40]);
    const x = stressPlan({ problem: p, plan }, samples, median, {
      fixedMonths: 3,
      cash: { dsoDays: 45, dpoDays: 15, coverMonths: 3 },
    });
    /*
     * s0 is the plan: revenue 19 800 (6 200, 7 400, 6 200), cash costs 7 320 (2 120, 2 720,
     * 2 480), margin 19 800 − 7 320 + (0 − 600) = 11 880.
     * s1: FAM-A keeps 20 each month (January 100 on hand, 80 sold; then 120 on hand, 100 sold):
     *   revenue 280 × $50 + 4 800 = 18 800 (5 200, 7 400, 6 200); costs 7 320 + 3 × 20 of
     *   holding = 7 380 (2 140, 2 740, 2 500); the 20 left are March's, at $20: 400.
     *   Margin 18 800 − 7 380 + (400 − 600) = 11 220: the 20 unsold at $30 each, and $60 of
     *   holding, less than s0.
     * Cash of s1 (half of a month's sales collected the next month, half the month after;
     * half of its costs paid in the month, half the next):
     *   collected 0, 2 600, 2 600 + 3 700 = 6 300; paid 1 070, 1 070 + 1 370 = 2 440,
     *   1 370 + 1 250 = 2 620; net −1 070, +160, +3 680: 2 770. s0: −1 060, +680, +4 200: 3 820.
     */
    expect([...x.revenue]).toEqual([19800, 18800]);
    expect([...x.cashCost]).toEqual([7320, 7380]);
    expect([...x.margin]).toEqual([11880, 11220]);
    expect([...x.cashByMonth]).toEqual([-1060, 680, 4200, -1070, 160, 3680]);
    expect([...x.cashFlow]).toEqual([3820, 2770]);
    /*
     * Bad case (P10) of two samples: position (2 − 1) × 0.1 = 0.1 between the lower and the
     * higher. Margin 11 220 + 0.1 × 660 = 11 286; cash 2 770 + 0.1 × 1 050 = 2 875; the
     * cumulative cash at P10 month by month: January −1 070 + 0.1 × 10 = −1 069, February
     * −910 + 0.1 × 530 = −857, March 2 875.
     */
    const s = summarise(x, 3);
    expect(s.margin.p10).toBeCloseTo(11286, 9);
    expect(s.margin.expected).toBeCloseTo(11550, 9);
    expect(s.cashFlow.p10).toBeCloseTo(2875, 9);
    expect(s.cumulativeCashP10[0]).toBeCloseTo(-1069, 9);
    expect(s.cumulativeCashP10[1]).toBeCloseTo(-857, 9);
    expect(s.cumulativeCashP10[2]).toBeCloseTo(2875, 9);
  });
});

/** The vote's blocks as JSON, for options with these KPIs over these months. */
function voteText(
  options: readonly { label: string; kpis: Record<string, number | null> }[],
  horizon: readonly string[],
): string {
  return JSON.stringify(
    voteMessage({
      poll: {
        id: '1',
        cycle_id: 1,
        run_id: '5',
        poll_key: 'k',
        question: 'Which scenario do we adopt for 2027-01?',
        mode: 'open',
        quorum: null,
        status: 'open',
        channel_id: 'C_EXEC',
        message_ts: '1.0',
        closes_at: null,
        created_by: 'U_CHAIR',
        created_at: new Date('2027-01-20T10:00:00Z'),
        closed_by: null,
        closed_at: null,
        close_reason: null,
      },
      options: options.map((o, i) => ({
        scenarioId: String(i + 1),
        position: i + 1,
        label: o.label,
        name: o.label.toLowerCase(),
        status: 'optimal',
        totalCost: 0,
        kpis: o.kpis,
        costBreakdown: {},
      })),
      tally: tally(
        options.map((o, i) => ({ id: String(i + 1), label: o.label })),
        [],
        null,
      ),
      decision: null,
      decisionScenario: null,
      chartFileId: null,
      timezone: 'UTC',
      replacedBy: null,
      horizon,
    }).blocks,
  );
}
