/**
 * Executive decisions: one scenario adopted (linked to the exact plan_scenarios row voted
 * on), a rationale, and follow-up actions with owners and due dates. The adopted scenario
 * becomes the cycle's reference and fixes the frozen zone of the next cycle.
 */
import type { Logger } from 'pino';
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import {
  dispositionsOfDecisions,
  insertDispositions,
} from '../../db/queries/break-dispositions.js';
import {
  actionsOfDecisions,
  adoptedProductionOf,
  decisionByKey,
  decisionIdOfPoll,
  decisionLog,
  insertDecision,
  isPollOption,
  lockCycleForDecision,
  newestDecision,
  pollAwaitingDecision,
  pollStatus,
} from '../../db/queries/decisions.js';
import { scenarioById } from '../../db/queries/plan-results.js';
import { latestRun, runPeriods, runScenarios } from '../../db/queries/plan-runs.js';
import type { ActionRow, CycleRow, DecisionRow } from '../../db/schema.js';
import {
  type BreakDisposition,
  breakOutcome,
  MAX_DISPOSITION_NOTE_CHARS,
  OUTCOME_DONE,
} from '../core/break-disposition.js';
import { isDay, localDateTime } from '../core/calendar.js';
import { tradeOffSentences } from '../core/scenarios/trade-off.js';
import { codeSpan, MAX_COMMENT_CHARS, noBackticks, readFreeText } from '../core/text.js';
import { toCsv } from '../csv/format.js';
import type { CycleDeps } from '../deps.js';
import { SopError, ValidationError } from '../errors.js';
import { notAnOwner, type OwnerCheckDeps } from './action-reassign.js';
import { requestActionReminders } from './actions.js';
import { currentDispositions, escalationsOf } from './escalations.js';
import { deliverJobs, requestJob } from './outbox.js';
import {
  closePollIn,
  refuseDecisionOnReplacedRun,
  refuseOutsideExecutive,
  runReplacing,
} from './polls.js';
import { getSettings } from './settings.js';

export interface NewAction {
  readonly owner: string;
  /** YYYY-MM-DD */
  readonly dueDate: string;
  readonly description: string;
}

/** What the meeting decided about one break of the frozen plan escalated from S&OE. */
export interface NewDisposition {
  /** The break (its deviation's id). */
  readonly deviationId: string;
  readonly disposition: BreakDisposition;
  readonly note: string | null;
}

/**
 * What a decision recorded about a break: what the form chose (`chosen`), or, for a break it
 * chose nothing for, what the decision it supersedes recorded, else `defer` not chosen (the
 * break is not decided and comes back to the next meeting).
 */
export interface RecordedDisposition extends NewDisposition {
  readonly chosen: boolean;
  /** What broke (the deviation's summary), for the answer that names the breaks not decided. */
  readonly summary: string;
}

export interface RecordDecisionInput {
  readonly cycleId: number;
  readonly pollId: string | null;
  readonly scenarioId: string;
  readonly rationale: string;
  readonly decidedBy: string;
  readonly requestKey: string;
  readonly actions: readonly NewAction[];
  /** Required when the cycle already has a decision: why this one replaces it. */
  readonly supersedeReason?: string | null;
  /**
   * What the meeting decided about the frozen-zone breaks escalated to it. A break it takes up
   * that is not named here keeps the disposition of the decision this one supersedes, or is
   * deferred to the next meeting: nothing is granted or held unless someone chose it.
   */
  readonly dispositions?: readonly NewDisposition[];
}

/** The cycle already has a decision: a new one must say why it supersedes it. */
export class SupersedeReasonRequired extends SopError {
  readonly prior: { readonly id: string; readonly title: string };
  constructor(month: string, prior: { readonly id: string; readonly title: string }) {
    super(
      'conflict',
      `Cycle ${month} already has decision ${prior.id} (${noBackticks(prior.title)}). A new decision supersedes it: say why it no longer holds.`,
    );
    this.name = 'SupersedeReasonRequired';
    this.prior = prior;
  }
}

