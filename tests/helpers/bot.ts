/**
 * The real bot (startBot) against the stand-in and a fresh database, with the settings every
 * bot test shares: `startTestBot` with the bot's own HTTP listener untouched (Socket Mode,
 * metrics), `startHttpTestBot` with a driver that sends it signed Slack requests over HTTP.
 */
import type { Logger } from 'pino';
import { type BotOptions, type RunningBot, startBot } from '../../src/bot.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/deps.js';
import {
  createDriver,
  type Driver,
  type Standin,
  type StandinOptions,
  startStandin,
} from '../../src/slack-standin/index.js';
import { freshDb, redisPrefix, type TestDb } from './db.js';
import { useFixture } from './fixture.js';

export interface TestBot {
  readonly t: TestDb;
  readonly standin: Standin;
  readonly bot: RunningBot;
  /** Stops the bot and the stand-in, and drops the database. */
  stop(): Promise<void>;
}

export interface HttpTestBot extends TestBot {
  readonly driver: Driver;
  readonly config: Config;
  /** The variables the config was loaded from. */
  readonly env: Readonly<Record<string, string>>;
  /** The Redis key prefix of the bot's queues. */
  readonly prefix: string;
}

/** What the variables of a test bot may depend on. */
export interface BotPlace {
  readonly dbUrl: string;
  readonly apiUrl: string;
  readonly prefix: string;
}

export interface HttpTestBotOptions {
  /** The stand-in's options; `startStandin`'s defaults otherwise. */
  readonly standin?: StandinOptions;
  /** Variables added to (or overriding) the bot's: SLACK_SIGNING_SECRET is `<label>-secret`. */
  readonly env?:
    | Readonly<Record<string, string>>
    | ((at: BotPlace) => Readonly<Record<string, string>>);
  /** Fills the fresh database before the bot starts. */
  readonly seed?: (t: TestDb, standin: Standin) => Promise<void>;
  readonly clock?: Clock;
  /** The bot's logger (to read what it logs); silent otherwise. */
  readonly logger?: Logger;
  /** The bot's after-ack slots (BotOptions.afterAckSlots; its pool is sized from them). */
  readonly afterAckSlots?: number;
}

/**
 * A fresh database (seeded), the stand-in, and the config of a bot on them: its database,
 * the stand-in's API, token `xoxb-<label>`, silent logs, queues under a prefix of its own.
 */
async function prepare(label: string, opts: HttpTestBotOptions) {
  const t = await freshDb();
  const standin = await startStandin(opts.standin);
  await opts.seed?.(t, standin);
  const prefix = redisPrefix(label);
  const place = { dbUrl: t.url, apiUrl: standin.apiUrl, prefix };
  const env = {
    DATABASE_URL: t.url,
    SLACK_BOT_TOKEN: `xoxb-${label}`,
    SLACK_API_URL: standin.apiUrl,
    LOG_LEVEL: 'silent',
    SOPBOT_QUEUE_PREFIX: prefix,
    ...(typeof opts.env === 'function' ? opts.env(place) : opts.env),
  };
  const config = loadConfig(env, { slack: true });
  /** Stops the bot and the stand-in, and drops the database. */
  const stop = (bot: RunningBot) => async () => {
    await bot.stop();
    await standin.close();
    await t.drop();
  };
  return { t, standin, prefix, env, config, stop };
}

export async function startTestBot(
  label: string,
  env: Readonly<Record<string, string>> = {},
  opts: BotOptions = {},
): Promise<TestBot> {
  const { t, standin, config, stop } = await prepare(label, {
    standin: { postMessageRate: false },
    env: {
      SOPBOT_ADMIN_USERS: 'U_ALICE',
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
      ...env,
    },
  });
  const bot = await startBot(config, { port: 0, ...opts });
  return { t, standin, bot, stop: stop(bot) };
}

/**
 * The real bot (startBot) over HTTP on a free port, and a stand-in driver that signs its
 * requests with the config's signing secret, as Slack does.
 */
export async function startHttpBot(
  config: Config,
  standin: Standin,
  opts: Pick<BotOptions, 'clock' | 'logger' | 'afterAckSlots'> = {},
): Promise<{ bot: RunningBot; driver: Driver }> {
  const bot = await startBot(config, { ...opts, port: 0 });
  const driver = createDriver({
    botUrl: `http://127.0.0.1:${bot.slack.port()}/slack/events`,
    signingSecret: config.SLACK_SIGNING_SECRET ?? '',
    standin,
  });
  return { bot, driver };
}

/** A fresh database, the stand-in, and the real bot over HTTP with its signing driver. */
export async function startHttpTestBot(
  label: string,
  opts: HttpTestBotOptions = {},
): Promise<HttpTestBot> {
  const env = opts.env;
  const { stop, ...ready } = await prepare(label, {
    ...opts,
    env: (at) => ({
      SLACK_SIGNING_SECRET: `${label}-secret`,
      ...(typeof env === 'function' ? env(at) : env),
    }),
  });
  const { bot, driver } = await startHttpBot(ready.config, ready.standin, {
    clock: opts.clock,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.afterAckSlots ? { afterAckSlots: opts.afterAckSlots } : {}),
  });
  return { ...ready, bot, driver, stop: stop(bot) };
}

/** startHttpTestBot for the enclosing file or describe block: before its tests, stopped after. */
export function useHttpTestBot(label: string, opts: HttpTestBotOptions = {}): HttpTestBot {
  return useFixture(
    () => startHttpTestBot(label, opts),
    (b) => b.stop(),
  );
}
