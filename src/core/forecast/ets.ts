/**
 * Exponential smoothing in state-space form, following R's forecast::ets (Hyndman et al. 2008):
 * the state updates are the same for additive and multiplicative errors; the error type only
 * changes the likelihood, so AICc is comparable across all models fitted to the same data.
 *
 *   -2·log L (up to a constant) = n·log Σe² + [multiplicative error] 2·Σ log|ŷ|
 *
 * Smoothing parameters and initial states (level, trend, m−1 seasonal states) are estimated
 * together by Nelder–Mead within R's "usual" bounds (1e-4 ≤ β ≤ α ≤ 0.9999,
 * γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98).
 */
import type { Interval } from './interval.js';

export type { Interval } from './interval.js';

import { decompose } from './decompose.js';
import { nelderMead } from './optim.js';
import { mulberry32, normalSource, quantileSorted, Z80, Z95 } from './prng.js';

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsSpec {
  readonly error: ErrorType;
  readonly trend: TrendType;
  readonly season: SeasonType;
}

export interface EtsFit {
  readonly spec: EtsSpec;
  readonly m: number;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
  /** Initial states (level, trend, seasonal by position of the first m observations). */
  readonly l0: number;
  readonly b0: number;
  readonly s0: Float64Array;
  /** Final states; `season[(n + h − 1) % m]` is the seasonal state for step h. */
  readonly level: number;
  readonly slope: number;
  readonly season: Float64Array;
  readonly n: number;
  /** Number of estimated parameters, sigma included (R's np). */
  readonly np: number;
  readonly lik: number;
  readonly aic: number;
  readonly aicc: number;
  readonly sigma2: number;
}

export function etsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

const LO = 1e-4;
const HI = 0.9999;

interface Layout {
  readonly hasBeta: boolean;
  readonly hasGamma: boolean;
  readonly hasPhi: boolean;
  readonly iBeta: number;
  readonly iGamma: number;
  readonly iPhi: number;
  readonly iL: number;
  readonly iB: number;
  readonly iS: number;
  readonly size: number;
}

function layoutOf(spec: EtsSpec, m: number, freeSeason: boolean): Layout {
  const hasBeta = spec.trend !== 'N';
  const hasGamma = spec.season !== 'N';
  const hasPhi = spec.trend === 'Ad';
  let k = 1;
  const iBeta = hasBeta ? k++ : -1;
  const iGamma = hasGamma ? k++ : -1;
  const iPhi = hasPhi ? k++ : -1;
  const iL = k++;
  const iB = hasBeta ? k++ : -1;
  const iS = hasGamma ? k : -1;
  if (hasGamma && freeSeason) k += m - 1;
  return { hasBeta, hasGamma, hasPhi, iBeta, iGamma, iPhi, iL, iB, iS, size: k };
}

/**
 * Runs the filter over y. Returns -2·log L (R's `lik`) or Infinity when a forecast breaks
 * down. When `out` is given, the final states are written into it.
 */
