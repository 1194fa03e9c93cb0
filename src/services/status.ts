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
import { latestDecisionOf, latestPollOf } from '../../db/queries/pack.js';
import { latestRun } from '../../db/queries/plan-runs.js';
import { getPoll } from '../../db/queries/polls.js';
import type { CycleRow, Phase } from '../../db/schema.js';
import { runStaleStock } from '../core/supply/from-company.js';
import { executivesYetToVote } from './cycle-posts.js';

/** What the executive meeting still owes: its decision, and the vote that prepares it. */
export interface MeetingStatus {
  /** The cycle's decision (the newest), once recorded. */
  readonly decision: { readonly id: string; readonly scenario: string; readonly by: string } | null;
  /** The cycle's latest vote, if any. */
  readonly vote: {
    readonly id: string;
    readonly status: 'open' | 'closed';
    readonly closesAt: Date | null;
    readonly chair: string;
    /** Executives whose vote is not counted yet (an open vote only). */
    readonly yetToVote: readonly string[];
  } | null;
}

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
  /** In the executive phase: the decision it owes and its vote; absent in other phases. */
  readonly meeting?: MeetingStatus;
}

async function meetingStatus(db: Db, cycleId: number): Promise<MeetingStatus> {
  const [decision, latest] = await Promise.all([
    latestDecisionOf(db, cycleId),
    latestPollOf(db, cycleId),
  ]);
  const poll = latest ? await getPoll(db, latest.id) : null;
  return {
    decision: decision
      ? { id: decision.id, scenario: decision.label, by: decision.decided_by }
      : null,
    vote: poll
      ? {
          id: poll.id,
          status: poll.status,
          closesAt: poll.closes_at,
          chair: poll.created_by,
          yetToVote: poll.status === 'open' ? await executivesYetToVote(db, cycleId) : [],
        }
      : null,
  };
}

export async function cycleStatus(db: Db, cycle: CycleRow): Promise<CycleStatus> {
  const [pendingReps, coverage, openConstraints, run, meeting] = await Promise.all([
    repsOwingInput(db, cycle.id),
    familyCoverage(db),
    openConstraintsByOps(db, cycle.id),
    latestRun(db, cycle.id),
    cycle.phase === 'executive' ? meetingStatus(db, cycle.id) : undefined,
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
    ...(meeting ? { meeting } : {}),
  };
}
