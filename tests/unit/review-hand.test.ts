/**
 * The performance review's KPIs and the consensus rules on tiny cases worked out by hand: two
 * families over two months, a few order lines, so every figure below is written as the
 * arithmetic that gives it (docs/sop-domain.md, "Formulas"; docs/meeting.md, the KPI table).
 * Each case is chosen so that a plausible wrong reading gives another number: a mean of
 * percentage errors instead of volume weights, min/max adherence, lines instead of units,
 * stock in units instead of value, cover on past sales instead of the plan's next months.
 */
import { describe, expect, it } from 'vitest';
import { familyChart } from '../../src/charts/family.js';
import type { Role } from '../../src/core/company.js';
import {
  type Adjustment,
  type AdjustmentKind,
  computeConsensus,
} from '../../src/core/consensus.js';
import { accuracy, bias, trackingSignal, wmape } from '../../src/core/kpi.js';
import { performanceReview, type ReviewInput } from '../../src/core/review.js';
import { trackingSignals } from '../../src/core/tracking-signal.js';
import {
  allBy,
  familyLines,
  type PackLoop,
  reviewLines,
  trackingLine,
} from '../../src/services/pack-loop.js';

const planLine = (
  family: string,
  period: string,
  demand: number,
  production: number,
  inventory: number,
  backlog: number,
  revenue: number,
) => ({ family, period, demand, production, inventory, backlog, revenue });

/**
 * X (cost 10, price 25) and Y (cost 4, price 10), reviewed over 2027-03 and 2027-04.
 * Sales: X 100 then 10 (a small month), Y 40 then 30.
 */
const CASE: ReviewInput = {
  periods: ['2027-03', '2027-04'],
  families: [
    { code: 'X', unitCost: 10, price: 25 },
    { code: 'Y', unitCost: 4, price: 10 },
  ],
  snapshots: [
    // Made in 2027-02 (lag 1): Rita's promotion moves 90 → 95.
    {
      family: 'X',
      period: '2027-03',
      lag: 1,
      naive: 80,
      baseline: 90,
      consensus: 95,
      steps: [{ author: 'U_RITA', reasonCode: 'promotion', before: 90, after: 95 }],
    },
    // Made in 2027-03 (lag 1): Rita's promotion 20 → 30 hurts (10 sold).
    {
      family: 'X',
      period: '2027-04',
      lag: 1,
      naive: 40,
      baseline: 20,
      consensus: 30,
      steps: [{ author: 'U_RITA', reasonCode: 'promotion', before: 20, after: 30 }],
    },
    // Made in 2027-01 (lag 3): far off, and must not leak into the lag-1 scores.
    {
      family: 'X',
      period: '2027-04',
      lag: 3,
      naive: 50,
      baseline: 60,
      consensus: 70,
      steps: [{ author: 'U_RITA', reasonCode: 'promotion', before: 60, after: 70 }],
    },
    {
      family: 'Y',
      period: '2027-03',
      lag: 1,
      naive: 50,
      baseline: 45,
      consensus: 38,
      steps: [{ author: 'U_SAM', reasonCode: 'lost_customer', before: 45, after: 38 }],
    },
    // Sam's −50 takes 40 to −10; the consensus rules floor it at 0.
    {
      family: 'Y',
      period: '2027-04',
      lag: 1,
      naive: 40,
      baseline: 40,
      consensus: 0,
      steps: [{ author: 'U_SAM', reasonCode: 'lost_customer', before: 40, after: -10 }],
    },
  ],
  sales: [
    { family: 'X', period: '2027-03', units: 100, revenue: null },
    { family: 'X', period: '2027-04', units: 10, revenue: null },
    { family: 'Y', period: '2027-03', units: 40, revenue: null },
    { family: 'Y', period: '2027-04', units: 30, revenue: null },
  ],
  production: [
    { family: 'X', period: '2027-03', units: 90 },
    { family: 'X', period: '2027-04', units: 30 },
    { family: 'Y', period: '2027-03', units: 40 },
    { family: 'Y', period: '2027-04', units: 40 },
  ],
  inventory: [
    { family: 'X', period: '2027-02', onHand: 50, backlog: 0 },
    { family: 'X', period: '2027-03', onHand: 40, backlog: 0 },
    { family: 'X', period: '2027-04', onHand: 60, backlog: 7 },
    { family: 'Y', period: '2027-02', onHand: 100, backlog: 0 },
    { family: 'Y', period: '2027-03', onHand: 100, backlog: 0 },
    { family: 'Y', period: '2027-04', onHand: 110, backlog: 0 },
  ],
  orders: [
    // Shipped early, complete: on time, in full.
    {
      family: 'X',
      requestedDate: '2027-03-10',
      shippedDate: '2027-03-08',
      ordered: 10,
      shipped: 10,
    },
    // On the day, 20 of 30: 20 units on time, the line not in full.
    {
      family: 'X',
      requestedDate: '2027-03-20',
      shippedDate: '2027-03-20',
      ordered: 30,
      shipped: 20,
    },
    // 12 shipped against 8 ordered: 8 count.
    {
      family: 'X',
      requestedDate: '2027-03-15',
      shippedDate: '2027-03-15',
      ordered: 8,
      shipped: 12,
    },
    // A day late.
    {
      family: 'X',
      requestedDate: '2027-04-05',
      shippedDate: '2027-04-06',
      ordered: 10,
      shipped: 10,
    },
    // Due on the review's last day, shipped after it: due in the review, late.
    { family: 'X', requestedDate: '2027-04-30', shippedDate: '2027-05-02', ordered: 5, shipped: 5 },
    // Due in May, shipped in April: not due in the review at all.
    {
      family: 'X',
      requestedDate: '2027-05-01',
      shippedDate: '2027-04-30',
      ordered: 100,
      shipped: 100,
    },
  ],
  plan: [
    planLine('X', '2027-03', 90, 100, 40, 0, 2250),
    planLine('X', '2027-04', 20, 20, 45, 2, 500),
    planLine('X', '2027-05', 30, 30, 45, 0, 750),
    planLine('X', '2027-06', 60, 60, 45, 0, 1500),
    planLine('X', '2027-07', 90, 90, 45, 0, 2250),
    planLine('Y', '2027-03', 40, 40, 100, 0, 400),
    planLine('Y', '2027-04', 30, 30, 100, 0, 300),
    planLine('Y', '2027-05', 20, 20, 100, 0, 200),
    planLine('Y', '2027-06', 20, 20, 100, 0, 200),
    planLine('Y', '2027-07', 20, 20, 100, 0, 200),
  ],
};

