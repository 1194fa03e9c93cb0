/**
 * The demand a run's central plan does not meet, by family, with its cause: read from the
 * stored results (lost sales and backlog per family-month), the stored shadow prices
 * (`plan_resource_duals`) and the problem the run was solved with (prices, unit costs, which
 * family loads which resource). The pack (question 8) and the plan run's Slack summary show it.
 */
import type { Db } from '../../db/connect.js';
import {
  bindingCapacities,
  type FamilyResult,
  familyResults,
} from '../../db/queries/plan-results.js';
import { getRun, runScenarios } from '../../db/queries/plan-runs.js';
import { type FamilyShortfall, familyShortfalls } from '../core/shortfall.js';
import { familyCost, type PlanProblem, planProblemSchema } from '../core/supply/problem.js';

/**
 * The run's stored problem (checked as it is read, db/json-columns.ts; parsed here for its
 * type, as explain does); null: no such run.
 */
export async function runProblem(db: Db, runId: string): Promise<PlanProblem | null> {
  const run = await getRun(db, runId);
  return run ? planProblemSchema.parse(run.problem) : null;
}

/** Each family's backlog before the plan's first month, as the plan opened on it. */
export function openingBacklog(problem: PlanProblem | null): Map<string, number> {
  return new Map((problem?.families ?? []).map((f) => [f.code, f.initialBacklog]));
}

/** A scenario's shortfalls from its family results and its binding capacities. */
export async function scenarioShortfalls(
  db: Db,
  scenarioId: string,
  problem: PlanProblem | null,
  rows?: readonly FamilyResult[],
): Promise<FamilyShortfall[]> {
  const results = rows ?? (await familyResults(db, scenarioId));
  const binding = await bindingCapacities(db, scenarioId);
  const fam = new Map((problem?.families ?? []).map((f) => [f.code, f]));
  const loads = new Map<string, string[]>();
  for (const l of problem?.loads ?? [])
    if (l.perUnit > 0) loads.set(l.family, [...(loads.get(l.family) ?? []), l.resource]);
  return familyShortfalls({
    rows: results,
    priceAndCost: (code, period) => {
      const f = fam.get(code);
      return f
        ? { price: familyCost(f, 'price', period), unitCost: familyCost(f, 'unitCost', period) }
        : null;
    },
    loads,
    binding,
  });
}

/**
 * The shortfalls of a run's central scenario; none when it has no plan (the plan run's
 * summary then says why, and names no other scenario's shortfalls as central's).
 */
export async function centralShortfalls(db: Db, runId: string): Promise<FamilyShortfall[]> {
  const central = (await runScenarios(db, runId)).find(
    (s) => s.name === 'central' && s.status === 'optimal',
  );
  if (!central) return [];
  return scenarioShortfalls(db, central.id, await runProblem(db, runId));
}