export interface DecisionRecord {
  readonly decision: DecisionRow;
  readonly actions: readonly ActionRow[];
  /** False when the same request was already recorded (double submit). */
  readonly created: boolean;
  /** What it recorded about the frozen-zone breaks of its meeting (empty when not created). */
  readonly dispositions: readonly RecordedDisposition[];
  /**
   * The job requests recorded with it (its `decision-publish` and the actions' reminders),
   * for the caller to hand over after its answer (`deliverJobs`); empty when not created.
   */
  readonly jobRequests: readonly string[];
}

export function validateActions(actions: readonly NewAction[]): string[] {
  const errors: string[] = [];
  actions.forEach((a, i) => {
    const n = `action ${i + 1}`;
    if (!a.owner) errors.push(`${n}: owner is missing`);
    if (!isDay(a.dueDate))
      errors.push(`${n}: due date '${a.dueDate}' is not a date; give a day as YYYY-MM-DD`);
    if (!a.description.trim()) errors.push(`${n}: description is empty`);
    if (a.description.length > MAX_ACTION_CHARS)
      errors.push(`${n}: description is longer than ${MAX_ACTION_CHARS} characters`);
  });
  return errors;
}

/** The longest rationale (the form's `max_length`). */
export const MAX_RATIONALE_CHARS = 2000;
/** The longest follow-up action description (the form's `max_length`). */
export const MAX_ACTION_CHARS = 500;

/**
 * The decision's typed text as it is stored: control characters other than line feed and tab
 * removed (`stripControl`), each field within its limit, or a ValidationError naming it.
 */
export function cleanDecisionText(input: RecordDecisionInput): RecordDecisionInput {
  const read = (label: string, raw: string, max: number): string => {
    const r = readFreeText(label, raw, max);
    if (!r.ok) throw new ValidationError(r.message);
    return r.text;
  };
  return {
    ...input,
    rationale: read('The rationale', input.rationale, MAX_RATIONALE_CHARS),
    supersedeReason:
      input.supersedeReason == null
        ? input.supersedeReason
        : read(
            'The reason it supersedes the earlier decision',
            input.supersedeReason,
            MAX_COMMENT_CHARS,
          ),
    actions: input.actions.map((a, i) => ({
      ...a,
      description: read(`Action ${i + 1}'s description`, a.description, MAX_ACTION_CHARS),
    })),
    dispositions: input.dispositions?.map((d) => {
      const note = d.note == null ? '' : read("A break's note", d.note, MAX_DISPOSITION_NOTE_CHARS);
      return { ...d, note: note.trim() || null };
    }),
  };
}

/**
 * The owners picked on the decision form who cannot own an action, by the form's field
 * (`a2_owner`): a bot, someone not in the workspace or a deactivated account, refused as a
 * reassignment and Make an S&OP action refuse them (`notAnOwner`). Slack is asked once per
 * person, all at once, for at most OWNER_CHECK_MS: the form is answered within Slack's 3 s,
 * and an owner Slack said nothing of in that time is refused saying so. Slack's other
 * failures (a missing scope) are thrown as they are.
 */
export async function ownerRefusals(
  deps: OwnerCheckDeps,
  owners: readonly { readonly field: string; readonly owner: string }[],
): Promise<Record<string, string>> {
  const people = [...new Set(owners.map((o) => o.owner))];
  const why = new Map(
    await Promise.all(people.map(async (p) => [p, await notAnOwner(deps, p)] as const)),
  );
  const errors: Record<string, string> = {};
  for (const { field, owner } of owners) {
    const refused = why.get(owner);
    if (refused) errors[field] = refused;
  }
  return errors;
}

/**
 * Record a decision and its actions in one transaction, with what it owes in the job outbox:
 * its `decision-publish` (the decision log, the owners' DMs) and the actions' reminders. The
 * caller hands `jobRequests` to the queue once it has answered; nothing here waits on Redis.
 * Idempotent by request key: a double submit returns the first record with `created: false`.
 * After a vote, nothing is adopted once a newer plan run replaced the vote's: its figures are
 * out of date (`refuseDecisionOnReplacedRun`). Without one, a closed vote still owed a
 * decision is settled by it, also when the vote was on an older run (`decidedHow` then says
 * the vote was out of date).
 */
