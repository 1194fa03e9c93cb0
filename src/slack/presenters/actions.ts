/**
 * Follow-up actions: the owner's DM with Done, Snooze and Reassign, the Reassign form,
 * reminders, lists and App Home rows.
 */
import type { types } from '@slack/bolt';
import type { ActionRow } from '../../../db/schema.js';
import { doneTiming, isOverdue } from '../../core/action-timing.js';
import { localDate, shortDay } from '../../core/calendar.js';
import type { ReminderKind, SnoozeEnd } from '../../services/actions.js';
import { skippedHolidaysNote } from './cycle.js';
import { ACTION_BUTTON_NAMES, DEVIATION_TASK } from './execution.js';
import {
  andMore,
  clipMrkdwn,
  fitLines,
  fitText,
  MESSAGE_BLOCKS,
  MESSAGE_BLOCKS_CHARS,
  MESSAGE_TEXT_CHARS,
} from './fit.js';
import { clip, esc, mrkdwn, plain, slackDate } from './format.js';

export const ACTION_DONE = 'action_done';
export const ACTION_SNOOZE_DAY = 'action_snooze_1d';
export const ACTION_SNOOZE_WEEK = 'action_snooze_1w';
export const ACTION_REASSIGN = 'action_reassign';
/** The Reassign form: its callback, and the block and element of the person picked. */
export const REASSIGN_CALLBACK = 'action_reassign_submit';
export const REASSIGN_BLOCK = 'reassign_to';
export const REASSIGN_USER = 'user';

type ActionLike = Pick<ActionRow, 'id' | 'owner' | 'due_date' | 'description' | 'status'> & {
  /**
   * The decision that set the action; null for one the weekly S&OE check raised or one made
   * from a Slack message (`source_ts`).
   */
  readonly decision_id?: string | null;
  /** The Slack message it was made from ("Make an S&OP action"); null or absent for any other. */
  readonly source_ts?: string | null;
  /** Who made it (for one made from a message, who did). */
  readonly created_by?: string;
  /** When it was marked done; null or absent while it is not. */
  readonly done_at?: Date | null;
  /** Its reminders wait until then (a snooze); null or absent when none does. */
  readonly snoozed_until?: Date | null;
};

/** Where an action comes from: a decision, the weekly S&OE check, or a Slack message. */
export type ActionOrigin = 'decision' | 'soe' | 'message';

/**
 * An action's origin, read from its row: a decision's sets `decision_id`; one made from a
 * message keeps the message (`source_ts`); any other was raised by the weekly S&OE check.
 */
export function actionOrigin(a: ActionLike): ActionOrigin {
  if (a.decision_id !== null) return 'decision';
  return a.source_ts ? 'message' : 'soe';
}

/** Who made an action from a message, as its DMs say it. */
const madeFromMessage = (a: ActionLike) =>
  `made from a Slack message${a.created_by ? ` by <@${a.created_by}>` : ''}`;

/**
 * A done action's status against its due date, in calendar days of the company's `zone`:
 * "done 3 days early", "done on its due date", "done 2 days late"; plain "done" without a time.
 */
export function doneText(a: ActionLike, zone: string): string {
  return a.done_at ? doneTiming(a.due_date, localDate(a.done_at, zone)) : 'done';
}

export function actionButtons(a: ActionLike): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: `action_${a.id}`,
    elements: [
      {
        type: 'button',
        action_id: ACTION_DONE,
        style: 'primary',
        text: plain('Done'),
        value: a.id,
      },
      {
        type: 'button',
        action_id: ACTION_SNOOZE_DAY,
        text: plain('Snooze 1 working day'),
        value: a.id,
      },
      { type: 'button', action_id: ACTION_SNOOZE_WEEK, text: plain('Snooze 1 week'), value: a.id },
      { type: 'button', action_id: ACTION_REASSIGN, text: plain('Reassign'), value: a.id },
    ],
  };
}

/**
 * What a snooze of action `id` saved: until when, and, when its days ended on a weekend day or a
 * company holiday, that it ends on the next working day instead, named ("Mon 4 Jan"), with the
 * holidays it stepped over as a deadline names them ("not counting New Year's Day, Fri 1 Jan").
 */
export function snoozedText(id: string, end: SnoozeEnd, zone: string): string {
  const until = `Snoozed #${id} until ${slackDate(end.at, zone)}`;
  if (!end.moved) return `${until}.`;
  return `${until}: ${shortDay(localDate(end.at, zone))} is the next working day${skippedHolidaysNote(end.skipped)}.`;
}

