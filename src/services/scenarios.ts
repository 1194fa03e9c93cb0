/**
 * The scenarios planners set per cycle (`/sop scenario list|set|reset`): stored in
 * cycle_scenarios, in order, central first; a cycle without any uses the defaults
 * (src/core/scenarios.ts). The next plan run solves and stress-tests them.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { activeCodes, familyIds, resourceIds } from '../../db/queries/codes.js';
import {
  cycleScenarios,
  lockCycleScenarios,
  putCycleScenario,
  removeCycleScenario,
  replaceCycleScenarios,
  type SetScenario,
  scenariosCarriedFrom,
  setScenarios,
} from '../../db/queries/cycle-scenarios.js';
import { lockCyclePhase } from '../../db/queries/cycles.js';
import { matchCode } from '../../db/queries/shared.js';
import { capsOnLeversNotAllowed } from '../core/scenarios/schema.js';
import type { WhatIf } from '../core/scenarios/what-if.js';
import {
  CENTRAL,
  canonicalJson,
  DEFAULT_SCENARIOS,
  inEffect,
  parseScenarios,
  type ScenarioAssumptions,
  scenarioInEffect,
} from '../core/scenarios.js';
import { stripControl } from '../core/text.js';
import { SopError, ValidationError } from '../errors.js';

export interface CycleScenarioList {
  readonly scenarios: readonly ScenarioAssumptions[];
  /** True when the cycle has none of its own and the defaults apply. */
  readonly defaults: boolean;
  /**
   * The month of the cycle the list was carried from when this one started
   * (src/services/scenario-carry.ts), until a planner changes it; else null.
   */
  readonly carriedFrom: string | null;
}

export async function listCycleScenarios(db: Db, cycleId: number): Promise<CycleScenarioList> {
  const [stored, carriedFrom] = await Promise.all([
    cycleScenarios(db, cycleId),
    scenariosCarriedFrom(db, cycleId),
  ]);
  return stored.length > 0
    ? { scenarios: stored, defaults: false, carriedFrom }
    : { scenarios: DEFAULT_SCENARIOS, defaults: true, carriedFrom: null };
}

/** The scenarios of a cycle whose rows are `rows`: theirs, or the defaults when it has none. */
const listOf = (rows: readonly SetScenario[]): readonly ScenarioAssumptions[] =>
  rows.length > 0 ? rows.map((r) => r.assumptions) : DEFAULT_SCENARIOS;

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
 * The issue with `scenario`'s label when another scenario of the list has it (in any case):
 * the grid, the charts and the vote show scenarios by label, so two of one label read as one
 * (the charts draw them on one row). Null when it is its own.
 */
function labelTaken(
  scenarios: readonly ScenarioAssumptions[],
  scenario: ScenarioAssumptions,
): ScenarioIssue | null {
  const key = (label: string) => label.trim().toLowerCase();
  const other = scenarios.find(
    (s) => s.name !== scenario.name && key(s.label) === key(scenario.label),
  );
  return other
    ? {
        path: 'label',
        message: `'${other.label}' is already the label of scenario ${other.name}: give this one another, so the grid and the vote tell them apart`,
      }
    : null;
}

/**
 * Refuses (`phase_closed`) a change to a closed cycle's scenarios: a form opened while the
 * cycle was open can be submitted after it closed. In a transaction, the cycle's row stays
 * share-locked until it ends, so the cycle cannot close before the change is written.
 */
async function refuseClosedCycle(trx: Db, cycleId: number): Promise<void> {
  const cycle = await lockCyclePhase(trx, cycleId);
  if (!cycle) throw new SopError('not_found', `No cycle with id ${cycleId}.`);
  if (cycle.phase === 'closed')
    throw new SopError(
      'phase_closed',
      `Cycle ${cycle.month} is closed; its scenarios can no longer change. Start the next cycle (\`/sop cycle start YYYY-MM\`) and set the scenario there.`,
    );
}

/**
 * `input` with its label as free text is kept (`stripControl`): a control character typed or
 * pasted into it is removed, so a NUL never reaches the JSONB column, which refuses it.
 */
