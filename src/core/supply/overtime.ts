/**
 * A crew's overtime caps: one rule for the LP (model.ts), the rough-cut check
 * (capacity-check.ts) and the gap chart (src/services/chart-data.ts).
 */

/**
 * Overtime one worker may give a month. A positive cap is itself; 0 (the default) means
 * none allowed unless a crew-wide cap is given, which then applies alone (Infinity here);
 * null means no per-worker cap (Infinity).
 */
export function perWorkerOvertime(
  perWorker: number | null,
  crewCap: number | null | undefined,
): number {
  return perWorker === null || (perWorker === 0 && crewCap != null)
    ? Number.POSITIVE_INFINITY
    : perWorker;
}

/**
 * Overtime a crew of `workers` may give a month: the smaller of the per-worker cap times
 * the workers and the crew-wide cap (Infinity when neither caps it).
 */
export function crewOvertimeLimit(
  workers: number,
  perWorker: number | null,
  crewCap: number | null | undefined,
): number {
  const pw = perWorkerOvertime(perWorker, crewCap);
  const byWorkers = Number.isFinite(pw) ? workers * pw : Number.POSITIVE_INFINITY;
  return Math.min(byWorkers, crewCap ?? Number.POSITIVE_INFINITY);
}