function filter(
  y: Float64Array,
  spec: EtsSpec,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  l0: number,
  b0: number,
  ring: Float64Array,
  out: { level: number; slope: number; sse: number } | null,
  resid: Float64Array | null = null,
): number {
  const n = y.length;
  const multErr = spec.error === 'M';
  // no trend is a damped trend with φ = 0 and b = 0: the slope then stays 0
  const hasTrend = spec.trend !== 'N';
  const ph = hasTrend ? phi : 0;
  const ratio = hasTrend ? beta / alpha : 0;
  let l = l0;
  let b = hasTrend ? b0 : 0;
  let sse = 0;
  // Σ log|ŷ| is kept as a running product, folded into a log only when it grows large
  let sumLog = 0;
  let prod = 1;
  let j = 0;
  const season = spec.season;
  for (let t = 0; t < n; t++) {
    const yt = y[t] as number;
    const phib = ph * b;
    const q = l + phib;
    let yhat: number;
    let lnew: number;
    if (season === 'N') {
      yhat = q;
      lnew = q + alpha * (yt - q);
    } else if (season === 'A') {
      const s = ring[j] as number;
      yhat = q + s;
      lnew = q + alpha * (yt - s - q);
      ring[j] = s + gamma * (yt - q - s);
    } else {
      const s = ring[j] as number;
      if (s <= 1e-10 || Math.abs(q) < 1e-10) return Number.POSITIVE_INFINITY;
      yhat = q * s;
      lnew = q + alpha * (yt / s - q);
      ring[j] = s + gamma * (yt / q - s);
    }
    if (multErr) {
      const a = Math.abs(yhat);
      if (a < 1e-10) return Number.POSITIVE_INFINITY;
      const e = (yt - yhat) / yhat;
      sse += e * e;
      if (resid) resid[t] = e;
      prod *= a;
      if (prod > 1e150 || prod < 1e-150) {
        sumLog += Math.log(prod);
        prod = 1;
      }
    } else {
      const e = yt - yhat;
      sse += e * e;
      if (resid) resid[t] = e;
    }
    b = phib + ratio * (lnew - l - phib);
    l = lnew;
    if (++j === m) j = 0;
  }
  sumLog += Math.log(prod);
  if (!(sse > 0) || !Number.isFinite(sse)) {
    if (sse === 0) sse = 1e-300;
    else return Number.POSITIVE_INFINITY;
  }
  if (out) {
    out.level = l;
    out.slope = b;
    out.sse = sse;
  }
  return n * Math.log(sse) + (multErr ? 2 * sumLog : 0);
}

/** R's initstate: decomposition of the first seasons, then a line through the adjusted data. */
function initialStates(
  y: readonly number[],
  spec: EtsSpec,
  m: number,
): { l0: number; b0: number; s0: Float64Array } {
  const n = y.length;
  let s0: Float64Array = new Float64Array(Math.max(m, 1)).fill(spec.season === 'M' ? 1 : 0);
  let ysa: number[] = [...y];
  if (spec.season !== 'N') {
    const head = y.slice(0, Math.min(n, 3 * m));
    s0 = decompose(head, m, spec.season === 'A' ? 'additive' : 'multiplicative').figure;
    ysa = y.map((v, t) =>
      spec.season === 'A' ? v - (s0[t % m] as number) : v / (s0[t % m] as number),
    );
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  if (spec.trend === 'N') {
    let s = 0;
    for (let t = 0; t < maxn; t++) s += ysa[t] as number;
    return { l0: s / maxn, b0: 0, s0 };
  }
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 1; t <= maxn; t++) {
    const v = ysa[t - 1] as number;
    sx += t;
    sy += v;
    sxx += t * t;
    sxy += t * v;
  }
  const slope = maxn > 1 ? (maxn * sxy - sx * sy) / (maxn * sxx - sx * sx) : 0;
  const intercept = (sy - slope * sx) / maxn;
  return { l0: intercept, b0: slope, s0 };
}

export interface EtsFitOptions {
  readonly maxEvals?: number;
  /**
   * Estimate the initial seasonal states by maximum likelihood (R's way, default), keep the
   * decomposition's figure (much faster: 5 instead of 16 free values for monthly data), or
   * 'profile': the decomposition's fit, its initial states refined by least squares, and the
   * smoothing parameters refitted (fitProfiled; what `auto`'s ETS member uses). The AICc
   * counts the m−1 states every way, so they stay comparable.
   */
  readonly seasonalInit?: 'optimize' | 'decomposition' | 'profile';
  /** With 'decomposition': use this seasonal figure instead of the decomposition's. */
  readonly s0?: Float64Array;
  /** Start the search here instead of R's initial values. */
  readonly start?: Pick<EtsFit, 'alpha' | 'beta' | 'gamma' | 'phi' | 'l0' | 'b0'>;
}

