/**
 * What real Slack refuses and the stand-in once let through: editing or deleting a message
 * someone else posted, an ephemeral for a person outside the DM, a view updated into another
 * type, Block Kit a Slack client would not draw, and acks Slack never reads (late, or with
 * blocks it cannot show). The "bot" for the acks is a bare HTTP server answering what a test
 * sets, so each rule is seen on its own.
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
let bot: Server;
let driver: Driver;

beforeAll(async () => {
  client = standinClient(standin, TOKEN);
  bot = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        const json = answer.body === '' ? '' : JSON.stringify(answer.body);
        res.writeHead(200, json === '' ? {} : { 'content-type': 'application/json' });
        res.end(json);
      }, answer.delayMs);
    });
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  const { port } = bot.address() as AddressInfo;
  driver = createDriver({ botUrl: `http://127.0.0.1:${port}/`, signingSecret: SECRET, standin });
});

afterAll(async () => {
  await new Promise((resolve) => bot.close(resolve));
});

beforeEach(() => {
  standin.reset();
  answer = { body: '', delayMs: 0 };
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
});
