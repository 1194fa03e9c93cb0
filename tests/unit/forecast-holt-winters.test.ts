import { describe, expect, it } from 'vitest';
import { fitHoltWinters } from '../../src/core/forecast/holt-winters.js';
import { forecast } from '../../src/core/forecast/index.js';
import {
  airPassengers,
  airPassengersReference,
  expectNestedIntervals,
} from './forecast-fixture.js';

const y = airPassengers;
const ref = airPassengersReference;
const hw = ref.R_stats_HoltWinters;

/** Same to three significant figures. */
function sig3(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(5e-4 * Math.abs(expected) + 1e-12);
}

describe("R's HoltWinters on AirPassengers", () => {
  it('has the data the reference describes', () => {
    expect(y).toHaveLength(ref.data.n);
    expect(y.reduce((a, b) => a + b, 0)).toBe(ref.data.sum);
  });

  for (const seasonal of ['additive', 'multiplicative'] as const) {
    it(`reproduces the ${seasonal} fit to three significant figures`, () => {
      const r = hw[seasonal].recomputed_independently;
      const fit = fitHoltWinters(y, 12, seasonal);
      expect(fit).not.toBeNull();
      if (!fit) return;
      expect(fit.lStart).toBeCloseTo(r.init_l_b_s[0], 8);
      expect(fit.bStart).toBeCloseTo(r.init_l_b_s[1], 8);
      fit.sStart.forEach((v, k) => {
        expect(v).toBeCloseTo(r.init_l_b_s[2][k], 8);
      });
      sig3(fit.alpha, r.alpha);
      sig3(fit.beta, r.beta);
      sig3(fit.gamma, r.gamma);
      sig3(fit.a, r.a);
      sig3(fit.b, r.b);
      fit.s.forEach((v, k) => {
        sig3(v, r.s1_s12[k]);
      });
      sig3(fit.sse, r.SSE);
    });
  }

  it('gives the SSE of fixed parameters exactly (R cases)', () => {
    const cases = hw.fixed_parameter_cases_R_SSE;
    const p = { alpha: 0.3, beta: 0.05, gamma: 0.2 };
    expect(fitHoltWinters(y, 12, 'additive', p)?.sse).toBeCloseTo(
      cases['additive alpha=.3 beta=.05 gamma=.2'],
      6,
    );
    expect(fitHoltWinters(y, 12, 'multiplicative', p)?.sse).toBeCloseTo(
      cases['multiplicative alpha=.3 beta=.05 gamma=.2'],
      6,
    );
  });

  it("exposes a, b, s1..s12 and SSE through forecast(), with R's point forecasts", () => {
    const r = forecast(y, { horizon: 12, method: 'hw-additive' });
    expect(r.method).toBe('hw-additive');
    sig3(r.params.a ?? Number.NaN, hw.additive.published.coefficients.a);
    sig3(r.params.s12 ?? Number.NaN, hw.additive.published.coefficients.s[11]);
    sig3(r.params.SSE ?? Number.NaN, hw.additive.published.SSE);
    r.mean.forEach((v, k) => {
      sig3(v, hw.forecasts_h1_12_computed.additive[k]);
    });
    expectNestedIntervals(r);
  });

  it('refuses multiplicative seasonality on data with zeros and falls back', () => {
    const z = y.map((v, t) => (t === 30 ? 0 : v));
    expect(fitHoltWinters(z, 12, 'multiplicative')).toBeNull();
    const r = forecast(z, { horizon: 3, method: 'hw-multiplicative' });
    expect(r.method).toBe('damped');
    expect(r.notes.join(' ')).toMatch(/positive values/);
  });
});
