/**
 * The scenario vote. A poll offers one option per scenario of the cycle's latest plan run
 * (poll_options point at the exact plan_scenarios rows). Only executives' votes count; every
 * click is kept (votes + audit_log). A voter's change supersedes their previous vote; the
 * same click delivered twice (same request key) or the same choice twice is a no-op.
 */
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { cycleById } from '../../db/queries/cycle-inputs.js';
import { lockCyclePhase } from '../../db/queries/cycles.js';
import { decisionOfCycleSince, decisionOfPoll } from '../../db/queries/decisions.js';
import { roleOf } from '../../db/queries/members.js';
import { scenarioById } from '../../db/queries/plan-results.js';
import { latestRun, runPeriods, runScenarios } from '../../db/queries/plan-runs.js';
import {
  closeOpenPoll,
  currentVote,
  getPoll,
  insertPoll,
  insertVote,
  lockPoll,
  lockPollCreation,
  openPollOf,
  optionLabel,
  type PollOptionRow,
  pollByKey,
  pollOptions,
  pollVotes,
  setPollMessage,
  supersedeVote,
  voteWithKeyExists,
} from '../../db/queries/polls.js';
import type { CycleRow, DecisionRow, PollRow } from '../../db/schema.js';
import { localDateTime } from '../core/calendar.js';
import { PHASE_LABEL } from '../core/cycle.js';
import { can } from '../core/policy.js';
import {
  replacedRunDecisionNotice,
  replacedRunNotice,
  type Tally,
  tally,
  type VoteLength,
  voteClose,
} from '../core/vote.js';
import type { CycleDeps } from '../deps.js';
import { SopError } from '../errors.js';
import { ledgerEntry } from '../slack/post-ledger.js';
import { type Member, permissionRefusal, roleNames } from './members.js';
import { deliverJobs, requestJob } from './outbox.js';
import { getSettings } from './settings.js';

export interface PollView {
  readonly poll: PollRow;
  readonly options: readonly PollOptionRow[];
  readonly tally: Tally;
  /**
   * The decision that settles the vote: the one recorded after it, or else the cycle's newest
   * decision recorded since the vote opened (one recorded without the vote, as its deadline
   * closed it). Null: a decision is still owed.
   */
  readonly decision: DecisionRow | null;
  /**
   * The scenario `decision` adopted: its label and plan run (a decision typed with `/sop
   * decide` on a newer run than the vote's adopts none of the vote's options). Null without one.
   */
  readonly decisionScenario: { readonly label: string; readonly runId: string } | null;
  /** The run's scenario chart, when the post-charts job has uploaded it (ledger `run:<id>:scenarios`). */
  readonly chartFileId: string | null;
  /** The company's time zone (settings), for the close time's fallback text. */
  readonly timezone: string;
  /**
   * The deadline of the vote's cycle's executive phase, which closes the cycle and the vote
   * with it (null: none stored); absent: not read.
   */
  readonly cycleDeadline?: Date | null;
  /**
   * The cycle's latest plan run when it is newer than the vote's (it replaced the run the vote
   * is on, whose figures are then out of date), else null.
   */
  readonly replacedBy: string | null;
  /**
   * The months the vote's plan run covers, which its money figures are totals over (the
   * context says so); absent or empty: not said.
   */
  readonly horizon?: readonly string[];
}

/** How long a vote stays open when no length is typed: 48 real hours. */
export const DEFAULT_POLL_LENGTH: VoteLength = { unit: 'hours', count: 48 };

/**
 * The poll's options and its tally (the counted votes, the quorum) as `db` reads them: the
 * vote message's, and, in `castVote`'s transaction under the poll's lock, the quorum check's.
 */
async function pollTally(
  db: Db,
  poll: Pick<PollRow, 'id' | 'quorum'>,
): Promise<{ options: PollOptionRow[]; tally: Tally }> {
  const options = await pollOptions(db, poll.id);
  const votes = await pollVotes(db, poll.id);
  const t = tally(
    options.map((o) => ({ id: o.scenarioId, label: o.label })),
    votes.map((v) => ({
      voter: v.voter,
      optionId: v.scenario_id,
      counted: v.counted,
      at: v.created_at,
      supersededAt: v.superseded_at,
    })),
    poll.quorum,
  );
  return { options, tally: t };
}

