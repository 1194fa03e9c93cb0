/**
 * The after-ack bound is the app's, not each listener's: a listener of any module (here one
 * the test registers, which calls nothing of after-ack-limit.ts) has its ack sent at once and
 * its work after the ack held until a slot is free. A form opener (the real /forecast with no
 * text, `/sop execution`) opens its form while the slot is held, its trigger_id still valid,
 * and fills it in only once the slot is free. A Bolt app as the bot builds it
 * (createSlackApp, every handler module) with one slot, over HTTP from the stand-in's driver.
 */
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formFirst,
  leaveAfterAckSlot,
  openForm,
  slotAfterForm,
} from '../../src/slack/after-ack-limit.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { createDriver, type Driver } from '../../src/slack-standin/index.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import { insertFamilies, seedForecastCycle } from './meeting-fixture.js';

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
    // `/form <name>`: says form-first, opens a form, then as `/hold` (asking for its slot a
    // second time, which takes nothing). `/form throw` fails before its form.
    app.command('/form', async ({ ack, body, client, command: c }) => {
      formFirst(body);
      await ack();
      if (c.text === 'throw') throw new Error('the test form failed before opening');
      await openForm(client, body, {
        trigger_id: c.trigger_id,
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'Test form' },
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: c.text } }],
        },
      });
      await slotAfterForm(body);
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
  // U_ALICE is an admin (SOPBOT_ADMIN_USERS): /forecast opens its form on this cycle's family.
  const { fam1 } = await insertFamilies(running.t.db);
  await seedForecastCycle(running.t.db, fam1, { rep: 'UREP0001', ops: 'UOPS0001', months: 12 });
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

describe('form openers, on an app with one after-ack slot', () => {
  /** The views.open of this trigger, once the stand-in has answered it. */
  const openOf = (triggerId: string) =>
    until(() =>
      running.standin.callsTo('views.open').some((c) => c.args.trigger_id === triggerId),
    ).then(() =>
      running.standin.callsTo('views.open').filter((c) => c.args.trigger_id === triggerId),
    );

  it('a test module opens its form at once, works after it only with the slot, and gives it back once', async () => {
    ran.length = 0;
    expect((await send('/hold', 'h')).status).toBe(200);
    await until(() => ran.includes('h'));
    const sent = await send('/form', 'x');
    const opens = await openOf(sent.triggerId);
    expect(opens.map((c) => c.response.ok)).toEqual([true]);
    // x's work after its form waits for h's slot; then it holds it, and y waits in turn.
    expect(ran).toEqual(['h']);
    expect((await send('/hold', 'y')).status).toBe(200);
    gates.get('h')?.();
    await until(() => ran.includes('x'));
    await new Promise((r) => setTimeout(r, 100));
    expect(ran).toEqual(['h', 'x']);
    gates.get('x')?.();
    await until(() => ran.includes('y'));
    gates.get('y')?.();
  });

  it('a form opener that fails before its form leaves the slot free', async () => {
    ran.length = 0;
    const told = running.standin.ephemeralsFor('U_ALICE').length;
    expect((await send('/form', 'throw')).status).toBe(200);
    // Its apology is the sign it has ended (answer-errors.ts tells the person).
    await until(() => running.standin.ephemeralsFor('U_ALICE').length > told);
    expect((await send('/hold', 'z')).status).toBe(200);
    await until(() => ran.includes('z'));
    expect(ran).toEqual(['z']);
    gates.get('z')?.();
  });

  it('/forecast with no text opens its form at once, and fills it in once the slot is free', async () => {
    ran.length = 0;
    expect((await send('/hold', 'f')).status).toBe(200);
    await until(() => ran.includes('f'));
    const sent = await send('/forecast', '');
    expect(sent.status).toBe(200);
    // Opened while f holds the slot: the trigger was used within its 3 s, once.
    const opens = await openOf(sent.triggerId);
    expect(opens.map((c) => c.response.ok)).toEqual([true]);
    expect(opens.map((c) => c.response.error)).toEqual([undefined]);
    const viewId = (opens[0]?.response.view as { id?: string } | undefined)?.id;
    expect(viewId).toBeTruthy();
    // Its filling in (reading the cycle's families, views.update) waits for the slot.
    await new Promise((r) => setTimeout(r, 300));
    expect(running.standin.callsTo('views.update')).toEqual([]);
    expect(running.standin.openViews('U_ALICE').map((v) => v.definition.callback_id)).not.toContain(
      'forecast_submit',
    );
    gates.get('f')?.();
    // The loading form, filled in: the same view, now the forecast form.
    const form = await running.standin.waitFor(() =>
      running.standin.openViews('U_ALICE').find((v) => v.id === viewId),
    );
    await until(() => form.definition.callback_id === 'forecast_submit');
    expect(running.standin.callsTo('views.update').map((c) => c.response.ok)).toEqual([true]);
  });

  it('/sop execution, through the router, opens its form at once', async () => {
    ran.length = 0;
    expect((await send('/hold', 'g')).status).toBe(200);
    await until(() => ran.includes('g'));
    const sent = await send('/sop', 'execution');
    expect(sent.status).toBe(200);
    const opens = await openOf(sent.triggerId);
    expect(opens.map((c) => c.response.ok)).toEqual([true]);
    // The slot is still g's: the form did not wait for it.
    expect(ran).toEqual(['g']);
    gates.get('g')?.();
  });
});
