/**
 * Every DM opens its channel once per person (src/services/dm-channel.ts): dmOnce checks the
 * post ledger first and takes the remembered channel, so a burst of DMs to one person makes
 * one `conversations.open` (Tier 3: the stand-in allows a burst of 50, then about one every
 * 1.2 s). Before, each DM opened the channel again: a bad S&OE week with ~290 deviations for
 * two owners made 11,294 refused opens. Real Postgres and the stand-in with its tier limits on.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/connect.js';
import { dmOnce } from '../../src/services/reminders.js';
import { postWhereInvoked } from '../../src/slack/invoking-channel.js';
import { type Standin, startStandin } from '../../src/slack-standin/index.js';
import { useDb } from '../helpers/db.js';

const t = useDb();
let standin: Standin;
let slack: WebClient;

beforeAll(async () => {
  // chat.postMessage's per-channel limit off: what is measured here is conversations.open.
  standin = await startStandin({ postMessageRate: false, tierLimits: true });
  // Like the worker's client: no client-side retries, a 429 is an error.
  slack = new WebClient('xoxb-test', {
    slackApiUrl: standin.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
});

afterAll(async () => {
  await standin.close();
});

const opensOf = (user: string) =>
  standin.callsTo('conversations.open').filter((c) => c.args.users === user);
const succeeded = (calls: { status: number; response: { ok?: unknown } }[]) =>
  calls.filter((c) => c.status === 200 && c.response.ok === true);

describe('DMs open their channel once per person', () => {
  it('60 DMs to one person, 5 to another: one conversations.open each, no 429', async () => {
    // 65 DMs, 65 opens before the fix: the 51st open got a 429 (Tier 3 burst is 50).
    for (let i = 1; i <= 60; i++)
      expect(
        await dmOnce(slack, t.db, `test:dm:bob:${i}`, 'U_BOB', { text: `deviation ${i}` }),
      ).not.toBeNull();
    for (let i = 1; i <= 5; i++)
      expect(
        await dmOnce(slack, t.db, `test:dm:alice:${i}`, 'U_ALICE', { text: `action ${i}` }),
      ).not.toBeNull();
    // The same 65 again (a retried job): all in the ledger, so no open and no post.
    const callsBefore = standin.calls.length;
    for (let i = 1; i <= 60; i++)
      expect(await dmOnce(slack, t.db, `test:dm:bob:${i}`, 'U_BOB', { text: 'again' })).toBeNull();
    for (let i = 1; i <= 5; i++)
      expect(
        await dmOnce(slack, t.db, `test:dm:alice:${i}`, 'U_ALICE', { text: 'again' }),
      ).toBeNull();
    expect(standin.calls.length).toBe(callsBefore);

    expect(opensOf('U_BOB')).toHaveLength(1);
    expect(succeeded(opensOf('U_BOB'))).toHaveLength(1);
    expect(opensOf('U_ALICE')).toHaveLength(1);
    expect(standin.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(standin.messagesIn('D_U_BOB')).toHaveLength(60);
    expect(standin.messagesIn('D_U_ALICE')).toHaveLength(5);
    expect(
      await t.db.selectFrom('slack_dm_channels').select(['slack_user_id', 'channel_id']).execute(),
    ).toEqual(
      expect.arrayContaining([
        { slack_user_id: 'U_BOB', channel_id: 'D_U_BOB' },
        { slack_user_id: 'U_ALICE', channel_id: 'D_U_ALICE' },
      ]),
    );
  });

  it("the fallback to the DM of a command typed where the bot can't post uses the same channel", async () => {
    const opens = standin.callsTo('conversations.open').length;
    const out = await postWhereInvoked(t.db, slack, {
      key: 'test:dm:fallback',
      channel: 'C_NOT_A_MEMBER',
      user: 'U_BOB',
      text: 'Planning…',
    });
    expect(out).toMatchObject({ channel: 'D_U_BOB', inDm: true });
    expect(standin.callsTo('conversations.open')).toHaveLength(opens);
  });

  it('another process takes the stored channel; a stored channel Slack does not know is opened anew', async () => {
    // A second connection to the same database: a fresh process's memory, Postgres's rows.
    const other = createDb(t.url, { max: 2 });
    try {
      // A database restored into another workspace: U_ALICE's stored channel is unknown.
      await other
        .updateTable('slack_dm_channels')
        .set({ channel_id: 'D_GONE' })
        .where('slack_user_id', '=', 'U_ALICE')
        .execute();
      const opens = standin.callsTo('conversations.open').length;
      expect(await dmOnce(slack, other, 'test:dm:bob:61', 'U_BOB', { text: 'new' })).not.toBeNull();
      expect(standin.callsTo('conversations.open')).toHaveLength(opens);
      // 60 DMs, the fallback's post, this one.
      expect(standin.messagesIn('D_U_BOB')).toHaveLength(62);

      expect(
        await dmOnce(slack, other, 'test:dm:alice:6', 'U_ALICE', { text: 'new' }),
      ).not.toBeNull();
      expect(opensOf('U_ALICE')).toHaveLength(2);
      expect(standin.messagesIn('D_U_ALICE')).toHaveLength(6);
      const row = await other
        .selectFrom('slack_dm_channels')
        .select('channel_id')
        .where('slack_user_id', '=', 'U_ALICE')
        .executeTakeFirst();
      expect(row?.channel_id).toBe('D_U_ALICE');
    } finally {
      await other.destroy();
    }
  });
});
