/**
 * Follow-up actions: listing, Done, Snooze, and their reminders. Reminders are delayed
 * `action-reminder` jobs (deterministic ids) computed from the injected clock, at
 * REMINDER_HOUR in the company's time zone (settings.timezone): 2 days before the due date,
 * on it, and on each working day when overdue (at most OVERDUE_CAP times), each on a working
 * day (reminderSchedule). A due date is a day of that zone, and so is "today". Each send is claimed in the slack_posts ledger, so it happens
 * once; Done and cancelled stop them (the processor checks the status), and Snooze moves them.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import {
  actionById,
  actionsWhere,
  completeOpenAction,
  lockAction,
  setActionSnooze,
} from '../../db/queries/actions.js';
import { withSessionLock, withSessionLockWithin } from '../../db/queries/adjustments.js';
import { audit, type ReassignedAway, reassignmentsFrom } from '../../db/queries/audit.js';
import {
  actionsSharingDigests,
  type DigestItem,
  digestItems,
  setDigestItems,
} from '../../db/queries/reminder-digests.js';
import type { ActionRow, SkippedHoliday } from '../../db/schema.js';
import { jobId } from '../../jobs/contracts.js';
import {
  addDays,
  addLocalDays,
  addLocalDaysToWorkingDay,
  atLocalHour,
  countWorkingDays,
  daysBetween,
  type Holidays,
  localDate,
  NO_HOLIDAYS,
  previousWorkingDay,
} from '../core/calendar.js';
import type { CycleDeps } from '../deps.js';
import { NotDueYetError, SopError } from '../errors.js';
import { readRowId } from '../row-id.js';
import { isLedgerMessage, ledgerEntry, ledgerKeyAt, sendEach } from '../slack/post-ledger.js';
import { holidayNames, holidaySet } from './holidays.js';
import { deliverJobs, enqueueDurably, requestJob } from './outbox.js';
import { dmOnce, type SlackMessage } from './reminders.js';
import { getSettings } from './settings.js';
import { refuseIfDeactivated, type SlackPerson } from './slack-person.js';

/** Local hour (in the company's zone) at which reminders are sent. */
export const REMINDER_HOUR = 9;
export const BEFORE_DAYS = 2;
export const OVERDUE_CAP = 3;

export type ReminderKind = 'before' | 'due' | 'overdue';

export interface ReminderSlot {
  readonly kind: ReminderKind;
  readonly occurrence: string;
  readonly at: Date;
}

/** The slots of an action's schedule in order: before, due, overdue-1 … overdue-OVERDUE_CAP. */
function slotOrder(kind: ReminderKind, occurrence: string): number {
  if (kind === 'before') return 0;
  if (kind === 'due') return 1;
  const m = /^overdue-(\d+)$/.exec(occurrence);
  return 1 + (m ? Number(m[1]) : 1);
}

/** REMINDER_HOUR, local time, on the first working day from `day` on (`day` itself if it is one). */
function workingDayAt(day: string, zone: string, holidays: Holidays): Date {
  return countWorkingDays(atLocalHour(day, REMINDER_HOUR, zone), 0, zone, {
    holidays,
    at: { hour: REMINDER_HOUR, minute: 0 },
  }).at;
}

/**
 * The `k`th overdue reminder: REMINDER_HOUR on the `k`th working day after the due date (the
 * first from the day after it on, then each next working day), so the chain keeps its three
 * reminders over a weekend rather than piling them on the Monday.
 */
function overdueAt(dueDate: string, k: number, zone: string, holidays: Holidays): Date {
  return countWorkingDays(atLocalHour(addDays(dueDate, 1), REMINDER_HOUR, zone), k - 1, zone, {
    holidays,
    at: { hour: REMINDER_HOUR, minute: 0 },
  }).at;
}

/**
 * When a reminder of `kind` (and `occurrence`) is due, in the company's `zone`: at
 * REMINDER_HOUR, on a working day (Monday to Friday less `holidays`). "before" is BEFORE_DAYS
 * calendar days before the due date, moved to the working day before when it falls on a weekend
 * or a holiday (a warning comes earlier, never later: an action due on Monday is warned on the
 * Friday, not on its due day); "due" is on the due date, moved to the next working day; overdue-k
 * on the k-th working day after the due date.
 * Snooze occurrences carry their instant (the owner chose it).
 */
export function reminderTime(
  dueDate: string,
  kind: ReminderKind,
  occurrence: string,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): Date {
  if (occurrence.startsWith('snooze-')) return new Date(occurrence.slice('snooze-'.length));
  if (kind === 'before')
    return previousWorkingDay(
      atLocalHour(addDays(dueDate, -BEFORE_DAYS + 1), REMINDER_HOUR, zone),
      zone,
      holidays,
    );
  if (kind === 'due') return workingDayAt(dueDate, zone, holidays);
  const m = /^overdue-(\d+)$/.exec(occurrence);
  return overdueAt(dueDate, m ? Number(m[1]) : 1, zone, holidays);
}

/**
 * Every scheduled reminder of an action due `dueDate`, in order, one a day: where two fall on
 * the same working day (a "due" on a Saturday moved to the Monday of the first overdue one), the later one is
 * that day's and the earlier is not in the schedule. Their occurrence is the local date of the
 * calendar day they stand for ("before", "due") or `overdue-k`, as their job ids always were.
 */
