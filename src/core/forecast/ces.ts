/**
 * Complex Exponential Smoothing (Svetunkov, Kourentzes & Ord 2022, "Complex exponential
 * smoothing", Naval Research Logistics 69(8); R's smooth::ces / auto.ces). The level and an
 * "information potential" c form one complex state smoothed with a complex parameter
 * a = α₀ + iα₁:
 *
 *   y_t = ℓ_{t−1} + s_{t−m} + ε_t
 *   ℓ_t = ℓ_{t−1} − (1 − α₁)·c_{t−1} + (α₀ − α₁)·ε_t
 *   c_t = ℓ_{t−1} + (1 − α₀)·c_{t−1} + (α₀ + α₁)·ε_t
 *
 * Seasonal parts (R's `seasonality`): "none" (no s), "partial" (a real seasonal state,
 * s_t = s_{t−m} + γ·ε_t) and "full" (a second complex pair s¹, s² with lag m and parameter
 * b = β₀ + iβ₁, updated like ℓ, c). auto.ces picks the lowest AICc, as here.
 *
 * The model is linear with additive errors, so forecasts are w·F^{h−1}·x and the h-step variance
 * is σ²(1 + Σ_{j<h} (w·F^{j−1}·g)²) (Hyndman et al. 2008, ch. 6). Parameters must keep the
 * discount matrix D = F − g·w stable (all eigenvalues inside the unit circle), which the
 * objective enforces; they are fitted by Nelder–Mead on the Gaussian likelihood. Initial
 * states come from the first seasons (level: their mean, c: level/1.1, seasonal: deviations
 * from it) and are then refined by one backcast pass, in the spirit of smooth's "backcasting".
 */
import type { Interval } from './ets.js';
import { nelderMead } from './optim.js';
import { psiInterval } from './prng.js';

export type CesSeasonality = 'none' | 'partial' | 'full';

export interface CesFit {
  readonly seasonality: CesSeasonality;
  readonly m: number;
  readonly a0: number;
  readonly a1: number;
  readonly b0: number;
  readonly b1: number;
  readonly gamma: number;
  readonly sigma2: number;
  readonly aicc: number;
  /** Final states: level, potential, and the seasonal rings (index = position mod m). */
  readonly level: number;
  readonly potential: number;
  readonly s1: Float64Array;
  readonly s2: Float64Array;
  readonly n: number;
}

interface Params {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
  gamma: number;
}

interface Run {
  sse: number;
  level: number;
  potential: number;
  s1: Float64Array;
  s2: Float64Array;
}

/** Filters y from the given initial states; rings are indexed by time mod m. */
function filter(
  y: readonly number[],
  kind: CesSeasonality,
  m: number,
  p: Params,
  l0: number,
  c0: number,
  s10: Float64Array,
  s20: Float64Array,
): Run {
  let l = l0;
  let c = c0;
  const s1 = Float64Array.from(s10);
  const s2 = Float64Array.from(s20);
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const j = t % m;
    const sPrev = kind === 'none' ? 0 : (s1[j] as number);
    const e = (y[t] as number) - (l + sPrev);
    sse += e * e;
    const ln = l - (1 - p.a1) * c + (p.a0 - p.a1) * e;
    c = l + (1 - p.a0) * c + (p.a0 + p.a1) * e;
    l = ln;
    if (kind === 'partial') s1[j] = sPrev + p.gamma * e;
    else if (kind === 'full') {
      const u = s2[j] as number;
      s1[j] = sPrev - (1 - p.b1) * u + (p.b0 - p.b1) * e;
      s2[j] = sPrev + (1 - p.b0) * u + (p.b0 + p.b1) * e;
    }
  }
  return { sse, level: l, potential: c, s1, s2 };
}

