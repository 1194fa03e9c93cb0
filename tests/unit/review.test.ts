/**
 * The performance review against figures worked out by hand (each expected value below is
 * written as the arithmetic that gives it, from the data in this file).
 */
import { describe, expect, it } from 'vitest';
import { chartSvg } from '../../src/charts/render.js';
import { reviewTrendChart } from '../../src/charts/review.js';
import {
  fillRate,
  inventoryTurns,
  monthsOfCover,
  otif,
  planAdherence,
} from '../../src/core/kpi.js';
import { performanceReview, type ReviewInput } from '../../src/core/review.js';
import { decidedHow } from '../../src/core/vote.js';
import {
  type ActionStatus,
  followThrough,
  lastDecisionActions,
  type WhatChanged,
} from '../../src/services/follow-through.js';
import { changedLines, followLines, sentence } from '../../src/services/pack-loop.js';
import { reviewMessage } from '../../src/slack/presenters/review.js';
import { validateBlocks } from '../../src/slack-standin/index.js';

const plan = (
  family: string,
  period: string,
  demand: number,
  production: number,
  inventory: number,
  revenue: number,
) => ({
  family,
  period,
  demand,
  production,
  inventory,
  backlog: 0,
  revenue,
});

const INPUT: ReviewInput = {
  periods: ['2027-01', '2027-02'],
  families: [
    { code: 'A', unitCost: 10, price: 20 },
    { code: 'B', unitCost: 5, price: 8 },
  ],
  snapshots: [
    {
      family: 'A',
      period: '2027-01',
      lag: 1,
      naive: 90,
      baseline: 110,
      consensus: 105,
      steps: [{ author: 'U_RITA', reasonCode: 'promotion', before: 110, after: 105 }],
    },
    {
      family: 'A',
      period: '2027-02',
      lag: 1,
      naive: 100,
      baseline: 100,
      consensus: 130,
      steps: [{ author: 'U_RITA', reasonCode: 'promotion', before: 100, after: 130 }],
    },
    { family: 'A', period: '2027-02', lag: 3, naive: 80, baseline: 90, consensus: 90, steps: [] },
    {
      family: 'B',
      period: '2027-02',
      lag: 1,
      naive: 10,
      baseline: 5,
      consensus: 0,
      steps: [{ author: 'U_SAM', reasonCode: 'lost_customer', before: 5, after: 0 }],
    },
    // outside the review: ignored
    { family: 'A', period: '2027-03', lag: 1, naive: 1, baseline: 1, consensus: 1, steps: [] },
  ],
  sales: [
    { family: 'A', period: '2027-01', units: 100, revenue: null },
    { family: 'A', period: '2027-02', units: 120, revenue: 2500 },
    { family: 'B', period: '2027-01', units: 0, revenue: null },
    { family: 'B', period: '2027-02', units: 0, revenue: null },
  ],
  production: [
    { family: 'A', period: '2027-01', units: 110 },
    { family: 'A', period: '2027-02', units: 100 },
  ],
  inventory: [
    { family: 'A', period: '2026-12', onHand: 50, backlog: 0 },
    { family: 'A', period: '2027-01', onHand: 60, backlog: 0 },
    { family: 'A', period: '2027-02', onHand: 40, backlog: 5 },
    { family: 'B', period: '2027-02', onHand: 200, backlog: 0 },
  ],
  orders: [
    {
      family: 'A',
      requestedDate: '2027-01-15',
      shippedDate: '2027-01-14',
      ordered: 10,
      shipped: 10,
    },
    {
      family: 'A',
      requestedDate: '2027-02-10',
      shippedDate: '2027-02-12',
      ordered: 20,
      shipped: 20,
    },
    {
      family: 'A',
      requestedDate: '2027-02-20',
      shippedDate: '2027-02-20',
      ordered: 30,
      shipped: 25,
    },
    { family: 'A', requestedDate: '2027-02-25', shippedDate: null, ordered: 5, shipped: 0 },
    { family: 'A', requestedDate: '2027-03-05', shippedDate: null, ordered: 99, shipped: 0 },
  ],
  plan: [
    plan('A', '2027-01', 100, 100, 50, 2000),
    plan('A', '2027-02', 120, 120, 30, 2400),
    plan('A', '2027-03', 100, 100, 30, 2000),
    plan('A', '2027-04', 110, 110, 30, 2200),
    plan('A', '2027-05', 90, 90, 30, 1800),
  ],
};