export function reminderSchedule(
  dueDate: string,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): ReminderSlot[] {
  const slots: [ReminderKind, string][] = [
    ['before', addDays(dueDate, -BEFORE_DAYS)],
    ['due', dueDate],
    ...Array.from({ length: OVERDUE_CAP }, (_, i): [ReminderKind, string] => [
      'overdue',
      `overdue-${i + 1}`,
    ]),
  ];
  const all = slots.map(([kind, occurrence]) => ({
    kind,
    occurrence,
    at: reminderTime(dueDate, kind, occurrence, zone, holidays),
  }));
  return all.filter(
    (s, i) =>
      !all.slice(i + 1).some((later) => localDate(later.at, zone) === localDate(s.at, zone)),
  );
}

/**
 * True when a later reminder of the schedule than `kind`/`occurrence` is due by `now`: this
 * one is stale (it comes late, a worker down for days catching up, or it shares its day with
 * a later one) and that later one, whose job exists (each is scheduled with the action, the
 * overdue ones by the one before), is the action's reminder. A late catch-up so sends one
 * reminder, the last one due, not each one missed.
 */
export function supersededAt(
  dueDate: string,
  kind: ReminderKind,
  occurrence: string,
  now: Date,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): boolean {
  const order = slotOrder(kind, occurrence);
  return reminderSchedule(dueDate, zone, holidays).some(
    (s) => slotOrder(s.kind, s.occurrence) > order && s.at.getTime() <= now.getTime(),
  );
}

/** The local dates (in `zone`) on which an action due `dueDate` is reminded. */
export function reminderDays(
  dueDate: string,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): Set<string> {
  return new Set(reminderSchedule(dueDate, zone, holidays).map((s) => localDate(s.at, zone)));
}

/**
 * The first reminders of an action created at `now` (reminderSchedule): "before" and "due"
 * when still ahead, and the first overdue one (which schedules the next, up to the cap).
 */
export function initialReminders(
  dueDate: string,
  now: Date,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): ReminderSlot[] {
  return reminderSchedule(dueDate, zone, holidays).filter(
    (s) => s.occurrence === 'overdue-1' || (s.kind !== 'overdue' && s.at.getTime() > now.getTime()),
  );
}

/**
 * The reminders of an action opened again at `now` (a cancelled S&OE action a later correction
 * raised again): the slots of its schedule still ahead, of the overdue ones the first only (it
 * schedules the next, up to the cap). Not initialReminders' first overdue one once it is past:
 * while the action was cancelled its overdue reminders came, sent nothing and scheduled no next
 * one, and their jobs' ids (kept a day) refuse the same job again, so asking for that past one
 * would end the chain there and the action would never be reminded again. Today's reminder
 * is not asked for again: the owner was told that day that it is open again.
 */
export function reopenedReminders(
  dueDate: string,
  now: Date,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): ReminderSlot[] {
  const ahead = reminderSchedule(dueDate, zone, holidays).filter(
    (s) => s.at.getTime() > now.getTime(),
  );
  const overdue = ahead.find((s) => s.kind === 'overdue');
  return ahead.filter((s) => s.kind !== 'overdue' || s === overdue);
}

/** The overdue reminder after `occurrence`, or null at the cap. */
export function nextOverdue(
  dueDate: string,
  occurrence: string,
  zone: string,
  holidays: Holidays = NO_HOLIDAYS,
): ReminderSlot | null {
  const m = /^overdue-(\d+)$/.exec(occurrence);
  const k = m ? Number(m[1]) : 0;
  if (k >= OVERDUE_CAP) return null;
  return {
    kind: 'overdue',
    occurrence: `overdue-${k + 1}`,
    at: overdueAt(dueDate, k + 1, zone, holidays),
  };
}

export async function enqueueReminder(
  deps: CycleDeps,
  actionId: string,
  slot: ReminderSlot,
): Promise<void> {
  await enqueueDurably(
    deps,
    'action-reminder',
    { actionId, kind: slot.kind, occurrence: slot.occurrence },
    { delayMs: Math.max(0, slot.at.getTime() - deps.clock.now().getTime()) },
  );
}

/**
 * Records the first reminders of `action` in `trx` (the job outbox, with the change that
 * creates the action), delayed from `now`. Returns the requests' ids, for the caller to hand
 * over once committed (`deliverJobs`); what it cannot hand over, the relay delivers.
 */
export async function requestActionReminders(
  trx: Db,
  action: Pick<ActionRow, 'id' | 'due_date'>,
  now: Date,
  zone: string,
  /** Opened again (reopenedReminders) rather than new (initialReminders). */
  opts: { readonly reopened?: boolean } = {},
): Promise<string[]> {
  const ids: string[] = [];
  const holidays = await holidaySet(trx);
  const slots = (opts.reopened ? reopenedReminders : initialReminders)(
    action.due_date,
    now,
    zone,
    holidays,
  );
  for (const slot of slots) {
    ids.push(
      await requestJob(
        trx,
        'action-reminder',
        { actionId: action.id, kind: slot.kind, occurrence: slot.occurrence },
        { delayMs: Math.max(0, slot.at.getTime() - now.getTime()) },
      ),
    );
  }
  return ids;
}