describe('forecast accuracy, bias and tracking signal by hand', () => {
  it('WMAPE weighs each month by its volume, not each month alike', () => {
    // X: |100 − 95| + |10 − 30| = 25 over 110 sold. A mean of the months' percentage errors
    // would be (5% + 200%) / 2 = 102.5% and clamp the accuracy to 0.
    expect(wmape([100, 10], [95, 30])).toBeCloseTo(25 / 110, 12);
    expect(accuracy([100, 10], [95, 30])).toBeCloseTo(1 - 25 / 110, 12);
    // Far worse than the actuals: accuracy floors at 0, never negative.
    expect(accuracy([10], [70])).toBe(0);
  });

  it('bias is Σ(F − A) / ΣA: + = over-forecast', () => {
    // (95 − 100) + (30 − 10) = +15 over 110: over-forecast.
    expect(bias([100, 10], [95, 30])).toBeCloseTo(15 / 110, 12);
    expect(bias([100], [80])).toBeCloseTo(-0.2, 12);
  });

  it('tracking signal: Σ(A − F) / MAD, + = under-forecast; exactly ±4 is not outside', () => {
    // A − F: +9, +9, +9, +9, −4: Σ 32, MAD 40 / 5 = 8, signal 4.
    const f = [100, 100, 100, 100, 100];
    const exact = [109, 109, 109, 109, 96];
    expect(trackingSignal(exact, f)).toBeCloseTo(4, 12);
    // A − F: +10 each month: Σ 50, MAD 10: 5, outside.
    const under = [110, 110, 110, 110, 110];
    // A − F: −10 each month: −5, outside, over-forecast.
    const over = [90, 90, 90, 90, 90];
    const months = ['2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];
    const rows = (family: string, xs: readonly number[]) =>
      months.map((period, i) => ({ family, period, value: xs[i]! }));
    const sold = (family: string, xs: readonly number[]) =>
      months.map((period, i) => ({ family, period, units: xs[i]! }));
    const t = trackingSignals(
      [...rows('EXACT', f), ...rows('UNDER', f), ...rows('OVER', f)],
      [...sold('EXACT', exact), ...sold('UNDER', under), ...sold('OVER', over)],
    );
    expect(t.judged).toBe(3);
    expect(t.outside.map((x) => [x.family, Math.round(x.signal * 1e9) / 1e9])).toEqual([
      ['OVER', -5],
      ['UNDER', 5],
    ]);
    expect(trackingLine(t)).toBe(
      'Tracking signal (lag-1 consensus, Σ(actual − forecast) / MAD over up to 12 months) outside ±4, to investigate: OVER −5.0 over 5 months (over-forecast); UNDER +5.0 over 5 months (under-forecast).',
    );
  });
});

describe('the review of two families over two months, by hand', () => {
  const r = performanceReview(CASE);
  const x = r.byFamily.X!;
  const y = r.byFamily.Y!;

  it('scores each snapshot at its own lag: lag 1 and lag 3 kept apart', () => {
    // Lag 1, X: consensus 95, 30 against 100, 10: errors 5 + 20 over 110; bias +15 / 110.
    expect(x.byLag['1']!.pairs).toBe(2);
    expect(x.byLag['1']!.consensusAccuracy).toBeCloseTo(1 - 25 / 110, 12);
    expect(x.byLag['1']!.consensusBias).toBeCloseTo(15 / 110, 12);
    // Baseline 90, 20: errors 10 + 10; bias (−10 + 10) / 110 = 0.
    expect(x.byLag['1']!.baselineAccuracy).toBeCloseTo(1 - 20 / 110, 12);
    expect(x.byLag['1']!.baselineBias).toBeCloseTo(0, 12);
    // Lag 3, X April only: 70 against 10: WMAPE 6 → accuracy 0; bias +60 / 10 = +600%.
    expect(x.byLag['3']).toMatchObject({ pairs: 1, consensusAccuracy: 0, baselineAccuracy: 0 });
    expect(x.byLag['3']!.consensusBias).toBeCloseTo(6, 12);
    expect(x.byLag['3']!.baselineBias).toBeCloseTo(5, 12);
    // Y: consensus 38, 0 against 40, 30: errors 2 + 30 over 70; bias (−2 − 30) / 70, under.
    expect(y.byLag['1']!.consensusAccuracy).toBeCloseTo(1 - 32 / 70, 12);
    expect(y.byLag['1']!.consensusBias).toBeCloseTo(-32 / 70, 12);
    expect(y.byLag['1']!.baselineBias).toBeCloseTo((5 + 10) / 70, 12);
    // Total lag 1: errors 5 + 20 + 2 + 30 = 57 over 180 sold; bias (15 − 32) / 180.
    const t = r.total.byLag['1']!;
    expect(t.pairs).toBe(4);
    expect(t.consensusAccuracy).toBeCloseTo(1 - 57 / 180, 12);
    expect(t.consensusBias).toBeCloseTo(-17 / 180, 12);
    // Baseline: 10 + 10 + 5 + 10 = 35; bias (0 + 15) / 180.
    expect(t.baselineAccuracy).toBeCloseTo(1 - 35 / 180, 12);
    expect(t.baselineBias).toBeCloseTo(15 / 180, 12);
  });

  it('forecast value added at lag 1: + = the step helped, each month and adjustment once', () => {
    // Lag-1 errors against 100, 10, 40, 30 sold:
    //   naive        |100 − 80| + |10 − 40| + |40 − 50| + |30 − 40|  = 20 + 30 + 10 + 10 = 70
    //   statistical  |100 − 90| + |10 − 20| + |40 − 45| + |30 − 40|  = 10 + 10 +  5 + 10 = 35
    //   adjustments  |100 − 95| + |10 − 30| + |40 − 38| + |30 + 10|  =  5 + 20 +  2 + 40 = 67
    //   consensus    the floor takes −10 to 0: 5 + 20 + 2 + 30       = 57
    // The lag-3 snapshot of X's April is the same month forecast earlier, with Rita's
    // promotion carried into it: scored too, it would count April and her promotion twice.
    expect(r.fva.matched).toBe(4);
    expect(r.fva.steps.map((s) => [s.step, s.error, s.fva])).toEqual([
      ['naive', 70, null],
      ['statistical', 35, 35],
      ['adjustments', 67, -32],
      ['consensus', 57, 10],
    ]);
    // Rita: 10 → 5 helped, 10 → 20 hurt: 20 − 25 = −5. Sam: 5 → 2, 10 → 40: 15 − 42 = −27.
    expect(r.fva.byPerson.U_RITA).toMatchObject({
      adjustments: 2,
      errorBefore: 20,
      errorAfter: 25,
      fva: -5,
      helped: 1,
      hurt: 1,
    });
    expect(r.fva.byPerson.U_SAM).toMatchObject({ adjustments: 2, fva: -27, helped: 1, hurt: 1 });
    expect(r.fva.byReason.promotion!.fva).toBe(-5);
    const loop = {
      trend: [{ month: '2027-05', reference: null, review: r }],
    } as unknown as PackLoop;
    expect(
      reviewLines(
        loop,
        allBy((id) => id),
      ),
    ).toContain(
      "\tForecast value added (FVA) at lag 1, in units of error removed (+ = the step helped): statistical vs naive +35, people's adjustments −32, consensus rules +10; by person U_RITA −5, U_SAM −27; by reason promotion −5, lost customer −27.",
    );
  });

  it('plan adherence is 1 − Σ|actual − planned| / Σ planned: over-production counts too', () => {
    // X: |90 − 100| + |30 − 20| = 20 over 120 planned. (min/max per month would give
    // (0.9 + 0.667) / 2 = 78.3%; a net Σactual / Σplanned would give 100%.)
    expect(x.adherence).toBeCloseTo(1 - 20 / 120, 12);
    expect(x).toMatchObject({ actualProduction: 120, plannedProduction: 120 });
    // Y: |40 − 40| + |40 − 30| = 10 over 70.
    expect(y.adherence).toBeCloseTo(1 - 10 / 70, 12);
    expect(r.total.adherence).toBeCloseTo(1 - 30 / 190, 12);
  });

  it('fill rate counts units shipped on time; OTIF counts lines shipped on time and in full', () => {
    // Due in March–April: five lines, 10 + 30 + 8 + 10 + 5 = 63 units. On time: 10, 20 and 8
    // (12 shipped against 8): 38 units. On time and in full: the first and the third line.
    expect(x.orderLines).toBe(5);
    expect(x.fillRate).toBeCloseTo(38 / 63, 12);
    expect(x.otif).toBeCloseTo(2 / 5, 12);
    expect(y).toMatchObject({ orderLines: 0, fillRate: null, otif: null });
    expect(r.total.fillRate).toBeCloseTo(38 / 63, 12);
  });

  it('turns: COGS at cost over the average stock value (opening included), annualised', () => {
    // X: COGS 110 × 10 = 1,100; stock 500, 400, 600 → 500; 2 months → × 6.
    expect(x.cogs).toBe(1100);
    expect(x.averageStockValue).toBeCloseTo(500, 12);
    expect(x.turns).toBeCloseTo((1100 / 500) * 6, 12);
    // Y: COGS 70 × 4 = 280; stock 400, 400, 440 → 1240 / 3.
    expect(y.turns).toBeCloseTo((280 / (1240 / 3)) * 6, 12);
    // Total in value: 1,380 over (900 + 800 + 1,040) / 3. In units it would be
    // 180 / ((150 + 140 + 170) / 3) × 6 = 7.04, not 9.07.
    expect(r.total.turns).toBeCloseTo((1380 / (2740 / 3)) * 6, 9);
  });

  it('cover looks forward: stock over the plan’s next three months, against the plan’s own stock', () => {
    // X: 60 on hand over (30 + 60 + 90) / 3 = 60 a month: 1.0 (on the last three months'
    // sales it would be 60 / 36.7). Planned: 45 / 60.
    expect(x.coverMonths).toBeCloseTo(1, 12);
    expect(x.targetCoverMonths).toBeCloseTo(0.75, 12);
    // Y: 110 / 20 = 5.5; planned 100 / 20 = 5.
    expect(y.coverMonths).toBeCloseTo(5.5, 12);
    expect(y.targetCoverMonths).toBeCloseTo(5, 12);
    // Total in value: (600 + 440) / (60 × 10 + 20 × 4); planned (450 + 400) / 680.
    expect(r.total.coverMonths).toBeCloseTo(1040 / 680, 12);
    expect(r.total.targetCoverMonths).toBeCloseTo(850 / 680, 12);
    // Backlog at the end against the plan's.
    expect(x).toMatchObject({ backlog: 7, plannedBacklog: 2 });
    expect(r.total).toMatchObject({ backlog: 7, plannedBacklog: 2, obsoleteValue: 0 });
  });

  it('stock value and revenue less production at cost against the plan', () => {
    // X: 60 × 10 vs 45 × 10; revenue 110 × 25 − production 120 × 10.
    expect(x).toMatchObject({ stockValue: 600, plannedStockValue: 450 });
    expect(x.cash).toBe(2750 - 1200);
    // Plan: (2,250 − 100 × 10) + (500 − 20 × 10).
    expect(x.plannedCash).toBe(1250 + 300);
    // Y: 70 × 10 − 80 × 4; plan (400 − 160) + (300 − 120).
    expect(y.cash).toBe(700 - 320);
    expect(y.plannedCash).toBe(240 + 180);
    expect(r.total).toMatchObject({ stockValue: 1040, plannedStockValue: 850, cash: 1930 });
  });
});

describe('the stock line names the plan it is set against', () => {
  const r = performanceReview(CASE);
  const lines = (adopted: boolean) =>
    reviewLines(
      {
        trend: [
          {
            month: '2027-05',
            reference: { month: '2027-02', scenarioId: '1', label: 'Central', adopted },
            review: r,
          },
        ],
      } as unknown as PackLoop,
      allBy((id) => id),
    );

  it('the adopted scenario when one was adopted, else the latest plan that stood in', () => {
    // 600 + 440 against 450 + 400: +22.4%; revenue less production at cost 1,550 + 380 against
    // the plan's 1,550 + 420.
    const adopted =
      '\tWorking capital in stock $1k vs $850 in the adopted scenario (+22.4%); revenue less production at cost $1.9k vs $2.0k.';
    expect(lines(true)).toContain(adopted);
    expect(lines(false)).toContain(
      "\tWorking capital in stock $1k vs $850 in cycle 2027-02's latest Central plan, as none was adopted (+22.4%); revenue less production at cost $1.9k vs $2.0k.",
    );
    expect(lines(false).join('\n')).not.toContain('adopted scenario');
  });
  it('says what the backlog and the production count: units', () => {
    // Backlog at the end: X 7 (April) + Y 0 = 7, against the plan's 2. Produced: X 90 + 30 and
    // Y 40 + 40 = 200 against 100 + 20 and 40 + 30 = 190; adherence 1 − 30/190 = 84.2%.
    expect(lines(true)).toContain('\tPlan adherence 84.2%: produced 200 units vs 190 planned.');
    expect(lines(true).find((l) => l.startsWith('\tStock:'))).toMatch(
      /, backlog 7 units vs 2 planned, obsolete stock \$0\.$/,
    );
  });
});

describe('obsolete stock: a family that sold nothing in the last six months', () => {
  it('counts the six months up to the last reviewed one, and no earlier month', () => {
    // Reviewed 2027-03–2027-04: the six months are 2026-11 … 2027-04.
    const input: ReviewInput = {
      ...CASE,
      families: [
        { code: 'NOV', unitCost: 3, price: 5 },
        { code: 'OCT', unitCost: 7, price: 9 },
      ],
      snapshots: [],
      sales: [
        { family: 'NOV', period: '2026-11', units: 2, revenue: null },
        { family: 'OCT', period: '2026-10', units: 2, revenue: null },
      ],
      production: [],
      inventory: [
        { family: 'NOV', period: '2027-04', onHand: 100, backlog: 0 },
        { family: 'OCT', period: '2027-04', onHand: 100, backlog: 0 },
      ],
      orders: [],
      plan: [],
    };
    const r = performanceReview(input);
    // NOV sold in 2026-11, inside the window: not obsolete. OCT last sold in 2026-10: 100 × 7.
    expect(r.byFamily.NOV!.obsoleteValue).toBe(0);
    expect(r.byFamily.OCT!.obsoleteValue).toBe(700);
    expect(r.total.obsoleteValue).toBe(700);
  });
});

describe('families furthest from plan', () => {
  it('ranks the unplanned first, then by the size of the deviation either way', () => {
    // Sold against planned demand, in one month.
    const fams: [string, number, number | null][] = [
      ['F1', 150, 100], // +50%
      ['F2', 0, 200], // −100%
      ['F3', 70, 100], // −30%
      ['F4', 120, 100], // +20%
      ['F5', 90, 100], // −10%
      ['F6', 104, 100], // +4%
      ['F7', 99, 100], // −1%
      ['F8', 5, null], // sold with no plan line
    ];
    const r = performanceReview({
      periods: ['2027-03'],
      families: fams.map(([code]) => ({ code, unitCost: 1, price: 2 })),
      snapshots: [],
      sales: fams.map(([family, units]) => ({ family, period: '2027-03', units, revenue: null })),
      production: [],
      inventory: [],
      orders: [],
      plan: fams.flatMap(([family, , demand]) =>
        demand === null ? [] : [planLine(family, '2027-03', demand, demand, 0, 0, demand * 2)],
      ),
    });
    const loop = {
      trend: [{ month: '2027-04', reference: null, review: r }],
      tracking: { outside: [], judged: 0, months: 0 },
    } as unknown as PackLoop;
    expect(familyLines(loop)).toEqual([
      'F8: sold 5 vs 0 planned (no plan).',
      'F2: sold 0 vs 200 planned (−100.0%).',
      'F1: sold 150 vs 100 planned (+50.0%).',
      'F3: sold 70 vs 100 planned (−30.0%).',
      'F4: sold 120 vs 100 planned (+20.0%).',
      // F5 −10%, F6 +4%, F7 −1%: the largest is 10%.
      '3 other families within ±10.0% of plan.',
    ]);
  });
});

describe('the families within ±x% of plan', () => {
  it('rounds the bound up, so the family at the bound is within it', () => {
    // Seven families: five shown, F6 at −3.44% and F7 at +1% left. "Within ±3.4%" would be
    // false of F6 (3.44% > 3.4%); the bound written is 3.5%.
    const fams: [string, number, number][] = [
      ['F1', 150, 100],
      ['F2', 70, 100],
      ['F3', 120, 100],
      ['F4', 90, 100],
      ['F5', 95, 100],
      ['F6', 2414, 2500],
      ['F7', 101, 100],
    ];
    const r = performanceReview({
      periods: ['2027-03'],
      families: fams.map(([code]) => ({ code, unitCost: 1, price: 2 })),
      snapshots: [],
      sales: fams.map(([family, units]) => ({ family, period: '2027-03', units, revenue: null })),
      production: [],
      inventory: [],
      orders: [],
      plan: fams.map(([family, , demand]) =>
        planLine(family, '2027-03', demand, demand, 0, 0, demand * 2),
      ),
    });
    const lines = familyLines({
      trend: [{ month: '2027-04', reference: null, review: r }],
      tracking: { outside: [], judged: 0, months: 0 },
    } as unknown as PackLoop);
    expect(lines.at(-1)).toBe('2 other families within ±3.5% of plan.');
  });
});

let seq = 0;
function adj(
  author: string,
  authorRole: Role,
  kind: AdjustmentKind,
  value: number,
  minute: number,
  over: Partial<Adjustment> = {},
): Adjustment {
  seq++;
  return {
    id: `h-${seq}`,
    family: 'A',
    period: '2027-06',
    author,
    authorRole,
    kind,
    value,
    reasonCode: 'promotion',
    comment: null,
    createdAt: `2027-03-01T10:${String(minute).padStart(2, '0')}:00Z`,
    ...over,
  };
}

describe('consensus precedence by hand', () => {
  const base = [{ family: 'A', period: '2027-06', value: 200 }];

  it('two reps on one family-month: a percentage is of the baseline, and the deltas add', () => {
    // +10% of 200 = +20, then +20 units: 240 (compounding would give 242 or 244).
    const lines = computeConsensus(base, [
      adj('U_RITA', 'sales', 'delta_pct', 10, 1),
      adj('U_SAM', 'sales', 'delta_units', 20, 2),
    ]);
    expect(lines[0]!.consensus).toBe(240);
    expect(lines[0]!.steps.map((s) => [s.author, s.before, s.after])).toEqual([
      ['sopbot', 200, 200],
      ['U_RITA', 200, 220],
      ['U_SAM', 220, 240],
    ]);
    // The same two in the other order: the same 240.
    const swapped = computeConsensus(base, [
      adj('U_SAM', 'sales', 'delta_units', 20, 1),
      adj('U_RITA', 'sales', 'delta_pct', 10, 2),
    ]);
    expect(swapped[0]!.consensus).toBe(240);
  });

  it("a percentage after a rep's set is of the set, whenever the set came", () => {
    // Sam's +10% came first; Rita's set of 300 replaces the baseline: 300 + 30 = 330.
    const lines = computeConsensus(base, [
      adj('U_SAM', 'sales', 'delta_pct', 10, 1),
      adj('U_RITA', 'sales', 'set', 300, 2),
    ]);
    expect(lines[0]!.consensus).toBe(330);
  });

  it('an adjustment carried from last cycle counts until its author adjusts that month again', () => {
    // Carried rows keep their first time: Rita's +50 from February, Sam's +10 from February;
    // Rita's −20 this month replaces her own +50, Sam's stays: 200 + 10 − 20 = 190. The
    // order rows arrive in does not matter, their times do.
    const carriedRita = adj('U_RITA', 'sales', 'delta_units', 50, 1, {
      createdAt: '2027-02-10T09:00:00Z',
    });
    const carriedSam = adj('U_SAM', 'sales', 'delta_units', 10, 1, {
      createdAt: '2027-02-11T09:00:00Z',
    });
    const newRita = adj('U_RITA', 'sales', 'delta_units', -20, 5);
    const lines = computeConsensus(base, [newRita, carriedRita, carriedSam]);
    expect(lines[0]!.consensus).toBe(190);
    expect(lines[0]!.superseded).toEqual([carriedRita.id]);
  });

  it("a planner's set overrides every rep, before or after it", () => {
    const lines = computeConsensus(base, [
      adj('U_RITA', 'sales', 'delta_pct', 10, 1),
      adj('U_PAT', 'planner', 'set', 250, 2),
      adj('U_SAM', 'sales', 'delta_units', 40, 3),
    ]);
    expect(lines[0]!.consensus).toBe(250);
    expect(lines[0]!.superseded).toHaveLength(2);
  });
});

describe('the family chart: consensus against baseline over the same months', () => {
  it('totals both over the plan months and counts the months adjusted, not the adjustments', () => {
    // Baseline 100, 200, 300 = 600. May: Rita +10% (100 → 110), then Sam +5 (110 → 115), both
    // for a promotion; July: Sam −30 for a lost customer. Consensus 115 + 200 + 270 = 585:
    // 585 / 600 − 1 = −2.5%. Two months adjusted, by three adjustments.
    const baseline = [
      ['2027-05', 100],
      ['2027-06', 200],
      ['2027-07', 300],
    ].map(([period, value]) => ({
      period: period as string,
      value: value as number,
      lo80: value as number,
      hi80: value as number,
      lo95: value as number,
      hi95: value as number,
    }));
    const s = familyChart({
      family: 'FAM-1',
      history: [],
      baseline,
      consensus: [
        { period: '2027-05', value: 115 },
        { period: '2027-06', value: 200 },
        { period: '2027-07', value: 270 },
      ],
      adjustments: [
        { period: '2027-05', author: 'Rita', reasonCode: 'promotion', before: 100, after: 110 },
        { period: '2027-05', author: 'Sam', reasonCode: 'promotion', before: 110, after: 115 },
        { period: '2027-07', author: 'Sam', reasonCode: 'lost_customer', before: 300, after: 270 },
      ],
    }).summary;
    expect(s).toBe(
      '*FAM-1*: consensus 585 units over 3 months vs baseline 600 (−2.5%). 2 adjusted months (3 adjustments): lost customer −30, promotion +15.',
    );
  });
});
