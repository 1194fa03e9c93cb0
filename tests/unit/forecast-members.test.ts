/**
 * The members added for `auto`'s combination (DOTM, CES, auto ARIMA, MAPA) and the calibrated
 * intervals, against hand calculations written out here and against R's published
 * auto.arima(AirPassengers) printout.
 */
import { describe, expect, it } from 'vitest';
import {
  type ArimaOrder,
  arimaForecast,
  autoArima,
  diff,
  exactArma,
  fitArima,
  kpss,
  ndiffs,
  nsdiffs,
  rootsOutside,
} from '../../src/core/forecast/arima.js';
import { calibrated, combineStep } from '../../src/core/forecast/calibration.js';
import { type CesFit, cesForecast, fitCes } from '../../src/core/forecast/ces.js';
import { dotmForecast, dotmPoint, dotmSse } from '../../src/core/forecast/dotm.js';
import { forecast } from '../../src/core/forecast/index.js';
import { aggregateMeans, mapaForecast, monthlyPath } from '../../src/core/forecast/mapa.js';
import { airPassengers, expectNestedIntervals } from './forecast-fixture.js';

describe('Dynamic Optimised Theta Model (Fiorucci et al. 2016)', () => {
  // y = 10, 12, 11, 15 with α = 0.5, θ = 2, ℓ0 = 10, worked by hand from the paper's eqs:
  // t=1: A0 = B0 = 0 → μ1 = ℓ0 = 10, e1 = 0; ℓ1 = 10, Ȳ1 = 10, B1 = 0, A1 = 10
  // t=2: μ2 = 10 + ½·(½·10 + 1.5·0) = 12.5, e2 = −0.5; ℓ2 = 11, Ȳ2 = 11,
  //      B2 = (0 + 6·(12 − 10)/2)/3 = 2, A2 = 11 − 1.5·2 = 8
  // t=3: μ3 = 11 + ½·(¼·8 + 1.75·2) = 13.75, e3 = −2.75; ℓ3 = 11, Ȳ3 = 11,
  //      B3 = (1·2 + 0)/4 = 0.5, A3 = 11 − 2·0.5 = 10 (the OLS line through 10, 12, 11)
  // t=4: μ4 = 11 + ½·(⅛·10 + 1.875·0.5) = 12.09375, e4 = 2.90625
  // SSE = 0 + 0.25 + 7.5625 + 8.4462890625
  const y = [10, 12, 11, 15];

  it('runs the one-step recursion of the paper', () => {
    expect(dotmSse(y, 0.5, 2, 10)).toBeCloseTo(16.2587890625, 12);
  });

  it("forecasts by the paper's eq. (13)", () => {
    // t=4 update: ℓ4 = 13, Ȳ4 = 12, B4 = (2·0.5 + 6·(15 − 11)/4)/5 = 1.4 (OLS slope of y),
    // A4 = 12 − 2.5·1.4 = 8.5; Ŷ(h) = 13 + ½·(8.5/16 + (h − 1 + (1 − 1/32)/0.5)·1.4)
    const f = dotmPoint(y, 2, 0.5, 2, 10);
    expect(f[0]).toBeCloseTo(14.621875, 12);
    expect(f[1]).toBeCloseTo(15.321875, 12);
  });

  it('with θ = 1 is simple exponential smoothing', () => {
    // (1 − 1/θ) = 0 removes the trend line: μ_t = ℓ_{t−1}, forecasts flat at ℓ_n
    expect(dotmSse(y, 0.5, 1, 10)).toBeCloseTo(0 + 4 + 0 + 16, 12);
    expect(dotmPoint(y, 3, 0.5, 1, 10)).toEqual([13, 13, 13]);
  });

  it('extrapolates a straight line exactly once fitted', () => {
    const line = Array.from({ length: 30 }, (_, t) => 100 + 3 * t);
    const r = dotmForecast(line, 6, 1);
    expect(r).not.toBeNull();
    r?.mean.forEach((v, k) => {
      expect(v).toBeCloseTo(100 + 3 * (30 + k), 0);
    });
  });
});

