/**
 * One reminder of an action a day, a snooze's included. The company is in Europe/Berlin (CET,
 * UTC+1, until daylight time on 2027-03-28), so 09:00 there is 08:00 UTC. OPS owns three
 * actions: A and C due 2027-03-17 (overdue from the 18th), B due 2027-03-19.
 *
 * - C: Snooze 1 day at 00:30 Berlin on the 18th (2027-03-17T23:30Z), back at 00:30 Berlin on
 *   the 19th (2027-03-18T23:30Z: still the 18th in UTC, the 19th in Berlin).
 * - A: Snooze 1 day at 08:30 Berlin on the 18th (07:30Z), back at 08:30 Berlin on the 19th
 *   (2027-03-19T07:30Z).
 * - The 18th, 09:00 Berlin: both are snoozed; their first overdue reminders send nothing and
 *   schedule the second.
 * - The 19th, 09:00 Berlin (08:00Z): A and C were each reminded that morning by their snooze's
 *   reminder, so the morning's reminder is B's alone, and A's and C's second overdue reminders
 *   send nothing but schedule the third. Before, that digest listed all three: A's and C's
 *   second DM of the morning, A's half an hour after its snooze's.
 * - Saturday the 20th is no working day: on Monday the 22nd, 09:00 Berlin, the morning's digest
 *   again lists all three: A and C 5 days overdue (their third overdue reminders, on the third
 *   working day after the due date), B 3 days overdue (its first).
 *
 * The real bot and worker over HTTP against the Slack stand-in, real Postgres and Redis, a
 * test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'reminder-snooze-morning',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let a: string;
let b: string;
let c: string;

type Kind = 'due' | 'overdue';
const payload = (actionId: string, kind: Kind, occurrence: string) => ({
  actionId,
  kind,
  occurrence,
});
const comeDue = (actionId: string, kind: Kind, occurrence: string) =>
  h.comeDue('action-reminder', payload(actionId, kind, occurrence), 'notifications');
const runAgain = (actionId: string, kind: Kind, occurrence: string) =>
  h.runAgain('action-reminder', payload(actionId, kind, occurrence), 'notifications');
const scheduled = (actionId: string, occurrence: string) =>
  h.queues
    .queue('notifications')
    .getJob(
      jobId(
        'action-reminder',
        parsePayload('action-reminder', payload(actionId, 'overdue', occurrence)),
      ),
    );
/** OPS's reminders: every DM but the assignments (':memo: You own…'). */
const reminders = () =>
  standin
    .messagesIn(`D_${OPS}`)
    .filter((m) => !m.text.startsWith(':memo:'))
    .map((m) => m.text);

/** Snooze 1 day on action `id`'s assignment DM, and wait until the snooze is recorded. */
async function snoozeDay(id: string, description: string, until: string) {
  const dm = await pollUntil(
    () => Promise.resolve(standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes(description))),
    (m) => m !== undefined,
  );
  await h.driver.clickButton(`D_${OPS}`, dm!.ts, 'action_snooze_1d', { user: OPS });
  await pollUntil(
    () =>
      db
        .selectFrom('actions')
        .select('snoozed_until')
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    (r) => r.snoozed_until?.toISOString() === until,
  );
}

beforeAll(async () => {
  ({ db, standin } = h);
  await updateSettings(db, { timezone: 'Europe/Berlin' });
  [a, b, c] = (await decideMarchActions(h, clock, 'snooze-morning', EXEC, [
    { owner: OPS, description: 'Book weekend overtime', dueDate: '2027-03-17' },
    { owner: OPS, description: 'Count the safety stock', dueDate: '2027-03-19' },
    { owner: OPS, description: 'Call the resin supplier', dueDate: '2027-03-17' },
  ])) as [string, string, string];
}, 60_000);

