/**
 * `/sop status`: where the open cycle stands. Phase and deadlines, who still owes input
 * (sales reps with families that have neither an adjustment nor a no-change declaration
 * this cycle; ops members with open constraints), and the latest plan run. Someone Slack
 * refuses DMs to because they left (`peopleWhoLeft`) is set apart: a rep's input and an
 * executive's vote are not waited for, and a family only they cover has no rep.
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
import { countedVoters, getPoll } from '../../db/queries/polls.js';
import { peopleWhoLeft } from '../../db/queries/slack-refusals.js';
import type { CycleRow, Phase } from '../../db/schema.js';
import { familyCoveringRoles } from '../core/policy.js';
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
    /** Executives still in the workspace whose vote is not counted yet (an open vote only). */
    readonly yetToVote: readonly string[];
    /** Executives without a counted vote whom Slack refuses DMs as gone (PersonLeft). */
    readonly leftWithoutVote: readonly PersonLeft[];
    /** How many votes count so far, and how many close the vote (an open vote only). */
    readonly counted: number;
    readonly quorum: number | null;
    /** The chair, when Slack refuses DMs to them as gone. */
    readonly chairLeft: PersonLeft | null;
  } | null;
}

/**
 * Someone Slack refuses DMs to because they left (their account deactivated, or removed from
 * the workspace: `peopleWhoLeft`), with Slack's reason.
 */
export interface PersonLeft {
  readonly userId: string;
  readonly reason: string;
}

/** A sales rep who left, and the active families they still cover in sopbot. */
export interface RepLeft extends PersonLeft {
  readonly families: readonly string[];
}

export interface CycleStatus {
  readonly cycle: Pick<CycleRow, 'id' | 'month' | 'phase' | 'phase_entered_at'>;
  readonly deadlines: Partial<Record<Phase, string>>;
  /** Per phase, the company holidays its deadline's count stepped over when the cycle opened. */
  readonly skippedHolidays: CycleRow['skipped_holidays'];
  /** The reps still in the workspace who owe input (those who left are in `repsLeft`). */
  readonly pendingReps: readonly RepOwing[];
  /**
   * The sales reps who cover families and whom Slack refuses DMs as gone: nobody counts on
   * their input, and their families have no rep unless another covers them.
   */
  readonly repsLeft: readonly RepLeft[];
  /** How many active families there are. */
  readonly familyCount: number;
  /** The active families no sales rep in the workspace covers, by code. */
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
  const open = poll?.status === 'open';
  const [notVoted, counted] = open
    ? await Promise.all([executivesYetToVote(db, cycleId), countedVoters(db, poll.id)])
    : [[], new Set<string>()];
  const left = poll ? await peopleWhoLeft(db, [...notVoted, poll.created_by]) : new Map();
  const chairReason = poll ? left.get(poll.created_by) : undefined;
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
          yetToVote: notVoted.filter((u) => !left.has(u)),
          leftWithoutVote: notVoted
            .filter((u) => left.has(u))
            .map((userId) => ({ userId, reason: left.get(userId) ?? '' })),
          counted: counted.size,
          quorum: poll.quorum,
          chairLeft: chairReason ? { userId: poll.created_by, reason: chairReason } : null,
        }
      : null,
  };
}

/**
 * Who owes forecast input and which families have a rep, with the reps Slack refuses as gone
 * set apart: not counted as owing, and covering nothing.
 */
async function forecastInput(
  db: Db,
  cycleId: number,
): Promise<Pick<CycleStatus, 'pendingReps' | 'repsLeft' | 'familyCount' | 'uncoveredFamilies'>> {
  const roles = familyCoveringRoles();
  const [owing, coverage] = await Promise.all([
    repsOwingInput(db, cycleId, roles),
    familyCoverage(db, roles),
  ]);
  const left = await peopleWhoLeft(db, [...new Set(coverage.flatMap((f) => f.reps))]);
  const families = new Map<string, string[]>();
  for (const f of coverage)
    for (const rep of f.reps)
      if (left.has(rep)) families.set(rep, [...(families.get(rep) ?? []), f.code]);
  return {
    pendingReps: owing.filter((r) => !left.has(r.userId)),
    repsLeft: [...families.entries()].map(([userId, codes]) => ({
      userId,
      reason: left.get(userId) ?? '',
      families: codes,
    })),
    familyCount: coverage.length,
    uncoveredFamilies: coverage.filter((f) => !f.reps.some((r) => !left.has(r))).map((f) => f.code),
  };
}

export async function cycleStatus(db: Db, cycle: CycleRow): Promise<CycleStatus> {
  const [input, openConstraints, run, meeting] = await Promise.all([
    forecastInput(db, cycle.id),
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
    ...input,
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
