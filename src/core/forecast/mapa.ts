/**
 * Temporal aggregation in the manner of MAPA, the Multiple Aggregation Prediction Algorithm
 * (Kourentzes, Petropoulos & Trapero 2014, IJF 30(2)): the same monthly series seen at
 * aggregation levels k = 1 … 12 months. At a high level noise cancels and the trend and level
 * show; at a low level the recent months count. Forecasting at each level and combining gives
 * a member whose errors differ from the single-level models', which is what a combination
 * needs.
 *
 * This is the simple form of the algorithm, as in Kourentzes et al.'s "MAPA with forecast
 * combination" rather than their state combination:
 *  1. seasonality is removed first, as Theta does (classical multiplicative decomposition when
 *     the 90% lag-12 autocorrelation test says so), and multiplied back in at the end;
 *  2. at each level k the adjusted series is cut into buckets of k months, counted back from
 *     the last month (the incomplete bucket at the start is dropped), and each bucket becomes
 *     its mean; a level is used when it has at least MIN_POINTS buckets;
 *  3. each level's series gets the nonseasonal additive-error ETS of lowest AICc (ETS(A,N,N),
 *     ETS(A,A,N) or ETS(A,Ad,N));
 *  4. a level's forecasts are bucket means, so each sits at its bucket's centre; the monthly
 *     path is the straight line between those centres, starting from the fitted level of the
 *     last observed bucket (no steps at bucket edges);
 *  5. the member's forecast is the plain mean over the levels.
 *
 * Intervals: the level-1 model's analytic ETS(A,·,N) half-widths around the combined mean,
 * reseasoned. `auto` recalibrates its combined intervals anyway (see calibration.ts).
 */
import { autoEts, etsForecast, etsPoint } from './ets.js';
import type { Interval } from './interval.js';
import { reseason, seasonallyAdjust } from './seasonal-adjust.js';

/** The aggregation levels for monthly data: MAPA's default, 1 to 12 months. */
export const MAPA_LEVELS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Fewest aggregate points a level needs to be fitted. */
export const MIN_POINTS = 6;

export interface MapaResult extends Interval {
  /** The levels that were fitted. */
  readonly levels: readonly number[];
  readonly seasonal: boolean;
}

/** Means of consecutive buckets of k values, counted back from the end of x. */
export function aggregateMeans(x: readonly number[], k: number): number[] {
  const count = Math.floor(x.length / k);
  const start = x.length - count * k;
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += x[start + i * k + j] as number;
    out[i] = s / k;
  }
  return out;
}

/**
 * Monthly values 1 … h after the origin from a level-k path: `path[0]` is the last observed
 * bucket (centred (k − 1)/2 months before the origin's month, i.e. at month (1 − k)/2) and
 * `path[j]` the j-th bucket ahead (centred at month (j − 1)·k + (k + 1)/2). Linear between
 * centres; `path` must reach past month h.
 */
export function monthlyPath(path: readonly number[], k: number, h: number): number[] {
  const out = new Array<number>(h);
  for (let t = 1; t <= h; t++) {
    const u = (t - (1 - k) / 2) / k;
    const j = Math.min(Math.floor(u), path.length - 2);
    const w = u - j;
    out[t - 1] = (path[j] as number) * (1 - w) + (path[j + 1] as number) * w;
  }
  return out;
}

export function mapaForecast(y: readonly number[], h: number, m: number): MapaResult | null {
  const n = y.length;
  const adj = seasonallyAdjust(y, m);
  const x = adj.adjusted;
  const sum = new Float64Array(h);
  const levels: number[] = [];
  let base: Interval | null = null;
  for (const k of MAPA_LEVELS) {
    const a = k === 1 ? x : aggregateMeans(x, k);
    if (a.length < MIN_POINTS) continue;
    const fit = autoEts(a, 1, { seasonal: false, error: 'A' });
    if (!fit) continue;
    const path = [fit.level, ...etsPoint(fit, Math.ceil(h / k) + 1)];
    if (!path.every(Number.isFinite)) continue;
    monthlyPath(path, k, h).forEach((v, t) => {
      sum[t] = (sum[t] as number) + v;
    });
    levels.push(k);
    if (k === 1) base = etsForecast(fit, h);
  }
  if (levels.length === 0 || !base) return null;
  const b = base;
  const mean = Array.from(sum, (v) => v / levels.length);
  const around = (bound: readonly number[]) =>
    reseason(
      mean.map((v, t) => v + (bound[t] as number) - (b.mean[t] as number)),
      adj,
      n,
    );
  return {
    mean: reseason(mean, adj, n),
    lo80: around(b.lo80),
    hi80: around(b.hi80),
    lo95: around(b.lo95),
    hi95: around(b.hi95),
    levels,
    seasonal: adj.seasonal,
  };
}
