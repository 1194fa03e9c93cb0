/**
 * A snooze ends on a working day, as the scheduled reminders come only on one: the day 1 or 7
 * days later at the same time, or else the next working day after it at that time (weekends and
 * the company's holidays skipped), and the answer to the click says so. The company is in UTC.
 * Worked by hand from the calendar: 2027-03-19 is a Friday, 2027-03-25 a Thursday; the company
 * lists Fri 2027-03-26 (no name), Thu 2027-04-01 "Maundy Thursday" and Fri 2027-04-02 "Good
 * Friday".
 *
 * - Friday 19 March 10:00, Snooze 1 working day: Saturday the 20th is none, Sunday neither, so
 *   Monday 22 March 10:00. Before: Saturday 20 March 10:00, the owner chased on a day off.
 * - Thursday 25 March 10:00, Snooze 1 working day: Friday the 26th is a holiday, then the
 *   weekend: Monday 29 March 10:00.
 * - Thursday 25 March 10:00, Snooze 1 week: Thursday 1 April and Friday 2 April are holidays,
 *   then the weekend: Monday 5 April 10:00.
 * - Tuesday 23 March 10:00, Snooze 1 working day: Wednesday the 24th, 10:00, nothing to explain.
 *
 * The real bot over HTTP against the Slack stand-in, real Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { addHoliday } from '../../src/services/holidays.js';
import { updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-18T10:00:00Z');
const h = useHarness({
  label: 'snooze-working-day',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
const ids: string[] = [];

/** Slack's date of `iso`, as the answers write it (fallback: the date and time in UTC). */
const slackDate = (iso: string) =>
  `<!date^${Date.parse(iso) / 1000}^{date_short_pretty} {time}|${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC>`;

beforeAll(async () => {
  ({ db, standin } = h);
  await updateSettings(db, { timezone: 'UTC' });
  ids.push(
    ...(await decideMarchActions(h, clock, 'snooze-working-day', EXEC, [
      { owner: OPS, dueDate: '2027-04-30', description: 'Book weekend overtime' },
      { owner: OPS, dueDate: '2027-04-30', description: 'Order resin' },
      { owner: OPS, dueDate: '2027-04-30', description: 'Count the safety stock' },
      { owner: OPS, dueDate: '2027-04-30', description: 'Call the carrier' },
    ])),
  );
  const deps = { db, clock };
  await addHoliday(deps, 'U_PLAN', '2027-03-26', '');
  await addHoliday(deps, 'U_PLAN', '2027-04-01', 'Maundy Thursday');
  await addHoliday(deps, 'U_PLAN', '2027-04-02', 'Good Friday');
}, 60_000);

/** Clicks `button` on the DM about `what` at `at`; the answer, once the snooze is recorded. */
async function snooze(what: string, id: string, button: string, at: string, until: string) {
  clock.set(at);
  const dm = await standin.waitFor(
    () => standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes(what)),
    20_000,
  );
  await h.driver.clickButton(`D_${OPS}`, dm.ts, button, { user: OPS });
  const row = await pollUntil(
    () =>
      db
        .selectFrom('actions')
        .select('snoozed_until')
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    (r) => r.snoozed_until !== null && r.snoozed_until.getTime() > Date.parse(at),
  );
  expect(row.snoozed_until?.toISOString()).toBe(until);
  const answer = await standin.waitFor(
    () => standin.ephemeralsFor(OPS).find((e) => e.text.startsWith(`Snoozed #${id} `)),
    20_000,
  );
  return answer.text;
}

/** The occurrences of the snooze reminders requested for action `id`. */
async function snoozeReminders(id: string): Promise<string[]> {
  const rows = await db
    .selectFrom('job_outbox')
    .select('payload')
    .where('job_name', '=', 'action-reminder')
    .execute();
  return rows
    .map((r) => r.payload as { actionId: string; occurrence: string })
    .filter((p) => p.actionId === id && p.occurrence.startsWith('snooze-'))
    .map((p) => p.occurrence);
}

