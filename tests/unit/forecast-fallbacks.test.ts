import { describe, expect, it } from 'vitest';
import { FORECAST_METHODS, type ForecastResult, forecast } from '../../src/core/forecast/index.js';
import { mulberry32, normalSource } from '../../src/core/forecast/prng.js';
import { crostonForecast } from '../../src/core/forecast/simple.js';
import { thetaForecast } from '../../src/core/forecast/theta.js';

function allFinite(r: ForecastResult): boolean {
  return [r.mean, r.lo80, r.hi80, r.lo95, r.hi95].every((a) => a.every(Number.isFinite));
}

const noise = normalSource(mulberry32(7));

describe('forecast() input checks and fallbacks', () => {
  it('refuses empty series, non-finite values and bad horizons', () => {
    expect(() => forecast([], { horizon: 3 })).toThrow(/empty/);
    expect(() => forecast([1, Number.NaN, 3], { horizon: 3 })).toThrow(/value 2/);
    expect(() => forecast([1, 2, 3], { horizon: 0 })).toThrow(/horizon/);
  });

  it('forecasts zero for an all-zero series', () => {
    const r = forecast([0, 0, 0, 0, 0, 0, 0], { horizon: 4 });
    expect(r.method).toBe('zero');
    expect(r.mean).toEqual([0, 0, 0, 0]);
    expect(r.hi95).toEqual([0, 0, 0, 0]);
  });

  it('uses naive for very short series', () => {
    const r = forecast([5, 7], { horizon: 3 });
    expect(r.method).toBe('naive');
    expect(r.mean).toEqual([7, 7, 7]);
    expect(r.hi95[2]).toBeGreaterThan(r.hi95[0] as number);
  });

  it('leaves members that cannot be fitted out of the combination', () => {
    const line = (n: number) => Array.from({ length: n }, (_, t) => 10 + t + (t % 2));
    expect(forecast(line(4), { horizon: 2 }).method).toBe('naive');
    // five points: too few for MAPA's level 1 (six), so three members
    expect(forecast(line(5), { horizon: 2 }).method).toMatch(
      /^comb\(ETS\(A,N,N\), theta, ARIMA\(.+\) on logs\)$/,
    );
    expect(forecast(line(8), { horizon: 2 }).method).toMatch(
      /^comb\(ETS\(.+\), theta, ARIMA\(.+ on logs, mapa on logs\)$/,
    );
  });

  it('drops seasonality with fewer than two seasons', () => {
    const y = Array.from({ length: 18 }, (_, t) => 100 + 10 * Math.sin(t) + t);
    const r = forecast(y, { horizon: 6 });
    expect(r.notes.join(' ')).toMatch(/fewer than two seasons/);
    expect(r.method).toMatch(/ETS\([AM],(N|A|Ad),N\)/);
    expect(allFinite(r)).toBe(true);
  });

  it('uses SBA for intermittent demand, matching a hand computation', () => {
    // nonzero sizes 4 (after 2 periods) then 6 (after 3): z = 4 + 0.1(6−4) = 4.2,
    // p = 2 + 0.1(3−2) = 2.1, SBA = 0.95 · 4.2 / 2.1 = 1.9
    const y = [0, 4, 0, 0, 6, 0];
    expect(crostonForecast(y, 1, 'croston').mean[0]).toBeCloseTo(2, 10);
    expect(crostonForecast(y, 1, 'sba').mean[0]).toBeCloseTo(1.9, 10);
    const r = forecast([0, 0, 3, 0, 0, 0, 5, 0, 2, 0, 0, 4, 0, 0, 0, 1], { horizon: 5 });
    expect(r.method).toBe('sba');
    expect(r.lo95.every((v) => v >= 0)).toBe(true);
  });

  it('keeps multiplicative models away from negative data and stays finite', () => {
    const y = Array.from({ length: 40 }, (_, t) => 3 * noise() + (t % 12 < 6 ? -2 : 2));
    const r = forecast(y, { horizon: 12 });
    expect(r.method).not.toMatch(/M,/);
    expect(r.notes.join(' ')).toMatch(/multiplicative models excluded/);
    expect(allFinite(r)).toBe(true);
    expect(r.lo95.some((v) => v < 0)).toBe(true); // series with negatives are not clamped
  });

  it('clamps forecasts of a falling nonnegative series at zero', () => {
    const y = Array.from({ length: 30 }, (_, t) => Math.max(0, 300 - 10 * t + noise()));
    for (const method of ['auto', 'holt', 'theta', 'naive'] as const) {
      const r = forecast(y, { horizon: 24, method });
      expect(allFinite(r)).toBe(true);
      expect(Math.min(...r.mean, ...r.lo95)).toBeGreaterThanOrEqual(0);
    }
  });

  it('stays finite on a constant series', () => {
    const r = forecast(
      Array.from({ length: 36 }, () => 50),
      { horizon: 6 },
    );
    expect(allFinite(r)).toBe(true);
    r.mean.forEach((v) => {
      expect(v).toBeCloseTo(50, 6);
    });
  });

  it('every method returns the horizon asked for, ordered bounds', () => {
    const y = Array.from(
      { length: 60 },
      (_, t) => 200 + 2 * t + 30 * Math.sin((2 * Math.PI * t) / 12) + 5 * noise(),
    );
    for (const method of FORECAST_METHODS) {
      const r = forecast(y, { horizon: 7, method });
      expect(r.mean, method).toHaveLength(7);
      expect(allFinite(r), method).toBe(true);
      r.mean.forEach((v, k) => {
        expect(r.lo95[k], method).toBeLessThanOrEqual(r.lo80[k] as number);
        expect(r.lo80[k], method).toBeLessThanOrEqual(v);
        expect(r.hi80[k], method).toBeGreaterThanOrEqual(v);
        expect(r.hi95[k], method).toBeGreaterThanOrEqual(r.hi80[k] as number);
      });
    }
  });
});

describe('extreme inputs', () => {
  const rnd = mulberry32(1);
  const gens: Record<string, (n: number) => number[]> = {
    huge: (n) => Array.from({ length: n }, () => 1e12 * (1 + 0.1 * noise())),
    tiny: (n) => Array.from({ length: n }, () => 1e-9 * (1 + 0.5 * rnd())),
    spike: (n) => Array.from({ length: n }, (_, t) => (t === n - 1 ? 1e9 : 5 + noise())),
    lumpy: (n) => Array.from({ length: n }, (_, t) => (t % 12 === 0 ? 1000 : 1)),
    negative: (n) => Array.from({ length: n }, () => -1e6 * rnd()),
    exploding: (n) => Array.from({ length: n }, (_, t) => Math.exp(t / 5)),
  };
  const methods = ['auto', 'ets', 'snaive', 'holt', 'hw-multiplicative', 'theta', 'sba'] as const;
  it('never returns NaN or Infinity, in any field', () => {
    for (const [name, gen] of Object.entries(gens))
      for (const n of [1, 3, 13, 25, 50])
        for (const method of methods) {
          const r = forecast(gen(n), { horizon: 18, method });
          const label = `${name} n=${n} ${method}`;
          expect(allFinite(r), label).toBe(true);
          expect(r.mean, label).toHaveLength(18);
          expect(r.aicc === null || Number.isFinite(r.aicc), label).toBe(true);
          expect(Object.values(r.params).every(Number.isFinite), label).toBe(true);
        }
  });
});

describe('Theta', () => {
  it('on a straight line forecasts the last value plus half the slope per month', () => {
    // SES tracks the line almost exactly (alpha near 1), so the forecast is y_n + b/2·h
    const y = Array.from({ length: 30 }, (_, t) => 10 + 2 * t);
    const r = thetaForecast(y, 3, 12);
    expect(r?.seasonal).toBe(false);
    expect(r?.drift).toBeCloseTo(1, 10);
    expect(r?.mean[0]).toBeCloseTo(68 + 1 * (1 / (r?.alpha ?? 1)), 0);
    expect((r?.mean[2] as number) - (r?.mean[0] as number)).toBeCloseTo(2, 8);
  });
});
