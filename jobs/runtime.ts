/**
 * The worker side of the queues: one BullMQ Worker per queue, dispatching by job name to
 * jobs/registry.ts. Payloads are parsed first (a PayloadError becomes UnrecoverableError:
 * no retry can fix it). A Slack 429 moves the job to delayed for Retry-After seconds (plus a
 * random spread, so the jobs refused together do not all wake together) instead of holding
 * the worker, and so does a message another worker is posting right now
 * (PostInFlightError), until that post is recorded or its claim is stale, and a job that came
 * before its time (NotDueYetError: a reminder after the company's zone moved later), until
 * then, its wait logged once. None uses an attempt. A refusal no retry changes (permanentRefusal: a deactivated person, an archived
 * channel, a channel the bot is not in) fails the job at once, logged once, not five times;
 * it is recorded, and the admins are told (src/services/undelivered.ts).
 * A job that fails while the database does not answer (dbAnswers) waits for it, delayed
 * without using an attempt, so an outage longer than the retries' backoff loses nothing; the
 * outage is logged once and its end once. `close()` lets running jobs finish.
 *
 * A rolling deploy runs two versions at once. A job whose name this version has no processor
 * for (a newer version's) is held, delayed without using an attempt, for a newer worker to
 * take (`UNKNOWN_JOB_HOLDS` times, about 25 minutes), and only then failed, with the reason
 * every version gives (`noProcessorReason`). A job an older worker failed that way, under a
 * name this version does process, is retried by the sweep every worker makes
 * (jobs/recovery.ts). docs/jobs.md#a-job-of-another-version.
 */
import { DelayedError, FlowProducer, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { dbAnswers } from '../db/connect.js';
import { warmUpCharts } from '../src/charts/warm-up.js';
import type { LpSolver } from '../src/core/supply/lp.js';
import { NotDueYetError } from '../src/errors.js';
import type { Metrics } from '../src/metrics.js';
import { warmUpSolver } from '../src/services/solver-warm-up.js';
import { createThreadPool, fitInProcess } from '../src/services/thread-pool.js';
import { reportRefusals } from '../src/services/undelivered.js';
import {
  PostInFlightError,
  permanentRefusal,
  refusalsOf,
  retryAfterOf,
  UndeliveredError,
} from '../src/slack/post-ledger.js';
import { createHighsSolver } from '../src/solver/highs.js';
import {
  type JobName,
  noProcessorReason,
  PayloadError,
  parsePayload,
  QUEUES,
  type QueueName,
} from './contracts.js';
import type { JobContext, WorkerServices } from './processor-types.js';
import { type RecoverySweeper, startRecoverySweeper } from './recovery.js';
import { PROCESSORS } from './registry.js';

/** What every job's context is built from, and what the workers themselves need. */
export interface RuntimeDeps extends Omit<JobContext, 'job' | 'worker'> {
  /** A connection for the workers (maxRetriesPerRequest: null). */
  readonly connection: Redis;
  readonly prefix: string;
  readonly metrics?: Metrics;
}

export interface RuntimeOptions {
  readonly queues?: readonly QueueName[];
  readonly concurrency?: number;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /**
   * Threads that fit baselines and solve scenarios (default: defaultThreads in
   * src/services/thread-pool.ts).
   */
  readonly poolThreads?: number;
  /** How often the sweep for jobs older workers failed runs again (RECOVERY_SWEEP_MS). */
  readonly recoverySweepMs?: number;
  /** How many times a job of a name this version does not know is held (UNKNOWN_JOB_HOLDS). */
  readonly unknownJobHolds?: number;
}

export interface JobRuntime {
  readonly workers: readonly Worker[];
  /** The chart renderer's warm-up (SOPBOT_CHART_WARMUP_ROUNDS), when this runtime renders charts. */
  readonly chartWarmUp: Promise<{ renders: number; error?: Error }> | null;
  /** Retries the jobs older workers failed for want of a processor (jobs/recovery.ts). */
  readonly recovery: RecoverySweeper;
  /** Stop taking jobs, let running ones finish, close the workers and the flow producer. */
  close(): Promise<void>;
}

/** The most a rate-limited job's wake-up is spread beyond its Retry-After. */
export const RATE_LIMIT_SPREAD_MAX_MS = 30_000;

/**
 * How long a job that got a 429 waits: Retry-After, plus a random part of up to Retry-After
 * × 2^(times it was delayed before), at most RATE_LIMIT_SPREAD_MAX_MS. Without the random
 * part every job refused in the same second woke in the same instant, and all but one were
 * refused again (a bad S&OE week: ~290 jobs, thousands of 429s); with it they spread out,
 * wider the longer the queue behind the limit.
 */
export function rateLimitDelayMs(
  retryAfterSeconds: number,
  delayedBefore: number,
  random: () => number = Math.random,
): number {
  const base = retryAfterSeconds * 1000;
  const spread = Math.min(
    RATE_LIMIT_SPREAD_MAX_MS,
    base * 2 ** Math.min(Math.max(delayedBefore, 0), 16),
  );
  return base + Math.floor(random() * spread);
}

/** The longest a job waits before it looks again whether the database answers. */
export const DB_WAIT_MAX_MS = 10_000;

/**
 * How long a job that failed while the database did not answer waits before its next try:
 * 1 s, doubling with each time it was delayed before, at most DB_WAIT_MAX_MS.
 */
export function dbWaitMs(delayedBefore: number): number {
  return Math.min(DB_WAIT_MAX_MS, 1000 * 2 ** Math.min(Math.max(delayedBefore, 0), 16));
}

/**
 * How many times a job whose name this version does not know is delayed for a newer worker to
 * take before it fails: 1 s, doubling, at most a minute (`unknownJobWaitMs`), about 25 minutes
 * in all, longer than a rolling deploy takes. A job no version knows any more (left in Redis
 * by an old version, its name since removed) then fails, rather than coming back for ever.
 */
export const UNKNOWN_JOB_HOLDS = 30;

/** How long a job of an unknown name waits before a worker looks at it again. */
export function unknownJobWaitMs(delayedBefore: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.min(Math.max(delayedBefore, 0), 16));
}

