/**
 * The Dynamic Optimised Theta Model (Fiorucci, Pellegrini, Louzada, Petropoulos & Koehler 2016,
 * IJF 32(4), §3.3), as in R's forecTheta::dotm: on the (multiplicatively) seasonally adjusted
 * series, with the 90% lag-12 autocorrelation test that the M3 Theta method used,
 *
 *   μ_t = ℓ_{t−1} + (1 − 1/θ)·[(1 − α)^{t−1}·A_{t−1} + (1 − (1 − α)^t)/α · B_{t−1}]
 *   ℓ_t = α·Y_t + (1 − α)·ℓ_{t−1}
 *   Ȳ_t = ((t − 1)·Ȳ_{t−1} + Y_t)/t
 *   B_t = ((t − 2)·B_{t−1} + 6·(Y_t − Ȳ_{t−1})/t)/(t + 1)
 *   A_t = Ȳ_t − (t + 1)/2 · B_t
 *
 * where A_t and B_t are the intercept and slope of the least-squares line through Y_1..Y_t,
 * updated as each observation arrives. ℓ_0, α ∈ (0, 1) and θ ≥ 1 minimise the one-step mean
 * squared error. With θ = 2 and static A, B this is the M3 Theta method.
 *
 * Intervals use the SES-equivalent variance σ²(1 + (h − 1)α²) on the adjusted scale; `auto`
 * recalibrates its combined intervals anyway (see calibration.ts).
 */
import type { Interval } from './ets.js';
import { nelderMead } from './optim.js';
import { psiInterval } from './prng.js';
import { reseason, seasonallyAdjust } from './seasonal-adjust.js';

export interface DotmFit {
  readonly alpha: number;
  readonly theta: number;
  readonly l0: number;
  readonly mse: number;
  readonly seasonal: boolean;
}

export interface DotmResult extends Interval {
  readonly fit: DotmFit;
}

interface State {
  level: number;
  mean: number;
  a: number;
  b: number;
}

/** One step of the recursion at time t (1-based): returns μ_t, then absorbs y. */
function step(s: State, t: number, alpha: number, theta: number, y: number): number {
  const q = 1 - alpha;
  const mu = s.level + (1 - 1 / theta) * (q ** (t - 1) * s.a + ((1 - q ** t) / alpha) * s.b);
  const v = y;
  const prevMean = s.mean;
  s.level = alpha * v + q * s.level;
  s.mean = ((t - 1) * prevMean + v) / t;
  s.b = t === 1 ? 0 : ((t - 2) * s.b + (6 * (v - prevMean)) / t) / (t + 1);
  s.a = s.mean - ((t + 1) / 2) * s.b;
  return mu;
}

/** Sum of squared one-step errors of the recursion over x, from state zero at ℓ_0. */
export function dotmSse(x: readonly number[], alpha: number, theta: number, l0: number): number {
  const s: State = { level: l0, mean: 0, a: 0, b: 0 };
  let sse = 0;
  for (let t = 1; t <= x.length; t++) {
    const v = x[t - 1] as number;
    const mu = step(s, t, alpha, theta, v);
    sse += (v - mu) * (v - mu);
  }
  return sse;
}

/**
 * Forecasts for fixed parameters (no seasonal adjustment), by the paper's eq. (13) as
 * forecTheta::dotm computes them: with ℓ_n, A_n, B_n the last states,
 * Ŷ_{n+h} = ℓ_n + (1 − 1/θ)·[(1 − α)^n·A_n + ((h − 1) + (1 − (1 − α)^{n+1})/α)·B_n].
 */
export function dotmPoint(
  x: readonly number[],
  h: number,
  alpha: number,
  theta: number,
  l0: number,
): number[] {
  const s: State = { level: l0, mean: 0, a: 0, b: 0 };
  const n = x.length;
  for (let t = 1; t <= n; t++) step(s, t, alpha, theta, x[t - 1] as number);
  const q = 1 - alpha;
  const w = 1 - 1 / theta;
  return Array.from(
    { length: h },
    (_, k) => s.level + w * (q ** n * s.a + (k + (1 - q ** (n + 1)) / alpha) * s.b),
  );
}

export function fitDotm(x: readonly number[]): Omit<DotmFit, 'seasonal'> | null {
  const n = x.length;
  // three parameters and σ: fewer than five points cannot pin them down
  if (n < 5) return null;
  const scale = x.reduce((a, v) => a + Math.abs(v), 0) / n || 1;
  // parameters on a common scale: α, θ, ℓ_0 / scale
  const obj = (p: Float64Array) => {
    const alpha = p[0] as number;
    const theta = p[1] as number;
    return dotmSse(x, alpha, theta, (p[2] as number) * scale);
  };
  const r = nelderMead(obj, [0.5, 2, (x[0] as number) / scale], {
    lower: [0.01, 1, Number.NEGATIVE_INFINITY],
    upper: [0.99, 100, Number.POSITIVE_INFINITY],
    step: [0.2, 0.5, 0.1],
    maxEvals: 300,
    tol: 1e-6,
  });
  if (!Number.isFinite(r.f)) return null;
  return {
    alpha: r.x[0] as number,
    theta: r.x[1] as number,
    l0: (r.x[2] as number) * scale,
    mse: r.f / n,
  };
}

export function dotmForecast(y: readonly number[], h: number, m: number): DotmResult | null {
  const n = y.length;
  const adj = seasonallyAdjust(y, m);
  const fit = fitDotm(adj.adjusted);
  if (!fit) return null;
  const mean = dotmPoint(adj.adjusted, h, fit.alpha, fit.theta, fit.l0);
  const sigma2 = (fit.mse * n) / Math.max(1, n - 3);
  const psi = mean.map((_, k) => (k === 0 ? 1 : fit.alpha));
  const b = psiInterval(mean, psi, sigma2);
  return {
    mean: reseason(mean, adj, n),
    lo80: reseason(b.lo80, adj, n),
    hi80: reseason(b.hi80, adj, n),
    lo95: reseason(b.lo95, adj, n),
    hi95: reseason(b.hi95, adj, n),
    fit: { ...fit, seasonal: adj.seasonal },
  };
}
