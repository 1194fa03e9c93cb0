/**
 * The bot's composition root: builds the pool, the Redis connection, the queues and the Bolt
 * app, passes them down, and closes them in order on SIGTERM/SIGINT.
 */
import { createDb } from '../db/connect.js';
import { createQueues } from '../jobs/queues.js';
import type { Config } from './config.js';
import { type AppDeps, type Clock, systemClock } from './deps.js';
import { createLogger } from './logger.js';
import { createRedis } from './redis.js';
import { type OutboxRelay, startOutboxRelay } from './services/outbox.js';
import { useConfiguredTimezone } from './services/settings.js';
import { createSlackApp, type SlackApp } from './slack/app.js';

export interface RunningBot {
  readonly slack: SlackApp;
  readonly deps: AppDeps;
  /** Stop taking requests, then close the queues, Redis and the pool. */
  stop(): Promise<void>;
}

export interface BotOptions {
  readonly clock?: Clock;
  /** Overrides config.PORT (0 picks a free port). */
  readonly port?: number;
  readonly botId?: string;
  readonly botUserId?: string;
}

export async function startBot(config: Config, opts: BotOptions = {}): Promise<RunningBot> {
  const logger = createLogger(config.LOG_LEVEL, 'sopbot-bot');
  const db = createDb(config.DATABASE_URL, { max: 10, applicationName: 'sopbot-bot', logger });
  const redis = createRedis(config.REDIS_URL, 'producer');
  const queue = createQueues(redis, config.SOPBOT_QUEUE_PREFIX, logger);
  const deps: AppDeps = { db, queue, config, logger, clock: opts.clock ?? systemClock };
  const slack = createSlackApp(deps, {
    token: config.SLACK_BOT_TOKEN ?? '',
    ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    ...(opts.botId ? { botId: opts.botId } : {}),
    ...(opts.botUserId ? { botUserId: opts.botUserId } : {}),
    port: opts.port ?? config.PORT,
    redis,
  });
  let relay: OutboxRelay | null = null;
  const closeAll = async () => {
    await relay?.stop();
    await queue.close();
    redis.disconnect();
    await db.destroy();
  };
  try {
    await useConfiguredTimezone(db, config, logger);
    await slack.start();
    // Job requests recorded while the queue was down go out as soon as it answers again.
    relay = startOutboxRelay(deps);
  } catch (err) {
    await closeAll();
    throw err;
  }
  logger.info(
    { port: slack.port(), socketMode: Boolean(config.SLACK_APP_TOKEN) },
    'sopbot bot started',
  );
  let stopping: Promise<void> | null = null;
  return {
    slack,
    deps,
    stop() {
      stopping ??= (async () => {
        await slack.stop();
        await closeAll();
        logger.info('sopbot bot stopped');
      })();
      return stopping;
    },
  };
}
