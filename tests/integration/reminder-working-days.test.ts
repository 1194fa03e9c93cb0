/**
 * Follow-up reminders on the company's working days, and a late one's heading. The company is
 * in Europe/Berlin (CET, UTC+1, until Sunday 28 March 2027; CEST, UTC+2, after) and lists Good
 * Friday (26 March) and Easter Monday (29 March) as holidays. Decided on Fri 12 March 2027:
 * - ANA's action due Fri 19 March: its first overdue reminder would fall on Saturday the 20th;
 *   it goes out on Monday the 22nd at 09:00 CET (08:00Z), saying "Overdue by 3 days", and the
 *   next is on Tuesday the 23rd.
 * - BEN's action due Thu 25 March: its first overdue reminder would fall on Good Friday; past
 *   the weekend and Easter Monday it goes out on Tuesday the 30th at 09:00 CEST (07:00Z).
 * - CAT's action due Wed 17 March, its reminders never run until Tue 6 April (a worker down for
 *   20 days): the catch-up sends one DM, "Overdue by 20 days", not one per reminder missed.
 * Every instant is worked by hand from the calendar. The real worker runtime over real Redis
 * (its own prefix) and Postgres, the Slack stand-in, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { addHoliday } from '../../src/services/holidays.js';
import { updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ANA = 'U_ANA';
const BEN = 'U_BEN';
const CAT = 'U_CAT';
const DECIDED = '2027-03-12T10:00:00Z';

const clock = testClock(DECIDED);
const h = useHarness({
  label: 'reminder-working-days',
  members: { [EXEC]: 'exec', [ANA]: 'ops', [BEN]: 'ops', [CAT]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let ana: string;
let ben: string;
let cat: string;

type Kind = 'before' | 'due' | 'overdue';
const payload = (actionId: string, kind: Kind, occurrence: string) => ({
  actionId,
  kind,
  occurrence,
});
const idOf = (actionId: string, kind: Kind, occurrence: string) =>
  jobId('action-reminder', parsePayload('action-reminder', payload(actionId, kind, occurrence)));
const queue = () => h.queues.queue('notifications');

/** When the job is to run: the decision's instant (the test clock then) plus its delay. */
async function runsAt(actionId: string, kind: Kind, occurrence: string): Promise<string> {
  const job = await queue().getJob(idOf(actionId, kind, occurrence));
  if (!job) throw new Error(`no job ${idOf(actionId, kind, occurrence)}`);
  return new Date(Date.parse(DECIDED) + (job.opts.delay ?? 0)).toISOString();
}

/** The job comes due (promoted, as its delay ending would) and its result once it has run. */
const comeDue = (actionId: string, kind: Kind, occurrence: string) =>
  h.comeDue('action-reminder', payload(actionId, kind, occurrence), 'notifications');

/** The reminders in `user`'s DM (not the assignment, ':memo: You own…'). */
const reminders = (user: string) =>
  standin
    .messagesIn(`D_${user}`)
    .filter((m) => !m.text.startsWith(':memo:'))
    .map((m) => m.text);

beforeAll(async () => {
  ({ db, standin } = h);
  await updateSettings(db, { timezone: 'Europe/Berlin' });
  await addHoliday({ db, clock }, EXEC, '2027-03-26', 'Good Friday');
  await addHoliday({ db, clock }, EXEC, '2027-03-29', 'Easter Monday');
  [ana, ben, cat] = (await decideMarchActions(h, clock, 'working-days', EXEC, [
    { owner: ANA, description: 'Book weekend overtime', dueDate: '2027-03-19' },
    { owner: BEN, description: 'Order resin for April', dueDate: '2027-03-25' },
    { owner: CAT, description: 'Count the safety stock', dueDate: '2027-03-17' },
  ])) as [string, string, string];
}, 60_000);

