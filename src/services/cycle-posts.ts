/**
 * What the cycle tells people: the announcement in the phase's channel when a phase opens
 * (the `phase-announce` job, requested with the phase change), and DMs to everyone who still
 * owes input before its deadline. Each goes through the post ledger once
 * (services/reminders.ts); the messages come from src/slack/presenters/cycle.ts.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { phasesEndedAtDeadline } from '../../db/queries/audit.js';
import { repsOwingInput } from '../../db/queries/cycle-inputs.js';
import { membersWithRole } from '../../db/queries/members.js';
import { countedVoters, openPollOf } from '../../db/queries/polls.js';
import type { CycleRow, Phase, SettingsRow } from '../../db/schema.js';
import { PHASE_EXPECTATIONS, PHASE_ORDER } from '../core/cycle.js';
import { familyCoveringRoles } from '../core/policy.js';
import { NotDueYetError } from '../errors.js';
import { sendEach } from '../slack/post-ledger.js';
import {
  demandNudgeText,
  phaseAnnouncement,
  supplyNudgeText,
  voteNudgeText,
} from '../slack/presenters/cycle.js';
import { slackDate } from '../slack/presenters/format.js';
import { openConstraintsLabelled } from './constraints.js';
import { requireCycle } from './cycles.js';
import { runReplacing } from './polls.js';
import { dmOnce, postOnce } from './reminders.js';
import { getSettings } from './settings.js';
import { refuseIfDeactivated } from './slack-person.js';

/** The channel (settings) told about `phase`, or null when it is not configured. */
export function channelFor(settings: SettingsRow, phase: Phase): string | null {
  const a = PHASE_EXPECTATIONS[phase].audience;
  return a === 'demand'
    ? settings.demand_channel
    : a === 'supply'
      ? settings.supply_channel
      : settings.exec_channel;
}

/** Tell the phase's channel what is expected and by when, once per cycle and phase. */
export async function announcePhase(
  slack: WebClient,
  db: Db,
  cycle: CycleRow,
): Promise<string | null> {
  const settings = await getSettings(db);
  const channel = channelFor(settings, cycle.phase);
  if (!channel) return null;
  return postOnce(
    slack,
    db,
    `phase:${cycle.id}:${cycle.phase}`,
    channel,
    phaseAnnouncement(
      cycle,
      settings.timezone,
      await phasesEndedAtDeadline(db, cycle.id, cycle.phase_entered_at),
    ),
  );
}

/**
 * The `phase-announce` job: announce `phase` when the cycle is still in it. A cycle that has
 * moved on is not told about the phase it left (`skipped`, with the phase it is in now).
 */
export async function announcePhaseOf(
  slack: WebClient,
  db: Db,
  cycleId: number,
  phase: Phase,
): Promise<
  | { readonly skipped: false; readonly ts: string | null }
  | { readonly skipped: true; readonly phaseNow: Phase }
> {
  const cycle = await requireCycle(db, cycleId);
  if (cycle.phase !== phase) return { skipped: true, phaseNow: cycle.phase };
  return { skipped: false, ts: await announcePhase(slack, db, cycle) };
}

export interface OwedInput {
  /** Sales reps and the families for which they made neither an adjustment nor "no change". */
  readonly reps: readonly { userId: string; families: readonly string[] }[];
  /**
   * Operations members and the open constraints of the cycle: those each entered (`mine`),
   * and the others.
   */
  readonly ops: readonly {
    userId: string;
    mine: readonly string[];
    others: readonly string[];
  }[];
}

export async function owedInput(db: Db, cycle: CycleRow): Promise<OwedInput> {
  const reps = await repsOwingInput(db, cycle.id, familyCoveringRoles());
  const list = await openConstraintsLabelled(db, cycle.id);
  const opsMembers = list.length ? await membersWithRole(db, ['ops']) : [];
  const labels = (mine: boolean, userId: string) =>
    list.filter((c) => (c.author === userId) === mine).map((c) => c.label);
  return {
    reps,
    ops: opsMembers.map((m) => ({
      userId: m.userId,
      mine: labels(true, m.userId),
      others: labels(false, m.userId),
    })),
  };
}

/**
 * How long, past the stored end of the phase before, a nudge that came before its phase began
 * waits each time for that phase's deadline job to move the cycle.
 */
export const NUDGE_WAIT_MS = 5_000;

