/**
 * Automatic ARIMA after R's forecast::auto.arima (Hyndman & Khandakar 2008), stepwise:
 *
 * - seasonal differencing D ∈ {0, 1} from the seasonal-strength heuristic of nsdiffs(test =
 *   "seas"): D = 1 when F_s = max(0, 1 − Var(R)/Var(S + R)) > 0.64 (the member of `auto`
 *   uses 0.8, chosen by rolling-origin validation: see calibration.ts). R measures F_s on an
 *   STL decomposition; here the classical additive decomposition supplies S and R;
 * - then d ∈ {0, 1, 2} from repeated KPSS level-stationarity tests at 5% (ndiffs: urca's
 *   ur.kpss with lags trunc(3·√n/13), as forecast::ndiffs sets them, critical value 0.463);
 * - a constant (mean when d + D = 0, drift when d + D = 1) is allowed only when d + D ≤ 1;
 * - the stepwise search starts from (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0),
 *   (0,d,1)(0,D,1) and the no-constant null model, then moves p, q, P, Q by ±1 (alone and in
 *   pairs) and toggles the constant while AICc improves, within p, q ≤ 5, P, Q ≤ 2 and
 *   p + q + P + Q ≤ 5. Models with AR or MA roots within 1.01 of the unit circle are refused,
 *   as R does.
 *
 * Estimation: the regression part (mean or drift) is removed, the series is differenced, and
 * the ARMA coefficients minimise the sum of squared innovations with zero pre-sample values
 * (a conditional-sum-of-squares fit over every differenced point, so that models of different
 * orders are compared on the same observations), by Levenberg–Marquardt. fitArima's default
 * then refines them by exact Gaussian likelihood (Kalman filter, exactArma), as R's CSS-ML:
 * on AirPassengers it reproduces R's ARIMA(2,1,1)(0,1,0)[12] to the printed digits. A
 * nonseasonal search fits every model that way, as auto.arima(approximation = FALSE) does (the
 * filter's state is small, so it is cheap); a seasonal search ranks models by the conditional
 * fit (as auto.arima(approximation = TRUE)) and refits its leading `refit` models by exact
 * likelihood, off by default for speed.
 * AICc counts the coefficients and σ².
 *
 * Forecasts and intervals come from the ψ-weights of the full (differenced) model:
 * Var_h = σ²·Σ_{j<h} ψ_j².
 */
import { decompose } from './decompose.js';
import type { Interval } from './ets.js';
import { psiInterval } from './prng.js';

export interface ArimaOrder {
  readonly p: number;
  readonly d: number;
  readonly q: number;
  readonly P: number;
  readonly D: number;
  readonly Q: number;
  readonly m: number;
  readonly constant: boolean;
}

export interface ArimaFit {
  readonly order: ArimaOrder;
  readonly ar: readonly number[];
  readonly ma: readonly number[];
  readonly sar: readonly number[];
  readonly sma: readonly number[];
  /** Mean (d + D = 0) or drift per period (d + D = 1); 0 without a constant. */
  readonly constant: number;
  readonly sigma2: number;
  readonly aicc: number;
  readonly y: readonly number[];
  /** Innovations of the differenced series (same length as it). */
  readonly residuals: readonly number[];
}

export function arimaName(o: ArimaOrder): string {
  const seasonal =
    o.m > 1 && (o.P > 0 || o.D > 0 || o.Q > 0) ? `(${o.P},${o.D},${o.Q})[${o.m}]` : '';
  const c = o.constant ? (o.d + o.D === 0 ? ' with mean' : ' with drift') : '';
  return `ARIMA(${o.p},${o.d},${o.q})${seasonal}${c}`;
}

/**
 * KPSS level-stationarity statistic with Bartlett weights; `lags` defaults to forecast::ndiffs'
 * choice, trunc(3·√n/13) (Hobijn et al. 1998), not urca's own "short" trunc(4·(n/100)^¼).
 */
export function kpss(x: readonly number[], lags?: number): number {
  const n = x.length;
  const mu = x.reduce((a, v) => a + v, 0) / n;
  const e = x.map((v) => v - mu);
  let s = 0;
  let num = 0;
  for (const v of e) {
    s += v;
    num += s * s;
  }
  num /= n * n;
  const l = lags ?? Math.trunc((3 * Math.sqrt(n)) / 13);
  let lr = e.reduce((a, v) => a + v * v, 0) / n;
  for (let k = 1; k <= l; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += (e[t] as number) * (e[t - k] as number);
    lr += (2 * (1 - k / (l + 1)) * c) / n;
  }
  return lr > 0 ? num / lr : 0;
}