export async function getPollView(db: Db, pollId: string): Promise<PollView> {
  const poll = await getPoll(db, pollId);
  if (!poll) throw new SopError('not_found', `No vote with id ${pollId}.`);
  const { options, tally: t } = await pollTally(db, poll);
  const decision =
    (await decisionOfPoll(db, pollId)) ??
    (await decisionOfCycleSince(db, poll.cycle_id, poll.created_at));
  const adopted = decision ? await scenarioById(db, decision.scenario_id) : null;
  const chart = await ledgerEntry(db, `run:${poll.run_id}:scenarios`);
  const { timezone } = await getSettings(db);
  const due = (await cycleById(db, poll.cycle_id))?.deadlines.executive;
  return {
    poll,
    cycleDeadline: due ? new Date(due) : null,
    options,
    tally: t,
    decision,
    decisionScenario: adopted ? { label: adopted.label, runId: adopted.run_id } : null,
    chartFileId: chart?.ts ? chart.fileId : null,
    timezone,
    replacedBy: await runReplacing(db, poll.cycle_id, poll.run_id),
    horizon: (await runPeriods(db, poll.run_id)) ?? [],
  };
}

/** True when plan run `newer` was written after run `older` (run ids grow with each run). */
export function isNewerRun(newer: string, older: string): boolean {
  return BigInt(newer) > BigInt(older);
}

/** The cycle's latest plan run when it is newer than `runId` (it replaced that run), else null. */
export async function runReplacing(db: Db, cycleId: number, runId: string): Promise<string | null> {
  const latest = await latestRun(db, cycleId);
  return latest && isNewerRun(latest.id, runId) ? latest.id : null;
}

/**
 * Refuses (`conflict`) a decision on vote `poll`'s figures once run `replacedBy` replaced the run
 * it is on: nothing is adopted from figures that are out of date. The "Record the decision"
 * button and `recordDecision` (the form) say it in the same words.
 */
export function refuseDecisionOnReplacedRun(
  poll: { readonly id: string; readonly run_id: string },
  replacedBy: string | null,
): void {
  if (replacedBy !== null)
    throw new SopError('conflict', replacedRunDecisionNotice(replacedBy, poll.run_id, poll.id));
}

/**
 * Why no decision form should open for vote `view`, or null: its cycle is past the executive
 * phase (closed: the form's submission would be refused, `recordDecision`), or a newer run
 * replaced its figures. The vote's Close and "Record the decision" ask it before the form opens.
 */
export async function decisionFormRefusal(db: Db, view: PollView): Promise<SopError | null> {
  const cycle = await cycleById(db, view.poll.cycle_id);
  try {
    if (cycle) refuseOutsideExecutive(cycle, 'decision');
    refuseDecisionOnReplacedRun(view.poll, view.replacedBy);
  } catch (err) {
    if (err instanceof SopError) return err;
    throw err;
  }
  return null;
}

/**
 * Refuses (`phase_closed`) a vote or a decision outside the executive phase. Before it, the
 * run they would be on is replaced by the cycle's own recomputes (entering supply review,
 * entering pre-S&OP) while pre-S&OP builds and compares the scenarios; the executive meeting
 * picks one. `what` begins the sentence that says where it belongs.
 */
export function refuseOutsideExecutive(
  cycle: Pick<CycleRow, 'month' | 'phase'>,
  what: 'vote' | 'decision',
): void {
  if (cycle.phase === 'executive') return;
  if (cycle.phase === 'closed')
    throw new SopError(
      'phase_closed',
      what === 'vote'
        ? `Cycle ${cycle.month} is closed; there is nothing left to vote on.`
        : `Cycle ${cycle.month} is closed; its decision can no longer change. Record it in the open cycle.`,
    );
  const where =
    what === 'vote' ? 'the scenario vote opens in' : 'the executive decision is recorded in';
  throw new SopError(
    'phase_closed',
    `Cycle ${cycle.month} is in ${PHASE_LABEL[cycle.phase]}; ${where} ${PHASE_LABEL.executive}, once pre-S&OP has compared the scenarios. A planner or admin moves the cycle on with \`/sop cycle next\`.`,
  );
}

