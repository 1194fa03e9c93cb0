/**
 * Keeps each scenario's shadow prices (core's PlanDuals, from HiGHS's duals) with its plan
 * run, per resource and month, with the overtime limit the plan had, so explanations and the
 * pack read them without solving again; with each "one more" price, how it was had (exact,
 * or the dual's rate) and, for demand, what the unit comes to (served, lost, unserved).
 */
import type { Db } from '../../db/connect.js';
import type { LoadedCompany } from '../../db/queries/company.js';
import {
  insertFamilyDuals,
  insertResourceDuals,
  type StoredFamilyDual,
  type StoredResourceDual,
} from '../../db/queries/explain.js';
import { runScenarios } from '../../db/queries/plan-runs.js';
import type { ScenarioResult } from '../core/scenarios.js';

/** Writes the duals of a run's solved scenarios (the caller owns the transaction). */
export async function storeRunDuals(
  trx: Db,
  runId: string,
  solved: readonly { readonly result: ScenarioResult }[],
  loaded: LoadedCompany,
): Promise<number> {
  const ids = new Map((await runScenarios(trx, runId)).map((s) => [s.name, s.id]));
  const rows: StoredResourceDual[] = [];
  const demand: StoredFamilyDual[] = [];
  for (const s of solved) {
    const scenarioId = ids.get(s.result.name);
    const plan = s.result.plan;
    if (!scenarioId || !plan) continue;
    // Every resource-month gets its row: the limit always, the prices when there are duals.
    const prices = new Map(
      (plan.duals?.resources ?? []).map((d) => [`${d.resource}|${d.period}`, d]),
    );
    for (const d of plan.duals?.families ?? []) {
      const familyId = loaded.familyIds.get(d.family);
      // A unit no plan meets is kept too (`unserved`, no price): explain says so.
      if (familyId !== undefined)
        demand.push({
          scenarioId,
          familyId,
          period: d.period,
          demandPrice: d.demand,
          demandPriceKind: d.demandKind,
        });
    }
    for (const r of plan.resources) {
      const resourceId = loaded.resourceIds.get(r.resource);
      if (resourceId === undefined) continue;
      const d = prices.get(`${r.resource}|${r.period}`);
      rows.push({
        scenarioId,
        resourceId,
        period: r.period,
        shadowPrice: d?.capacity ?? null,
        shadowPriceKind: d?.capacityKind ?? null,
        overtimeShadowPrice: d?.overtimeLimit ?? null,
        overtimeLimit: r.overtimeLimit,
      });
    }
  }
  await insertResourceDuals(trx, rows);
  await insertFamilyDuals(trx, demand);
  return rows.length + demand.length;
}
