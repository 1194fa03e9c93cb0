/**
 * Two redraws of one action's DMs that race: the one that read the older state must not land
 * its chat.update last. A cancelling's job that read "cancelled" and is slow to edit, while a
 * later correction opens the action again and its job draws "Open again": the DM ends open,
 * with its buttons. A reopening's job slow to edit while the owner clicks Done on the DM: the
 * DM ends done, without buttons. Before, each drew what it had read and the slower landed last
 * (the DM read "Cancelled" on an open action, or offered Done on a done one). The jobs' Slack
 * client is held at its chat.update by the test, so the interleaving is the same every run.
 * The real bot over HTTP and the worker, the stand-in, real Postgres and Redis.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { cancelOpenAction, reopenCancelledAction } from '../../db/queries/execution.js';
import { retireClosedButtons } from '../../src/services/action-reassign.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { heldAt } from './held-client.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'action-redraw-race',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let slack: WebClient;
const ids: string[] = [];

beforeAll(async () => {
  ({ db, standin } = h);
  slack = new WebClient(h.env.SLACK_BOT_TOKEN, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
  });
  ids.push(
    ...(await decideMarchActions(h, clock, 'redraw-race', EXEC, [
      { owner: OPS, dueDate: '2027-03-25', description: 'Book weekend overtime' },
      { owner: OPS, dueDate: '2027-03-26', description: 'Order resin' },
      { owner: OPS, dueDate: '2027-03-29', description: 'Count the pallets' },
    ])),
  );
}, 60_000);

const CANCELLED = ':no_entry_sign: Cancelled as no longer needed. Reminders stopped.';
const REOPENED =
  ':arrows_counterclockwise: Open again: a corrected import raised its deviation again.';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A Slack client whose chat.update waits until `release()`: `reached` resolves when the first
 * edit is asked for (the job has read the action and built the message by then).
 */
const heldClient = () => heldAt(slack, 'chat', 'update');

const dmAbout = (what: string) =>
  standin.waitFor(() => standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes(what)), 20_000);
const drawnNow = (ts: string) => {
  const m = standin.messagesIn(`D_${OPS}`).find((x) => x.ts === ts);
  return {
    blocks: JSON.stringify(m?.blocks ?? null),
    buttons: (m?.blocks ?? []).some((b) => (b as { type?: string }).type === 'actions'),
  };
};
const statusOf = async (id: string) =>
  (await db.selectFrom('actions').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;

describe('two redraws of one action interleaved, the one that read the older state slower', () => {
  it('cancelled, then opened again while the cancelling job edits: the DM ends open, with its buttons', async () => {
    const id = ids[0]!;
    const dm = await dmAbout('Book weekend overtime');
    const deps = (client: WebClient) => ({ db, slack: client, clock });
    await db.transaction().execute((trx) => cancelOpenAction(trx, id));
    const held = heldClient();
    // The cancelling's job reads the action (cancelled) and is held at its edit.
    const cancelling = retireClosedButtons(deps(held.client), { actionId: id, closing: '9101' });
    await held.reached;
    // A later correction opens it again; its job reads "open".
    await db.transaction().execute((trx) => reopenCancelledAction(trx, id));
    const reopening = retireClosedButtons(deps(slack), { actionId: id, closing: '9102' });
    // Given time to finish (as it did before), the reopening's job is done or waits its turn.
    await Promise.race([reopening, sleep(1_500)]);
    held.release();
    await Promise.all([cancelling, reopening]);

    expect(await statusOf(id)).toBe('open');
    const now = drawnNow(dm.ts);
    expect(now.blocks).toContain(REOPENED);
    expect(now.blocks).not.toContain(CANCELLED);
    expect(now.buttons).toBe(true);
  }, 30_000);

  it('opened again, then Done clicked while the reopening job edits: the DM ends done, without buttons', async () => {
    const id = ids[1]!;
    const dm = await dmAbout('Order resin');
    await db.transaction().execute((trx) => cancelOpenAction(trx, id));
    await db.transaction().execute((trx) => reopenCancelledAction(trx, id));
    const held = heldClient();
    // The reopening's job reads "open" and is held at its edit of the DM.
    const reopening = retireClosedButtons(
      { db, slack: held.client, clock },
      { actionId: id, closing: '9201' },
    );
    await held.reached;
    const updates = standin.callsTo('chat.update').length;
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_done', { user: OPS });
    await pollUntil(
      () => statusOf(id),
      (s) => s === 'done',
    );
    // Given time to draw the clicked DM (as it did before), the click draws it or waits its turn.
    await Promise.race([
      standin.waitFor(() => standin.callsTo('chat.update').length > updates || null, 1_500),
      sleep(1_500),
    ]).catch(() => undefined);
    held.release();
    await reopening;

    // Due 2027-03-26, done on 2027-03-15: 11 days early (the click draws the message it was
    // pressed on as this line; a job, below the action, as the line without the number).
    const line = `done 11 days early (marked by <@${OPS}>). Reminders stopped.`;
    const done = await standin.waitFor(() => {
      const m = drawnNow(dm.ts);
      return m.blocks.includes(line) ? m : null;
    }, 10_000);
    // Whatever else lands: the last edit shows it done.
    await sleep(1_000);
    expect(drawnNow(dm.ts)).toEqual(done);
    expect(done.buttons).toBe(false);
    expect(done.blocks).not.toContain(REOPENED);
  }, 30_000);

  it("a job keeps the lock past the click's wait: the click leaves its DM to its own job, which draws it done", async () => {
    const id = ids[2]!;
    const dm = await dmAbout('Count the pallets');
    await db.transaction().execute((trx) => cancelOpenAction(trx, id));
    await db.transaction().execute((trx) => reopenCancelledAction(trx, id));
    const held = heldClient();
    const reopening = retireClosedButtons(
      { db, slack: held.client, clock },
      { actionId: id, closing: '9301' },
    );
    await held.reached;
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_done', { user: OPS });
    await pollUntil(
      () => statusOf(id),
      (s) => s === 'done',
    );
    // Longer than the click waits (2 s): it hands the DM to a job of its own.
    await sleep(3_000);
    held.release();
    await reopening;
    // Due 2027-03-29, done on 2027-03-15: 14 days early, drawn by the job below the action.
    const line = `:white_check_mark: done 14 days early (marked by <@${OPS}>). Reminders stopped.`;
    const done = await standin.waitFor(() => {
      const m = drawnNow(dm.ts);
      return m.blocks.includes(line) ? m : null;
    }, 10_000);
    expect(done.buttons).toBe(false);
    expect(done.blocks).not.toContain(REOPENED);
    // Nothing went wrong that the owner should hear of.
    expect(standin.ephemeralsFor(OPS).map((e) => e.text)).toEqual([]);
  }, 30_000);
});
