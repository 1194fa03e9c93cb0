/**
 * A family's demand over the open cycle's horizon, for the /forecast modal: the statistical
 * baseline, the current consensus (core rules) and the time-fence zone of each month.
 */

import type { Db } from '../../db/connect.js';
import { adjustmentsOf, baselineOf, type FamilyRef } from '../../db/queries/adjustments.js';
import type { CycleRow, SettingsRow } from '../../db/schema.js';
import { computeConsensus, peopleSteps } from '../core/consensus.js';
import type { Period } from '../core/period.js';
import { type Zone, zoneOf } from '../core/time-fences.js';
import { horizonOf } from './adjustments.js';
import { fencesOf } from './settings.js';

export interface DemandViewRow {
  readonly period: Period;
  /** null when no baseline was computed for that month yet. */
  readonly baseline: number | null;
  readonly consensus: number;
  readonly zone: Zone;
  /** Adjustments that count in this month. */
  readonly adjustments: number;
}

export async function demandView(
  db: Db,
  cycle: CycleRow,
  settings: SettingsRow,
  family: FamilyRef,
): Promise<DemandViewRow[]> {
  const horizon = horizonOf(cycle, settings);
  const [baseline, adjustments] = await Promise.all([
    baselineOf(db, cycle.id, family.id),
    adjustmentsOf(db, cycle.id, family.id, horizon),
  ]);
  const base = baseline
    .filter((b) => horizon.includes(b.period))
    .map((b) => ({ family: family.code, period: b.period, value: b.value }));
  const lines = computeConsensus(base, adjustments);
  const fences = fencesOf(settings);
  return horizon.map((p) => {
    const line = lines.find((l) => l.period === p);
    return {
      period: p,
      baseline: baseline.find((b) => b.period === p)?.value ?? null,
      consensus: line?.consensus ?? 0,
      zone: zoneOf(cycle.month, p, fences),
      adjustments: line ? peopleSteps(line).length : 0,
    };
  });
}
