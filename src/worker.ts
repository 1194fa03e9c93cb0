/**
 * The worker's composition root: builds the pool, the Redis connections, the queues, the
 * Slack client (429s rejected, so the job is delayed instead of the worker blocked; a call
 * unanswered after SOPBOT_SLACK_TIMEOUT_MS fails, so the job is retried; its log lines in the
 * worker's JSON log, src/slack/slack-logger.ts), the
 * runtime and the metrics endpoint; schedules the daily recompute; closes everything in
 * order on stop, letting running jobs finish.
 */

import { WebClient } from '@slack/web-api';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { createDb } from '../db/connect.js';
import { QUEUES } from '../jobs/contracts.js';
import { createQueues, type Queues } from '../jobs/queues.js';
import { type JobRuntime, startRuntime } from '../jobs/runtime.js';
import type { Config } from './config.js';
import { type Clock, runOnce, systemClock } from './deps.js';
import { createLogger } from './logger.js';
import {
  countingEnqueueFailures,
  Metrics,
  type MetricsServer,
  serveMetricsIfAsked,
} from './metrics.js';
import { createRedis } from './redis.js';
import { startOutboxRelay } from './services/outbox.js';
import { useConfiguredTimezone } from './services/settings.js';
import { slackLogger } from './slack/slack-logger.js';

export interface RunningWorker {
  readonly runtime: JobRuntime;
  readonly queues: Queues;
  /** The metrics port, or null when METRICS_PORT is 0. */
  readonly metricsPort: number | null;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  readonly clock?: Clock;
  /** Overrides METRICS_PORT: a port (0 = any free one), or null for no endpoint. */
  readonly metricsPort?: number | null;
  readonly concurrency?: number;
}

function slackClientFor(config: Config, logger: Logger): WebClient {
  return new WebClient(config.SLACK_BOT_TOKEN, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    logger: slackLogger(logger, 'web-api'),
    rejectRateLimitedCalls: true,
    // The queue retries the job with backoff; a client-side retry loop would hold the worker.
    retryConfig: { retries: 0 },
    // A call Slack never answers fails after this instead of holding its job (and the worker's
    // slot) for minutes; the retry goes through the post ledger, which finds a post that did
    // reach Slack in the channel's history rather than sending it again.
    timeout: config.SOPBOT_SLACK_TIMEOUT_MS,
  });
}

/**
 * Upserts job scheduler `id` of `queue` at `pattern` in `tz`, unless it is there already, at
 * that pattern and zone, with its next job waiting: upserting it again replaces that job with
 * the one of the next slot after now, so a worker started after a slot that every worker was
 * down across dropped that slot's job (a week's S&OE digest, a day's recompute). Left, the job
 * due runs late, once, when a worker takes it; a changed pattern or zone takes effect at once.
 */
async function upsertScheduler(
  queue: Queue,
  id: string,
  repeat: { readonly pattern: string; readonly tz: string },
  template: { readonly name: string; readonly data: Record<string, never> },
): Promise<void> {
  const now = await queue.getJobScheduler(id);
  if (
    now?.pattern === repeat.pattern &&
    now.tz === repeat.tz &&
    now.name === template.name &&
    now.next !== undefined
  ) {
    const next = await queue.getJob(`repeat:${id}:${now.next}`);
    const state = next ? await next.getState() : null;
    if (state === 'delayed' || state === 'waiting' || state === 'prioritized') return;
  }
  await queue.upsertJobScheduler(id, { ...repeat }, { ...template });
}

/** The one job scheduler of the daily recompute (`recompute-daily`), for whichever cycle is open. */
export const RECOMPUTE_SCHEDULER = 'recompute-daily';
/** Earlier versions upserted one scheduler per open cycle at start; they would still fire. */
const LEGACY_RECOMPUTE_SCHEDULER = /^recompute-daily-cycle-\d+$/;

/**
 * Upserts the daily recompute (SOPBOT_RECOMPUTE_CRON in SOPBOT_TIMEZONE): one scheduler for
 * all cycles, whose job recomputes the cycle open when it fires, so a cycle opened or closed
 * while the worker runs needs no restart. `off` removes it. Also removes the per-cycle
 * schedulers earlier versions made. Returns the scheduler's id, or null when off.
 */