export async function recordDecision(
  deps: CycleDeps,
  typed: RecordDecisionInput,
): Promise<DecisionRecord> {
  const input = cleanDecisionText(typed);
  const rationale = input.rationale;
  if (!rationale) throw new ValidationError('rationale: say why this scenario is adopted.');
  const errors = validateActions(input.actions);
  if (errors.length)
    throw new ValidationError(`Fix the follow-up actions: ${errors.join('; ')}.`, errors);
  const scenario = await scenarioById(deps.db, input.scenarioId);
  if (!scenario || scenario.cycle_id !== input.cycleId) {
    throw new SopError(
      'validation',
      `scenario: ${input.scenarioId} is not a scenario of this cycle's plan runs.`,
    );
  }
  // Only a plan can be adopted: a scenario the solver found no plan for has nothing to fix the
  // next cycle's frozen zone to. Without a vote, the choice is among the latest run's plans,
  // as the form and \`/sop decide\` offer them; with one, among the vote's options (below).
  if (scenario.status !== 'optimal')
    throw new SopError(
      'validation',
      `scenario: ${scenario.label} has no plan (${scenario.status}), so it cannot be adopted; choose one of ${await adoptableNames(deps.db, scenario.run_id)}.`,
    );
  if (!input.pollId) {
    const latest = await latestRun(deps.db, input.cycleId);
    if (latest && latest.id !== scenario.run_id)
      throw new SopError(
        'validation',
        `scenario: ${scenario.label} is from plan run ${scenario.run_id}, not the latest (run ${latest.id}); choose one of ${await adoptableNames(deps.db, latest.id)}.`,
      );
  }
  const tradeOff = await tradeOffOf(deps.db, scenario.run_id, input.scenarioId);
  const now = deps.clock.now();
  const { timezone } = await getSettings(deps.db);
  return deps.db.transaction().execute(async (trx): Promise<DecisionRecord> => {
    const recorded = async (): Promise<DecisionRecord | null> => {
      const existing = await decisionByKey(trx, input.requestKey);
      if (!existing) return null;
      const acts = await actionsOfDecisions(trx, [existing.id]);
      return {
        decision: existing,
        actions: acts,
        created: false,
        jobRequests: [],
        dispositions: [],
      };
    };
    const before = await recorded();
    if (before) return before;
    // Decisions of a cycle are recorded one at a time (the supersession chain has no fork).
    const cycle = await lockCycleForDecision(trx, input.cycleId);
    if (!cycle) throw new SopError('not_found', `No cycle with id ${input.cycleId}.`);
    // The same request may have been recorded while this one waited for the lock (a Slack
    // retry overlapping the first submission): that is the same decision, not a second one.
    const meanwhile = await recorded();
    if (meanwhile) return meanwhile;
    refuseOutsideExecutive(cycle, 'decision');
    // A decision recorded without the vote while one is open (the chair decided in the
    // room) or still waits for its decision: it settles that vote, which closes with it (in
    // this transaction), so nobody is asked to decide again and its message shows the decision.
    const settles = input.pollId ? null : await pollAwaitingDecision(trx, input.cycleId);
    if (settles?.status === 'open')
      await closePollIn(trx, { pollId: settles.id, by: input.decidedBy, reason: 'decided' }, now);
    const pollId = input.pollId ?? settles?.id ?? null;
    if (input.pollId) {
      // A decision after a vote: the vote is closed, the scenario is one of its options, and
      // its run is still the cycle's latest.
      const poll = await pollStatus(trx, input.pollId);
      if (!poll || poll.cycle_id !== input.cycleId)
        throw new SopError('not_found', `Vote ${input.pollId} is not a vote of this cycle.`);
      if (poll.status !== 'closed')
        throw new SopError(
          'conflict',
          `Vote ${poll.id} is still open: its chair closes it first, then the decision is recorded.`,
        );
      if (!(await isPollOption(trx, poll.id, input.scenarioId)))
        throw new SopError(
          'validation',
          `scenario: ${input.scenarioId} is not one of the scenarios of vote ${poll.id}.`,
        );
      const prior = await decisionIdOfPoll(trx, input.pollId);
      if (prior !== null) {
        throw new SopError('conflict', `This vote already has a decision (decision ${prior}).`);
      }
      // A newer run replaced the vote's figures (a form opened before it, submitted after).
      refuseDecisionOnReplacedRun(poll, await runReplacing(trx, input.cycleId, poll.run_id));
    }
    const earlier = await newestDecision(trx, input.cycleId);
    const supersedeReason = input.supersedeReason?.trim() || null;
    if (earlier && !supersedeReason) throw new SupersedeReasonRequired(cycle.month, earlier);
    const dispositions = await disposeOfBreaks(
      trx,
      { id: input.cycleId, month: cycle.month },
      input.dispositions ?? [],
      earlier?.id,
    );
    const { decision, actions: acts } = await insertDecision(
      trx,
      {
        cycle_id: input.cycleId,
        poll_id: pollId,
        scenario_id: input.scenarioId,
        title: `Adopt the ${scenario.label} scenario`,
        rationale,
        decided_by: input.decidedBy,
        decided_at: now,
        request_key: input.requestKey,
        trade_off: tradeOff,
        supersedes_id: earlier ? earlier.id : null,
        supersede_reason: earlier ? supersedeReason : null,
      },
      input.actions.map((a, i) => ({
        cycle_id: input.cycleId,
        description: a.description.trim(),
        owner: a.owner,
        due_date: a.dueDate,
        created_by: input.decidedBy,
        created_at: now,
        request_key: `${input.requestKey}:action:${i}`,
      })),
    );
    await audit(trx, {
      actor: input.decidedBy,
      action: 'decision.record',
      entity: 'decision',
      entityId: decision.id,
      details: {
        cycleId: input.cycleId,
        pollId,
        ...(settles?.status === 'open' ? { closedVote: settles.id } : {}),
        scenarioId: input.scenarioId,
        runId: scenario.run_id,
        rationale,
        ...(earlier ? { supersedes: earlier.id, supersedeReason } : {}),
        actions: acts.map((a) => ({ id: a.id, owner: a.owner, due: a.due_date })),
        ...(dispositions.length
          ? {
              dispositions: dispositions.map((d) => ({
                deviation: d.deviationId,
                disposition: d.disposition,
                ...(d.chosen ? {} : { chosen: false }),
                ...(d.note ? { note: d.note } : {}),
              })),
            }
          : {}),
      },
    });
    await insertDispositions(trx, decision.id, dispositions);
    const jobRequests = [await requestJob(trx, 'decision-publish', { decisionId: decision.id })];
    for (const a of acts)
      jobRequests.push(...(await requestActionReminders(trx, a, now, timezone)));
    return { decision, actions: acts, created: true, jobRequests, dispositions };
  });
}