export interface CreatePollInput {
  readonly cycle: CycleRow;
  readonly createdBy: string;
  readonly requestKey: string;
  /** How long it stays open; absent: `DEFAULT_POLL_LENGTH`. */
  readonly length?: VoteLength;
}

/** The open vote a new one replaced: its plan run was out of date. */
export interface ReplacedPoll {
  readonly id: string;
  readonly runId: string;
}

/**
 * Create the poll for the cycle's latest plan run (the same request twice gives the same
 * poll), and schedule its `poll-deadline` job. Only in the executive phase (before it, the run
 * is still being replaced). Refuses when a vote is already open, unless that vote has no
 * message (its post failed, or is under way): then it returns that vote (`created: false`)
 * for the caller to post its message under the same ledger key. An open vote on an older run
 * (its figures out of date) is closed (`replaced`) in the new vote's transaction, and named in
 * `replaced`.
 */
export async function createPoll(
  deps: CycleDeps,
  input: CreatePollInput,
): Promise<{
  view: PollView;
  created: boolean;
  replaced: ReplacedPoll | null;
  /** True when the executive phase's deadline closes the vote before its length is up. */
  closesWithPhase: boolean;
}> {
  const key = `poll:${input.requestKey}`;
  const existing = await pollByKey(deps.db, key);
  const withPhase = (view: PollView) =>
    view.poll.closes_at !== null &&
    input.cycle.deadlines.executive !== undefined &&
    view.poll.closes_at.getTime() === new Date(input.cycle.deadlines.executive).getTime();
  if (existing) {
    const view = await getPollView(deps.db, existing.id);
    return { view, created: false, replaced: null, closesWithPhase: withPhase(view) };
  }
  const { cycle } = input;
  refuseOutsideExecutive(cycle, 'vote');
  const run = await latestRun(deps.db, cycle.id);
  if (!run) {
    throw new SopError(
      'not_found',
      `Cycle ${cycle.month} has no plan run yet; run \`/sop plan\` first, then start the vote.`,
    );
  }
  const scenarios = (await runScenarios(deps.db, run.id)).filter((s) => s.status === 'optimal');
  if (scenarios.length === 0) {
    throw new SopError(
      'validation',
      `The latest plan run of ${cycle.month} has no feasible scenario to vote on; fix the plan and run \`/sop plan\` again.`,
    );
  }
  const now = deps.clock.now();
  const phaseEnd = cycle.deadlines.executive ? new Date(cycle.deadlines.executive) : null;
  const settings = await getSettings(deps.db);
  const close = voteClose(now, input.length ?? DEFAULT_POLL_LENGTH, settings.timezone, phaseEnd);
  const closesAt = close.at;
  const poll = await deps.db.transaction().execute(async (trx) => {
    await lockPollCreation(trx, cycle.id);
    // Share-locked until the vote is written: the cycle cannot close (and leave it open) meanwhile.
    const current = await lockCyclePhase(trx, cycle.id);
    if (!current) throw new SopError('not_found', `No cycle with id ${cycle.id}.`);
    refuseOutsideExecutive(current, 'vote');
    const open = await openPollOf(trx, cycle.id);
    const jobs: string[] = [];
    let replaced: ReplacedPoll | null = null;
    if (open && isNewerRun(run.id, open.run_id)) {
      // Its figures are out of date: the new vote, on the latest run, takes its place.
      await closePollIn(trx, { pollId: open.id, by: input.createdBy, reason: 'replaced' }, now);
      jobs.push(await requestJob(trx, 'poll-refresh', { pollId: open.id }, { debounceMs: 250 }));
      replaced = { id: open.id, runId: open.run_id };
    } else if (open && open.message_ts === null) {
      // Nobody can see or close a vote without its message: post it rather than refuse.
      return { id: open.id, jobs, replaced, created: false };
    } else if (open) {
      throw new SopError(
        'conflict',
        `A vote is already open for ${cycle.month} (vote ${open.id}); its chair closes it with the Close button.`,
      );
    }
    const row = await insertPoll(
      trx,
      {
        cycle_id: cycle.id,
        run_id: run.id,
        poll_key: key,
        question: `Which scenario do we adopt for ${cycle.month}?`,
        mode: settings.vote_mode,
        quorum: settings.vote_quorum,
        closes_at: closesAt,
        created_by: input.createdBy,
        created_at: now,
      },
      scenarios.map((s) => ({ scenarioId: s.id, label: s.label })),
    );
    await audit(trx, {
      actor: input.createdBy,
      action: 'poll.open',
      entity: 'poll',
      entityId: row.id,
      details: {
        cycleId: cycle.id,
        runId: run.id,
        scenarios: scenarios.map((s) => s.id),
        mode: settings.vote_mode,
        quorum: settings.vote_quorum,
        closesAt: closesAt.toISOString(),
        ...(close.withPhase ? { closesWithPhase: true } : {}),
        ...(replaced ? { replacedPoll: replaced.id } : {}),
      },
    });
    // A vote that the phase's end closes needs no deadline job of its own: the cycle's
    // deadline closes it, in the cycle's closing transaction. One of its own at that same
    // instant could close it first and ask the chair for a decision the cycle then refuses.
    // Its delay is read off closes_at, so the job and the stored deadline are one instant.
    if (!close.withPhase)
      jobs.push(
        await requestJob(
          trx,
          'poll-deadline',
          { pollId: row.id },
          { delayMs: closesAt.getTime() - now.getTime() },
        ),
      );
    return { id: row.id, jobs, replaced, created: true };
  });
  if (poll.jobs.length > 0) await deliverJobs(deps.db, deps.queue, { ids: poll.jobs });
  const view = await getPollView(deps.db, poll.id);
  return {
    view,
    created: poll.created,
    replaced: poll.replaced,
    closesWithPhase: withPhase(view),
  };
}