/** Fits one ETS model; null when it cannot be fitted (too few data, breakdown). */
export function fitEts(
  y: readonly number[],
  spec: EtsSpec,
  m: number,
  opts: EtsFitOptions = {},
): EtsFit | null {
  if (opts.seasonalInit === 'profile')
    return spec.season === 'N'
      ? fitEts(y, spec, m, { ...opts, seasonalInit: 'decomposition' })
      : fitProfiled(y, spec, m, opts);
  const mm = spec.season === 'N' ? 1 : m;
  const n = y.length;
  const freeSeason = opts.seasonalInit !== 'decomposition';
  const lay = layoutOf(spec, mm, freeSeason);
  const np = lay.size + 1 + (lay.hasGamma && !freeSeason ? mm - 1 : 0);
  if (np >= n - 1) return null;
  if (spec.season !== 'N' && n < 2 * m) return null;
  const yy = Float64Array.from(y);
  const init = initialStates(y, spec, mm);
  if (opts.s0 && opts.s0.length === mm) init.s0 = opts.s0;
  let scale = 0;
  for (const v of y) scale += Math.abs(v) / n;
  scale = Math.max(scale, 1e-8);

  const x0 = new Float64Array(lay.size);
  const lower = new Float64Array(lay.size).fill(Number.NEGATIVE_INFINITY);
  const upper = new Float64Array(lay.size).fill(Number.POSITIVE_INFINITY);
  const step = new Float64Array(lay.size);
  const alpha0 = spec.season === 'N' ? 0.2 : 0.2 / Math.min(m, 4);
  x0[0] = alpha0;
  lower[0] = LO;
  upper[0] = HI;
  step[0] = 0.1;
  if (lay.hasBeta) {
    x0[lay.iBeta] = LO + 0.1 * (alpha0 - LO);
    lower[lay.iBeta] = LO;
    upper[lay.iBeta] = HI;
    step[lay.iBeta] = 0.4 * (alpha0 - LO);
  }
  if (lay.hasGamma) {
    x0[lay.iGamma] = LO + 0.05 * (1 - alpha0 - LO);
    lower[lay.iGamma] = LO;
    upper[lay.iGamma] = HI;
    step[lay.iGamma] = 0.05;
  }
  if (lay.hasPhi) {
    x0[lay.iPhi] = 0.97;
    lower[lay.iPhi] = 0.8;
    upper[lay.iPhi] = 0.98;
    step[lay.iPhi] = -0.05;
  }
  x0[lay.iL] = init.l0;
  step[lay.iL] = 0.1 * scale;
  if (lay.hasBeta) {
    x0[lay.iB] = init.b0;
    step[lay.iB] = 0.01 * scale + 0.1 * Math.abs(init.b0);
  }
  if (opts.start) {
    const st = opts.start;
    x0[0] = Math.min(HI, Math.max(LO, st.alpha));
    if (lay.hasBeta) x0[lay.iBeta] = Math.min(x0[0] as number, Math.max(LO, st.beta));
    if (lay.hasGamma) x0[lay.iGamma] = Math.min(1 - (x0[0] as number), Math.max(LO, st.gamma));
    if (lay.hasPhi) x0[lay.iPhi] = Math.min(0.98, Math.max(0.8, st.phi));
    x0[lay.iL] = st.l0;
    if (lay.hasBeta) x0[lay.iB] = st.b0;
  }
  let sSpread = 0;
  if (lay.hasGamma && freeSeason) {
    for (let k = 0; k < mm; k++)
      sSpread += Math.abs((init.s0[k] as number) - (spec.season === 'M' ? 1 : 0)) / mm;
    for (let k = 0; k < mm - 1; k++) {
      x0[lay.iS + k] = init.s0[k] as number;
      step[lay.iS + k] = Math.max(0.2 * sSpread, spec.season === 'M' ? 0.01 : 0.01 * scale);
    }
  }
  const ring = new Float64Array(mm);
  const unpack = (x: Float64Array): boolean => {
    if (!lay.hasGamma) return true;
    if (!freeSeason) {
      ring.set(init.s0);
      return true;
    }
    let sum = 0;
    for (let k = 0; k < mm - 1; k++) {
      const v = x[lay.iS + k] as number;
      ring[k] = v;
      sum += v;
    }
    ring[mm - 1] = spec.season === 'M' ? mm - sum : -sum;
    if (spec.season === 'M')
      for (let k = 0; k < mm; k++) if ((ring[k] as number) <= 1e-6) return false;
    return true;
  };
  const objective = (x: Float64Array): number => {
    const a = x[0] as number;
    const b = lay.hasBeta ? (x[lay.iBeta] as number) : 0;
    const g = lay.hasGamma ? (x[lay.iGamma] as number) : 0;
    const p = lay.hasPhi ? (x[lay.iPhi] as number) : 1;
    if (b > a || g > 1 - a) return Number.POSITIVE_INFINITY;
    if (!unpack(x)) return Number.POSITIVE_INFINITY;
    return filter(
      yy,
      spec,
      mm,
      a,
      b,
      g,
      p,
      x[lay.iL] as number,
      lay.hasBeta ? (x[lay.iB] as number) : 0,
      ring,
      null,
    );
  };
  const nm = {
    lower,
    upper,
    step,
    maxEvals: opts.maxEvals ?? 400 + 100 * lay.size,
    tol: 0,
    // 0.01 on −2·log L is far below any AICc difference that matters
    absTol: 1e-2,
    restarts: 1,
  };
  let best = nelderMead(objective, x0, nm);
  if (freeSeason && lay.hasGamma && !opts.start) {
    // the likelihood surface of seasonal models often has a second basin with a fast level
    // and a slow seasonal; start there too and keep the better fit
    const x1 = Float64Array.from(x0);
    x1[0] = 0.6;
    if (lay.hasGamma) x1[lay.iGamma] = 0.01;
    if (lay.hasBeta) x1[lay.iBeta] = Math.min(x0[lay.iBeta] as number, 0.05);
    const alt = nelderMead(objective, x1, nm);
    if (alt.f < best.f) best = alt;
  }
  if (!Number.isFinite(best.f)) return null;
  const x = best.x;
  unpack(x);
  const s0 = Float64Array.from(ring);
  const out = { level: 0, slope: 0, sse: 0 };
  const alpha = x[0] as number;
  const beta = lay.hasBeta ? (x[lay.iBeta] as number) : 0;
  const gamma = lay.hasGamma ? (x[lay.iGamma] as number) : 0;
  const phi = lay.hasPhi ? (x[lay.iPhi] as number) : 1;
  const l0 = x[lay.iL] as number;
  const b0 = lay.hasBeta ? (x[lay.iB] as number) : 0;
  const lik = filter(yy, spec, mm, alpha, beta, gamma, phi, l0, b0, ring, out);
  if (!Number.isFinite(lik)) return null;
  const aic = lik + 2 * np;
  const aicc = aic + (2 * np * (np + 1)) / (n - np - 1);
  return {
    spec,
    m: mm,
    alpha,
    beta,
    gamma,
    phi,
    l0,
    b0,
    s0,
    level: out.level,
    slope: out.slope,
    season: Float64Array.from(ring),
    n,
    np,
    lik,
    aic,
    aicc,
    sigma2: out.sse / Math.max(1, n - np),
  };
}

