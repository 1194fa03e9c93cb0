/**
 * The BullMQ side of the contract: one Queue per queue name, and `enqueue` that validates the
 * payload, applies the deterministic job id, retries with backoff, and debounces when asked.
 */
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  type EnqueueOptions,
  JOB_QUEUE,
  type JobInput,
  type JobName,
  type JobQueue,
  jobId,
  parsePayload,
  QUEUES,
  type QueueName,
} from './contracts.js';

export interface Queues extends JobQueue {
  readonly prefix: string;
  queue(name: QueueName): Queue;
  close(): Promise<void>;
}

/** Kept long enough that a retried request finds its job id already used. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * `logger`: where the queues' connection errors go, once per outage (with the stack) rather
 * than at every reconnection attempt; without it, BullMQ prints them.
 */
export function createQueues(
  connection: Redis,
  prefix: string,
  logger?: { warn(obj: object, msg: string): void },
): Queues {
  const queues = new Map<QueueName, Queue>();
  let down = false;
  if (logger) connection.on('ready', () => (down = false));
  for (const name of QUEUES) {
    const q = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    if (logger)
      q.on('error', (err) => {
        if (down) return;
        down = true;
        logger.warn({ err, queue: name }, 'job queue connection lost; requests wait in the outbox');
      });
    queues.set(name, q);
  }
  const get = (name: QueueName): Queue => queues.get(name)!;
  return {
    prefix,
    queue: get,
    async enqueue<N extends JobName>(
      name: N,
      input: JobInput<N>,
      opts: EnqueueOptions = {},
    ): Promise<string> {
      const payload = parsePayload(name, input);
      const id = jobId(name, payload);
      const jobOpts: JobsOptions = {};
      if (opts.debounceMs !== undefined && opts.debounceMs > 0) {
        // Debounce mode: while the job waits out its delay, a newer one replaces it and the
        // delay restarts; one that arrives while it runs is kept and runs once afterwards.
        jobOpts.delay = opts.debounceMs;
        jobOpts.deduplication = { id, ttl: opts.debounceMs, extend: true, replace: true };
      } else {
        jobOpts.jobId = id;
        if (opts.delayMs !== undefined && opts.delayMs > 0) jobOpts.delay = opts.delayMs;
      }
      const job = await get(JOB_QUEUE[name]).add(name, payload, jobOpts);
      return job.id ?? id;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
