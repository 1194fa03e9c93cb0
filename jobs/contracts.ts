/**
 * The queue contract: every queue, every job name with its zod payload schema and its
 * deterministic job id. Producers (commands, services, the CLI) and processors (jobs/*.ts)
 * both go through this file; nothing else names a job.
 *
 * Queues are separated by what they do, so a slow LP never delays a reminder:
 * - `planning`: baseline, consensus, capacity check, scenarios (CPU heavy)
 * - `posts`: charts and channel posts/edits (Slack Web API, rate limited)
 * - `notifications`: DMs, nudges and reminders (delayed jobs)
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const QUEUES = ['planning', 'posts', 'notifications'] as const;
export type QueueName = (typeof QUEUES)[number];

const slackId = z.string().min(1).max(64);
const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
/** A Slack message's ts. */
const messageTs = z.string().regex(/^\d{1,20}\.\d{1,20}$/);
/** Where to answer in Slack: a channel, optionally a thread, optionally an ephemeral user. */
const replyTo = z
  .object({ channel: slackId, threadTs: z.string().optional(), user: slackId.optional() })
  .nullable()
  .default(null);

export const RECOMPUTE_REASONS = [
  'submission',
  'command',
  'import',
  'schedule',
  'whatif',
  'cycle',
] as const;
export const CHART_KINDS = ['gap', 'family', 'scenarios', 'cash', 'accuracy'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** The longest what-if text a job carries; `/sop whatif` refuses longer text before posting. */
export const WHATIF_TEXT_MAX = 500;

export const payloads = {
  /** Debounced entry point: a burst of submissions in one cycle makes one recompute. */
  recompute: z.object({
    cycleId: z.number().int().positive(),
    reason: z.enum(RECOMPUTE_REASONS),
    requestedBy: slackId.nullable().default(null),
    replyTo,
    /** Set by `/sop plan` so the same click twice is one run. */
    requestKey: z.string().max(200).nullable().default(null),
  }),
  /**
   * The daily schedule's recompute: of whatever cycle is open when it fires (none open: it
   * only logs so). One job scheduler for all cycles, so a cycle opened later needs no restart.
   */
  'recompute-daily': z.object({}),
  /** Fit the statistical baseline for every family of a cycle (skipped when history did not change). */
  baseline: z.object({ cycleId: z.number().int().positive(), runKey: z.string().min(1) }),
  /** Consensus, rough-cut capacity check and scenarios; writes one immutable plan run. */
  plan: z.object({
    cycleId: z.number().int().positive(),
    runKey: z.string().min(1),
    trigger: z.string().min(1),
    requestedBy: slackId.nullable().default(null),
    /** The thread that asked (`/sop plan`): told there, when no plan can be made, what to import. */
    replyTo,
  }),
  /** An ad-hoc what-if on top of the central scenario of the latest run. */
  whatif: z.object({
    cycleId: z.number().int().positive(),
    text: z.string().min(1).max(WHATIF_TEXT_MAX),
    requestedBy: slackId,
    requestKey: z.string().min(1).max(200),
    replyTo,
    /**
     * The "Solving…" message `/sop whatif` posted in `replyTo.channel`: edited in place into
     * the answer, the chart a reply in `replyTo.threadTs`. Absent in a job queued before it
     * was kept: the answer is then a reply in that thread.
     */
    answerTs: messageTs.optional(),
  }),
  /** Render and post the charts of one plan run (exactly once per run and chart). */
  'post-charts': z.object({
    /**
     * Absent only in a recompute flow whose plan job wrote no run (the cycle had closed):
     * the job then posts nothing.
     */
    runId: id.optional(),
    charts: z
      .array(z.enum(CHART_KINDS))
      .min(1)
      .default([...CHART_KINDS]),
    replyTo,
  }),
  /** Re-render a poll's message (live tally, or its outcome once closed). */
  'poll-refresh': z.object({ pollId: id }),
  /** Close a poll at its deadline. */
  'poll-deadline': z.object({ pollId: id }),
  /**
   * Tell a phase's channel that the phase opened (once: ledger `phase:<cycle>:<phase>`).
   * Requested with the phase change itself, so a failed post is retried, never lost.
   */
  'phase-announce': z.object({ cycleId: z.number().int().positive(), phase: z.string().min(1) }),
  /** Advance a cycle's phase when its deadline passes. */
  'phase-deadline': z.object({ cycleId: z.number().int().positive(), phase: z.string().min(1) }),
  /** DM nudges to people who still owe input before a phase deadline. */
  nudge: z.object({ cycleId: z.number().int().positive(), phase: z.string().min(1) }),
  /** A reminder for a follow-up action: before the due date, on it, or overdue. */
  'action-reminder': z.object({
    actionId: id,
    kind: z.enum(['before', 'due', 'overdue']),
    /** Which occurrence (e.g. the date) so each reminder is sent once. */
    occurrence: z.string().min(1).max(64),
  }),
  /**
   * A follow-up action given to another owner (`/sop actions reassign`): the new owner's DM
   * with it, and the old owner's saying so, each once. `handover` is the audit entry
   * (`action.reassign`) recorded with the change, which names who gave it, from and to whom.
   */
  'action-handover': z.object({ actionId: id, handover: id }),
  /**
   * A follow-up action done or cancelled: its owner's earlier DMs about it (assignment,
   * reminders, digests) drawn again without its buttons. `closing` is the audit entry recorded
   * with the change; `shown`, the ts of the message the click that closed it drew already;
   * `redraw`, the ts of the one it could not draw (Slack refused, rate-limited or did not answer
   * the click's edit): this job is the click's follow-up, and draws it.
   */
  'action-closed': z.object({
    actionId: id,
    closing: id,
    shown: messageTs.optional(),
    redraw: messageTs.optional(),
  }),
  /**
   * A cancelled S&OE action opened again by a later correction: its owner's earlier DMs drawn
   * again with its buttons, saying it is open again. `reopening` is the `deviation.reopen`
   * audit entry. A name of its own, not `action-closed`: an older worker's `action-closed`
   * leaves an open action's DMs as they are and finishes, where an unknown name is held for a
   * worker that knows it (jobs/runtime.ts).
   */
  'action-reopened': z.object({ actionId: id, reopening: id }),
  /**
   * A follow-up action made from a Slack message ("Make an S&OP action"): its owner's DM with
   * it and a note in the message's thread, each once (ledger keys of the action).
   */
  'action-raised': z.object({ actionId: id }),
  /**
   * The company's zone changed (SOPBOT_TIMEZONE and a restart): each open action's reminders
   * still waiting move to REMINDER_HOUR in the zone now stored. `change` is the audit entry
   * (`settings.change`, by SOPBOT_TIMEZONE) recorded with the change.
   */
  'reminders-rezone': z.object({ change: id }),
  /**
   * Publish a recorded decision: the vote message's outcome, the decision log in the
   * executive channel (its thread) and each action owner's DM, each once (ledger keys).
   */
  'decision-publish': z.object({ decisionId: id }),
  /** Post the meeting pack to the executive channel. */
  pack: z.object({ cycleId: z.number().int().positive() }),
  /** Post the performance review that opens a cycle (once per cycle). */
  review: z.object({ cycleId: z.number().int().positive() }),
  /** S&OE: check one week's actuals against the adopted plan and post its deviations. */
  'execution-check': z.object({
    week: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** What asked for it (an import's audit ids): a later import checks again. */
    requestKey: z.string().min(1).max(200),
  }),
  /**
   * S&OE: publish a deviation, checked or reported (reminders, owner DM, supply channel); with
   * `revision` (the audit entry of a correction or a resolution), the note saying so.
   */
  'deviation-publish': z.object({ deviationId: id, revision: id.optional() }),
  /**
   * S&OE: publish the deviations one check found when they are more than
   * `ROLLUP_THRESHOLD` (src/services/execution.ts): one message in the supply channel with
   * the full list in its thread, one DM per owner, the reminders. `check` is the audit entry
   * (`deviation.rollup`) recorded with them, which lists them as found.
   */
  'deviation-rollup': z.object({ check: id }),
  /** S&OE: the weekly digest, on the company's Monday morning (job scheduler). */
  'execution-digest': z.object({
    /** The week's Monday; by default the week before the one the job runs in. */
    week: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  }),
  /**
   * Tell the admins, once a day at most, that Slack refuses posts to `conversation` (a
   * channel id, or the user id of a DM) for good with `reason` (src/services/undelivered.ts).
   * `day` is the company's day it was asked on: each admin's DM is keyed by it.
   */
  'refusal-notice': z.object({
    conversation: slackId,
    reason: z.string().regex(/^[a-z_]{1,64}$/),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
  /**
   * Tell the admins that Slack deactivated `user`'s account (a `user_change` event) and what
   * they held (src/services/user-change.ts); `day`, the company's day the event came on, keys
   * each admin's DM.
   */
  'user-left': z.object({
    user: slackId,
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
} as const;

export type JobName = keyof typeof payloads;
export type JobPayload<N extends JobName> = z.output<(typeof payloads)[N]>;
export type JobInput<N extends JobName> = z.input<(typeof payloads)[N]>;

export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  recompute: 'planning',
  'recompute-daily': 'planning',
  baseline: 'planning',
  plan: 'planning',
  whatif: 'planning',
  'post-charts': 'posts',
  'poll-refresh': 'posts',
  'phase-announce': 'posts',
  'poll-deadline': 'notifications',
  'phase-deadline': 'notifications',
  nudge: 'notifications',
  'action-reminder': 'notifications',
  'action-handover': 'notifications',
  'action-closed': 'notifications',
  'action-reopened': 'notifications',
  'action-raised': 'notifications',
  'reminders-rezone': 'notifications',
  'decision-publish': 'posts',
  pack: 'posts',
  review: 'posts',
  'execution-check': 'posts',
  'deviation-publish': 'posts',
  'deviation-rollup': 'posts',
  'execution-digest': 'notifications',
  'refusal-notice': 'notifications',
  'user-left': 'notifications',
};

/**
 * Deterministic job ids: the same logical job always gets the same id, so BullMQ refuses a
 * duplicate while the first is still known. Ids never contain ':' (BullMQ reserves it).
 */
const JOB_IDS: { readonly [N in JobName]: (p: JobPayload<N>) => string } = {
  recompute: (p) =>
    p.requestKey ? `recompute-req-${hash(p.requestKey)}` : `recompute-cycle-${p.cycleId}`,
  // Each firing of the scheduler has an id of its own (`repeat:recompute-daily:<time>`).
  'recompute-daily': () => 'recompute-daily',
  baseline: (p) => `baseline-${hash(p.runKey)}`,
  plan: (p) => `plan-${hash(p.runKey)}`,
  whatif: (p) => `whatif-${hash(p.requestKey)}`,
  'post-charts': (p) => `charts-run-${p.runId ?? 'none'}`,
  'poll-refresh': (p) => `poll-refresh-${p.pollId}`,
  'poll-deadline': (p) => `poll-deadline-${p.pollId}`,
  'phase-announce': (p) => `phase-announce-${p.cycleId}-${p.phase}`,
  'phase-deadline': (p) => `phase-deadline-${p.cycleId}-${p.phase}`,
  nudge: (p) => `nudge-${p.cycleId}-${p.phase}`,
  'action-reminder': (p) => `reminder-${p.actionId}-${p.kind}-${hash(p.occurrence)}`,
  'action-handover': (p) => `action-handover-${p.handover}`,
  // The click's follow-up has an id of its own: the first job may have run already.
  'action-closed': (p) => `action-closed-${p.closing}${p.redraw ? '-redraw' : ''}`,
  'action-reopened': (p) => `action-reopened-${p.reopening}`,
  'action-raised': (p) => `action-raised-${p.actionId}`,
  'reminders-rezone': (p) => `reminders-rezone-${p.change}`,
  'decision-publish': (p) => `decision-publish-${p.decisionId}`,
  pack: (p) => `pack-${p.cycleId}`,
  review: (p) => `review-${p.cycleId}`,
  'execution-check': (p) => `execution-check-${p.week}-${hash(p.requestKey)}`,
  'deviation-publish': (p) =>
    `deviation-publish-${p.deviationId}${p.revision ? `-r${p.revision}` : ''}`,
  'deviation-rollup': (p) => `deviation-rollup-${p.check}`,
  'execution-digest': (p) => (p.week ? `execution-digest-${p.week}` : 'execution-digest'),
  'refusal-notice': (p) => `refusal-notice-${hash(p.conversation)}-${p.reason}-${p.day}`,
  'user-left': (p) => `user-left-${hash(p.user)}-${p.day}`,
};

/** The id of a job: one function per job name, so a job without one does not compile. */
export function jobId<N extends JobName>(name: N, p: JobPayload<N>): string {
  return JOB_IDS[name](p);
}

/**
 * A stable hash for ids built from free text: SHA-256, hex, first 32 characters (128 bits).
 * A collision would silently drop a job (its id taken), so no 32-bit hash.
 */
export function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  // A name this version does not know (a job request recorded by another version): refused
  // like a bad payload, rather than a TypeError.
  const schema = Object.hasOwn(payloads, name) ? payloads[name] : undefined;
  if (!schema) throw new PayloadError(`job '${name}': no such job in this version's contract`);
  const r = schema.safeParse(data);
  if (!r.success) {
    const why = r.error.issues
      .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
      .join('; ');
    throw new PayloadError(`job '${name}': invalid payload: ${why}`);
  }
  return r.data as JobPayload<N>;
}

/**
 * Why a worker failed a job whose name it has no processor for (a job of another version):
 * `No processor for job '<name>'.`, the same words in every version since the first. A newer
 * worker that finds a job failed for this reason, under a name it does process, retries it
 * (jobs/recovery.ts), so keep the words as they are: docs/jobs.md#a-job-of-another-version.
 */
export function noProcessorReason(name: string): string {
  return `No processor for job '${name}'.`;
}

/** The job name in a failure reason `noProcessorReason` wrote, or null for any other reason. */
export function noProcessorName(reason: string | null | undefined): string | null {
  const m = /^No processor for job '([\s\S]*)'\.$/.exec(reason ?? '');
  return m ? (m[1] ?? null) : null;
}

/** A payload no retry can fix. Processors turn it into BullMQ's UnrecoverableError. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

export interface EnqueueOptions {
  /** Run no earlier than this many ms from now. */
  readonly delayMs?: number;
  /**
   * Debounce: while a job with this id is delayed, a new one replaces it and restarts the
   * delay, so a burst becomes one job.
   */
  readonly debounceMs?: number;
}

/** What producers see of the queues (the implementation is in jobs/queues.ts). */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, payload: JobInput<N>, opts?: EnqueueOptions): Promise<string>;
}
