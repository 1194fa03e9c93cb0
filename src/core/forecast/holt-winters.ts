/**
 * Holt–Winters exactly as R's stats::HoltWinters fits it: start values from a classical
 * decomposition of the first two seasons (level and slope from a line through the 12 defined
 * trend values), filtering from observation m + 1, alpha/beta/gamma in [0, 1] chosen to
 * minimise the one-step SSE (R starts L-BFGS-B at 0.3, 0.1, 0.1). The seasonal update uses
 * the new level. Forecast: a + h·b (+ or ×) s_h.
 */
import { decompose } from './decompose.js';
import { nelderMead } from './optim.js';

export type HwSeasonal = 'additive' | 'multiplicative';

export interface HoltWintersFit {
  readonly seasonal: HwSeasonal;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly a: number;
  readonly b: number;
  /** s1..sm: seasonal coefficients for the next m steps. */
  readonly s: readonly number[];
  readonly sse: number;
  /** Number of one-step errors in the SSE (n − m). */
  readonly count: number;
  readonly lStart: number;
  readonly bStart: number;
  readonly sStart: readonly number[];
}

interface Start {
  readonly l: number;
  readonly b: number;
  readonly s: Float64Array;
}

function startValues(y: readonly number[], m: number, seasonal: HwSeasonal): Start {
  const d = decompose(y.slice(0, 2 * m), m, seasonal);
  const ts: number[] = [];
  const tr: number[] = [];
  for (let t = 0; t < 2 * m; t++) {
    const v = d.trend[t] as number;
    if (!Number.isNaN(v)) {
      ts.push(ts.length + 1);
      tr.push(v);
    }
  }
  const k = ts.length;
  const mx = (k + 1) / 2;
  let my = 0;
  for (const v of tr) my += v / k;
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++) {
    num += ((ts[i] as number) - mx) * ((tr[i] as number) - my);
    den += ((ts[i] as number) - mx) ** 2;
  }
  const b = den > 0 ? num / den : 0;
  return { l: my - b * mx, b, s: d.figure };
}

function run(
  y: readonly number[],
  m: number,
  seasonal: HwSeasonal,
  st: Start,
  alpha: number,
  beta: number,
  gamma: number,
  season: Float64Array,
): { sse: number; l: number; b: number } {
  season.set(st.s);
  let l = st.l;
  let b = st.b;
  let sse = 0;
  const add = seasonal === 'additive';
  for (let t = m; t < y.length; t++) {
    const j = t % m;
    const s = season[j] as number;
    const x = y[t] as number;
    const xhat = add ? l + b + s : (l + b) * s;
    const res = x - xhat;
    sse += res * res;
    const ln = alpha * (add ? x - s : x / s) + (1 - alpha) * (l + b);
    b = beta * (ln - l) + (1 - beta) * b;
    season[j] = gamma * (add ? x - ln : x / ln) + (1 - gamma) * s;
    l = ln;
  }
  return { sse, l, b };
}

/** Needs at least 2·m + 1 observations. */
export function fitHoltWinters(
  y: readonly number[],
  m: number,
  seasonal: HwSeasonal,
  fixed?: { alpha: number; beta: number; gamma: number },
): HoltWintersFit | null {
  if (m < 2 || y.length < 2 * m + 1) return null;
  if (seasonal === 'multiplicative' && !y.every((v) => v > 0)) return null;
  const st = startValues(y, m, seasonal);
  const season = new Float64Array(m);
  let params = fixed;
  if (!params) {
    const f = (x: Float64Array) =>
      run(y, m, seasonal, st, x[0] as number, x[1] as number, x[2] as number, season).sse;
    const box = { lower: [0, 0, 0], upper: [1, 1, 1], step: [0.1, 0.05, 0.1] };
    let best = nelderMead(f, [0.3, 0.1, 0.1], { ...box, maxEvals: 3000, tol: 1e-14, restarts: 4 });
    for (const start of [
      [0.5, 0.05, 0.5],
      [0.2, 0.01, 0.9],
    ]) {
      const r = nelderMead(f, start, { ...box, maxEvals: 3000, tol: 1e-14, restarts: 4 });
      if (r.f < best.f) best = r;
    }
    params = { alpha: best.x[0] as number, beta: best.x[1] as number, gamma: best.x[2] as number };
  }
  const r = run(y, m, seasonal, st, params.alpha, params.beta, params.gamma, season);
  const n = y.length;
  const s = Array.from({ length: m }, (_, k) => season[(n + k) % m] as number);
  if (!Number.isFinite(r.sse)) return null;
  return {
    seasonal,
    ...params,
    a: r.l,
    b: r.b,
    s,
    sse: r.sse,
    count: n - m,
    lStart: st.l,
    bStart: st.b,
    sStart: Array.from(st.s),
  };
}

export function holtWintersPoint(fit: HoltWintersFit, h: number): number[] {
  const m = fit.s.length;
  return Array.from({ length: h }, (_, k) => {
    const s = fit.s[k % m] as number;
    const trend = fit.a + (k + 1) * fit.b;
    return fit.seasonal === 'additive' ? trend + s : trend * s;
  });
}