export async function scheduleActionReminders(deps: CycleDeps, action: ActionRow): Promise<void> {
  const { timezone } = await getSettings(deps.db);
  const holidays = await holidaySet(deps.db);
  for (const slot of initialReminders(action.due_date, deps.clock.now(), timezone, holidays)) {
    await enqueueReminder(deps, action.id, slot);
  }
}

/**
 * The delayed reminder jobs, as the worker holds them (BullMQ in jobs/reminders-rezone.ts). Each
 * answers false when job `id` is not waiting out a delay (none, or running, or done).
 */
export interface DelayedReminders {
  isDelayed(id: string): Promise<boolean>;
  /** Runs job `id` `delayMs` from now (0: at once). */
  move(id: string, delayMs: number): Promise<boolean>;
  remove(id: string): Promise<boolean>;
}

/** What moveRemindersToZone did to the reminders waiting. */
export interface RezonedReminders {
  /** Moved to their time in the zone, or run at once when that was earlier today. */
  readonly moved: number;
  /** Dropped: their time in the zone was on a day already gone (the next one replaces them). */
  readonly dropped: number;
}

/**
 * After the company's zone changed (SOPBOT_TIMEZONE and a restart): each open action's
 * scheduled reminders still waiting (before, due, overdue-k; a snooze's keeps the instant the
 * owner chose) move to REMINDER_HOUR of their working day in the zone now stored, so moving
 * east a "due" reminder comes at 09:00 on the due day rather than at 02:45 the next day as
 * "Overdue by 1 day". One whose time in the new zone has passed runs at once when that time
 * is today (the owner has not had it: its old time was still ahead), and is dropped when it
 * was an earlier day: the action's next reminder takes its place (an overdue one's successor
 * is scheduled first, so the chain goes on). Computed from the zone stored and the clock, not
 * from the change: run again (a retry, another worker), it moves nothing further.
 */
export async function moveRemindersToZone(
  deps: CycleDeps,
  jobs: DelayedReminders,
): Promise<RezonedReminders> {
  const { timezone } = await getSettings(deps.db);
  const holidays = await holidaySet(deps.db);
  const now = deps.clock.now();
  const today = localDate(now, timezone);
  let moved = 0;
  let dropped = 0;
  for (const action of await actionsWhere(deps.db, { open: true })) {
    const due = action.due_date;
    const slots: [ReminderKind, string][] = [
      ['before', addDays(due, -BEFORE_DAYS)],
      ['due', due],
      ...Array.from({ length: OVERDUE_CAP }, (_, i): [ReminderKind, string] => [
        'overdue',
        `overdue-${i + 1}`,
      ]),
    ];
    for (const [kind, occurrence] of slots) {
      const id = jobId('action-reminder', { actionId: action.id, kind, occurrence });
      if (!(await jobs.isDelayed(id))) continue;
      const at = reminderTime(due, kind, occurrence, timezone, holidays);
      if (at.getTime() > now.getTime() || localDate(at, timezone) === today) {
        if (await jobs.move(id, Math.max(0, at.getTime() - now.getTime()))) moved++;
        continue;
      }
      if (kind === 'overdue') {
        let next = nextOverdue(due, occurrence, timezone, holidays);
        while (next && next.at.getTime() <= now.getTime() && localDate(next.at, timezone) < today)
          next = nextOverdue(due, next.occurrence, timezone, holidays);
        if (next) await enqueueReminder(deps, action.id, next);
      }
      if (await jobs.remove(id)) dropped++;
    }
  }
  return { moved, dropped };
}

/** The items of the reminder digest posted as `channel`/`ts`, and its owner; null if it is none. */
async function digestPostedAs(
  db: Db,
  channel: string,
  ts: string,
): Promise<{ owner: string; items: DigestItem[] } | null> {
  const key = await ledgerKeyAt(db, 'reminder-digest:', channel, ts);
  // reminder-digest:<owner>:<day>
  const owner = key?.split(':')[1];
  return key && owner ? { owner, items: await digestItems(db, key) } : null;
}

/**
 * True when `channel`/`ts` is the bot's DM about action `id`: its assignment, a reminder, or a
 * morning's reminder digest that lists it.
 */
export async function isActionMessage(
  db: Db,
  id: string,
  channel: string,
  ts: string,
): Promise<boolean> {
  if (await isLedgerMessage(db, [`action:${id}:`, `reminder:${id}:`], channel, ts)) return true;
  const digest = await digestPostedAs(db, channel, ts);
  return digest?.items.some((it) => it.actionId === id) ?? false;
}

/**
 * An action in a reminder digest, with its due date against the digest's day, and to whom it
 * was given if it is no longer the digest owner's.
 */
export type DigestEntry = ActionRow & {
  readonly daysLeft: number;
  readonly givenAway?: Omit<ReassignedAway, 'actionId'> | null;
};

/**
 * The reminder digest posted as `channel`/`ts` with its actions as they stand now (a click, or
 * an action given to someone else, redraws it from them), or null when that message is no digest.
 */
