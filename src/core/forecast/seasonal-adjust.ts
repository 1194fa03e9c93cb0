/**
 * Seasonal adjustment the way the M3 benchmarks did it: when the lag-m autocorrelation test
 * says so and the data are positive, divide by the classical multiplicative figure, forecast
 * the adjusted series, then multiply the seasonality back in.
 */
import { decompose, isSeasonal } from './decompose.js';

export interface SeasonalAdjustment {
  readonly adjusted: readonly number[];
  /** Index by position; all ones when no seasonality was removed. */
  readonly figure: Float64Array;
  readonly seasonal: boolean;
}

export function seasonallyAdjust(y: readonly number[], m: number): SeasonalAdjustment {
  const positive = y.every((v) => v > 0);
  if (m > 1 && positive && isSeasonal(y, m)) {
    const figure = decompose(y, m, 'multiplicative').figure;
    return { adjusted: y.map((v, t) => v / (figure[t % m] as number)), figure, seasonal: true };
  }
  return { adjusted: y, figure: new Float64Array(Math.max(m, 1)).fill(1), seasonal: false };
}

/** Multiplies step h (1-based) of a forecast by the seasonal index of position n + h − 1. */
export function reseason(values: readonly number[], adj: SeasonalAdjustment, n: number): number[] {
  if (!adj.seasonal) return [...values];
  const m = adj.figure.length;
  return values.map((v, k) => v * (adj.figure[(n + k) % m] as number));
}
