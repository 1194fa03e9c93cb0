import type { Interval } from './interval.js';

/** The forecasters' random source is the project's one PRNG (src/core/random.ts). */
export { mulberry32, normalSource, quantileSorted } from '../random.js';

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
