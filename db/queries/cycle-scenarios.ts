/** A cycle's scenarios as planners set them with `/sop scenario` (cycle_scenarios). */

import { sql } from 'kysely';
import type { ScenarioAssumptions } from '../../src/core/scenarios.js';
import type { Db } from '../connect.js';
import { lockKey } from './adjustments.js';
import { firstOrNull } from './shared.js';

/** The cycle's scenarios in their order; empty when none were set (the defaults apply). */
export async function cycleScenarios(db: Db, cycleId: number): Promise<ScenarioAssumptions[]> {
  return (await setScenarios(db, cycleId)).map((s) => s.assumptions);
}

/** A scenario of a cycle's list, with who set it and when. */
export interface SetScenario {
  readonly assumptions: ScenarioAssumptions;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

/** The cycle's scenarios in their order, with who set each; empty when none were set. */
export async function setScenarios(db: Db, cycleId: number): Promise<SetScenario[]> {
  const rows = await db
    .selectFrom('cycle_scenarios')
    .select(['assumptions', 'updated_by', 'updated_at'])
    .where('cycle_id', '=', cycleId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    assumptions: r.assumptions as ScenarioAssumptions,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  }));
}

/**
 * The month of the cycle the cycle's list was carried from, or null: set in the cycle itself,
 * or none (the defaults). A planner's change clears it on every row, so it is all or none.
 */
export async function scenariosCarriedFrom(db: Db, cycleId: number): Promise<string | null> {
  const row = await firstOrNull(
    db
      .selectFrom('cycle_scenarios')
      .innerJoin('cycles', 'cycles.id', 'cycle_scenarios.carried_from_cycle_id')
      .select('cycles.month')
      .where('cycle_scenarios.cycle_id', '=', cycleId)
      .limit(1),
  );
  return row?.month ?? null;
}

/**
 * Replaces the cycle's scenarios with `list`, each by `by` now (the caller owns the
 * transaction): a reset, or the first list of a cycle on the defaults. Changing one scenario of
 * a list is `putCycleScenario`.
 */
export async function replaceCycleScenarios(
  trx: Db,
  cycleId: number,
  list: readonly ScenarioAssumptions[],
  by: string,
): Promise<void> {
  await trx.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
  if (list.length === 0) return;
  await trx
    .insertInto('cycle_scenarios')
    .values(
      list.map((a, position) => ({
        cycle_id: cycleId,
        name: a.name,
        position,
        assumptions: JSON.stringify(a),
        updated_by: by,
      })),
    )
    .execute();
}

/**
 * Writes one scenario of the cycle's list, by `by`, now: in place of the one of its name, or as
 * a new row at `position`. The other rows keep who set them and when. The list is then the
 * cycle's own, no longer the carried one (`carried_from_cycle_id` is cleared on every row).
 * The caller owns the transaction.
 */
export async function putCycleScenario(
  trx: Db,
  cycleId: number,
  scenario: ScenarioAssumptions,
  position: number,
  by: string,
): Promise<void> {
  await trx
    .insertInto('cycle_scenarios')
    .values({
      cycle_id: cycleId,
      name: scenario.name,
      position,
      assumptions: JSON.stringify(scenario),
      updated_by: by,
    })
    .onConflict((oc) =>
      oc.columns(['cycle_id', 'name']).doUpdateSet((eb) => ({
        assumptions: eb.ref('excluded.assumptions'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: sql<Date>`now()`,
        carried_from_cycle_id: null,
      })),
    )
    .execute();
  await makeOwnList(trx, cycleId);
}

/** The cycle's list, changed by a planner, is no longer the carried one: on every row. */
async function makeOwnList(trx: Db, cycleId: number): Promise<void> {
  await trx
    .updateTable('cycle_scenarios')
    .set({ carried_from_cycle_id: null })
    .where('cycle_id', '=', cycleId)
    .where('carried_from_cycle_id', 'is not', null)
    .execute();
}

/**
 * Takes the scenario `name` out of the cycle's list; the ones after it move up a place, so the
 * list keeps no gap (a new one goes last). The list is then the cycle's own, no longer the
 * carried one. The caller owns the transaction.
 */
export async function removeCycleScenario(trx: Db, cycleId: number, name: string): Promise<void> {
  const gone = await trx
    .deleteFrom('cycle_scenarios')
    .where('cycle_id', '=', cycleId)
    .where('name', '=', name)
    .returning('position')
    .executeTakeFirst();
  if (!gone) return;
  await trx
    .updateTable('cycle_scenarios')
    .set((eb) => ({ position: eb('position', '-', 1) }))
    .where('cycle_id', '=', cycleId)
    .where('position', '>', gone.position)
    .execute();
  await makeOwnList(trx, cycleId);
}

/** Serialises the changes to one cycle's scenarios until the caller's transaction ends. */
export async function lockCycleScenarios(trx: Db, cycleId: number): Promise<void> {
  await lockKey(trx, `scenarios:${cycleId}`);
}

/**
 * Writes `list` as the scenarios of `cycleId`, carried from the cycle `fromCycleId`, each
 * with who set it and when (the caller owns the transaction). A name already in the cycle is
 * left as it is, so writing twice writes once. Returns how many rows were written.
 */
export async function insertCarriedScenarios(
  trx: Db,
  cycleId: number,
  fromCycleId: number,
  list: readonly SetScenario[],
): Promise<number> {
  if (list.length === 0) return 0;
  const rows = await trx
    .insertInto('cycle_scenarios')
    .values(
      list.map((s, position) => ({
        cycle_id: cycleId,
        name: s.assumptions.name,
        position,
        assumptions: JSON.stringify(s.assumptions),
        updated_by: s.updatedBy,
        updated_at: s.updatedAt,
        carried_from_cycle_id: fromCycleId,
      })),
    )
    .onConflict((oc) => oc.columns(['cycle_id', 'name']).doNothing())
    .returning('name')
    .execute();
  return rows.length;
}
