/**
 * How `auto` combines its members and sizes its intervals. Both were chosen by rolling-origin
 * cross-validation on the TRAINING part of the M3 monthly dev series only (origins 18 and 36
 * months before the end of each training part, 18 months ahead), never on their test rows and
 * never per series id. `npx tsx bench/forecast-cv.ts` reruns the validation and prints both
 * tables below; paste them here when a member changes.
 *
 * Intervals are split-conformal with a normalised score: for a validation window, z_h =
 * (actual − combined forecast) / s_h, where s_h is the members' own 95% half-width averaged.
 * The table holds the 2.5%, 10%, 90% and 97.5% quantiles of z_h per horizon (pooled over
 * horizons h−2 … h+2 to steady the tails), so the bounds are mean + q·s_h. The quantiles are
 * asymmetric because the errors are: misses above the forecast are more frequent and larger.
 * Horizons past the table reuse its last row (s_h itself keeps growing).
 */

export type MemberName = 'ets' | 'theta' | 'damped' | 'dotm' | 'ces' | 'arima';

/** The candidates that bench/forecast-cv.ts weighs. */
export const MEMBER_NAMES: readonly MemberName[] = [
  'ets',
  'theta',
  'damped',
  'dotm',
  'ces',
  'arima',
];

export interface Combination {
  /** 'median' takes the median of the members' forecasts (weights ignored, all equal). */
  readonly rule: 'mean' | 'median';
  readonly members: readonly { readonly name: MemberName; readonly weight: number }[];
}

export const COMBINATION: Combination = {
  rule: 'median',
  members: [
    { name: 'ets', weight: 0.25 },
    { name: 'theta', weight: 0.25 },
    { name: 'dotm', weight: 0.25 },
    { name: 'ces', weight: 0.25 },
  ],
};

/** [q2.5, q10, q90, q97.5] of the normalised score, horizons 1, 2, … */
export const INTERVAL_QUANTILES: readonly (readonly [number, number, number, number])[] = [
  [-1.088, -0.668, 0.574, 1.116],
  [-1.111, -0.684, 0.575, 1.113],
  [-1.121, -0.702, 0.585, 1.111],
  [-1.129, -0.691, 0.618, 1.13],
  [-1.129, -0.694, 0.642, 1.135],
  [-1.158, -0.71, 0.637, 1.132],
  [-1.132, -0.688, 0.663, 1.163],
  [-1.112, -0.658, 0.657, 1.184],
  [-1.113, -0.669, 0.639, 1.2],
  [-1.131, -0.679, 0.64, 1.238],
  [-1.155, -0.684, 0.657, 1.265],
  [-1.18, -0.699, 0.657, 1.264],
  [-1.218, -0.728, 0.679, 1.296],
  [-1.253, -0.739, 0.696, 1.303],
  [-1.302, -0.762, 0.72, 1.306],
  [-1.331, -0.779, 0.73, 1.335],
  [-1.339, -0.799, 0.732, 1.336],
  [-1.347, -0.798, 0.73, 1.339],
];

/** Combines member forecasts at one step by the rule: weighted mean or plain median. */
export function combineStep(
  rule: Combination['rule'],
  values: readonly number[],
  weights: readonly number[],
): number {
  if (rule === 'median') {
    const v = [...values].sort((a, b) => a - b);
    const c = v.length;
    return c % 2
      ? (v[(c - 1) / 2] as number)
      : ((v[c / 2 - 1] as number) + (v[c / 2] as number)) / 2;
  }
  const total = weights.reduce((a, w) => a + w, 0);
  return values.reduce((a, v, i) => a + ((weights[i] as number) / total) * v, 0);
}

export interface Bounds {
  readonly lo80: number[];
  readonly hi80: number[];
  readonly lo95: number[];
  readonly hi95: number[];
}

export function calibrated(
  mean: readonly number[],
  scale: readonly number[],
  table: readonly (readonly [number, number, number, number])[] = INTERVAL_QUANTILES,
): Bounds {
  const row = (k: number) =>
    table[Math.min(k, table.length - 1)] as readonly [number, number, number, number];
  const at = (i: 0 | 1 | 2 | 3) =>
    mean.map((v, k) => v + row(k)[i] * Math.max(0, scale[k] as number));
  return { lo95: at(0), lo80: at(1), hi80: at(2), hi95: at(3) };
}