describe('a reminder that would fall on a Saturday', () => {
  it('is scheduled for Monday 09:00 in Berlin, and its DM says how overdue the action is then', async () => {
    // Before: Wed 17 09:00 CET; due: Fri 19 09:00 CET; overdue-1: Sat 20 → Mon 22 09:00 CET.
    expect(await runsAt(ana, 'before', '2027-03-17')).toBe('2027-03-17T08:00:00.000Z');
    expect(await runsAt(ana, 'due', '2027-03-19')).toBe('2027-03-19T08:00:00.000Z');
    expect(await runsAt(ana, 'overdue', 'overdue-1')).toBe('2027-03-22T08:00:00.000Z');

    clock.set('2027-03-22T08:00:00Z');
    expect(await comeDue(ana, 'overdue', 'overdue-1')).toEqual({ result: 'sent' });
    // 19 → 22 March: 3 calendar days.
    expect(reminders(ANA)).toEqual([
      `:warning: Overdue by 3 days: #${ana} Book weekend overtime (due 2027-03-19)`,
    ]);
    // The next: Tuesday 23 at 09:00 CET, from the clock of Monday 09:00 (a day of 24 hours).
    const next = await queue().getJob(idOf(ana, 'overdue', 'overdue-2'));
    expect(next?.opts.delay).toBe(24 * 3_600_000);
  });
});

describe('a reminder that would fall on Good Friday, before Easter Monday and the DST change', () => {
  it('is scheduled for Tuesday 30 March at 09:00 CEST (07:00Z), the next on Wednesday', async () => {
    expect(await runsAt(ben, 'before', '2027-03-23')).toBe('2027-03-23T08:00:00.000Z');
    expect(await runsAt(ben, 'due', '2027-03-25')).toBe('2027-03-25T08:00:00.000Z');
    expect(await runsAt(ben, 'overdue', 'overdue-1')).toBe('2027-03-30T07:00:00.000Z');

    clock.set('2027-03-30T07:00:00Z');
    expect(await comeDue(ben, 'overdue', 'overdue-1')).toEqual({ result: 'sent' });
    expect(reminders(BEN)).toEqual([
      `:warning: Overdue by 5 days: #${ben} Order resin for April (due 2027-03-25)`,
    ]);
    // Wed 31 March 09:00 CEST, 24 hours on.
    const next = await queue().getJob(idOf(ben, 'overdue', 'overdue-2'));
    expect(next?.opts.delay).toBe(24 * 3_600_000);
  });
});

describe('a catch-up after 20 days without a worker', () => {
  it('sends one DM, overdue by 20 days; the stale reminders and the chain send nothing more', async () => {
    // Due Wed 17 March; its before (Mon 15), due (Wed 17) and overdue-1 (Thu 18) jobs wait.
    // Tue 6 April 09:00 CEST: 20 days after the due date.
    clock.set('2027-04-06T07:00:00Z');
    expect(await comeDue(cat, 'before', '2027-03-15')).toEqual({ result: 'superseded' });
    expect(await comeDue(cat, 'due', '2027-03-17')).toEqual({ result: 'superseded' });
    // overdue-1 schedules overdue-2 (Fri 19), which schedules overdue-3 (Mon 22), the last:
    // each one's time has passed, so they run at once, and only the last is sent.
    expect(await comeDue(cat, 'overdue', 'overdue-1')).toEqual({ result: 'superseded' });
    expect(await h.finished('notifications', idOf(cat, 'overdue', 'overdue-2'))).toEqual({
      result: 'superseded',
    });
    expect(await h.finished('notifications', idOf(cat, 'overdue', 'overdue-3'))).toEqual({
      result: 'sent',
    });
    expect(reminders(CAT)).toEqual([
      `:warning: Overdue by 20 days: #${cat} Count the safety stock (due 2027-03-17)`,
    ]);
    // Run again (a redelivery), the sent one and a stale one: nothing more.
    expect(
      await h.runAgain('action-reminder', payload(cat, 'overdue', 'overdue-3'), 'notifications'),
    ).toEqual({ result: 'in_digest' });
    expect(
      await h.runAgain('action-reminder', payload(cat, 'due', '2027-03-17'), 'notifications'),
    ).toEqual({ result: 'superseded' });
    expect(reminders(CAT)).toHaveLength(1);
    // The chain ended at its cap: no fourth.
    expect(await queue().getJob(idOf(cat, 'overdue', 'overdue-4'))).toBeUndefined();
  });
});
