/**
 * A rolling deploy: `docker compose up -d` replaces one container at a time, so the new bot
 * asks for jobs while an old worker still runs. An old worker fails a job whose name it does
 * not know for good, on its first attempt (`No processor for job 'phase-announce'.`), and the
 * job's deterministic id then keeps it failed: asking again adds nothing. Before, such a job
 * (a phase announcement, a decision's log, a reassignment's DMs) was lost. Now every worker of
 * this version retries it, once, when it starts and every sweep after; a job that failed for
 * any other reason stays failed. And this version, meeting a newer version's job, holds it for
 * a newer worker instead, then fails it with the words the newer version recognises.
 *
 * The old worker is a BullMQ Worker whose processor throws what every earlier version threw
 * (`git log -p -- jobs/runtime.ts`). Real Postgres, real Redis under a prefix of the test's
 * own, the production worker runtime, the Slack stand-in.
 */
import { WebClient } from '@slack/web-api';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { sweepQueue } from '../../jobs/recovery.js';
import { type JobRuntime, startRuntime } from '../../jobs/runtime.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createRedis } from '../../src/redis.js';
import { type Standin, startStandin } from '../../src/slack-standin/index.js';
import { insertCycle, redisPrefix, useDb } from '../helpers/db.js';
import { type LogLine, recordedLogs } from '../helpers/log-lines.js';
import { testClock } from './meeting-fixture.js';

const t = useDb();
const clock = testClock('2027-03-15T10:00:00Z');
const RETRIED = 'job retried: a worker without a processor for it (an older version) had failed it';

let standin: Standin;
let prefix: string;
let config: Config;
let producer: Redis;
let queues: Queues;
let cycleId: number;
/** Everything the test opened, closed after it in reverse order. */
const opened: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  await t.db
    .insertInto('workspace_settings')
    .values({
      team_id: 'default',
      demand_channel: 'C_DEMAND',
      supply_channel: 'C_SUPPLY',
      exec_channel: 'C_EXEC',
    })
    .execute();
  cycleId = await insertCycle(t.db, { month: '2027-03', phase: 'supply_review' });
  standin = await startStandin({ postMessageRate: false });
  prefix = redisPrefix('rolling');
  config = loadConfig(
    {
      DATABASE_URL: t.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SLACK_BOT_TOKEN: 'xoxb-rolling',
      SLACK_API_URL: standin.apiUrl,
      LOG_LEVEL: 'silent',
      SOPBOT_QUEUE_PREFIX: prefix,
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_DIGEST_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
    },
    { slack: false },
  );
  producer = createRedis('redis://127.0.0.1:6379', 'producer');
  queues = createQueues(producer, prefix);
}, 60_000);

afterAll(async () => {
  for (const close of opened.reverse()) await close();
  for (const q of ['planning', 'posts', 'notifications'] as const)
    await queues?.queue(q).obliterate({ force: true });
  await queues?.close();
  producer?.disconnect();
  await standin?.close();
});

/** This version's worker runtime on `queue`, with a logger whose lines the test reads. */
function newWorker(
  queue: 'posts' | 'notifications',
  opts: { recoverySweepMs?: number; unknownJobHolds?: number } = {},
): { runtime: JobRuntime; lines: LogLine[] } {
  const { logger, lines } = recordedLogs();
  const connection = createRedis('redis://127.0.0.1:6379', 'worker');
  const runtime = startRuntime(
    {
      db: t.db,
      queue: queues,
      slack: new WebClient('xoxb-rolling', {
        slackApiUrl: standin.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      }),
      config,
      logger,
      clock,
      connection,
      prefix,
    },
    { queues: [queue], concurrency: 2, ...opts },
  );
  opened.push(() => connection.disconnect());
  opened.push(() => runtime.close());
  return { runtime, lines };
}

/**
 * An older version's worker on `queue`: it has no processor for any name, as a version
 * before these jobs existed; `otherFailures` are names it fails for another reason.
 */