describe('Complex Exponential Smoothing (Svetunkov et al. 2022)', () => {
  const fitWith = (over: Partial<CesFit>): CesFit => ({
    seasonality: 'none',
    m: 1,
    a0: 1.2,
    a1: 0.8,
    b0: 1,
    b1: 1,
    gamma: 0,
    sigma2: 4,
    aicc: 0,
    level: 10,
    potential: 5,
    s1: new Float64Array(1),
    s2: new Float64Array(1),
    n: 20,
    ...over,
  });

  it('forecasts w·F^(h−1)·x with the variance of the ψ-weights', () => {
    // F = [[1, −(1 − a1)], [1, 1 − a0]] = [[1, −0.2], [1, −0.2]] from (ℓ, c) = (10, 5):
    // ŷ1 = 10; (ℓ, c) → (10 − 1, 10 − 1) = (9, 9): ŷ2 = 9; → (9 − 1.8, 9 − 1.8): ŷ3 = 7.2.
    // g = (a0 − a1, a0 + a1) = (0.4, 2): ψ1 = 0.4, ψ2 = 0.4 − 0.2·2 = 0; σ² = 4
    const f = cesForecast(fitWith({}), 3);
    expect(f.mean[0]).toBeCloseTo(10, 12);
    expect(f.mean[1]).toBeCloseTo(9, 12);
    expect(f.mean[2]).toBeCloseTo(7.2, 12);
    const z95 = 1.959963984540054;
    expect((f.hi95[0] as number) - 10).toBeCloseTo(z95 * 2, 10);
    expect((f.hi95[1] as number) - 9).toBeCloseTo(z95 * Math.sqrt(4 * 1.16), 10);
    expect((f.hi95[2] as number) - 7.2).toBeCloseTo(z95 * Math.sqrt(4 * 1.16), 10);
  });

  it('adds the partial seasonal state of the step', () => {
    // ℓ stays 10 (a1 = 1, c = 0, a0 = 1: F = [[1, 0], [1, 0]]); s by position n + h − 1 mod 4
    const s1 = Float64Array.from([1, -2, 3, -4]);
    const f = cesForecast(
      fitWith({ seasonality: 'partial', m: 4, a0: 1, a1: 1, potential: 0, s1, n: 6 }),
      4,
    );
    // n = 6: steps 1..4 are positions 6, 7, 8, 9 → ring 2, 3, 0, 1
    expect(f.mean).toEqual([13, 6, 11, 8]);
  });

  it('fits a level-shift series with a stable complex parameter and picks by AICc', () => {
    const y = Array.from({ length: 60 }, (_, t) => 50 + (t >= 30 ? 10 : 0) + ((t * 7) % 5) - 2);
    const fit = fitCes(y, 'none', 12);
    expect(fit).not.toBeNull();
    // forecasts settle near the new level of 60
    const f = cesForecast(fit as CesFit, 12);
    expect(Math.abs((f.mean[11] as number) - 60)).toBeLessThan(5);
    const r = forecast(airPassengers, { horizon: 12, method: 'ces' });
    expect(r.method).toMatch(/^CES\((partial|full)\)$/);
    expectNestedIntervals(r);
  });
});