/** How often the job was delayed (or stalled) before this run: starts beyond its failures. */
const delayedBefore = (job: Job): number =>
  Math.max(0, (job.attemptsStarted ?? 0) - job.attemptsMade - 1);

/**
 * The NotDueYetError wait last logged for this job (kept as its progress, which no job uses
 * otherwise), or null.
 */
function notDueLogged(job: Job): string | null {
  const p = job.progress as { notDueWait?: unknown } | number | string | boolean | null;
  return p && typeof p === 'object' && typeof p.notDueWait === 'string' ? p.notDueWait : null;
}

/** A parent in a flow takes the run id its child returned when its own data has none. */
async function withChildValues(job: Job): Promise<unknown> {
  const data = (job.data ?? {}) as Record<string, unknown>;
  if (data.runId !== undefined) return data;
  const values = await job.getChildrenValues<{ runId?: unknown } | null>();
  for (const v of Object.values(values)) {
    if (v && typeof v === 'object' && v.runId !== undefined) return { ...data, runId: v.runId };
  }
  return data;
}

const isJobName = (name: string): name is JobName => Object.hasOwn(PROCESSORS, name);

/** Parses the payload by the job's schema and runs its processor, both typed by the name. */
function runProcessor<N extends JobName>(name: N, data: unknown, ctx: JobContext) {
  return PROCESSORS[name](parsePayload(name, data), ctx);
}