export async function attachPollMessage(
  db: Db,
  pollId: string,
  channel: string,
  ts: string,
): Promise<void> {
  await setPollMessage(db, pollId, channel, ts);
}

export type VoteOutcome =
  /** First counted vote of this voter. */
  | 'recorded'
  /** The voter changed their choice; the previous vote is superseded. */
  | 'changed'
  /** The same choice again: nothing changes. */
  | 'same'
  /** The same click delivered again (same request key): nothing changes. */
  | 'duplicate'
  /**
   * A click older than the voter's vote standing, delivered after it (two clicks that reached
   * the bot in the other order): kept for the record, superseded; the later click's vote stands.
   */
  | 'earlier'
  /** Kept for audit, not counted: the voter is not an executive. */
  | 'not_counted';

export interface CastVoteInput {
  readonly pollId: string;
  readonly voter: string;
  readonly scenarioId: string;
  readonly requestKey: string;
  /**
   * True only for executives (`vote.counted`), as the click was read; the voter's role is read
   * again in the vote's transaction, so a role taken away meanwhile counts nothing.
   */
  readonly counted: boolean;
  /** When the voter clicked (Slack's `action_ts`); null when unknown. */
  readonly clickedAt?: Date | null;
}

/**
 * Records a click on a vote button. A counted vote that brings the counted voters to the
 * quorum closes the vote (`close_reason = 'quorum'`) in the same transaction, the votes read
 * under the poll's lock: a role change that takes a voter's vote away (it locks the open polls
 * first, `votesAfterRoleChange`) commits either before, and the quorum is counted without it,
 * or after the vote closed, which it then leaves as it was. `closedByQuorum`: this click
 * closed it.
 */