/**
 * What the decision records about each break of the frozen plan its meeting takes up and that
 * is not done: what the form chose, else what the decision it supersedes recorded, else defer
 * not chosen (typed `/sop decide`, or the break did not fit in the form: nobody decided it).
 * A choice for a break the meeting does not take up (a forged form, or one a corrected import
 * took back) is refused, naming it; one whose action was done since the form opened is kept.
 */
async function disposeOfBreaks(
  trx: Db,
  cycle: Pick<CycleRow, 'month'> & { readonly id: number },
  chosen: readonly NewDisposition[],
  supersededId: string | undefined,
): Promise<RecordedDisposition[]> {
  const [breaks, before] = await Promise.all([
    escalationsOf(trx, cycle),
    supersededId ? currentDispositions(trx, cycle.id) : new Map(),
  ]);
  const known = new Set(breaks.map((b) => b.id));
  const byId = new Map<string, NewDisposition>();
  for (const c of chosen) {
    if (!known.has(c.deviationId))
      throw new ValidationError(
        `Break ${c.deviationId} is not one the meeting of ${cycle.month} takes up; close the form and open it again.`,
      );
    byId.set(c.deviationId, c);
  }
  return breaks
    .filter((b) => byId.has(b.id) || b.status !== 'done')
    .map((b): RecordedDisposition => {
      const picked = byId.get(b.id);
      if (picked) return { ...picked, chosen: true, summary: b.summary };
      const was = before.get(b.id);
      return {
        deviationId: b.id,
        disposition: was?.disposition ?? 'defer',
        note: was?.note ?? null,
        chosen: was?.chosen ?? false,
        summary: b.summary,
      };
    });
}

