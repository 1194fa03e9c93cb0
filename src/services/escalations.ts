/**
 * What weekly S&OE escalates to an executive meeting: the frozen-zone breaks its pack lists
 * under question 6, each with its action's state. One definition, read by the pack (`loopOf`) and by the
 * Monday digest's count (`nextMeetingEscalations`), so the two cannot disagree.
 */
import type { Db } from '../../db/connect.js';
import { lastPhaseEntryBefore, phaseEnteredAt } from '../../db/queries/audit.js';
import { cycleById } from '../../db/queries/cycle-inputs.js';
import { frozenBreaksBetween, latestCycle } from '../../db/queries/execution.js';
import { previousCycle } from '../../db/queries/review.js';
import type { CycleRow } from '../../db/schema.js';
import { PHASE_ORDER } from '../core/cycle.js';
import { addMonths } from '../core/period.js';

export type Escalation = Awaited<ReturnType<typeof frozenBreaksBetween>>[number];

/**
 * The breaks the meeting of the cycle of `month` takes up (`cycleId` null: a cycle not started
 * yet). Each break goes to one pack, the first built after it was recorded: a pack is built
 * when its cycle enters the executive phase, so the window runs from the last such entry of
 * an earlier cycle (a break found during that meeting's week is this one's) to this cycle's
 * own (a later one is the next pack's), or on to now when it has not entered it. With no
 * audited entry before it: from the previous cycle's close.
 */
async function escalationsOfMonth(
  db: Db,
  month: string,
  cycleId: number | null,
): Promise<Escalation[]> {
  const [since, until] = await Promise.all([
    lastPhaseEntryBefore(db, month, 'executive'),
    cycleId === null ? null : phaseEnteredAt(db, cycleId, 'executive'),
  ]);
  const from = since ?? (await previousCycle(db, month))?.closed_at ?? null;
  return frozenBreaksBetween(db, from, until);
}

/** The breaks `cycle`'s executive meeting (its pack) takes up. */
export function escalationsOf(
  db: Db,
  cycle: Pick<CycleRow, 'id' | 'month'>,
): Promise<Escalation[]> {
  return escalationsOfMonth(db, cycle.month, cycle.id);
}

const EXECUTIVE = PHASE_ORDER.indexOf('executive');

/**
 * The breaks the next executive meeting will see: those of the latest cycle while it has not
 * reached its executive phase, else those of the cycle after it (from the latest one's entry
 * on, or its close when none was audited).
 */
export async function nextMeetingEscalations(db: Db): Promise<Escalation[]> {
  const latest = await latestCycle(db);
  if (!latest) return frozenBreaksBetween(db, null, null);
  if (PHASE_ORDER.indexOf(latest.phase) < EXECUTIVE) return escalationsOf(db, latest);
  return escalationsOfMonth(db, addMonths(latest.month, 1), null);
}

/**
 * The breaks the meeting of cycle `cycleId` takes up whose action is not done yet, as the
 * decision form lists them: what broke, and its action's owner and due date.
 */
export async function escalationsToDecide(
  db: Db,
  cycleId: number,
): Promise<{ summary: string; owner: string | null; due: string | null }[]> {
  const cycle = await cycleById(db, cycleId);
  if (!cycle) return [];
  return (await escalationsOf(db, cycle))
    .filter((e) => e.status !== 'done')
    .map((e) => ({ summary: e.summary, owner: e.owner, due: e.due_date }));
}
