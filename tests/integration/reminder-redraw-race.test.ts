/**
 * A reminder under way while its action is closed: the reminder read the action open (its
 * status read again once its key is claimed), then the owner clicks Done before the reminder's
 * ts is recorded. The Done's `action-closed` job draws the owner's DMs about the action from
 * the ledger; before, it ran in that instant, found no ts for the reminder, and the reminder
 * landed after it with live Done, Snooze and Reassign buttons on a done action, which nothing
 * drew again. The reminder is now sent under the lock its redraws take, so the job draws after
 * it and finds it. The same for a digest listing the action beside another. The reminder's
 * Slack client is held at its chat.postMessage by the test, so the interleaving is the same
 * every run. The real bot over HTTP and the worker, the stand-in, real Postgres and Redis.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { sendReminder } from '../../src/services/actions.js';
import { actionDm, reminderDigestDm } from '../../src/slack/presenters/actions.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { actionButtonsBlock, decideMarchActions } from './action-fixture.js';
import { heldAt } from './held-client.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';
const PAM = 'U_PAM';

// Decided on Friday 2027-03-12: the reminders' jobs are days away, and the test sends the
// Monday's "before" reminders itself (due Wednesday 2027-03-17: 2 days before, 09:00 UTC).
const clock = testClock('2027-03-12T10:00:00Z');
const h = useHarness({
  label: 'reminder-redraw-race',
  members: { [EXEC]: 'exec', [OPS]: 'ops', [PAM]: 'planner' },
  clock,
});
let db: Db;
let standin: Standin;
let slack: WebClient;
let solo: string;
let listed: string;
let clicked: string;

beforeAll(async () => {
  ({ db, standin } = h);
  slack = new WebClient(h.env.SLACK_BOT_TOKEN, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
  });
  [solo, listed, clicked] = (await decideMarchActions(h, clock, 'reminder-race', EXEC, [
    { owner: OPS, dueDate: '2027-03-17', description: 'Book weekend overtime' },
    { owner: PAM, dueDate: '2027-03-17', description: 'Order resin' },
    { owner: PAM, dueDate: '2027-03-17', description: 'Count the pallets' },
  ])) as [string, string, string];
  clock.set('2027-03-15T10:00:00Z');
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A Slack client whose chat.postMessage waits until `release()`: `reached` resolves when the
 * first post is asked for (the reminder has claimed its key and read the action open by then).
 */
const heldClient = () => heldAt(slack, 'chat', 'postMessage');

const postKey = (m: { metadata?: { event_payload?: unknown } }) =>
  String((m.metadata?.event_payload as { post_key?: unknown } | undefined)?.post_key);
const postedUnder = (user: string, key: string) =>
  standin.waitFor(() => standin.messagesIn(`D_${user}`).find((m) => postKey(m) === key), 20_000);
const blocksOf = (user: string, ts: string) =>
  (standin.messagesIn(`D_${user}`).find((m) => m.ts === ts)?.blocks ?? []) as {
    type?: string;
    block_id?: string;
  }[];
const statusOf = async (id: string) =>
  (await db.selectFrom('actions').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;

/** Done clicked on `user`'s assignment DM of `id`, while the reminder is held at its post. */
async function clickDone(user: string, id: string): Promise<void> {
  const assigned = await postedUnder(user, `action:${id}:assigned`);
  await h.driver.clickButton(`D_${user}`, assigned.ts, 'action_done', { user });
  await pollUntil(
    () => statusOf(id),
    (s) => s === 'done',
  );
  // Longer than a click waits for the action's lock (2 s): the Done's jobs have run, or wait.
  await sleep(3_000);
}

describe('a reminder held at its post while its action is clicked done', () => {
  it('its own DM: the reminder lands, then is drawn done, without its buttons', async () => {
    const held = heldClient();
    const sending = sendReminder(
      { db, queue: h.queues, clock, slack: held.client },
      { actionId: solo, kind: 'before', occurrence: '2027-03-15' },
      (a, kind, daysLeft) => actionDm(a, kind, daysLeft),
    );
    await held.reached;
    await clickDone(OPS, solo);
    held.release();
    // Read open under the lock before the Done: sent.
    expect(await sending).toBe('sent');

    const reminder = await postedUnder(OPS, `reminder:${solo}:before:2027-03-15`);
    // Due 2027-03-17, done on 2027-03-15: 2 days early, drawn by the Done's job.
    const line = `:white_check_mark: done 2 days early (marked by <@${OPS}>). Reminders stopped.`;
    // Before the fix: the job had drawn before the reminder's ts was recorded, and the
    // reminder kept its Done, Snooze and Reassign for good.
    await standin.waitFor(
      () => (JSON.stringify(blocksOf(OPS, reminder.ts)).includes(line) ? true : null),
      10_000,
    );
    expect(blocksOf(OPS, reminder.ts).some((b) => b.type === 'actions')).toBe(false);
  }, 40_000);

  it("a digest listing it beside another: drawn with it done, the other's buttons kept", async () => {
    const held = heldClient();
    const sending = sendReminder(
      { db, queue: h.queues, clock, slack: held.client },
      { actionId: listed, kind: 'before', occurrence: '2027-03-15' },
      (a, kind, daysLeft) => actionDm(a, kind, daysLeft),
      reminderDigestDm,
    );
    await held.reached;
    await clickDone(PAM, clicked);
    held.release();
    expect(await sending).toBe('sent');

    const digest = await postedUnder(PAM, `reminder-digest:${PAM}:2027-03-15`);
    // It went out listing both: the Done came after its items were read again.
    expect(JSON.stringify(digest.blocks)).toContain('Count the pallets');
    const buttonsOf = (id: string) =>
      blocksOf(PAM, digest.ts).some((b) => b.type === 'actions' && b.block_id === `action_${id}`);
    await standin.waitFor(() => (buttonsOf(clicked) ? null : true), 10_000);
    expect(buttonsOf(clicked)).toBe(false);
    expect(buttonsOf(listed)).toBe(true);
    expect(JSON.stringify(blocksOf(PAM, digest.ts))).toContain(
      JSON.stringify(actionButtonsBlock(listed)),
    );
  }, 40_000);
});