const KPSS_5 = 0.463;

function isConstant(x: readonly number[]): boolean {
  return x.every((v) => v === x[0]);
}

export function diff(x: readonly number[], lag = 1): number[] {
  const out: number[] = [];
  for (let t = lag; t < x.length; t++) out.push((x[t] as number) - (x[t - lag] as number));
  return out;
}

/** ndiffs: KPSS at 5%, at most `maxD` differences. */
export function ndiffs(x: readonly number[], maxD = 2): number {
  let d = 0;
  let cur = [...x];
  if (isConstant(cur) || cur.length < 4) return 0;
  while (d < maxD && kpss(cur) > KPSS_5) {
    d++;
    cur = diff(cur);
    if (isConstant(cur) || cur.length < 4) break;
  }
  return d;
}

/** Seasonal strength of the classical additive decomposition; nsdiffs' heuristic at 0.64. */
export function seasonalStrength(x: readonly number[], m: number): number {
  const dec = decompose(x, m, 'additive');
  const r: number[] = [];
  const sr: number[] = [];
  for (let t = 0; t < x.length; t++) {
    const tr = dec.trend[t] as number;
    if (!Number.isFinite(tr)) continue;
    const s = dec.figure[t % m] as number;
    r.push((x[t] as number) - tr - s);
    sr.push((x[t] as number) - tr);
  }
  const variance = (a: readonly number[]) => {
    const mu = a.reduce((p, v) => p + v, 0) / a.length;
    return a.reduce((p, v) => p + (v - mu) ** 2, 0) / Math.max(1, a.length - 1);
  };
  const vsr = variance(sr);
  return vsr > 0 ? Math.max(0, Math.min(1, 1 - variance(r) / vsr)) : 0;
}

/** nsdiffs(test = "seas"): one seasonal difference when the strength exceeds `threshold`. */
export function nsdiffs(x: readonly number[], m: number, threshold = 0.64): number {
  if (m < 2 || x.length < 2 * m + 1 || isConstant(x)) return 0;
  return seasonalStrength(x, m) > threshold ? 1 : 0;
}

/** Coefficients of φ(B)·Φ(B^m) as lag → coefficient (sign convention x_t = Σ c_j x_{t−j}). */
function multiply(a: readonly number[], s: readonly number[], m: number, sign: 1 | -1) {
  // polynomials 1 − sign·Σ a_i B^i and 1 − sign·Σ s_j B^{jm}; returns the lags and values of
  // the product written as 1 − sign·Σ c_k B^k. Lags i + j·m never collide while a.length < m.
  const lags: number[] = [];
  const coefs: number[] = [];
  productInto(a, s, m, sign, lags, coefs);
  return { lags, coefs };
}

/** multiply() into reusable arrays (cleared first); the hot path of the fit. */
function productInto(
  a: ArrayLike<number>,
  s: ArrayLike<number>,
  m: number,
  sign: 1 | -1,
  lags: number[],
  coefs: number[],
): void {
  lags.length = 0;
  coefs.length = 0;
  const dense = a.length >= m && s.length > 0;
  const acc = dense ? new Map<number, number>() : null;
  for (let j = 0; j <= s.length; j++) {
    const w = j === 0 ? 1 : -sign * (s[j - 1] as number);
    for (let i = 0; i <= a.length; i++) {
      if (i === 0 && j === 0) continue;
      const u = i === 0 ? 1 : -sign * (a[i - 1] as number);
      const lag = i + j * m;
      if (acc) acc.set(lag, (acc.get(lag) ?? 0) + u * w);
      else {
        lags.push(lag);
        coefs.push(-sign * u * w);
      }
    }
  }
  if (acc)
    for (const [lag, v] of [...acc].sort((x, y) => x[0] - y[0])) {
      lags.push(lag);
      coefs.push(-sign * v);
    }
}

/**
 * All roots of 1 − sign·Σ c_i z^i outside the circle of radius `margin` (step-down / Schur
 * test); sign −1 tests an MA polynomial 1 + Σ θ_i z^i.
 */
