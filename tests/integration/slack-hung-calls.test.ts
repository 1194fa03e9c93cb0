/**
 * A Slack call the bot makes that never answers must not hold the request: the bot's Web API
 * client gives up after SOPBOT_BOT_SLACK_TIMEOUT_MS (here 1 s) without retrying, and a post to
 * a response_url (Bolt's `respond()`, or the apology sent by `tellUser`) after 5 s. Each
 * failure is logged once, with its stack (counting what Bolt and its client log: the client's
 * own "http request failed" warning about the same call is no second line), and the next
 * command works. The real bot over HTTP, the stand-in holding one answer at a time
 * (`delayNext`: the call takes effect at once, its answer comes a minute later).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { insertFamilies } from './meeting-fixture.js';

const PLANNER = 'U_PAT';
/** The house's apology (src/slack/reply.ts), written out. */
const WARNING =
  ':warning: Something went wrong on our side. It has been logged; please try again in a minute.';

const { logger, lines } = recordedLogs();

/** How far the stand-in's clock runs ahead (to age a response_url). */
let skewMs = 0;
const h = useHttpTestBot('hung-calls', {
  standin: {
    users: [{ id: PLANNER, name: 'pat', real_name: 'Pat', tz: 'UTC' }],
    now: () => Date.now() + skewMs,
  },
  env: { SOPBOT_BOT_SLACK_TIMEOUT_MS: '1000' },
  seed: async ({ db }) => {
    await insertMembers(db, { [PLANNER]: 'planner' });
    await insertFamilies(db);
    await insertCycle(db, { month: '2031-01', phase: 'demand_review', opened_by: PLANNER });
  },
  logger,
});

let seen = 0;
beforeEach(() => {
  seen = lines.length;
});

/** What the bot logged since the test began at `level` (40 warn, 50 error), Bolt's lines too. */
const logged = (level: number) => lines.slice(seen).filter((l) => l.level === level);

/** What `user` was told privately, in order: ephemerals and response_url replies. */
const toldTo = (user: string) => h.standin.ephemeralsFor(user).map((e) => e.text);

/** The first line at `level` the bot logged since the test began, waited for up to `ms`. */
const nextLogged = (level: number, ms: number) => h.standin.waitFor(() => logged(level)[0], ms);

/** `/forecast` typed with no text opens its form; resolves once the form is filled in. */
async function forecastFormOpens(): Promise<void> {
  const opened = h.standin.callsTo('views.update').length;
  const ack = await h.driver.command('/forecast', { user: PLANNER, channel: 'C_GENERAL' });
  expect(ack.status).toBe(200);
  await h.standin.waitFor(() => h.standin.callsTo('views.update').length > opened, 10_000);
  const form = h.standin.openViews(PLANNER).at(-1);
  expect(JSON.stringify(form?.definition)).toContain('FAM-1');
}

describe('a Web API call of the bot that Slack never answers', () => {
  it('views.open fails after the timeout, once, logged with its stack; the person gets the apology and the next /forecast opens its form', async () => {
    const before = toldTo(PLANNER).length;
    h.standin.delayNext('views.open', { ms: 60_000 });
    const ack = await h.driver.command('/forecast', { user: PLANNER, channel: 'C_GENERAL' });
    expect(ack.status).toBe(200);
    // Without a timeout nothing is logged until Slack's answer comes, a minute later.
    const error = await nextLogged(50, 5_000);
    expect(error.msg).toBe('unhandled error in a handler');
    expect(error.err?.stack).toMatch(/\n\s+at /);
    const told = await h.standin.waitFor(
      () => (toldTo(PLANNER).length > before ? toldTo(PLANNER).slice(before) : undefined),
      5_000,
    );
    expect(told).toEqual([WARNING]);
    // Tried once: no retry sent the call again.
    expect(h.standin.callsTo('views.open')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(logged(50)).toHaveLength(1);
    expect(logged(40)).toEqual([]);

    await forecastFormOpens();
    expect(logged(50)).toHaveLength(1);
  }, 30_000);
});

describe('a post to a response_url that Slack never answers', () => {
  it("Bolt's respond() gives up after 5 s, logged once with its stack, and the apology follows", async () => {
    const before = toldTo(PLANNER).length;
    h.standin.delayNext('response_url', { ms: 60_000 });
    const started = Date.now();
    const ack = await h.driver.command('/sop', {
      user: PLANNER,
      channel: 'C_GENERAL',
      text: 'decisions',
    });
    expect(ack.status).toBe(200);
    const error = await nextLogged(50, 8_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    expect(error.msg).toBe('/sop failed');
    expect(error.err?.stack).toMatch(/\n\s+at /);
    // The list was shown (Slack took the post), then the apology for the answer that never came.
    const told = await h.standin.waitFor(
      () => (toldTo(PLANNER).length > before + 1 ? toldTo(PLANNER).slice(before) : undefined),
      5_000,
    );
    expect(told).toEqual(['No decisions recorded.', WARNING]);
    await new Promise((r) => setTimeout(r, 500));
    expect(logged(50)).toHaveLength(1);
  }, 30_000);

  it('the apology itself: tellUser gives up after 5 s and logs that once with its stack, nothing else; the next /forecast works', async () => {
    const started = Date.now();
    // The form cannot open (its call hangs), and the apology's post hangs too.
    h.standin.delayNext('views.open', { ms: 60_000 });
    h.standin.delayNext('response_url', { ms: 60_000 });
    const ack = await h.driver.command('/forecast', { user: PLANNER, channel: 'C_GENERAL' });
    expect(ack.status).toBe(200);
    const error = await nextLogged(50, 5_000);
    expect(error.msg).toBe('unhandled error in a handler');
    const warning = await nextLogged(40, 9_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    expect(warning.msg).toBe('could not tell the user about an error');
    expect(warning.err?.message).toMatch(/^the response_url did not answer within 5000 ms/);
    expect(warning.err?.stack).toMatch(/\n\s+at /);
    await new Promise((r) => setTimeout(r, 1_000));
    // One entry for the hung call, one for the hung apology: no second error path.
    expect(logged(50)).toHaveLength(1);
    expect(logged(40)).toHaveLength(1);
    expect(h.standin.callsTo('response_url').filter((c) => c.at >= started)).toHaveLength(1);

    await forecastFormOpens();
  }, 30_000);

  it('a response_url Slack refuses (expired): the apology is sent privately instead', async () => {
    const before = toldTo(PLANNER).length;
    const ephemerals = h.standin.callsTo('chat.postEphemeral').length;
    h.standin.delayNext('views.open', { ms: 60_000 });
    const ack = await h.driver.command('/forecast', { user: PLANNER, channel: 'C_GENERAL' });
    expect(ack.status).toBe(200);
    await h.standin.waitFor(() => h.standin.callsTo('views.open').length > 0, 5_000);
    // Half an hour passes for Slack while the form's call hangs: the response_url expires.
    skewMs = 31 * 60_000;
    try {
      const told = await h.standin.waitFor(
        () => (toldTo(PLANNER).length > before ? toldTo(PLANNER).slice(before) : undefined),
        5_000,
      );
      expect(told).toEqual([WARNING]);
      expect(h.standin.callsTo('response_url').at(-1)?.response).toEqual({
        ok: false,
        error: 'expired_url',
      });
      expect(h.standin.callsTo('chat.postEphemeral')).toHaveLength(ephemerals + 1);
    } finally {
      skewMs = 0;
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(logged(50)).toHaveLength(1);
    expect(logged(40)).toEqual([]);
  }, 30_000);
});
