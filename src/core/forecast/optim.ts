/**
 * Derivative-free minimisers used to fit the smoothing models. Nelder–Mead is the workhorse
 * (R's forecast::ets uses it too); points are projected into the box [lower, upper] so that
 * parameters at a bound (R's HoltWinters gamma = 1 on AirPassengers) are reachable exactly.
 * Extra constraints (beta ≤ alpha …) are left to the objective, which returns Infinity.
 */
export interface NelderMeadOptions {
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  /** Initial simplex step per coordinate. */
  readonly step: ArrayLike<number>;
  readonly maxEvals?: number;
  /** Stop when the spread of function values across the simplex is below this (relative). */
  readonly tol?: number;
  /** Absolute part of the stopping rule: stop when spread ≤ absTol + tol·|f|. */
  readonly absTol?: number;
  /** Number of restarts from the best point found (re-inflates the simplex). */
  readonly restarts?: number;
}

export interface Minimum {
  readonly x: Float64Array;
  readonly f: number;
  readonly evals: number;
}

export function nelderMead(
  fn: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  opts: NelderMeadOptions,
): Minimum {
  const maxEvals = opts.maxEvals ?? 2000;
  const restarts = opts.restarts ?? 1;
  let best: Float64Array = Float64Array.from(x0);
  project(best, opts.lower, opts.upper);
  let bestF = safe(fn(best));
  let evals = 1;
  for (let round = 0; round <= restarts && evals < maxEvals; round++) {
    const r = nmRun(fn, best, bestF, opts, maxEvals - evals);
    evals += r.evals;
    const improved = r.f < bestF - 1e-10 * (Math.abs(bestF) + 1e-10);
    if (r.f <= bestF) {
      best = r.x;
      bestF = r.f;
    }
    if (round > 0 && !improved) break;
  }
  return { x: best, f: bestF, evals };
}

function safe(v: number): number {
  return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
}

function project(x: Float64Array, lo: ArrayLike<number>, hi: ArrayLike<number>): void {
  for (let i = 0; i < x.length; i++) {
    const l = lo[i] ?? Number.NEGATIVE_INFINITY;
    const h = hi[i] ?? Number.POSITIVE_INFINITY;
    const v = x[i] ?? 0;
    x[i] = Math.min(Math.max(v, l), h);
  }
}

function nmRun(
  fn: (x: Float64Array) => number,
  x0: Float64Array,
  f0: number,
  opts: NelderMeadOptions,
  budget: number,
): Minimum {
  const d = x0.length;
  const tol = opts.tol ?? 1e-8;
  const absTol = opts.absTol ?? tol * tol;
  const pts: Float64Array[] = [];
  const fs = new Float64Array(d + 1);
  pts.push(Float64Array.from(x0));
  fs[0] = f0;
  let evals = 0;
  for (let i = 0; i < d; i++) {
    const p = Float64Array.from(x0);
    const s = opts.step[i] ?? 0.1;
    const hi = opts.upper[i] ?? Number.POSITIVE_INFINITY;
    // step towards the interior when the start sits at the upper bound
    p[i] = (p[i] ?? 0) + ((p[i] ?? 0) + s > hi ? -s : s);
    project(p, opts.lower, opts.upper);
    pts.push(p);
    fs[i + 1] = safe(fn(p));
    evals++;
  }
  const order = Array.from({ length: d + 1 }, (_, i) => i);
  const centroid = new Float64Array(d);
  const xr = new Float64Array(d);
  const xe = new Float64Array(d);
  const xc = new Float64Array(d);
  while (evals < budget) {
    order.sort((a, b) => (fs[a] ?? 0) - (fs[b] ?? 0));
    const iBest = order[0] ?? 0;
    const iWorst = order[d] ?? 0;
    const iSecond = order[d - 1] ?? 0;
    const fBest = fs[iBest] ?? 0;
    const fWorst = fs[iWorst] ?? 0;
    if (Number.isFinite(fWorst) && fWorst - fBest <= absTol + tol * Math.abs(fBest)) break;
    centroid.fill(0);
    for (let k = 0; k < d; k++) {
      const idx = order[k] ?? 0;
      const p = pts[idx] as Float64Array;
      for (let i = 0; i < d; i++) centroid[i] = (centroid[i] ?? 0) + (p[i] ?? 0) / d;
    }
    const worst = pts[iWorst] as Float64Array;
    for (let i = 0; i < d; i++) xr[i] = 2 * (centroid[i] ?? 0) - (worst[i] ?? 0);
    project(xr, opts.lower, opts.upper);
    const fr = safe(fn(xr));
    evals++;
    if (fr < fBest) {
      for (let i = 0; i < d; i++) xe[i] = 3 * (centroid[i] ?? 0) - 2 * (worst[i] ?? 0);
      project(xe, opts.lower, opts.upper);
      const fe = safe(fn(xe));
      evals++;
      if (fe < fr) {
        worst.set(xe);
        fs[iWorst] = fe;
      } else {
        worst.set(xr);
        fs[iWorst] = fr;
      }
      continue;
    }
    if (fr < (fs[iSecond] ?? 0)) {
      worst.set(xr);
      fs[iWorst] = fr;
      continue;
    }
    const outside = fr < fWorst;
    for (let i = 0; i < d; i++) {
      const c = centroid[i] ?? 0;
      xc[i] = outside ? c + 0.5 * ((xr[i] ?? 0) - c) : c + 0.5 * ((worst[i] ?? 0) - c);
    }
    const fc = safe(fn(xc));
    evals++;
    if (fc < (outside ? fr : fWorst)) {
      worst.set(xc);
      fs[iWorst] = fc;
      continue;
    }
    const best = pts[iBest] as Float64Array;
    for (let k = 1; k <= d; k++) {
      const idx = order[k] ?? 0;
      const p = pts[idx] as Float64Array;
      for (let i = 0; i < d; i++) p[i] = (best[i] ?? 0) + 0.5 * ((p[i] ?? 0) - (best[i] ?? 0));
      fs[idx] = safe(fn(p));
      evals++;
    }
  }
  let bi = 0;
  for (let k = 1; k <= d; k++) if ((fs[k] ?? 0) < (fs[bi] ?? 0)) bi = k;
  return { x: Float64Array.from(pts[bi] as Float64Array), f: fs[bi] ?? 0, evals };
}