/** Spectral radius below 1 for the 2×2 block [[1 − g₁, −(1 − x₁)], [1 − g₂, 1 − x₀]]. */
function stablePair(x0: number, x1: number): boolean {
  // D = [[1 − (x0 − x1), −(1 − x1)], [1 − (x0 + x1), 1 − x0]]
  const a = 1 - (x0 - x1);
  const b = -(1 - x1);
  const c = 1 - (x0 + x1);
  const d = 1 - x0;
  const tr = a + d;
  const det = a * d - b * c;
  // both roots of λ² − tr·λ + det inside the unit circle (Jury conditions)
  return Math.abs(det) < 1 && Math.abs(tr) < 1 + det;
}

function stable(kind: CesSeasonality, p: Params): boolean {
  if (!stablePair(p.a0, p.a1)) return false;
  if (kind === 'full') return stablePair(p.b0, p.b1);
  if (kind === 'partial') return p.gamma > -1 && p.gamma < 1 && Math.abs(1 - p.gamma) < 1;
  return true;
}

function initialStates(y: readonly number[], kind: CesSeasonality, m: number) {
  const k = kind === 'none' ? Math.min(y.length, Math.max(m, 1)) : m;
  let mean = 0;
  for (let t = 0; t < k; t++) mean += y[t] as number;
  mean /= k;
  const s1 = new Float64Array(m);
  const s2 = new Float64Array(m);
  if (kind !== 'none') for (let t = 0; t < m; t++) s1[t] = (y[t] as number) - mean;
  if (kind === 'full') for (let t = 0; t < m; t++) s2[t] = (s1[t] as number) / 1.1;
  return { l0: mean, c0: mean / 1.1, s1, s2 };
}

export function fitCes(y: readonly number[], kind: CesSeasonality, m: number): CesFit | null {
  const n = y.length;
  const mm = kind === 'none' ? 1 : m;
  if (kind !== 'none' && (m < 2 || n < 2 * m)) return null;
  // two smoothing parameters, two initial states and σ
  if (n < 5) return null;
  const init = initialStates(y, kind, mm);
  const unpack = (x: Float64Array): Params => ({
    a0: x[0] as number,
    a1: x[1] as number,
    b0: kind === 'full' ? (x[2] as number) : 1,
    b1: kind === 'full' ? (x[3] as number) : 1,
    gamma: kind === 'partial' ? (x[2] as number) : 0,
  });
  const x0 = kind === 'full' ? [1.3, 1, 1.3, 1] : kind === 'partial' ? [1.3, 1, 0.1] : [1.3, 1];
  const lower = kind === 'full' ? [0, 0, 0, 0] : kind === 'partial' ? [0, 0, 0] : [0, 0];
  const upper = kind === 'full' ? [3, 3, 3, 3] : kind === 'partial' ? [3, 3, 1] : [3, 3];
  let l0 = init.l0;
  let c0 = init.c0;
  let s10 = init.s1;
  let s20 = init.s2;
  let best: Params | null = null;
  let bestSse = Number.POSITIVE_INFINITY;
  // two rounds: fit, backcast the initial states with the fitted parameters, refit
  for (let round = 0; round < 2; round++) {
    const obj = (x: Float64Array) => {
      const p = unpack(x);
      if (!stable(kind, p)) return Number.POSITIVE_INFINITY;
      return filter(y, kind, mm, p, l0, c0, s10, s20).sse;
    };
    const start = best
      ? kind === 'full'
        ? [best.a0, best.a1, best.b0, best.b1]
        : kind === 'partial'
          ? [best.a0, best.a1, best.gamma]
          : [best.a0, best.a1]
      : x0;
    const r = nelderMead(obj, start, {
      lower,
      upper,
      step: start.map(() => 0.1),
      maxEvals: 250,
      tol: 1e-6,
    });
    if (!Number.isFinite(r.f)) return best ? finishFit() : null;
    best = unpack(r.x);
    bestSse = r.f;
    if (round === 1) break;
    // backcast: run the fitted model over the reversed series, take its end states as the start
    const rev = [...y].reverse();
    const back = filter(rev, kind, mm, best, init.l0, init.c0, init.s1, init.s2);
    l0 = back.level;
    c0 = back.potential;
    // the backward run ends at time 0; its ring position j holds reversed time ≡ j (mod m)
    const s1 = new Float64Array(mm);
    const s2 = new Float64Array(mm);
    for (let j = 0; j < mm; j++) {
      const r2 = (n - 1 - j + mm * n) % mm;
      s1[j] = back.s1[r2] as number;
      s2[j] = back.s2[r2] as number;
    }
    if (kind !== 'none') {
      s10 = s1;
      s20 = s2;
    }
    const trial = filter(y, kind, mm, best, l0, c0, s10, s20).sse;
    if (!(trial < bestSse)) {
      l0 = init.l0;
      c0 = init.c0;
      s10 = init.s1;
      s20 = init.s2;
    }
  }
  return finishFit();

  function finishFit(): CesFit | null {
    if (!best) return null;
    const run = filter(y, kind, mm, best, l0, c0, s10, s20);
    const sigma2 = run.sse / n;
    // smooth counts the smoothing parameters, the initial states and the variance
    const states = 2 + (kind === 'none' ? 0 : kind === 'partial' ? mm : 2 * mm);
    const k = (kind === 'full' ? 4 : kind === 'partial' ? 3 : 2) + states + 1;
    const lik = -0.5 * n * (Math.log(2 * Math.PI * sigma2) + 1);
    const aic = -2 * lik + 2 * k;
    const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Number.POSITIVE_INFINITY;
    return {
      seasonality: kind,
      m: mm,
      ...best,
      sigma2,
      aicc,
      level: run.level,
      potential: run.potential,
      s1: run.s1,
      s2: run.s2,
      n,
    };
  }
}