/**
 * The form the Reassign button opens: the action, and the person who takes it over (none
 * picked). Its private_metadata is the action's id.
 */
export function reassignModal(a: ActionLike): types.ModalView {
  return {
    type: 'modal',
    callback_id: REASSIGN_CALLBACK,
    private_metadata: a.id,
    title: plain('Reassign action'),
    submit: plain('Reassign'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(clip(`*#${a.id}* ${esc(a.description)}\nDue *${a.due_date}*`, 3000)),
      },
      {
        type: 'input',
        block_id: REASSIGN_BLOCK,
        label: plain('Who takes it over'),
        element: {
          type: 'users_select',
          action_id: REASSIGN_USER,
          placeholder: plain('Choose a person'),
        },
      },
      {
        type: 'context',
        elements: [mrkdwn('They get a DM with it, and its reminders from now on.')],
      },
    ],
  };
}

const HEAD: Readonly<Record<ReminderKind | 'assigned', string>> = {
  // An action without a decision comes from the weekly S&OE check (actionDm says so).
  assigned: ':memo: You own a follow-up action from the executive S&OP meeting',
  before: ':hourglass_flowing_sand: Due in 2 days',
  due: ':alarm_clock: Due today',
  overdue: ':warning: Overdue',
};

/**
 * A reminder's heading from how the due date stands the day it is sent, `daysLeft` days
 * before it (negative: after it), in calendar days: "Overdue by 20 days" for one sent late,
 * "Due tomorrow" for a "before" one moved off a weekend. A snooze's ("due" or "overdue" in
 * the future) says it is a reminder.
 */
function standingHead(kind: ReminderKind, daysLeft: number): string {
  if (daysLeft < 0) return `${HEAD.overdue} by ${days(-daysLeft)}`;
  if (daysLeft === 0) return HEAD.due;
  const when = daysLeft === 1 ? 'tomorrow' : `in ${days(daysLeft)}`;
  return kind === 'before'
    ? `:hourglass_flowing_sand: Due ${when}`
    : `:bell: Reminder, due ${when}`;
}

/**
 * The owner's DM: assigned, or a reminder of `kind`. With `daysLeft` (the due date against
 * the day it is sent), the header says how the due date stands then ("Due tomorrow", "Due
 * today", "Overdue by 3 days") rather than the kind's: reminders come on working days, and
 * late ones later still.
 */
export function actionDm(
  a: ActionLike,
  kind: ReminderKind | 'assigned',
  daysLeft: number | null = null,
  /** The permalink of the message an action was made from (its assignment DM links it). */
  link: string | null = null,
): { text: string; blocks: types.KnownBlock[] } {
  const origin = actionOrigin(a);
  const head =
    kind === 'assigned' && origin === 'soe'
      ? ':memo: You own a follow-up action from the weekly S&OE check'
      : kind === 'assigned' && origin === 'message'
        ? `:memo: You own a follow-up action ${madeFromMessage(a)}`
        : kind !== 'assigned' && daysLeft !== null
          ? standingHead(kind, daysLeft)
          : HEAD[kind];
  // A deviation's action: what to do, in every DM and reminder alike; a message's: where it
  // comes from, in its reminders (the assignment's head says it, with the message's link).
  const task =
    origin === 'soe'
      ? `\n${kind === 'assigned' ? '' : 'From the weekly S&OE check. '}${DEVIATION_TASK}`
      : origin === 'message'
        ? kind === 'assigned'
          ? link
            ? `\n<${link}|The message>`
            : ''
          : `\nMade from a Slack message.`
        : '';
  const text = `${head}: #${a.id} ${esc(a.description)} (due ${a.due_date})`;
  return {
    text: clip(text, 3000),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          clip(`${head}\n*#${a.id}* ${esc(a.description)}\nDue *${a.due_date}*${task}`, 3000),
        ),
      },
      actionButtons(a),
    ],
  };
}

/** Who gave an action to whom (`/sop actions reassign`): user ids. */
export interface Handover {
  readonly by: string;
  readonly from: string;
  readonly to: string;
}

/** Who gave it, as the new owner reads it. */
const givenBy = (h: Handover) =>
  h.by === h.from
    ? `<@${h.from}> handed it over to you.`
    : `<@${h.by}> gave it to you; it was <@${h.from}>'s.`;

