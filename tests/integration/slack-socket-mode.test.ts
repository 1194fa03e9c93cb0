/**
 * Socket Mode end to end: the real bot started with an app-level token opens its socket
 * through the stand-in's apps.connections.open, receives slash commands as envelopes, acks
 * them over the socket, and does the same work as over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, type Driver, type Standin } from '../../src/slack-standin/index.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import type { TestDb } from '../helpers/db.js';
import { auditEntries } from '../helpers/db.js';

describe('Socket Mode', () => {
  let t: TestDb;
  let standin: Standin;
  let running: TestBot;
  let driver: Driver;

  beforeAll(async () => {
    running = await startTestBot('socket', { SLACK_APP_TOKEN: 'xapp-1-socket-test' });
    ({ t, standin } = running);
    // The signing secret is not needed: nothing comes over HTTP.
    driver = createDriver({
      botUrl: 'http://127.0.0.1:9/unused',
      signingSecret: 'unused',
      standin,
    });
    await standin.waitFor(() => standin.socketMode.connections > 0, 10_000);
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('opens the socket with the app-level token only', () => {
    const opens = standin.callsTo('apps.connections.open');
    expect(opens.length).toBeGreaterThanOrEqual(1);
    expect(opens[0]?.response).toMatchObject({ ok: true });
    expect(String(opens[0]?.response.url)).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/socket-mode\?ticket=/,
    );
  });

  it('acks a slash command over the socket within 3 s and does the work', async () => {
    const ack = await driver.socketCommand('/sop', {
      user: 'U_ALICE',
      channel: 'C_GENERAL',
      text: 'role <@U_BOB|bob> ops',
    });
    expect(ack.ackMs).toBeLessThan(3000);
    const member = await standin.waitFor(
      () =>
        t.db
          .selectFrom('members')
          .selectAll()
          .where('slack_user_id', '=', 'U_BOB')
          .executeTakeFirst(),
      10_000,
    );
    expect(member.role).toBe('ops');
    const audit = await auditEntries(t.db, 'member.role');
    expect(audit).toHaveLength(1);
    const reply = await standin.waitFor(
      () => standin.ephemeralsFor('U_ALICE').find((e) => e.text.includes('U_BOB')),
      10_000,
    );
    expect(reply.text).toContain('Operations');
  });

  it('refuses a bot token for apps.connections.open', async () => {
    const res = await fetch(`${standin.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-socket' },
    });
    expect(await res.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });
});
