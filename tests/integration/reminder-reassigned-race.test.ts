/**
 * A reminder under way while its action is given to someone else: the reminder read the action
 * (and its owner, OPS) before it took the action's lock, then OPS reassigns it to PAM and the
 * handover's job draws first (PAM gets the action, OPS's DMs lose their buttons). Before, the
 * reminder then read only the status under the lock, found it open and DMed OPS a reminder
 * with live Done, Snooze and Reassign on an action no longer theirs. It now reads the owner
 * again there and sends nothing (`reassigned`); PAM has the handover's DM, and the next
 * reminder goes to her. The reminder's Slack client is held at its users.info (asked before
 * the lock) by the test, so the interleaving is the same every run. The real bot over HTTP and
 * the worker, the stand-in, real Postgres and Redis.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { sendReminder } from '../../src/services/actions.js';
import { actionDm } from '../../src/slack/presenters/actions.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { heldAt } from './held-client.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';
const PAM = 'U_PAM';

// Decided on Friday 2027-03-12, due Wednesday 2027-03-17: its "before" reminder is Monday's.
const clock = testClock('2027-03-12T10:00:00Z');
const h = useHarness({
  label: 'reminder-reassigned-race',
  members: { [EXEC]: 'exec', [OPS]: 'ops', [PAM]: 'planner' },
  clock,
});
let db: Db;
let standin: Standin;
let slack: WebClient;
let id: string;

beforeAll(async () => {
  ({ db, standin } = h);
  slack = new WebClient(h.env.SLACK_BOT_TOKEN, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
  });
  [id] = (await decideMarchActions(h, clock, 'reminder-reassigned', EXEC, [
    { owner: OPS, dueDate: '2027-03-17', description: 'Book weekend overtime' },
  ])) as [string];
  clock.set('2027-03-15T10:00:00Z');
}, 60_000);

/** A Slack client whose users.info waits until `release()`: `reached` when it is asked. */
const heldClient = () => heldAt(slack, 'users', 'info');

const postKey = (m: { metadata?: { event_payload?: unknown } }) =>
  String((m.metadata?.event_payload as { post_key?: unknown } | undefined)?.post_key);

describe('a reminder that read its owner before a reassignment whose job draws first', () => {
  it('sends the old owner nothing and says it was given away', async () => {
    const held = heldClient();
    const sending = sendReminder(
      { db, queue: h.queues, clock, slack: held.client },
      { actionId: id, kind: 'before', occurrence: '2027-03-15' },
      (a, kind, daysLeft) => actionDm(a, kind, daysLeft),
    );
    // The reminder has read the action, OPS's, and asks Slack about OPS.
    await held.reached;
    await h.sop(OPS, `actions reassign #${id} <@${PAM}>`);
    // The handover's job has drawn: PAM has the action.
    await standin.waitFor(
      () =>
        standin
          .messagesIn(`D_${PAM}`)
          .find(
            (m) => postKey(m).startsWith(`action:${id}:handover:`) && postKey(m).endsWith(':new'),
          ),
      20_000,
    );
    held.release();
    expect(await sending).toBe('reassigned');

    const key = `reminder:${id}:before:2027-03-15`;
    // Before the fix: OPS got it, with Done, Snooze and Reassign on PAM's action.
    expect(standin.messagesIn(`D_${OPS}`).filter((m) => postKey(m) === key)).toEqual([]);
    expect(standin.messagesIn(`D_${PAM}`).filter((m) => postKey(m) === key)).toEqual([]);
    // Nothing claimed under its key: the ledger holds no reminder sent.
    const rows = await db
      .selectFrom('slack_posts')
      .select('ts')
      .where('post_key', '=', key)
      .execute();
    expect(rows).toEqual([]);
  }, 40_000);
});