/**
 * The new owner's DM: the words and buttons a decision's owner gets (actionDm's), and who
 * gave it to them.
 */
export function handedToYouDm(
  a: ActionLike,
  h: Handover,
): { text: string; blocks: types.KnownBlock[] } {
  const dm = actionDm(a, 'assigned');
  const [section, ...rest] = dm.blocks;
  return {
    text: clip(`${dm.text}. ${givenBy(h)}`, 3000),
    blocks: [
      ...(section ? [section] : []),
      { type: 'context', elements: [mrkdwn(givenBy(h))] },
      ...rest,
    ],
  };
}

/** The old owner's DM: the action is someone else's now, and its reminders go to them. */
export function handedOverDm(a: ActionLike, h: Handover): { text: string } {
  return {
    text: clip(
      `:arrow_right: Action #${a.id} ${esc(a.description)} (due ${a.due_date}) is now <@${h.to}>'s: <@${h.by}> gave it to them. Its reminders go to them; you will not be reminded of it.`,
      3000,
    ),
  };
}

/** An action given away from the person a message went to: to whom, by whom, when. */
export interface GivenAway {
  readonly to: string;
  readonly by: string;
  readonly at: Date;
}

/** The line that takes the place of an action's buttons once it is someone else's. */
export function reassignedLine(g: GivenAway, zone: string): string {
  return `:arrow_right: Reassigned to <@${g.to}> by <@${g.by}> on ${localDate(g.at, zone)}.`;
}

/**
 * A section of an S&OE action's DM without what its owner is asked to do (DEVIATION_TASK, said
 * after "From the weekly S&OE check." or on its own line): once given away it is not theirs.
 */
function withoutTask(b: types.KnownBlock): types.KnownBlock {
  if (b.type !== 'section' || b.text?.type !== 'mrkdwn' || !b.text.text.includes(DEVIATION_TASK))
    return b;
  const text = b.text.text
    .replace(`\n${DEVIATION_TASK}`, '')
    .replace(` ${DEVIATION_TASK}`, '')
    .replace(DEVIATION_TASK, '');
  return { ...b, text: mrkdwn(text) };
}

/**
 * The line that takes the place of a closed action's buttons on its owner's earlier DMs: done
 * against its due date (as the digest says it, "done 3 days late") and by whom, or cancelled.
 */
export function closedLine(
  a: ActionLike & { readonly done_by?: string | null },
  zone: string,
): string {
  if (a.status === 'cancelled')
    return ':no_entry_sign: Cancelled as no longer needed. Reminders stopped.';
  const by = a.done_by ? ` (marked by <@${a.done_by}>)` : '';
  return `:white_check_mark: ${doneText(a, zone)}${by}. Reminders stopped.`;
}

/**
 * The notification of a DM drawn again once its action is closed or given away: the action and
 * what became of it (`line`, its emoji kept in front), where the DM as sent said when it was due.
 * ":white_check_mark: Action #12 Book overtime: done 3 days late (marked by @pat). Reminders
 * stopped."
 */
function retiredText(a: Pick<ActionLike, 'id' | 'description'>, line: string): string {
  const [, emoji = '', rest = line] = /^(:[a-z0-9_+-]+: )?([\s\S]*)$/.exec(line) ?? [];
  const words = /^[A-Z][a-z]/.test(rest) ? `${rest.charAt(0).toLowerCase()}${rest.slice(1)}` : rest;
  return `${emoji}Action #${a.id} ${esc(a.description)}: ${words}`;
}

/**
 * A DM about action `id` as it was sent (`msg`), its buttons replaced by `line` (to whom it was
 * given, `reassignedLine`, or that it is closed, `closedLine`), and an S&OE action's "To do: …"
 * taken out (as a digest's item given away or closed shows it): nothing is left to do from there.
 */
export function withoutButtons(
  msg: { text: string; blocks: types.KnownBlock[] },
  a: Pick<ActionLike, 'id' | 'description'>,
  line: string,
): { text: string; blocks: types.KnownBlock[] } {
  const id = a.id;
  return {
    text: clipMrkdwn(retiredText(a, line), 3000),
    blocks: msg.blocks.map((b) =>
      b.type === 'actions' && b.block_id === `action_${id}`
        ? { type: 'context', elements: [mrkdwn(line)] }
        : withoutTask(b),
    ),
  };
}