export async function scheduleRecompute(queues: Queues, config: Config): Promise<string | null> {
  const planning = queues.queue('planning');
  for (const s of await planning.getJobSchedulers())
    if (LEGACY_RECOMPUTE_SCHEDULER.test(s.key)) await planning.removeJobScheduler(s.key);
  if (config.SOPBOT_RECOMPUTE_CRON === 'off') {
    await planning.removeJobScheduler(RECOMPUTE_SCHEDULER);
    return null;
  }
  await upsertScheduler(
    planning,
    RECOMPUTE_SCHEDULER,
    { pattern: config.SOPBOT_RECOMPUTE_CRON, tz: config.SOPBOT_TIMEZONE },
    { name: 'recompute-daily', data: {} },
  );
  return RECOMPUTE_SCHEDULER;
}

/**
 * Upserts the weekly S&OE digest: Monday morning in the company's time zone (a digest whose
 * slot passed while no worker ran is kept: `upsertScheduler`). `off` removes it (a scheduler
 * stays in Redis until removed). Returns its id, or null when off.
 */
export async function scheduleDigest(queues: Queues, config: Config): Promise<string | null> {
  const id = 'execution-digest-weekly';
  const notifications = queues.queue('notifications');
  if (config.SOPBOT_DIGEST_CRON === 'off') {
    await notifications.removeJobScheduler(id);
    return null;
  }
  await upsertScheduler(
    notifications,
    id,
    { pattern: config.SOPBOT_DIGEST_CRON, tz: config.SOPBOT_TIMEZONE },
    { name: 'execution-digest', data: {} },
  );
  return id;
}

/**
 * The worker's database pool for `concurrency` jobs on each queue: at least one connection
 * more than it runs jobs, plus the outbox relay, the recovery sweep and the scheduler's reads.
 * A job may hold one connection while it asks for another (a redraw holding its action's lock,
 * withSessionLock; a query outside a transaction still open); with as many such jobs as the
 * pool has connections, each would wait for a connection none gives back, and the worker
 * would stop for good. Ten at the least, as before.
 */
export function workerPoolSize(concurrency: number): number {
  return Math.max(10, QUEUES.length * concurrency + 4);
}

export async function startWorker(
  config: Config,
  opts: WorkerOptions = {},
): Promise<RunningWorker> {
  const logger = createLogger(config.LOG_LEVEL, 'sopbot-worker');
  const db = createDb(config.DATABASE_URL, {
    max: workerPoolSize(opts.concurrency ?? config.SOPBOT_WORKER_CONCURRENCY),
    applicationName: 'sopbot-worker',
    logger,
  });
  // Before any job runs: the jobs read the company's zone from the settings.
  try {
    await useConfiguredTimezone(db, config, logger);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const producer = createRedis(config.REDIS_URL, 'producer');
  const connection = createRedis(config.REDIS_URL, 'worker');
  const queues = createQueues(producer, config.SOPBOT_QUEUE_PREFIX, logger);
  const metrics = new Metrics(
    (['planning', 'posts', 'notifications'] as const).map((n) => queues.queue(n)),
  );
  const runtime = startRuntime(
    {
      db,
      queue: countingEnqueueFailures(queues, metrics),
      slack: slackClientFor(config, logger),
      config,
      logger,
      clock: opts.clock ?? systemClock,
      connection,
      prefix: config.SOPBOT_QUEUE_PREFIX,
      metrics,
    },
    opts.concurrency ? { concurrency: opts.concurrency } : {},
  );
  let server: MetricsServer | null = null;
  try {
    server = await serveMetricsIfAsked(metrics, opts.metricsPort, config.METRICS_PORT, {
      setting: 'METRICS_PORT',
      server: "the worker's metrics endpoint",
    });
    await scheduleRecompute(queues, config);
    await scheduleDigest(queues, config);
  } catch (err) {
    await runtime.close();
    await queues.close();
    connection.disconnect();
    producer.disconnect();
    await db.destroy();
    throw err;
  }
  // Job requests recorded while the queue was down go out as soon as it answers again.
  const relay = startOutboxRelay(
    { db, queue: queues, logger },
    { requestRetentionDays: config.SOPBOT_REQUEST_RETENTION_DAYS },
  );
  logger.info({ metricsPort: server?.port ?? null }, 'sopbot worker started');
  return {
    runtime,
    queues,
    metricsPort: server?.port ?? null,
    stop: runOnce(async () => {
      await relay.stop();
      await runtime.close();
      await server?.close();
      await queues.close();
      connection.disconnect();
      producer.disconnect();
      await db.destroy();
      logger.info('sopbot worker stopped');
    }),
  };
}
