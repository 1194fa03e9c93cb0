/**
 * The real Bolt app (HTTP receiver) against the local Slack stand-in, driven the way Slack
 * drives it: signed requests in, Web API calls out.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDriver, type Driver } from '../../src/slack-standin/index.js';
import { manifestScopes } from '../../src/slack-standin/scopes.js';
import { slackFailure, standinClient, useStandin } from '../helpers/slack.js';

const SECRET = 'standin-test-signing-secret';
const TOKEN = 'xoxb-standin-test';

const modal = (callbackId: string, meta = '') => ({
  type: 'modal' as const,
  callback_id: callbackId,
  private_metadata: meta,
  title: { type: 'plain_text' as const, text: 'Adjust forecast' },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'qty',
      label: { type: 'plain_text' as const, text: 'Quantity' },
      element: { type: 'plain_text_input' as const, action_id: 'value' },
    },
    {
      type: 'input' as const,
      block_id: 'family',
      label: { type: 'plain_text' as const, text: 'Family' },
      element: {
        type: 'static_select' as const,
        action_id: 'pick',
        options: ['BIKES', 'PARTS'].map((v) => ({
          text: { type: 'plain_text' as const, text: v },
          value: v,
        })),
      },
    },
  ],
});

const pickerModal = () => ({
  type: 'modal' as const,
  callback_id: 'picker',
  title: { type: 'plain_text' as const, text: 'Pick' },
  submit: { type: 'plain_text' as const, text: 'Next' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'family',
      dispatch_action: true,
      label: { type: 'plain_text' as const, text: 'Family' },
      element: {
        type: 'static_select' as const,
        action_id: 'family_pick',
        options: ['BIKES', 'PARTS'].map((v) => ({
          text: { type: 'plain_text' as const, text: v },
          value: v,
        })),
      },
    },
    {
      type: 'input' as const,
      block_id: 'site',
      optional: true,
      label: { type: 'plain_text' as const, text: 'Site' },
      element: { type: 'external_select' as const, action_id: 'site_search' },
    },
  ],
});

const divider = () => ({ type: 'divider' as const });

let skewMs = 0;
// users.info is called here to test the stand-in's forced errors; the bot itself needs no
// users:read (manifest.json), so this stand-in's tokens get it on top.
const standin = useStandin({
  now: () => Date.now() + skewMs,
  scopes: [...manifestScopes(), 'users:read'],
});
let app: App;
let server: Server;
let driver: Driver;
const seen = {
  opened: [] as { ok: boolean; error?: string; viewId?: string; triggerId: string }[],
  submissions: [] as { qty: string | null; family: string | null; meta: string }[],
  retryNums: [] as (number | undefined)[],
  respondResults: [] as string[],
  closed: [] as string[],
  clicks: [] as { actionId: string; value: string | undefined; channel: string | undefined }[],
};

/** The Slack error code and response_metadata messages of a failed Web API call. */
function platformError(err: unknown): string {
  const data = (err as { data?: { error?: string } }).data;
  return data?.error ?? String(err);
}

