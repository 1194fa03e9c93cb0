/**
 * The real bot (startBot) against the stand-in and a fresh database, with the settings every
 * bot test shares; `env` adds or overrides variables.
 */
import { type BotOptions, type RunningBot, startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { type Standin, startStandin } from '../../src/slack-standin/index.js';
import { freshDb, redisPrefix, type TestDb } from './db.js';

export interface TestBot {
  readonly t: TestDb;
  readonly standin: Standin;
  readonly bot: RunningBot;
  /** Stops the bot and the stand-in, and drops the database. */
  stop(): Promise<void>;
}

export async function startTestBot(
  label: string,
  env: Readonly<Record<string, string>> = {},
  opts: BotOptions = {},
): Promise<TestBot> {
  const t = await freshDb();
  const standin = await startStandin({ postMessageRate: false });
  const config = loadConfig(
    {
      DATABASE_URL: t.url,
      SLACK_BOT_TOKEN: `xoxb-${label}`,
      SLACK_API_URL: standin.apiUrl,
      SOPBOT_ADMIN_USERS: 'U_ALICE',
      LOG_LEVEL: 'silent',
      SOPBOT_QUEUE_PREFIX: redisPrefix(label),
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
      ...env,
    },
    { slack: true },
  );
  const bot = await startBot(config, { port: 0, ...opts });
  return {
    t,
    standin,
    bot,
    async stop() {
      await bot.stop();
      await standin.close();
      await t.drop();
    },
  };
}