describe('execution KPIs', () => {
  it('plan adherence = 1 − Σ|actual − plan| / Σ plan', () => {
    expect(planAdherence([110, 100], [100, 120])).toBeCloseTo(1 - 30 / 220, 12);
    expect(planAdherence([5], [0])).toBeNull();
  });

  it('fill rate counts on-time units up to the ordered quantity; OTIF counts complete on-time lines', () => {
    const lines = INPUT.orders.slice(0, 4);
    expect(fillRate(lines)).toBeCloseTo((10 + 0 + 25 + 0) / (10 + 20 + 30 + 5), 12);
    expect(otif(lines)).toBeCloseTo(1 / 4, 12);
    expect(
      fillRate([
        { requestedDate: '2027-01-01', shippedDate: '2027-01-01', ordered: 5, shipped: 9 },
      ]),
    ).toBe(1);
    expect(fillRate([])).toBeNull();
    expect(otif([])).toBeNull();
  });

  it('turns are annualised; cover is stock over average forward demand', () => {
    expect(inventoryTurns(2200, 500, 2)).toBeCloseTo((2200 / 500) * 6, 12);
    expect(inventoryTurns(10, 0, 1)).toBeNull();
    expect(monthsOfCover(40, [100, 110, 90])).toBeCloseTo(0.4, 12);
    expect(monthsOfCover(40, [])).toBeNull();
  });
});