describe('a snooze that ends before 09:00 (Europe/Berlin)', () => {
  it('snoozed on the 18th at 00:30 and 08:30 Berlin: that 09:00 sends nothing and schedules the next overdue reminders', async () => {
    clock.set('2027-03-17T23:30:00Z'); // 00:30 on the 18th in Berlin
    await snoozeDay(c, 'Call the resin supplier', '2027-03-18T23:30:00.000Z');
    clock.set('2027-03-18T07:30:00Z'); // 08:30 in Berlin
    await snoozeDay(a, 'Book weekend overtime', '2027-03-19T07:30:00.000Z');

    clock.set('2027-03-18T08:00:00Z'); // 09:00 in Berlin
    expect(await comeDue(a, 'overdue', 'overdue-1')).toEqual({ result: 'snoozed' });
    expect(await comeDue(c, 'overdue', 'overdue-1')).toEqual({ result: 'snoozed' });
    expect(reminders()).toEqual([]);
    expect(await scheduled(a, 'overdue-2')).toBeTruthy();
    expect(await scheduled(c, 'overdue-2')).toBeTruthy();
  });

  it("the 19th: each snoozed action is reminded once, by its snooze; the 09:00 reminder is B's alone, and a retry sends nothing", async () => {
    // C's snooze ends at 00:30 Berlin (23:30 UTC on the 18th), A's at 08:30 Berlin.
    clock.set('2027-03-18T23:30:00Z');
    expect(await comeDue(c, 'overdue', 'snooze-2027-03-18T23:30:00.000Z')).toEqual({
      result: 'sent',
    });
    clock.set('2027-03-19T07:30:00Z');
    expect(await comeDue(a, 'overdue', 'snooze-2027-03-19T07:30:00.000Z')).toEqual({
      result: 'sent',
    });
    expect(reminders()).toEqual([
      `:warning: Overdue by 2 days: #${c} Call the resin supplier (due 2027-03-17)`,
      `:warning: Overdue by 2 days: #${a} Book weekend overtime (due 2027-03-17)`,
    ]);

    // 09:00 Berlin: B is due today. Its reminder is the morning's; A and C are not in it.
    clock.set('2027-03-19T08:00:00Z');
    expect(await comeDue(b, 'due', '2027-03-19')).toEqual({ result: 'sent' });
    expect(await comeDue(a, 'overdue', 'overdue-2')).toEqual({ result: 'reminded_by_snooze' });
    expect(await comeDue(c, 'overdue', 'overdue-2')).toEqual({ result: 'reminded_by_snooze' });
    // Delivered again (a job retry): the same, nothing sent.
    expect(await runAgain(a, 'overdue', 'overdue-2')).toEqual({ result: 'reminded_by_snooze' });
    expect(await runAgain(b, 'due', '2027-03-19')).toEqual({ result: 'in_digest' });
    // Before: B's DM was a digest of the three ("3 follow-up actions need your attention
    // today"), A's and C's second DM of the morning.
    expect(reminders().slice(2)).toEqual([
      `:alarm_clock: Due today: #${b} Count the safety stock (due 2027-03-19)`,
    ]);
    // The overdue chain goes on: each skipped reminder scheduled the next.
    expect(await scheduled(a, 'overdue-3')).toBeTruthy();
    expect(await scheduled(c, 'overdue-3')).toBeTruthy();
  });

  it('Monday the 22nd, 09:00 Berlin (not Saturday the 20th): the third overdue reminders of A and C go out, in one digest with B', async () => {
    clock.set('2027-03-22T08:00:00Z');
    expect(await comeDue(a, 'overdue', 'overdue-3')).toEqual({ result: 'sent' });
    expect(await comeDue(c, 'overdue', 'overdue-3')).toEqual({ result: 'in_digest' });
    expect(await comeDue(b, 'overdue', 'overdue-1')).toEqual({ result: 'in_digest' });
    expect(reminders().slice(3)).toEqual([
      // Due the 17th: 5 days overdue on the 22nd; B, due the 19th, 3 days. Most overdue first.
      `:bell: 3 follow-up actions need your attention today: #${a} Book weekend overtime (5 days overdue); #${c} Call the resin supplier (5 days overdue); #${b} Count the safety stock (3 days overdue)`,
    ]);
  });
});
