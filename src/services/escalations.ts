/**
 * What weekly S&OE escalates to an executive meeting: the frozen-zone breaks its pack lists
 * under question 6, each with its action's state. One definition, read by the pack (`loopOf`) and by the
 * Monday digest's count (`nextMeetingEscalations`), so the two cannot disagree.
 */
import type { Db } from '../../db/connect.js';
import { lastPhaseEntryBefore, phaseEnteredAt } from '../../db/queries/audit.js';
import type { Disposition } from '../../db/queries/break-dispositions.js';
import {
  breaksDeferredBefore,
  deferralsBefore,
  dispositionsOfDecisions,
} from '../../db/queries/break-dispositions.js';
import { cycleById } from '../../db/queries/cycle-inputs.js';
import { latestCycleWhere } from '../../db/queries/cycles.js';
import { newestDecision } from '../../db/queries/decisions.js';
import { frozenBreaksBetween, latestCycle } from '../../db/queries/execution.js';
import type { CycleRow } from '../../db/schema.js';
import { PHASE_ORDER } from '../core/cycle.js';
import { addMonths } from '../core/period.js';

export type Escalation = Awaited<ReturnType<typeof frozenBreaksBetween>>[number] & {
  /** Deferred to this meeting by an earlier one (not recorded in this meeting's window). */
  readonly carried: boolean;
} & Deferrals;

/** The meetings that deferred a break (none: a fresh one). */
export interface Deferrals {
  /** The cycles of the meetings that deferred it, oldest first. */
  readonly deferredIn: readonly string[];
  /** Those of `deferredIn` whose decision chose nothing for it (typed `/sop decide`). */
  readonly undecidedIn: readonly string[];
  /** The last note a deferring meeting wrote on it (null: none wrote one). */
  readonly deferNote: string | null;
}

const FRESH: Deferrals = { deferredIn: [], undecidedIn: [], deferNote: null };

/** The latest cycle before `month` but one closed without a decision, or null. */
function previousCycleNotSkipped(db: Db, month: string) {
  return latestCycleWhere(db, (eb) =>
    eb.and([
      eb('month', '<', month),
      eb.or([eb('adopted_scenario_id', 'is not', null), eb('phase', '<>', 'closed')]),
    ]),
  );
}

/**
 * The breaks the meeting of the cycle of `month` takes up (`cycleId` null: a cycle not started
 * yet). Each break goes to one pack, the first built after it was recorded: a pack is built
 * when its cycle enters the executive phase, so the window runs from the last such entry of
 * an earlier cycle (a break found during that meeting's week is this one's) to this cycle's
 * own (a later one is the next pack's), or on to now when it has not entered it. A cycle closed
 * without a decision is passed over: its meeting disposed of nothing, so its breaks come to
 * this one. With no audited entry before it: from the previous such cycle's close.
 */
async function escalationsOfMonth(
  db: Db,
  month: string,
  cycleId: number | null,
): Promise<Escalation[]> {
  const [since, until] = await Promise.all([
    lastPhaseEntryBefore(db, month, 'executive', { decidedOrOpen: true }),
    cycleId === null ? null : phaseEnteredAt(db, cycleId, 'executive'),
  ]);
  const from = since ?? (await previousCycleNotSkipped(db, month))?.closed_at ?? null;
  const [fresh, deferred] = await Promise.all([
    frozenBreaksBetween(db, from, until),
    breaksDeferredBefore(db, month),
  ]);
  // A break an earlier meeting deferred comes back until a meeting disposes of it, unless its
  // owner has done its action meanwhile.
  const seen = new Set(fresh.map((e) => e.id));
  const carried = deferred.filter((e) => !seen.has(e.id) && e.status !== 'done');
  const history = await deferralsBefore(
    db,
    month,
    carried.map((e) => e.id),
  );
  return [
    ...carried.map((e) => {
      const d = history.get(e.id) ?? [];
      const noted = d.filter((x) => x.note?.trim()).at(-1);
      return {
        ...e,
        carried: true,
        deferredIn: d.map((x) => x.month),
        undecidedIn: d.filter((x) => !x.chosen).map((x) => x.month),
        deferNote: noted?.note ?? null,
      };
    }),
    ...fresh.map((e) => ({ ...e, carried: false, ...FRESH })),
  ];
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
  if (!latest)
    return (await frozenBreaksBetween(db, null, null)).map((e) => ({
      ...e,
      carried: false,
      ...FRESH,
    }));
  if (PHASE_ORDER.indexOf(latest.phase) < EXECUTIVE) return escalationsOf(db, latest);
  return escalationsOfMonth(db, addMonths(latest.month, 1), null);
}

/** A break the decision form asks about, with the disposition it starts at. */
export interface BreakToDecide extends Deferrals {
  readonly id: string;
  readonly summary: string;
  readonly owner: string | null;
  readonly due: string | null;
  /** Deferred to this meeting by an earlier one. */
  readonly carried: boolean;
  /** The cycle's current decision's disposition of it (a new decision supersedes that one). */
  readonly disposition: Disposition | null;
  readonly note: string | null;
}

/** The dispositions of the cycle's current (newest) decision, by break. */
export async function currentDispositions(
  db: Db,
  cycleId: number,
): Promise<Map<string, { disposition: Disposition; note: string | null; chosen: boolean }>> {
  const current = await newestDecision(db, cycleId);
  const rows = current ? await dispositionsOfDecisions(db, [current.id]) : [];
  return new Map(
    rows.map((r) => [
      r.deviation_id,
      { disposition: r.disposition, note: r.note, chosen: r.chosen },
    ]),
  );
}

/**
 * The breaks the meeting of cycle `cycleId` takes up whose action is not done yet, as the
 * decision form lists them and the decision disposes of them: what broke, its action's owner
 * and due date, and the disposition the cycle's current decision gave it (a superseding
 * decision starts from it).
 */
export async function escalationsToDecide(db: Db, cycleId: number): Promise<BreakToDecide[]> {
  const cycle = await cycleById(db, cycleId);
  if (!cycle) return [];
  const [breaks, current] = await Promise.all([
    escalationsOf(db, cycle),
    currentDispositions(db, cycleId),
  ]);
  return breaks
    .filter((e) => e.status !== 'done')
    .map((e) => ({
      id: e.id,
      summary: e.summary,
      owner: e.owner,
      due: e.due_date,
      carried: e.carried,
      deferredIn: e.deferredIn,
      undecidedIn: e.undecidedIn,
      deferNote: e.deferNote,
      disposition: current.get(e.id)?.disposition ?? null,
      note: current.get(e.id)?.note ?? null,
    }));
}