/** Point forecasts: (l + φ_h·b) combined with the seasonal state of step h. */
export function etsPoint(fit: EtsFit, h: number): number[] {
  const out: number[] = [];
  let damp = 0;
  let pw = 1;
  for (let k = 1; k <= h; k++) {
    pw *= fit.phi;
    damp += fit.spec.trend === 'N' ? 0 : fit.spec.trend === 'A' ? 1 : pw;
    const q = fit.level + damp * fit.slope;
    const s = fit.season[(fit.n + k - 1) % fit.m] as number;
    out.push(fit.spec.season === 'N' ? q : fit.spec.season === 'A' ? q + s : q * s);
  }
  return out;
}

/**
 * Point forecasts with 80/95% intervals: analytic for the linear (additive-error, additive or
 * no seasonality) class, otherwise by simulating `paths` sample paths with a seeded PRNG.
 */
export function etsForecast(fit: EtsFit, h: number, paths = 1000, seed = 42): Interval {
  const mean = etsPoint(fit, h);
  const linear = fit.spec.error === 'A' && fit.spec.season !== 'M';
  if (linear) {
    const lo80: number[] = [];
    const hi80: number[] = [];
    const lo95: number[] = [];
    const hi95: number[] = [];
    let acc = 1;
    let phiJ = 0;
    let pw = 1;
    for (let k = 1; k <= h; k++) {
      if (k > 1) {
        const j = k - 1;
        pw *= fit.phi;
        phiJ += fit.spec.trend === 'N' ? 0 : fit.spec.trend === 'A' ? 1 : pw;
        const c =
          fit.alpha +
          fit.beta * phiJ +
          (fit.spec.season !== 'N' && j % fit.m === 0 ? fit.gamma : 0);
        acc += c * c;
      }
      const sd = Math.sqrt(fit.sigma2 * acc);
      const mu = mean[k - 1] as number;
      lo80.push(mu - Z80 * sd);
      hi80.push(mu + Z80 * sd);
      lo95.push(mu - Z95 * sd);
      hi95.push(mu + Z95 * sd);
    }
    return { mean, lo80, hi80, lo95, hi95 };
  }
  const sims = Array.from({ length: h }, () => new Float64Array(paths));
  const normal = normalSource(mulberry32(seed));
  const sd = Math.sqrt(fit.sigma2);
  const ring = new Float64Array(fit.m);
  const ratio = fit.spec.trend === 'N' ? 0 : fit.beta / fit.alpha;
  for (let p = 0; p < paths; p++) {
    ring.set(fit.season);
    let l = fit.level;
    let b = fit.slope;
    for (let k = 0; k < h; k++) {
      const j = (fit.n + k) % fit.m;
      const phib = fit.spec.trend === 'N' ? 0 : fit.phi * b;
      const q = l + phib;
      const s = ring[j] as number;
      const yhat = fit.spec.season === 'N' ? q : fit.spec.season === 'A' ? q + s : q * s;
      const e = normal() * sd;
      const yv = fit.spec.error === 'A' ? yhat + e : yhat * (1 + e);
      (sims[k] as Float64Array)[p] = yv;
      const pv = fit.spec.season === 'N' ? yv : fit.spec.season === 'A' ? yv - s : yv / s;
      const lnew = q + fit.alpha * (pv - q);
      if (fit.spec.trend !== 'N') b = phib + ratio * (lnew - l - phib);
      if (fit.spec.season === 'A') ring[j] = s + fit.gamma * (yv - q - s);
      else if (fit.spec.season === 'M' && q !== 0) ring[j] = s + fit.gamma * (yv / q - s);
      l = lnew;
    }
  }
  const lo80: number[] = [];
  const hi80: number[] = [];
  const lo95: number[] = [];
  const hi95: number[] = [];
  for (const col of sims) {
    col.sort();
    lo80.push(quantileSorted(col, 0.1));
    hi80.push(quantileSorted(col, 0.9));
    lo95.push(quantileSorted(col, 0.025));
    hi95.push(quantileSorted(col, 0.975));
  }
  return { mean, lo80, hi80, lo95, hi95 };
}