describe('auto ARIMA against R forecast::auto.arima(AirPassengers)', () => {
  // R: ARIMA(2,1,1)(0,1,0)[12], ar1 0.5960, ar2 0.2143, ma1 −0.9819, sigma^2 132.3,
  // log likelihood −504.92, AICc 1018.17 (summary(auto.arima(AirPassengers)), forecast 8.x)
  it('differences like R: D = 1 by seasonal strength, then d = 1 by KPSS', () => {
    expect(nsdiffs(airPassengers, 12)).toBe(1);
    expect(ndiffs(diff(airPassengers, 12))).toBe(1);
  });

  const r211: ArimaOrder = { p: 2, d: 1, q: 1, P: 0, D: 1, Q: 0, m: 12, constant: false };

  it("estimates R's model by exact maximum likelihood (CSS-ML) to R's printed digits", () => {
    const fit = fitArima(airPassengers, r211);
    expect(fit).not.toBeNull();
    expect(fit?.ar[0]).toBeCloseTo(0.596, 3);
    expect(fit?.ar[1]).toBeCloseTo(0.2143, 3);
    expect(fit?.ma[0]).toBeCloseTo(-0.9819, 3);
    expect(fit?.sigma2).toBeCloseTo(132.3, 0);
    expect(fit?.aicc).toBeCloseTo(1018.17, 1);
  });

  it('the conditional fit alone stays within the gap between CSS and exact likelihood', () => {
    const fit = fitArima(airPassengers, r211, { method: 'css' });
    expect(fit?.ar[0]).toBeCloseTo(0.596, 1);
    expect(fit?.ma[0]).toBeCloseTo(-0.9819, 1);
    expect(Math.abs((fit?.aicc ?? 0) / 1018.17 - 1)).toBeLessThan(0.005);
    expect(Math.abs((fit?.aicc ?? 0) - 1018.17)).toBeGreaterThan(0.3);
  });

  it('exact likelihood of an AR(1) by hand: x1 from the stationary variance, then conditional', () => {
    // AR(1), φ = 0.5, σ² = 1 scale: F_1 = 1/(1 − φ²) = 4/3, v_1 = x_1; then F = 1, v_t = x_t − φx_{t−1}
    // S = 1²·(3/4) + (2 − 0.5)² + (0.5 − 1)² = 0.75 + 2.25 + 0.25 = 3.25, Σ log F = log(4/3)
    const stats = { s: 0, sumLogF: 0 };
    const e = new Float64Array(3);
    exactArma([1, 2, 0.5], { lags: [1], coefs: [0.5] }, { lags: [], coefs: [] }, e, stats);
    expect(stats.s).toBeCloseTo(3.25, 12);
    expect(stats.sumLogF).toBeCloseTo(Math.log(4 / 3), 12);
  });

  it('exact likelihood of an MA(1) by hand', () => {
    // MA(1), θ = 0.5: F_1 = 1 + θ² = 1.25; P_2|1 after x_1: F_2 = 1 + θ² − θ²/F_1 = 1.05
    // v_1 = x_1 = 1; v_2 = x_2 − (θ/F_1)·v_1 = 2 − 0.4 = 1.6; S = 1/1.25 + 1.6²/1.05
    const stats = { s: 0, sumLogF: 0 };
    const e = new Float64Array(2);
    exactArma([1, 2], { lags: [], coefs: [] }, { lags: [1], coefs: [0.5] }, e, stats);
    expect(stats.s).toBeCloseTo(0.8 + 2.56 / 1.05, 12);
    expect(stats.sumLogF).toBeCloseTo(Math.log(1.25) + Math.log(1.05), 12);
  });

  it('KPSS statistic by hand on a short series', () => {
    // x = 1, 2, 3, 4: e = −1.5, −0.5, 0.5, 1.5; partial sums −1.5, −2, −1.5, 0 → Σ S² = 8.5,
    // divided by n² = 16; with 1 lag (urca's "short", trunc(4·0.04^¼) = 1): γ0 = 5/4, γ1 = (0.75 − 0.25 + 0.75)/4,
    // long-run variance 1.25 + 2·½·0.3125 = 1.5625 → 0.53125 / 1.5625 = 0.34
    expect(kpss([1, 2, 3, 4], 1)).toBeCloseTo(0.34, 12);
    // ndiffs' default lags trunc(3·√4/13) = 0: the long-run variance is γ0 = 1.25 → 0.425
    expect(kpss([1, 2, 3, 4])).toBeCloseTo(0.425, 12);
  });

  it("refuses roots within R's 1.01 of the unit circle", () => {
    expect(rootsOutside([0.5])).toBe(true);
    expect(rootsOutside([0.995])).toBe(false);
    // 1 − 1.2z + 0.35z² = (1 − 0.5z)(1 − 0.7z): roots 2 and 1/0.7
    expect(rootsOutside([1.2, -0.35])).toBe(true);
    // (1 − 0.5z)(1 − 1.1z): a root inside
    expect(rootsOutside([1.6, -0.55])).toBe(false);
  });

  it('forecasts a random walk with drift as a straight line with √h intervals', () => {
    // ARIMA(0,1,0) with drift δ: ŷ(n + h) = y_n + h·δ, Var = h·σ²
    const y = [10, 12, 13, 15, 18, 19, 21, 24, 25, 27, 30, 31];
    const fit = fitArima(y, { p: 0, d: 1, q: 0, P: 0, D: 0, Q: 0, m: 1, constant: true });
    const diffs = diff(y);
    const delta = diffs.reduce((a, v) => a + v, 0) / diffs.length;
    expect(fit?.constant).toBeCloseTo(delta, 4);
    const f = arimaForecast(fit as NonNullable<typeof fit>, 3);
    expect(f.mean[2]).toBeCloseTo(31 + 3 * delta, 3);
    const sse = diffs.reduce((a, v) => a + (v - delta) ** 2, 0);
    // forecast::Arima's σ²: SSE / (n − k + 1), k = 2 (drift and σ²)
    const sd3 = Math.sqrt((3 * sse) / (diffs.length - 1));
    expect((f.hi95[2] as number) - (f.mean[2] as number)).toBeCloseTo(1.959963984540054 * sd3, 3);
  });

  it('the automatic search returns a seasonal model with nested intervals', () => {
    const fit = autoArima(airPassengers, 12);
    expect(fit?.order.d).toBe(1);
    expect(fit?.order.D).toBe(1);
    const r = forecast(airPassengers, { horizon: 12, method: 'arima' });
    expect(r.method).toMatch(/^ARIMA\(\d,1,\d\)\(\d,1,\d\)\[12\]$/);
    expectNestedIntervals(r);
  });
});