export async function castVote(
  db: Db,
  input: CastVoteInput,
  now: Date,
): Promise<{
  outcome: VoteOutcome;
  view: PollView;
  closedByQuorum: boolean;
  /** The scenario of the vote that stands, when the click was `earlier` than it. */
  standing?: string;
}> {
  let closedByQuorum = false;
  let standing: string | undefined;
  const outcome = await db.transaction().execute(async (trx): Promise<VoteOutcome> => {
    const poll = await lockPoll(trx, input.pollId);
    if (!poll) throw new SopError('not_found', `No vote with id ${input.pollId}.`);
    if (await voteWithKeyExists(trx, input.requestKey)) return 'duplicate';
    // A closed cycle's decision can no longer change: its vote takes no more votes.
    const cycle = await cycleById(trx, poll.cycle_id);
    if (cycle?.phase === 'closed') {
      throw new SopError(
        'phase_closed',
        `Cycle ${cycle.month} is closed; its vote no longer takes votes. A planner or admin starts the next cycle with \`/sop cycle start\`.`,
      );
    }
    if (poll.status !== 'open' && poll.close_reason === 'replaced') {
      throw new SopError(
        'phase_closed',
        `Vote ${poll.id} is closed, so it takes no more votes: its figures were out of date, and a new vote on the latest plan run took its place.`,
      );
    }
    if (poll.status !== 'open') {
      // Why, and what happens next: the cycle's phase, and who moves things on.
      const decided = await decisionOfPoll(trx, poll.id);
      // Closed, then its run replaced: the chair can no longer record a decision on it.
      const replacedBy = decided ? null : await runReplacing(trx, poll.cycle_id, poll.run_id);
      if (replacedBy !== null)
        throw new SopError(
          'phase_closed',
          `Vote ${poll.id} is closed, so it takes no more votes. ${replacedRunDecisionNotice(replacedBy, poll.run_id, poll.id)}`,
        );
      const next = decided
        ? `decision ${decided.id} is recorded`
        : `the chair <@${poll.created_by}> records the decision`;
      const phase = cycle
        ? ` Cycle ${cycle.month} is in ${PHASE_LABEL[cycle.phase]}: ${next}, and a planner or admin moves the cycle on with \`/sop cycle next\`.`
        : '';
      throw new SopError(
        'phase_closed',
        `Vote ${poll.id} is closed, so it takes no more votes.${phase}`,
      );
    }
    // Executives never vote on figures a newer plan run has replaced.
    const replacedBy = await runReplacing(trx, poll.cycle_id, poll.run_id);
    if (replacedBy !== null)
      throw new SopError('phase_closed', replacedRunNotice(replacedBy, poll.run_id));
    // Past its deadline, its deadline job not yet run (a worker down, back later): the vote
    // took its last votes then, and the job counts those when it runs. Before, a click in
    // between was counted, and could even reach the quorum. A click is timed by Slack's
    // action_ts when it has one from the last few minutes, so a click made just before the
    // deadline whose retry reaches the bot just after it still counts.
    const clickedAt =
      input.clickedAt &&
      Math.abs(now.getTime() - input.clickedAt.getTime()) <= CLICK_TIME_TRUSTED_MS
        ? input.clickedAt
        : now;
    if (poll.closes_at && clickedAt.getTime() >= poll.closes_at.getTime()) {
      const { timezone } = await getSettings(trx);
      throw new SopError(
        'phase_closed',
        `Vote ${poll.id} closed at its deadline, ${localDateTime(poll.closes_at, timezone)} ${timezone}, so it takes no more votes. Its outcome is shown on the vote's message as soon as it is counted.`,
      );
    }
    const option = await optionLabel(trx, input.pollId, input.scenarioId);
    if (option === null) {
      throw new SopError(
        'validation',
        `Scenario ${input.scenarioId} is not an option of this vote.`,
      );
    }
    const base = {
      poll_id: input.pollId,
      voter: input.voter,
      scenario_id: input.scenarioId,
      request_key: input.requestKey,
      created_at: now,
      clicked_at: input.clickedAt ?? null,
    };
    // The role is read again under the poll's lock: a role change that took the voter's
    // executive role away since the click was read (it locks the open polls) is seen here.
    const counted = input.counted && can({ role: await roleOf(trx, input.voter) }, 'vote.counted');
    if (!counted) {
      await insertVote(trx, { ...base, counted: false });
      await audit(trx, {
        actor: input.voter,
        action: 'vote.not_counted',
        entity: 'poll',
        entityId: input.pollId,
        details: { scenarioId: input.scenarioId, reason: 'not an executive' },
      });
      return 'not_counted';
    }
    const current = await currentVote(trx, input.pollId, input.voter);
    if (current && current.scenario_id === input.scenarioId) return 'same';
    // Two clicks can reach the bot in the other order: the later click is the vote.
    if (current?.clicked_at && input.clickedAt && input.clickedAt < current.clicked_at) {
      await insertVote(trx, { ...base, counted: true, superseded_at: now });
      await audit(trx, {
        actor: input.voter,
        action: 'vote.earlier_click',
        entity: 'poll',
        entityId: input.pollId,
        details: { scenarioId: input.scenarioId, standing: current.scenario_id },
      });
      standing = current.scenario_id;
      return 'earlier';
    }
    if (current) {
      await supersedeVote(trx, current.id, now);
    }
    await insertVote(trx, { ...base, counted: true });
    await audit(trx, {
      actor: input.voter,
      action: current ? 'vote.change' : 'vote.cast',
      entity: 'poll',
      entityId: input.pollId,
      details: { scenarioId: input.scenarioId, previous: current?.scenario_id ?? null },
    });
    // The quorum of the votes that count now, read in this transaction under the poll's lock.
    if ((await pollTally(trx, poll)).tally.quorumReached)
      closedByQuorum = await closePollIn(
        trx,
        { pollId: poll.id, by: 'quorum', reason: 'quorum' },
        now,
      );
    return current ? 'changed' : 'recorded';
  });
  const view = await getPollView(db, input.pollId);
  return { outcome, view, closedByQuorum, ...(standing === undefined ? {} : { standing }) };
}