/** auto.ces: every seasonality the data allow, lowest AICc. */
export function autoCes(y: readonly number[], m: number): CesFit | null {
  const kinds: CesSeasonality[] =
    m > 1 && y.length >= 2 * m ? ['none', 'partial', 'full'] : ['none'];
  let best: CesFit | null = null;
  for (const kind of kinds) {
    const fit = fitCes(y, kind, m);
    if (fit && (!best || fit.aicc < best.aicc)) best = fit;
  }
  return best;
}

/**
 * Point forecasts and Gaussian intervals. The h-step forecast error is Σ_{j<h} ψ_j·ε_{n+h−j}
 * with ψ_0 = 1; ψ_j is the response of the forecast j steps on to a unit error, found by
 * pushing a unit impulse through the noise-free recursion.
 */
export function cesForecast(fit: CesFit, h: number): Interval {
  const m = fit.m;
  const p: Params = { a0: fit.a0, a1: fit.a1, b0: fit.b0, b1: fit.b1, gamma: fit.gamma };
  const project = (l0: number, c0: number, s10: Float64Array, s20: Float64Array, e0: number) => {
    let l = l0;
    let c = c0;
    const s1 = Float64Array.from(s10);
    const s2 = Float64Array.from(s20);
    const out: number[] = [];
    for (let k = 0; k < h; k++) {
      const j = (fit.n + k) % m;
      const sPrev = fit.seasonality === 'none' ? 0 : (s1[j] as number);
      out.push(l + sPrev);
      const e = k === 0 ? e0 : 0;
      const ln = l - (1 - p.a1) * c + (p.a0 - p.a1) * e;
      c = l + (1 - p.a0) * c + (p.a0 + p.a1) * e;
      l = ln;
      if (fit.seasonality === 'partial') s1[j] = sPrev + p.gamma * e;
      else if (fit.seasonality === 'full') {
        const u = s2[j] as number;
        s1[j] = sPrev - (1 - p.b1) * u + (p.b0 - p.b1) * e;
        s2[j] = sPrev + (1 - p.b0) * u + (p.b0 + p.b1) * e;
      }
    }
    return out;
  };
  const mean = project(fit.level, fit.potential, fit.s1, fit.s2, 0);
  // the response to a unit error at step 1 (linear model: difference of two projections)
  const zero = new Float64Array(m);
  const psi = project(0, 0, zero, zero, 1);
  // psi[0] is the state before the error arrives; ψ_0 = 1
  psi[0] = 1;
  return psiInterval(mean, psi, fit.sigma2);
}
