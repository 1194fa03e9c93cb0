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

/** One thing wrong with a scenario: `path` names its field (`capacityInvestment.resource`). */
export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
}

/** A scenario refused field by field, so a form can show each issue on its own input. */
export class ScenarioInvalid extends ValidationError {
  readonly issues: readonly ScenarioIssue[];
  constructor(issues: readonly ScenarioIssue[]) {
    const lines = issues.map((i) => `${i.path}: ${i.message}`);
    super(`The scenario is not valid: ${lines.join('; ')}.`, lines);
    this.name = 'ScenarioInvalid';
    this.issues = issues;
  }
}

/**
 * Why `name` cannot be added to `scenarios` (the cycle is at MAX_SCENARIOS and it is not one
 * of them), or null. `/sop scenario set` asks before it opens the form; saving asks again.
 */
export function scenarioLimitMessage(
  scenarios: readonly ScenarioAssumptions[],
  name: string,
): string | null {
  if (scenarios.some((s) => s.name === name) || scenarios.length < MAX_SCENARIOS) return null;
  return `A cycle has at most ${MAX_SCENARIOS} scenarios; change one of ${scenarios.map((s) => s.name).join(', ')} instead.`;
}

/**
 * Adds or replaces one scenario (by name) in the cycle's list, starting from the defaults
 * when the cycle has none of its own. Saving the same scenario twice changes nothing. A bad
 * field (a schema issue, an unknown family or resource) throws ScenarioInvalid naming it.
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
    throw new ScenarioInvalid(
      issues.map((i) => ({ path: i.path.slice(1).join('.') || 'scenario', message: i.message })),
    );
  }
  const [families, resources] = await Promise.all([familyIds(db), resourceIds(db)]);
  const unknown: ScenarioIssue[] = [];
  const family = (path: string, code: string | null | undefined) => {
    if (typeof code === 'string' && !families.has(code))
      unknown.push({ path, message: `unknown family '${code}'` });
  };
  const resource = (path: string, code: string | null | undefined) => {
    if (typeof code === 'string' && !resources.has(code))
      unknown.push({ path, message: `unknown resource '${code}'` });
  };
  for (const f of Object.keys(scenario.familyMultipliers ?? {}))
    family(`familyMultipliers.${f}`, f);
  for (const [i, d] of (scenario.demandChanges ?? []).entries())
    family(`demandChanges.${i}.family`, d.family);
  for (const [i, d] of (scenario.priceChanges ?? []).entries())
    family(`priceChanges.${i}.family`, d.family);
  for (const [i, c] of (scenario.capacityChanges ?? []).entries())
    resource(`capacityChanges.${i}.resource`, c.resource);
  resource('capacityInvestment.resource', scenario.capacityInvestment?.resource);
  if (unknown.length) throw new ScenarioInvalid(unknown);
  return db.transaction().execute(async (trx) => {
    const { scenarios } = await listCycleScenarios(trx, cycleId);
    const limit = scenarioLimitMessage(scenarios, scenario.name);
    if (limit) throw new ValidationError(limit);
    const at = scenarios.findIndex((s) => s.name === scenario.name);
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