describe('performance review', () => {
  const r = performanceReview(INPUT);
  const a = r.byFamily.A!;
  const b = r.byFamily.B!;

  it('scores the lag-1 and lag-3 snapshots of consensus and baseline', () => {
    expect(a.byLag['1']!.pairs).toBe(2);
    expect(a.byLag['1']!.consensusAccuracy).toBeCloseTo(1 - (5 + 10) / 220, 12);
    expect(a.byLag['1']!.consensusBias).toBeCloseTo((5 + 10) / 220, 12);
    expect(a.byLag['1']!.baselineAccuracy).toBeCloseTo(1 - (10 + 20) / 220, 12);
    expect(a.byLag['1']!.baselineBias).toBeCloseTo((10 - 20) / 220, 12);
    expect(a.byLag['3']).toMatchObject({ pairs: 1, consensusAccuracy: 0.75, consensusBias: -0.25 });
    expect(b.byLag['1']).toMatchObject({ pairs: 1, consensusAccuracy: null, consensusBias: null });
    expect(b.byLag['3']!.pairs).toBe(0);
    const t = r.total.byLag['1']!;
    expect(t.pairs).toBe(3);
    expect(t.consensusAccuracy).toBeCloseTo(1 - 15 / 220, 12);
    expect(t.baselineAccuracy).toBeCloseTo(1 - (10 + 20 + 5) / 220, 12);
    expect(t.baselineBias).toBeCloseTo((10 - 20 + 5) / 220, 12);
  });

  it('forecast value added by step, person and reason code', () => {
    // The lag-1 snapshots only (A's February at lag 3 is the same month again).
    expect(r.fva.matched).toBe(3);
    // naive 10+20+10, statistical 10+20+5, after adjustments 5+10+0, consensus same
    expect(r.fva.steps.map((s) => [s.step, s.error, s.fva])).toEqual([
      ['naive', 40, null],
      ['statistical', 35, 5],
      ['adjustments', 15, 20],
      ['consensus', 15, 0],
    ]);
    expect(r.fva.byPerson.U_RITA).toMatchObject({
      adjustments: 2,
      errorBefore: 30,
      errorAfter: 15,
      fva: 15,
      helped: 2,
      hurt: 0,
    });
    expect(r.fva.byPerson.U_SAM).toMatchObject({ adjustments: 1, fva: 5 });
    expect(r.fva.byReason.promotion!.fva).toBe(15);
    expect(r.fva.byReason.lost_customer!.fva).toBe(5);
  });

  it('plan adherence and service per family and in total', () => {
    expect(a.adherence).toBeCloseTo(1 - 30 / 220, 12);
    expect(a).toMatchObject({ actualProduction: 210, plannedProduction: 220, orderLines: 4 });
    expect(a.fillRate).toBeCloseTo(35 / 65, 12);
    expect(a.otif).toBeCloseTo(0.25, 12);
    expect(b).toMatchObject({ adherence: null, fillRate: null, otif: null, orderLines: 0 });
    expect(r.total.adherence).toBeCloseTo(1 - 30 / 220, 12);
    expect(r.total.fillRate).toBeCloseTo(35 / 65, 12);
  });

  it('stock: turns, cover against the plan, backlog, obsolete stock', () => {
    // COGS 220 × 10; stock value 500, 600, 400 → average 500; two months → × 6
    expect(a.cogs).toBe(2200);
    expect(a.averageStockValue).toBeCloseTo(500, 12);
    expect(a.turns).toBeCloseTo((2200 / 500) * 6, 12);
    expect(a.coverMonths).toBeCloseTo(40 / 100, 12);
    expect(a.targetCoverMonths).toBeCloseTo(30 / 100, 12);
    expect(a).toMatchObject({ backlog: 5, plannedBacklog: 0, obsoleteValue: 0 });
    expect(b.turns).toBe(0);
    expect(b.coverMonths).toBeNull();
    expect(b.obsoleteValue).toBe(200 * 5); // sold nothing for six months
    // total: stock value 500, 600, 400 + 1000 → average 2500/3
    expect(r.total.turns).toBeCloseTo((2200 / (2500 / 3)) * 6, 9);
    expect(r.total.coverMonths).toBeCloseTo(400 / 1000, 12); // families with forward demand, in value
    expect(r.total.targetCoverMonths).toBeCloseTo(300 / 1000, 12);
    expect(r.total).toMatchObject({ backlog: 5, plannedBacklog: 0, obsoleteValue: 1000 });
  });

  it('working capital in stock and operating cash against the adopted scenario', () => {
    expect(a.stockValue).toBe(400);
    expect(a.plannedStockValue).toBe(300);
    // revenue 100 × 20 + 2500, production (110 + 100) × 10
    expect(a.cash).toBe(2000 + 2500 - 2100);
    // plan: (2000 − 100 × 10) + (2400 − 120 × 10)
    expect(a.plannedCash).toBe(1000 + 1200);
    expect(b).toMatchObject({
      stockValue: 1000,
      plannedStockValue: null,
      cash: 0,
      plannedCash: null,
    });
    expect(r.total).toMatchObject({
      stockValue: 1400,
      plannedStockValue: 300,
      cash: 2400,
      plannedCash: 2200,
    });
  });

  it('sales against the scenario the decision assumed', () => {
    expect(a).toMatchObject({
      salesUnits: 220,
      plannedDemand: 100 + 120,
      revenue: 100 * 20 + 2500,
      plannedRevenue: 2000 + 2400,
    });
    expect(b).toMatchObject({
      salesUnits: 0,
      plannedDemand: null,
      revenue: 0,
      plannedRevenue: null,
    });
    expect(r.total).toMatchObject({
      salesUnits: 220,
      plannedDemand: 220,
      revenue: 4500,
      plannedRevenue: 4400,
    });
  });

  it('refuses an empty review', () => {
    expect(() => performanceReview({ ...INPUT, periods: [] })).toThrow(/at least one month/);
  });
});