describe('a snooze ends on a working day', () => {
  it("a Friday's Snooze 1 working day ends on Monday, and says so", async () => {
    const [id] = ids as [string];
    const text = await snooze(
      'Book weekend overtime',
      id,
      'action_snooze_1d',
      '2027-03-19T10:00:00Z',
      '2027-03-22T10:00:00.000Z',
    );
    expect(text).toBe(
      `Snoozed #${id} until ${slackDate('2027-03-22T10:00:00Z')}: Mon 22 Mar is the next working day.`,
    );
    // Its reminder comes at the snooze's end, on the Monday.
    expect(await snoozeReminders(id)).toEqual(['snooze-2027-03-22T10:00:00.000Z']);
  });

  it('a snooze over a holiday and a weekend names the holiday it does not count', async () => {
    const [, id] = ids as [string, string];
    const text = await snooze(
      'Order resin',
      id,
      'action_snooze_1d',
      '2027-03-25T10:00:00Z',
      '2027-03-29T10:00:00.000Z',
    );
    expect(text).toBe(
      `Snoozed #${id} until ${slackDate('2027-03-29T10:00:00Z')}: Mon 29 Mar is the next working day (not counting the holiday on Fri 26 Mar).`,
    );
  });

  it('Snooze 1 week onto two named holidays: the Monday after, both named', async () => {
    const [, , id] = ids as [string, string, string];
    const text = await snooze(
      'Count the safety stock',
      id,
      'action_snooze_1w',
      '2027-03-25T10:00:00Z',
      '2027-04-05T10:00:00.000Z',
    );
    expect(text).toBe(
      `Snoozed #${id} until ${slackDate('2027-04-05T10:00:00Z')}: Mon 5 Apr is the next working day (not counting Maundy Thursday, Thu 1 Apr; Good Friday, Fri 2 Apr).`,
    );
  });

  it('a snooze that ends on a working day says until when, and nothing more', async () => {
    const [, , , id] = ids as [string, string, string, string];
    const text = await snooze(
      'Call the carrier',
      id,
      'action_snooze_1d',
      '2027-03-23T10:00:00Z',
      '2027-03-24T10:00:00.000Z',
    );
    expect(text).toBe(`Snoozed #${id} until ${slackDate('2027-03-24T10:00:00Z')}.`);
  });

  it('App Home shows each snooze still running on its row, until when; a snooze ended shows nothing', async () => {
    // At Tue 23 March 10:00 (the last click): #1's snooze ended on Monday the 22nd; #2's runs
    // to Mon 29 Mar, #3's to Mon 5 Apr, #4's to Wed 24 Mar.
    const [a, b, c, d] = ids as [string, string, string, string];
    const before = standin.callsTo('views.publish').length;
    await h.driver.event({ type: 'app_home_opened', user: OPS, channel: `D_${OPS}`, tab: 'home' });
    await standin.waitFor(() => standin.callsTo('views.publish').length > before, 20_000);
    const blocks = (standin.homeView(OPS)?.definition.blocks ?? []) as {
      text?: { text?: string };
    }[];
    const rows = blocks.map((x) => x.text?.text ?? '').filter((t) => t.startsWith('*#'));
    const row = (id: string) => rows.find((t) => t.startsWith(`*#${id}* `));
    expect(row(a)).toBe(`*#${a}* Book weekend overtime · due 2027-04-30`);
    expect(row(b)).toBe(
      `*#${b}* Order resin · due 2027-04-30 · :zzz: snoozed until ${slackDate('2027-03-29T10:00:00Z')}`,
    );
    expect(row(c)).toContain(`:zzz: snoozed until ${slackDate('2027-04-05T10:00:00Z')}`);
    expect(row(d)).toContain(`:zzz: snoozed until ${slackDate('2027-03-24T10:00:00Z')}`);
  });
});