function oldWorker(queue: string, otherFailures: Record<string, string> = {}) {
  const connection = createRedis('redis://127.0.0.1:6379', 'worker');
  const failed: Job[] = [];
  const worker = new Worker(
    queue,
    async (job) => {
      const other = otherFailures[job.name];
      if (other) throw new UnrecoverableError(other);
      // What every earlier version's jobs/runtime.ts threw, word for word.
      throw new UnrecoverableError(`No processor for job '${job.name}'.`);
    },
    { connection, prefix },
  );
  worker.on('failed', (job) => {
    if (job) failed.push(job);
  });
  return {
    failed,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}

const stateOf = async (queue: 'posts' | 'notifications', id: string) =>
  (await queues.queue(queue).getJob(id))?.getState();
const announcements = (channel: string, needle: string) =>
  standin.messagesIn(channel).filter((m) => m.text.includes(needle));

describe('a job an older worker failed for want of a processor', () => {
  it("runs once when this version's workers start (two at once); a job failed for another reason stays failed", async () => {
    const old = oldWorker('posts', { pack: 'An API error occurred: channel_not_found' });
    const announce = parsePayload('phase-announce', { cycleId, phase: 'supply_review' });
    const announceId = jobId('phase-announce', announce);
    const packId = jobId('pack', parsePayload('pack', { cycleId }));
    await queues.enqueue('phase-announce', announce);
    await queues.enqueue('pack', { cycleId });
    await standin.waitFor(() => old.failed.length >= 2, 20_000);
    await old.close();
    expect(await stateOf('posts', announceId)).toBe('failed');
    // Asked again (the outbox delivering the request again): the failed job keeps its id, so
    // nothing is added. Only a retry runs it.
    await queues.enqueue('phase-announce', announce);
    expect(await stateOf('posts', announceId)).toBe('failed');
    expect(announcements('C_SUPPLY', 'Supply review has started')).toHaveLength(0);

    // Two new workers start together, each sweeping at once.
    const a = newWorker('posts');
    const b = newWorker('posts');
    const [fromA, fromB] = await Promise.all([a.runtime.recovery.first, b.runtime.recovery.first]);
    expect([...fromA, ...fromB]).toEqual([
      { queue: 'posts', jobId: announceId, name: 'phase-announce' },
    ]);
    await standin.waitFor(async () => (await stateOf('posts', announceId)) === 'completed', 20_000);
    expect(announcements('C_SUPPLY', 'Supply review has started')).toHaveLength(1);
    const retriedLines = [...a.lines, ...b.lines].filter((l) => l.msg === RETRIED);
    expect(retriedLines.map((l) => [l.level, l.jobId, l.job])).toEqual([
      [30, announceId, 'phase-announce'],
    ]);

    // The job that failed for another reason is left as it was.
    const pack = await queues.queue('posts').getJob(packId);
    expect(await pack?.getState()).toBe('failed');
    expect(pack?.failedReason).toBe('An API error occurred: channel_not_found');

    // Once each: a later sweep finds nothing to retry, and nothing is posted again.
    expect(await a.runtime.recovery.sweep()).toEqual([]);
    expect(await b.runtime.recovery.sweep()).toEqual([]);
    expect(announcements('C_SUPPLY', 'Supply review has started')).toHaveLength(1);
    await a.runtime.close();
    await b.runtime.close();
  }, 60_000);

  it("is found by a running worker's next sweep, not only at its start", async () => {
    await t.db.updateTable('cycles').set({ phase: 'pre_sop' }).where('id', '=', cycleId).execute();
    // A new worker already running (its first sweep found nothing), taking no job for now, so
    // the old worker is the one that meets the job.
    const n = newWorker('posts', { recoverySweepMs: 100 });
    expect(await n.runtime.recovery.first).toEqual([]);
    await Promise.all(n.runtime.workers.map((w) => w.pause()));
    const old = oldWorker('posts');
    const announce = parsePayload('phase-announce', { cycleId, phase: 'pre_sop' });
    const id = jobId('phase-announce', announce);
    await queues.enqueue('phase-announce', announce);
    await standin.waitFor(() => old.failed.some((j) => j.id === id), 20_000);
    await old.close();
    for (const w of n.runtime.workers) w.resume();
    await standin.waitFor(async () => (await stateOf('posts', id)) === 'completed', 20_000);
    expect(announcements('C_EXEC', 'Pre-S&OP has started')).toHaveLength(1);
    expect(n.lines.some((l) => l.msg === RETRIED && l.jobId === id)).toBe(true);
    await n.runtime.close();
  }, 60_000);
});

describe("a newer version's job on this version's worker", () => {
  it('is held without using an attempt, then failed with the words a newer worker retries', async () => {
    const q = queues.queue('notifications');
    const n = newWorker('notifications', { unknownJobHolds: 2 });
    // A job name this version does not know, as the next version's bot would add it.
    await q.add(
      'future-notice',
      { conversation: 'C_EXEC' },
      { jobId: 'future-notice-1', attempts: 5 },
    );
    await standin.waitFor(
      async () => (await stateOf('notifications', 'future-notice-1')) === 'failed',
      20_000,
    );
    const job = await q.getJob('future-notice-1');
    expect(job?.failedReason).toBe("No processor for job 'future-notice'.");
    // Held twice (no attempt used), then failed on its third start: one attempt.
    expect(job?.attemptsStarted).toBe(3);
    expect(job?.attemptsMade).toBe(1);
    const mine = n.lines.filter((l) => l.jobId === 'future-notice-1');
    expect(mine.map((l) => l.level)).toEqual([40, 50]);

    // This version's own sweep leaves it: it has no processor for that name either.
    expect(await n.runtime.recovery.sweep()).toEqual([]);
    expect(await stateOf('notifications', 'future-notice-1')).toBe('failed');
    await n.runtime.close();

    // The next version, which has a processor for it, retries it.
    const { logger } = recordedLogs();
    const retried = await sweepQueue(producer, q, (name) => name === 'future-notice', logger);
    expect(retried).toEqual([
      { queue: 'notifications', jobId: 'future-notice-1', name: 'future-notice' },
    ]);
    expect(await stateOf('notifications', 'future-notice-1')).toBe('waiting');
  }, 60_000);
});
