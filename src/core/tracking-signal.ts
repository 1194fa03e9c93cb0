/**
 * Tracking signals of the lag-1 consensus forecast, per family, over a window of months: the
 * sum of errors over the mean absolute error, Σ(A − F) / MAD (docs/sop-domain.md). A forecast
 * that errs the same way month after month drifts outside ±4 and wants investigating; one
 * whose errors cancel stays near 0. With n months the signal is at most n in size, so a family
 * needs at least `minMonths` (5) months before it can be outside ±4.
 */
import { trackingSignal } from './kpi.js';
import type { Period } from './period.js';
import { compareCodes } from './text.js';

/** The threshold of docs/sop-domain.md. */
export const TRACKING_LIMIT = 4;

export interface FamilySignal {
  readonly family: string;
  /** Σ(A − F) / MAD: positive when actuals ran above the forecast (under-forecast). */
  readonly signal: number;
  readonly months: number;
}

export interface TrackingSignals {
  /** Families with enough months, outside ±limit, largest first. */
  readonly outside: readonly FamilySignal[];
  /** How many families had enough months to be judged. */
  readonly judged: number;
  /** The longest run of months any family had. */
  readonly months: number;
}

/**
 * Lag-1 forecasts and actuals of the same family-months; months without an actual are left
 * out. `forecasts` may hold several rows of one family-month (one per cycle): each is a
 * forecast of its own and counts.
 */
export function trackingSignals(
  forecasts: readonly { family: string; period: Period; value: number }[],
  actuals: readonly { family: string; period: Period; units: number }[],
  opts: { readonly minMonths?: number; readonly limit?: number } = {},
): TrackingSignals {
  const minMonths = opts.minMonths ?? 5;
  const limit = opts.limit ?? TRACKING_LIMIT;
  const actual = new Map(actuals.map((a) => [`${a.family}\u0000${a.period}`, a.units]));
  const pairs = new Map<string, { a: number[]; f: number[] }>();
  for (const f of forecasts) {
    const a = actual.get(`${f.family}\u0000${f.period}`);
    if (a === undefined) continue;
    const p = pairs.get(f.family) ?? { a: [], f: [] };
    p.a.push(a);
    p.f.push(f.value);
    pairs.set(f.family, p);
  }
  const outside: FamilySignal[] = [];
  let judged = 0;
  let months = 0;
  for (const [family, p] of pairs) {
    months = Math.max(months, p.a.length);
    if (p.a.length < minMonths) continue;
    judged++;
    const signal = trackingSignal(p.a, p.f);
    if (signal !== null && Math.abs(signal) > limit)
      outside.push({ family, signal, months: p.a.length });
  }
  outside.sort(
    (x, y) => Math.abs(y.signal) - Math.abs(x.signal) || compareCodes(x.family, y.family),
  );
  return { outside, judged, months };
}