/**
 * Hands a new decision's job requests to the queue (at most QUEUE_WAIT_MS); call it after
 * answering Slack. True when all went through; false when some wait in the outbox for the
 * relay (Redis down), which is logged, as is a failure to read the outbox.
 */
export async function handOverDecision(
  deps: Pick<CycleDeps, 'db' | 'queue'> & { readonly logger: Logger },
  rec: DecisionRecord,
): Promise<boolean> {
  if (rec.jobRequests.length === 0) return true;
  try {
    const d = await deliverJobs(deps.db, deps.queue, { ids: rec.jobRequests });
    if (d.pending === 0) return true;
    deps.logger.info(
      { decision: rec.decision.id, waiting: d.pending, reason: d.error?.message },
      'job queue unavailable: the decision log, DMs and reminders wait in the outbox',
    );
  } catch (err) {
    deps.logger.error(
      { err, decision: rec.decision.id },
      'could not hand the decision over; the relay delivers it',
    );
  }
  return false;
}

/** The cycle's current decision (the newest), which a new one would supersede. */
export async function currentDecision(
  db: Db,
  cycleId: number,
): Promise<{ readonly id: string; readonly title: string } | null> {
  return newestDecision(db, cycleId);
}

/** Resolve a scenario name or label (`central`, `Cautious`) in the cycle's latest run: its id. */
export async function scenarioByName(db: Db, cycle: CycleRow, name: string): Promise<string> {
  return (await scenarioNamed(db, cycle, name)).id;
}

/**
 * The scenario of the cycle's latest run a typed name or label means, with its name (what
 * `/sop decide` takes, and what a hint tells people to type: a label may hold spaces and any
 * character).
 */
export async function scenarioNamed(
  db: Db,
  cycle: CycleRow,
  name: string,
): Promise<{ readonly id: string; readonly name: string }> {
  const run = await latestRun(db, cycle.id);
  if (!run) {
    throw new SopError(
      'not_found',
      `Cycle ${cycle.month} has no plan run yet; run \`/sop plan\` first.`,
    );
  }
  const scenarios = await runScenarios(db, run.id);
  const want = name.trim().toLowerCase();
  const hit = scenarios.find(
    (s) => s.name.toLowerCase() === want || s.label.toLowerCase() === want,
  );
  if (!hit) {
    throw new SopError(
      'validation',
      `scenario: ${codeSpan(name)} is not in the latest plan run; choose one of ${await adoptableNames(db, run.id)}.`,
    );
  }
  return { id: hit.id, name: hit.name };
}

/** The names of a run's scenarios that have a plan, to choose from ("central, cautious"). */
async function adoptableNames(db: Db, runId: string): Promise<string> {
  const names = (await runScenarios(db, runId))
    .filter((s) => s.status === 'optimal')
    .map((s) => s.name);
  return names.length ? names.join(', ') : 'none (no scenario of that run has a plan)';
}

/**
 * The adopted plan's production per family code and month: the frozen zone of the next
 * cycle is fixed to these values. Empty when the cycle adopted nothing.
 */
export async function adoptedProduction(
  db: Db,
  cycleId: number,
): Promise<Record<string, Record<string, number>>> {
  return adoptedProductionOf(db, cycleId);
}

