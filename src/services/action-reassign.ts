/**
 * A follow-up action given to another owner (`/sop actions reassign #id @person`): its owner
 * handing it on, or whoever the policy lets manage any action (`action.manage-any`).
 *
 * One transaction changes the owner (a compare-and-set on the owner read, so a Done or another
 * reassignment in between is not overwritten), audits it (`action.reassign`: who, from, to),
 * resolves what Slack refused to the old owner about this action (`slack_refusals`: `/sop
 * status` stops showing it) and requests the `action-handover` job in the job outbox. The
 * reminders need no change: their jobs carry the action's id only and each reads the owner
 * when it sends, under keys of the action (`reminder:<action>:…`, sent once whoever owns it)
 * or of the owner's morning (`reminder-digest:<owner>:<day>`), so what the old owner was sent
 * is not sent again and the next one goes to the new owner. The job DMs the new owner the
 * action with Done and Snooze, and the old owner that it is the new owner's now, each once
 * (ledger keys of the audit entry); Slack refusing the old owner (one who left) is skipped.
 *
 * The same search of the ledger draws an owner's DMs again once the action is done or cancelled
 * (`retireClosedButtons`, the `action-closed` job): its buttons give way to the line saying so;
 * and once a cancelled one is opened again: its buttons come back.
 */
import type { Db } from '../../db/connect.js';
import { reassignOpenAction } from '../../db/queries/actions.js';
import {
  audit,
  auditEntry,
  reassignmentByRequest,
  reassignmentsFrom,
} from '../../db/queries/audit.js';
import { storedDmChannel } from '../../db/queries/dm-channels.js';
import { claimRequest, requestProcessed } from '../../db/queries/requests.js';
import { resolveActionRefusals } from '../../db/queries/slack-refusals.js';
import type { ActionRow } from '../../db/schema.js';
import { daysBetween, localDate } from '../core/calendar.js';
import { can } from '../core/policy.js';
import type { CycleDeps } from '../deps.js';
import { SopError, ValidationError } from '../errors.js';
import { ledgerEntries, permanentRefusal, slackError } from '../slack/post-ledger.js';
import {
  actionDm,
  closedLine,
  type GivenAway,
  type Handover,
  handedOverDm,
  handedToYouDm,
  REOPENED_LINE,
  reassignedLine,
  reminderDigestDm,
  withLineAboveButtons,
  withoutButtons,
} from '../slack/presenters/actions.js';
import {
  drawingListedAction,
  getAction,
  givenMeanwhile,
  type ReminderKind,
  reminderDigestAt,
  reminderTime,
} from './actions.js';
import { holidaySet } from './holidays.js';
import { type Member, roleNames } from './members.js';
import { messageLink } from './message-link.js';
import { deliverJobs, requestJob } from './outbox.js';
import { dmOnce } from './reminders.js';
import { getSettings } from './settings.js';
import { type SlackPerson, slackPerson } from './slack-person.js';
import { learnUserName, mayAnswerLater } from './user-names.js';

/** The part of WebClient used here: `users.info` (scope `users:read`), `conversations.open`, `chat.postMessage`. */
type Slack = Parameters<typeof dmOnce>[0];

/**
 * How long an owner check waits for Slack's users.info: a form is answered before its ack,
 * which Slack wants within 3 s (the bot's client would wait 10). The checks of one form run at
 * once (ownerRefusals), so this is their total, and a refusal's names are not waited on
 * (fieldErrorText).
 */
export const OWNER_CHECK_MS = 1_500;

/** What an owner check uses: Slack, the names it learns (Postgres), where a failure is logged. */
export interface OwnerCheckDeps {
  readonly slack: Slack;
  readonly db: Db;
  readonly logger: { warn(obj: object, msg: string): void };
}

/** The refusal when Slack did not say, in OWNER_CHECK_MS, whether `user` can own an action. */
export function ownerNotSaid(user: string): string {
  return `Slack did not say in time whether <@${user}> can own an action; try again.`;
}

