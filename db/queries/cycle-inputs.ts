/**
 * What people submitted in a cycle, mapped to core's shapes: forecast adjustments (for
 * consensus) and capacity updates in force (for the rough-cut check and the LP).
 */
import type { Adjustment } from '../../src/core/consensus.js';
import type { CapacityUpdate } from '../../src/core/supply/capacity-check.js';
import type { Db } from '../connect.js';
import type { CycleRow } from '../schema.js';
import { toAdjustment } from './adjustments.js';

/** Adjustments that count (accepted or flagged), oldest first. */
export async function cycleAdjustments(
  db: Db,
  cycleId: number,
  familyCodes: ReadonlyMap<number, string>,
): Promise<Adjustment[]> {
  const rows = await db
    .selectFrom('forecast_adjustments')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .where('status', 'in', ['accepted', 'flagged'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => {
    const family = familyCodes.get(r.family_id);
    return family ? [toAdjustment(r, family)] : [];
  });
}

/** Open capacity updates of this cycle, and those not tied to any cycle, oldest first. */
export async function capacityUpdatesInForce(
  db: Db,
  cycleId: number,
  resourceCodes: ReadonlyMap<number, string>,
): Promise<CapacityUpdate[]> {
  const rows = await db
    .selectFrom('capacity_updates')
    .selectAll()
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('cycle_id', '=', cycleId), eb('cycle_id', 'is', null)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => {
    const resource = resourceCodes.get(r.resource_id);
    if (!resource) return [];
    return [
      {
        id: String(r.id),
        resource,
        period: r.period,
        kind: r.kind,
        value: r.value,
        reason: r.reason_code,
      },
    ];
  });
}

export async function cycleById(db: Db, cycleId: number): Promise<CycleRow | undefined> {
  return db.selectFrom('cycles').selectAll().where('id', '=', cycleId).executeTakeFirst();
}
