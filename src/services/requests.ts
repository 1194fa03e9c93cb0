/**
 * Processed-request keys for effects that have no natural key of their own (events, some
 * button clicks): the first caller claims the key and does the work, retries see it taken.
 */

import type { Db } from '../../db/connect.js';
import { claimRequest, releaseRequest } from '../../db/queries/requests.js';

/**
 * Runs `work` once per key; returns false (and does nothing) when the key was seen before.
 * A failed run gives the key back so a retry can try again.
 */
export async function once(
  db: Db,
  key: string,
  kind: string,
  work: () => Promise<void>,
): Promise<boolean> {
  if (!(await claimRequest(db, key, kind))) return false;
  try {
    await work();
  } catch (err) {
    await releaseRequest(db, key);
    throw err;
  }
  return true;
}
