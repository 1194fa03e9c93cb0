import { describe, expect, it } from 'vitest';
import {
  budgetGap,
  demandByFamily,
  familyPerformance,
  topMovers,
} from '../../src/core/pack-kpis.js';
import { deliveredByRow } from '../../src/core/shortfall.js';

describe('pack KPIs (hand-computed)', () => {
  it('sums demand per family over the given months only', () => {
    const rows = [
      { code: 'A', period: '2027-01', demand: 10 },
      { code: 'A', period: '2027-02', demand: 5 },
      { code: 'A', period: '2027-03', demand: 100 },
      { code: 'B', period: '2027-01', demand: 7 },
    ];
    const by = demandByFamily(rows, new Set(['2027-01', '2027-02']));
    expect([...by.entries()]).toEqual([
      ['A', 15],
      ['B', 7],
    ]);
  });

  it('ranks movers by absolute change, drops unmoved families, keeps a new family', () => {
    const now = new Map([
      ['A', 120],
      ['B', 50],
      ['C', 30],
    ]);
    const before = new Map([
      ['A', 100],
      ['B', 80],
      ['D', 30],
    ]);
    // A +20 (+20%), B −30 (−37.5%), C +30 (no base), D −30 (−100%): |30| ties keep key order.
    const m = topMovers(now, before, 3);
    expect(m.map((x) => [x.family, x.delta])).toEqual([
      ['B', -30],
      ['C', 30],
      ['D', -30],
    ]);
    expect(m[0]?.deltaPct).toBeCloseTo(-0.375, 12);
    expect(m[1]?.deltaPct).toBeNull();
    expect(topMovers(new Map([['A', 5]]), new Map([['A', 5]]), 3)).toEqual([]);
  });

  it('scores families on the months with an actual', () => {
    const planned = [
      { code: 'A', period: '2027-02', demand: 100 },
      { code: 'A', period: '2027-01', demand: 100 },
      { code: 'A', period: '2027-03', demand: 100 },
      { code: 'B', period: '2027-01', demand: 40 },
    ];
    const actual = new Map([
      ['A|2027-01', 90],
      ['A|2027-02', 120],
      ['B|2027-01', 50],
    ]);
    // A: actual 210 vs 200 planned over Jan–Feb (+5%); B: 50 vs 40 (+25%).
    const f = familyPerformance(planned, actual);
    expect(f).toEqual([
      { family: 'A', periods: ['2027-01', '2027-02'], actual: 210, forecast: 200, deltaPct: 0.05 },
      { family: 'B', periods: ['2027-01'], actual: 50, forecast: 40, deltaPct: 0.25 },
    ]);
  });

  it('compares the liquid months with the budget and names the worst months', () => {
    const months = ['2027-04', '2027-05', '2027-06'];
    const plan = [
      { period: '2027-03', demand: 999, delivered: 999 },
      { period: '2027-04', demand: 110, delivered: 110 },
      { period: '2027-05', demand: 60, delivered: 60 },
      { period: '2027-05', demand: 20, delivered: 20 },
      { period: '2027-06', demand: 50, delivered: 50 },
    ];
    const budget = [
      { period: '2027-04', volume: 100 },
      { period: '2027-05', volume: 100 },
    ];
    // The budget covers April and May only; June's 50 has no budget to be set against.
    // Plan 110 + 80 = 190 against budget 200: −5%. (Counting June too gave +20%.)
    // Apr +10%, May −20%: May is the worst.
    const g = budgetGap(months, plan, budget, 3);
    expect(g.from).toBe('2027-04');
    expect(g.budgeted).toEqual(['2027-04', '2027-05']);
    expect(g.months).toBe(3);
    expect(g.delivered).toBe(190);
    expect(g.demand).toBe(190);
    expect(g.budget).toBe(200);
    expect(g.gapPct).toBeCloseTo(-0.05, 12);
    expect(g.worst.map((w) => [w.period, w.delivered, w.budget])).toEqual([
      ['2027-05', 80, 100],
      ['2027-04', 110, 100],
    ]);
    expect(g.worst[0]?.gapPct).toBeCloseTo(-0.2, 12);
    expect(budgetGap(months, plan, [], 3)).toMatchObject({ budget: null, gapPct: null, worst: [] });
  });

  it('sets the units the plan delivers against the budget, not the demand it gives up', () => {
    // One family, demand 300 a month, capacity for 100: 200 lost each month. The budget is
    // of sales, 120 a month. Delivered 2 × 100 = 200 vs 240: −16.7%; demand 600 would
    // have read +150%.
    const months = ['2027-04', '2027-05'];
    const plan = months.map((period) => ({ period, demand: 300, delivered: 100 }));
    const budget = months.map((period) => ({ period, volume: 120 }));
    const g = budgetGap(months, plan, budget, 3);
    expect(g.delivered).toBe(200);
    expect(g.demand).toBe(600);
    expect(g.budget).toBe(240);
    expect(g.gapPct).toBeCloseTo(-40 / 240, 12);
    expect(g.worst.map((w) => [w.period, w.delivered])).toEqual([
      ['2027-04', 100],
      ['2027-05', 100],
    ]);
  });

  it('counts as delivered the demand less lost sales and the change in backlog', () => {
    // A opens with 10 on backlog. Jan: demand 100, 5 lost, backlog 10 → 30: delivered
    // 100 − 5 − 20 = 75. Feb: demand 100, none lost, backlog 30 → 0: 100 + 30 = 130.
    // B, listed first and out of order: Feb demand 50, 50 lost: 0; Jan demand 40: 40.
    const rows = [
      { code: 'B', period: '2027-02', demand: 50, lostSales: 50, backlog: 0 },
      { code: 'A', period: '2027-01', demand: 100, lostSales: 5, backlog: 30 },
      { code: 'B', period: '2027-01', demand: 40, lostSales: 0, backlog: 0 },
      { code: 'A', period: '2027-02', demand: 100, lostSales: 0, backlog: 0 },
    ];
    expect(deliveredByRow(rows, new Map([['A', 10]]))).toEqual([0, 75, 40, 130]);
  });
});