export interface DecisionLogEntry {
  readonly id: string;
  readonly cycle: string;
  readonly scenario: string;
  readonly scenarioId: string;
  readonly runId: string;
  readonly rationale: string;
  readonly decidedBy: string;
  readonly decidedAt: Date;
  readonly viaVote: boolean;
  /** What the adopted scenario accepts, as shown when it was decided. */
  readonly tradeOff: string | null;
  readonly actions: readonly ActionRow[];
  /** The earlier decision this one replaces, and why (optional: older entries have none). */
  readonly supersedes?: { readonly id: string; readonly reason: string } | null;
  /** What it decided about the frozen-zone breaks escalated to its meeting (none: absent). */
  readonly dispositions?: readonly DecidedBreak[];
}

/** A break of the frozen plan as a decision disposed of it, with its S&OE action. */
export interface DecidedBreak {
  readonly deviationId: string;
  readonly summary: string;
  readonly disposition: BreakDisposition;
  /** Someone chose it in the form (false: not decided, recorded as `defer`). */
  readonly chosen: boolean;
  readonly note: string | null;
  /** Its S&OE action (null: none). */
  readonly actionId: string | null;
  readonly owner: string | null;
}

/** The trade-off sentences of a run's solved scenarios, by scenario id (against central). */
export async function runTradeOffs(db: Db, runId: string): Promise<Map<string, string | null>> {
  const rows = (await runScenarios(db, runId)).filter((s) => s.status === 'optimal');
  const horizon = (await runPeriods(db, runId)) ?? [];
  const sentences = tradeOffSentences(
    rows.map((r) => ({ label: r.label, kpis: r.kpis })),
    { horizon },
  );
  return new Map(rows.map((r, i) => [r.id, sentences[i] ?? null]));
}

async function tradeOffOf(db: Db, runId: string, scenarioId: string): Promise<string | null> {
  return (await runTradeOffs(db, runId)).get(scenarioId) ?? null;
}

/** The people a decision log names (who decided, each action's owner): the files show them by name. */
export function decisionPeople(entries: readonly DecisionLogEntry[]): string[] {
  return entries.flatMap((e) => [
    e.decidedBy,
    ...e.actions.map((a) => a.owner),
    ...(e.dispositions ?? []).flatMap((d) => (d.owner ? [d.owner] : [])),
  ]);
}

export async function listDecisions(db: Db, cycleMonth?: string): Promise<DecisionLogEntry[]> {
  const rows = await decisionLog(db, cycleMonth);
  const ids = rows.map((r) => r.id);
  const [acts, disposed] = await Promise.all([
    actionsOfDecisions(db, ids),
    dispositionsOfDecisions(db, ids),
  ]);
  return rows.map((r) => ({
    id: r.id,
    cycle: r.month,
    scenario: r.label,
    scenarioId: r.scenario_id,
    runId: r.run_id,
    tradeOff: r.trade_off,
    rationale: r.rationale,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    viaVote: r.poll_id !== null,
    actions: acts.filter((a) => a.decision_id === r.id),
    supersedes: r.supersedes_id ? { id: r.supersedes_id, reason: r.supersede_reason ?? '' } : null,
    dispositions: disposed
      .filter((d) => d.decision_id === r.id)
      .map((d) => ({
        deviationId: d.deviation_id,
        summary: d.summary,
        disposition: d.disposition,
        chosen: d.chosen,
        note: d.note,
        actionId: d.action_id,
        owner: d.owner,
      })),
  }));
}

/**
 * `timezone`: the company's; each decision's time is written in it with the zone's name, as
 * Slack's fallback text writes it. `who`: a user id as the reader should see it (a name in
 * files; a mention in Slack).
 */
