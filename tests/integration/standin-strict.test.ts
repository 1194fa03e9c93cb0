/**
 * What real Slack refuses and the stand-in once let through: editing or deleting a message
 * someone else posted, an ephemeral for a person outside the DM, a view updated into another
 * type, Block Kit a Slack client would not draw, and acks Slack never reads (late, or with
 * blocks it cannot show), events the app does not subscribe to. The "bot" for the acks is a
 * bare HTTP server answering what a test sets, so each rule is seen on its own.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDriver, type Driver } from '../../src/slack-standin/index.js';
import { slackFailure, standinClient, useStandin } from '../helpers/slack.js';

const SECRET = 'standin-strict-secret';
const TOKEN = 'xoxb-standin-strict';
const standin = useStandin({ postMessageRate: false, scopes: null });
let client: webApi.WebClient;

/** What the bare bot answers next: a JSON body after a delay. */
let answer: { body: unknown; delayMs: number } = { body: '', delayMs: 0 };
/** The bodies the bare bot received, in order. */
let received: string[] = [];
let bot: Server;
let driver: Driver;
let botUrl = '';

beforeAll(async () => {
  client = standinClient(standin, TOKEN);
  bot = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      setTimeout(() => {
        const json = answer.body === '' ? '' : JSON.stringify(answer.body);
        res.writeHead(200, json === '' ? {} : { 'content-type': 'application/json' });
        res.end(json);
      }, answer.delayMs);
    });
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  const { port } = bot.address() as AddressInfo;
  botUrl = `http://127.0.0.1:${port}/`;
  driver = createDriver({ botUrl, signingSecret: SECRET, standin });
});

afterAll(async () => {
  await new Promise((resolve) => bot.close(resolve));
});

beforeEach(() => {
  standin.reset();
  answer = { body: '', delayMs: 0 };
  received = [];
});

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const section = (text: string) => ({
  type: 'section' as const,
  text: { type: 'mrkdwn' as const, text },
});
const modal = (title: string) => ({
  type: 'modal' as const,
  title: plain(title),
  blocks: [section(title)],
});

describe('messages a bot may not touch', () => {
  it("chat.update and chat.delete refuse a person's message (cant_update_message, cant_delete_message)", async () => {
    const theirs = standin.store.addMessage({
      channel: 'C_DEMAND',
      text: 'typed by Alice',
      source: 'api',
      user: 'U_ALICE',
    });
    const update = client.chat.update({ channel: 'C_DEMAND', ts: theirs.ts, text: 'edited' });
    expect(await slackFailure(update)).toMatchObject({ error: 'cant_update_message' });
    const del = client.chat.delete({ channel: 'C_DEMAND', ts: theirs.ts });
    expect(await slackFailure(del)).toMatchObject({ error: 'cant_delete_message' });
    expect(standin.messagesIn('C_DEMAND').map((m) => m.text)).toEqual(['typed by Alice']);
    // The bot's own message can be edited and deleted.
    const ours = await client.chat.postMessage({ channel: 'C_DEMAND', text: 'ours' });
    await client.chat.update({ channel: 'C_DEMAND', ts: ours.ts!, text: 'ours, edited' });
    await client.chat.delete({ channel: 'C_DEMAND', ts: ours.ts! });
    expect(standin.messagesIn('C_DEMAND').map((m) => m.text)).toEqual(['typed by Alice']);
  });

  it("a DM is edited by its D id: Bob's user id names no conversation to chat.update (channel_not_found)", async () => {
    const posted = await client.chat.postMessage({ channel: 'U_BOB', text: 'for Bob' });
    expect(posted.channel).toBe('D_U_BOB');
    const byUser = client.chat.update({ channel: 'U_BOB', ts: posted.ts!, text: 'edited' });
    expect(await slackFailure(byUser)).toMatchObject({ error: 'channel_not_found' });
    const byUserDelete = client.chat.delete({ channel: 'U_BOB', ts: posted.ts! });
    expect(await slackFailure(byUserDelete)).toMatchObject({ error: 'channel_not_found' });
    await client.chat.update({ channel: 'D_U_BOB', ts: posted.ts!, text: 'edited' });
    expect(standin.messagesIn('D_U_BOB').map((m) => m.text)).toEqual(['edited']);
  });

  it("an ephemeral in Bob's DM with the bot reaches Bob only (user_not_in_channel for Alice)", async () => {
    const toAlice = client.chat.postEphemeral({ channel: 'D_U_BOB', user: 'U_ALICE', text: 'x' });
    expect(await slackFailure(toAlice)).toMatchObject({ error: 'user_not_in_channel' });
    await client.chat.postEphemeral({ channel: 'D_U_BOB', user: 'U_BOB', text: 'for Bob' });
    expect(standin.ephemeralsFor('U_BOB').map((e) => e.text)).toEqual(['for Bob']);
    expect(standin.ephemeralsFor('U_ALICE')).toEqual([]);
  });

  it('two buttons with one action_id in a block fail invalid_blocks, as in Slack', async () => {
    const button = (text: string) => ({
      type: 'button' as const,
      action_id: 'pick',
      text: plain(text),
    });
    const post = client.chat.postMessage({
      channel: 'C_DEMAND',
      text: 'pick',
      blocks: [{ type: 'actions', elements: [button('A'), button('B')] }],
    });
    expect(await slackFailure(post)).toEqual({
      error: 'invalid_blocks',
      messages: [
        '[ERROR] `action_id` "pick" already exists [json-pointer:/blocks/0/elements/1/action_id]',
      ],
    });
  });
});

