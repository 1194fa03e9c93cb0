/**
 * What every job processor receives. Processors parse their payload (jobs/contracts.ts),
 * call core and services, write results, and post. They are registered in jobs/registry.ts.
 */
import type { WebClient } from '@slack/web-api';
import type { FlowProducer, Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import type { Config } from '../src/config.js';
import type { LpSolver } from '../src/core/supply/lp.js';
import type { Clock } from '../src/deps.js';
import type { FitMany } from '../src/services/thread-pool.js';
import type { JobName, JobPayload, JobQueue, QueueName } from './contracts.js';

export interface JobContext {
  readonly db: Db;
  readonly queue: JobQueue;
  /** A WebClient with rejectRateLimitedCalls: a 429 throws, and the job is delayed by Retry-After. */
  readonly slack: WebClient;
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly job: Job;
  /** What the worker runtime (jobs/runtime.ts) builds once and lends every job. */
  readonly worker: WorkerServices;
}

/**
 * The worker's own services: the FlowProducer (the recompute job starts a flow), the LP
 * solver and the baseline fitter (both on the worker's thread pool), and the chart fonts.
 */
export interface WorkerServices {
  readonly flows: FlowProducer;
  /** BullMQ's queue `name`, for a job that moves other jobs (reminders-rezone). */
  queue(name: QueueName): Queue;
  /** Loaded on first use, warm when it resolves. */
  solver(): Promise<LpSolver>;
  /** Fits many forecasts on every core. */
  readonly fitMany: FitMany;
  /** Directory of the chart fonts (SOPBOT_FONT_DIR), if set. */
  readonly fontDir?: string;
}

/**
 * Whether this run is the job's last attempt (BullMQ counts the failed ones in attemptsMade):
 * a post that would wait for Slack on an earlier attempt goes out with what it has instead,
 * rather than fail the job for good and never go out.
 */
export function lastAttempt(job: Pick<Job, 'attemptsMade' | 'opts'>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

export type Processor<N extends JobName> = (
  payload: JobPayload<N>,
  ctx: JobContext,
) => Promise<unknown>;
