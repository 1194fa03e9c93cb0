/** A cycle's scenarios as planners set them with `/sop scenario` (cycle_scenarios). */
import type { ScenarioAssumptions } from '../../src/core/scenarios.js';
import type { Db } from '../connect.js';

/** The cycle's scenarios in their order; empty when none were set (the defaults apply). */
export async function cycleScenarios(db: Db, cycleId: number): Promise<ScenarioAssumptions[]> {
  const rows = await db
    .selectFrom('cycle_scenarios')
    .select(['assumptions'])
    .where('cycle_id', '=', cycleId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.assumptions as ScenarioAssumptions);
}

/** Replaces the cycle's scenarios with `list` (the caller owns the transaction). */
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
