/**
 * Jobs an older worker failed because it had no processor for their name. In a rolling
 * deploy (`docker compose up -d` replaces one container at a time) the new bot asks for a job
 * an old worker does not know (`decision-publish`, `phase-announce`, `action-handover`,
 * `refusal-notice`, `action-closed`, `action-reopened` to versions before them), and that worker fails it for good on its first
 * attempt, with the reason `noProcessorReason` (jobs/contracts.ts). The job keeps its
 * deterministic id in the failed set (`removeOnFail`: 7 days, jobs/queues.ts), so neither a
 * new request nor the outbox can add it again: retrying it is the only way it runs.
 *
 * Every worker of this version sweeps the queues it works when it starts and every
 * `RECOVERY_SWEEP_MS` after: each failed job whose reason is exactly that one, under a name
 * this version processes, is retried (back to waiting, its attempts reset: the old worker's
 * refusal was no attempt of its own), logged once. A job failed for any other reason is left
 * as it is. Two workers sweeping at once: a lock per queue in Redis lets one sweep while the
 * other skips that round, and BullMQ's retry itself moves a job out of the failed set
 * atomically, so the one that comes second is refused (`JobNotInState`) and says nothing.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { sleeper } from '../src/sleeper.js';
import { noProcessorName } from './contracts.js';

/** How often a running worker looks again (besides once when it starts). */
export const RECOVERY_SWEEP_MS = 60_000;
/** How long one worker's sweep of a queue keeps the others off it, at most. */
const SWEEP_LOCK_MS = 30_000;
/** How long a worker's stop waits for a sweep under way. */
const STOP_WAIT_MS = 2_000;
/** Failed jobs read at a time. */
const PAGE = 100;

export interface RecoveredJob {
  readonly queue: string;
  readonly jobId: string;
  readonly name: string;
}

/** Deletes the lock only if it is still this sweep's (it may have expired and been taken). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/** The failed jobs of `queue` an older worker refused for want of a processor `processes` has. */
async function candidates(queue: Queue, processes: (name: string) => boolean): Promise<Job[]> {
  const found = new Map<string, Job>();
  for (let start = 0; ; start += PAGE) {
    const page = await queue.getFailed(start, start + PAGE - 1);
    for (const job of page) {
      if (!job?.id) continue;
      const name = noProcessorName(job.failedReason);
      if (name !== null && name === job.name && processes(name)) found.set(job.id, job);
    }
    if (page.length < PAGE) break;
  }
  return [...found.values()];
}

/**
 * Retries, in `queue`, the jobs failed for want of a processor whose name `processes` accepts.
 * Returns those it retried, or null when another worker is sweeping this queue right now.
 */
export async function sweepQueue(
  redis: Redis,
  queue: Queue,
  processes: (name: string) => boolean,
  logger: Logger,
): Promise<RecoveredJob[] | null> {
  const key = queue.toKey('sopbot-recovery-sweep');
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', SWEEP_LOCK_MS, 'NX')) !== 'OK') return null;
  try {
    const retried: RecoveredJob[] = [];
    for (const job of await candidates(queue, processes)) {
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        // Retried or removed meanwhile (by a sweep whose lock had expired, or by hand).
        if (code === ErrorCode.JobNotInState || code === ErrorCode.JobNotExist) continue;
        throw err;
      }
      const r = { queue: queue.name, jobId: job.id ?? '', name: job.name };
      retried.push(r);
      logger.info(
        { queue: r.queue, jobId: r.jobId, job: r.name },
        'job retried: a worker without a processor for it (an older version) had failed it',
      );
    }
    return retried;
  } finally {
    // Should this fail too (Redis gone), the sweep's error is logged by its round, and the
    // lock expires by itself.
    await redis.eval(RELEASE, 1, key, token);
  }
}

export interface RecoverySweeper {
  /** The sweep made when the worker started: what it retried. */
  readonly first: Promise<readonly RecoveredJob[]>;
  /** Sweeps every queue now (a queue another worker is sweeping is skipped). */
  sweep(): Promise<readonly RecoveredJob[]>;
  stop(): Promise<void>;
}

/**
 * Sweeps `queues` now and every `intervalMs` until stopped. A sweep that fails (Redis down)
 * is logged once, with its stack, and its recovery once; it is tried again at the next tick.
 */
export function startRecoverySweeper(
  deps: {
    /** The queues' connection, for the sweep's lock. */
    readonly redis: Redis;
    readonly queues: readonly Queue[];
    readonly processes: (name: string) => boolean;
    readonly logger: Logger;
  },
  opts: { readonly intervalMs?: number } = {},
): RecoverySweeper {
  const intervalMs = opts.intervalMs ?? RECOVERY_SWEEP_MS;
  let stopped = false;
  let failing = false;
  const pause = sleeper();
  const sweep = async (): Promise<RecoveredJob[]> => {
    const all: RecoveredJob[] = [];
    for (const q of deps.queues)
      all.push(...((await sweepQueue(deps.redis, q, deps.processes, deps.logger)) ?? []));
    return all;
  };
  /** One round, its failure logged once per outage. */
  const round = async (): Promise<RecoveredJob[]> => {
    try {
      const r = await sweep();
      if (failing) {
        failing = false;
        deps.logger.info('the sweep for jobs older workers failed works again');
      }
      return r;
    } catch (err) {
      if (stopped) {
        // The worker is stopping, its connection closing under the sweep: nothing is wrong.
        deps.logger.debug({ err }, 'the sweep for jobs older workers failed ended with the worker');
      } else if (!failing) {
        failing = true;
        deps.logger.error(
          { err },
          'could not look for jobs an older worker failed; trying again at the next sweep',
        );
      }
      return [];
    }
  };
  const first = round();
  const loop = (async () => {
    await first;
    while (!stopped) {
      await pause.sleep(intervalMs);
      if (stopped) break;
      await round();
    }
  })();
  return {
    first,
    sweep,
    async stop() {
      stopped = true;
      pause.wake();
      // A sweep under way is waited for, but not past STOP_WAIT_MS: with Redis down its calls
      // wait for Redis (the workers' connection retries for ever), and the worker's stop must
      // go on to close its workers.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        loop,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, STOP_WAIT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
    },
  };
}