function withCleanLabel(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('label' in input)) return input;
  const { label } = input as { label: unknown };
  return typeof label === 'string' ? { ...input, label: stripControl(label) } : input;
}

/**
 * `scenario` with each family and resource code it names as the company spells it (typed codes
 * are read in any case, as `/forecast` reads them), and the codes it may not name, each with
 * the field that names it: one the company has not (`unknown family 'FAM-9'`), or an inactive
 * one, which no plan includes (the plan run would fail on it). Saving a scenario refuses it
 * when there is one; carrying it into the next cycle leaves it behind.
 */
export function scenarioInCompanyCodes(
  scenario: ScenarioAssumptions,
  codes: CompanyCodes,
): { readonly scenario: ScenarioAssumptions; readonly refused: readonly ScenarioIssue[] } {
  const refused: ScenarioIssue[] = [];
  /** The company's code for a typed one, or it as typed. */
  const code = (what: 'family' | 'resource', path: string, typed: string): string => {
    const hit = matchCode(what === 'family' ? codes.families : codes.resources, typed);
    const active = what === 'family' ? codes.active.families : codes.active.resources;
    if (!hit) refused.push({ path, message: `unknown ${what} '${typed}'` });
    else if (!active.has(hit.code))
      refused.push({ path, message: inactiveCodeMessage(what, hit.code) });
    return hit?.code ?? typed;
  };
  const family = (path: string, typed: string | null | undefined) =>
    typeof typed === 'string' ? code('family', path, typed) : typed;
  const resource = (path: string, typed: string | null | undefined) =>
    typeof typed === 'string' ? code('resource', path, typed) : typed;
  const multipliers = scenario.familyMultipliers;
  const inv = scenario.capacityInvestment;
  const named = {
    ...scenario,
    ...(multipliers && {
      familyMultipliers: Object.fromEntries(
        Object.entries(multipliers).map(([f, m]) => [family(`familyMultipliers.${f}`, f), m]),
      ),
    }),
    ...(scenario.demandChanges && {
      demandChanges: scenario.demandChanges.map((d, i) => ({
        ...d,
        family: family(`demandChanges.${i}.family`, d.family),
      })),
    }),
    ...(scenario.priceChanges && {
      priceChanges: scenario.priceChanges.map((d, i) => ({
        ...d,
        family: family(`priceChanges.${i}.family`, d.family),
      })),
    }),
    ...(scenario.capacityChanges && {
      capacityChanges: scenario.capacityChanges.map((c, i) => ({
        ...c,
        resource: resource(`capacityChanges.${i}.resource`, c.resource),
      })),
    }),
    ...(inv && {
      capacityInvestment: {
        ...inv,
        resource: resource('capacityInvestment.resource', inv.resource),
      },
    }),
  } as ScenarioAssumptions;
  return { scenario: named, refused };
}

/**
 * A scenario as the schema reads it, or ScenarioInvalid naming each bad field: the schema's
 * issues, then a cap on a lever it does not allow (`capsOnLeversNotAllowed`).
 */
function parseScenario(input: unknown): ScenarioAssumptions {
  let scenario: ScenarioAssumptions;
  try {
    scenario = (parseScenarios([withCleanLabel(input)]) as [ScenarioAssumptions])[0];
  } catch (err) {
    const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
    throw new ScenarioInvalid(
      issues.map((i) => ({ path: i.path.slice(1).join('.') || 'scenario', message: i.message })),
    );
  }
  const contradictions = capsOnLeversNotAllowed(scenario);
  if (contradictions.length > 0) throw new ScenarioInvalid(contradictions);
  return scenario;
}

/**
 * A short fingerprint of a scenario as the cycle has it (null: none of that name), the same
 * however its keys are stored. The `/sop scenario set` form carries the one it opened on, so a
 * save can tell that the scenario changed since (ScenarioChanged).
 */
export function scenarioVersion(a: ScenarioAssumptions | null): string {
  return createHash('sha256').update(canonicalJson(a)).digest('hex').slice(0, 16);
}

/**
 * A save from the `/sop scenario set` form, which has inputs for some levers only: what it
 * opened on, and what of the stored scenario it keeps.
 */
