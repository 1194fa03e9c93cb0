/**
 * What every job processor receives. Processors parse their payload (jobs/contracts.ts),
 * call core and services, write results, and post. They are registered in jobs/registry.ts.
 */
import type { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import type { Config } from '../src/config.js';
import type { Clock } from '../src/deps.js';
import type { JobName, JobPayload, JobQueue } from './contracts.js';

export interface JobContext {
  readonly db: Db;
  readonly queue: JobQueue;
  /** A WebClient with rejectRateLimitedCalls: a 429 throws, and the job is delayed by Retry-After. */
  readonly slack: WebClient;
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly job: Job;
}

export type Processor<N extends JobName> = (
  payload: JobPayload<N>,
  ctx: JobContext,
) => Promise<unknown>;