/**
 * Initial states by least squares: with the smoothing parameters fixed, the one-step errors
 * of a linear model are linear in the initial level, slope and seasonal states, so one
 * Gauss–Newton step finds their least-squares values exactly; for multiplicative models
 * (errors relative to the forecast, seasonal states multiplying) a few damped steps do,
 * each kept only when the likelihood improves. The seasonal states keep R's normalisation
 * (they sum to 0, or to m when multiplicative), so the last one is not free.
 */
function refineStates(
  y: Float64Array,
  fit: EtsFit,
): { l0: number; b0: number; s0: Float64Array; lik: number } | null {
  const { spec, m, alpha, beta, gamma, phi } = fit;
  const n = y.length;
  const hasB = spec.trend !== 'N';
  const mult = spec.season === 'M';
  const d = 1 + (hasB ? 1 : 0) + (m - 1);
  const ring = new Float64Array(m);
  const r0 = new Float64Array(n);
  const r1 = new Float64Array(n);
  const jac = new Float64Array(d * n);
  const load = (z: Float64Array): boolean => {
    let sum = 0;
    for (let k = 0; k < m - 1; k++) {
      const v = z[d - m + 1 + k] as number;
      ring[k] = v;
      sum += v;
    }
    ring[m - 1] = mult ? m - sum : -sum;
    if (mult) for (let k = 0; k < m; k++) if ((ring[k] as number) <= 1e-6) return false;
    return true;
  };
  const run = (z: Float64Array, out: Float64Array): number => {
    if (!load(z)) return Number.POSITIVE_INFINITY;
    const b0 = hasB ? (z[1] as number) : 0;
    return filter(y, spec, m, alpha, beta, gamma, phi, z[0] as number, b0, ring, null, out);
  };
  const z = new Float64Array(d);
  z[0] = fit.l0;
  if (hasB) z[1] = fit.b0;
  for (let k = 0; k < m - 1; k++) z[d - m + 1 + k] = fit.s0[k] as number;
  let lik = run(z, r0);
  if (!Number.isFinite(lik)) return null;
  const start = lik;
  const zi = new Float64Array(d);
  const a = new Float64Array(d * d);
  const g = new Float64Array(d);
  for (let iter = 0; iter < (spec.error === 'A' && !mult ? 1 : 4); iter++) {
    for (let i = 0; i < d; i++) {
      zi.set(z);
      const h = 1e-6 * Math.max(1, Math.abs(z[i] as number));
      zi[i] = (zi[i] as number) + h;
      if (!Number.isFinite(run(zi, r1))) return null;
      for (let t = 0; t < n; t++) jac[i * n + t] = ((r1[t] as number) - (r0[t] as number)) / h;
    }
    for (let i = 0; i < d; i++) {
      let gi = 0;
      for (let t = 0; t < n; t++) gi += (jac[i * n + t] as number) * (r0[t] as number);
      g[i] = -gi;
      for (let j = 0; j <= i; j++) {
        let v = 0;
        for (let t = 0; t < n; t++) v += (jac[i * n + t] as number) * (jac[j * n + t] as number);
        a[i * d + j] = v;
        a[j * d + i] = v;
      }
    }
    let accepted = false;
    for (const lambda of [0, 1e-3, 1e-1]) {
      const step = solveDamped(a, g, d, lambda);
      if (!step) continue;
      for (let i = 0; i < d; i++) zi[i] = (z[i] as number) + (step[i] as number);
      const f = run(zi, r1);
      if (f < lik - 1e-9) {
        z.set(zi);
        r0.set(r1);
        lik = f;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  if (!(lik < start)) return null;
  load(z);
  return { l0: z[0] as number, b0: hasB ? (z[1] as number) : 0, s0: Float64Array.from(ring), lik };
}

/** Solves (A + λ·diag(A))·x = b for a small dense symmetric A (Gaussian elimination). */
function solveDamped(
  a: Float64Array,
  b: Float64Array,
  d: number,
  lambda: number,
): Float64Array | null {
  const w = new Float64Array(d * (d + 1));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) w[i * (d + 1) + j] = a[i * d + j] as number;
    w[i * (d + 1) + i] = (a[i * d + i] as number) * (1 + lambda) + 1e-12;
    w[i * (d + 1) + d] = b[i] as number;
  }
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let i = c + 1; i < d; i++)
      if (Math.abs(w[i * (d + 1) + c] as number) > Math.abs(w[piv * (d + 1) + c] as number))
        piv = i;
    if (piv !== c)
      for (let j = 0; j <= d; j++) {
        const t = w[c * (d + 1) + j] as number;
        w[c * (d + 1) + j] = w[piv * (d + 1) + j] as number;
        w[piv * (d + 1) + j] = t;
      }
    const p = w[c * (d + 1) + c] as number;
    if (p === 0 || !Number.isFinite(p)) return null;
    for (let i = c + 1; i < d; i++) {
      const f = (w[i * (d + 1) + c] as number) / p;
      if (f !== 0)
        for (let j = c; j <= d; j++)
          w[i * (d + 1) + j] = (w[i * (d + 1) + j] as number) - f * (w[c * (d + 1) + j] as number);
    }
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let v = w[i * (d + 1) + d] as number;
    for (let j = i + 1; j < d; j++) v -= (w[i * (d + 1) + j] as number) * (x[j] as number);
    x[i] = v / (w[i * (d + 1) + i] as number);
  }
  return x.every(Number.isFinite) ? x : null;
}