/**
 * The line above a reopened action's buttons on its owner's earlier DMs: a later correction
 * raised its deviation again (the only way a closed action opens again), so the DMs that said
 * it was cancelled offer Done, Snooze and Reassign again, and say why.
 */
export const REOPENED_LINE =
  ':arrows_counterclockwise: Open again: a corrected import raised its deviation again.';

/** A DM about action `id` as it was sent (`msg`), with `line` above its buttons. */
export function withLineAboveButtons(
  msg: { text: string; blocks: types.KnownBlock[] },
  a: Pick<ActionLike, 'id' | 'description' | 'due_date'>,
  line: string,
): { text: string; blocks: types.KnownBlock[] } {
  const id = a.id;
  return {
    text: clipMrkdwn(`${line} Action #${id} ${esc(a.description)} is due ${a.due_date}.`, 3000),
    blocks: msg.blocks.flatMap((b): types.KnownBlock[] =>
      b.type === 'actions' && b.block_id === `action_${id}`
        ? [{ type: 'context', elements: [mrkdwn(line)] }, b]
        : [b],
    ),
  };
}

/** The answer to `/sop actions reassign`. */
export function reassignedText(a: ActionLike, h: Handover): string {
  const was = h.by === h.from ? 'yours' : `<@${h.from}>'s`;
  return `Action #${a.id} ${esc(a.description)} (due ${a.due_date}) is now <@${h.to}>'s; it was ${was}. They get a DM with it, and its reminders from now on.`;
}

/**
 * The answer to a Reassign form sent again (a double click, Slack's retry) once the first
 * sending gave the action (`h`): to whom it went, and how it stands now if it moved on since.
 */
export function reassignedAlreadyText(a: ActionLike, h: Handover): string {
  const since =
    a.status !== 'open'
      ? ` It is ${a.status} now.`
      : a.owner !== h.to
        ? ` It is <@${a.owner}>'s now.`
        : '';
  return `This form was sent already: action #${a.id} ${esc(a.description)} (due ${a.due_date}) went to <@${h.to}> then. Sending it again changed nothing.${since}`;
}

/**
 * The answer to a Reassign form sent again (a double click, Slack's retry) when its first
 * sending had given action `actionId` to nobody when this one came and nothing refuses it
 * (`repeatedReassignment`): it may have been under way still, or refused in its write (then
 * nobody got it), so this says neither, and where to see the owner.
 */
export function reassignNotGivenText(actionId: string): string {
  return `This form was sent already, so sending it again changed nothing. When it came, that first sending had not given action #${actionId} to anyone: it may still have been under way, or it was refused. \`/sop actions all\` shows who owns the action now.`;
}

/** A digest's item: an action and its due date against the digest's day (negative: overdue). */
export type DigestItemView = ActionLike & {
  readonly daysLeft: number;
  readonly done_by?: string | null;
  /** Given away from the digest's owner since: it shows to whom, without buttons. */
  readonly givenAway?: GivenAway | null;
};

/**
 * Most items a reminder digest shows: 2 blocks each (the action, its buttons), beside its head
 * and the count of the rest, within Slack's 50 blocks. The characters of blocks a message
 * keeps to (MESSAGE_BLOCKS_CHARS) usually bind first: some 15 items of short descriptions.
 */
export const DIGEST_SHOWN = Math.floor((MESSAGE_BLOCKS - 2) / 2);

/** Where a digest's actions past those it shows are, with their buttons. */
const DIGEST_REST = `${ACTION_BUTTON_NAMES} for them are in App Home (the Home tab of sopbot); \`/sop actions me\` lists them all`;

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/** How an item's due date stands on the digest's day: "due in 2 days", "3 days overdue". */
export function dueStanding(daysLeft: number): string {
  if (daysLeft > 0) return `due in ${days(daysLeft)}`;
  if (daysLeft === 0) return 'due today';
  return `${days(-daysLeft)} overdue`;
}

/** The reminder kind's emoji (as actionDm's headers): before, due, overdue. */
const standingEmoji = (daysLeft: number) =>
  daysLeft > 0 ? ':hourglass_flowing_sand:' : daysLeft === 0 ? ':alarm_clock:' : ':warning:';

