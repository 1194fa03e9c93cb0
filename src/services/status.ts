/**
 * `/sop status`: where the open cycle stands. Phase and deadlines, who still owes input
 * (sales reps with families that have neither an adjustment nor a no-change declaration
 * this cycle; ops members with open constraints), and the latest plan run.
 */
import type { Db } from '../../db/connect.js';
import {
  familyCoverage,
  type OpenConstraints,
  openConstraintsByOps,
  type RepOwing,
  repsOwingInput,
} from '../../db/queries/cycle-inputs.js';
import { latestRun } from '../../db/queries/plan-runs.js';
import type { CycleRow, Phase } from '../../db/schema.js';
import { runStaleStock } from '../core/supply/from-company.js';

export interface CycleStatus {
  readonly cycle: Pick<CycleRow, 'id' | 'month' | 'phase' | 'phase_entered_at'>;
  readonly deadlines: Partial<Record<Phase, string>>;
  /** Per phase, the company holidays its deadline's count stepped over when the cycle opened. */
  readonly skippedHolidays: CycleRow['skipped_holidays'];
  readonly pendingReps: readonly RepOwing[];
  /** How many active families there are. */
  readonly familyCount: number;
  /** The active families no sales rep covers, by code. */
  readonly uncoveredFamilies: readonly string[];
  readonly openConstraints: readonly OpenConstraints[];
  readonly latestRun: {
    readonly id: string;
    readonly createdAt: Date;
    readonly trigger: string;
    /** "opening stock from 2027-01's count: import 2027-02's inventory", or null. */
    readonly staleStock?: string | null;
  } | null;
}

export async function cycleStatus(db: Db, cycle: CycleRow): Promise<CycleStatus> {
  const [pendingReps, coverage, openConstraints, run] = await Promise.all([
    repsOwingInput(db, cycle.id),
    familyCoverage(db),
    openConstraintsByOps(db, cycle.id),
    latestRun(db, cycle.id),
  ]);
  return {
    cycle: {
      id: cycle.id,
      month: cycle.month,
      phase: cycle.phase,
      phase_entered_at: cycle.phase_entered_at,
    },
    deadlines: cycle.deadlines,
    skippedHolidays: cycle.skipped_holidays,
    pendingReps,
    familyCount: coverage.length,
    uncoveredFamilies: coverage.filter((f) => !f.covered).map((f) => f.code),
    openConstraints,
    latestRun: run
      ? {
          id: run.id,
          createdAt: run.created_at,
          trigger: run.trigger,
          staleStock: runStaleStock(run),
        }
      : null,
  };
}