/**
 * Why Slack's `user` cannot own an action, as a sentence naming what to fix; null when they
 * can: a person of the workspace whose account is active. Slack not answering within
 * OWNER_CHECK_MS, or answering what may pass when asked again (a 429, a timeout, a 5xx:
 * mayAnswerLater), refuses them too, saying so (ownerNotSaid), logged once with its stack:
 * nothing is recorded on an owner nobody checked. Slack's other failures are thrown as they
 * are. The name users.info gives is kept (learnUserName), for the refusal to name them. Asked
 * too of the owner of an action made from a message (src/services/action-from-message.ts) and
 * of the decision form's owners (ownerRefusals).
 */
export async function notAnOwner(deps: OwnerCheckDeps, user: string): Promise<string | null> {
  const { slack, db, logger } = deps;
  // Made here, for its stack to say who asked.
  const tooLate = new Error(`users.info did not answer within ${OWNER_CHECK_MS} ms`);
  const asked = slackPerson(slack, user, (info) =>
    learnUserName(db, slack, user, info).catch((err: unknown) =>
      logger.warn({ err, user }, "an action owner's name could not be kept"),
    ),
  );
  // An answer after the form's: nobody waits for it, and the lateness is logged below.
  asked.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), OWNER_CHECK_MS);
  });
  let is: SlackPerson | 'late';
  try {
    is = await Promise.race([asked, late]);
  } catch (err) {
    if (!mayAnswerLater(err)) throw err;
    logger.warn({ err, user }, 'users.info failed: the action owner is refused until Slack says');
    return ownerNotSaid(user);
  } finally {
    clearTimeout(timer);
  }
  switch (is) {
    case 'late':
      logger.warn({ err: tooLate, user }, 'users.info was late: the action owner is refused');
      return ownerNotSaid(user);
    case 'unknown':
      return `Slack knows no person \`${user}\` in this workspace; name someone who is in it.`;
    case 'bot':
      return `<@${user}> is a bot; an action is owned by a person. Name the person who takes it over.`;
    case 'deactivated':
      return `<@${user}>'s Slack account is deactivated: they would never see the action nor its reminders. Name someone who is still in the workspace.`;
    case 'person':
      return null;
  }
}

/** Why `a` cannot be reassigned as it stands (not open), or null. */
function notOpen(a: ActionRow): SopError | null {
  if (a.status === 'open') return null;
  return new SopError(
    'conflict',
    `Action #${a.id} is ${a.status}: only an open action can be given to someone else.`,
  );
}

export interface ReassignInput {
  readonly actionId: string;
  /** The new owner's user id. */
  readonly to: string;
  /** Who asks: the owner, or a member the policy lets manage any action. */
  readonly member: Member;
  /** The request's key (`commandRequestKey`), kept in the audit entry. */
  readonly requestKey: string;
}

export interface Reassignment {
  readonly action: ActionRow;
  readonly handover: Handover;
  /** The `action-handover` request in the job outbox, for `handOverReassignment`. */
  readonly job: string;
}

/**
 * Give action `actionId` to `to` (see the file's comment): the one path of `/sop actions
 * reassign` and of the Reassign form. Refused, with a sentence naming what to fix and nothing
 * written: an unknown action, one done or cancelled, a member who is neither its owner nor
 * allowed by `action.manage-any`, its owner already, a bot, someone Slack does not know in the
 * workspace, a deactivated account. The handover job waits in the outbox until the caller
 * hands it to the queue (`handOverReassignment`): a form answers first, as Redis may be slow.
 */