export function startRuntime(deps: RuntimeDeps, opts: RuntimeOptions = {}): JobRuntime {
  const flows = new FlowProducer({ connection: deps.connection, prefix: deps.prefix });
  const planning = (opts.queues ?? QUEUES).includes('planning');
  const pool = planning
    ? createThreadPool(opts.poolThreads, (err) =>
        deps.logger.error({ err }, 'a pool thread died; a new one replaces it'),
      )
    : null;
  let solver: Promise<LpSolver> | null = null;
  // Queues a job reads or moves other jobs of (made on first use, on the workers' connection).
  const jobQueues = new Map<QueueName, Queue>();
  const services: WorkerServices = {
    flows,
    queue: (name) => {
      let q = jobQueues.get(name);
      if (!q) {
        q = new Queue(name, { connection: deps.connection, prefix: deps.prefix });
        // Its errors are the connection's, logged once there ('worker error').
        q.on('error', () => undefined);
        jobQueues.set(name, q);
      }
      return q;
    },
    fitMany: pool?.fit ?? fitInProcess,
    // With a pool, every LP is solved on its threads, each with a HiGHS runtime of its own
    // (a thread not warm yet loads it for its first solve); without one (a worker that does
    // not plan), on a HiGHS runtime in this thread.
    solver: () => {
      solver ??= pool
        ? Promise.resolve(pool.solver)
        : createHighsSolver().then(async (s) => {
            await warmUpSolver(s).catch((err: unknown) =>
              deps.logger.warn({ err }, 'solver warm-up failed'),
            );
            return s;
          });
      return solver;
    },
    ...(deps.config.SOPBOT_FONT_DIR ? { fontDir: deps.config.SOPBOT_FONT_DIR } : {}),
  };
  /**
   * The database did not answer when a job last failed (logged once when it began; said once
   * when a job next completes).
   */
  let dbDown = false;
  const holds = opts.unknownJobHolds ?? UNKNOWN_JOB_HOLDS;
  const process = async (job: Job, token?: string): Promise<unknown> => {
    const name = job.name;
    if (!isJobName(name)) {
      const log = deps.logger.child({ job: name, jobId: job.id });
      const before = delayedBefore(job);
      if (token && before < holds) {
        // A newer version's job, in a rolling deploy: its workers take it when it comes back.
        if (before === 0)
          log.warn(
            'no processor for this job in this version: held for a newer worker, without using an attempt',
          );
        await job.moveToDelayed(Date.now() + unknownJobWaitMs(before), token);
        throw new DelayedError();
      }
      // The words a newer worker's sweep recognises (jobs/recovery.ts): keep them.
      const reason = noProcessorReason(name);
      log.error(
        { holds: before },
        `${reason} No worker of a version that knows it took it while it was held: failed`,
      );
      throw new UnrecoverableError(reason);
    }
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const log = deps.logger.child({ job: name, jobId: job.id, attempt: job.attemptsMade + 1 });
    try {
      const result = await runProcessor(
        name,
        name === 'post-charts' ? await withChildValues(job) : job.data,
        {
          db: deps.db,
          queue: deps.queue,
          slack: deps.slack,
          config: deps.config,
          logger: log,
          clock: deps.clock,
          job,
          worker: services,
        },
      );
      deps.metrics?.observeJob(name, 'completed', seconds());
      if (dbDown) {
        dbDown = false;
        deps.logger.info('the database answers again: the jobs that waited for it run');
      }
      return result;
    } catch (err) {
      if (err instanceof PayloadError) {
        deps.metrics?.observeJob(name, 'failed', seconds());
        log.error({ err: err.message }, 'job payload is invalid; not retrying');
        throw new UnrecoverableError(err.message);
      }
      if (err instanceof NotDueYetError && token) {
        // The same job, at its time: its id stays, so nothing is scheduled twice. The wait is
        // logged once, when the job first waits for that reason (a nudge waiting for a phase's
        // deadline job comes back every few seconds until then; a dead deadline job would fill
        // the log): the job keeps the wait it logged (`notDueWait`), so its other delays before
        // (a 429, the database down, a stall) do not hide it.
        deps.metrics?.observeJob(name, 'delayed', seconds());
        if (notDueLogged(job) !== err.message) {
          log.info({ delayMs: err.delayMs }, err.message);
          await job.updateProgress({ notDueWait: err.message });
        }
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        throw new DelayedError();
      }
      const wait = retryAfterOf(err);
      if (wait !== null && token) {
        deps.metrics?.observeJob(name, 'delayed', seconds());
        const delayMs = rateLimitDelayMs(wait, delayedBefore(job));
        log.warn({ retryAfter: wait, delayMs }, 'Slack rate limit: job delayed by Retry-After');
        await job.moveToDelayed(Date.now() + delayMs, token);
        throw new DelayedError();
      }
      if (err instanceof PostInFlightError && token) {
        deps.metrics?.observeJob(name, 'delayed', seconds());
        log.warn(
          { key: err.key, retryAfterMs: err.retryAfterMs },
          'another worker is posting this message: job delayed',
        );
        await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
        throw new DelayedError();
      }
      if (token && !(await dbAnswers(deps.db))) {
        // Postgres is down or restarting: the job's work cannot be done, nor known to be done,
        // until it answers. Waiting uses no attempt, so an outage longer than the retries'
        // backoff (15 s) loses no reminder, deadline or post; a retry is safe (the ledger,
        // the run key).
        deps.metrics?.observeJob(name, 'delayed', seconds());
        if (!dbDown) {
          dbDown = true;
          deps.logger.error(
            { err, job: name, jobId: job.id },
            'the database does not answer: jobs wait for it without using their attempts',
          );
        }
        await job.moveToDelayed(Date.now() + dbWaitMs(delayedBefore(job)), token);
        throw new DelayedError();
      }
      deps.metrics?.observeJob(name, 'failed', seconds());
      if (err instanceof UndeliveredError || permanentRefusal(err)) {
        // Slack refuses it for good (a person who left, a channel the bot is not in): every
        // retry would be refused again and logged again.
        log.error({ err }, 'job failed: Slack refuses this for good, so it is not retried');
        // Recorded for /sop status, and the admins told (once a day): not about a notice's
        // own refusal, which would only ask for another notice.
        await reportRefusals(deps, refusalsOf(err), {
          notify: name !== 'refusal-notice',
          fallbackKey: `job:${name}:${job.id}`,
        }).catch((e: unknown) =>
          log.error({ err: e }, 'could not record what Slack refused, nor tell the admins'),
        );
        throw new UnrecoverableError((err as Error).message);
      }
      log.error({ err }, 'job failed');
      throw err;
    }
  };
  const lockDuration = opts.lockDurationMs ?? deps.config.SOPBOT_JOB_LOCK_MS;
  const stalledInterval =
    opts.stalledIntervalMs ??
    deps.config.SOPBOT_STALLED_INTERVAL_MS ??
    Math.max(200, Math.floor(lockDuration / 2));
  // Start the threads and warm their LP solvers now, while the first jobs are on their way.
  pool?.ready().catch((err: unknown) => deps.logger.error({ err }, 'LP solver did not load'));
  // Charts are drawn by post-charts (posts) and what-if (planning): warm the renderer in the
  // background, so the first real charts after a start are not the slow ones.
  const queues = opts.queues ?? QUEUES;
  const rounds = deps.config.SOPBOT_CHART_WARMUP_ROUNDS;
  const warm =
    rounds > 0 && (queues.includes('posts') || planning)
      ? warmUpCharts(rounds, services.fontDir ? { fontDir: services.fontDir } : {})
      : null;
  const chartWarmUp =
    warm?.done.then((r) => {
      if (r.error) deps.logger.warn({ err: r.error }, 'chart warm-up failed');
      else deps.logger.debug({ renders: r.renders }, 'chart renderer warmed up');
      return r;
    }) ?? null;
  const workers = (opts.queues ?? QUEUES).map(
    (queueName) =>
      new Worker(queueName, process, {
        connection: deps.connection,
        prefix: deps.prefix,
        concurrency: opts.concurrency ?? deps.config.SOPBOT_WORKER_CONCURRENCY,
        lockDuration,
        stalledInterval,
        maxStalledCount: 2,
      }),
  );
  for (const w of workers) {
    w.on('error', (err) => deps.logger.error({ err, queue: w.name }, 'worker error'));
  }
  // Its own Queue objects on the workers' connection: the sweep reads the failed sets.
  const sweptQueues = (opts.queues ?? QUEUES).map(
    (queueName) => new Queue(queueName, { connection: deps.connection, prefix: deps.prefix }),
  );
  // The connection is the workers': its errors are logged once there ('worker error'), and a
  // sweep that fails is logged by the sweeper.
  for (const q of sweptQueues) q.on('error', () => undefined);
  const recovery = startRecoverySweeper(
    { redis: deps.connection, queues: sweptQueues, processes: isJobName, logger: deps.logger },
    opts.recoverySweepMs !== undefined ? { intervalMs: opts.recoverySweepMs } : {},
  );
  let closing: Promise<void> | null = null;
  return {
    workers,
    chartWarmUp,
    recovery,
    close() {
      closing ??= (async () => {
        await recovery.stop();
        warm?.stop();
        await warm?.done; // the render in progress, at most one
        await Promise.all(workers.map((w) => w.close()));
        await Promise.all(sweptQueues.map((q) => q.close()));
        await Promise.all([...jobQueues.values()].map((q) => q.close()));
        await flows.close();
        await pool?.close();
      })();
      return closing;
    },
  };
}
