/**
 * A follow-up action made from a Slack message (the "Make an S&OP action" message shortcut):
 * written with its audit entry and the jobs that announce it (its reminders, and the
 * `action-raised` job: the owner's DM and a note in the message's thread) in one transaction,
 * under the submission's request key, so Slack's retry or a double submit makes one action.
 * From then on it is an action like a decision's or S&OE's: reminded, listed in digests, the
 * App Home and `/sop actions`, snoozed, done, given to another owner; the pack's questions 1
 * and 10 name it as made from a message, by whom.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { actionById, actionByRequestKey, insertMessageAction } from '../../db/queries/actions.js';
import { audit } from '../../db/queries/audit.js';
import { cycleById } from '../../db/queries/cycle-inputs.js';
import { openCycle } from '../../db/queries/cycles.js';
import type { ActionRow, CycleRow } from '../../db/schema.js';
import { addDays, isDay, localDate } from '../core/calendar.js';
import { readFreeText } from '../core/text.js';
import type { CycleDeps } from '../deps.js';
import { SopError, ValidationError } from '../errors.js';
import { ledgerEntry, permanentRefusal, sendEach } from '../slack/post-ledger.js';
import { madeActionThreadMessage } from '../slack/presenters/action-from-message.js';
import { actionDm } from '../slack/presenters/actions.js';
import { notAnOwner, type OwnerCheckDeps } from './action-reassign.js';
import { notifyOwners, requestActionReminders } from './actions.js';
import { MAX_ACTION_CHARS } from './decisions.js';
import { messageLink } from './message-link.js';
import { requestJob } from './outbox.js';
import { postOnce } from './reminders.js';
import { getSettings } from './settings.js';
import { type NamesOptions, type UserNamesOptions, userNamesFor } from './user-names.js';

/** The form's fields, as its refusals name them. */
export type MessageActionField = 'description' | 'owner' | 'due';

/** A refusal of one of the form's fields, shown under it. */
export class MessageActionFieldError extends ValidationError {
  readonly field: MessageActionField;
  constructor(field: MessageActionField, message: string) {
    super(message, [field]);
    this.field = field;
  }
}

/** The due date the form proposes: a week from the company's today. */
export const DEFAULT_DUE_DAYS = 7;

/** The sentence for a form opened, or submitted, with no cycle open. */
export const NO_OPEN_CYCLE =
  'No S&OP cycle is open, so there is none to file the action under: a planner or an admin opens one with `/sop cycle start`; then make the action again.';

/** What the form needs when it opens: the open cycle, the company's today and the default due date. */
export async function messageActionForm(
  deps: Pick<CycleDeps, 'db' | 'clock'>,
): Promise<{ readonly cycleMonth: string; readonly today: string; readonly due: string }> {
  const [cycle, settings] = await Promise.all([openCycle(deps.db), getSettings(deps.db)]);
  if (!cycle) throw new SopError('conflict', NO_OPEN_CYCLE);
  const today = localDate(deps.clock.now(), settings.timezone);
  return { cycleMonth: cycle.month, today, due: addDays(today, DEFAULT_DUE_DAYS) };
}

export interface MessageActionInput {
  /** As typed in the form (cleaned and bounded here). */
  readonly description: string;
  readonly owner: string;
  /** YYYY-MM-DD, a day of the company's zone. */
  readonly dueDate: string;
  readonly madeBy: string;
  /** The message: its channel, its ts, and the thread it is a reply in (null at the top level). */
  readonly source: {
    readonly channel: string;
    readonly ts: string;
    readonly threadTs: string | null;
  };
  readonly requestKey: string;
}

export interface MessageActionRecord {
  readonly action: ActionRow;
  readonly cycleMonth: string;
  /** False when the same submission was recorded before (Slack's retry, a double submit). */
  readonly created: boolean;
  /** The job requests recorded with it, for the caller to hand over (`deliverJobs`). */
  readonly jobRequests: readonly string[];
}

/**
 * Records the action in the open cycle, its audit entry (`action.raise`), its reminders and
 * its `action-raised` job, in one transaction. A due date before the company's today is
 * refused naming today and the zone, an owner who is no active person of the workspace
 * (`notAnOwner`, as a reassignment asks) saying so; no open cycle is refused saying how to open
 * one. The caller checks the policy first (`action.raise`).
 */