/**
 * A seasonal model with its initial states estimated, as R does, but cheaply: fit the
 * smoothing parameters with the decomposition's seasonal figure, refine the initial states by
 * least squares at those parameters (refineStates), then refit the smoothing parameters from
 * there with the refined seasonal states. On the validation windows one round scored better
 * than two or four, and better than estimating all the states by Nelder–Mead (R's way):
 * ETS alone 13.297 / 0.8966 against 13.477 / 0.8907, at a tenth of the time.
 */
function fitProfiled(
  y: readonly number[],
  spec: EtsSpec,
  m: number,
  opts: EtsFitOptions,
): EtsFit | null {
  const base = { ...opts, seasonalInit: 'decomposition' as const };
  const fit = fitEts(y, spec, m, base);
  if (!fit) return null;
  const st = refineStates(Float64Array.from(y), fit);
  if (!st) return fit;
  const next = fitEts(y, spec, m, { ...base, s0: st.s0, start: { ...fit, l0: st.l0, b0: st.b0 } });
  return next && next.lik < fit.lik ? next : fit;
}

export interface AutoEtsOptions {
  /** Restrict to seasonal (true) or non-seasonal (false) models; undefined tries both. */
  readonly seasonal?: boolean;
  readonly damped?: boolean;
  readonly maxEvals?: number;
  readonly seasonalInit?: 'optimize' | 'decomposition' | 'profile';
  /** Only this error type (A and M errors give point forecasts of the same form). */
  readonly error?: ErrorType;
}