export function rootsOutside(c: ArrayLike<number>, margin = 1.01, sign: 1 | -1 = 1): boolean {
  let k = c.length;
  if (rootBuf.length < k) {
    rootBuf = new Float64Array(k);
    nextBuf = new Float64Array(k);
  }
  const a = rootBuf;
  const next = nextBuf;
  let scale = margin;
  for (let i = 0; i < k; i++) {
    a[i] = sign * (c[i] as number) * scale;
    scale *= margin;
  }
  while (k > 0 && Math.abs(a[k - 1] as number) < 1e-12) k--;
  for (; k >= 1; k--) {
    const r = a[k - 1] as number;
    if (Math.abs(r) >= 1) return false;
    for (let j = 0; j < k - 1; j++)
      next[j] = ((a[j] as number) + r * (a[k - 2 - j] as number)) / (1 - r * r);
    for (let j = 0; j < k - 1; j++) a[j] = next[j] as number;
  }
  return true;
}

let rootBuf = new Float64Array(8);
let nextBuf = new Float64Array(8);

function regression(y: readonly number[], o: ArimaOrder, c: number): number[] {
  if (!o.constant) return [...y];
  return o.d + o.D === 0 ? y.map((v) => v - c) : y.map((v, t) => v - c * (t + 1));
}

function differenced(x: readonly number[], o: ArimaOrder): number[] {
  let w = [...x];
  for (let i = 0; i < o.D; i++) w = diff(w, o.m);
  for (let i = 0; i < o.d; i++) w = diff(w, 1);
  return w;
}

/** Innovations of an ARMA with sparse lags over w, zero before the start; returns SSE. */
function innovations(
  w: ArrayLike<number>,
  ar: { lags: number[]; coefs: number[] },
  ma: { lags: number[]; coefs: number[] },
  e: Float64Array,
): number {
  let sse = 0;
  for (let t = 0; t < w.length; t++) {
    let v = w[t] as number;
    for (let i = 0; i < ar.lags.length; i++) {
      const k = ar.lags[i] as number;
      if (k <= t) v -= (ar.coefs[i] as number) * (w[t - k] as number);
    }
    for (let i = 0; i < ma.lags.length; i++) {
      const k = ma.lags[i] as number;
      if (k <= t) v -= (ma.coefs[i] as number) * (e[t - k] as number);
    }
    e[t] = v;
    sse += v * v;
  }
  return sse;
}

/**
 * Exact Gaussian likelihood of a zero-mean ARMA (sparse lags, σ² = 1 scale) over w by the
 * Kalman filter on Harvey's state-space form, as R's arima() (method "ML" after "CSS"):
 * state dimension r = max(p, q + 1), initial covariance the stationary one, Σ_k g_k g_kᵀ with
 * g_0 = (1, θ_1, …), g_k = T g_{k−1} (Gardner et al.'s P0, summed until the terms vanish).
 * Once F_t has settled at 1 the filter is in its steady state and runs as the plain
 * innovations recursion. Writes v_t/√F_t · exp(Σ log F/(2n)) into `e`, so that the sum of
 * squares it returns, S·(Π F_t)^(1/n), is minimal exactly where the concentrated likelihood
 * n·log(S/n) + Σ log F_t is; `stats` receives S and Σ log F_t.
 */
interface Workspace {
  readonly phi: Float64Array;
  readonly rv: Float64Array;
  readonly P: Float64Array;
  readonly g: Float64Array;
  readonly gn: Float64Array;
  readonly a: Float64Array;
  readonly tp: Float64Array;
  readonly col: Float64Array;
}

const workspaces = new Map<number, Workspace>();

/** Zeroed buffers for a filter of state dimension r, reused across calls (the hot path). */
function workspace(r: number): Workspace {
  let ws = workspaces.get(r);
  if (!ws) {
    ws = {
      phi: new Float64Array(r + 1),
      rv: new Float64Array(r),
      P: new Float64Array(r * r),
      g: new Float64Array(r),
      gn: new Float64Array(r),
      a: new Float64Array(r),
      tp: new Float64Array(r * r),
      col: new Float64Array(r),
    };
    workspaces.set(r, ws);
  } else for (const b of Object.values(ws) as Float64Array[]) b.fill(0);
  return ws;
}