describe('views', () => {
  it('views.update keeps a modal a modal (invalid_arguments for a home view)', async () => {
    const ack = await driver.command('/boom', { user: 'U_ALICE', channel: 'C_GENERAL' });
    const opened = await client.views.open({ trigger_id: ack.triggerId, view: modal('One') });
    const viewId = opened.view!.id!;
    const home = { type: 'home' as const, blocks: [section('home')] };
    const failed = await slackFailure(client.views.update({ view_id: viewId, view: home }));
    expect(failed.error).toBe('invalid_arguments');
    expect(standin.openViews('U_ALICE')[0]?.definition.title).toEqual(plain('One'));
  });

  it("a submission answered with response_action 'update' and a home view is refused", async () => {
    const ack = await driver.command('/boom', { user: 'U_ALICE', channel: 'C_GENERAL' });
    const opened = await client.views.open({ trigger_id: ack.triggerId, view: modal('One') });
    answer = {
      body: { response_action: 'update', view: { type: 'home', blocks: [section('home')] } },
      delayMs: 0,
    };
    const submitted = await driver.submitView(opened.view!.id!, { user: 'U_ALICE' });
    expect(submitted.outcome).toEqual({
      action: 'rejected',
      reason: "response_action 'update' takes a modal view",
    });
  });

  it('an ack after 3 s is not applied: the modal stays as it was (operation_timeout)', async () => {
    const ack = await driver.command('/boom', { user: 'U_ALICE', channel: 'C_GENERAL' });
    const opened = await client.views.open({ trigger_id: ack.triggerId, view: modal('One') });
    answer = { body: { response_action: 'update', view: modal('Two') }, delayMs: 3200 };
    const submitted = await driver.submitView(opened.view!.id!, { user: 'U_ALICE' });
    expect(submitted.status).toBe(200);
    expect(submitted.outcome).toEqual({ action: 'rejected', reason: 'operation_timeout' });
    const open = standin.openViews('U_ALICE');
    expect(open.map((v) => v.definition.title)).toEqual([plain('One')]);
  });
});

describe('slash command acks', () => {
  it('an ack body whose blocks Slack refuses is not shown: invalid_command_response', async () => {
    answer = {
      body: { text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }] },
      delayMs: 0,
    };
    const ack = await driver.command('/boom', { user: 'U_ALICE', channel: 'C_GENERAL' });
    expect(ack.ok).toBe(true);
    expect(standin.ephemeralsFor('U_ALICE')).toEqual([]);
    expect(driver.failures.at(-1)).toMatchObject({
      kind: 'slash_command',
      reason: 'invalid_command_response',
      messages: ['[ERROR] must be at least 1 characters [json-pointer:/blocks/0/text/text]'],
    });
    // A body Slack can show is shown.
    answer = { body: { text: 'hello', blocks: [section('hello')] }, delayMs: 0 };
    await driver.command('/boom', { user: 'U_ALICE', channel: 'C_GENERAL' });
    expect(standin.ephemeralsFor('U_ALICE').map((e) => e.text)).toEqual(['hello']);
  });

  it('an ack body that comes after 3 s is not shown', async () => {
    answer = { body: { text: 'too late' }, delayMs: 3200 };
    const ack = await driver.command('/boom', { user: 'U_ALICE', channel: 'C_GENERAL' });
    expect(ack.ok).toBe(false);
    expect(standin.ephemeralsFor('U_ALICE')).toEqual([]);
    expect(driver.failures.at(-1)?.reason).toBe('operation_timeout');
  });
});