export async function reassignAction(
  deps: CycleDeps & OwnerCheckDeps,
  input: ReassignInput,
): Promise<Reassignment> {
  const a = await reassignable(deps, input);
  const by = input.member.userId;
  const handover: Handover = { by, from: a.owner, to: input.to };
  return deps.db.transaction().execute(async (trx) => {
    const r = await reassignOpenAction(trx, a.id, handover);
    if (!r) {
      const cur = await getAction(trx, a.id);
      if (!cur) throw new SopError('not_found', `There is no follow-up action #${a.id}.`);
      throw (
        notOpen(cur) ??
        givenMeanwhile(a.id, cur.owner, ` Reassign it again if it should go to <@${input.to}>.`)
      );
    }
    const auditId = await audit(trx, {
      actor: by,
      action: 'action.reassign',
      entity: 'action',
      entityId: a.id,
      details: {
        from: handover.from,
        to: handover.to,
        requestKey: input.requestKey,
        at: deps.clock.now().toISOString(),
      },
    });
    await resolveActionRefusals(trx, handover.from, a.id);
    const job = await requestJob(trx, 'action-handover', { actionId: a.id, handover: auditId });
    return { action: r, handover, job };
  });
}

/**
 * The action `input` names, when it may be given as asked; else the refusal reassignAction
 * gives before it writes (thrown): an unknown action, one done or cancelled, a member who is
 * neither its owner nor allowed by `action.manage-any`, its owner already, a bot, someone Slack
 * does not know in the workspace, a deactivated account. Reads only (the database, `users.info`).
 */
async function reassignable(deps: OwnerCheckDeps, input: ReassignInput): Promise<ActionRow> {
  const a = await getAction(deps.db, input.actionId);
  if (!a)
    throw new SopError(
      'not_found',
      `There is no follow-up action #${input.actionId}; \`/sop actions all\` lists them with their numbers.`,
    );
  const closed = notOpen(a);
  if (closed) throw closed;
  const by = input.member.userId;
  if (by !== a.owner && !can(input.member, 'action.manage-any'))
    throw new SopError(
      'forbidden',
      `Only <@${a.owner}>, its owner, or ${roleNames('action.manage-any')} can give action #${a.id} to someone else.`,
    );
  if (input.to === a.owner)
    throw new ValidationError(
      `<@${a.owner}> owns action #${a.id} already; name the person who takes it over.`,
    );
  const why = await notAnOwner(deps, input.to);
  if (why) throw new ValidationError(why);
  return a;
}

/**
 * What request `requestKey` (a Reassign form's submission) did to action `actionId`, as written
 * now: the action as it stands and the handover it made; null when it has made none (yet, or
 * ever: its first sending may still be under way, or refused). Read once, never waited on: a
 * sending again is Slack's retry of a first answer that was slow, or a double click, and its
 * answer is due within Slack's 3 s too.
 */
export async function reassignmentOfRequest(
  deps: Pick<CycleDeps, 'db'>,
  actionId: string,
  requestKey: string,
): Promise<{ action: ActionRow; handover: Handover } | null> {
  const handover = await reassignmentByRequest(deps.db, actionId, requestKey);
  const action = handover ? await getAction(deps.db, actionId) : null;
  return handover && action ? { action, handover } : null;
}

/**
 * What a Reassign form sent again (a double click, Slack's retry) answers, when its first
 * sending has its key (`once`), read at once and never waited on: `given`, what the first
 * sending wrote; `refused`, the refusal the first sending gives or gave, found by asking the
 * same questions of the same facts (reassignable: the database and `users.info`, nothing
 * written), so a repeat of a sending refused because the person is a bot, or its owner already,
 * says that and not that nothing is known, and one Slack did not answer in time (OWNER_CHECK_MS:
 * the answer is due within Slack's 3 s) says so; `unknown`, when the first sending has written
 * nothing and nothing refuses it: it is still under way, or was refused in its write (a Done or
 * another reassignment in that instant). A refusal that only the first sending's own write
 * causes (the action is `to`'s now) is read as what it wrote.
 */
export async function repeatedReassignment(
  deps: OwnerCheckDeps,
  input: ReassignInput,
): Promise<
  | { readonly given: { action: ActionRow; handover: Handover } }
  | { readonly refused: SopError }
  | { readonly unknown: true }