export function exactArma(
  w: ArrayLike<number>,
  ar: { lags: readonly number[]; coefs: readonly number[] },
  ma: { lags: readonly number[]; coefs: readonly number[] },
  e: Float64Array,
  stats?: { s: number; sumLogF: number },
): number {
  const n = w.length;
  const p = ar.lags.length > 0 ? (ar.lags[ar.lags.length - 1] as number) : 0;
  const q = ma.lags.length > 0 ? (ma.lags[ma.lags.length - 1] as number) : 0;
  const r = Math.max(p, q + 1);
  const ws = workspace(r);
  const { phi, rv, P, g, gn, a, tp, col } = ws;
  for (let i = 0; i < ar.lags.length; i++) phi[(ar.lags[i] as number) - 1] = ar.coefs[i] as number;
  rv[0] = 1;
  for (let i = 0; i < ma.lags.length; i++) rv[ma.lags[i] as number] = ma.coefs[i] as number;
  // stationary covariance of the state
  g.set(rv);
  for (let k = 0; k < 400; k++) {
    let norm = 0;
    for (let i = 0; i < r; i++) {
      const gi = g[i] as number;
      if (gi === 0) continue;
      norm += gi * gi;
      for (let j = 0; j < r; j++) P[i * r + j] = (P[i * r + j] as number) + gi * (g[j] as number);
    }
    if (norm < 1e-14 * Math.max(1, P[0] as number)) break;
    const g0 = g[0] as number;
    for (let i = 0; i < r; i++)
      gn[i] = (phi[i] as number) * g0 + (i + 1 < r ? (g[i + 1] as number) : 0);
    g.set(gn);
  }
  let s = 0;
  let sumLogF = 0;
  let steady = false;
  for (let t = 0; t < n; t++) {
    const v = (w[t] as number) - (a[0] as number);
    if (steady) {
      s += v * v;
      e[t] = v;
      for (let i = 0; i < r; i++) a[i] = (a[i] as number) + (rv[i] as number) * v;
    } else {
      const F = P[0] as number;
      if (!(F > 0)) return Number.POSITIVE_INFINITY;
      s += (v * v) / F;
      sumLogF += Math.log(F);
      e[t] = v / Math.sqrt(F);
      for (let i = 0; i < r; i++) col[i] = P[i * r] as number;
      for (let i = 0; i < r; i++) {
        const pi0 = (col[i] as number) / F;
        a[i] = (a[i] as number) + pi0 * v;
        if (pi0 === 0) continue;
        for (let j = 0; j < r; j++)
          P[i * r + j] = (P[i * r + j] as number) - pi0 * (col[j] as number);
      }
      // P ← T P Tᵀ + R Rᵀ
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++)
          tp[i * r + j] =
            (phi[i] as number) * (P[j] as number) +
            (i + 1 < r ? (P[(i + 1) * r + j] as number) : 0);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++)
          P[i * r + j] =
            (phi[j] as number) * (tp[i * r] as number) +
            (j + 1 < r ? (tp[i * r + j + 1] as number) : 0) +
            (rv[i] as number) * (rv[j] as number);
      if (Math.abs(F - 1) < 1e-9 && Math.abs((P[0] as number) - 1) < 1e-9) steady = true;
    }
    // a ← T a
    const a0 = a[0] as number;
    for (let i = 0; i < r; i++)
      a[i] = (phi[i] as number) * a0 + (i + 1 < r ? (a[i + 1] as number) : 0);
  }
  if (stats) {
    stats.s = s;
    stats.sumLogF = sumLogF;
  }
  const scale = Math.exp(sumLogF / (2 * n));
  for (let t = 0; t < n; t++) e[t] = (e[t] as number) * scale;
  return s * scale * scale;
}

export interface FitOptions {
  /** "ml" (default): CSS estimates refined by exact maximum likelihood, as R's CSS-ML. */
  readonly method?: 'css' | 'ml';
}

