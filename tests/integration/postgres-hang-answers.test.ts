/**
 * Chaos: PostgreSQL out of reach behind a network partition, where a connection is neither
 * refused nor reset but never answered. The bot must still answer a person within Slack's 3 s
 * with the apology (src/slack/answer-errors.ts): its pool gives up on a connection that does
 * not answer (db/connect.ts, `connectTimeoutMs`) instead of waiting for ever. The real bot over
 * HTTP, the Slack stand-in, the shared Redis, the shared PostgreSQL behind a TCP relay that the
 * test cuts (tests/helpers/tcp-partition.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { startStandin } from '../../src/slack-standin/index.js';
import { startHttpBot } from '../helpers/bot.js';
import { freshDb, insertMembers, redisPrefix, type TestDb } from '../helpers/db.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { startTcpPartition, type TcpPartition } from '../helpers/tcp-partition.js';

const PLANNER = 'U_PAT';
/** The house's apology (src/slack/reply.ts), written out: it says nothing of what was saved. */
const WARNING =
  ':warning: Something went wrong on our side. It has been logged; please try again in a minute.';

const { logger, lines } = recordedLogs();

let t: TestDb;
let relay: TcpPartition;
let standin: Standin;
let driver: Driver;
let bot: RunningBot;

beforeAll(async () => {
  t = await freshDb();
  await insertMembers(t.db, { [PLANNER]: 'planner' });
  relay = await startTcpPartition({ host: '127.0.0.1', port: Number(new URL(t.url).port || 5432) });
  standin = await startStandin({
    users: [{ id: PLANNER, name: 'pat', real_name: 'Pat', tz: 'UTC' }],
  });
  const config = loadConfig(
    {
      DATABASE_URL: relay.through(t.url),
      REDIS_URL: 'redis://127.0.0.1:6379',
      SLACK_BOT_TOKEN: 'xoxb-pg-hang',
      SLACK_SIGNING_SECRET: 'pg-hang-secret',
      SLACK_API_URL: standin.apiUrl,
      SOPBOT_QUEUE_PREFIX: redisPrefix('pg-hang'),
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_DIGEST_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
    },
    { slack: true },
  );
  ({ bot, driver } = await startHttpBot(config, standin, { logger }));
}, 60_000);

afterAll(async () => {
  // The relay first: a request still waiting on it (the old code) is let go.
  await relay?.close();
  await bot?.stop();
  await standin?.close();
  await t?.drop();
});

/** What `user` was told privately: ephemerals anywhere, and messages in their DM with the bot. */
const toldTo = (user: string) => [
  ...standin.ephemeralsFor(user).map((e) => e.text),
  ...standin.messagesIn(`D_${user}`).map((m) => m.text),
];

describe('PostgreSQL behind a partition (connections hang)', () => {
  it('/sop status answers through the relay while the network is whole', async () => {
    const ack = await driver.command('/sop', { user: PLANNER, channel: 'C_EXEC', text: 'status' });
    expect(ack.status).toBe(200);
    const told = await standin.waitFor(() => toldTo(PLANNER).at(-1), 10_000);
    expect(told).not.toBe(WARNING);
  });

  it('/sop status gets the apology within 3 s, logged once with its stack', async () => {
    const before = toldTo(PLANNER).length;
    const loggedBefore = lines.filter((l) => l.level >= 50).length;
    // The connections the bot's pool held are dropped (as its idle timeout lets them go in a
    // partition that lasts), and the pool has let them go; every new one is accepted and hangs.
    relay.partition();
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    const sent = driver.command('/sop', { user: PLANNER, channel: 'C_EXEC', text: 'status' });
    // Without a connect timeout nothing comes back at all: say so rather than wait for ever.
    const ack = await Promise.race([
      sent,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the bot did not answer within 10 s')), 10_000),
      ),
    ]);
    expect(ack.status).toBe(200);
    const told = await standin.waitFor(
      () => (toldTo(PLANNER).length > before ? toldTo(PLANNER).slice(before) : undefined),
      10_000,
    );
    // Within Slack's 3 s, whether it came with the ack or right after it.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(told).toEqual([WARNING]);
    await new Promise((r) => setTimeout(r, 1_000));
    const logged = lines
      .filter((l) => l.level >= 50)
      .slice(loggedBefore)
      .filter((l) => !l.msg.startsWith('outbox relay:'));
    expect(logged).toHaveLength(1);
    expect(logged[0]!.err?.stack).toMatch(/\n\s+at /);
  }, 30_000);
});
