/**
 * An overdue action whose owner's Slack account is deactivated. Slack takes a DM to a
 * deactivated account without a word (the stand-in too), so the reminders went out one by one
 * into a DM nobody reads, nothing was recorded and the admins never heard that the action had
 * nobody. The reminder now asks `users.info` first: nothing is sent, the DM is recorded as not
 * sent (`deactivated`), the admins are told to give the action to someone else, and the next
 * overdue reminder is still scheduled (for whoever owns it then). The real bot and worker over
 * HTTP against the Slack stand-in, real Postgres and Redis, a test clock.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { sendReminder } from '../../src/services/actions.js';
import { actionDm, reminderDigestDm } from '../../src/slack/presenters/actions.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { addDeactivatedUser, decideMarchActions } from './action-fixture.js';
import { runToEnd, settledJob, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ADA = 'U_ADA'; // admin
const DORA = 'U_DORA'; // ops, whose account is deactivated after the decision

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'reminder-owner-deactivated',
  members: { [EXEC]: 'exec', [ADA]: 'admin', [DORA]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let id: string;

const overdue = (n: number) => ({
  actionId: id,
  kind: 'overdue' as const,
  occurrence: `overdue-${n}`,
});

beforeAll(async () => {
  ({ db, standin } = h);
  [id] = (await decideMarchActions(h, clock, 'owner-deactivated', EXEC, [
    { owner: DORA, description: 'Order resin for April', dueDate: '2027-03-17' },
  ])) as [string];
  // The DM that gives DORA the action, while her account was active.
  await standin.waitFor(() => standin.messagesIn(`D_${DORA}`).length === 1, 20_000);
}, 60_000);

describe('an overdue action whose owner was deactivated', () => {
  it('sends nothing into the void, records why, tells the admins and keeps the chain', async () => {
    addDeactivatedUser(standin, DORA, 'dora');
    clock.set('2027-03-18T09:00:00Z');
    const first = await runToEnd(h.queues, 'action-reminder', overdue(1), 'notifications');
    expect(await first.getState()).toBe('failed');
    expect(first.attemptsMade).toBe(1);
    expect(standin.messagesIn(`D_${DORA}`)).toHaveLength(1);
    const rows = await db
      .selectFrom('slack_refusals')
      .select(['post_key', 'reason'])
      .where('conversation', '=', DORA)
      .execute();
    expect(rows).toEqual([{ post_key: `reminder:${id}:overdue:overdue-1`, reason: 'deactivated' }]);
    await settledJob(
      h.queues,
      'notifications',
      jobId('refusal-notice', { conversation: DORA, reason: 'deactivated', day: '2027-03-18' }),
    );
    const notice = standin.messagesIn(`D_${ADA}`).at(-1)?.text ?? '';
    expect(notice).toContain(
      `:warning: 1 DM to <@${DORA}> not sent: their Slack account is deactivated (Slack's users.info says so).`,
    );
    expect(notice).toContain(
      `Give it to someone else with \`/sop actions reassign #${id} @someone\`.`,
    );
    // The next overdue reminder is scheduled all the same.
    expect(
      await h.queues
        .queue('notifications')
        .getJob(jobId('action-reminder', parsePayload('action-reminder', overdue(2)))),
    ).toBeTruthy();
  });

  it('reactivated, the owner is reminded at the next reminder, and no longer counted as gone', async () => {
    // Reactivated by the next morning: the same worker asks Slack again (an account found
    // deactivated is not remembered), where it answered the hour-old "deactivated".
    standin.store.users.set(DORA, { id: DORA, name: 'dora', real_name: 'dora', tz: 'UTC' });
    clock.set('2027-03-19T09:00:00Z');
    const before = standin.callsTo('users.info').length;
    const second = await runToEnd(h.queues, 'action-reminder', overdue(2), 'notifications');
    expect(await second.getState()).toBe('completed');
    expect(
      standin
        .callsTo('users.info')
        .slice(before)
        .map((c) => c.args.user),
    ).toEqual([DORA]);
    expect(standin.messagesIn(`D_${DORA}`)).toHaveLength(2);
    const unresolved = await db
      .selectFrom('slack_refusals')
      .select('post_key')
      .where('conversation', '=', DORA)
      .where('resolved_at', 'is', null)
      .execute();
    expect(unresolved).toEqual([]);
  });

  it('a reminder run again once sent asks Slack nothing, and records no refusal', async () => {
    // Deactivated after the morning's reminder went out (in her digest); the reminder runs
    // again in a worker that never asked about her (or an hour later).
    addDeactivatedUser(standin, DORA, 'dora');
    const slack = new WebClient(h.env.SLACK_BOT_TOKEN, { slackApiUrl: standin.apiUrl });
    const before = standin.callsTo('users.info').length;
    const result = await sendReminder(
      { db, queue: h.queues, clock, slack },
      overdue(2),
      actionDm,
      reminderDigestDm,
    );
    expect(result).toBe('in_digest');
    expect(standin.callsTo('users.info').slice(before)).toEqual([]);
    expect(standin.messagesIn(`D_${DORA}`)).toHaveLength(2);
    const unresolved = await db
      .selectFrom('slack_refusals')
      .select('post_key')
      .where('conversation', '=', DORA)
      .where('resolved_at', 'is', null)
      .execute();
    expect(unresolved).toEqual([]);
  });
});
