/**
 * Benchmarks and fallbacks: naive, seasonal naive, mean, and Croston's method with the
 * Syntetos–Boylan bias correction (SBA) for intermittent demand.
 */
import type { Interval } from './ets.js';
import { Z80, Z95 } from './prng.js';

function band(mean: readonly number[], sd: (k: number) => number): Interval {
  return {
    mean: [...mean],
    lo80: mean.map((v, k) => v - Z80 * sd(k)),
    hi80: mean.map((v, k) => v + Z80 * sd(k)),
    lo95: mean.map((v, k) => v - Z95 * sd(k)),
    hi95: mean.map((v, k) => v + Z95 * sd(k)),
  };
}

function rmsDiff(y: readonly number[], lag: number): number {
  let s = 0;
  let c = 0;
  for (let t = lag; t < y.length; t++) {
    const d = (y[t] as number) - (y[t - lag] as number);
    s += d * d;
    c++;
  }
  return c > 0 ? Math.sqrt(s / c) : 0;
}

/** Random walk: last value; interval width grows with √h. */
export function naiveForecast(y: readonly number[], h: number): Interval {
  const last = y[y.length - 1] ?? 0;
  const sd = rmsDiff(y, 1);
  return band(
    Array.from({ length: h }, () => last),
    (k) => sd * Math.sqrt(k + 1),
  );
}

/** Same month last season; falls back to naive when there is less than one season. */
export function seasonalNaiveForecast(y: readonly number[], h: number, m: number): Interval {
  const n = y.length;
  if (n < m) return naiveForecast(y, h);
  const sd = rmsDiff(y, m);
  return band(
    Array.from({ length: h }, (_, k) => y[n - m + (k % m)] as number),
    (k) => sd * Math.sqrt(Math.floor(k / m) + 1),
  );
}

export function meanForecast(y: readonly number[], h: number): Interval {
  const n = y.length;
  let mu = 0;
  for (const v of y) mu += v / n;
  let ss = 0;
  for (const v of y) ss += (v - mu) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) * Math.sqrt(1 + 1 / n) : 0;
  return band(
    Array.from({ length: h }, () => mu),
    () => sd,
  );
}

/** Share of zero periods above which a nonnegative series is treated as intermittent. */
export const INTERMITTENT_ZERO_SHARE = 0.3;

export function isIntermittent(y: readonly number[]): boolean {
  if (y.length === 0 || y.some((v) => v < 0)) return false;
  const zeros = y.filter((v) => v === 0).length;
  return zeros / y.length >= INTERMITTENT_ZERO_SHARE && zeros < y.length;
}

/**
 * Croston: smooth nonzero demand sizes z and intervals p separately (alpha 0.1); forecast
 * z/p, times (1 − alpha/2) for SBA. Interval from the in-sample one-step errors.
 */
export function crostonForecast(
  y: readonly number[],
  h: number,
  variant: 'croston' | 'sba',
  alpha = 0.1,
): Interval {
  let z = Number.NaN;
  let p = Number.NaN;
  let q = 1;
  let ss = 0;
  let cnt = 0;
  const factor = variant === 'sba' ? 1 - alpha / 2 : 1;
  for (const v of y) {
    if (!Number.isNaN(z)) {
      const f = (factor * z) / p;
      ss += (v - f) ** 2;
      cnt++;
    }
    if (v !== 0) {
      if (Number.isNaN(z)) {
        z = v;
        p = q;
      } else {
        z += alpha * (v - z);
        p += alpha * (q - p);
      }
      q = 1;
    } else {
      q++;
    }
  }
  const level = Number.isNaN(z) ? 0 : (factor * z) / p;
  const sd = cnt > 0 ? Math.sqrt(ss / cnt) : 0;
  return band(
    Array.from({ length: h }, () => level),
    () => sd,
  );
}