export async function makeMessageAction(
  deps: Pick<CycleDeps, 'clock'> & OwnerCheckDeps,
  input: MessageActionInput,
): Promise<MessageActionRecord> {
  const text = readFreeText('The description', input.description, MAX_ACTION_CHARS);
  if (!text.ok) throw new MessageActionFieldError('description', text.message);
  if (!text.text) throw new MessageActionFieldError('description', 'Say what is to be done.');
  if (!input.owner) throw new MessageActionFieldError('owner', 'Choose who owns the action.');
  const { timezone } = await getSettings(deps.db);
  const now = deps.clock.now();
  const today = localDate(now, timezone);
  if (!isDay(input.dueDate))
    throw new MessageActionFieldError('due', `'${input.dueDate}' is not a date; pick a day.`);
  if (input.dueDate < today)
    throw new MessageActionFieldError(
      'due',
      `The due date ${input.dueDate} is in the past: today is ${today} in ${timezone}, the company's time zone.`,
    );
  // A bot, someone not in the workspace or a deactivated account would never see it; Slack
  // not saying in time refuses too (the form is answered within Slack's 3 s).
  const notOwner = await notAnOwner(deps, input.owner);
  if (notOwner) throw new MessageActionFieldError('owner', notOwner);
  return deps.db.transaction().execute(async (trx): Promise<MessageActionRecord> => {
    const known = await actionByRequestKey(trx, input.requestKey);
    if (known) return earlier(trx, known);
    const cycle = await openCycle(trx);
    if (!cycle) throw new SopError('conflict', NO_OPEN_CYCLE);
    const action = await insertMessageAction(trx, {
      cycleId: cycle.id,
      description: text.text,
      owner: input.owner,
      dueDate: input.dueDate,
      createdBy: input.madeBy,
      createdAt: now,
      requestKey: input.requestKey,
      sourceChannel: input.source.channel,
      sourceTs: input.source.ts,
      sourceThreadTs: input.source.threadTs,
    });
    // Another submission of the same form committed first: its action is this one.
    if (!action) {
      const first = await actionByRequestKey(trx, input.requestKey);
      if (!first) throw new Error(`action under ${input.requestKey} neither inserted nor found`);
      return earlier(trx, first);
    }
    await audit(trx, {
      actor: input.madeBy,
      action: 'action.raise',
      entity: 'action',
      entityId: action.id,
      details: {
        cycleId: cycle.id,
        owner: action.owner,
        due: action.due_date,
        source: {
          channel: input.source.channel,
          ts: input.source.ts,
          ...(input.source.threadTs ? { thread: input.source.threadTs } : {}),
        },
      },
    });
    const jobRequests = [
      await requestJob(trx, 'action-raised', { actionId: action.id }),
      ...(await requestActionReminders(trx, action, now, timezone)),
    ];
    return { action, cycleMonth: cycle.month, created: true, jobRequests };
  });
}

async function earlier(db: Db, action: ActionRow): Promise<MessageActionRecord> {
  const cycle = await cycleOf(db, action);
  return { action, cycleMonth: cycle.month, created: false, jobRequests: [] };
}

/** The cycle action `a` is filed under (a foreign key: always there). */
async function cycleOf(db: Db, a: ActionRow): Promise<CycleRow> {
  const cycle = await cycleById(db, a.cycle_id);
  if (!cycle) throw new Error(`action #${a.id}: its cycle ${a.cycle_id} is not found`);
  return cycle;
}

/** What announcing an action made from a message did. */
export interface MessageActionAnnounced {
  /** The action's owner now (whose App Home shows it). */
  readonly owner: string;
  readonly dm: 'sent' | 'already' | 'closed';
  readonly thread: 'posted' | 'already' | 'refused';
}

/**
 * The `action-raised` job: the owner's assignment DM (linking the message, when Slack gives
 * its permalink) while the action is open, and a note in the message's thread, each once. A
 * thread Slack refuses for good (a private channel the bot is not in) is skipped; the owner's
 * DM refused for good is thrown (sendEach) for the worker to tell the admins. The note names
 * who made the action rather than mention them (a mention in a new post would notify them of
 * what they did themselves); the name is looked up as for any post that goes out once
 * (`retry`, src/services/user-names.ts), until the job's last attempt (`lastAttempt`).
 */
export async function announceMessageAction(
  deps: {
    readonly db: Db;
    readonly slack: WebClient;
    readonly logger?: UserNamesOptions['logger'];
  },
  actionId: string,
  opts: Pick<NamesOptions, 'lastAttempt'> = {},
): Promise<MessageActionAnnounced | null> {
  const a = await actionById(deps.db, actionId);
  if (!a?.source_channel || !a.source_ts) return null;
  const channel = a.source_channel;
  const ts = a.source_ts;
  // A reply's note goes in its thread (a thread_ts of the reply's own would answer the reply).
  const thread = a.source_thread_ts ?? ts;
  const cycle = await cycleOf(deps.db, a);
  let dm: MessageActionAnnounced['dm'] = a.status === 'open' ? 'already' : 'closed';
  let noted: MessageActionAnnounced['thread'] = 'already';
  const steps: { readonly to: string; readonly send: () => Promise<void> }[] = [
    {
      to: channel,
      send: async () => {
        const key = `action-raised:${a.id}:thread`;
        // The maker's name, for a note not yet posted (one posted needs nothing from Slack).
        const unposted = !(await ledgerEntry(deps.db, key))?.ts;
        const nameOf = await userNamesFor(deps.db, deps.slack, deps.logger).names(
          unposted ? [a.created_by] : [],
          {
            retry: true,
            ...(opts.lastAttempt !== undefined ? { lastAttempt: opts.lastAttempt } : {}),
          },
        );
        try {
          const msg = madeActionThreadMessage(a, cycle.month, nameOf);
          if (await postOnce(deps.slack, deps.db, key, channel, msg, thread)) noted = 'posted';
        } catch (err) {
          if (!permanentRefusal(err)) throw err;
          noted = 'refused';
        }
      },
    },
  ];
  if (a.status === 'open')
    steps.unshift({
      to: '',
      send: async () => {
        const link = await messageLink(deps.slack, a);
        const sent = await notifyOwners(deps.slack, deps.db, [a], (x) =>
          actionDm(x, 'assigned', null, link),
        );
        if (sent > 0) dm = 'sent';
      },
    });
  await sendEach(
    steps,
    (s) => s.to,
    (s) => s.send(),
  );
  return { owner: a.owner, dm, thread: noted };
}
