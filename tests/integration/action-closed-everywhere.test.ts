/**
 * An action closed anywhere is closed everywhere: once it is done, its owner's earlier DMs
 * about it (the one that gave it, a morning's reminder, a digest) stop offering Done, Snooze and
 * Reassign and say it is done, while a digest's other action keeps its buttons. OTTO clicks
 * Done on his newest reminder; an admin types `/sop actions done #N` for NINA's action. A Slack
 * retry of the click, a retried job and the command typed again edit nothing more (the
 * stand-in's chat.update calls counted); a DM deleted since is left alone. The real bot and
 * worker over HTTP against the Slack stand-in, real Postgres and Redis, a test clock (UTC).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { nextEphemeral, standinClient } from '../helpers/slack.js';
import { decideMarchActions } from './action-fixture.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ADA = 'U_ADA'; // admin
const OTTO = 'U_OTTO'; // ops
const NINA = 'U_NINA'; // ops

// Monday 8 March 2027: the actions are set.
const clock = testClock('2027-03-08T09:00:00Z');
const h = useHarness({
  label: 'action-closed-everywhere',
  members: { [EXEC]: 'exec', [ADA]: 'admin', [OTTO]: 'ops', [NINA]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let driver: Driver;
let a1: string; // OTTO: Book weekend overtime, due Wed 2027-03-17
let a2: string; // OTTO: Call the supplier, due Wed 2027-03-10
let n1: string; // NINA: Count the safety stock, due 2027-03-17
let n2: string; // NINA: Order resin, due 2027-03-10

const HEAD = ':memo: You own a follow-up action from the executive S&OP meeting';
const dms = (user: string) => standin.messagesIn(`D_${user}`);
const message = (user: string, ts: string) => dms(user).find((m) => m.ts === ts)!;
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
/** The action ids whose buttons a message shows. */
const withButtons = (m: { blocks?: readonly unknown[] } | undefined) =>
  (m?.blocks ?? []).flatMap((b) => {
    const id = /^action_(\d+)$/.exec((b as { block_id?: string }).block_id ?? '')?.[1];
    return (b as { type?: string }).type === 'actions' && id ? [id] : [];
  });
/** chat.update calls the bot and worker made on `ts` so far. */
const updatesOf = (ts: string) =>
  standin.callsTo('chat.update').filter((c) => c.args.ts === ts).length;
const remind = (actionId: string, kind: 'before' | 'due' | 'overdue', occurrence: string) =>
  h.runAgain('action-reminder', { actionId, kind, occurrence }, 'notifications');
/** The `action.done` audit entry of action `id` (waited for: a click's work follows its ack). */
const closing = (id: string): Promise<string> =>
  standin.waitFor(async () => {
    const row = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'action.done')
      .where('entity_id', '=', id)
      .executeTakeFirst();
    return row?.id ?? null;
  }, 10_000);
const closedJob = async (id: string) =>
  h.finished('notifications', jobId('action-closed', { actionId: id, closing: await closing(id) }));

/** Each owner's DMs, by what they are. */
const sent: Record<string, { assigned: string; digest: string; reminder: string }> = {};

beforeAll(async () => {
  ({ db, standin, driver } = h);
  [a1, a2, n1, n2] = (await decideMarchActions(h, clock, 'closed-everywhere', EXEC, [
    { owner: OTTO, dueDate: '2027-03-17', description: 'Book weekend overtime' },
    { owner: OTTO, dueDate: '2027-03-10', description: 'Call the supplier' },
    { owner: NINA, dueDate: '2027-03-17', description: 'Count the safety stock' },
    { owner: NINA, dueDate: '2027-03-10', description: 'Order resin' },
  ])) as [string, string, string, string];
  await standin.waitFor(() => dms(OTTO).length === 2 && dms(NINA).length === 2, 20_000);
  // Mon 15 March: the 17th's actions are 2 days off, the 10th's at their third overdue working
  // day (11, 12, 15): one digest each, the overdue one first.
  clock.set('2027-03-15T09:00:00Z');
  expect(await remind(a1, 'before', '2027-03-15')).toEqual({ result: 'sent' });
  expect(await remind(n1, 'before', '2027-03-15')).toEqual({ result: 'sent' });
  // Wed 17 March: due today, alone (the 10th's reminders ended on the 15th).
  clock.set('2027-03-17T09:00:00Z');
  expect(await remind(a1, 'due', '2027-03-17')).toEqual({ result: 'sent' });
  expect(await remind(n1, 'due', '2027-03-17')).toEqual({ result: 'sent' });
  for (const [user, [x, y]] of [
    [OTTO, [a1, a2]],
    [NINA, [n1, n2]],
  ] as const) {
    const find = (start: string) => dms(user).find((m) => m.text.startsWith(start));
    const assigned = find(`${HEAD}: #${x} `);
    const digest = find(':bell: 2 follow-up actions need your attention today');
    const reminder = find(':alarm_clock: Due today');
    expect(withButtons(assigned)).toEqual([x]);
    expect(withButtons(digest)).toEqual([y, x]);
    expect(reminder?.text).toMatch(new RegExp(`^:alarm_clock: Due today: #${x} `));
    expect(withButtons(reminder)).toEqual([x]);
    sent[user] = { assigned: assigned!.ts, digest: digest!.ts, reminder: reminder!.ts };
  }
}, 60_000);

