/**
 * The knife-edge company of tests/integration/explain-knife-edge.test.ts, where every figure
 * of its plan is worked out by hand: three months (2027-01..03), no overtime, no
 * subcontracting; every family sells at $40, costs $10 a unit, $2 a month held, $6 a month on
 * backlog. LINE-1 (100 h a month) makes FAM-A (demand 100, 100, 50) and FAM-Z (no demand);
 * LINE-2 (50 h) makes FAM-B (50, 50, 60). Central cost $4,400.
 */
import type { Db } from '../../db/connect.js';
import { getSettings } from '../../src/services/settings.js';
import { insertCycle } from './db.js';

/** Writes the company and its cycle (supply review, baselines as above); the cycle's id. */
export async function seedKnifeEdge(db: Db): Promise<number> {
  await getSettings(db);
  await db.updateTable('workspace_settings').set({ horizon_months: 3, frozen_months: 0 }).execute();
  const family = (code: string) => ({
    code,
    name: code,
    price: 40,
    unit_cost: 10,
    holding_cost: 2,
    backlog_cost: 6,
    subcontract_cost: null,
  });
  const [a, z, b] = await db
    .insertInto('families')
    .values([family('FAM-A'), family('FAM-Z'), family('FAM-B')])
    .returning('id')
    .execute();
  const line = (code: string, hours: number) => ({
    code,
    name: code,
    kind: 'line' as const,
    unit: 'h',
    regular_capacity: hours,
    overtime_limit: 0,
    overtime_cost: 0,
  });
  const [l1, l2] = await db
    .insertInto('resources')
    .values([line('LINE-1', 100), line('LINE-2', 50)])
    .returning('id')
    .execute();
  await db
    .insertInto('resource_loads')
    .values([
      { family_id: a!.id, resource_id: l1!.id, load_per_unit: 1 },
      { family_id: z!.id, resource_id: l1!.id, load_per_unit: 1 },
      { family_id: b!.id, resource_id: l2!.id, load_per_unit: 1 },
    ])
    .execute();
  const cycleId = await insertCycle(db, { month: '2027-01', phase: 'supply_review' });
  const baseline = (familyId: number, values: number[]) =>
    values.map((value, i) => ({
      cycle_id: cycleId,
      family_id: familyId,
      period: `2027-0${i + 1}`,
      value,
      naive: value,
    }));
  await db
    .insertInto('baseline_forecasts')
    .values([
      ...baseline(a!.id, [100, 100, 50]),
      ...baseline(z!.id, [0, 0, 0]),
      ...baseline(b!.id, [50, 50, 60]),
    ])
    .execute();
  return cycleId;
}