/**
 * `cycle`: the cycle was closed while its vote was open (services/cycles.ts). `decided`: a
 * decision was recorded while it was open (services/decisions.ts), and settles it. `replaced`:
 * a newer plan run made its figures out of date, and `/sop vote` opened a vote on it instead.
 */
/** How far a click's own time (Slack's action_ts) may be from the bot's and still time the vote: Slack's retries. */
const CLICK_TIME_TRUSTED_MS = 5 * 60_000;

export type CloseReason = 'chair' | 'quorum' | 'deadline' | 'cycle' | 'decided' | 'replaced';

export interface ClosePollInput {
  readonly pollId: string;
  readonly by: string;
  readonly reason: CloseReason;
}

/**
 * Close the poll in the caller's transaction `trx`, with its audit entry. Idempotent: false
 * when it was already closed.
 */
export async function closePollIn(trx: Db, input: ClosePollInput, now: Date): Promise<boolean> {
  const closed = await closeOpenPoll(trx, input.pollId, {
    by: input.by,
    at: now,
    reason: input.reason,
  });
  if (closed) {
    await audit(trx, {
      actor: input.by,
      action: 'poll.close',
      entity: 'poll',
      entityId: input.pollId,
      details: { reason: input.reason },
    });
  }
  return closed;
}

/** Close the poll (idempotent: `closedNow` is false when it was already closed). */
export async function closePoll(
  db: Db,
  input: ClosePollInput,
  now: Date,
): Promise<{ closedNow: boolean; view: PollView }> {
  const closedNow = await db.transaction().execute((trx) => closePollIn(trx, input, now));
  return { closedNow, view: await getPollView(db, input.pollId) };
}

/**
 * Why `member` may not close `poll`, or null when they may: its chair (the vote's creator)
 * always may, and the policy's `vote.close` row any vote.
 */
export function closerRefusal(member: Member, poll: Pick<PollRow, 'created_by'>): SopError | null {
  if (poll.created_by === member.userId || can(member, 'vote.close')) return null;
  return new SopError(
    'forbidden',
    `Only the chair <@${poll.created_by}> or ${roleNames('vote.close')} can close this vote.`,
  );
}

/**
 * Why `member` may not record the decision of `poll`, or null when they may: from the
 * "Record the decision" button, the decision form's submission and the App Home alike. Of a
 * vote, its chair always may, and the policy's `decision.record` row; without a vote (null:
 * `/sop decide`'s form), its row, `decision.decide`, as `/sop decide` itself.
 */
export function recorderRefusal(
  member: Member,
  poll: Pick<PollRow, 'created_by'> | null,
): SopError | null {
  if (poll === null)
    return permissionRefusal(member, 'decision.decide', 'record a decision without a vote');
  if (poll.created_by === member.userId || can(member, 'decision.record')) return null;
  return new SopError(
    'forbidden',
    `Only ${roleNames('decision.record')} or the chair of the vote, <@${poll.created_by}>, record its decision.`,
  );
}
