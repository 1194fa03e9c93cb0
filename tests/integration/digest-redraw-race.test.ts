/**
 * Two redraws of one morning digest about two of the actions it lists: a corrected import's
 * cancelling job draws it for one (read with the other open) and is slow to edit, while the
 * owner clicks Done on the other in the digest. Before, each took only its own action's lock,
 * the click drew the digest (both closed) and the job's older edit landed last: the digest
 * offered Done, Snooze and Reassign on the action just marked done, and nothing drew it again
 * (the Done's job leaves the clicked message to the click). Each now takes the locks of every
 * action the digest lists, so the click draws after the job. The job's Slack client is held at
 * its chat.update by the test, so the interleaving is the same every run. The real bot over
 * HTTP and the worker, the stand-in, real Postgres and Redis.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { cancelOpenAction } from '../../db/queries/execution.js';
import { retireClosedButtons } from '../../src/services/action-reassign.js';
import { sendReminder } from '../../src/services/actions.js';
import { actionDm, reminderDigestDm } from '../../src/slack/presenters/actions.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { heldAt } from './held-client.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const PAM = 'U_PAM';

// Decided on Friday 2027-03-12, both due Wednesday 2027-03-17: Monday's digest lists both.
const clock = testClock('2027-03-12T10:00:00Z');
const h = useHarness({
  label: 'digest-redraw-race',
  members: { [EXEC]: 'exec', [PAM]: 'planner' },
  clock,
});
let db: Db;
let standin: Standin;
let slack: WebClient;
let cancelled: string;
let clicked: string;

beforeAll(async () => {
  ({ db, standin } = h);
  slack = new WebClient(h.env.SLACK_BOT_TOKEN, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
  });
  [cancelled, clicked] = (await decideMarchActions(h, clock, 'digest-race', EXEC, [
    { owner: PAM, dueDate: '2027-03-17', description: 'Order resin' },
    { owner: PAM, dueDate: '2027-03-17', description: 'Count the pallets' },
  ])) as [string, string];
  clock.set('2027-03-15T10:00:00Z');
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Slack client whose chat.update waits until `release()`: `reached` when one is asked for. */
const heldClient = () => heldAt(slack, 'chat', 'update');

const postKey = (m: { metadata?: { event_payload?: unknown } }) =>
  String((m.metadata?.event_payload as { post_key?: unknown } | undefined)?.post_key);
const statusOf = async (id: string) =>
  (await db.selectFrom('actions').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;

describe("a digest drawn by one action's job while another of its actions is clicked done", () => {
  it('ends with both closed and no buttons', async () => {
    expect(
      await sendReminder(
        { db, queue: h.queues, clock, slack },
        { actionId: cancelled, kind: 'before', occurrence: '2027-03-15' },
        (a, kind, daysLeft) => actionDm(a, kind, daysLeft),
        reminderDigestDm,
      ),
    ).toBe('sent');
    const digest = await standin.waitFor(
      () =>
        standin
          .messagesIn(`D_${PAM}`)
          .find((m) => postKey(m) === `reminder-digest:${PAM}:2027-03-15`),
      10_000,
    );
    const drawn = () => {
      const m = standin.messagesIn(`D_${PAM}`).find((x) => x.ts === digest.ts);
      const blocks = (m?.blocks ?? []) as { type?: string; block_id?: string }[];
      return {
        json: JSON.stringify(blocks),
        buttons: blocks.filter((b) => b.type === 'actions').map((b) => b.block_id),
      };
    };
    expect(drawn().buttons).toEqual([`action_${cancelled}`, `action_${clicked}`]);

    // A corrected import cancels the first; its job reads the digest (the other open) and is
    // held at its first edit.
    await db.transaction().execute((trx) => cancelOpenAction(trx, cancelled));
    const held = heldClient();
    const job = retireClosedButtons(
      { db, slack: held.client, clock },
      { actionId: cancelled, closing: '9601' },
    );
    await held.reached;
    await h.driver.clickButton(`D_${PAM}`, digest.ts, 'action_done', {
      user: PAM,
      blockId: `action_${clicked}`,
    });
    await pollUntil(
      () => statusOf(clicked),
      (s) => s === 'done',
    );
    // Given time to draw the digest (as it did before), the click draws it or waits its turn.
    await sleep(1_500);
    held.release();
    await job;

    // Due 2027-03-17, done on 2027-03-15: 2 days early.
    const done = ':white_check_mark: done 2 days early';
    const end = await standin.waitFor(() => {
      const d = drawn();
      return d.json.includes(done) && d.json.includes(':no_entry_sign: cancelled') ? d : null;
    }, 10_000);
    // Whatever else lands: the last edit keeps both closed. Before the fix the job's edit,
    // read with the clicked one open, landed after the click's and gave its buttons back.
    await sleep(1_000);
    expect(drawn()).toEqual(end);
    expect(end.buttons).toEqual([]);
  }, 40_000);
});
