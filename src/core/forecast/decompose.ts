/**
 * Classical decomposition (R's stats::decompose) and the seasonality test the M3 Theta
 * method uses (lag-m autocorrelation against its Bartlett standard error, 90% two-sided).
 */

/** Centred moving average of order m (2×m when m is even); NaN where undefined. */
export function centredMovingAverage(y: readonly number[], m: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const half = Math.floor(m / 2);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (m % 2 === 0) {
      s += 0.5 * ((y[t - half] ?? 0) + (y[t + half] ?? 0));
      for (let k = -half + 1; k <= half - 1; k++) s += y[t + k] ?? 0;
    } else {
      for (let k = -half; k <= half; k++) s += y[t + k] ?? 0;
    }
    out[t] = s / m;
  }
  return out;
}

export interface Decomposition {
  /** Seasonal figure by position: figure[t % m] applies to observation t (0-based). */
  readonly figure: Float64Array;
  readonly trend: Float64Array;
}

/** Needs at least 2·m observations. */
export function decompose(
  y: readonly number[],
  m: number,
  type: 'additive' | 'multiplicative',
): Decomposition {
  const trend = centredMovingAverage(y, m);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < y.length; t++) {
    const tr = trend[t] ?? Number.NaN;
    if (Number.isNaN(tr)) continue;
    const v = y[t] ?? 0;
    const d = type === 'additive' ? v - tr : v / tr;
    if (!Number.isFinite(d)) continue;
    sums[t % m] = (sums[t % m] ?? 0) + d;
    counts[t % m] = (counts[t % m] ?? 0) + 1;
  }
  const figure = new Float64Array(m);
  let mean = 0;
  for (let j = 0; j < m; j++) {
    const c = counts[j] ?? 0;
    figure[j] = c > 0 ? (sums[j] ?? 0) / c : type === 'additive' ? 0 : 1;
    mean += (figure[j] ?? 0) / m;
  }
  for (let j = 0; j < m; j++) {
    figure[j] = type === 'additive' ? (figure[j] ?? 0) - mean : (figure[j] ?? 0) / mean;
  }
  return { figure, trend };
}

/** Sample autocorrelations r_1..r_maxLag (R's acf). */
export function acf(y: readonly number[], maxLag: number): Float64Array {
  const n = y.length;
  let mean = 0;
  for (const v of y) mean += v / n;
  let c0 = 0;
  for (const v of y) c0 += (v - mean) * (v - mean);
  const r = new Float64Array(maxLag);
  if (c0 === 0) return r;
  for (let k = 1; k <= maxLag; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += ((y[t] ?? 0) - mean) * ((y[t - k] ?? 0) - mean);
    r[k - 1] = c / c0;
  }
  return r;
}

/**
 * M3 Theta's test: seasonal when |r_m| exceeds 1.645 standard errors, where the standard
 * error is sqrt((1 + 2·Σ_{k<m} r_k²)/n). Needs at least 3·m observations.
 */
export function isSeasonal(y: readonly number[], m: number): boolean {
  if (m <= 1 || y.length < 3 * m) return false;
  const r = acf(y, m);
  let s = 0;
  for (let k = 0; k < m - 1; k++) s += (r[k] ?? 0) ** 2;
  const stat = Math.sqrt((1 + 2 * s) / y.length);
  return Math.abs(r[m - 1] ?? 0) / stat > 1.6448536269514722;
}