export function fitArima(
  y: readonly number[],
  o: ArimaOrder,
  fitOpts: FitOptions = {},
): ArimaFit | null {
  const nArma = o.p + o.q + o.P + o.Q;
  const nstar = y.length - o.d - o.D * o.m;
  const k = nArma + (o.constant ? 1 : 0) + 1;
  if (nstar - k - 1 <= 0 || nstar < 3) return null;
  // starting value and scale of the constant
  const w0 = differenced(y, { ...o, constant: false });
  const mean0 = w0.reduce((a, v) => a + v, 0) / w0.length;
  const c0 = !o.constant ? 0 : o.d + o.D === 0 ? mean0 : o.D === 1 ? mean0 / o.m : mean0;
  const sd0 = Math.sqrt(w0.reduce((a, v) => a + (v - mean0) ** 2, 0) / w0.length) || 1;
  const e = new Float64Array(nstar);
  const split = (x: Float64Array) => {
    const ar = x.subarray(0, o.p);
    const ma = x.subarray(o.p, o.p + o.q);
    const sar = x.subarray(o.p + o.q, o.p + o.q + o.P);
    const sma = x.subarray(o.p + o.q + o.P, nArma);
    return { ar, ma, sar, sma, c: o.constant ? c0 + (x[nArma] as number) * sd0 : 0 };
  };
  // differencing is linear: w(c) = Δy − c·Δ(regressor), both differenced once here
  const wy = Float64Array.from(w0);
  const wr = o.constant
    ? Float64Array.from(differenced(o.d + o.D === 0 ? y.map(() => 1) : y.map((_, t) => t + 1), o))
    : null;
  const wBuf = new Float64Array(nstar);
  const wFor = (c: number): Float64Array => {
    if (!wr) return wy;
    for (let t = 0; t < nstar; t++) wBuf[t] = (wy[t] as number) - c * (wr[t] as number);
    return wBuf;
  };
  const ar = { lags: [] as number[], coefs: [] as number[] };
  const ma = { lags: [] as number[], coefs: [] as number[] };
  const objective = (x: Float64Array) => {
    const s = split(x);
    if (o.p > 0 && !rootsOutside(s.ar)) return Number.POSITIVE_INFINITY;
    if (o.P > 0 && !rootsOutside(s.sar)) return Number.POSITIVE_INFINITY;
    if (o.q > 0 && !rootsOutside(s.ma, 1.01, -1)) return Number.POSITIVE_INFINITY;
    if (o.Q > 0 && !rootsOutside(s.sma, 1.01, -1)) return Number.POSITIVE_INFINITY;
    productInto(s.ar, s.sar, o.m, 1, ar.lags, ar.coefs);
    productInto(s.ma, s.sma, o.m, -1, ma.lags, ma.coefs);
    return innovations(wFor(s.c), ar, ma, e);
  };
  const dim = nArma + (o.constant ? 1 : 0);
  let x = dim > 0 ? levenbergMarquardt(objective, e, dim) : new Float64Array(0);
  let sigma2: number;
  let lik: number;
  if ((fitOpts.method ?? 'ml') === 'ml') {
    const stats = { s: 0, sumLogF: 0 };
    const exact = (z: Float64Array) => {
      const u = split(z);
      if (o.p > 0 && !rootsOutside(u.ar)) return Number.POSITIVE_INFINITY;
      if (o.P > 0 && !rootsOutside(u.sar)) return Number.POSITIVE_INFINITY;
      productInto(u.ar, u.sar, o.m, 1, ar.lags, ar.coefs);
      productInto(u.ma, u.sma, o.m, -1, ma.lags, ma.coefs);
      return exactArma(wFor(u.c), ar, ma, e, stats);
    };
    // from the conditional estimates a few steps suffice
    if (dim > 0) x = levenbergMarquardt(exact, e, dim, x, 8);
    if (!Number.isFinite(exact(x))) return null;
    // R refuses non-invertible MA fits the same way (the 1.01 margin in auto.arima)
    const u = split(x);
    if (o.q > 0 && !rootsOutside(u.ma, 1.01, -1)) return null;
    if (o.Q > 0 && !rootsOutside(u.sma, 1.01, -1)) return null;
    const s2 = stats.s / nstar;
    if (!(s2 > 0)) return null;
    lik = -0.5 * (nstar * Math.log(2 * Math.PI * s2) + stats.sumLogF + nstar);
    // forecast::Arima's σ²: the squared standardised innovations over nstar − k + 1
    sigma2 = stats.s / (nstar - k + 1);
  } else {
    const sse0 = objective(x);
    if (!Number.isFinite(sse0)) return null;
    sigma2 = sse0 / nstar;
    if (!(sigma2 > 0)) return null;
    lik = -0.5 * nstar * (Math.log(2 * Math.PI * sigma2) + 1);
  }
  const s = split(x);
  // residuals for the forecast recursion: the innovations at the final coefficients
  if (!Number.isFinite(objective(x))) return null;
  const aic = -2 * lik + 2 * k;
  const aicc = aic + (2 * k * (k + 1)) / (nstar - k - 1);
  return {
    order: o,
    ar: Array.from(s.ar),
    ma: Array.from(s.ma),
    sar: Array.from(s.sar),
    sma: Array.from(s.sma),
    constant: s.c,
    sigma2,
    aicc,
    y,
    residuals: Array.from(e),
  };
}