export async function reminderDigestAt(
  db: Db,
  channel: string,
  ts: string,
): Promise<DigestEntry[] | null> {
  const digest = await digestPostedAs(db, channel, ts);
  if (!digest) return null;
  // One query for the digest's actions, then in the digest's order.
  const rows = await actionsWhere(db, { open: false, ids: digest.items.map((it) => it.actionId) });
  const byId = new Map(rows.map((a) => [a.id, a]));
  const away = new Map(
    (
      await reassignmentsFrom(
        db,
        digest.owner,
        rows.filter((a) => a.owner !== digest.owner).map((a) => a.id),
      )
    ).map((r) => [r.actionId, r]),
  );
  return digest.items.flatMap((it) => {
    const a = byId.get(it.actionId);
    return a ? [{ ...a, daysLeft: it.daysLeft, givenAway: away.get(a.id) ?? null }] : [];
  });
}

/** The advisory lock under which action `actionId`'s DMs are drawn and sent (drawingAction). */
export const drawLock = (actionId: string) => `action-draw:${actionId}`;

/**
 * Runs `draw` while no other redraw of action `actionId`'s DMs runs (a session advisory lock on
 * the action, taken in every worker and bot), for `draw` to read the action as it stands once
 * it holds the lock. Two jobs about one action (a cancelling and a reopening, a reopening and a
 * Done) then draw one after the other, each from what it reads under the lock; without it, the
 * one that read the older state could land its chat.update last, and a DM would show
 * "Open again" after "Done". Every change of an action's state asks for a redraw that comes
 * after its commit, so the last to take the lock draws the state the action ends in. A reminder
 * is sent under it too (sendReminder), from its status read again to its ts recorded, so a
 * redraw either comes first (the reminder reads the action closed and is not sent) or finds
 * it in the ledger. With several actions (a digest listing them), all their locks, taken
 * together (withSessionLockWithin): never one held while waiting for another.
 */
export function drawingAction<T>(
  db: Db,
  actionId: string | readonly string[],
  draw: () => Promise<T>,
): Promise<T> {
  return withSessionLock(
    db,
    typeof actionId === 'string' ? drawLock(actionId) : actionId.map(drawLock),
    draw,
  );
}

/**
 * drawingAction for a redraw that may draw a morning's digest listing action `actionId` (a
 * job's redraw of its owner's DMs, a click on a digest): under the locks of every action those
 * digests list (actionsSharingDigests), taken together, so two redraws of one digest about two
 * of its actions (a Done clicked on one while another's job draws it) land one after the
 * other, each from what it reads under them, and the one that read the older digest cannot
 * land last. The digests are read before the locks are taken and again once they are held: a
 * digest sent in between (sendInDigest, under the locks of what it lists) that lists others
 * too has the locks taken again with those. `{ got: false }` when another kept one of them
 * for `waitMs` (a click's bounded wait); `draw` not run.
 */
export async function drawingListedAction<T>(
  db: Db,
  actionId: string,
  draw: () => Promise<T>,
  waitMs = Infinity,
): Promise<{ readonly got: true; readonly value: T } | { readonly got: false }> {
  for (;;) {
    const ids = await actionsSharingDigests(db, actionId);
    const out = await withSessionLockWithin(
      db,
      ids.map(drawLock),
      async () => {
        const now = await actionsSharingDigests(db, actionId);
        if (now.some((id) => !ids.includes(id))) return { again: true } as const;
        return { again: false, value: await draw() } as const;
      },
      { waitMs },
    );
    if (!out.got) return out;
    if (!out.value.again) return { got: true, value: out.value.value };
  }
}

export async function getAction(db: Db, id: string): Promise<ActionRow | null> {
  if (readRowId(id) === null) return null;
  return actionById(db, id);
}

export type ActionFilter = 'open' | 'overdue' | 'all';

/** Today's date (YYYY-MM-DD) in the company's `zone`, from the clock. */
export function today(now: Date, zone: string): string {
  return localDate(now, zone);
}

/** Open and due before `day`, the company's local date of today (from `today()`). */
export { isOverdue } from '../core/action-timing.js';

export async function listActions(
  db: Db,
  opts: { owner?: string; filter: ActionFilter; today: string },
): Promise<(ActionRow & { cycle: string })[]> {
  return actionsWhere(db, {
    ...(opts.owner ? { owner: opts.owner } : {}),
    open: opts.filter !== 'all',
    ...(opts.filter === 'overdue' ? { dueBefore: opts.today } : {}),
  });
}

/** Who changes an action, beside their user id. */
export interface ActionChangeOptions {
  /**
   * The policy lets them change anyone's action (`action.manage-any`). Without it the change
   * is made only while the action is theirs, in the statement that makes it.
   */
  readonly manageAny?: boolean;
}

/**
 * The refusal of a change to action `id` by whoever owned it when it was read: it was given to
 * `owner` since (a reassignment in between); `next` says how to go on, if anything.
 */
export function givenMeanwhile(id: string, owner: string, next = ''): SopError {
  return new SopError(
    'conflict',
    `Action #${id} was given to <@${owner}> meanwhile; nothing was changed.${next}`,
  );
}

/**
 * The action `cur` (read again after its conditional write changed nothing) is open but no
 * longer `by`'s, who may not change anyone's: the refusal saying to whom it went; else null.
 */
function notTheirsNow(cur: ActionRow, by: string, opts: ActionChangeOptions): SopError | null {
  return cur.status === 'open' && cur.owner !== by && !opts.manageAny
    ? givenMeanwhile(cur.id, cur.owner)
    : null;
}

