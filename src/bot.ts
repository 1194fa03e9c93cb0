/**
 * The bot's composition root: builds the pool, the Redis connection, the queues and the Bolt
 * app, passes them down, and closes them in order on SIGTERM/SIGINT.
 */
import type { Logger } from 'pino';
import { createDb } from '../db/connect.js';
import { createQueues } from '../jobs/queues.js';
import type { Config } from './config.js';
import { type AppDeps, type Clock, runOnce, systemClock } from './deps.js';
import { listenNamingPort } from './errors.js';
import { createLogger } from './logger.js';
import {
  countingEnqueueFailures,
  Metrics,
  type MetricsServer,
  serveMetricsIfAsked,
  slackMetricsModule,
} from './metrics.js';
import { createRedis } from './redis.js';
import { type OutboxRelay, startOutboxRelay } from './services/outbox.js';
import { useConfiguredTimezone } from './services/settings.js';
import { AFTER_ACK_CONCURRENCY } from './slack/after-ack-limit.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { stopHomeRedraws } from './slack/home.js';

export interface RunningBot {
  readonly slack: SlackApp;
  readonly deps: AppDeps;
  /** The metrics port, or null when BOT_METRICS_PORT is 0. */
  readonly metricsPort: number | null;
  /** Drop App Home redraws waiting out a 429, stop taking requests, then close the queues, Redis and the pool. */
  stop(): Promise<void>;
}

export interface BotOptions {
  readonly clock?: Clock;
  /** Overrides config.PORT (0 picks a free port). */
  readonly port?: number;
  readonly botId?: string;
  readonly botUserId?: string;
  /** Overrides BOT_METRICS_PORT: a port (0 = any free one), or null for no endpoint. */
  readonly metricsPort?: number | null;
  /** The bot's logger (tests read what it logs); one on stderr at LOG_LEVEL otherwise. */
  readonly logger?: Logger;
  /**
   * How many listeners may work after their ack at once (AFTER_ACK_CONCURRENCY); the pool is
   * sized from it (botPoolSize). Tests give a small bot.
   */
  readonly afterAckSlots?: number;
}

/**
 * How long the bot waits for a database connection: a server out of reach that does not refuse
 * (a network partition) fails the request in time for the apology to reach the person within
 * Slack's 3 s, instead of leaving them with nothing.
 */
const BOT_DB_CONNECT_TIMEOUT_MS = 2_000;

/**
 * The bot's database pool for `slots` listeners working after their ack at once: two
 * connections for each, one of which a Done click holds with its action's draw lock while it
 * reads the action on the other, and two for the rest (the outbox relay, /healthz, what
 * listeners read before their ack). With one each, ten such clicks at once held all ten and
 * waited for an eleventh. The bot's own: botPoolSize(AFTER_ACK_CONCURRENCY), 22.
 */
export const botPoolSize = (slots: number): number => 2 * slots + 2;

export async function startBot(config: Config, opts: BotOptions = {}): Promise<RunningBot> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, 'sopbot-bot');
  const afterAckSlots = opts.afterAckSlots ?? AFTER_ACK_CONCURRENCY;
  const db = createDb(config.DATABASE_URL, {
    max: botPoolSize(afterAckSlots),
    applicationName: 'sopbot-bot',
    logger,
    connectTimeoutMs: BOT_DB_CONNECT_TIMEOUT_MS,
  });
  const redis = createRedis(config.REDIS_URL, 'producer');
  const queues = createQueues(redis, config.SOPBOT_QUEUE_PREFIX, logger);
  const metrics = new Metrics();
  const queue = countingEnqueueFailures(queues, metrics);
  const deps: AppDeps = { db, queue, config, logger, clock: opts.clock ?? systemClock };
  const slack = createSlackApp(deps, {
    token: config.SLACK_BOT_TOKEN ?? '',
    ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    ...(opts.botId ? { botId: opts.botId } : {}),
    ...(opts.botUserId ? { botUserId: opts.botUserId } : {}),
    port: opts.port ?? config.PORT,
    slackTimeoutMs: config.SOPBOT_BOT_SLACK_TIMEOUT_MS,
    afterAckSlots,
    redis,
    modules: [slackMetricsModule(metrics)],
  });
  let server: MetricsServer | null = null;
  let relay: OutboxRelay | null = null;
  const closeServices = async () => {
    await queues.close();
    redis.disconnect();
    await db.destroy();
  };
  const stopSlack = async () => {
    // An App Home redraw waiting out a 429 would fire into the stopping app, or after it, on
    // the closed pool. Listeners finishing meanwhile start no new wait.
    stopHomeRedraws(deps);
    await slack.stop();
  };
  /** What has started so far: a start that fails stops it, the last first. */
  const started: (() => Promise<void>)[] = [closeServices];
  try {
    await useConfiguredTimezone(db, config, logger);
    // The port named as it was given: `sopbot bot --port`, else PORT.
    await listenNamingPort(slack.start(), opts.port ?? config.PORT, {
      setting: opts.port === undefined ? 'PORT' : '--port',
      server: "the bot's Slack endpoint",
    });
    started.push(stopSlack);
    // Job requests recorded while the queue was down go out as soon as it answers again.
    relay = startOutboxRelay(deps, {
      requestRetentionDays: config.SOPBOT_REQUEST_RETENTION_DAYS,
    });
    started.push(async () => relay?.stop());
    server = await serveMetricsIfAsked(metrics, opts.metricsPort, config.BOT_METRICS_PORT, {
      setting: 'BOT_METRICS_PORT',
      server: "the bot's metrics endpoint",
    });
  } catch (err) {
    // Nothing may stay open (the Slack listener would keep the process alive); the error is
    // its caller's to log and tell, once.
    for (const stop of started.reverse()) await stop();
    throw err;
  }
  const metricsPort = server?.port ?? null;
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  logger.info({ port: slack.port(), socketMode, metricsPort }, 'sopbot bot started');
  return {
    slack,
    deps,
    metricsPort,
    stop: runOnce(async () => {
      // First, stop taking requests; then what they may have asked for.
      await stopSlack();
      await relay?.stop();
      await server?.close();
      await closeServices();
      logger.info('sopbot bot stopped');
    }),
  };
}