/**
 * Minimises the sum of squares returned by `sse` (which leaves the residuals in `e`) by
 * Levenberg–Marquardt with a forward-difference Jacobian, from zero. Infeasible points (the
 * objective returns Infinity) count as failed steps.
 */
function levenbergMarquardt(
  sse: (x: Float64Array) => number,
  e: Float64Array,
  dim: number,
  start?: Float64Array,
  maxIter = 25,
): Float64Array {
  const n = e.length;
  let x = start ? Float64Array.from(start) : new Float64Array(dim);
  let f = sse(x);
  if (!Number.isFinite(f)) return x;
  const r = Float64Array.from(e);
  const jac = Array.from({ length: dim }, () => new Float64Array(n));
  const jtj = Array.from({ length: dim }, () => new Float64Array(dim));
  const jtr = new Float64Array(dim);
  const xi = new Float64Array(dim);
  let lambda = 1e-3;
  const h = 1e-6;
  for (let iter = 0; iter < maxIter; iter++) {
    for (let i = 0; i < dim; i++) {
      xi.set(x);
      xi[i] = (xi[i] as number) + h;
      const fi = sse(xi);
      const col = jac[i] as Float64Array;
      if (!Number.isFinite(fi)) {
        // step backwards at the edge of the feasible region
        xi[i] = (x[i] as number) - h;
        sse(xi);
        for (let t = 0; t < n; t++) col[t] = ((r[t] as number) - (e[t] as number)) / h;
      } else for (let t = 0; t < n; t++) col[t] = ((e[t] as number) - (r[t] as number)) / h;
    }
    for (let i = 0; i < dim; i++) {
      const ci = jac[i] as Float64Array;
      let g = 0;
      for (let t = 0; t < n; t++) g += (ci[t] as number) * (r[t] as number);
      jtr[i] = g;
      for (let j = 0; j <= i; j++) {
        const cj = jac[j] as Float64Array;
        let v = 0;
        for (let t = 0; t < n; t++) v += (ci[t] as number) * (cj[t] as number);
        (jtj[i] as Float64Array)[j] = v;
        (jtj[j] as Float64Array)[i] = v;
      }
    }
    let accepted = false;
    for (let tries = 0; tries < 10 && !accepted; tries++) {
      const step = solve(jtj, jtr, lambda);
      const xn = Float64Array.from(x, (v, i) => v - (step[i] as number));
      const fn = step.every(Number.isFinite) ? sse(xn) : Number.POSITIVE_INFINITY;
      if (fn < f) {
        const gain = (f - fn) / Math.max(f, 1e-300);
        x = xn;
        f = fn;
        r.set(e);
        lambda = Math.max(lambda / 3, 1e-9);
        accepted = true;
        if (gain < 1e-6) return x;
      } else lambda *= 4;
    }
    if (!accepted) break;
  }
  sse(x);
  return x;
}

/** Solves (A + λ·diag(A))·s = b by Gaussian elimination with partial pivoting. */
function solve(a: readonly Float64Array[], b: Float64Array, lambda: number): Float64Array {
  const d = b.length;
  const m: Float64Array[] = a.map((row, i) => {
    const out = new Float64Array(d + 1);
    out.set(row);
    out[i] = (row[i] as number) * (1 + lambda) + 1e-12;
    out[d] = b[i] as number;
    return out;
  });
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let i = c + 1; i < d; i++)
      if (
        Math.abs((m[i] as Float64Array)[c] as number) >
        Math.abs((m[piv] as Float64Array)[c] as number)
      )
        piv = i;
    const tmp = m[c] as Float64Array;
    m[c] = m[piv] as Float64Array;
    m[piv] = tmp;
    const rc = m[c] as Float64Array;
    const p = rc[c] as number;
    if (p === 0) return new Float64Array(d).fill(Number.NaN);
    for (let i = c + 1; i < d; i++) {
      const ri = m[i] as Float64Array;
      const f = (ri[c] as number) / p;
      if (f !== 0) for (let j = c; j <= d; j++) ri[j] = (ri[j] as number) - f * (rc[j] as number);
    }
  }
  const s = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    const ri = m[i] as Float64Array;
    let v = ri[d] as number;
    for (let j = i + 1; j < d; j++) v -= (ri[j] as number) * (s[j] as number);
    s[i] = v / (ri[i] as number);
  }
  return s;
}

