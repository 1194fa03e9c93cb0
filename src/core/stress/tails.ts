/**
 * Which way demand runs in a figure's bad case (docs/plan-format.md, "Trade-offs in one
 * sentence"). Each bad-case figure is its own 1 in 10: the stock's P90, the cash's P10 and the
 * fill rate's P10 come from different samples, often from opposite ends of demand (low demand
 * leaves stock and, paid for, less cash; high demand fills less). The trade-off sentence says
 * which end when the samples show it, so no reader takes the three for one bad outcome.
 *
 * The rule, per figure: take its bad tenth, the samples at least as bad as its bad case (stock
 * at or above its P90; cash, fill rate at or below their P10), and each sample's demand (its
 * units over the figure's months, valued at the scenario's prices when every family has one
 * in every month: `demandTailsOf`). Demand "runs low" there
 * when at least 3 in 4 of those samples have demand below the median sample's, "high" when 3
 * in 4 have it above. Otherwise, and when the tenth holds fewer than 20 samples (by chance
 * alone 3 in 4 of a few samples often fall on one side) or is no tail at all (the bad case
 * equals the median, as stock that is nil in most samples), demand runs neither way: the
 * sentence says each figure is its own 1 in 10 and names no direction.
 */
import { quantileSorted } from '../random.js';

/** −1: demand runs low in the figure's bad tenth; 1: high; 0: neither way clearly. */
export type DemandTail = -1 | 0 | 1;

/** The share of the bad tenth on one side of the median demand that names a direction. */
export const TAIL_SHARE = 0.75;
/** The fewest samples in the bad tenth that can name a direction. */
export const TAIL_MIN_SAMPLES = 20;

/**
 * Which way demand runs in the bad tenth of `outcome` (per sample), whose bad side is `bad`
 * ('high' for stock, 'low' for cash and fill rate), from each sample's `demand`.
 */
export function demandTail(
  outcome: ArrayLike<number>,
  demand: ArrayLike<number>,
  bad: 'high' | 'low',
): DemandTail {
  const S = Math.min(outcome.length, demand.length);
  if (S === 0) return 0;
  const sortedOutcome = Float64Array.from({ length: S }, (_, s) => outcome[s]!).sort();
  const cut = quantileSorted(sortedOutcome, bad === 'high' ? 0.9 : 0.1);
  const middle = quantileSorted(sortedOutcome, 0.5);
  if (cut === middle) return 0;
  const medianDemand = quantileSorted(
    Float64Array.from({ length: S }, (_, s) => demand[s]!).sort(),
    0.5,
  );
  let n = 0;
  let below = 0;
  let above = 0;
  for (let s = 0; s < S; s++) {
    const v = outcome[s]!;
    if (bad === 'high' ? v < cut : v > cut) continue;
    n++;
    const d = demand[s]!;
    if (d < medianDemand) below++;
    else if (d > medianDemand) above++;
  }
  if (n < TAIL_MIN_SAMPLES) return 0;
  if (below >= TAIL_SHARE * n) return -1;
  if (above >= TAIL_SHARE * n) return 1;
  return 0;
}

/** Which way demand runs in each bad-case figure of the trade-off sentence. */
export interface DemandTails {
  /** Stock beyond cover or expired, at its P90. */
  readonly excessStock: DemandTail;
  /** Cumulative cash to the budget's last month (else the horizon's), at its P10. */
  readonly cash: DemandTail;
  /** Fill rate, at its P10. */
  readonly fillRate: DemandTail;
}