describe('what people can reach', () => {
  it("nobody clicks in another person's DM with the bot, nor in their modal or Home tab", async () => {
    const button = { type: 'button' as const, action_id: 'ok', text: plain('OK') };
    const dm = await client.chat.postMessage({
      channel: 'U_BOB',
      text: 'for Bob',
      blocks: [{ type: 'actions', elements: [button] }],
    });
    await expect(
      driver.clickButton(dm.channel!, dm.ts!, 'ok', { user: 'U_ALICE' }),
    ).rejects.toThrow("U_ALICE cannot act in D_U_BOB: it is U_BOB's DM with the bot");
    const click = await driver.clickButton(dm.channel!, dm.ts!, 'ok', { user: 'U_BOB' });
    expect(click.status).toBe(200);

    const ack = await driver.command('/boom', { user: 'U_BOB', channel: 'C_GENERAL' });
    const opened = await client.views.open({ trigger_id: ack.triggerId, view: modal('Bob') });
    const viewId = opened.view!.id!;
    await expect(driver.submitView(viewId, { user: 'U_ALICE' })).rejects.toThrow(
      /U_ALICE cannot act in view .*: Slack shows it to U_BOB only/,
    );
    await client.views.publish({
      user_id: 'U_BOB',
      view: { type: 'home', blocks: [{ type: 'actions', elements: [button] }] },
    });
    const home = standin.homeView('U_BOB')!;
    await expect(driver.selectOption(home.id, 'ok', null, { user: 'U_ALICE' })).rejects.toThrow(
      /Slack shows it to U_BOB only/,
    );
    expect((await driver.selectOption(home.id, 'ok', null, { user: 'U_BOB' })).status).toBe(200);
  });
});

describe('what a click sends', () => {
  it("a button clicked in a Home tab sends the button's own value, never another", async () => {
    const button = {
      type: 'button' as const,
      action_id: 'done',
      text: plain('Done'),
      value: '41',
    };
    await client.views.publish({
      user_id: 'U_BOB',
      view: { type: 'home', blocks: [{ type: 'actions', elements: [button] }] },
    });
    const home = standin.homeView('U_BOB')!;
    await expect(driver.selectOption(home.id, 'done', '42', { user: 'U_BOB' })).rejects.toThrow(
      "a click sends the button's value '41', not '42'",
    );
    const click = await driver.selectOption(home.id, 'done', null, { user: 'U_BOB' });
    const payload = JSON.parse(new URLSearchParams(click.request.body).get('payload') ?? '{}') as {
      actions: { value?: string; type: string }[];
    };
    expect(payload.actions[0]).toMatchObject({ type: 'button', value: '41' });
  });
});

describe('events the app subscribes to', () => {
  /** The event types the bare bot received, in order. */
  const receivedEvents = () =>
    received.map((b) => (JSON.parse(b) as { event: { type: string } }).event.type);

  it("delivers the events manifest.json's bot_events lists and refuses any other", async () => {
    // manifest.json: settings.event_subscriptions.bot_events is app_home_opened, user_change.
    const home = await driver.event({
      type: 'app_home_opened',
      user: 'U_ALICE',
      channel: 'D_U_ALICE',
      tab: 'home',
    });
    expect(home.status).toBe(200);
    await driver.event({ type: 'user_change', user: { id: 'U_BOB', deleted: true } });
    await expect(
      driver.event({
        type: 'reaction_added',
        user: 'U_ALICE',
        reaction: 'thumbsup',
        item: { type: 'message', channel: 'C_DEMAND', ts: '1.000001' },
      }),
    ).rejects.toThrow(
      "driver: Slack sends the app no 'reaction_added' event: 'reaction_added' is not in manifest.json's bot_events (app_home_opened, user_change)",
    );
    // A message in a public channel would come with message.channels, which sopbot lacks.
    await expect(
      driver.event({
        type: 'message',
        channel: 'C_DEMAND',
        user: 'U_ALICE',
        text: 'hi',
        ts: '2.1',
      }),
    ).rejects.toThrow(
      "driver: Slack sends the app no 'message' event (channel_type 'channel'): 'message.channels' is not in manifest.json's bot_events",
    );
    expect(receivedEvents()).toEqual(['app_home_opened', 'user_change']);
  });

  it('a message comes by its kind of conversation: message.im brings DMs only', async () => {
    const dmOnly = createDriver({
      botUrl,
      signingSecret: SECRET,
      standin,
      botEvents: ['message.im'],
    });
    const dm = await dmOnly.event({
      type: 'message',
      channel: 'D_U_BOB',
      user: 'U_BOB',
      text: 'hello',
      ts: '3.000001',
    });
    expect(dm.status).toBe(200);
    // Slack says which kind of conversation: the driver adds channel_type from the channel.
    const sent = JSON.parse(received[0] ?? '{}') as { event?: { channel_type?: string } };
    expect(sent.event?.channel_type).toBe('im');
    await expect(
      dmOnly.event({ type: 'message', channel: 'C_DEMAND', user: 'U_BOB', text: 'hi', ts: '4.1' }),
    ).rejects.toThrow(
      "driver: Slack sends the app no 'message' event (channel_type 'channel'): 'message.channels' is not in the driver's botEvents (message.im)",
    );
    await expect(
      dmOnly.event({ type: 'app_home_opened', user: 'U_BOB', channel: 'D_U_BOB', tab: 'home' }),
    ).rejects.toThrow("'app_home_opened' is not in the driver's botEvents (message.im)");
    expect(receivedEvents()).toEqual(['message']);
  });
});