> {
  const written = () => reassignmentOfRequest(deps, input.actionId, input.requestKey);
  const first = await written();
  if (first) return { given: first };
  try {
    await reassignable(deps, input);
    return { unknown: true };
  } catch (err) {
    if (!(err instanceof SopError)) throw err;
    // Refused as `to`'s already, say, because the first sending gave it meanwhile: that commit
    // wrote the audit entry too, so it is read now.
    const since = await written();
    return since ? { given: since } : { refused: err };
  }
}

/** The reassignment's handover job, handed to the queue now if Redis answers; else the relay delivers it when it does. */
export async function handOverReassignment(deps: CycleDeps, r: Reassignment): Promise<void> {
  await deliverJobs(deps.db, deps.queue, { ids: [r.job] });
}

/** What the `action-handover` job did for each owner. */
export interface HandoverDms {
  /** `stale`: the action is no longer the new owner's open action (done, or given on since). */
  readonly newOwner: 'sent' | 'already_sent' | 'stale';
  /** `not_needed`: the old owner gave it themself; `refused`: Slack refuses their DMs (they left). */
  readonly oldOwner: 'sent' | 'already_sent' | 'not_needed' | 'refused' | 'stale';
  /** The old owner's earlier DMs about the action whose buttons were replaced by the line. */
  readonly buttonsRemoved: number;
  /** Those an earlier run of this job drew so (a retry): not edited again. */
  readonly already: number;
  /** Those Slack would not edit (deleted since, or out of reach): left as they were. */
  readonly notEdited: number;
}