/**
 * Marks action `id` done by `by`: only while it is open and, unless `manageAny`, theirs (one
 * statement, so a reassignment committed after the clicker's owner was read is not
 * overwritten: `givenMeanwhile`). `changed` is false when it was closed already. With the change
 * it requests the `action-closed` job (the job outbox), which draws the owner's earlier DMs about
 * it again without their buttons; `shown` is the message the click drew done itself (its ts),
 * which the job leaves out. Handed to the queue once committed, if Redis answers; else the
 * relay delivers it.
 */
export async function markDone(
  deps: CycleDeps,
  id: string,
  by: string,
  opts: ActionChangeOptions & { readonly shown?: string | undefined } = {},
): Promise<{ action: ActionRow; changed: boolean; closing: string | null }> {
  const out = await deps.db.transaction().execute(async (trx) => {
    const row = await completeOpenAction(trx, id, {
      by,
      at: deps.clock.now(),
      ...(opts.manageAny ? {} : { owner: by }),
    });
    if (row) {
      const closing = await audit(trx, {
        actor: by,
        action: 'action.done',
        entity: 'action',
        entityId: id,
        details: {},
      });
      const job = await requestJob(trx, 'action-closed', {
        actionId: id,
        closing,
        ...(opts.shown ? { shown: opts.shown } : {}),
      });
      return { action: row, changed: true, job, closing };
    }
    const cur = await getAction(trx, id);
    if (!cur) throw new SopError('not_found', `No follow-up action with id ${id}.`);
    const refused = notTheirsNow(cur, by, opts);
    if (refused) throw refused;
    return { action: cur, changed: false, job: null, closing: null };
  });
  if (out.job) await deliverJobs(deps.db, deps.queue, { ids: [out.job] });
  return { action: out.action, changed: out.changed, closing: out.closing };
}

/**
 * The message a Done click closed action `actionId` from (`ts`, left out of the `action-closed`
 * job as `shown`), which the click could not draw itself: Slack refused, rate-limited or did not
 * answer its edit, and the bot does not wait. A job of its own (`redraw`) draws it, in the
 * worker, which waits out a 429's Retry-After and retries; it finds the owner's other DMs drawn
 * by the first job (or draws them, if it comes first), so each is edited once. `closing` is the
 * `action.done` entry markDone wrote. Recorded in the job outbox: Redis down, the relay hands it
 * over once it is back.
 */
export async function redrawClosedLater(
  deps: Pick<CycleDeps, 'db' | 'queue'>,
  actionId: string,
  closing: string,
  ts: string,
): Promise<void> {
  await enqueueDurably(deps, 'action-closed', { actionId, closing, redraw: ts });
}

/** Each snooze in calendar days of the company's zone (then moved to a working day). */
export const SNOOZES = { '1d': 1, '1w': 7 } as const;
export type Snooze = keyof typeof SNOOZES;

/** Where a snooze ends, and why there when it is later than its days say. */
export interface SnoozeEnd {
  readonly at: Date;
  /**
   * True when the day 1 or 7 days later was a weekend day or a company holiday, so the snooze
   * ends on the next working day after it.
   */
  readonly moved: boolean;
  /** The holidays on Monday to Friday it stepped over, with their names (as a deadline's). */
  readonly skipped: readonly SkippedHoliday[];
}

/**
 * The end of a snooze from `now`: the same wall-clock time 1 or 7 days later in the company's
 * `zone`, or the next working day (Monday to Friday less `holidays`) at that time when that day
 * is none, as the scheduled reminders come only on working days: a Friday's "Snooze 1 working
 * day" ends on Monday, so the owner is not chased on a day off. Not a fixed 24 or 168 hours:
 * across a DST change those end an hour off the local time, and on the autumn change a snooze
 * from the 09:00 reminder would end at 08:00, before the next day's 09:00 one, so the owner got
 * both.
 */
export function snoozeEnd(
  now: Date,
  snooze: Snooze,
  zone: string,
  holidays: ReadonlyMap<string, string | null> = new Map(),
): SnoozeEnd {
  const days = SNOOZES[snooze];
  const { at, skipped } = addLocalDaysToWorkingDay(now, days, zone, new Set(holidays.keys()));
  return {
    at,
    moved: localDate(at, zone) !== localDate(addLocalDays(now, days, zone), zone),
    skipped: skipped.map((day) => ({ day, name: holidays.get(day) ?? null })),
  };
}

/**
 * How close to a snooze's end another snooze ends when it is the same one sent again: Slack's
 * retry of the click (seconds later) or a double click. Snoozes the owner means as two (1 day,
 * then 1 week; or the next day's) end a day or more apart.
 */
const SAME_SNOOZE_MS = 60_000;

/**
 * Push the action's reminders to the snooze's end (`snoozeEnd`: 1 or 7 days later at the same
 * wall-clock time, on a working day), and schedule one reminder then. Only while it is open
 * and, unless `manageAny`, `by`'s, decided on its row locked (lockAction). The same snooze
 * sent again (its end within SAME_SNOOZE_MS of the one stored: Slack's retry, a double click)
 * changes nothing, is not audited again and asks no second reminder: its end is the one stored.
 */