export function decisionsMarkdown(
  entries: readonly DecisionLogEntry[],
  timezone: string,
  title = 'Decision log',
  who: (userId: string) => string = (id) => id,
): string {
  const lines = [`# ${title}`, ''];
  if (entries.length === 0) lines.push('No decisions recorded.');
  for (const e of entries) {
    lines.push(
      `## ${e.cycle}: ${e.scenario} (decision ${e.id})`,
      '',
      `- Decided by ${who(e.decidedBy)} on ${localDateTime(e.decidedAt, timezone)} ${timezone}${e.viaVote ? ', after a vote' : ''}`,
      `- Scenario snapshot: plan run ${e.runId}, ${e.scenario} scenario`,
      ...(e.tradeOff ? [`- Trade-off accepted: ${e.tradeOff}`] : []),
      `- Rationale: ${e.rationale.replace(/\s*\n\s*/g, ' ')}`,
    );
    if (e.supersedes)
      lines.push(
        `- Supersedes decision ${e.supersedes.id}: ${e.supersedes.reason.replace(/\s*\n\s*/g, ' ')}`,
      );
    if (e.dispositions?.length) {
      lines.push('- Breaks of the frozen plan escalated from S&OE:');
      for (const d of e.dispositions) lines.push(`  - ${decidedBreakText(d, who)}`);
    }
    if (e.actions.length) {
      lines.push('', '| owner | due | status | action |', '|---|---|---|---|');
      for (const a of e.actions) {
        lines.push(
          `| ${who(a.owner).replace(/\|/g, '\\|')} | ${a.due_date} | ${a.status} | ${a.description.replace(/\|/g, '\\|')} |`,
        );
      }
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A disposed-of break in plain text, as the files write it: "exception granted: LINE-1 stopped
 * (owner Otto, action #12). Note: …". Line breaks typed in the note become spaces.
 */
export function decidedBreakText(d: DecidedBreak, who: (userId: string) => string): string {
  const owner = d.owner
    ? ` (owner ${who(d.owner)}${d.actionId ? `, action #${d.actionId}` : ''})`
    : '';
  const note = d.note ? `. Note: ${d.note.replace(/\s*\n\s*/g, ' ')}` : '';
  return `${OUTCOME_DONE[breakOutcome(d)]}: ${d.summary.replace(/\s*\n\s*/g, ' ')}${owner}${note}`;
}

/**
 * Ids for machines, and the names people read (`decided_by_name`, `owner_name`). The last
 * column, `break_dispositions`, is what the decision decided about the frozen-zone breaks
 * escalated to its meeting, one per line of the cell, on each of its rows as its rationale is.
 */
export function decisionsCsv(
  entries: readonly DecisionLogEntry[],
  who: (userId: string) => string = (id) => id,
): string {
  const rows: (string | number | null)[][] = [];
  for (const e of entries) {
    const base = [
      e.cycle,
      e.id,
      e.scenario,
      e.scenarioId,
      e.runId,
      e.rationale,
      e.decidedBy,
      e.decidedAt.toISOString(),
    ];
    const breaks = (e.dispositions ?? []).map((d) => decidedBreakText(d, who)).join('\n') || null;
    if (e.actions.length === 0)
      rows.push([...base, null, null, null, null, null, who(e.decidedBy), null, breaks]);
    for (const a of e.actions)
      rows.push([
        ...base,
        a.id,
        a.owner,
        a.due_date,
        a.status,
        a.description,
        who(e.decidedBy),
        who(a.owner),
        breaks,
      ]);
  }
  return toCsv(
    [
      'cycle',
      'decision_id',
      'scenario',
      'scenario_id',
      'run_id',
      'rationale',
      'decided_by',
      'decided_at',
      'action_id',
      'owner',
      'due_date',
      'status',
      'action',
      'decided_by_name',
      'owner_name',
      'break_dispositions',
    ],
    rows,
    // Labels, rationales, actions and display names are typed: none runs as a formula.
    { forSpreadsheets: true },
  );
}

export interface DecisionChoice {
  readonly scenarioId: string;
  readonly label: string;
  readonly tradeOff: string | null;
}

/** The solved scenarios of the cycle's latest run to decide between; null before any run. */
export async function decisionChoices(db: Db, cycleId: number): Promise<DecisionChoice[] | null> {
  const run = await latestRun(db, cycleId);
  if (!run) return null;
  const tradeOffs = await runTradeOffs(db, run.id);
  return (await runScenarios(db, run.id))
    .filter((s) => s.status === 'optimal')
    .map((s) => ({ scenarioId: s.id, label: s.label, tradeOff: tradeOffs.get(s.id) ?? null }));
}