describe('Done clicked on the newest reminder', () => {
  it("the DM that gave it and the morning digest lose its buttons and read done 2 days late; the digest's other action keeps its buttons", async () => {
    // Fri 19 March: two days after its due date.
    clock.set('2027-03-19T10:00:00Z');
    const s = sent[OTTO]!;
    const before = standin.callsTo('chat.update').length;
    await driver.clickButton(`D_${OTTO}`, s.reminder, 'action_done', { user: OTTO });
    // The job and the click draw one after the other (the action's lock), in either order.
    await standin.waitFor(
      () =>
        withButtons(message(OTTO, s.digest)).length === 1 &&
        withButtons(message(OTTO, s.reminder)).length === 0,
      10_000,
    );
    const line = `:white_check_mark: done 2 days late (marked by <@${OTTO}>). Reminders stopped.`;
    expect(message(OTTO, s.assigned).blocks).toEqual([
      section(`${HEAD}\n*#${a1}* Book weekend overtime\nDue *2027-03-17*`),
      context(line),
    ]);
    // The notification and screen-reader text is drawn again too: it said when it was due.
    expect(message(OTTO, s.assigned).text).toBe(
      `:white_check_mark: Action #${a1} Book weekend overtime: done 2 days late (marked by <@${OTTO}>). Reminders stopped.`,
    );
    const digest = message(OTTO, s.digest);
    expect(digest.text).toContain(`#${a1} Book weekend overtime (done 2 days late)`);
    // Call the supplier was due Wed 10 March: 5 days overdue on the digest's Monday the 15th.
    expect(digest.text).toContain(`#${a2} Call the supplier (5 days overdue)`);
    expect(withButtons(digest)).toEqual([a2]);
    expect(digest.blocks).toContainEqual(
      section(
        `*#${a1}* Book weekend overtime\n:white_check_mark: done 2 days late · due *2027-03-17*`,
      ),
    );
    // The one clicked, drawn by the click itself.
    expect(message(OTTO, s.reminder).text).toBe(
      `:white_check_mark: #${a1} Book weekend overtime: done 2 days late (marked by <@${OTTO}>). Reminders stopped.`,
    );
    expect(withButtons(message(OTTO, s.reminder))).toEqual([]);
    // One edit each: the clicked one by the click, the two older ones by the job.
    expect(await closedJob(a1)).toEqual({ buttonsRemoved: 2, already: 1, notEdited: 0 });
    expect(standin.callsTo('chat.update').length - before).toBe(3);
  });

  it("Slack's retry of the click and a retried job edit the older DMs no more", async () => {
    const s = sent[OTTO]!;
    const older = () => [updatesOf(s.assigned), updatesOf(s.digest)];
    const was = older();
    expect(was).toEqual([1, 1]);
    const click = await driver.clickButton(`D_${OTTO}`, s.digest, 'action_done', {
      user: OTTO,
      blockId: `action_${a2}`,
    });
    await standin.waitFor(() => withButtons(message(OTTO, s.digest)).length === 0, 10_000);
    // That click (a2's) drew the digest; Slack sending it again changes nothing more than
    // drawing it again, and a2's own job finds that digest drawn.
    expect(await closedJob(a2)).toEqual({ buttonsRemoved: 1, already: 1, notEdited: 0 });
    // Slack sending that click again draws the digest again, and no more; the job of a1 run
    // again finds each of a1's DMs drawn.
    const mid = older();
    await driver.resend(click.request, { retryNum: 1, retryReason: 'http_timeout' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(updatesOf(s.assigned)).toBe(mid[0]);
    const settled = older();
    const payload = { actionId: a1, closing: await closing(a1), shown: s.reminder };
    expect(await h.runAgain('action-closed', payload, 'notifications')).toEqual({
      buttonsRemoved: 0,
      already: 3,
      notEdited: 0,
    });
    expect(older()).toEqual(settled);
    expect(updatesOf(s.reminder)).toBe(1);
  });
});

describe('/sop actions done #N typed by an admin for another owner', () => {
  it("NINA's DMs about it lose its buttons, one she deleted is left alone, and typing it again edits nothing", async () => {
    const s = sent[NINA]!;
    const bot = standinClient(standin, h.env.SLACK_BOT_TOKEN!);
    await bot.chat.delete({ channel: `D_${NINA}`, ts: s.assigned });
    const answer = await nextEphemeral(standin, ADA, () => h.sop(ADA, `actions done #${n1}`));
    expect(answer).toBe(`Action #${n1} is done 2 days late. Reminders stopped.`);
    expect(await closedJob(n1)).toEqual({ buttonsRemoved: 2, already: 0, notEdited: 1 });
    const digest = message(NINA, s.digest);
    expect(withButtons(digest)).toEqual([n2]);
    expect(digest.blocks).toContainEqual(
      section(
        `*#${n1}* Count the safety stock\n:white_check_mark: done 2 days late · due *2027-03-17*`,
      ),
    );
    expect(message(NINA, s.reminder).blocks).toEqual([
      section(
        `:white_check_mark: #${n1} Count the safety stock: done 2 days late (marked by <@${ADA}>). Reminders stopped.`,
      ),
    ]);

    const updates = standin.callsTo('chat.update').length;
    const again = await nextEphemeral(standin, ADA, () => h.sop(ADA, `actions done #${n1}`));
    expect(again).toBe(`Action #${n1} is already done.`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(standin.callsTo('chat.update').length).toBe(updates);
  });

  it('someone neither its owner nor an admin is refused, naming who may, and nothing changes', async () => {
    const answer = await nextEphemeral(standin, OTTO, () => h.sop(OTTO, `actions done #${n2}`));
    expect(answer).toBe(
      `:warning: Only <@${NINA}>, its owner, or Admin members can mark action #${n2} done.`,
    );
    const { status } = await db
      .selectFrom('actions')
      .select('status')
      .where('id', '=', n2)
      .executeTakeFirstOrThrow();
    expect(status).toBe('open');
  });
});