describe('temporal aggregation (MAPA, Kourentzes et al. 2014)', () => {
  it('aggregates into bucket means counted back from the last month', () => {
    // 1 … 7 in buckets of 3 from the end: (2, 3, 4) and (5, 6, 7); the leading 1 is dropped
    expect(aggregateMeans([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([3, 6]);
    expect(aggregateMeans([1, 2, 3, 4, 5, 6, 7], 1)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(aggregateMeans([4, 8], 3)).toEqual([]);
  });

  it('places each bucket forecast at its centre and joins the centres by straight lines', () => {
    // k = 3: the last observed bucket (months −2, −1, 0) is centred at month −1, the first
    // bucket ahead (1, 2, 3) at month 2, the second (4, 5, 6) at month 5. Values 10, 16, 22
    // lie on a line of slope 2 a month through (−1, 10), so month t is 10 + 2·(t + 1).
    expect(monthlyPath([10, 16, 22], 3, 4)).toEqual([14, 16, 18, 20]);
    // k = 1: the path is the forecast itself
    expect(monthlyPath([5, 6, 9], 1, 2)).toEqual([6, 9]);
  });

  it('continues a line at every level that can fit a trend, by hand', () => {
    // y_t = 100 + 2t ± 0.5 (t = 0 … 59, + at odd t), no seasonality. Levels 1 … 10 have six
    // or more buckets (11 and 12 have five and are skipped). Levels 1 … 8 fit ETS(A,A,N) on
    // a line and continue it: month h after the origin is 100 + 2·(59 + h). Levels 9 and 10
    // have six buckets, where the trend models' AICc is undefined (5 parameters, n − k − 1 =
    // 0), so ETS(A,N,N) with α → 1 forecasts the last bucket's mean: level 9 the mean of
    // t = 51 … 59 = 210 + (5 · 0.5 − 4 · 0.5)/9 = 210.0556, level 10 of t = 50 … 59 = 209.
    const y = Array.from({ length: 60 }, (_, t) => 100 + 2 * t + (t % 2 ? 0.5 : -0.5));
    const r = mapaForecast(y, 18, 12);
    expect(r?.levels).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r?.seasonal).toBe(false);
    for (const h of [1, 6, 18]) {
      const expected = (8 * (100 + 2 * (59 + h)) + 210.0556 + 209) / 10;
      expect(Math.abs((r?.mean[h - 1] as number) - expected)).toBeLessThan(0.05);
    }
    // the level-1 model's half-widths around the combined mean, widening with the horizon
    const half = (k: number) => ((r?.hi95[k] as number) - (r?.lo95[k] as number)) / 2;
    expect(r?.lo95[0]).toBeLessThan(r?.lo80[0] as number);
    expect(r?.hi80[0]).toBeLessThan(r?.hi95[0] as number);
    expect(half(17)).toBeGreaterThan(half(0));
    expect(forecast(y, { horizon: 3, method: 'mapa' }).method).toBe('mapa');
  });

  it('multiplies the seasonal figure back in', () => {
    // a positive series with a strong monthly pattern: the forecast keeps the pattern's
    // peak in the peak month (December) and its trough in the trough month (June)
    const shape = [1, 0.9, 0.95, 0.85, 0.8, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.4];
    const y = Array.from({ length: 72 }, (_, t) => (200 + t) * (shape[t % 12] as number));
    const r = mapaForecast(y, 12, 12);
    expect(r?.seasonal).toBe(true);
    const f = r?.mean ?? [];
    // the last month is t = 71, position 11; month h ahead is position (71 + h) % 12 = h − 1,
    // so f[p] is the forecast for position p: the peak 1.4 at p = 11, the trough 0.7 at p = 5
    expect(Math.max(...f)).toBe(f[11]);
    expect(Math.min(...f)).toBe(f[5]);
  });
});

describe('members fitted on logs (lambda = 0)', () => {
  it('turns symmetric log-scale bounds into bounds whose geometric midpoint is the median', () => {
    // ARIMA's bounds are mean ± z·sd on the logs, so exp gives lo·hi = exp(2·mean): the
    // back-transformed forecast is the geometric mean of each pair of bounds
    const r = forecast(airPassengers, { horizon: 12, method: 'arima-log' });
    expect(r.method).toMatch(/ on logs$/);
    for (let k = 0; k < 12; k++) {
      const mid95 = Math.sqrt((r.lo95[k] as number) * (r.hi95[k] as number));
      const mid80 = Math.sqrt((r.lo80[k] as number) * (r.hi80[k] as number));
      expect(mid95 / (r.mean[k] as number)).toBeCloseTo(1, 9);
      expect(mid80 / (r.mean[k] as number)).toBeCloseTo(1, 9);
    }
    // multiplicative on the original scale: the upper half-width is the wider one
    expect((r.hi95[11] as number) - (r.mean[11] as number)).toBeGreaterThan(
      (r.mean[11] as number) - (r.lo95[11] as number),
    );
  });

  it('fits a series with a zero as it is, and says so', () => {
    const y = airPassengers.map((v, t) => (t === 5 ? 0 : v));
    const r = forecast(y, { horizon: 6, method: 'mapa-log' });
    expect(r.method).toBe('mapa');
    expect(r.notes.join(' ')).toMatch(/fitted without the log transform/);
  });
});

describe('combination and calibrated intervals', () => {
  it('takes the median, the trimmed mean or the weighted mean', () => {
    expect(combineStep('median', [4, 1, 3, 10], [1, 1, 1, 1])).toBe(3.5);
    expect(combineStep('median', [4, 1, 3], [1, 1, 1])).toBe(3);
    expect(combineStep('mean', [4, 1], [3, 1])).toBe(3.25);
    // trimmed: drop the highest and the lowest, average the rest: (2 + 3 + 4) / 3
    expect(combineStep('trimmed', [100, 2, 3, -50, 4], [1, 1, 1, 1, 1])).toBe(3);
    // fewer than four members: the plain mean
    expect(combineStep('trimmed', [1, 2, 6], [1, 1, 1])).toBe(3);
  });

  it('places the bounds at mean + q·scale per horizon, reusing the last row past the table', () => {
    const table = [
      [-2, -1, 1, 2],
      [-3, -1.5, 1.25, 2.5],
    ] as const;
    const b = calibrated([100, 100, 100], [10, 10, 20], table);
    expect(b.lo95).toEqual([80, 70, 40]);
    expect(b.lo80).toEqual([90, 85, 70]);
    expect(b.hi80).toEqual([110, 112.5, 125]);
    expect(b.hi95).toEqual([120, 125, 150]);
  });

  it("auto's intervals nest and widen with the horizon on AirPassengers", () => {
    const r = forecast(airPassengers, { horizon: 18 });
    expectNestedIntervals(r);
    const w = (k: number) => (r.hi95[k] as number) - (r.lo95[k] as number);
    expect(w(17)).toBeGreaterThan(w(0));
  });
});
