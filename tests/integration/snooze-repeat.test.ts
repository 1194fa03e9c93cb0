/**
 * A Snooze sent twice, by Slack's retry of the click (`x-slack-retry-num`) or by a double
 * click a moment later, is one snooze: one `action.snooze` entry in the audit log, one
 * reminder requested for its end, and both answers say the same end. The company is in UTC;
 * worked by hand: Tuesday 23 March 2027 10:00, Snooze 1 working day ends Wednesday 24 March
 * 10:00 (1805882400 s since the epoch: 2027-03-24 is day 20,901, times 86,400, plus 36,000).
 * The second click comes 400 ms after the first: its end would be 10:00:00.400 on the 24th,
 * the same snooze. A Snooze 1 week clicked after it is another snooze: Tuesday 30 March 10:00.
 * The real bot over HTTP against the Slack stand-in, real Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-18T10:00:00Z');
const h = useHarness({
  label: 'snooze-repeat',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let id: string;

beforeAll(async () => {
  ({ db, standin } = h);
  await updateSettings(db, { timezone: 'UTC' });
  [id] = (await decideMarchActions(h, clock, 'snooze-repeat', EXEC, [
    { owner: OPS, dueDate: '2027-04-30', description: 'Book weekend overtime' },
  ])) as [string];
}, 60_000);

/** The answers to OPS's snoozes of the action so far. */
const answers = () =>
  standin
    .ephemeralsFor(OPS)
    .map((e) => e.text)
    .filter((t) => t.startsWith(`Snoozed #${id} `));

/** Waits until OPS has `n` answers to snoozes; then what Postgres holds of the action's snoozes. */
async function settled(n: number) {
  await standin.waitFor(() => answers().length >= n || null, 20_000);
  const audited = await db
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'action.snooze')
    .where('entity_id', '=', id)
    .orderBy('id')
    .execute();
  const reminders = await db
    .selectFrom('job_outbox')
    .select('payload')
    .where('job_name', '=', 'action-reminder')
    .orderBy('id')
    .execute();
  const { snoozed_until } = await db
    .selectFrom('actions')
    .select('snoozed_until')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    until: snoozed_until?.toISOString(),
    audited: audited.map((a) => (a.details as { until: string }).until),
    reminders: reminders
      .map((r) => r.payload as { actionId: string; occurrence: string })
      .filter((p) => p.actionId === id && p.occurrence.startsWith('snooze-'))
      .map((p) => p.occurrence),
  };
}

const WEDNESDAY = '2027-03-24T10:00:00.000Z';
const answer = (iso: string, seconds: number) =>
  `Snoozed #${id} until <!date^${seconds}^{date_short_pretty} {time}|${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC>.`;

describe('a Snooze sent twice', () => {
  it("Slack's retry of the click and a double click snooze it once, audited once, one reminder", async () => {
    clock.set('2027-03-23T10:00:00Z');
    const dm = await standin.waitFor(
      () => standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes('Book weekend overtime')),
      20_000,
    );
    const click = await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_snooze_1d', { user: OPS });
    expect(await settled(1)).toEqual({
      until: WEDNESDAY,
      audited: [WEDNESDAY],
      reminders: [`snooze-${WEDNESDAY}`],
    });

    await h.driver.resend(click.request, { retryNum: 1, retryReason: 'http_timeout' });
    clock.set('2027-03-23T10:00:00.400Z');
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_snooze_1d', { user: OPS });
    expect(await settled(3)).toEqual({
      until: WEDNESDAY,
      audited: [WEDNESDAY],
      reminders: [`snooze-${WEDNESDAY}`],
    });
    expect(answers()).toEqual([
      answer(WEDNESDAY, 1805882400),
      answer(WEDNESDAY, 1805882400),
      answer(WEDNESDAY, 1805882400),
    ]);
  });

  it('a Snooze 1 week after it is a snooze of its own', async () => {
    const dm = standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes('Book weekend overtime'));
    clock.set('2027-03-23T10:00:01Z');
    await h.driver.clickButton(`D_${OPS}`, dm!.ts, 'action_snooze_1w', { user: OPS });
    const week = '2027-03-30T10:00:01.000Z';
    expect(await settled(4)).toEqual({
      until: week,
      audited: [WEDNESDAY, week],
      reminders: [`snooze-${WEDNESDAY}`, `snooze-${week}`],
    });
  });
});
