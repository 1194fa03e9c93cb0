/**
 * What the composition roots (bot, worker, CLI) build once and pass down explicitly. No module
 * keeps a global pool, queue or client.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import type { JobQueue } from '../jobs/contracts.js';
import type { Config } from './config.js';

/** Time, injectable so tests can control deadlines and reminders. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface AppDeps {
  readonly db: Db;
  readonly queue: JobQueue;
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
}
