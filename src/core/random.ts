/**
 * The one seeded pseudo-random source of the project (mulberry32), so that simulated
 * forecast intervals, the sample company and the stress test's demand samples are the same
 * on every machine for a given seed.
 */

/** Uniform draws in [0, 1) from a 32-bit seed (mulberry32). */
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

/** A seeded generator with the usual helpers. */
export interface Rng {
  next(): number;
  uniform(lo: number, hi: number): number;
  int(lo: number, hi: number): number;
  normal(): number;
  pick<T>(xs: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const normal = normalSource(next);
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal,
    pick: (xs) => {
      if (xs.length === 0) throw new RangeError('pick from an empty list');
      return xs[Math.floor(next() * xs.length)]!;
    },
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
