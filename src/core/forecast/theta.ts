/**
 * The Theta method as entered in M3 (Assimakopoulos & Nikolopoulos 2000), in the form proven
 * by Hyndman & Billah (2003) and used by R's forecast::thetaf: simple exponential smoothing
 * with drift equal to half the slope of the linear trend, on seasonally adjusted data.
 */

import type { Interval } from './ets.js';
import { etsForecast, fitEts } from './ets.js';
import { reseason, seasonallyAdjust } from './seasonal-adjust.js';

export interface ThetaResult extends Interval {
  readonly alpha: number;
  readonly drift: number;
  readonly seasonal: boolean;
}

export function thetaForecast(y: readonly number[], h: number, m: number): ThetaResult | null {
  const n = y.length;
  const adj = seasonallyAdjust(y, m);
  const x = adj.adjusted;
  const fit = fitEts(x, { error: 'A', trend: 'N', season: 'N' }, 1);
  if (!fit) return null;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t] as number;
    sx += t;
    sy += v;
    sxx += t * t;
    sxy += t * v;
  }
  const slope = n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
  const drift = slope / 2;
  const alpha = Math.max(1e-10, fit.alpha);
  const base = etsForecast(fit, h);
  const shift = (k: number) => drift * (k + (1 - (1 - alpha) ** n) / alpha);
  const add = (v: readonly number[]) => v.map((u, k) => u + shift(k));
  return {
    mean: reseason(add(base.mean), adj, n),
    lo80: reseason(add(base.lo80), adj, n),
    hi80: reseason(add(base.hi80), adj, n),
    lo95: reseason(add(base.lo95), adj, n),
    hi95: reseason(add(base.hi95), adj, n),
    alpha,
    drift,
    seasonal: adj.seasonal,
  };
}
