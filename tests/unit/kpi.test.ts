import { describe, expect, it } from 'vitest';
import {
  type ArchivedForecast,
  accuracy,
  BIAS_SIGN_CONVENTION,
  bias,
  forecastValueAdded,
  mase,
  smape,
  trackingSignal,
  wmape,
} from '../../src/core/kpi.js';

// Hand example: |A−F| = 10, 10, 10, 0 (Σ 30), Σ|A| = 230, Σ(F−A) = 10, Σ(A−F) = −10
const A = [100, 0, 50, 80];
const F = [90, 10, 60, 80];

describe('forecast KPIs', () => {
  it('WMAPE and accuracy', () => {
    expect(wmape(A, F)).toBeCloseTo(30 / 230, 12);
    expect(accuracy(A, F)).toBeCloseTo(1 - 30 / 230, 12);
    expect(accuracy([10], [40])).toBe(0); // WMAPE 3 → accuracy floored at 0
    expect(wmape([0, 0], [1, 2])).toBeNull();
  });

  it('bias is positive for over-forecasts and says so', () => {
    expect(bias(A, F)).toBeCloseTo(10 / 230, 12);
    expect(bias([100], [80])).toBeCloseTo(-0.2, 12);
    expect(BIAS_SIGN_CONVENTION).toMatch(/positive means over-forecast/);
    expect(bias([0], [5])).toBeNull();
  });

  it('tracking signal = Σ(A−F)/MAD', () => {
    expect(trackingSignal(A, F)).toBeCloseTo(-10 / 7.5, 12);
    expect(trackingSignal([5, 5], [5, 5])).toBeNull();
  });

  it('sMAPE, M3 definition', () => {
    expect(smape(A, F)).toBeCloseTo((2000 / 190 + 200 + 2000 / 110 + 0) / 4, 10);
    expect(smape([0], [0])).toBe(0);
  });

  it('MASE with the lag-12 scale, lag 1 for short history', () => {
    const history = [5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 15]; // one lag-12 difference: 10
    expect(mase(A, F, history)).toBeCloseTo(7.5 / 10, 12);
    expect(mase(A, F, [3, 5, 4])).toBeCloseTo(7.5 / 1.5, 12); // lag-1 differences 2, 1
    expect(mase(A, F, [4, 4, 4])).toBeNull();
  });

  it('refuses mismatched lengths', () => {
    expect(() => wmape([1, 2], [1])).toThrow(/same length/);
  });
});

describe('forecast value added', () => {
  const adj = (author: string, reasonCode: string, before: number, after: number) => ({
    author,
    reasonCode,
    before,
    after,
  });
  const archive: ArchivedForecast[] = [
    // actual 105: naive 5, stat 15, alice 15→5, bob 5→15, consensus 15
    {
      family: 'A',
      period: '2025-01',
      lag: 1,
      naive: 100,
      statistical: 90,
      consensus: 120,
      adjustments: [adj('alice', 'promo', 90, 110), adj('bob', 'customer_win', 110, 120)],
    },
    // actual 0 (zero actual), a negative adjustment: alice 70→50
    {
      family: 'A',
      period: '2025-02',
      lag: 2,
      naive: 80,
      statistical: 70,
      consensus: 50,
      adjustments: [adj('alice', 'promo', 70, 50)],
    },
    // actual 11, nobody adjusted
    {
      family: 'B',
      period: '2025-01',
      lag: 1,
      naive: 10,
      statistical: 12,
      consensus: 12,
      adjustments: [],
    },
    // no actual yet: skipped
    {
      family: 'B',
      period: '2025-03',
      lag: 1,
      naive: 10,
      statistical: 12,
      consensus: 12,
      adjustments: [],
    },
    // actual 3: carol cut below zero (17→8), consensus floored at 0 (8→3)
    {
      family: 'B',
      period: '2025-02',
      lag: 3,
      naive: 20,
      statistical: 20,
      consensus: 0,
      adjustments: [adj('carol', 'promo', 20, -5)],
    },
  ];
  const actuals = [
    { family: 'A', period: '2025-01', units: 105 },
    { family: 'A', period: '2025-02', units: 0 },
    { family: 'B', period: '2025-01', units: 11 },
    { family: 'B', period: '2025-02', units: 3 },
    { family: 'C', period: '2025-01', units: 7 },
  ];
  const r = forecastValueAdded(archive, actuals);

  it('skips and counts pairs without actuals', () => {
    expect(r.matched).toBe(4);
    expect(r.skippedNoActual).toBe(1);
  });

  it('scores each step of the chain', () => {
    expect(r.steps).toEqual([
      { step: 'naive', error: 103, fva: null },
      { step: 'statistical', error: 103, fva: 0 },
      { step: 'adjustments', error: 74, fva: 29 },
      { step: 'consensus', error: 69, fva: 5 },
    ]);
    expect(r.overall.actualSum).toBe(119);
    expect(r.overall.wmape.consensus).toBeCloseTo(69 / 119, 12);
  });

  it('credits and blames each person', () => {
    expect(r.byPerson.alice).toEqual({
      adjustments: 2,
      errorBefore: 85,
      errorAfter: 55,
      fva: 30,
      helped: 2,
      hurt: 0,
    });
    expect(r.byPerson.bob).toEqual({
      adjustments: 1,
      errorBefore: 5,
      errorAfter: 15,
      fva: -10,
      helped: 0,
      hurt: 1,
    });
    expect(r.byPerson.carol?.fva).toBe(9);
  });

  it('aggregates per reason code, family and lag', () => {
    expect(r.byReason.promo?.fva).toBe(39);
    expect(r.byReason.customer_win?.fva).toBe(-10);
    expect(r.byFamily.A).toMatchObject({
      pairs: 2,
      actualSum: 105,
      naiveError: 85,
      statisticalError: 85,
      consensusError: 65,
      statisticalFva: 0,
      consensusFva: 20,
    });
    expect(r.byLag['1']).toMatchObject({
      pairs: 2,
      actualSum: 116,
      naiveError: 6,
      statisticalError: 16,
      consensusError: 16,
    });
    expect(r.byLag['2']?.wmape.consensus).toBeNull(); // the only actual is zero
    expect(r.byLag['3']?.consensusError).toBe(3);
  });
});