beforeAll(async () => {
  app = new App({
    token: TOKEN,
    signingSecret: SECRET,
    clientOptions: { slackApiUrl: standin.apiUrl },
    logLevel: LogLevel.ERROR,
    deferInitialization: true,
  });

  const openModal = async (triggerId: string, client: webApi.WebClient) => {
    try {
      const res = await client.views.open({ trigger_id: triggerId, view: modal('forecast', 'F1') });
      seen.opened.push({ ok: true, viewId: res.view?.id ?? '', triggerId });
    } catch (err) {
      seen.opened.push({ ok: false, error: platformError(err), triggerId });
    }
  };
  app.command('/forecast', async ({ ack, body, client }) => {
    await ack();
    await openModal(body.trigger_id, client);
  });
  app.command('/late', async ({ ack, body, client }) => {
    await ack();
    skewMs += 3500; // slow work before views.open: the trigger is now older than 3 s
    await openModal(body.trigger_id, client);
  });
  app.command('/respond', async ({ ack, respond }) => {
    await ack('working on it');
    for (let i = 1; i <= 6; i += 1) {
      try {
        await respond({ text: `update ${i}` });
        seen.respondResults.push('ok');
      } catch (err) {
        seen.respondResults.push(`failed: ${String(err)}`);
      }
    }
  });
  app.view('forecast', async ({ ack, view }) => {
    const qty = view.state.values.qty?.value?.value ?? null;
    const family = view.state.values.family?.pick?.selected_option?.value ?? null;
    seen.submissions.push({ qty, family, meta: view.private_metadata });
    if (qty === null || !/^\d+$/.test(qty)) {
      await ack({ response_action: 'errors', errors: { qty: 'Enter a whole number of units' } });
      return;
    }
    await ack();
  });
  app.action('approve', async ({ ack, body, action, respond }) => {
    await ack();
    const value = action.type === 'button' ? action.value : undefined;
    seen.clicks.push({ actionId: 'approve', value, channel: body.channel?.id });
    await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
  });
  app.action('family_pick', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view) return;
    const picked = body.view.state.values.family?.family_pick?.selected_option?.value ?? '?';
    const base = pickerModal();
    await client.views.update({
      view_id: body.view.id,
      hash: body.view.hash,
      view: {
        ...base,
        blocks: [
          ...base.blocks,
          { type: 'context', elements: [{ type: 'mrkdwn', text: `Picked ${picked}` }] },
        ],
      },
    });
  });
  app.options('site_search', async ({ ack, body }) => {
    const q = 'value' in body ? body.value : '';
    await ack({ options: [{ text: { type: 'plain_text', text: `Site ${q}` }, value: `S-${q}` }] });
  });
  app.view('picker', async ({ ack }) => {
    await ack({ response_action: 'push', view: modal('pushed') });
  });
  app.view({ type: 'view_closed', callback_id: 'notify' }, async ({ ack, body }) => {
    await ack();
    seen.closed.push(body.view.id);
  });
  app.event('app_mention', async ({ context }) => {
    seen.retryNums.push(context.retryNum);
  });

  await app.init();
  server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  driver = createDriver({
    botUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRET,
    standin,
    // This test's own app listens to app_mention, which sopbot's manifest does not subscribe to.
    botEvents: ['app_mention'],
  });
});

afterAll(async () => {
  await app?.stop();
});

beforeEach(() => {
  skewMs = 0;
});

