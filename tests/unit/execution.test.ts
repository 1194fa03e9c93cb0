/** Weekly S&OE deviations against hand-worked thresholds. */
import { describe, expect, it } from 'vitest';
import {
  detectDeviations,
  type FamilyWeek,
  mondayOf,
  weekMonth,
  weekShare,
} from '../../src/core/execution.js';

const T = { productionShortfallPct: 10, receiptShortfallPct: 10, frozenBreakPct: 25 };

/** A family's week within one month: `share` (7/28 for a February week) of the month's plan. */
const inMonth = (
  f: {
    family: string;
    sales: number | null;
    production: number | null;
    consensus: number;
    baseline: number | null;
    hi80: number | null;
    plannedProduction: number;
  },
  share = 7 / 28,
): FamilyWeek => ({
  family: f.family,
  sales: f.sales,
  production: f.production,
  plan: [
    {
      share,
      consensus: f.consensus,
      baseline: f.baseline,
      hi80: f.hi80,
      plannedProduction: f.plannedProduction,
    },
  ],
});

describe('weeks', () => {
  it('a week is its Thursday’s month, 7 / days of that month', () => {
    expect(weekMonth('2027-02-01')).toBe('2027-02');
    expect(weekShare('2027-02-01')).toBe(7 / 28);
    expect(weekMonth('2027-03-29')).toBe('2027-04'); // Thursday 1 April
    expect(weekShare('2027-03-29')).toBe(7 / 30);
    expect(mondayOf('2027-02-07')).toBe('2027-02-01'); // a Sunday
    expect(mondayOf('2027-02-01')).toBe('2027-02-01');
  });
});

describe('deviations of a week', () => {
  /** Family A's sales alone in a month outside the frozen zone: consensus 400, hi80 480. */
  const salesWeek = (sales: number) =>
    detectDeviations({
      frozen: false,
      thresholds: T,
      families: [
        inMonth({
          family: 'A',
          sales,
          production: null,
          consensus: 400,
          baseline: 400,
          hi80: 480,
          plannedProduction: 0,
        }),
      ],
      receipts: [],
    });
  const found = detectDeviations({
    frozen: true,
    thresholds: T,
    families: [
      // Week P90 400 × 7/28 + (480 − 400) × √(7/28) = 100 + 40 = 140 (a week's spread is
      // the month's × √share); planned production 400 × 7/28 = 100
      inMonth({
        family: 'A',
        sales: 150,
        production: 80,
        consensus: 400,
        baseline: 400,
        hi80: 480,
        plannedProduction: 400,
      }),
      // Week P90 200 × 7/28 + 0 = 50 (no baseline: the consensus itself); production 46 ≥ 45
      inMonth({
        family: 'B',
        sales: 50,
        production: 46,
        consensus: 200,
        baseline: null,
        hi80: null,
        plannedProduction: 200,
      }),
    ],
    receipts: [
      { supplier: 'SUP-1', expected: 100, received: 85 },
      { supplier: 'SUP-2', expected: 0, received: 0 },
    ],
  });

  it('finds sales above P90, production below plan and a short supplier, nothing else', () => {
    expect(found.map((d) => `${d.kind} ${d.family ?? d.supplier}`)).toEqual([
      'sales_above_p90 A',
      'production_below_plan A',
      'supplier_short SUP-1',
    ]);
    expect(found[0]).toMatchObject({ actual: 150, expected: 140 });
    expect(found[1]).toMatchObject({ actual: 80, expected: 100 });
    expect(found[2]).toMatchObject({ actual: 85, expected: 100 });
  });

  it('escalates only what misses the frozen plan by more than the threshold', () => {
    // sales 150 vs consensus share 100: 50% > 25%; production 80 vs 100: 20%; receipts 15%
    expect(found.map((d) => d.frozenBreak)).toEqual([true, false, false]);
    const liquid = salesWeek(150);
    expect(liquid).toHaveLength(1);
    expect(liquid[0]!.frozenBreak).toBe(false);
  });

  it('a week within its own P90 is not flagged, though above the month’s P90 × 7/days', () => {
    // 130: above 400 × (480 / 400) × 7/28 = 120, below 100 + 80 × √(7/28) = 140.
    const week = salesWeek(130);
    expect(week).toEqual([]);
  });

  it('the thresholds come from the settings', () => {
    const loose = detectDeviations({
      frozen: false,
      thresholds: { ...T, productionShortfallPct: 25, receiptShortfallPct: 20 },
      families: [
        inMonth({
          family: 'A',
          sales: null,
          production: 80,
          consensus: 0,
          baseline: null,
          hi80: null,
          plannedProduction: 400,
        }),
      ],
      receipts: [{ supplier: 'SUP-1', expected: 100, received: 85 }],
    });
    expect(loose).toEqual([]);
  });
});