export interface ScenarioFormSave {
  /** scenarioVersion of the scenario the form opened on. */
  readonly seen: string;
  /** The levers of the stored scenario the save keeps as they are (those it has no input for). */
  readonly keep: (stored: ScenarioAssumptions) => Partial<ScenarioAssumptions>;
}

/** A lever the form keeps, in words, for the refusal of a save that would set it too. */
const KEPT_LEVER_WORDS: Readonly<Record<string, string>> = { priceChangePct: 'own price change' };

/**
 * One issue per lever a form save both keeps (`kept`) and sets (`typed`): saving would replace
 * what the form lists as unchanged by it. The form's price input is a promotion's when the
 * scenario has a price change of its own beside it; with the promotion ended, a price left in
 * the input would be a price change too. A kept value that means nothing (inEffect) is none.
 */
function keptAndTyped(
  kept: Partial<ScenarioAssumptions>,
  typed: ScenarioAssumptions,
): ScenarioIssue[] {
  return Object.keys(inEffect(kept))
    .filter((lever) => lever in typed)
    .map((path) => ({
      path,
      message: `the form keeps this scenario’s ${KEPT_LEVER_WORDS[path] ?? path} as it is (listed above), and this would replace it: clear this, or tick the box to drop the levers above`,
    }));
}

/**
 * The scenario changed after the form opened (another planner saved it, or the list was reset):
 * saving would overwrite a change its author has not seen, with levers they have not seen.
 */
export class ScenarioChanged extends SopError {
  constructor(name: string, by: string | null) {
    super(
      'conflict',
      `\`${name}\` was changed${by ? ` by <@${by}>` : ''} after this form opened, so nothing was saved and that change stands. Open it again (\`/sop scenario set ${name}\`) to start from it.`,
    );
    this.name = 'ScenarioChanged';
  }
}

/** The cycle's scenarios after a save; `changed` false when the scenario already was that. */
export interface ScenarioSaved extends CycleScenarioList {
  readonly changed: boolean;
}

/**
 * Adds or replaces one scenario (by name) in the cycle's list, starting from the defaults
 * when the cycle has none of its own. Only that scenario records `by` and the time; the others
 * keep who set them and when. Saving the same scenario twice changes nothing (`changed` false),
 * nor does saving one that plans alike (inEffect: `hiringFreeze: false` said or left out).
 * A bad field (a schema issue, an unknown or inactive family or resource, a label another
 * scenario has) throws ScenarioInvalid naming it; a closed cycle is refused (`phase_closed`).
 *
 * From the form (`form`), the stored scenario's levers the form has no input for are read
 * under the cycle's lock and kept (a save that would set one of them too is refused on it), and
 * a scenario changed since the form opened is refused (ScenarioChanged), unless it already is
 * what the form would save (a retry, a double click).
 */
