/**
 * A Slack call the bot makes that never answers must not hold the request: the bot's Web API
 * client gives up after SOPBOT_BOT_SLACK_TIMEOUT_MS (here 1 s) without retrying, and a post to
 * a response_url (Bolt's `respond()`, or the apology sent by `tellUser`) after 5 s. Each
 * failure is logged once, with its stack, and the next command works. The real bot over
 * HTTP, the stand-in holding one answer at a time (`delayNext`: the call takes effect at once,
 * its answer comes a minute later).
 */
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { startStandin } from '../../src/slack-standin/index.js';
import { startHttpBot } from '../helpers/bot.js';
import { freshDb, insertCycle, insertMembers, redisPrefix, type TestDb } from '../helpers/db.js';
import { insertFamilies } from './meeting-fixture.js';

const PLANNER = 'U_PAT';
/** The house's apology (src/slack/reply.ts), written out. */
const WARNING =
  ':warning: Something went wrong on our side. It has been logged; please try again in a minute.';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly src?: string;
  readonly err?: { readonly message?: string; readonly stack?: string };
}
const lines: LogLine[] = [];
const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) });

/** How far the stand-in's clock runs ahead (to age a response_url). */
let skewMs = 0;
let t: TestDb;
let standin: Standin;
let driver: Driver;
let bot: RunningBot;

beforeAll(async () => {
  t = await freshDb();
  await insertMembers(t.db, { [PLANNER]: 'planner' });
  await insertFamilies(t.db);
  await insertCycle(t.db, { month: '2031-01', phase: 'demand_review', opened_by: PLANNER });
  standin = await startStandin({
    users: [{ id: PLANNER, name: 'pat', real_name: 'Pat', tz: 'UTC' }],
    now: () => Date.now() + skewMs,
  });
  const config = loadConfig(
    {
      DATABASE_URL: t.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SLACK_BOT_TOKEN: 'xoxb-hung-calls',
      SLACK_SIGNING_SECRET: 'hung-calls-secret',
      SLACK_API_URL: standin.apiUrl,
      SOPBOT_QUEUE_PREFIX: redisPrefix('hung-calls'),
      SOPBOT_BOT_SLACK_TIMEOUT_MS: '1000',
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_DIGEST_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
    },
    { slack: true },
  );
  ({ bot, driver } = await startHttpBot(config, standin, { logger }));
}, 60_000);

afterAll(async () => {
  // The stand-in first: an answer it still holds (the old code waits on it) is let go.
  await standin?.close();
  await bot?.stop();
  await t?.drop();
});

let seen = 0;
beforeEach(() => {
  seen = lines.length;
});

/** What the bot logged since the test began, at warn (40) and above, its own lines only. */
const logged = (level: number) =>
  lines.slice(seen).filter((l) => l.level === level && l.src !== 'bolt');

/** What `user` was told privately, in order: ephemerals and response_url replies. */
const toldTo = (user: string) => standin.ephemeralsFor(user).map((e) => e.text);

/** Resolves with `p`, or fails saying what did not come back within `ms`. */
const within = <T>(what: string, p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms),
    ),
  ]);

/** The next log line at `level` from the bot itself, waited for up to `ms`. */
const nextLogged = (level: number, ms: number) =>
  within(
    `a log line at level ${level}`,
    standin.waitFor(() => logged(level)[0], ms + 1000),
    ms,
  );

/** `/forecast` typed with no text opens its form; resolves once the form is filled in. */
async function forecastFormOpens(): Promise<void> {
  const opened = standin.callsTo('views.update').length;
  const ack = await driver.command('/forecast', { user: PLANNER, channel: 'C_GENERAL' });
  expect(ack.status).toBe(200);
  await standin.waitFor(() => standin.callsTo('views.update').length > opened, 10_000);
  const form = standin.openViews(PLANNER).at(-1);
  expect(JSON.stringify(form?.definition)).toContain('FAM-1');
}

describe('a Web API call of the bot that Slack never answers', () => {
  it('views.open fails after the timeout, once, logged with its stack; the person gets the apology and the next /forecast opens its form', async () => {
    const before = toldTo(PLANNER).length;
    standin.delayNext('views.open', { ms: 60_000 });
    const ack = await driver.command('/forecast', { user: PLANNER, channel: 'C_GENERAL' });
    expect(ack.status).toBe(200);
    // Without a timeout nothing is logged until Slack's answer comes, a minute later.
    const error = await nextLogged(50, 5_000);
    expect(error.msg).toBe('unhandled error in a handler');
    expect(error.err?.stack).toMatch(/\n\s+at /);
    const told = await standin.waitFor(
      () => (toldTo(PLANNER).length > before ? toldTo(PLANNER).slice(before) : undefined),
      5_000,
    );
    expect(told).toEqual([WARNING]);
    // Tried once: no retry sent the call again.
    expect(standin.callsTo('views.open')).toHaveLength(1);
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
    standin.delayNext('response_url', { ms: 60_000 });
    const started = Date.now();
    const ack = await driver.command('/sop', {
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
    const told = await standin.waitFor(
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
    standin.delayNext('views.open', { ms: 60_000 });
    standin.delayNext('response_url', { ms: 60_000 });
    const ack = await driver.command('/forecast', { user: PLANNER, channel: 'C_GENERAL' });
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
    expect(standin.callsTo('response_url').filter((c) => c.at >= started)).toHaveLength(1);

    await forecastFormOpens();
  }, 30_000);

  it('a response_url Slack refuses (expired): the apology is sent privately instead', async () => {
    const before = toldTo(PLANNER).length;
    const ephemerals = standin.callsTo('chat.postEphemeral').length;
    standin.delayNext('views.open', { ms: 60_000 });
    const ack = await driver.command('/forecast', { user: PLANNER, channel: 'C_GENERAL' });
    expect(ack.status).toBe(200);
    await standin.waitFor(() => standin.callsTo('views.open').length > 0, 5_000);
    // Half an hour passes for Slack while the form's call hangs: the response_url expires.
    skewMs = 31 * 60_000;
    try {
      const told = await standin.waitFor(
        () => (toldTo(PLANNER).length > before ? toldTo(PLANNER).slice(before) : undefined),
        5_000,
      );
      expect(told).toEqual([WARNING]);
      expect(standin.callsTo('response_url').at(-1)?.response).toEqual({
        ok: false,
        error: 'expired_url',
      });
      expect(standin.callsTo('chat.postEphemeral')).toHaveLength(ephemerals + 1);
    } finally {
      skewMs = 0;
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(logged(50)).toHaveLength(1);
    expect(logged(40)).toEqual([]);
  }, 30_000);
});
