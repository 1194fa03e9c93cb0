import { describe, expect, it } from 'vitest';
import { isSeasonal } from '../../src/core/forecast/decompose.js';
import { etsForecast, fitEts } from '../../src/core/forecast/ets.js';
import { forecast } from '../../src/core/forecast/index.js';
import { Z95 } from '../../src/core/forecast/prng.js';
import {
  airPassengers,
  airPassengersReference,
  expectNestedIntervals,
} from './forecast-fixture.js';

const y = airPassengers;
const ets = airPassengersReference.R_forecast_ets;

describe('ETS on AirPassengers against R forecast::ets', () => {
  it("matches R's AICc for the models R's optimiser cannot miss (ANN, MNN)", () => {
    const ann = fitEts(y, { error: 'A', trend: 'N', season: 'N' }, 12);
    const mnn = fitEts(y, { error: 'M', trend: 'N', season: 'N' }, 12);
    expect(ann?.aicc).toBeCloseTo(ets.published.AICc_by_model.ANN, 1);
    expect(mnn?.aicc).toBeCloseTo(ets.published.AICc_by_model.MNN, 1);
  });

  it("fits R's model ETS(M,Ad,M) as well as R, counting parameters like R (17 + sigma)", () => {
    const fit = fitEts(y, { error: 'M', trend: 'Ad', season: 'M' }, 12);
    expect(fit?.np).toBe(18);
    expect(Math.abs((fit?.aicc ?? 0) / ets.published.AICc - 1)).toBeLessThan(0.005);
    expect(fit?.phi).toBeGreaterThan(0.95);
  });

  it('auto picks multiplicative seasonality with AICc within 1% of R', () => {
    const r = forecast(y, { horizon: 12 });
    expect(r.method).toMatch(/ETS\(M,A[d]?,M\)/);
    expect(r.aicc).not.toBeNull();
    expect(Math.abs((r.aicc ?? 0) / ets.published.AICc - 1)).toBeLessThan(0.01);
  });

  it("method 'ets' (all initial states estimated) is at least as good as R's fit", () => {
    const r = forecast(y, { horizon: 12, method: 'ets' });
    expect(r.method).toMatch(/^ETS\(M,A[d]?,M\)$/);
    expect(r.aicc ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(ets.published.AICc * 1.01);
    // point forecasts within 3% of R's
    r.mean.forEach((v, k) => {
      expect(Math.abs(v / ets.published.forecast_h12.point[k] - 1)).toBeLessThan(0.03);
    });
  });

  it('simulated intervals are reproducible and ordered', () => {
    const fit = fitEts(y, { error: 'M', trend: 'A', season: 'M' }, 12, {
      seasonalInit: 'decomposition',
    });
    expect(fit).not.toBeNull();
    if (!fit) return;
    const a = etsForecast(fit, 12);
    const b = etsForecast(fit, 12);
    expect(a).toEqual(b);
    expectNestedIntervals(a);
  });

  it('analytic intervals of ETS(A,N,N) are σ·sqrt(1 + (h−1)α²)', () => {
    const fit = fitEts(y, { error: 'A', trend: 'N', season: 'N' }, 12);
    expect(fit).not.toBeNull();
    if (!fit) return;
    const f = etsForecast(fit, 3);
    for (let h = 1; h <= 3; h++) {
      const sd = Math.sqrt(fit.sigma2 * (1 + (h - 1) * fit.alpha ** 2));
      expect((f.hi95[h - 1] as number) - (f.mean[h - 1] as number)).toBeCloseTo(Z95 * sd, 8);
    }
  });

  it('finds AirPassengers seasonal and a trend line not', () => {
    expect(isSeasonal(y, 12)).toBe(true);
    expect(
      isSeasonal(
        Array.from({ length: 60 }, (_, t) => 100 + t),
        12,
      ),
    ).toBe(false);
  });
});
