/**
 * Socket Mode end to end: the real bot started with an app-level token opens its socket
 * through the stand-in's apps.connections.open, receives slash commands and interactions as
 * envelopes, acks them over the socket, and does the same work as over HTTP. With no signing
 * secret, the "Make an S&OP action" form's message is signed with the app-level token.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, type Driver, type Standin } from '../../src/slack-standin/index.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import type { TestDb } from '../helpers/db.js';
import { auditEntries, insertCycle } from '../helpers/db.js';

const APP_TOKEN = 'xapp-1-socket-test';

describe('Socket Mode', () => {
  let t: TestDb;
  let standin: Standin;
  let running: TestBot;
  let driver: Driver;

  beforeAll(async () => {
    running = await startTestBot('socket', { SLACK_APP_TOKEN: APP_TOKEN });
    ({ t, standin } = running);
    // The signing secret is not needed: nothing comes over HTTP.
    driver = createDriver({
      botUrl: 'http://127.0.0.1:9/unused',
      signingSecret: 'unused',
      standin,
      transport: 'socket',
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

  it('opens the "Make an S&OP action" form and takes its submission, signed with the app token', async () => {
    await insertCycle(t.db, { month: '2027-02', phase: 'supply_review' });
    const said = standin.store.addMessage({
      channel: 'C_SUPPLY',
      text: 'Pallets run short in week 7',
      source: 'api',
      user: 'U_BOB',
    });
    // U_ALICE is an admin (SOPBOT_ADMIN_USERS), who may make actions.
    const shortcut = await driver.messageShortcut('C_SUPPLY', said.ts, 'make_sop_action', {
      user: 'U_ALICE',
    });
    expect(shortcut.ok).toBe(true);
    const form = await standin.waitFor(
      () =>
        standin
          .openViews('U_ALICE')
          .find((v) => v.definition.callback_id === 'make_sop_action_submit'),
      10_000,
    );
    // The form's message is signed with HMAC-SHA256 keyed by the app-level token (no signing
    // secret here) over [shortcut, view, person, channel, ts, thread ('' at the top level)].
    const meta = JSON.parse(String(form.definition.private_metadata)) as { s?: string };
    expect(meta.s).toBe(
      createHmac('sha256', APP_TOKEN)
        .update(JSON.stringify(['make_sop_action', form.id, 'U_ALICE', 'C_SUPPLY', said.ts, '']))
        .digest('hex'),
    );
    const sent = await driver.submitView(form.id, {
      user: 'U_ALICE',
      values: { owner: { value: 'U_BOB' } },
    });
    expect(sent.ok).toBe(true);
    expect(sent.outcome).toEqual({ action: 'updated', viewId: form.id });
    const rows = await t.db.selectFrom('actions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      description: 'Pallets run short in week 7',
      owner: 'U_BOB',
      created_by: 'U_ALICE',
      source_channel: 'C_SUPPLY',
      source_ts: said.ts,
    });
    expect(JSON.stringify(standin.store.views.get(form.id)?.definition)).toContain(
      `:white_check_mark: Action *#${rows[0]?.id}* made in cycle 2027-02`,
    );
  });

  it('refuses a bot token for apps.connections.open', async () => {
    const res = await fetch(`${standin.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-socket' },
    });
    expect(await res.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });
});
