/**
 * The scenarios planners set per cycle (`/sop scenario list|set|reset`): stored in
 * cycle_scenarios, in order, central first; a cycle without any uses the defaults
 * (src/core/scenarios.ts). The next plan run solves and stress-tests them.
 */
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { familyIds, resourceIds } from '../../db/queries/codes.js';
import { cycleScenarios, replaceCycleScenarios } from '../../db/queries/cycle-scenarios.js';
import { DEFAULT_SCENARIOS, parseScenarios, type ScenarioAssumptions } from '../core/scenarios.js';
import { ValidationError } from '../errors.js';

export interface CycleScenarioList {
  readonly scenarios: readonly ScenarioAssumptions[];
  /** True when the cycle has none of its own and the defaults apply. */
  readonly defaults: boolean;
}

export async function listCycleScenarios(db: Db, cycleId: number): Promise<CycleScenarioList> {
  const stored = await cycleScenarios(db, cycleId);
  return stored.length > 0
    ? { scenarios: stored, defaults: false }
    : { scenarios: DEFAULT_SCENARIOS, defaults: true };
}

/** Most scenarios a cycle may have (the vote shows one button each). */
export const MAX_SCENARIOS = 6;

/**
 * Adds or replaces one scenario (by name) in the cycle's list, starting from the defaults
 * when the cycle has none of its own. Saving the same scenario twice changes nothing.
 */
export async function setCycleScenario(
  db: Db,
  cycleId: number,
  input: unknown,
  by: string,
): Promise<CycleScenarioList> {
  let scenario: ScenarioAssumptions;
  try {
    [scenario] = parseScenarios([input]) as [ScenarioAssumptions];
  } catch (err) {
    const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
    const lines = issues.map((i) => `${i.path.slice(1).join('.') || 'scenario'}: ${i.message}`);
    throw new ValidationError(`The scenario is not valid: ${lines.join('; ')}.`, lines);
  }
  const [families, resources] = await Promise.all([familyIds(db), resourceIds(db)]);
  const unknown = [
    ...Object.keys(scenario.familyMultipliers ?? {}),
    ...(scenario.demandChanges ?? []).map((d) => d.family),
    ...(scenario.priceChanges ?? []).map((d) => d.family),
  ]
    .filter((f): f is string => typeof f === 'string' && !families.has(f))
    .map((f) => `unknown family '${f}'`);
  for (const r of [
    ...(scenario.capacityChanges ?? []).map((c) => c.resource),
    scenario.capacityInvestment?.resource,
  ])
    if (typeof r === 'string' && !resources.has(r)) unknown.push(`unknown resource '${r}'`);
  if (unknown.length)
    throw new ValidationError(`The scenario names ${unknown.join(', ')}.`, unknown);
  return db.transaction().execute(async (trx) => {
    const { scenarios } = await listCycleScenarios(trx, cycleId);
    const at = scenarios.findIndex((s) => s.name === scenario.name);
    if (at < 0 && scenarios.length >= MAX_SCENARIOS)
      throw new ValidationError(
        `A cycle has at most ${MAX_SCENARIOS} scenarios; change one of ${scenarios.map((s) => s.name).join(', ')} instead.`,
      );
    const next =
      at < 0 ? [...scenarios, scenario] : scenarios.map((s, i) => (i === at ? scenario : s));
    await replaceCycleScenarios(trx, cycleId, next, by);
    await audit(trx, {
      actor: by,
      action: 'scenario.set',
      entity: 'cycle',
      entityId: cycleId,
      details: { scenario },
    });
    return { scenarios: next, defaults: false };
  });
}

/** Back to the defaults. */
export async function resetCycleScenarios(
  db: Db,
  cycleId: number,
  by: string,
): Promise<CycleScenarioList> {
  await db.transaction().execute(async (trx) => {
    await replaceCycleScenarios(trx, cycleId, [], by);
    await audit(trx, { actor: by, action: 'scenario.reset', entity: 'cycle', entityId: cycleId });
  });
  return { scenarios: DEFAULT_SCENARIOS, defaults: true };
}

/** The family and resource codes the company has (code → id), to check the codes people type. */
export async function knownCodes(
  db: Db,
): Promise<{ families: Map<string, number>; resources: Map<string, number> }> {
  const [families, resources] = await Promise.all([familyIds(db), resourceIds(db)]);
  return { families, resources };
}
