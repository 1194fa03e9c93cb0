import type { Interval } from './interval.js';

/** Seeded pseudo-random numbers (mulberry32) so simulated intervals are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller over a uniform source. */
export function normalSource(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = Math.max(uniform(), 1e-300);
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Quantile of sorted values by linear interpolation (R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (h - lo) * (b - a);
}

export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

/**
 * Gaussian 80/95% bounds of a linear model from its ψ-weights (ψ_0 = 1):
 * Var_h = σ²·Σ_{j<h} ψ_j² (Hyndman et al. 2008, ch. 6).
 */
export function psiInterval(mean: number[], psi: readonly number[], sigma2: number): Interval {
  const lo80: number[] = [];
  const hi80: number[] = [];
  const lo95: number[] = [];
  const hi95: number[] = [];
  let acc = 0;
  mean.forEach((mu, k) => {
    acc += (psi[k] ?? 0) ** 2;
    const sd = Math.sqrt(sigma2 * acc);
    lo80.push(mu - Z80 * sd);
    hi80.push(mu + Z80 * sd);
    lo95.push(mu - Z95 * sd);
    hi95.push(mu + Z95 * sd);
  });
  return { mean, lo80, hi80, lo95, hi95 };
}
