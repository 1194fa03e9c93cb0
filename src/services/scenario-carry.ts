/**
 * A cycle's scenarios carry over to the next cycle, as its forecast adjustments do
 * (carry-over.ts). A planner who tuned Cautious and added Promo-push in January finds them in
 * February: when a cycle starts and the previous cycle had scenarios of its own, they are
 * copied into it in the start's transaction, in their order, with their labels and
 * assumptions, who set them and when, and `carried_from_cycle_id` naming the cycle they came
 * from. `/sop scenario list` says so until a planner changes the list; `/sop scenario reset`
 * goes back to the defaults. A previous cycle on the defaults carries nothing.
 *
 * What no longer fits the new cycle changes as it is carried, and the start's answer says it:
 * a month window that has ended, or an investment whose first month has passed
 * (src/core/scenarios/carry.ts); a scenario naming a family or resource the company no longer
 * has, or an inactive one (no plan includes it), is left behind, as saving it would be refused
 * (`scenarioInCompanyCodes`).
 */
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import {
  cycleScenarios,
  insertCarriedScenarios,
  type SetScenario,
  setScenarios,
} from '../../db/queries/cycle-scenarios.js';
import type { CycleRow, SettingsRow } from '../../db/schema.js';
import { nextPeriods } from '../core/period.js';
import { type CarryNote, carryScenario } from '../core/scenarios/carry.js';
import { DEFAULT_SCENARIOS } from '../core/scenarios.js';
import { knownCodes, type ScenarioIssue, scenarioInCompanyCodes } from './scenarios.js';

/** What starting a cycle did with the previous cycle's scenarios. */
export interface ScenarioCarry {
  /** The month of the cycle they came from. */
  readonly from: string;
  /** How many were carried (in the new cycle's list now). */
  readonly carried: number;
  /** The carried ones that changed on the way, with what changed. */
  readonly changed: readonly {
    readonly label: string;
    readonly notes: readonly CarryNote[];
  }[];
  /**
   * The label of the scenario now first (compared with by the others) when the previous
   * cycle's first was left behind: the default Central, or the carried one named `central`.
   */
  readonly referenceNow?: string;
  /** The ones not carried: they name a code the company no longer has, or an inactive one. */
  readonly leftBehind: readonly {
    readonly name: string;
    readonly label: string;
    readonly issues: readonly ScenarioIssue[];
  }[];
}

/**
 * Copies the scenarios of `previous` into `cycle`, in `trx` (the transaction that opens the
 * cycle, at `now`), with its audit entry by `actor`. Null when there is nothing to carry: `previous`
 * used the defaults, or `cycle` already has scenarios of its own (so a second call writes
 * nothing).
 */
export async function carryScenarios(
  trx: Db,
  cycle: Pick<CycleRow, 'id' | 'month'>,
  previous: Pick<CycleRow, 'id' | 'month'>,
  settings: Pick<SettingsRow, 'horizon_months'>,
  actor: string,
  now: Date,
): Promise<ScenarioCarry | null> {
  const set = await setScenarios(trx, previous.id);
  if (set.length === 0) return null;
  if ((await cycleScenarios(trx, cycle.id)).length > 0) return null;
  const periods = nextPeriods(cycle.month, settings.horizon_months);
  const codes = await knownCodes(trx);
  const kept: SetScenario[] = [];
  const changed: ScenarioCarry['changed'][number][] = [];
  const leftBehind: ScenarioCarry['leftBehind'][number][] = [];
  for (const s of set) {
    const { name, label } = s.assumptions;
    const named = scenarioInCompanyCodes(s.assumptions, codes);
    if (named.refused.length > 0) {
      leftBehind.push({ name, label, issues: named.refused });
      continue;
    }
    const { scenario, notes } = carryScenario(named.scenario, periods);
    if (notes.length > 0) changed.push({ label, notes });
    kept.push({ ...s, assumptions: scenario });
  }
  // The first scenario is the one the others are compared with ("vs Central", the what-ifs'
  // base). Left behind, it must not be replaced silently by the next in line: the default
  // Central takes its place, first.
  const reference = set[0]!.assumptions.name;
  const referenceLeft = leftBehind.some((l) => l.name === reference);
  let added = 0;
  if (referenceLeft && kept.length > 0) {
    const central = DEFAULT_SCENARIOS[0]!;
    const at = kept.findIndex((k) => k.assumptions.name === central.name);
    if (at >= 0) kept.unshift(...kept.splice(at, 1));
    else {
      kept.unshift({ assumptions: central, updatedBy: actor, updatedAt: now });
      added = 1;
    }
  }
  // The default put first is not one carried.
  const carried = (await insertCarriedScenarios(trx, cycle.id, previous.id, kept)) - added;
  const result: ScenarioCarry = {
    from: previous.month,
    carried,
    changed,
    leftBehind,
    ...(referenceLeft && kept.length > 0 ? { referenceNow: kept[0]!.assumptions.label } : {}),
  };
  await audit(trx, {
    actor,
    action: 'scenario.carry',
    entity: 'cycle',
    entityId: cycle.id,
    details: {
      fromCycleId: previous.id,
      scenarios: kept.map((s) => s.assumptions.name),
      ...result,
    },
  });
  return result;
}