/** Slack's answers to chat.update that no retry changes: the message is gone or not editable. */
const UNEDITABLE: ReadonlySet<string> = new Set([
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

/**
 * Whether Slack's refusal of a chat.update of a DM is for good (the message gone or not
 * editable, the channel archived, the person gone): a later edit, a job's, would be refused
 * the same. Anything else (a 429, a timeout, a 5xx, an error of Slack's own) may pass later.
 */
export function editRefusedForGood(err: unknown): boolean {
  const code = slackError(err);
  return (code !== undefined && UNEDITABLE.has(code)) || permanentRefusal(err) !== null;
}

/** A DM about one action, as its presenters build it. */
type ActionDm = ReturnType<typeof actionDm>;

/**
 * The DM with buttons about action `a` that was sent under `key`, rebuilt; null for another
 * kind. `link`: the permalink of the message the action was made from (sourceLink), asked of
 * Slack before the action's locks were taken.
 */
async function sentUnder(
  db: Db,
  link: string | null,
  key: string,
  a: ActionRow,
  zone: string,
): Promise<ActionDm | null> {
  // The assignment DM as it was sent: one of an action made from a message links it.
  if (key === `action:${a.id}:assigned`) return actionDm(a, 'assigned', null, link);
  const given = new RegExp(`^action:${a.id}:handover:(\\d+):new$`).exec(key);
  if (given?.[1]) {
    const entry = await auditEntry(db, given[1]);
    const d = (entry?.details ?? {}) as { from?: string; to?: string };
    return entry && d.from && d.to
      ? handedToYouDm(a, { by: entry.actor, from: d.from, to: d.to })
      : null;
  }
  const reminder = new RegExp(`^reminder:${a.id}:(before|due|overdue):(.+)$`).exec(key);
  if (reminder?.[1] && reminder[2]) {
    // A reminder said how the due date stood on the day it came (sendReminder): a snooze's on
    // the day its snooze ended, a scheduled one on its working day (reminderTime; one sent
    // late said so from a later day, which the key does not keep).
    const kind = reminder[1] as ReminderKind;
    const at = reminderTime(a.due_date, kind, reminder[2], zone, await holidaySet(db));
    const daysLeft = Number.isNaN(at.getTime())
      ? null
      : daysBetween(localDate(at, zone), a.due_date);
    return actionDm(a, kind, daysLeft);
  }
  return null;
}

/**
 * The permalink of the message action `actionId` was made from (null for another action), for
 * its assignment DM drawn again: asked of Slack before the action's locks are taken, as the
 * message an action came from never changes, so a slow or failing Slack holds no lock (a
 * failure is thrown, for the job's retry, before anything was drawn).
 */
async function sourceLink(
  deps: { readonly db: Db; readonly slack: Slack },
  actionId: string,
): Promise<string | null> {
  const a = await getAction(deps.db, actionId);
  return a ? messageLink(deps.slack, a) : null;
}

/** A DM to be drawn again at `ts`: what it becomes. */
interface Redraw {
  readonly ts: string;
  readonly msg: { text: string; blocks: ActionDm['blocks'] };
}

/**
 * `user`'s DMs in `channel` about action `a` that the ledger recorded (its assignment, a handover
 * to them, its reminders, and each morning digest that lists it), as they are to be drawn again:
 * a DM of that one action as sent, changed by `draw` (its buttons replaced by a line, or a line
 * put above them), a digest from its actions as they stand at `now` (its other actions keep
 * their buttons).
 */
async function actionDmsOf(
  db: Db,
  link: string | null,
  a: ActionRow,
  user: string,
  channel: string,
  draw: (msg: ActionDm) => Redraw['msg'],
  zone: string,
  now: Date,
): Promise<Redraw[]> {
  const edits: Redraw[] = [];
  const own = [
    ...(await ledgerEntries(db, `action:${a.id}:`)),
    ...(await ledgerEntries(db, `reminder:${a.id}:`)),
  ];
  for (const row of own) {
    if (!row.ts || row.channel !== channel) continue;
    const msg = await sentUnder(db, link, row.postKey, a, zone);
    if (msg) edits.push({ ts: row.ts, msg: draw(msg) });
  }
  for (const row of await ledgerEntries(db, `reminder-digest:${user}:`)) {
    if (!row.ts || row.channel !== channel) continue;
    const items = await reminderDigestAt(db, channel, row.ts);
    if (items?.some((it) => it.id === a.id))
      edits.push({ ts: row.ts, msg: reminderDigestDm(items, zone, now) });
  }
  return edits;
}

/**
 * Draws DM `e` again (chat.update at the ts the ledger recorded): false when Slack will not
 * edit it (deleted since, or out of reach), which is left as it is; any other failure is thrown.
 */
async function redrawDm(slack: Slack, channel: string, e: Redraw): Promise<boolean> {
  try {
    await slack.chat.update({ channel, ts: e.ts, text: e.msg.text, blocks: e.msg.blocks });
    return true;
  } catch (err) {
    if (!editRefusedForGood(err)) throw err;
    return false;
  }
}

/**
 * The message a Done click closed action `actionId` from, drawn by `draw` from the action as it
 * stands (read under the locks every redraw of its DMs takes: its own and those of every action
 * its digests list, drawingListedAction; a digest clicked is drawn from them all), so a job that
 * read an older state cannot land its edit after it. `busy` when a job kept the lock for
 * `waitMs`: nothing was drawn, and the caller hands the message to the click's own redraw job
 * (redrawClosedLater), which takes the lock in the worker.
 */
export async function drawClickedAction(
  db: Db,
  actionId: string,
  draw: (a: ActionRow) => Promise<void>,
  waitMs = CLICK_LOCK_WAIT_MS,
): Promise<'drawn' | 'gone' | 'busy'> {
  const out = await drawingListedAction(
    db,
    actionId,
    async () => {
      const a = await getAction(db, actionId);
      if (!a) return 'gone' as const;
      await draw(a);
      return 'drawn' as const;
    },
    waitMs,
  );
  return out.got ? out.value : 'busy';
}

/** How long a click waits for a job drawing the same action's DMs before leaving its message to a job. */
export const CLICK_LOCK_WAIT_MS = 2_000;

/** What drawing the old owner's DMs again did (retireOldButtons). */
interface Retired {
  readonly buttonsRemoved: number;
  /** Drawn so by an earlier run of the same handover's job (a retry): not edited again. */
  readonly already: number;
  readonly notEdited: number;
}

/**
 * The old owner's earlier DMs about action `a` (actionDmsOf), edited in place so that its Done,
 * Snooze and Reassign buttons give way to the line saying to whom it went, by whom and when; a
 * digest's other actions keep theirs. A message Slack will not edit (deleted since) is left as
 * it is. With `handover` (the job's audit entry), each message is recorded as drawn for it once
 * edited (a processed-request key per message, as retireClosedButtons records its own), and one
 * recorded is not edited again: a job retried after Slack asked it to wait (a 429) or failed
 * half-way edits only what it has not drawn. Without (a refused click's repair), each is edited,
 * which writes the same.
 */
async function retireOldButtons(
  deps: { readonly db: Db; readonly slack: Slack },
  link: string | null,
  a: ActionRow,
  from: string,
  g: GivenAway,
  handover?: string,
): Promise<Retired> {
  const channel = await storedDmChannel(deps.db, from);
  if (!channel) return { buttonsRemoved: 0, already: 0, notEdited: 0 };
  const { timezone } = await getSettings(deps.db);
  const line = reassignedLine(g, timezone);
  const draw = (m: ActionDm) => withoutButtons(m, a, line);
  const edits = await actionDmsOf(deps.db, link, a, from, channel, draw, timezone, g.at);
  let buttonsRemoved = 0;
  let already = 0;
  let notEdited = 0;
  for (const e of edits) {
    const key = handover ? `action-handover:${handover}:${channel}:${e.ts}` : null;
    if (key && (await requestProcessed(deps.db, key))) {
      already++;
      continue;
    }
    if (await redrawDm(deps.slack, channel, e)) buttonsRemoved++;
    else notEdited++;
    if (key) await claimRequest(deps.db, key, 'action.handover');
  }
  return { buttonsRemoved, already, notEdited };
}

/**
 * A job's redraw of action `actionId`'s DMs, its digests among them: under the locks of every
 * action those digests list (drawingListedAction), waited for as long as it takes.
 */
async function inJob<T>(db: Db, actionId: string, draw: () => Promise<T>): Promise<T> {
  const out = await drawingListedAction(db, actionId, draw);
  if (!out.got)
    throw new Error(
      `the draw locks of action #${actionId} were not taken, with no limit on the wait`,
    );
  return out.value;
}

/** What the `action-closed` job did to the owner's earlier DMs about the action. */
export type ClosedRedraw =
  | {
      /** Drawn again now: the action shown done or cancelled, without its buttons. */
      readonly buttonsRemoved: number;
      /** Drawn so by an earlier run of the job (a retry), or the one clicked: not edited again. */
      readonly already: number;
      /** Those Slack would not edit (deleted since, or out of reach): left as they were. */
      readonly notEdited: number;
    }
  | {
      /** A cancelled action opened again: drawn again now with its buttons, saying why. */
      readonly buttonsRestored: number;
      readonly already: number;
      readonly notEdited: number;
    };

/**
 * The `action-closed` job (and `action-reopened`), once action `actionId` is done or cancelled (`closing`, the audit
 * entry of that change): its owner's earlier DMs about it (actionDmsOf) drawn again as the
 * reassignment draws the old owner's, its buttons giving way to the line saying it is done
 * (when, against its due date, and by whom) or cancelled; a digest's other actions keep theirs.
 * Once a later correction opened a cancelled action again (`closing`, that `deviation.reopen`
 * entry), the same DMs are drawn as sent, with its buttons, and the line saying it is open
 * again (REOPENED_LINE); a digest from its actions as they stand. The job draws the action as
 * it stands once it holds the action's lock, with those of every action its digests list
 * (drawingListedAction), so one that comes after a later
 * change draws what that change's job draws, and one that read the older state is done drawing
 * before the later job reads. `shown` is the message the click that closed it drew already
 * (under the same lock, drawClickedAction), left out.
 *
 * Each message is edited, then recorded as drawn for this `closing` (a processed-request key
 * per message): a retried job, after Slack asked it to wait (a 429, Tier 3's ~50 a minute) or
 * failed half-way, edits only those it has not recorded, one at a time. Recorded after the
 * edit, never before: a worker killed between the two leaves the message unrecorded and the
 * retry edits it again (chat.update writes the same), where a record made first would have
 * left it with live buttons for good. A message Slack will not edit (deleted since) is left as
 * it is.
 */
export async function retireClosedButtons(
  deps: { readonly db: Db; readonly slack: Slack; readonly clock: { now(): Date } },
  p: { readonly actionId: string; readonly closing: string; readonly shown?: string | undefined },
): Promise<ClosedRedraw> {
  const link = await sourceLink(deps, p.actionId);
  return inJob(deps.db, p.actionId, () => redrawClosed(deps, link, p));
}

/** retireClosedButtons under the action's locks. */
async function redrawClosed(
  deps: { readonly db: Db; readonly slack: Slack; readonly clock: { now(): Date } },
  link: string | null,
  p: { readonly actionId: string; readonly closing: string; readonly shown?: string | undefined },
): Promise<ClosedRedraw> {
  let drawn = 0;
  let already = 0;
  let notEdited = 0;
  const a = await getAction(deps.db, p.actionId);
  const channel = a ? await storedDmChannel(deps.db, a.owner) : null;
  if (a && channel) {
    const { timezone } = await getSettings(deps.db);
    const line = closedLine(a, timezone);
    const draw = (m: ActionDm) =>
      a.status === 'open' ? withLineAboveButtons(m, a, REOPENED_LINE) : withoutButtons(m, a, line);
    const now = deps.clock.now();
    const dms = await actionDmsOf(deps.db, link, a, a.owner, channel, draw, timezone, now);
    for (const e of dms) {
      // Per change: an action cancelled, opened again and cancelled again is drawn each time.
      const key = `action-closed:${p.closing}:${channel}:${e.ts}`;
      if (e.ts === p.shown || (await requestProcessed(deps.db, key))) {
        already++;
        continue;
      }
      if (await redrawDm(deps.slack, channel, e)) drawn++;
      else notEdited++;
      await claimRequest(deps.db, key, 'action.closed');
    }
  }
  return a?.status === 'open'
    ? { buttonsRestored: drawn, already, notEdited }
    : { buttonsRemoved: drawn, already, notEdited };
}

/**
 * The owner of action `actionId` when its change `change` (an audit entry) was made by the
 * worker, with no one's click: a corrected import cancelling it (`deviation.resolve`) or
 * opening it again (`deviation.reopen`). Their App Home is drawn again by the
 * change's job, since no listener did. Null for a person's change (a Done), whose listener draws
 * the Homes itself, and for an action or entry not found.
 */
export async function homeOwedAfter(
  db: Db,
  actionId: string,
  change: string,
): Promise<string | null> {
  const [a, entry] = await Promise.all([getAction(db, actionId), auditEntry(db, change)]);
  return a && entry && UNCLICKED.has(entry.action) ? a.owner : null;
}

/** The audit entries of changes to an action the worker makes with no one's click (execution.ts). */
const UNCLICKED: ReadonlySet<string> = new Set(['deviation.resolve', 'deviation.reopen']);

/**
 * `user`'s DMs about action `actionId`, once it was given away from them and is not theirs
 * again: redrawn as the `action-handover` job redraws them (retireOldButtons), their buttons
 * replaced by the line saying to whom it went, by whom and when (their latest handover of it).
 * For a Done, Snooze or Reassign they pressed on one of those DMs and that was refused, since
 * the action is no longer theirs: the job does it too, but may not have yet (a click in the
 * instant of the reassignment), or Slack refused an edit then. Editing again writes the same,
 * so a second click may. Null when there was nothing to redraw, or when a job kept the action's
 * locks (drawingListedAction) for CLICK_LOCK_WAIT_MS: that job draws the action as it stands.
 */
export async function retireGivenAwayButtons(
  deps: { readonly db: Db; readonly slack: Slack },
  actionId: string,
  user: string,
): Promise<{ buttonsRemoved: number; notEdited: number } | null> {
  const link = await sourceLink(deps, actionId);
  const out = await drawingListedAction(
    deps.db,
    actionId,
    async () => {
      const a = await getAction(deps.db, actionId);
      if (!a || a.owner === user) return null;
      const [away] = await reassignmentsFrom(deps.db, user, [a.id]);
      if (!away) return null;
      return retireOldButtons(deps, link, a, user, { to: away.to, by: away.by, at: away.at });
    },
    CLICK_LOCK_WAIT_MS,
  );
  return out.got ? out.value : null;
}

/**
 * The `action-handover` job: the new owner's DM (the action, its Done, Snooze and Reassign, who
 * gave it) and, when someone else gave it, the old owner's saying it is the new owner's now,
 * each once under `action:<id>:handover:<entry>:new|old`; then the old owner's earlier DMs about
 * it lose their buttons (retireOldButtons), whether or not the action has moved on since, unless
 * it came back to them. Slack refusing the old owner for good is skipped (recorded nowhere: they
 * may have left, and the action is no longer theirs); refusing the new owner is thrown once the
 * rest was done, for the worker to record and report. All of it under the action's lock, with
 * those of every action its digests list (drawingListedAction), the action read once they are held: a Done's job that comes meanwhile
 * finds the new owner's DM in the ledger, and no redraw of the action lands between.
 */
export async function announceHandover(
  deps: { readonly db: Db; readonly slack: Slack },
  p: { readonly actionId: string; readonly handover: string },
): Promise<HandoverDms> {
  const link = await sourceLink(deps, p.actionId);
  return inJob(deps.db, p.actionId, () => handOver(deps, link, p));
}

/** announceHandover under the action's locks. */
async function handOver(
  deps: { readonly db: Db; readonly slack: Slack },
  link: string | null,
  p: { readonly actionId: string; readonly handover: string },
): Promise<HandoverDms> {
  const [a, entry] = await Promise.all([
    getAction(deps.db, p.actionId),
    auditEntry(deps.db, p.handover),
  ]);
  const details = (entry?.details ?? {}) as { from?: string; to?: string; at?: string };
  const none = { buttonsRemoved: 0, already: 0, notEdited: 0 };
  if (!a || !entry || entry.action !== 'action.reassign' || !details.from || !details.to)
    return { newOwner: 'stale', oldOwner: 'stale', ...none };
  const h: Handover = { by: entry.actor, from: details.from, to: details.to };
  const given: GivenAway = { to: h.to, by: h.by, at: details.at ? new Date(details.at) : entry.at };
  const retire = () =>
    a.owner === h.from ? none : retireOldButtons(deps, link, a, h.from, given, p.handover);
  if (a.status !== 'open' || a.owner !== h.to)
    return { newOwner: 'stale', oldOwner: 'stale', ...(await retire()) };
  const key = `action:${a.id}:handover:${p.handover}`;
  let newOwner: HandoverDms['newOwner'] = 'already_sent';
  let refused: unknown = null;
  try {
    if (await dmOnce(deps.slack, deps.db, `${key}:new`, h.to, handedToYouDm(a, h)))
      newOwner = 'sent';
  } catch (err) {
    if (!permanentRefusal(err)) throw err;
    refused = err;
  }
  let oldOwner: HandoverDms['oldOwner'] = 'not_needed';
  if (h.by !== h.from) {
    try {
      oldOwner = (await dmOnce(deps.slack, deps.db, `${key}:old`, h.from, handedOverDm(a, h)))
        ? 'sent'
        : 'already_sent';
    } catch (err) {
      if (!permanentRefusal(err)) throw err;
      oldOwner = 'refused';
    }
  }
  const old = oldOwner === 'refused' ? none : await retire();
  if (refused) throw refused;
  return { newOwner, oldOwner, ...old };
}