export async function snoozeAction(
  deps: CycleDeps,
  id: string,
  by: string,
  snooze: Snooze,
  opts: ActionChangeOptions = {},
): Promise<{ readonly action: ActionRow; readonly end: SnoozeEnd }> {
  const now = deps.clock.now();
  const { timezone } = await getSettings(deps.db);
  const end = snoozeEnd(now, snooze, timezone, await holidayNames(deps.db));
  const until = end.at;
  // The snooze and its reminder are one change: the reminder is recorded in the same
  // transaction (the job outbox), so a crash or a Redis outage between them cannot lose it.
  const { row, job } = await deps.db.transaction().execute(async (trx) => {
    // Decided here, once, on the row locked: a Done or a reassignment committed meanwhile
    // waits for this one, and this one reads what came before it.
    const cur = await lockAction(trx, id);
    if (!cur) throw new SopError('not_found', `No follow-up action with id ${id}.`);
    if (cur.status !== 'open' || (cur.owner !== by && !opts.manageAny))
      throw (
        notTheirsNow(cur, by, opts) ??
        new SopError(
          'conflict',
          `This action is already ${cur.status}; there is nothing to snooze.`,
        )
      );
    const same =
      cur.snoozed_until !== null &&
      Math.abs(cur.snoozed_until.getTime() - until.getTime()) < SAME_SNOOZE_MS;
    if (same) return { row: cur, job: null };
    const r = await setActionSnooze(trx, id, until);
    await audit(trx, {
      actor: by,
      action: 'action.snooze',
      entity: 'action',
      entityId: id,
      details: { until: until.toISOString() },
    });
    const kind: ReminderKind = localDate(until, timezone) > r.due_date ? 'overdue' : 'due';
    const reminder = await requestJob(
      trx,
      'action-reminder',
      { actionId: id, kind, occurrence: `snooze-${until.toISOString()}` },
      { delayMs: Math.max(0, until.getTime() - now.getTime()) },
    );
    return { row: r, job: reminder };
  });
  // Handed over now if Redis answers; else the relay delivers it when it does.
  if (job) await deliverJobs(deps.db, deps.queue, { ids: [job] });
  return { action: row, end: job || !row.snoozed_until ? end : { ...end, at: row.snoozed_until } };
}

export type ReminderResult =
  | 'sent'
  | 'already_sent'
  | 'in_digest'
  | 'not_open'
  | 'snoozed'
  | 'reminded_by_snooze'
  | 'superseded'
  | 'reassigned'
  | 'missing';

/**
 * The action's snooze ends on `day` (a local date of the company's `zone`): that day its
 * snooze's reminder is its reminder, so the scheduled one of that morning (its 09:00 DM, its
 * line in the owner's digest) leaves it out. Snoozed at 08:30 for a day, it comes back at
 * 08:30 the next day, not again half an hour later. Read from `snoozed_until` alone, so a
 * retried job decides the same, whichever of the two jobs ran first.
 */
function snoozeEndsOn(a: Pick<ActionRow, 'snoozed_until'>, day: string, zone: string): boolean {
  return a.snoozed_until !== null && localDate(a.snoozed_until, zone) === day;
}

/** Builds a morning's digest DM from its actions, most urgent first (src/slack presenters). */
export type DigestMessage = (
  items: readonly DigestEntry[],
  zone: string,
  now: Date,
) => SlackMessage;

/**
 * Send one reminder, at most once, scheduling the next overdue one first; one that comes before
 * its time in the company's zone throws NotDueYetError (the worker delays its job). `message` builds the
 * DM (the presenter lives in src/slack). Its DM says how the due date stands the day it goes
 * out: `daysLeft` (due date minus the company's today; negative when overdue), as a snooze's
 * comes whenever the snooze ends, a scheduled one on a working day, and a late one later still.
 * A late one that a later reminder of the action due by now supersedes sends nothing
 * (`superseded`), so a catch-up sends one per action. One whose action was given to someone
 * else once it was read sends nothing (`reassigned`): the handover's DM is the new owner's.
 *
 * With `digest`, a scheduled reminder (not a snooze's) goes out in the owner's digest of its
 * day (sendInDigest): one DM listing every open action of theirs reminded that morning. A
 * snooze's reminder stays a DM of its own (ledger key reminder:<action>:<kind>:<occurrence>):
 * it comes at the minute the owner snoozed, not at REMINDER_HOUR, so it has no morning to
 * share, and the owner asked for that one action back.
 */
