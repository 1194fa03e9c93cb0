/**
 * Job requests that survive Redis being down: a producer records the request in Postgres in
 * the same transaction as the change that owes it (`requestJob`), then hands it to the queue
 * right after the commit, for at most `QUEUE_WAIT_MS` (`deliverJobs`). What could not be
 * handed over waits in `job_outbox`; the relay that runs in every bot and worker
 * (`startOutboxRelay`) delivers it as soon as the queue answers again, without anyone acting.
 *
 * A hand-over that timed out may still reach BullMQ later, and the relay then delivers the
 * row again: every job is added under its deterministic id (or debounce id), so BullMQ keeps
 * one.
 */
import type { Logger } from 'pino';
import type { Db } from '../../db/connect.js';
import {
  addOutbox,
  countUndelivered,
  lockPending,
  markAttemptFailed,
  markDelivered,
  pruneDelivered,
  REFUSED_BY_CONTRACT,
  undelivered,
} from '../../db/queries/outbox.js';
import { pruneRequests } from '../../db/queries/requests.js';
import {
  type EnqueueOptions,
  type JobInput,
  type JobName,
  type JobQueue,
  PayloadError,
  parsePayload,
} from '../../jobs/contracts.js';
import { sleeper } from '../sleeper.js';

/** How long a request waits on the queue before its answer says "as soon as the queue is back". */
export const QUEUE_WAIT_MS = 1000;
/** How often the relay looks for requests that wait. */
export const RELAY_INTERVAL_MS = 1000;
/** Delivered rows are kept this many days (what was asked, when, and under which job id). */
export const OUTBOX_RETENTION_DAYS = 7;

export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/**
 * Records a job request in `trx` (the transaction of the change that owes it). The payload is
 * checked now, so a bad one fails the change rather than the relay. Returns the request's id.
 */
export async function requestJob<N extends JobName>(
  trx: Db,
  name: N,
  input: JobInput<N>,
  opts: EnqueueOptions = {},
): Promise<string> {
  const payload = parsePayload(name, input) as Record<string, unknown>;
  return addOutbox(trx, {
    jobName: name,
    payload,
    delayMs: opts.delayMs ?? 0,
    debounceMs: opts.debounceMs && opts.debounceMs > 0 ? opts.debounceMs : null,
  });
}

/** `p`, or a QueueUnavailableError after `ms`. A late outcome of `p` is left to the relay. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new QueueUnavailableError(`the job queue did not answer within ${ms} ms`)),
      ms,
    );
  });
  // After a timeout, p's own failure has nobody to tell: the row stays undelivered and the
  // relay tries again (and logs if that fails too).
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A request this version's contract refuses (its payload, or a job it does not know). */
export interface RefusedRequest {
  readonly id: string;
  readonly jobName: string;
  readonly error: Error;
  /** Refused for this reason for the first time now (the relay logs it then, once). */
  readonly first: boolean;
}

export interface Delivery {
  readonly delivered: number;
  /** Requests still waiting in the outbox (of `ids`, or of those looked at). */
  readonly pending: number;
  /** Why the queue refused, when it did. */
  readonly error: Error | null;
  /**
   * Requests refused by the contract rather than the queue: left in the outbox (a process of
   * the version that recorded them may deliver them), and passed over, so the requests after
   * them are delivered.
   */
  readonly refused: readonly RefusedRequest[];
}

/**
 * Hands waiting requests to the queue, oldest first: the given `ids`, or any that are due.
 * Stops at the first refusal of the queue (it is down: the rest would wait as long). A request
 * the contract refuses (`PayloadError`: recorded by another version, whose payload or job this
 * one does not know) is passed over, not taken for the queue being down: it would otherwise be
 * first in line at every tick, and nothing after it would ever be delivered.
 */