/**
 * DM everyone who still owes input before `phase`'s deadline, once each (ledger key
 * nudge:<cycle>:<phase>:<user>). Does nothing when the cycle has left the phase, nor once its
 * deadline has passed (`now`: a nudge that comes due late, after a worker was down across it,
 * would ask for input by a time gone by; the deadline job ends the phase). A one-day phase's
 * nudge (one working day before its deadline) comes due at the instant the phase before ends,
 * beside that phase's deadline job, and a job may be taken a moment early: found still in the
 * phase before, whose stored deadline will move the cycle into this phase (whether or not it
 * has passed by this worker's clock), it throws NotDueYetError (the worker runs it again just
 * after that deadline, then every NUDGE_WAIT_MS) rather than find the wrong phase and send
 * nothing. So does one that finds the cycle two or more phases back, each with a stored
 * deadline (a worker down across them all, whose deadline jobs run beside this one when it
 * is back): it waits for them, and nudges once the phase has begun, when its deadline is still
 * ahead. Someone Slack refuses for good, or whose account `users.info` says is deactivated
 * (Slack would take that DM and nobody would read it), is named in an UndeliveredError once
 * the others are nudged.
 */
export async function sendNudges(
  slack: WebClient,
  db: Db,
  cycleId: number,
  phase: Phase,
  now: Date,
): Promise<string[]> {
  const cycle = await requireCycle(db, cycleId);
  const deadline = cycle.deadlines[phase];
  if (deadline && new Date(deadline).getTime() <= now.getTime()) return [];
  // Still in an earlier phase, each of whose stored deadlines up to this phase's start will
  // move it on (their jobs have not run yet: a worker down across them, back now).
  const waiting = PHASE_ORDER.slice(PHASE_ORDER.indexOf(cycle.phase), PHASE_ORDER.indexOf(phase));
  const before = waiting[waiting.length - 1];
  const beforeEnds = before ? cycle.deadlines[before] : undefined;
  if (before && beforeEnds && waiting.every((p) => cycle.deadlines[p])) {
    const untilEnd = Math.max(0, new Date(beforeEnds).getTime() - now.getTime());
    throw new NotDueYetError(
      waiting.length === 1
        ? `nudge of ${phase} in cycle ${cycle.month}: the cycle is still in ${before}, which ends ${beforeEnds}; waiting for its deadline job`
        : `nudge of ${phase} in cycle ${cycle.month}: the cycle is still in ${cycle.phase}, and ${before} ends ${beforeEnds}; waiting for the deadline jobs of ${waiting.join(', ')}`,
      untilEnd + NUDGE_WAIT_MS,
    );
  }
  if (cycle.phase !== phase) return [];
  const owed = await owedInput(db, cycle);
  const settings = await getSettings(db);
  // A cycle made without this phase's deadline (a test's, an older one's) has no date to give.
  const by = deadline ? slackDate(new Date(deadline), settings.timezone) : 'soon';
  const nudges: { readonly userId: string; readonly text: string }[] = [];
  if (phase === 'demand_review')
    for (const r of owed.reps)
      nudges.push({ userId: r.userId, text: demandNudgeText(cycle.month, by, r.families) });
  if (phase === 'supply_review')
    for (const o of owed.ops)
      nudges.push({
        userId: o.userId,
        text: supplyNudgeText(cycle.month, by, o.mine, o.others),
      });
  if (phase === 'executive') {
    // A vote on a run a newer one replaced takes no more votes: the nudge says how to go on.
    const poll = await openPollOf(db, cycle.id);
    const newer = poll ? await runReplacing(db, cycle.id, poll.run_id) : null;
    const replaced =
      poll && newer ? { pollId: poll.id, votedRun: poll.run_id, newerRun: newer } : null;
    for (const userId of await executivesYetToVote(db, cycle.id))
      nudges.push({ userId, text: voteNudgeText(cycle.month, by, replaced) });
  }
  // One person Slack refuses for good (who left) does not stop the others' nudges.
  const sent: string[] = [];
  await sendEach(
    nudges,
    (n) => n.userId,
    async ({ userId, text }) => {
      const key = `nudge:${cycle.id}:${phase}:${userId}`;
      // Slack takes a DM to a deactivated account without a word, and nobody reads it: one
      // not sent yet asks users.info first and is refused as not sent (`deactivated`), so it is
      // recorded and the admins are told who left (src/services/undelivered.ts).
      await refuseIfDeactivated(slack, db, key, userId);
      if (await dmOnce(slack, db, key, userId, { text })) sent.push(userId);
    },
  );
  return sent;
}

/** Executives without a counted vote in the cycle's open vote (none when no vote is open). */
export async function executivesYetToVote(db: Db, cycleId: number): Promise<string[]> {
  const poll = await openPollOf(db, cycleId);
  if (!poll) return [];
  const has = await countedVoters(db, poll.id);
  return (await membersWithRole(db, ['exec']))
    .map((m) => m.userId)
    .filter((u) => !has.has(u))
    .sort();
}