/** What became of an item since the digest went out, or null while it still waits. */
function itemOutcome(a: DigestItemView, zone: string, now: Date): string | null {
  if (a.givenAway) return reassignedLine(a.givenAway, zone);
  if (a.status === 'done') return `:white_check_mark: ${doneText(a, zone)}`;
  if (a.status === 'cancelled') return ':no_entry_sign: cancelled';
  if (a.snoozed_until && a.snoozed_until.getTime() > now.getTime())
    return `:zzz: snoozed until ${slackDate(a.snoozed_until, zone)}`;
  return null;
}

/**
 * The owner's morning reminder: every action reminded that day, most urgent first, each with
 * its Done, Snooze and Reassign buttons, as many as one message holds (Slack's blocks and the
 * characters of blocks it takes; at most DIGEST_SHOWN); the rest are counted, and sent to App
 * Home, which has their buttons, and to `/sop actions me`.
 * Redrawn after a click from the actions as they stand at `now`: a done one is marked done and
 * loses its buttons, and so does one given to someone else since (to whom, instead). A digest of
 * one action is that action's reminder DM (actionDm).
 */
export function reminderDigestDm(
  items: readonly DigestItemView[],
  zone: string,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const only = items.length === 1 ? items[0] : undefined;
  if (only) {
    const kind: ReminderKind =
      only.daysLeft > 0 ? 'before' : only.daysLeft === 0 ? 'due' : 'overdue';
    const dm = actionDm(only, kind, only.daysLeft);
    if (only.givenAway) return withoutButtons(dm, only, reassignedLine(only.givenAway, zone));
    if (only.status === 'done') return actionDoneMessage(only, only.done_by ?? only.owner, zone);
    if (only.status === 'cancelled') return withoutButtons(dm, only, closedLine(only, zone));
    return dm;
  }
  const head = `:bell: ${items.length} follow-up actions need your attention today`;
  // Each item as it stands: a closed or given-away one says so, not when it was due.
  const text = `${head}: ${items.map((a) => `#${a.id} ${esc(a.description)} (${digestItemWords(a, zone, now)})`).join('; ')}`;
  const headBlock: types.KnownBlock = { type: 'section', text: mrkdwn(`*${head}*`) };
  const moreBlock = (n: number): types.KnownBlock => ({
    type: 'context',
    elements: [mrkdwn(andMore(n, n === 1 ? 'action' : 'actions', DIGEST_REST))],
  });
  // As many whole items as the message holds, most urgent first: each item's blocks as JSON
  // (without the array's brackets), joined by commas after the head's, the count of the rest
  // kept room for. Escaped descriptions can be five times as long as typed, so ten items of
  // 300 characters could pass the ~13k Slack takes, and the digest would never go out.
  const itemBlocks = items.map((a) => digestItem(a, zone, now));
  const json = (b: readonly types.KnownBlock[]) => JSON.stringify(b).slice(1, -1);
  const { hidden } = fitLines(
    itemBlocks.map(json),
    {
      chars: MESSAGE_BLOCKS_CHARS - JSON.stringify([headBlock]).length - 1,
      lines: DIGEST_SHOWN,
      separator: ',',
    },
    (n) => json([moreBlock(n)]),
  );
  return {
    text: clipMrkdwn(text, 3000),
    blocks: [
      headBlock,
      ...itemBlocks.slice(0, items.length - hidden).flat(),
      ...(hidden > 0 ? [moreBlock(hidden)] : []),
    ],
  };
}

/**
 * How a digest's item stands, in words, for the digest's notification: "due in 2 days" while it
 * waits; once done, cancelled, snoozed or given away, that (its emoji left to the blocks).
 */
function digestItemWords(a: DigestItemView, zone: string, now: Date): string {
  const outcome = itemOutcome(a, zone, now);
  if (outcome === null) return dueStanding(a.daysLeft);
  return outcome.replace(/^:[a-z0-9_+-]+: /, '').replace(/\.$/, '');
}

/** A digest's item: the action and how it stands, with its buttons while it is open and the owner's. */
function digestItem(a: DigestItemView, zone: string, now: Date): types.KnownBlock[] {
  const outcome = itemOutcome(a, zone, now);
  const waiting = a.status === 'open' && !a.givenAway;
  // What to do is said while it is still the reader's to do: not under one done, cancelled
  // or given to someone else since.
  const origin = actionOrigin(a);
  const task =
    origin === 'soe'
      ? `\nFrom the weekly S&OE check.${waiting ? ` ${DEVIATION_TASK}` : ''}`
      : origin === 'message'
        ? '\nMade from a Slack message.'
        : '';
  const body = `*#${a.id}* ${esc(clip(a.description, 300))}\n${outcome ?? `${standingEmoji(a.daysLeft)} ${dueStanding(a.daysLeft)}`} · due *${a.due_date}*${task}`;
  const section: types.KnownBlock = { type: 'section', text: mrkdwn(clip(body, 3000)) };
  return waiting ? [section, actionButtons(a)] : [section];
}