/**
 * The model set of R's ets(model = "ZZZ") without multiplicative trend: multiplicative errors
 * and seasonality only for strictly positive data, and never additive error with
 * multiplicative seasonality (numerically unstable). Picks the lowest AICc.
 */
export function autoEts(y: readonly number[], m: number, opts: AutoEtsOptions = {}): EtsFit | null {
  const positive = y.every((v) => v > 0);
  const seasons: SeasonType[] = [];
  const canSeason = m > 1 && y.length >= 2 * m;
  if (opts.seasonal !== true) seasons.push('N');
  if (opts.seasonal !== false && canSeason) {
    seasons.push('A');
    if (positive) seasons.push('M');
  }
  if (seasons.length === 0) seasons.push('N');
  const trends: TrendType[] =
    opts.damped === true ? ['Ad'] : opts.damped === false ? ['N', 'A'] : ['N', 'A', 'Ad'];
  const errors: ErrorType[] = opts.error ? [opts.error] : positive ? ['A', 'M'] : ['A'];
  let best: EtsFit | null = null;
  for (const error of errors) {
    for (const trend of trends) {
      for (const season of seasons) {
        if (error === 'A' && season === 'M') continue;
        const fit = fitEts(y, { error, trend, season }, m, {
          maxEvals: opts.maxEvals,
          seasonalInit: opts.seasonalInit,
        });
        if (fit && (!best || fit.aicc < best.aicc)) best = fit;
      }
    }
  }
  return best;
}
