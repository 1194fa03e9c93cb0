/**
 * Keeps each scenario's shadow prices (core's PlanDuals, from HiGHS's duals) with its plan
 * run, per resource and month, so explanations and the pack read them without solving again.
 */
import type { Db } from '../../db/connect.js';
import type { LoadedCompany } from '../../db/queries/company.js';
import { insertResourceDuals, type StoredResourceDual } from '../../db/queries/explain.js';
import { runScenarios } from '../../db/queries/plan-runs.js';
import type { SolvedScenario } from './planning.js';

/** Writes the duals of a run's solved scenarios (the caller owns the transaction). */
export async function storeRunDuals(
  trx: Db,
  runId: string,
  solved: readonly SolvedScenario[],
  loaded: LoadedCompany,
): Promise<number> {
  const ids = new Map((await runScenarios(trx, runId)).map((s) => [s.name, s.id]));
  const rows: StoredResourceDual[] = [];
  for (const s of solved) {
    const scenarioId = ids.get(s.result.name);
    const duals = s.result.plan?.duals;
    if (!scenarioId || !duals) continue;
    for (const d of duals.resources) {
      const resourceId = loaded.resourceIds.get(d.resource);
      if (resourceId === undefined) continue;
      rows.push({
        scenarioId,
        resourceId,
        period: d.period,
        shadowPrice: d.capacity,
        overtimeShadowPrice: d.overtimeLimit,
      });
    }
  }
  await insertResourceDuals(trx, rows);
  return rows.length;
}
