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

/**
 * `work` run at most once: every call waits for the one run (a process's `stop()` may be
 * called by a signal and by its caller).
 */
export function runOnce(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => {
    running ??= work();
    return running;
  };
}

/** What the cycle's lifecycle, polls and actions need: the database, the queue for delayed jobs, and "now". */
export interface CycleDeps {
  readonly db: Db;
  readonly queue: JobQueue;
  readonly clock: Clock;
}

export interface AppDeps {
  readonly db: Db;
  readonly queue: JobQueue;
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
}