export async function setCycleScenario(
  db: Db,
  cycleId: number,
  input: unknown,
  by: string,
  form?: ScenarioFormSave,
): Promise<ScenarioSaved> {
  // What was typed is checked before any lock: its mistakes go back to their fields.
  const typed = parseScenario(input);
  return db.transaction().execute(async (trx) => {
    await refuseClosedCycle(trx, cycleId);
    await lockCycleScenarios(trx, cycleId);
    const rows = await setScenarios(trx, cycleId);
    const scenarios = listOf(rows);
    const at = scenarios.findIndex((s) => s.name === typed.name);
    const stored = scenarios[at] ?? null;
    const changedSince = form !== undefined && scenarioVersion(stored) !== form.seen;
    const changed = () => new ScenarioChanged(typed.name, rows[at]?.updatedBy ?? null);
    let scenario: ScenarioAssumptions;
    try {
      const kept = form && stored ? form.keep(stored) : {};
      const overwritten = keptAndTyped(kept, typed);
      if (overwritten.length) throw new ScenarioInvalid(overwritten);
      const named = scenarioInCompanyCodes(
        parseScenario({ ...kept, ...typed }),
        await knownCodes(trx),
      );
      if (named.refused.length) throw new ScenarioInvalid(named.refused);
      scenario = named.scenario;
    } catch (err) {
      // The levers kept are the new version's, which the form never showed.
      throw changedSince && err instanceof ScenarioInvalid ? changed() : err;
    }
    // Alike in effect: a value that means nothing, said or left out, is no change to write.
    if (stored && scenarioInEffect(stored) === scenarioInEffect(scenario))
      return { ...(await listCycleScenarios(trx, cycleId)), changed: false };
    if (changedSince) throw changed();
    const limit = scenarioLimitMessage(scenarios, scenario.name);
    if (limit) throw new ValidationError(limit);
    const sameLabel = labelTaken(scenarios, scenario);
    if (sameLabel) throw new ScenarioInvalid([sameLabel]);
    const next =
      at < 0 ? [...scenarios, scenario] : scenarios.map((s, i) => (i === at ? scenario : s));
    // A cycle on the defaults gets its list now; a list of its own changes in one row.
    if (rows.length === 0) await replaceCycleScenarios(trx, cycleId, next, by);
    else await putCycleScenario(trx, cycleId, scenario, at < 0 ? rows.length : at, by);
    await audit(trx, {
      actor: by,
      action: 'scenario.set',
      entity: 'cycle',
      entityId: cycleId,
      details: { scenario },
    });
    return { scenarios: next, defaults: false, carriedFrom: null, changed: true };
  });
}

/** The cycle's scenarios after one was deleted, and the one deleted. */
export interface ScenarioDeleted extends CycleScenarioList {
  readonly deleted: ScenarioAssumptions;
  /** It came first, so the others are now compared with the next in line. */
  readonly wasFirst: boolean;
}

/**
 * Takes the scenario `name` out of the cycle's list, the others kept as they are (a cycle on
 * the defaults gets the other defaults as its own list), with its audit entry holding the
 * scenario. Refused, writing nothing: a name the cycle has not (naming those it has), its only
 * scenario (a plan needs one), `central` (what the others, the gap chart and the pack's
 * shortfalls are measured against), a closed cycle (`phase_closed`).
 */
export async function deleteCycleScenario(
  db: Db,
  cycleId: number,
  name: string,
  by: string,
): Promise<ScenarioDeleted> {
  return db.transaction().execute(async (trx) => {
    await refuseClosedCycle(trx, cycleId);
    await lockCycleScenarios(trx, cycleId);
    const rows = await setScenarios(trx, cycleId);
    const scenarios = listOf(rows);
    const deleted = scenarios.find((s) => s.name === name);
    if (!deleted)
      throw new ValidationError(
        `This cycle has no scenario \`${name}\`; it has ${scenarios.map((s) => `\`${s.name}\``).join(', ')}.`,
      );
    if (scenarios.length === 1)
      throw new ValidationError(
        `\`${name}\` is this cycle’s only scenario, and a plan run needs one. Change it with \`/sop scenario set ${name}\`, or go back to the defaults with \`/sop scenario reset\`.`,
      );
    if (name === CENTRAL)
      throw new ValidationError(
        `\`${CENTRAL}\` stays: it is the plan the other scenarios, the gap chart and the pack's shortfalls are measured against. Change what it plans with \`/sop scenario set ${CENTRAL}\`.`,
      );
    const next = scenarios.filter((s) => s !== deleted);
    if (rows.length === 0) await replaceCycleScenarios(trx, cycleId, next, by);
    else await removeCycleScenario(trx, cycleId, name);
    await audit(trx, {
      actor: by,
      action: 'scenario.delete',
      entity: 'cycle',
      entityId: cycleId,
      details: { scenario: deleted },
    });
    return {
      scenarios: next,
      defaults: false,
      carriedFrom: null,
      deleted,
      wasFirst: scenarios[0] === deleted,
    };
  });
}