describe('Bolt against the stand-in', () => {
  it('Bolt verified its token with auth.test at start', () => {
    const calls = standin.callsTo('auth.test');
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls[0]?.response.user_id).toBe(standin.identity.botUserId);
  });

  it('a slash command opens a modal with its trigger_id, which works only once', async () => {
    const ack = await driver.command('/forecast', {
      user: 'U_ALICE',
      channel: 'sop-demand',
      text: '',
    });
    expect(ack.status).toBe(200);
    expect(ack.ok).toBe(true);
    const opened = await standin.waitFor(() =>
      seen.opened.find((o) => o.triggerId === ack.triggerId),
    );
    expect(opened.ok).toBe(true);
    expect(standin.openViews('U_ALICE').map((v) => v.id)).toEqual([opened.viewId]);

    const again = await app.client.views
      .open({ token: TOKEN, trigger_id: ack.triggerId, view: modal('forecast') })
      .then(() => 'ok', platformError);
    expect(again).toBe('expired_trigger_id');
    const forged = await app.client.views
      .open({ token: TOKEN, trigger_id: '123.456.forged', view: modal('forecast') })
      .then(() => 'ok', platformError);
    expect(forged).toBe('invalid_trigger_id');
  });

  it('a trigger_id older than 3 s is refused', async () => {
    const ack = await driver.command('/late', { user: 'U_BOB', channel: 'C_DEMAND' });
    expect(ack.status).toBe(200);
    const opened = await standin.waitFor(() =>
      seen.opened.find((o) => o.triggerId === ack.triggerId),
    );
    expect(opened).toMatchObject({ ok: false, error: 'expired_trigger_id' });
    expect(standin.openViews('U_BOB')).toEqual([]);
  });

  it('a view submission answered with response_action errors comes back in the ack body', async () => {
    const ack = await driver.command('/forecast', { user: 'U_CARA', channel: 'C_DEMAND' });
    const opened = await standin.waitFor(() =>
      seen.opened.find((o) => o.triggerId === ack.triggerId),
    );
    const viewId = opened.viewId!;

    const bad = await driver.submitView(viewId, {
      values: { qty: { value: 'lots' }, family: { pick: 'BIKES' } },
    });
    expect(bad.status).toBe(200);
    expect(bad.body).toEqual({
      response_action: 'errors',
      errors: { qty: 'Enter a whole number of units' },
    });
    expect(bad.outcome.action).toBe('errors');
    expect(standin.openViews('U_CARA')).toHaveLength(1);

    const good = await driver.submitView(viewId, {
      values: { qty: { value: '120' }, family: { pick: 'PARTS' } },
    });
    expect(good.body).toBe('');
    expect(good.outcome.action).toBe('closed');
    expect(standin.openViews('U_CARA')).toEqual([]);
    expect(seen.submissions.at(-1)).toEqual({ qty: '120', family: 'PARTS', meta: 'F1' });
    await expect(driver.submitView(viewId, { values: { qty: { value: '1' } } })).rejects.toThrow(
      /not open/,
    );
    const late = await slackFailure(
      app.client.views.update({ token: TOKEN, view_id: viewId, view: modal('forecast') }),
    );
    expect(late.error).toBe('not_found');
  });

  it('the driver refuses what Slack would not send: empty required input, unknown option', async () => {
    const ack = await driver.command('/forecast', { user: 'U_ALICE', channel: 'C_DEMAND' });
    const opened = await standin.waitFor(() =>
      seen.opened.find((o) => o.triggerId === ack.triggerId),
    );
    await expect(
      driver.submitView(opened.viewId!, { values: { family: { pick: 'BIKES' } } }),
    ).rejects.toThrow(/input block 'qty' is required/);
    await expect(
      driver.submitView(opened.viewId!, {
        values: { qty: { value: '1' }, family: { pick: 'CARS' } },
      }),
    ).rejects.toThrow(/no option with value 'CARS'/);
  });

  it('the modal stack holds at most 3 views', async () => {
    const trigger = () => standin.issueTrigger('U_BOB');
    const client = app.client;
    const root = await client.views.open({
      token: TOKEN,
      trigger_id: trigger(),
      view: modal('s1'),
    });
    await client.views.push({ token: TOKEN, trigger_id: trigger(), view: modal('s2') });
    const third = await client.views.push({
      token: TOKEN,
      trigger_id: trigger(),
      view: modal('s3'),
    });
    expect(third.view?.root_view_id).toBe(root.view?.id);
    const fourth = await client.views
      .push({ token: TOKEN, trigger_id: trigger(), view: modal('s4') })
      .then(() => 'ok', platformError);
    expect(fourth).toBe('push_limit_reached');
    expect(standin.openViews('U_BOB')).toHaveLength(3);
  });

  it('chat.postMessage with 51 blocks fails invalid_blocks; 50 pass', async () => {
    const blocks = Array.from({ length: 51 }, divider);
    const err = await slackFailure(
      app.client.chat.postMessage({ token: TOKEN, channel: 'C_SUPPLY', text: 'too many', blocks }),
    );
    expect(err.error).toBe('invalid_blocks');
    expect(err.messages.join(' ')).toContain('no more than 50 items');
    const fine = await app.client.chat.postMessage({
      token: TOKEN,
      channel: 'C_SUPPLY',
      text: 'fifty',
      blocks: blocks.slice(0, 50),
    });
    expect(fine.ok).toBe(true);
    expect(standin.messagesIn('sop-supply').map((m) => m.text)).toEqual(['fifty']);
  });

  it('an over-long button text fails invalid_blocks, naming the field', async () => {
    const result = await slackFailure(
      app.client.chat.postMessage({
        token: TOKEN,
        channel: 'C_SUPPLY',
        text: 'vote',
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: 'x',
                text: { type: 'plain_text', text: 'y'.repeat(76) },
              },
            ],
          },
        ],
      }),
    );
    expect(result.error).toBe('invalid_blocks');
    expect(result.messages[0]).toContain('/blocks/0/elements/0/text/text');
  });

  it('a click on a message button reaches Bolt with the real payload and respond() replaces it', async () => {
    const posted = await app.client.chat.postMessage({
      token: TOKEN,
      channel: 'C_EXEC',
      text: 'Approve plan?',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Approve plan *2026-12*?' } },
        {
          type: 'actions',
          block_id: 'vote',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              value: 'plan-42',
              text: { type: 'plain_text', text: 'Approve' },
            },
          ],
        },
      ],
    });
    const ack = await driver.clickButton('C_EXEC', posted.ts!, 'approve', { user: 'U_ALICE' });
    expect(ack.status).toBe(200);
    await standin.waitFor(() => standin.messagesIn('C_EXEC').find((m) => m.edited !== undefined));
    expect(seen.clicks.at(-1)).toEqual({
      actionId: 'approve',
      value: 'plan-42',
      channel: 'C_EXEC',
    });
    const msg = standin.messagesIn('C_EXEC').find((m) => m.ts === posted.ts);
    expect(msg?.text).toBe('Approved by <@U_ALICE>');
    expect(msg?.blocks).toHaveLength(2); // replace_original without blocks keeps them, as chat.update does
  });

  it('files.uploadV2 puts the file in a thread with its bytes intact (3 calls)', async () => {
    const parent = await app.client.chat.postMessage({
      token: TOKEN,
      channel: 'C_DEMAND',
      text: 'Forecast',
    });
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) % 256));
    await app.client.filesUploadV2({
      token: TOKEN,
      channel_id: 'C_DEMAND',
      thread_ts: parent.ts!,
      file: bytes,
      filename: 'forecast.png',
      title: 'Forecast chart',
      initial_comment: 'Here is the chart',
    });
    expect(standin.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(standin.callsTo('upload')).toHaveLength(1);
    expect(standin.callsTo('files.completeUploadExternal')).toHaveLength(1);
    const file = standin.files.find((f) => f.name === 'forecast.png');
    expect(file?.title).toBe('Forecast chart');
    expect(file?.bytes?.equals(bytes)).toBe(true);
    const replies = standin.threadReplies('C_DEMAND', parent.ts!);
    expect(replies.map((r) => [r.text, r.files])).toEqual([['Here is the chart', [file?.id]]]);
    const info = await app.client.files.info({ token: TOKEN, file: file!.id });
    expect(info.file?.channels).toEqual(['C_DEMAND']);
  });

  it('a file uploaded without channel_id stays private', async () => {
    await app.client.filesUploadV2({ token: TOKEN, content: 'a,b\n1,2\n', filename: 'plan.csv' });
    const file = standin.files.find((f) => f.name === 'plan.csv');
    expect(file?.bytes?.toString()).toBe('a,b\n1,2\n');
    expect(file?.channels).toEqual([]);
    const info = await app.client.files.info({ token: TOKEN, file: file!.id });
    expect(info.file?.is_public).toBe(false);
  });

  it('a forced 429 reaches WebClient, which throws a rate-limited error with retryAfter', async () => {
    const client = standinClient(standin, TOKEN);
    standin.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const err = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'hello' }).then(
      () => undefined,
      (e: unknown) => e as { code: string; retryAfter: number },
    );
    expect(err?.code).toBe(webApi.ErrorCode.RateLimitedError);
    expect(err?.retryAfter).toBe(7);
    const next = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'hello again' });
    expect(next.ok).toBe(true);
  });

  it('posting faster than ~1/s per channel gets 429 with Retry-After after the burst', async () => {
    const client = standinClient(standin, TOKEN);
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      outcomes.push(
        await client.chat.postMessage({ channel: 'C_GENERAL', text: `burst ${i}` }).then(
          () => 'ok',
          (e: unknown) => (e as { code: string }).code,
        ),
      );
    }
    expect(outcomes.slice(0, 4)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(outcomes).toContain(webApi.ErrorCode.RateLimitedError);
    const other = await client.chat.postMessage({ channel: 'C_EXEC', text: 'another channel' });
    expect(other.ok).toBe(true);
  });

  it('forced errors come back as platform errors', async () => {
    standin.failNext('users.info', { error: 'user_not_found' });
    const first = await app.client.users
      .info({ token: TOKEN, user: 'U_ALICE' })
      .then(() => 'ok', platformError);
    expect(first).toBe('user_not_found');
    const second = await app.client.users.info({ token: TOKEN, user: 'U_ALICE' });
    expect(second.user?.real_name).toBe('Alice Martin');
  });

  it('Bolt answers 401 to a bad signature, a missing one and a stale timestamp', async () => {
    const bad = await driver.command('/forecast', {
      user: 'U_ALICE',
      channel: 'C_DEMAND',
      signature: 'bad',
    });
    const none = await driver.command('/forecast', {
      user: 'U_ALICE',
      channel: 'C_DEMAND',
      signature: 'none',
    });
    const stale = await driver.command('/forecast', {
      user: 'U_ALICE',
      channel: 'C_DEMAND',
      staleBySeconds: 360,
    });
    expect([bad.status, none.status, stale.status]).toEqual([401, 401, 401]);
    expect(
      seen.opened.some((o) => [bad, none, stale].some((r) => r.triggerId === o.triggerId)),
    ).toBe(false);
    const fresh = await driver.command('/forecast', {
      user: 'U_ALICE',
      channel: 'C_DEMAND',
      staleBySeconds: 120,
    });
    expect(fresh.status).toBe(200);
  });

  it('a retried event carries x-slack-retry-num, which Bolt exposes as context.retryNum', async () => {
    const event = {
      type: 'app_mention',
      user: 'U_ALICE',
      channel: 'C_DEMAND',
      text: '<@U_SOPBOT> status',
      ts: '1.000001',
    };
    const first = await driver.event(event);
    const retry = await driver.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await standin.waitFor(() => seen.retryNums.length >= 2);
    expect(seen.retryNums).toEqual([undefined, 1]);
  });

  it('with slackRetries, a failed event delivery is retried with increasing retry numbers', async () => {
    const event = {
      type: 'app_mention',
      user: 'U_BOB',
      channel: 'C_DEMAND',
      text: 'hi',
      ts: '2.000001',
    };
    const before = seen.retryNums.length;
    const res = await driver.event(event, { slackRetries: true, signature: 'bad' });
    expect(res.attempts.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(seen.retryNums.length).toBe(before);
    const good = await driver.event(event, { slackRetries: true });
    expect(good.attempts).toHaveLength(1);
  });

  it('url_verification echoes the challenge', async () => {
    const res = await driver.urlVerification('abc123');
    expect(res.body).toEqual({ challenge: 'abc123' });
  });

  it('a response_url takes at most 5 posts', async () => {
    const ack = await driver.command('/respond', { user: 'U_BOB', channel: 'C_SUPPLY' });
    expect(ack.body).toBe('working on it');
    await standin.waitFor(() => seen.respondResults.length === 6);
    expect(seen.respondResults.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(seen.respondResults[5]).toMatch(/^failed/);
    const texts = standin.ephemeralsFor('U_BOB').map((e) => e.text);
    expect(texts).toEqual([
      'working on it',
      'update 1',
      'update 2',
      'update 3',
      'update 4',
      'update 5',
    ]);
    const urlId = ack.responseUrl.split('/').pop();
    const urlCalls = standin
      .callsTo('response_url')
      .filter((c) => c.args.response_url_id === urlId)
      .map((c) => c.status);
    expect(urlCalls).toEqual([200, 200, 200, 200, 200, 404]);
  });

  it('a select dispatched inside a modal reaches Bolt, which updates the view', async () => {
    const opened = await app.client.views.open({
      token: TOKEN,
      trigger_id: standin.issueTrigger('U_CARA'),
      view: pickerModal(),
    });
    const viewId = opened.view!.id!;
    const ack = await driver.selectOption(viewId, 'family_pick', 'PARTS', { user: 'U_CARA' });
    expect(ack.status).toBe(200);
    const updated = await standin.waitFor(() => {
      const blocks = standin.openViews('U_CARA')[0]?.definition.blocks;
      return Array.isArray(blocks) && blocks.length === 3 ? blocks : undefined;
    });
    expect(JSON.stringify(updated[2])).toContain('Picked PARTS');

    await expect(
      driver.submitView(viewId, {
        values: { family: { family_pick: 'BIKES' }, site: { site_search: 'S-Lyon' } },
      }),
    ).rejects.toThrow(/'S-Lyon' is not among the options the app offered/);
    const options = await driver.suggest(viewId, 'site_search', 'Lyon', { user: 'U_CARA' });
    expect(options.body).toEqual({
      options: [{ text: { type: 'plain_text', text: 'Site Lyon' }, value: 'S-Lyon' }],
    });
    expect(options.violations).toEqual([]);
    expect(options.options).toEqual([
      { text: { type: 'plain_text', text: 'Site Lyon' }, value: 'S-Lyon' },
    ]);

    const submitted = await driver.submitView(viewId, {
      values: { family: { family_pick: 'BIKES' }, site: { site_search: 'S-Lyon' } },
    });
    expect(submitted.outcome.action).toBe('pushed');
    expect(standin.openViews('U_CARA').map((v) => v.definition.callback_id)).toEqual([
      'picker',
      'pushed',
    ]);
  });

  it('closing a modal sends view_closed only when notify_on_close is set', async () => {
    const open = (notify: boolean) =>
      app.client.views.open({
        token: TOKEN,
        trigger_id: standin.issueTrigger('U_BOB'),
        view: { ...modal('notify'), notify_on_close: notify },
      });
    const quiet = await open(false);
    expect(await driver.closeView(quiet.view!.id!)).toBeNull();
    expect(standin.openViews('U_BOB')).toEqual([]);
    const loud = await open(true);
    const ack = await driver.closeView(loud.view!.id!);
    expect(ack?.status).toBe(200);
    await standin.waitFor(() => seen.closed.includes(loud.view!.id!));
    expect(seen.closed).toEqual([loud.view!.id!]);
  });

  it('the driver will not dispatch a select whose input block lacks dispatch_action', async () => {
    const opened = await app.client.views.open({
      token: TOKEN,
      trigger_id: standin.issueTrigger('U_ALICE'),
      view: modal('forecast'),
    });
    await expect(
      driver.selectOption(opened.view!.id!, 'pick', 'BIKES', { user: 'U_ALICE' }),
    ).rejects.toThrow(/dispatch_action/);
  });

  it('the driver records an ack slower than 3 s as operation_timeout', async () => {
    const slow = new App({
      token: TOKEN,
      signingSecret: SECRET,
      clientOptions: { slackApiUrl: standin.apiUrl },
      logLevel: LogLevel.ERROR,
      deferInitialization: true,
    });
    slow.command('/slow', async ({ ack }) => {
      await new Promise((r) => setTimeout(r, 3300));
      await ack();
    });
    await slow.init();
    const slowServer = (await slow.start(0)) as Server;
    try {
      const { port } = slowServer.address() as AddressInfo;
      const slowDriver = createDriver({
        botUrl: `http://127.0.0.1:${port}/slack/events`,
        signingSecret: SECRET,
        standin,
      });
      const res = await slowDriver.command('/slow', { user: 'U_ALICE', channel: 'C_GENERAL' });
      expect(res.ok).toBe(false);
      expect(slowDriver.failures).toHaveLength(1);
      expect(slowDriver.failures[0]?.reason).toBe('operation_timeout');
    } finally {
      await slow.stop();
    }
  });
});
