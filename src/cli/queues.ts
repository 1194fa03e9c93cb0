/**
 * The job queues for one CLI command. Redis gets a bounded time to answer, so a command whose
 * database work is already committed never hangs on an unreachable Redis, and the connection
 * is always closed so the process can exit.
 */
import { createQueues, type Queues } from '../../jobs/queues.js';
import type { Config } from '../config.js';
import { createRedis } from '../redis.js';

export interface CliQueues {
  readonly queues: Queues;
  close(): Promise<void>;
}

/** Settle with `p`, or reject with `reason()` once `ms` have passed. */
export async function withTimeout<T>(p: Promise<T>, ms: number, reason: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason())), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Connect to REDIS_URL and wait for an answer within `timeoutMs`; throws why not. */
export async function openQueues(config: Config, timeoutMs: number): Promise<CliQueues> {
  const redis = createRedis(config.REDIS_URL, 'producer');
  const seen: { error?: Error } = {};
  // Without a listener ioredis prints every failed reconnect; the reason is reported once below.
  redis.on('error', (err: Error) => {
    seen.error = err;
  });
  const why = () => seen.error?.message ?? `no answer from Redis within ${timeoutMs} ms`;
  try {
    await withTimeout(redis.ping(), timeoutMs, why);
  } catch (err) {
    redis.disconnect();
    // ioredis's own error after its retries ("max retries per request") hides the cause.
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(seen.error ? why() : message, { cause: err });
  }
  const queues = createQueues(redis, config.SOPBOT_QUEUE_PREFIX);
  return {
    queues,
    async close() {
      try {
        await withTimeout(queues.close(), timeoutMs, why);
      } finally {
        redis.disconnect();
      }
    },
  };
}