export async function sendReminder(
  deps: CycleDeps & { readonly slack: WebClient },
  p: { actionId: string; kind: ReminderKind; occurrence: string },
  message: (a: ActionRow, kind: ReminderKind, daysLeft: number | null) => SlackMessage,
  digest?: DigestMessage,
): Promise<ReminderResult> {
  const action = await getAction(deps.db, p.actionId);
  if (!action) return 'missing';
  if (action.status !== 'open') return 'not_open';
  const now = deps.clock.now();
  const { timezone } = await getSettings(deps.db);
  const holidays = await holidaySet(deps.db);
  const at = reminderTime(action.due_date, p.kind, p.occurrence, timezone, holidays);
  // Early: the company's zone moved later since it was scheduled (09:00 in Tokyo comes before
  // 09:00 in New York). The job comes back at its time (the worker delays it under its own
  // id) rather than ending here with nothing sent and, overdue, no next reminder.
  if (now.getTime() < at.getTime() - 60_000)
    throw new NotDueYetError(
      `reminder ${p.kind} ${p.occurrence} of action #${action.id} comes before its time (${at.toISOString()} in ${timezone}): delayed until then`,
      at.getTime() - now.getTime(),
    );
  const isSnoozeJob = p.occurrence.startsWith('snooze-');
  const scheduleNext = async () => {
    if (p.kind !== 'overdue' || isSnoozeJob) return;
    const next = nextOverdue(action.due_date, p.occurrence, timezone, holidays);
    if (next) await enqueueReminder(deps, action.id, next);
  };
  if (!isSnoozeJob && action.snoozed_until && action.snoozed_until.getTime() > now.getTime()) {
    await scheduleNext();
    return 'snoozed';
  }
  // The day it goes out is the company's today: the day it was scheduled for unless it comes
  // late (a worker down, catching up), and then how the due date stands is today's.
  const day = localDate(now, timezone);
  const scheduledDay = localDate(at, timezone);
  if (
    !isSnoozeJob &&
    (snoozeEndsOn(action, scheduledDay, timezone) || snoozeEndsOn(action, day, timezone))
  ) {
    await scheduleNext();
    return 'reminded_by_snooze';
  }
  // Late, with a later reminder of the action due by now: that one is the action's reminder
  // (scheduled first, below, when it is the next overdue one), so a catch-up sends one.
  if (
    !isSnoozeJob &&
    supersededAt(action.due_date, p.kind, p.occurrence, now, timezone, holidays)
  ) {
    await scheduleNext();
    return 'superseded';
  }
  // A snooze's reminder is the one of the action's current snooze only: one superseded by a
  // later snooze (or the other click of a double click) stays silent.
  if (isSnoozeJob && p.occurrence !== `snooze-${action.snoozed_until?.toISOString()}`)
    return 'snoozed';
  // The next overdue reminder is scheduled before this one is sent: Slack refusing this one
  // for good (an owner who left) fails the job, and the chain would end there, so the one the
  // action is given to next would never be reminded of it again. Its job id is deterministic
  // (a retry schedules nothing twice), and it checks the status when it comes.
  await scheduleNext();
  const key = `reminder:${action.id}:${p.kind}:${p.occurrence}`;
  // Slack takes a DM to a deactivated account without a word, and nobody would read it: a
  // reminder not sent yet asks users.info about the owner first and is refused as not sent
  // (`deactivated`), so the admins are told whose action to give to someone else
  // (src/services/undelivered.ts). The chain goes on (scheduled above) for the next owner.
  // One sent already (a retry), in the owner's digest of today or its day, asks nothing: its
  // own DM the helper finds in the ledger.
  const inDigest =
    digest &&
    !isSnoozeJob &&
    ((await digestLists(deps.db, action, day)) ||
      (day !== scheduledDay && (await digestLists(deps.db, action, scheduledDay))));
  if (!inDigest) await refuseIfDeactivated(deps.slack, deps.db, key, action.owner);
  if (digest && !isSnoozeJob && !(await ledgerEntry(deps.db, key))?.ts) {
    // Run again after a late day's digest listed it (a retry past midnight): sent already.
    if (day !== scheduledDay && (await digestLists(deps.db, action, scheduledDay)))
      return 'in_digest';
    const out = await sendInDigest(deps, action, day, timezone, holidays, digest);
    if (out !== 'alone') return out;
  }
  const daysLeft = daysBetween(day, action.due_date);
  // Done may be recorded while this reminder is under way: the status is read again once
  // the reminder's key is claimed, just before the DM goes out. All of it under the lock the
  // redraws of the action's DMs take (drawingAction), through the DM's ts recorded: a Done's
  // action-closed job either draws first, and the status then read is closed (nothing sent),
  // or after, and finds the reminder in the ledger and draws it without its buttons. Without
  // it, that job could draw between the read and the ts, and the reminder kept its buttons.
  // The owner is read again too: given to someone else since it was read above, and the
  // handover's job drew first, the old owner would get a reminder of what is no longer theirs,
  // with live buttons, after that job took theirs away. Nothing is sent then (`reassigned`):
  // the new owner has the handover's DM, with its buttons, and the next reminders (their jobs
  // carry the action's id only) go to them.
  let changed: 'not_open' | 'reassigned' | null = null;
  const ts = await drawingAction(deps.db, action.id, () =>
    dmOnce(deps.slack, deps.db, key, action.owner, message(action, p.kind, daysLeft), {
      stillWanted: async () => {
        const cur = await getAction(deps.db, action.id);
        changed =
          cur?.status !== 'open' ? 'not_open' : cur.owner !== action.owner ? 'reassigned' : null;
        return changed === null;
      },
    }),
  );
  if (changed) return changed;
  return ts ? 'sent' : 'already_sent';
}

/** True when the owner's digest of `day` went out and lists `action`. */
async function digestLists(db: Db, action: ActionRow, day: string): Promise<boolean> {
  const key = `reminder-digest:${action.owner}:${day}`;
  if (!(await ledgerEntry(db, key))?.ts) return false;
  return (await digestItems(db, key)).some((it) => it.actionId === action.id);
}