describe('review trend chart', () => {
  it('plots each KPI a cycle has and sums up the last cycle against the one before', () => {
    const c = reviewTrendChart([
      {
        cycle: '2027-03',
        periods: ['2027-02'],
        accuracy: 0.8,
        baselineAccuracy: 0.7,
        adherence: 0.9,
        fillRate: null,
        otif: null,
      },
      {
        cycle: '2027-02',
        periods: ['2027-01'],
        accuracy: 0.75,
        baselineAccuracy: null,
        adherence: 0.95,
        fillRate: 0.9,
        otif: 0.5,
      },
    ]);
    const values = (
      c.spec as { data: { values: { cycle: string; reviewed: string; series: string }[] } }
    ).data.values;
    expect(values).toHaveLength(3 + 4);
    // Oldest cycle first; in each, the consensus last, so it is drawn over the baseline's dot.
    expect(values.map((v) => v.cycle)).toEqual([
      ...Array(4).fill('2027-02'),
      ...Array(3).fill('2027-03'),
    ]);
    // Each point at the month its cycle reviewed: cycle 2027-02's at 2027-01, 2027-03's at 2027-02.
    expect(values.map((v) => v.reviewed)).toEqual([
      ...Array(4).fill('2027-01'),
      ...Array(3).fill('2027-02'),
    ]);
    expect(values[3]).toMatchObject({ reviewed: '2027-01', series: 'Lag-1 accuracy, consensus' });
    expect(values[6]).toMatchObject({ reviewed: '2027-02', series: 'Lag-1 accuracy, consensus' });
    // 80% − 75% = +5 pts; 90% − 95% = −5 pts: 2027-02's figures against 2027-01's.
    expect(c.summary).toBe(
      "Performance review, 2027-01–2027-02. Latest, 2027-02 (cycle 2027-03's review): consensus lag-1 accuracy 80.0% (+5.0 pts vs 2027-01), baseline lag-1 accuracy 70.0%, plan adherence 90.0% (−5.0 pts vs 2027-01).",
    );
    expect(c.title).toBe('Performance review, 2027-01–2027-02');
    // Every KPI present: OTIF keeps its capitals.
    const full = { accuracy: 0.9, baselineAccuracy: 0.85, adherence: 0.95, fillRate: 0.97 };
    const two = ['2027-02', '2027-03'];
    expect(
      reviewTrendChart([{ cycle: '2027-04', periods: two, ...full, otif: 0.88 }]).summary,
    ).toBe(
      "Performance review, 2027-02–2027-03. Latest, 2027-02–2027-03 (cycle 2027-04's review): consensus lag-1 accuracy 90.0%, baseline lag-1 accuracy 85.0%, plan adherence 95.0%, fill rate 97.0%, OTIF 88.0%.",
    );
    expect(reviewTrendChart([]).summary).toBe('No cycle to review yet.');
  });

  it('writes each change as the difference of the two percentages printed, so they add up', () => {
    // The demo's March review: the last cycle's adherence 96.34% and fill rate 94.26% read
    // "96.3%" and "94.3%" in February's message; this cycle's 95.96% and 89.24% read "96.0%"
    // and "89.2%". 96.0 − 96.3 = −0.3 pts and 89.2 − 94.3 = −5.1 pts, though the unrounded
    // differences (−0.38 and −5.02 points) would print "−0.4 pts" and "−5.0 pts".
    const none = { accuracy: null, baselineAccuracy: null, otif: null };
    const c = reviewTrendChart([
      { cycle: '2027-02', periods: ['2027-01'], ...none, adherence: 0.9634, fillRate: 0.9426 },
      { cycle: '2027-03', periods: ['2027-02'], ...none, adherence: 0.9596, fillRate: 0.8924 },
    ]);
    expect(c.summary).toBe(
      "Performance review, 2027-01–2027-02. Latest, 2027-02 (cycle 2027-03's review): plan adherence 96.0% (−0.3 pts vs 2027-01), fill rate 89.2% (−5.1 pts vs 2027-01).",
    );
  });

  it('puts each point at the month reviewed, and compares that month with the one before', () => {
    // The demo's March review: cycle 2027-02 scored January's actuals, cycle 2027-03
    // February's. By hand: January's fill rate 938 of 1,000 units filled = 93.8%, February's
    // 911 of 1,000 = 91.1%, so February is 91.1 − 93.8 = −2.7 pts against January; OTIF
    // 875/1,000 = 87.5% then 833/1,000 = 83.3%: 83.3 − 87.5 = −4.2 pts.
    const none = { accuracy: null, baselineAccuracy: null, adherence: null };
    const c = reviewTrendChart([
      { cycle: '2027-03', periods: ['2027-02'], ...none, fillRate: 911 / 1000, otif: 833 / 1000 },
      { cycle: '2027-02', periods: ['2027-01'], ...none, fillRate: 938 / 1000, otif: 875 / 1000 },
    ]);
    const spec = c.spec as {
      encoding: { x: { field: string; title: string; sort: string[] } };
      data: { values: { reviewed: string; series: string; value: number }[] };
    };
    // The axis is the month reviewed, in order, the months the title names.
    expect(spec.encoding.x).toMatchObject({
      field: 'reviewed',
      title: 'Month reviewed',
      sort: ['2027-01', '2027-02'],
    });
    expect(c.title).toBe('Performance review, 2027-01–2027-02');
    // February's 91.1% stands at 2027-02, not at the cycle's month 2027-03 (not over yet).
    const fill = spec.data.values.filter((v) => v.series === 'Fill rate');
    expect(fill.map((v) => [v.reviewed, v.value])).toEqual([
      ['2027-01', 0.938],
      ['2027-02', 0.911],
    ]);
    expect(spec.data.values.some((v) => v.reviewed === '2027-03')).toBe(false);
    expect(c.summary).toBe(
      "Performance review, 2027-01–2027-02. Latest, 2027-02 (cycle 2027-03's review): fill rate 91.1% (−2.7 pts vs 2027-01), OTIF 83.3% (−4.2 pts vs 2027-01).",
    );
    // After a skipped cycle the latest review spans two months, and the axis names them so.
    const skipped = reviewTrendChart([
      { cycle: '2027-02', periods: ['2027-01'], ...none, fillRate: 0.938, otif: null },
      { cycle: '2027-04', periods: ['2027-02', '2027-03'], ...none, fillRate: 0.95, otif: null },
    ]);
    expect((skipped.spec as typeof spec).encoding.x).toMatchObject({
      title: 'Months reviewed',
      sort: ['2027-01', '2027-02–2027-03'],
    });
    // 95.0 − 93.8 = +1.2 pts.
    expect(skipped.summary).toBe(
      "Performance review, 2027-01–2027-03. Latest, 2027-02–2027-03 (cycle 2027-04's review): fill rate 95.0% (+1.2 pts vs 2027-01).",
    );
  });

  it('names its lines in a legend: four colours are unreadable without one', async () => {
    const cycle = (c: string, v: number) => ({
      cycle: c,
      periods: [c],
      accuracy: v,
      baselineAccuracy: v - 0.05,
      adherence: v + 0.02,
      fillRate: v + 0.04,
      otif: v - 0.1,
    });
    const svg = await chartSvg(
      reviewTrendChart([cycle('2027-02', 0.9), cycle('2027-03', 0.88)]).spec,
    );
    // The names are drawn nowhere else (no axis or title carries them).
    for (const name of [
      'Lag-1 accuracy, consensus',
      'Lag-1 accuracy, baseline',
      'Plan adherence',
      'Fill rate',
      'OTIF',
    ])
      expect(svg).toContain(`>${name}</text>`);
  });
});

