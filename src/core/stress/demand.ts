/**
 * Demand uncertainty for the stress test (docs/plan-format.md, "Stress test").
 *
 * Each family-month's demand has a split-normal distribution: its median is the consensus
 * (`units`), and its 10th and 90th percentiles are `p10` and `p90` (from the baseline's 80%
 * prediction interval, scaled to the consensus), each side widened by the family's factor
 * when past cycles' consensus errors were larger than the interval implied.
 *
 * Samples are seeded. A sample's standardised shock for family f in month t is
 *   z[f,t] = √w · M[t] + √(1−w) · e[f,t]
 * where M is a market factor shared by every family and e the family's own shock; both are
 * AR(1) with persistence φ and unit variance (M[t] = φ·M[t−1] + √(1−φ²)·η), so a shock
 * lasts several months and the marginal percentiles stay exactly p10 and p90. Demand is
 * median + z·(median − p10)/z₉₀ below the median and median + z·(p90 − median)/z₉₀ above,
 * never below zero.
 */
import type { Period } from '../period.js';
import { mulberry32, normalSource } from '../random.js';
import type { PlanProblem } from '../supply/problem.js';

export const Z90 = 1.2815515655446004;

export interface DemandDistribution {
  readonly families: readonly string[];
  readonly periods: readonly Period[];
  /** Per family f and month t at f*T+t. */
  readonly median: Float64Array;
  readonly sdLow: Float64Array;
  readonly sdHigh: Float64Array;
}

export interface SamplingOptions {
  readonly samples: number;
  readonly seed: number;
  /** Share of each family's variance that comes from the market factor (0..1). */
  readonly marketShare?: number;
  /** Month-to-month persistence of shocks (0..1). */
  readonly persistence?: number;
}

export const DEFAULT_MARKET_SHARE = 0.3;
export const DEFAULT_PERSISTENCE = 0.6;

/**
 * The distribution of each family-month of the problem's demand. `widen` multiplies both
 * sides' spread of a family (default 1); a family-month without p10/p90 has no spread.
 */
export function demandDistribution(
  problem: PlanProblem,
  widen: ReadonlyMap<string, number> = new Map(),
): DemandDistribution {
  const T = problem.periods.length;
  const fIdx = new Map(problem.families.map((f, i) => [f.code, i]));
  const tIdx = new Map(problem.periods.map((t, i) => [t, i]));
  const n = problem.families.length * T;
  const median = new Float64Array(n);
  const sdLow = new Float64Array(n);
  const sdHigh = new Float64Array(n);
  for (const d of problem.demand) {
    const f = fIdx.get(d.family);
    const t = tIdx.get(d.period);
    if (f === undefined || t === undefined) continue;
    const k = f * T + t;
    const w = widen.get(d.family) ?? 1;
    median[k] = d.units;
    sdLow[k] = (w * (d.units - (d.p10 ?? d.units))) / Z90;
    sdHigh[k] = (w * ((d.p90 ?? d.units) - d.units)) / Z90;
  }
  return {
    families: problem.families.map((f) => f.code),
    periods: problem.periods,
    median,
    sdLow,
    sdHigh,
  };
}

/** Demand of every sample at (s*F+f)*T+t (the shocks as in the module's comment). */
export function sampleDemand(dist: DemandDistribution, opts: SamplingOptions): Float64Array {
  const F = dist.families.length;
  const T = dist.periods.length;
  const w = opts.marketShare ?? DEFAULT_MARKET_SHARE;
  const phi = opts.persistence ?? DEFAULT_PERSISTENCE;
  const innov = Math.sqrt(1 - phi * phi);
  const a = Math.sqrt(w);
  const b = Math.sqrt(1 - w);
  const normal = normalSource(mulberry32(opts.seed));
  const out = new Float64Array(opts.samples * F * T);
  const market = new Float64Array(T);
  const { median, sdLow, sdHigh } = dist;
  for (let s = 0; s < opts.samples; s++) {
    let m = normal();
    for (let t = 0; t < T; t++) {
      if (t > 0) m = phi * m + innov * normal();
      market[t] = a * m;
    }
    for (let f = 0; f < F; f++) {
      let e = normal();
      const base = (s * F + f) * T;
      const k0 = f * T;
      for (let t = 0; t < T; t++) {
        if (t > 0) e = phi * e + innov * normal();
        const z = market[t]! + b * e;
        const k = k0 + t;
        const d = median[k]! + z * (z < 0 ? sdLow[k]! : sdHigh[k]!);
        out[base + t] = d > 0 ? d : 0;
      }
    }
  }
  return out;
}

/**
 * How much wider than the forecast's interval the consensus actually erred, per family:
 * the root mean square of past relative consensus errors over the relative spread the
 * interval implies ((p90 − p10) / (2·z₉₀·median)) in the first plan month, never below 1.
 * The past errors are each cycle's own first plan month (db/queries/consensus-errors.ts), so
 * they are set against the same horizon's spread: against the spread averaged over the whole
 * horizon, which grows with it, they would look small and widen too little. Families without
 * past errors keep their interval.
 */
export function wideningFromErrors(
  dist: DemandDistribution,
  pastRelativeErrors: ReadonlyMap<string, readonly number[]>,
): Map<string, number> {
  const T = dist.periods.length;
  const out = new Map<string, number>();
  dist.families.forEach((family, f) => {
    const errs = pastRelativeErrors.get(family);
    if (!errs || errs.length < 3 || T === 0) return;
    const k = f * T;
    const m = dist.median[k] ?? 0;
    if (m <= 0) return;
    const implied = ((dist.sdLow[k] ?? 0) + (dist.sdHigh[k] ?? 0)) / (2 * m);
    if (implied <= 0) return;
    const rms = Math.sqrt(errs.reduce((acc, e) => acc + e * e, 0) / errs.length);
    out.set(family, Math.max(1, rms / implied));
  });
  return out;
}
