/**
 * Processed-request keys for effects that have no natural key of their own (events, some
 * button clicks): the first caller claims the key and does the work, retries see it taken.
 */

import type { Db } from '../../db/connect.js';
import { claimRequest, reclaimStaleRequest, releaseRequest } from '../../db/queries/requests.js';

/**
 * For work whose claim may outlive it: when Postgres goes away after the claim, the work fails
 * and so does giving the claim back, and the same request sent again (a form sent again after
 * its apology) would find it claimed for good.
 */
export interface Reclaim {
  /**
   * A claim older than this was left by work that failed: the request sent again does the
   * work. Longer than any sending can take, so a first sending still under way is not
   * reclaimed (a Slack retry, a double click).
   */
  readonly afterMs: number;
  /** Whether the request's work is written (then nothing is reclaimed). */
  readonly done: () => Promise<boolean>;
}

/**
 * Runs `work` once per key; returns false (and does nothing) when the key was seen before.
 * A failed run gives the key back so a retry can try again. With `reclaim`, a key claimed
 * long ago whose work is not written is taken over, and the work done (see Reclaim).
 */
export async function once(
  db: Db,
  key: string,
  kind: string,
  work: () => Promise<void>,
  reclaim?: Reclaim,
): Promise<boolean> {
  if (
    !(await claimRequest(db, key, kind)) &&
    !(reclaim && !(await reclaim.done()) && (await reclaimStaleRequest(db, key, reclaim.afterMs)))
  )
    return false;
  try {
    await work();
  } catch (err) {
    await releaseRequest(db, key);
    throw err;
  }
  return true;
}