/**
 * The open, not snoozed actions of `owner` whose scheduled reminder falls on `day`
 * (reminderDays: working days), and `including` (the action whose reminder sends it, which
 * may come late, on a day not its own), most urgent first: by due date, then id. One whose
 * snooze ends on `day` is left out: its snooze's reminder is that day's (snoozeEndsOn).
 */
async function digestCandidates(
  db: Db,
  owner: string,
  day: string,
  now: Date,
  zone: string,
  holidays: Holidays,
  including: string,
): Promise<DigestEntry[]> {
  const open = await actionsWhere(db, { owner, open: true });
  return open
    .map((a) => ({ ...a, daysLeft: daysBetween(day, a.due_date) }))
    .filter(
      (a) =>
        (a.id === including || reminderDays(a.due_date, zone, holidays).has(day)) &&
        !(a.snoozed_until && a.snoozed_until.getTime() > now.getTime()) &&
        !snoozeEndsOn(a, day, zone),
    );
}

const sameItems = (a: readonly DigestItem[], b: readonly DigestItem[]) =>
  a.length === b.length &&
  a.every((x, i) => x.actionId === b[i]?.actionId && x.daysLeft === b[i]?.daysLeft);

/**
 * The reminder of `action` on `day` as part of its owner's digest of that day, sent once
 * under `reminder-digest:<owner>:<day>` (dmOnce). The digest's actions are recorded (in the
 * same transaction that reads them again, once its key is claimed and just before it goes out),
 * so each other job of that morning finds its action there: `in_digest`, nothing sent. An
 * action the sent digest does not list (created after it went out) is `alone`: the caller
 * sends its reminder on its own. A change between building the DM and claiming its key (Done,
 * Snooze, a new action) withdraws it and builds it again; `action` given to someone else
 * meanwhile is `reassigned`, nothing sent for it.
 */
async function sendInDigest(
  deps: CycleDeps & { readonly slack: WebClient },
  action: ActionRow,
  day: string,
  zone: string,
  holidays: Holidays,
  digest: DigestMessage,
): Promise<'sent' | 'in_digest' | 'alone' | 'not_open' | 'reassigned'> {
  const key = `reminder-digest:${action.owner}:${day}`;
  const toItems = (rows: readonly DigestEntry[]): DigestItem[] =>
    rows.map((r) => ({ actionId: r.id, daysLeft: r.daysLeft }));
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await ledgerEntry(deps.db, key))?.ts) {
      const held = await digestItems(deps.db, key);
      return held.some((it) => it.actionId === action.id) ? 'in_digest' : 'alone';
    }
    const now = deps.clock.now();
    const rows = await digestCandidates(deps.db, action.owner, day, now, zone, holidays, action.id);
    if (!rows.some((r) => r.id === action.id)) {
      // Given to someone else since it was read: not in this owner's digest (sendReminder).
      const cur = await getAction(deps.db, action.id);
      return cur?.status === 'open' && cur.owner !== action.owner ? 'reassigned' : 'not_open';
    }
    const items = toItems(rows);
    // Under the locks of every action it lists (drawingAction), from its actions read again
    // through its ts recorded: a Done on one of them whose action-closed job draws first
    // leaves it out of the items read again (the digest is withdrawn and built again); one
    // whose job draws after finds the digest in the ledger and draws it with that action done.
    // An action not locked that joins meanwhile changes the items too: built again.
    const ts = await drawingAction(
      deps.db,
      rows.map((r) => r.id),
      () =>
        dmOnce(deps.slack, deps.db, key, action.owner, digest(rows, zone, now), {
          stillWanted: () =>
            deps.db.transaction().execute(async (trx) => {
              const again = toItems(
                await digestCandidates(trx, action.owner, day, now, zone, holidays, action.id),
              );
              if (!sameItems(again, items)) return false;
              await setDigestItems(trx, key, items);
              return true;
            }),
        }),
    );
    if (ts) return 'sent';
    // Withdrawn (something changed): build it again. Or posted by another job: read its items.
  }
  throw new Error(`The reminder digest ${key} kept changing while it was being sent.`);
}

/**
 * DM each new action's owner once, with Done and Snooze buttons (a decision's actions, an S&OE
 * deviation's). An owner Slack refuses for good does not stop the others: they are told, then
 * an UndeliveredError names the refused ones (sendEach). Slack takes a DM to a deactivated
 * account without a word: one not sent yet asks users.info first and is withheld as
 * `deactivated` (refuseIfDeactivated), so the admins are told whose action to give to someone
 * else; one the ledger holds (a retry) asks nothing. `asked`: the decision job's answers,
 * shared with its break owners' DMs (once per person in the job); without it (a deviation's
 * action, one job of a burst), a live owner is remembered an hour, as for reminders.
 */
export async function notifyOwners(
  slack: WebClient,
  db: Db,
  actions: readonly ActionRow[],
  message: (a: ActionRow) => SlackMessage,
  asked?: Map<string, SlackPerson>,
): Promise<number> {
  let sent = 0;
  await sendEach(
    actions,
    (a) => a.owner,
    async (a) => {
      const key = `action:${a.id}:assigned`;
      await refuseIfDeactivated(slack, db, key, a.owner, asked);
      if (await dmOnce(slack, db, key, a.owner, message(a))) sent++;
    },
  );
  return sent;
}