/**
 * The message after Done (replaces the buttons): when it was done against its due date, counted
 * in calendar days of the company's `zone` ("done 3 days early").
 */
export function actionDoneMessage(
  a: ActionLike,
  by: string,
  zone: string,
): { text: string; blocks: types.KnownBlock[] } {
  const text = `:white_check_mark: #${a.id} ${esc(a.description)}: ${doneText(a, zone)} (marked by <@${by}>). Reminders stopped.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(clip(text, 3000)) }] };
}

/**
 * The message after Done on an action that is closed already (replaces the buttons): done, as
 * actionDoneMessage says it, or cancelled (a corrected import resolved its deviation before the
 * click; its DMs may still show buttons while the job that redraws them waits on Slack).
 */
export function actionClosedMessage(
  a: ActionLike & { readonly done_by?: string | null },
  by: string,
  zone: string,
): { text: string; blocks: types.KnownBlock[] } {
  if (a.status !== 'cancelled') return actionDoneMessage(a, a.done_by ?? by, zone);
  const text = `:no_entry_sign: #${a.id} ${esc(a.description)}: cancelled as no longer needed. Reminders stopped.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(clip(text, 3000)) }] };
}

/** Where a list cut short sends the reader: the same command, narrower. */
const NARROW_ACTIONS =
  'narrow the list with `/sop actions me`, `/sop actions @user` or `/sop actions overdue`';

/**
 * `/sop actions`: a text message (no blocks), so Slack's limit on `text` applies, not a
 * section's 3000: every action that fits, whole, then "…and N more". A done one says when
 * against its due date, in days of the company's `zone`.
 */
export function actionsListText(
  rows: readonly (ActionLike & { cycle?: string })[],
  overdue: (a: ActionLike) => boolean,
  title: string,
  zone: string,
): string {
  if (rows.length === 0) return `${title}: none.`;
  const lines = rows.map(
    (a) =>
      `${overdue(a) ? ':warning: *overdue* ' : ''}#${a.id} <@${a.owner}> due ${a.due_date} · ${a.status === 'done' ? doneText(a, zone) : a.status}${a.cycle ? ` · ${esc(a.cycle)}` : ''}: ${esc(a.description)}`,
  );
  return fitText(`*${title}*`, lines, { chars: MESSAGE_TEXT_CHARS }, (n) =>
    andMore(n, n === 1 ? 'action' : 'actions', NARROW_ACTIONS),
  ).text;
}

/** Open actions the App Home shows with their buttons; the rest are counted. */
export const HOME_MAX_ACTIONS = 20;

/**
 * App Home rows: one section per open action with its Done/Snooze buttons (at most 20
 * actions). With the company's `today`, those due before it say they are overdue, as
 * `/sop actions` and the pack mark them.
 */
export function homeActionItems(
  rows: readonly ActionLike[],
  today?: string,
  /** When given, a snooze still running shows on its row, as in the digest. */
  at?: { readonly now: Date; readonly zone: string },
): types.KnownBlock[] {
  if (rows.length === 0) return [{ type: 'section', text: mrkdwn('No open follow-up actions.') }];
  const more = rows.length - HOME_MAX_ACTIONS;
  return [
    ...rows.slice(0, HOME_MAX_ACTIONS).flatMap((a) => [
      {
        type: 'section' as const,
        text: mrkdwn(
          clip(
            `${today !== undefined && isOverdue(a, today) ? ':warning: *overdue* ' : ''}*#${a.id}* ${esc(a.description)} · due ${a.due_date}${at && a.snoozed_until && a.snoozed_until.getTime() > at.now.getTime() ? ` · :zzz: snoozed until ${slackDate(a.snoozed_until, at.zone)}` : ''}`,
            3000,
          ),
        ),
      },
      actionButtons(a),
    ]),
    ...(more > 0
      ? [
          {
            type: 'context' as const,
            // `/sop actions` alone lists everyone's; `me`, the owner's own.
            elements: [mrkdwn(`…and ${more} more: \`/sop actions me\` lists them.`)],
          },
        ]
      : []),
  ];
}
