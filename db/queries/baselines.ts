/** Statistical baselines of a cycle: one model and one forecast line per family and month. */
import type { Db } from '../connect.js';
import type { BaselineForecastsTable } from '../schema.js';
import { chunksOf } from './shared.js';

export interface BaselineModelInput {
  readonly familyId: number;
  readonly method: string;
  readonly params: Readonly<Record<string, number>>;
  readonly aicc: number | null;
  readonly historyHash: string;
  readonly lines: readonly Omit<BaselineForecastsTable, 'cycle_id' | 'family_id'>[];
}

/** History hash of each family's stored baseline for the cycle. */
export async function baselineHashes(db: Db, cycleId: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('baseline_models')
    .select(['family_id', 'history_hash'])
    .where('cycle_id', '=', cycleId)
    .execute();
  return new Map(rows.map((r) => [r.family_id, r.history_hash]));
}

/** Replaces the baselines of the given families (the caller owns the transaction). */
export async function replaceBaselines(
  trx: Db,
  cycleId: number,
  models: readonly BaselineModelInput[],
): Promise<void> {
  if (models.length === 0) return;
  const ids = models.map((m) => m.familyId);
  await trx
    .deleteFrom('baseline_forecasts')
    .where('cycle_id', '=', cycleId)
    .where('family_id', 'in', ids)
    .execute();
  await trx
    .deleteFrom('baseline_models')
    .where('cycle_id', '=', cycleId)
    .where('family_id', 'in', ids)
    .execute();
  await trx
    .insertInto('baseline_models')
    .values(
      models.map((m) => ({
        cycle_id: cycleId,
        family_id: m.familyId,
        method: m.method,
        params: JSON.stringify(m.params),
        aicc: m.aicc,
        history_hash: m.historyHash,
      })),
    )
    .execute();
  const lines = models.flatMap((m) =>
    m.lines.map((l) => ({ ...l, cycle_id: cycleId, family_id: m.familyId })),
  );
  // Postgres takes at most 65535 parameters per statement: 9 columns → chunks of 5000 rows.
  for (const chunk of chunksOf(lines, 5000)) {
    await trx
      .insertInto('baseline_forecasts')
      .values([...chunk])
      .execute();
  }
}

export interface BaselineLine {
  readonly familyId: number;
  readonly period: string;
  readonly value: number;
  readonly lo80: number | null;
  readonly hi80: number | null;
  readonly lo95: number | null;
  readonly hi95: number | null;
}

/** One family's baseline in a cycle, with its prediction intervals, by month. */
export function familyBaselineLines(db: Db, cycleId: number, familyId: number) {
  return db
    .selectFrom('baseline_forecasts')
    .select(['period', 'value', 'lo80', 'hi80', 'lo95', 'hi95'])
    .where('cycle_id', '=', cycleId)
    .where('family_id', '=', familyId)
    .orderBy('period');
}

export async function baselineForecasts(db: Db, cycleId: number): Promise<BaselineLine[]> {
  const rows = await db
    .selectFrom('baseline_forecasts')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .orderBy('family_id')
    .orderBy('period')
    .execute();
  return rows.map((r) => ({
    familyId: r.family_id,
    period: r.period,
    value: r.value,
    lo80: r.lo80,
    hi80: r.hi80,
    lo95: r.lo95,
    hi95: r.hi95,
  }));
}