/** Back to the defaults; a closed cycle is refused (`phase_closed`). */
export async function resetCycleScenarios(
  db: Db,
  cycleId: number,
  by: string,
): Promise<CycleScenarioList> {
  await db.transaction().execute(async (trx) => {
    await refuseClosedCycle(trx, cycleId);
    await lockCycleScenarios(trx, cycleId);
    await replaceCycleScenarios(trx, cycleId, [], by);
    await audit(trx, { actor: by, action: 'scenario.reset', entity: 'cycle', entityId: cycleId });
  });
  return { scenarios: DEFAULT_SCENARIOS, defaults: true, carriedFrom: null };
}

/** The family and resource codes the company has (code → id), to check the codes people type. */
export interface CompanyCodes {
  readonly families: ReadonlyMap<string, number>;
  readonly resources: ReadonlyMap<string, number>;
  /** Of those, the ones a plan is made of (`isActive`, db/queries/codes.ts). */
  readonly active: {
    readonly families: ReadonlySet<string>;
    readonly resources: ReadonlySet<string>;
  };
}

export async function knownCodes(db: Db): Promise<CompanyCodes> {
  const [families, resources, active] = await Promise.all([
    familyIds(db),
    resourceIds(db),
    activeCodes(db),
  ]);
  return { families, resources, active };
}

/**
 * Why a scenario may not name the inactive family or resource `code`, and what to do: the
 * plan run loads only active ones, so it would fail on it. Nothing in sopbot deactivates one;
 * whoever set `active` to false in the database sets it back.
 */
function inactiveCodeMessage(what: 'family' | 'resource', code: string): string {
  const table = what === 'family' ? 'families' : 'resources';
  return `${what} '${code}' is inactive, so no plan includes it: name an active ${what}, or have ${code} made active again (${table}.active in the database)`;
}

/** The family or resource code a what-if names (null: all families, or none). */
function whatIfCode(w: WhatIf): { kind: 'family' | 'resource'; code: string } | null {
  if ((w.kind === 'demand' || w.kind === 'price') && w.family !== null)
    return { kind: 'family', code: w.family };
  if (w.kind === 'capacity') return { kind: 'resource', code: w.resource };
  return null;
}

/** The first code in `whatIfs` that no family or resource has, in any case; or null. */
export function unknownWhatIfCode(
  whatIfs: readonly WhatIf[],
  codes: CompanyCodes,
): { readonly kind: 'family' | 'resource'; readonly code: string } | null {
  for (const w of whatIfs) {
    const c = whatIfCode(w);
    if (c && !matchCode(c.kind === 'family' ? codes.families : codes.resources, c.code)) return c;
  }
  return null;
}

/**
 * The first code in `whatIfs` that names an inactive family or resource (known, in any case,
 * but not one a plan is made of), as the company spells it; or null.
 */
export function inactiveWhatIfCode(
  whatIfs: readonly WhatIf[],
  codes: CompanyCodes,
): { readonly kind: 'family' | 'resource'; readonly code: string } | null {
  for (const w of whatIfs) {
    const c = whatIfCode(w);
    if (!c) continue;
    const family = c.kind === 'family';
    const known = matchCode(family ? codes.families : codes.resources, c.code);
    if (known && !(family ? codes.active.families : codes.active.resources).has(known.code))
      return { kind: c.kind, code: known.code };
  }
  return null;
}

/** The active codes of `kind`, for a refusal's list of choices. */
export function activeCodesOf(codes: CompanyCodes, kind: 'family' | 'resource'): string[] {
  const all = kind === 'family' ? codes.families : codes.resources;
  const active = kind === 'family' ? codes.active.families : codes.active.resources;
  return [...all.keys()].filter((c) => active.has(c));
}

/**
 * The what-ifs with each code as the company spells it (typed codes are read without regard
 * to case, as `/forecast` reads them); a code no family or resource has stays as typed.
 */
export function whatIfsInCompanyCodes(whatIfs: readonly WhatIf[], codes: CompanyCodes): WhatIf[] {
  return whatIfs.map((w) => {
    if ((w.kind === 'demand' || w.kind === 'price') && w.family !== null)
      return { ...w, family: matchCode(codes.families, w.family)?.code ?? w.family };
    if (w.kind === 'capacity')
      return { ...w, resource: matchCode(codes.resources, w.resource)?.code ?? w.resource };
    return w;
  });
}
