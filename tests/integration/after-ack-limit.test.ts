/**
 * The after-ack bound is the app's, not each listener's: a listener of any module (here one
 * the test registers, which calls nothing of after-ack-limit.ts) has its ack sent at once and
 * its work after the ack held until a slot is free. A Bolt app as the bot builds it
 * (createSlackApp) with one slot, over HTTP from the stand-in's driver.
 */
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaveAfterAckSlot } from '../../src/slack/after-ack-limit.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { createDriver, type Driver } from '../../src/slack-standin/index.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';

const SECRET = 'after-ack-limit-secret';

/** What the test's listeners did after their ack, in order, and the gates they wait on. */
const ran: string[] = [];
const gates = new Map<string, () => void>();
const gate = (name: string) =>
  new Promise<void>((resolve) => {
    gates.set(name, resolve);
  });

const module = {
  register(app: App) {
    // `/hold <name>`: after its ack, notes that it runs and waits until the test opens its gate.
    // `/leave <name>`: the same, but lets its slot go first.
    for (const command of ['/hold', '/leave'])
      app.command(command, async ({ ack, body, command: c }) => {
        await ack();
        if (command === '/leave') leaveAfterAckSlot(body);
        ran.push(c.text);
        await gate(c.text);
      });
  },
};

let running: TestBot;
let app: SlackApp;
let driver: Driver;

beforeAll(async () => {
  running = await startTestBot('after-ack-limit', { SLACK_SIGNING_SECRET: SECRET });
  app = createSlackApp(running.bot.deps, {
    token: 'xoxb-after-ack-limit',
    signingSecret: SECRET,
    apiUrl: running.standin.apiUrl,
    botId: 'B_LIMIT',
    botUserId: 'U_LIMIT',
    port: 0,
    afterAckSlots: 1,
    modules: [module],
  });
  await app.start();
  driver = createDriver({
    botUrl: `http://127.0.0.1:${app.port()}/slack/events`,
    signingSecret: SECRET,
    standin: running.standin,
  });
});

afterAll(async () => {
  for (const open of gates.values()) open();
  await app?.stop();
  await running?.stop();
});

const send = (command: string, text: string) =>
  driver.command(command, { user: 'U_ALICE', channel: 'C_GENERAL', text });
const until = (f: () => boolean) => running.standin.waitFor(() => f() || null, 10_000);

describe('a listener registered by any module, on an app with one after-ack slot', () => {
  it('is acked at once, and works after its ack only when the slot is free', async () => {
    expect((await send('/hold', 'a')).status).toBe(200);
    await until(() => ran.includes('a'));
    // a holds the slot: b is acked, and its work waits.
    expect((await send('/hold', 'b')).status).toBe(200);
    expect((await send('/hold', 'c')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(ran).toEqual(['a']);
    // Each one's end hands the slot to the next in line, in the order they were acked.
    gates.get('a')?.();
    await until(() => ran.includes('b'));
    expect(ran).toEqual(['a', 'b']);
    gates.get('b')?.();
    await until(() => ran.includes('c'));
    gates.get('c')?.();
  });

  it('lets the slot go when the listener leaves it, before its work is done', async () => {
    ran.length = 0;
    expect((await send('/leave', 'd')).status).toBe(200);
    await until(() => ran.includes('d'));
    // d still waits on its gate, but left its slot: e runs.
    expect((await send('/hold', 'e')).status).toBe(200);
    await until(() => ran.includes('e'));
    expect(ran).toEqual(['d', 'e']);
    gates.get('d')?.();
    gates.get('e')?.();
  });
});
