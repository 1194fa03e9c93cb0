/**
 * How `auto` combines its members and sizes its intervals. Both were chosen by rolling-origin
 * cross-validation on the TRAINING part of the M3 monthly dev series only (origins 18 and 36
 * months before the end of each training part, 18 months ahead: 1254 windows), never on their
 * test rows and never per series id. `npx tsx bench/forecast-cv.ts` reruns the validation and
 * prints both tables below; paste them here when a member changes.
 *
 * The combination rule: the candidates are every member alone, the equal-weight mean of every
 * subset of two or more members and the median of every subset of three or more, ranked by
 * sMAPE/sMAPE₀ + MASE/MASE₀ pooled over the windows (₀: the former mean of ETS, theta and
 * damped). Weights fitted on a simplex grid score a little better in-sample, but weights
 * fitted on one origin lose to equal weights on the other, in both directions, so they do not
 * travel and the rule ignores them. The winner is the median of ETS, theta, DOTM, CES and
 * ARIMA (the SCUM idea of Petropoulos & Svetunkov 2020, with theta added).
 *
 * Intervals are split-conformal with a normalised score: for a validation window, z_h =
 * (actual − combined forecast) / s_h, where s_h is the members' own 95% half-width averaged.
 * The table holds the 2.5%, 10%, 90% and 97.5% quantiles of z_h per horizon (pooled over
 * horizons h−2 … h+2 to steady the tails), so the bounds are mean + q·s_h. The quantiles are
 * asymmetric because the errors are. Horizons past the table reuse its last row (s_h itself
 * keeps growing).
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
    { name: 'ets', weight: 0.2 },
    { name: 'theta', weight: 0.2 },
    { name: 'dotm', weight: 0.2 },
    { name: 'ces', weight: 0.2 },
    { name: 'arima', weight: 0.2 },
  ],
};

/** [q2.5, q10, q90, q97.5] of the normalised score, horizons 1, 2, … */
export const INTERVAL_QUANTILES: readonly (readonly [number, number, number, number])[] = [
  [-1.074, -0.679, 0.564, 1.081],
  [-1.119, -0.696, 0.565, 1.090],
  [-1.133, -0.710, 0.573, 1.092],
  [-1.147, -0.702, 0.610, 1.140],
  [-1.139, -0.690, 0.637, 1.151],
  [-1.153, -0.699, 0.622, 1.151],
  [-1.133, -0.669, 0.654, 1.180],
  [-1.117, -0.647, 0.653, 1.206],
  [-1.116, -0.655, 0.629, 1.210],
  [-1.121, -0.671, 0.626, 1.224],
  [-1.163, -0.681, 0.644, 1.257],
  [-1.188, -0.695, 0.632, 1.258],
  [-1.231, -0.726, 0.650, 1.273],
  [-1.239, -0.740, 0.674, 1.279],
  [-1.264, -0.772, 0.691, 1.280],
  [-1.286, -0.792, 0.706, 1.331],
  [-1.295, -0.808, 0.712, 1.331],
  [-1.297, -0.810, 0.713, 1.373],
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