export interface AutoArimaOptions {
  readonly maxP?: number;
  readonly maxQ?: number;
  readonly maxOrder?: number;
  /**
   * How many of the search's leading models are refitted by exact likelihood. Default 0: on
   * the M3 dev half two refits moved ARIMA alone from sMAPE 15.22 to 15.08 at four times the
   * CPU (about 30 ms a series against 7), which the ≥100 series/s goal cannot carry.
   */
  readonly refit?: number;
  /**
   * Fit every model of the search by exact likelihood (CSS-ML), as auto.arima does with
   * approximation = FALSE (its default below 150 observations). Default: on for nonseasonal
   * models, where the filter's state is small and this costs a few milliseconds a series; off
   * for seasonal ones (state dimension up to 27), where it costs ~100 times the CSS search.
   */
  readonly exact?: boolean;
  /**
   * Seasonal strength above which the series is differenced seasonally; default R's 0.64,
   * tuned for auto.arima's exact-likelihood fits. The member of `auto` uses a higher one
   * (calibration.ts, ARIMA_MEMBER_SEASONAL_THRESHOLD).
   */
  readonly seasonalThreshold?: number;
}

export function autoArima(
  y: readonly number[],
  m: number,
  opts: AutoArimaOptions = {},
): ArimaFit | null {
  const n = y.length;
  if (n < 5 || isConstant(y)) return null;
  const mm = m > 1 && n >= 2 * m + 1 ? m : 1;
  const D = mm > 1 ? nsdiffs(y, mm, opts.seasonalThreshold ?? 0.64) : 0;
  const dx = D > 0 ? diff(y, mm) : [...y];
  const d = ndiffs(dx);
  const maxp = opts.maxP ?? 5;
  const maxq = opts.maxQ ?? 5;
  const maxOrder = opts.maxOrder ?? 5;
  const maxP = mm > 1 ? 2 : 0;
  const maxQ = mm > 1 ? 2 : 0;
  const allowConstant = d + D <= 1;
  const exactSearch = opts.exact ?? mm === 1;
  const tried = new Map<string, ArimaFit | null>();
  let best: ArimaFit | null = null;
  const tryFit = (p: number, q: number, P: number, Q: number, constant: boolean): boolean => {
    if (p < 0 || q < 0 || P < 0 || Q < 0 || p > maxp || q > maxq || P > maxP || Q > maxQ)
      return false;
    if (p + q + P + Q > maxOrder) return false;
    if (constant && !allowConstant) return false;
    const key = `${p},${q},${P},${Q},${constant}`;
    if (tried.has(key)) return false;
    const fit = fitArima(
      y,
      { p, d, q, P, D, Q, m: mm, constant },
      { method: exactSearch ? 'ml' : 'css' },
    );
    tried.set(key, fit);
    if (fit && Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) {
      best = fit;
      return true;
    }
    return false;
  };
  const seasonal = mm > 1;
  tryFit(Math.min(2, maxp), Math.min(2, maxq), seasonal ? 1 : 0, seasonal ? 1 : 0, allowConstant);
  tryFit(0, 0, 0, 0, allowConstant);
  tryFit(1, 0, seasonal ? 1 : 0, 0, allowConstant);
  tryFit(0, 1, 0, seasonal ? 1 : 0, allowConstant);
  if (allowConstant) tryFit(0, 0, 0, 0, false);
  for (let guard = 0; guard < 94 && best; guard++) {
    const b: ArimaOrder = (best as ArimaFit).order;
    const moves: [number, number, number, number, boolean][] = [
      [b.p, b.q, b.P - 1, b.Q, b.constant],
      [b.p, b.q, b.P + 1, b.Q, b.constant],
      [b.p, b.q, b.P, b.Q - 1, b.constant],
      [b.p, b.q, b.P, b.Q + 1, b.constant],
      [b.p, b.q, b.P - 1, b.Q - 1, b.constant],
      [b.p, b.q, b.P - 1, b.Q + 1, b.constant],
      [b.p, b.q, b.P + 1, b.Q - 1, b.constant],
      [b.p, b.q, b.P + 1, b.Q + 1, b.constant],
      [b.p - 1, b.q, b.P, b.Q, b.constant],
      [b.p + 1, b.q, b.P, b.Q, b.constant],
      [b.p, b.q - 1, b.P, b.Q, b.constant],
      [b.p, b.q + 1, b.P, b.Q, b.constant],
      [b.p - 1, b.q - 1, b.P, b.Q, b.constant],
      [b.p - 1, b.q + 1, b.P, b.Q, b.constant],
      [b.p + 1, b.q - 1, b.P, b.Q, b.constant],
      [b.p + 1, b.q + 1, b.P, b.Q, b.constant],
      [b.p, b.q, b.P, b.Q, !b.constant],
    ];
    let improved = false;
    for (const mv of moves) {
      if (tryFit(...mv)) {
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  // as auto.arima(approximation = TRUE): the search ranks by the conditional fit, then the
  // leading models are refitted by exact maximum likelihood and the best of those is kept
  const ranked = [...tried.values()]
    .filter((f): f is ArimaFit => f !== null && Number.isFinite(f.aicc))
    .sort((u, v) => u.aicc - v.aicc)
    .slice(0, exactSearch ? 0 : (opts.refit ?? 0));
  let exact: ArimaFit | null = null;
  for (const f of ranked) {
    const ml = fitArima(y, f.order);
    if (ml && Number.isFinite(ml.aicc) && (!exact || ml.aicc < exact.aicc)) exact = ml;
  }
  return exact ?? best;
}

/** Point forecasts and intervals from the ψ-weights of the full model. */
export function arimaForecast(fit: ArimaFit, h: number): Interval {
  const o = fit.order;
  // full AR polynomial: φ(B)Φ(B^m)(1 − B)^d(1 − B^m)^D, as x_t = Σ a_k x_{t−k} + …
  const arma = multiply(fit.ar, fit.sar, o.m, 1);
  let poly = new Map<number, number>([[0, 1]]);
  arma.lags.forEach((k, i) => {
    poly.set(k, -(arma.coefs[i] as number));
  });
  const times = (lag: number) => {
    const next = new Map<number, number>();
    for (const [k, v] of poly) {
      next.set(k, (next.get(k) ?? 0) + v);
      next.set(k + lag, (next.get(k + lag) ?? 0) - v);
    }
    poly = next;
  };
  for (let i = 0; i < o.d; i++) times(1);
  for (let i = 0; i < o.D; i++) times(o.m);
  const aLags: number[] = [];
  const aCoefs: number[] = [];
  for (const [k, v] of poly) {
    if (k > 0 && v !== 0) {
      aLags.push(k);
      aCoefs.push(-v);
    }
  }
  const ma = multiply(fit.ma, fit.sma, o.m, -1);
  const x = regression(fit.y, o, fit.constant);
  const n = x.length;
  const off = n - fit.residuals.length;
  const eAt = (t: number) => (t >= off && t < n ? (fit.residuals[t - off] as number) : 0);
  const ext = [...x];
  for (let k = 0; k < h; k++) {
    const t = n + k;
    let v = 0;
    aLags.forEach((lag, i) => {
      if (t - lag >= 0) v += (aCoefs[i] as number) * (ext[t - lag] as number);
    });
    ma.lags.forEach((lag, i) => {
      v += (ma.coefs[i] as number) * eAt(t - lag);
    });
    ext.push(v);
  }
  const add = (t: number) =>
    !o.constant ? 0 : o.d + o.D === 0 ? fit.constant : fit.constant * (t + 1);
  const mean = ext.slice(n).map((v, k) => v + add(n + k));
  // ψ-weights: ψ_0 = 1, ψ_j = θ_j + Σ a_k ψ_{j−k}
  const psi = [1];
  const theta = new Map(ma.lags.map((lag, i) => [lag, ma.coefs[i] as number]));
  for (let j = 1; j < h; j++) {
    let v = theta.get(j) ?? 0;
    aLags.forEach((lag, i) => {
      if (j - lag >= 0) v += (aCoefs[i] as number) * (psi[j - lag] as number);
    });
    psi.push(v);
  }
  return psiInterval(mean, psi, fit.sigma2);
}