describe('review message', () => {
  it('is valid Block Kit and shows the review’s figures', () => {
    const review = performanceReview(INPUT);
    const changed: WhatChanged = {
      previous: { month: '2027-01', scenario: 'Central', adopted: true },
      periods: ['2027-03'],
      figures: [],
      constraints: { added: [], resolved: [], stillOpen: 0 },
      decisions: [
        {
          id: '2',
          scenario: 'Central',
          rationale: 'a <b> & c',
          by: 'U_CEO',
          vote: { forIt: 3, total: 3, topOther: 0, closedByDecision: false },
        },
      ],
      actions: [],
      carried: [
        {
          family: 'FAM-1',
          author: 'U_RITA',
          reason: 'promotion',
          periods: ['2027-05', '2027-06'],
          enteredIn: '2027-01',
        },
        // Carried before the row it came from was kept: its cycle is not known.
        {
          family: 'FAM-2',
          author: 'U_NEW',
          reason: 'lost_customer',
          periods: ['2027-04'],
          enteredIn: null,
        },
      ],
    };
    const trend = [
      {
        month: '2027-03',
        reference: { month: '2027-01', scenarioId: '1', label: 'Central', adopted: true },
        review,
      },
    ];
    // Names as Slack gives them: typed, so a `<`, `&` or `*` in one shows as typed.
    const names: Record<string, string> = {
      U_CEO: 'Carla <@U_COO> & *co*',
      U_RITA: 'Rita',
      U_NEW: 'Nina',
      U_SAM: 'Sam',
    };
    const msg = reviewMessage(
      '2027-03',
      {
        trend,
        changed,
        tracking: {
          outside: [{ family: 'FAM-7', signal: 6, months: 6 }],
          judged: 3,
          months: 6,
        },
        follow: followThrough(trend[0]!, [], '2027-03-05'),
        escalations: [],
      },
      false,
      (id) => names[id] ?? id,
    );
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    const text = JSON.stringify(msg.blocks);
    // The months as a span, and what the plan was: January's adopted one; no chart was posted.
    // Its notification gives the key figures (worked out by hand below): adherence 1 − 30/220,
    // fill rate 35/65, OTIF 1/4.
    expect(msg.text).toBe(
      'S&OP 2027-03: performance review of 2027-01–2027-02: plan adherence 86.4%; fill rate 53.8%, OTIF 25.0%.',
    );
    expect(text).toContain(
      'The cycle opens by reviewing 2027-01–2027-02: KPIs per family and in total, against the last adopted plan. The same lines are in the pack',
    );
    const latest = reviewMessage(
      '2027-03',
      {
        trend: [{ ...trend[0]!, reference: { ...trend[0]!.reference, adopted: false } }],
        changed,
        tracking: { outside: [], judged: 0, months: 0 },
        follow: null,
        escalations: [],
      },
      true,
    );
    expect(JSON.stringify(latest.blocks)).toContain(
      "against cycle 2027-01's latest plan, as none was adopted. The trend chart is in the thread. The same lines",
    );
    // 1 − 30/220 = 86.4%; fill rate 35/65 = 53.8%; OTIF 1/4
    // Nested under the review's heading: Slack has no nested lists, so an indented ◦.
    expect(text).toContain('\\n\u2003◦ Plan adherence 86.4%: produced 210 units vs 220 planned.');
    expect(text).toMatch(/• Review of [^•◦]*:\\n\u2003◦ Forecast accuracy/);
    expect(text).toContain('Service: fill rate 53.8%, OTIF 25.0% over 4 order lines.');
    // Who recorded the decision and who adjusted, by name: the review pings nobody. The name's
    // "<@U_COO>" is text (a zero-width space after its "<"), its marks broken as a label's.
    const b = '\u200B';
    expect(text).toContain(
      `2027-01 decided: Central, adopted by the executives' vote (3–0); recorded by Carla &lt;${b}@U_COO&gt; &amp; ${b}*${b}co${b}*${b}. Rationale: “a &lt;b&gt; &amp; c”.`,
    );
    expect(text).toContain('by person Rita +15, Sam +5;');
    expect(text).not.toContain('<@');
    expect(text).toContain(
      'Tracking signal (lag-1 consensus, Σ(actual − forecast) / MAD over up to 12 months) outside ±4, to investigate: FAM-7 +6.0 over 6 months (under-forecast).',
    );
    // 2 + 1 carried months, in two groups, each with the cycle it was entered in.
    expect(text).toContain(
      'Forecast adjustments carried into this cycle for months still ahead: 3 (FAM-1 2027-05–2027-06 promotion, entered in 2027-01 by Rita; FAM-2 2027-04 lost customer, entered in an earlier cycle by Nina); each counts until its author adjusts that month again.',
    );
    // Money with its currency, as in the charts: revenue 4,500 vs 4,400 assumed: +2.3%.
    expect(text).toContain(
      'Central (2027-01) assumed, for 2027-01–2027-02, against what happened:\\n\u2003◦ Revenue $4.4k assumed; actual $4.5k (+2.3%).',
    );
    // B's 200 units unsold for six months at a cost of 5: 1,000 of obsolete stock.
    expect(text).toContain('obsolete stock $1k.');
    // Units stay plain; one minus sign, the charts' and the vote's: 210 vs 220 = −4.5%.
    expect(text).toContain('\u2003◦ Production (units) 220 assumed; actual 210 (−4.5%).');
    expect(text).not.toMatch(/[(\s]-\d/);
  });
});

describe('a line ends with one full stop', () => {
  it('adds one only where the text has none of its own', () => {
    expect(sentence('Rationale: “Stay on plan”')).toBe('Rationale: “Stay on plan”.');
    expect(sentence('Rationale: “It cuts margin more than it saves.”')).toBe(
      'Rationale: “It cuts margin more than it saves.”',
    );
    expect(sentence('#2 due 2027-02-10 (from 2027-01): Call Acme. ')).toBe(
      '#2 due 2027-02-10 (from 2027-01): Call Acme.',
    );
    expect(sentence('Are we on plan?')).toBe('Are we on plan?');
  });
});

describe('how a decision was taken', () => {
  const vote = (forIt: number, total: number, topOther: number, closedByDecision = false) => ({
    forIt,
    total,
    topOther,
    closedByDecision,
  });
  it("names the vote's real tally, or that there was none", () => {
    expect(decidedHow(null, '@Carla')).toBe('recorded by @Carla without a vote');
    expect(decidedHow(vote(3, 3, 0), '@Carla')).toBe(
      "adopted by the executives' vote (3–0); recorded by @Carla",
    );
    // Three scenarios, 2 + 1 + 0: the adopted one led.
    expect(decidedHow(vote(2, 3, 1), '@Carla')).toBe(
      "adopted by the executives' vote (2–1); recorded by @Carla",
    );
  });

  it('does not claim the vote for a decision that tied it, went against it or closed it early', () => {
    expect(decidedHow(vote(1, 2, 1), '@Carla')).toBe(
      'recorded by @Carla after a tied vote (1 of 2 votes for it)',
    );
    expect(decidedHow(vote(1, 3, 2), '@Carla')).toBe(
      "recorded by @Carla against the executives' vote (1 of 3 votes for it)",
    );
    expect(decidedHow(vote(1, 1, 0, true), '@Carla')).toBe(
      "recorded by @Carla, closing the executives' vote early (1 of 1 vote for it)",
    );
    expect(decidedHow(vote(0, 0, 0, true), '@Carla')).toBe(
      "recorded by @Carla, closing the executives' vote before anyone voted",
    );
    expect(decidedHow(vote(0, 0, 0), '@Carla')).toBe('recorded by @Carla; no executive voted');
  });
});

describe('follow-through of the last decision', () => {
  const review = performanceReview(INPUT);
  const trend = {
    month: '2027-03',
    reference: { month: '2027-02', scenarioId: '1', label: 'Central', adopted: true },
    review,
  };
  const action = (
    id: string,
    decisionId: string | null,
    state: ActionStatus['state'],
    doneOn: string | null = state === 'done' ? '2027-03-01' : null,
    due = '2027-03-01',
  ) => ({
    id,
    decisionId,
    cycle: decisionId === '1' ? '2027-01' : '2027-02',
    owner: 'U_OTTO',
    due,
    description: `action ${id}`,
    state,
    doneOn,
  });
  const changed = (decisions: string[], actions: ActionStatus[]): WhatChanged => ({
    previous: { month: '2027-02', scenario: 'Central', adopted: true },
    periods: [],
    figures: [],
    constraints: { added: [], resolved: [], stillOpen: 0 },
    decisions: decisions.map((id) => ({
      id,
      scenario: 'Central',
      rationale: 'r',
      by: 'U_CEO',
      vote: null,
    })),
    actions,
    carried: [],
  });

  it('counts only the actions the last decision set', () => {
    // Decision 1 (January): two actions done; decision 2 (February, the last): one overdue;
    // an S&OE deviation's action (no decision), done. The last decision's rate: 0 of 1.
    // (Every earlier action, as before: 3 of 4 = 75%.)
    const c = changed(
      ['2'],
      [
        action('1', '1', 'done'),
        action('2', '1', 'done'),
        action('3', '2', 'overdue'),
        action('4', null, 'done'),
      ],
    );
    const f = followThrough(trend, lastDecisionActions(c), '2027-03-05');
    expect([f.actionsSet, f.actionsDue, f.actionsDone, f.completionRate]).toEqual([1, 1, 0, 0]);
  });

  it('says so when the last decision set no actions', () => {
    // February's decision set none; January's two actions and a deviation's are not its.
    const c = changed(
      ['2'],
      [action('1', '1', 'done'), action('2', '1', 'done'), action('4', null, 'done')],
    );
    const msg = reviewMessage('2027-03', {
      trend: [trend],
      changed: c,
      tracking: { outside: [], judged: 0, months: 0 },
      follow: followThrough(trend, lastDecisionActions(c), '2027-03-05'),
      escalations: [],
    });
    const text = JSON.stringify(msg.blocks);
    // The three earlier actions were done on their due date: neither early nor late.
    expect(text).toContain(
      "Action completion rate: 2027-02's decision set no actions; of the actions of earlier cycles, 3 done.",
    );
    expect(text).not.toContain('due by today or done early');
  });

  it('when the last decision set none, the pack says what became of the earlier ones', () => {
    // February's decision set none. Of January's decision's two actions and S&OE's four
    // (filed under February), one was done on 2027-02-25, due 2027-03-01: early; five are
    // past their due date, open: overdue. The rate has no figure; the line says the rest as
    // question 1 counts it, and points at question 10's list of the overdue ones.
    const c = changed(
      ['2'],
      [
        action('1', '1', 'done', '2027-02-25', '2027-03-01'),
        action('2', '1', 'overdue'),
        ...['3', '4', '5', '6'].map((id) => action(id, null, 'overdue')),
      ],
    );
    const loop = {
      trend: [trend],
      changed: c,
      tracking: { outside: [], judged: 0, months: 0 },
      follow: followThrough(trend, lastDecisionActions(c), '2027-03-05'),
      escalations: [],
    };
    expect(followLines(loop, true).at(-1)).toBe(
      "Action completion rate: 2027-02's decision set no actions; of the actions of earlier cycles, 1 done (1 early), 5 overdue (the open ones are listed below).",
    );
    expect(changedLines(loop)).toContain(
      'Actions of earlier cycles: 1 done (1 early), 5 overdue, 0 open, 0 dropped.',
    );
    // The review lists no action: it points nowhere.
    expect(followLines(loop).at(-1)).toBe(
      "Action completion rate: 2027-02's decision set no actions; of the actions of earlier cycles, 1 done (1 early), 5 overdue.",
    );
  });

  it('counts an action done before its due date as early, not late, and one done after as late', () => {
    // Today 2027-03-05. Action 1 due 03-10, done 03-02: early (not yet due, counted as done
    // early). Action 2 due 03-01, done 03-03: late. Action 3 due 03-04, done on it. Action 4
    // due 03-20, open: not due yet, left out. 3 done of 3 counted: 100%.
    const c = changed(
      ['2'],
      [
        action('1', '2', 'done', '2027-03-02', '2027-03-10'),
        action('2', '2', 'done', '2027-03-03', '2027-03-01'),
        action('3', '2', 'done', '2027-03-04', '2027-03-04'),
        action('4', '2', 'open', null, '2027-03-20'),
      ],
    );
    const f = followThrough(trend, lastDecisionActions(c), '2027-03-05');
    expect([f.actionsDue, f.actionsDone, f.actionsDoneEarly, f.actionsDoneLate]).toEqual([
      3, 3, 1, 1,
    ]);
    const text = JSON.stringify(
      reviewMessage('2027-03', {
        trend: [trend],
        changed: c,
        tracking: { outside: [], judged: 0, months: 0 },
        follow: f,
        escalations: [],
      }).blocks,
    );
    expect(text).toContain(
      'Action completion rate 100.0%: 3 done (1 early, 1 late) of 3 due by today or done early.',
    );
    expect(text).toContain(
      'Actions of earlier cycles: 3 done (1 early, 1 late), 0 overdue, 1 open, 0 dropped.',
    );
  });

  it('with no decision before, says there is none, not that it set no actions', () => {
    const follow = (c: WhatChanged) =>
      JSON.stringify(
        reviewMessage('2027-03', {
          trend: [trend],
          changed: c,
          tracking: { outside: [], judged: 0, months: 0 },
          follow: followThrough(trend, lastDecisionActions(c), '2027-03-05'),
          escalations: [],
        }).blocks,
      );
    // February closed without a decision.
    expect(follow(changed([], []))).toContain(
      'Action completion rate: 2027-02 recorded no decision.',
    );
    // The first cycle: nothing before it.
    expect(follow({ ...changed([], []), previous: null })).toContain(
      'Action completion rate: no earlier decision to follow through.',
    );
  });
});