export async function deliverJobs(
  db: Db,
  queue: JobQueue,
  opts: {
    readonly ids?: readonly string[];
    readonly timeoutMs?: number;
    readonly limit?: number;
  } = {},
): Promise<Delivery> {
  const timeoutMs = opts.timeoutMs ?? QUEUE_WAIT_MS;
  let error: Error | null = null;
  let delivered = 0;
  const refused: RefusedRequest[] = [];
  await db.transaction().execute(async (trx) => {
    const rows = await lockPending(trx, {
      ...(opts.ids ? { ids: opts.ids } : {}),
      limit: opts.limit ?? 100,
    });
    for (const r of rows) {
      // The producer hands its requests over right after its commit: their delay as asked.
      // The relay delivers late: what is left of it, so the job still runs at its time.
      const waitMs = opts.ids ? r.delayMs : Math.max(0, r.delayMs - r.elapsedMs);
      try {
        const jobId = await withTimeout(
          queue.enqueue(r.jobName as JobName, r.payload as JobInput<JobName>, {
            ...(r.debounceMs ? { debounceMs: r.debounceMs } : {}),
            ...(waitMs > 0 ? { delayMs: waitMs } : {}),
          }),
          timeoutMs,
        );
        await markDelivered(trx, r.id, jobId);
        delivered++;
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        const why = e instanceof PayloadError ? `${REFUSED_BY_CONTRACT}${e.message}` : e.message;
        await markAttemptFailed(trx, r.id, why);
        if (e instanceof PayloadError) {
          refused.push({
            id: r.id,
            jobName: r.jobName,
            error: e,
            first: r.lastError !== why.slice(0, 2000),
          });
          continue;
        }
        error = e;
        break;
      }
    }
  });
  const pending = opts.ids ? (await undelivered(db, opts.ids)).length : await countUndelivered(db);
  return { delivered, pending, error, refused };
}

export interface OutboxRelay {
  /** Look now rather than at the next tick (after a commit that recorded requests). */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * Delivers waiting requests every `intervalMs` until stopped. Logs once when the queue stops
 * answering (with the error and its stack) and once when the waiting requests went through;
 * the same for Postgres: once when the outbox cannot be read, once when it can again.
 */
export function startOutboxRelay(
  deps: { readonly db: Db; readonly queue: JobQueue; readonly logger: Logger },
  opts: {
    readonly intervalMs?: number;
    readonly timeoutMs?: number;
    /** Also prunes processed Slack request keys older than this (SOPBOT_REQUEST_RETENTION_DAYS). */
    readonly requestRetentionDays?: number;
  } = {},
): OutboxRelay {
  const intervalMs = opts.intervalMs ?? RELAY_INTERVAL_MS;
  let stopped = false;
  let down = false;
  /** Postgres did not answer the last tick (logged when it started; said again when it ends). */
  let dbDown = false;
  const pause = sleeper();
  let lastPrune = 0;
  const tick = async () => {
    const d = await deliverJobs(deps.db, deps.queue, {
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    for (const r of d.refused)
      if (r.first)
        deps.logger.error(
          { err: r.error, outboxId: r.id, job: r.jobName },
          "job request refused by this version's job contract: it stays in the job outbox, and the requests after it are delivered",
        );
    if (d.error && !down) {
      down = true;
      deps.logger.error(
        { err: d.error, waiting: d.pending },
        'job queue unreachable: job requests wait in the outbox until it is back',
      );
    } else if (!d.error && down) {
      down = false;
      deps.logger.info(
        { delivered: d.delivered },
        'job queue back: waiting job requests delivered',
      );
    }
    if (Date.now() - lastPrune > 3600_000) {
      lastPrune = Date.now();
      await pruneDelivered(deps.db, OUTBOX_RETENTION_DAYS);
      if (opts.requestRetentionDays) await pruneRequests(deps.db, opts.requestRetentionDays);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        await tick();
        if (dbDown) {
          dbDown = false;
          deps.logger.info('outbox relay: the outbox can be read again');
        }
      } catch (err) {
        // Postgres itself unreachable: say so once, and look again at every tick.
        if (!dbDown) {
          dbDown = true;
          deps.logger.error(
            { err },
            'outbox relay: could not read the outbox; trying again every tick until it answers',
          );
        }
      }
      if (stopped) break;
      await pause.sleep(intervalMs);
    }
  })();
  return {
    kick() {
      pause.wake();
    },
    async stop() {
      stopped = true;
      pause.wake();
      await loop;
    },
  };
}

/** A request with no change of its own to join: recorded on its own, then handed over. */
export async function enqueueDurably<N extends JobName>(
  deps: { readonly db: Db; readonly queue: JobQueue },
  name: N,
  input: JobInput<N>,
  opts: EnqueueOptions = {},
): Promise<Delivery> {
  const id = await requestJob(deps.db, name, input, opts);
  return deliverJobs(deps.db, deps.queue, { ids: [id] });
}
