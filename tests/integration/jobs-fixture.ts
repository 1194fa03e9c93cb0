/**
 * Shared setup of the jobs and worker tests (and bench/pipeline): a seeded company imported
 * through the real CSV import, one open cycle, the workspace channels of the stand-in, and
 * `sopbot worker` processes on queues of their own.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Db } from '../../db/connect.js';
import { jobId, QUEUES } from '../../jobs/contracts.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { loadConfig } from '../../src/config.js';
import type { Company } from '../../src/core/company.js';
import { addMonths } from '../../src/core/period.js';
import { importCompany as importCompanyCsv } from '../../src/import/import-company.js';
import { createRedis } from '../../src/redis.js';
import { getSettings, updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { type RunningWorker, startWorker } from '../../src/worker.js';
import { insertCycle, redisPrefix, type TestDb } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';

export const CHANNELS = { demand: 'C_DEMAND', supply: 'C_SUPPLY', exec: 'C_EXEC' } as const;

export async function importCompany(db: Db, company: Company): Promise<void> {
  await importCompanyCsv(db, company, 'test');
}

/** Imports the company, opens the cycle after its last actual, and sets the channels. */
export async function setUpCycle(
  db: Db,
  company: Company,
  opts: { horizon?: number } = {},
): Promise<{ cycleId: number; month: string }> {
  await importCompany(db, company);
  const last =
    company.history
      .map((h) => h.period)
      .sort()
      .at(-1) ?? '2026-12';
  const month = addMonths(last, 1);
  await getSettings(db);
  await updateSettings(db, {
    demand_channel: CHANNELS.demand,
    supply_channel: CHANNELS.supply,
    exec_channel: CHANNELS.exec,
    ...(opts.horizon ? { horizon_months: opts.horizon } : {}),
  });
  const cycleId = await insertCycle(db, { month, phase: 'demand_review', opened_by: 'U_ALICE' });
  return { cycleId: cycleId, month };
}

/** Adjustments by a sales rep: +pct% on the first `months` plan months of each family. */
export async function addAdjustments(
  db: Db,
  cycleId: number,
  month: string,
  changes: readonly { family: string; pct: number; months?: number }[],
): Promise<void> {
  const ids = new Map(
    (await db.selectFrom('families').select(['id', 'code']).execute()).map((f) => [f.code, f.id]),
  );
  // A batch of its own: a test may add adjustments more than once.
  const batch = randomUUID().slice(0, 8);
  const rows = changes.flatMap((c, i) =>
    Array.from({ length: c.months ?? 3 }, (_, k) => ({
      cycle_id: cycleId,
      family_id: ids.get(c.family) ?? 0,
      period: addMonths(month, k + 3),
      author: 'U_BOB',
      author_role: 'sales' as const,
      kind: 'delta_pct' as const,
      value: c.pct,
      reason_code: 'promotion',
      zone: 'liquid' as const,
      source: 'api' as const,
      request_key: `test-adj-${cycleId}-${batch}-${i}-${k}`,
    })),
  );
  await db.insertInto('forecast_adjustments').values(rows).execute();
}

/** Removes every job of every queue: the end of a test that left jobs behind. */
export async function emptyQueues(queues: Queues): Promise<void> {
  for (const q of QUEUES) await queues.queue(q).obliterate({ force: true });
}

export interface WorkerEnvOptions {
  readonly dbUrl: string;
  readonly prefix: string;
  readonly apiUrl: string;
  readonly lockMs?: number;
}

export function workerEnv(opts: WorkerEnvOptions): Record<string, string> {
  return {
    DATABASE_URL: opts.dbUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: opts.apiUrl,
    SOPBOT_QUEUE_PREFIX: opts.prefix,
    SOPBOT_JOB_LOCK_MS: String(opts.lockMs ?? 30_000),
    SOPBOT_RECOMPUTE_CRON: 'off',
    SOPBOT_DIGEST_CRON: 'off',
    // Tests start many short-lived workers: no renderer warm-up (tests/unit/charts-warm-up.test.ts).
    SOPBOT_CHART_WARMUP_ROUNDS: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: process.env.SOPBOT_TEST_LOG ?? 'silent',
  };
}

export interface WorkerProcess {
  readonly child: import('node:child_process').ChildProcess;
  /** Structured log lines (pino JSON on stderr) seen so far. */
  readonly logs: Record<string, unknown>[];
  /** Lines on stderr that were not JSON, and every line on stdout, seen so far. */
  readonly unstructured: string[];
  readonly exited: Promise<number | null>;
}

/** `sopbot worker` as a child process, as it runs in production. */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const unstructured: string[] = [];
  /** Calls `each` with every whole line of `stream`. */
  const linesOf = (stream: NodeJS.ReadableStream | null, each: (line: string) => void) => {
    let buf = '';
    stream?.on('data', (d: Buffer) => {
      buf += d.toString();
      let i = buf.indexOf('\n');
      while (i >= 0) {
        each(buf.slice(0, i));
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
      }
    });
  };
  linesOf(child.stderr, (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
      unstructured.push(line);
    }
  });
  linesOf(child.stdout, (line) => unstructured.push(line));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('sopbot worker started')) resolve();
    });
    child.on('exit', (code) =>
      reject(
        new Error(`worker exited with ${code} before starting: ${JSON.stringify(logs.slice(-5))}`),
      ),
    );
  });
  await started;
  return { child, logs, unstructured, exited };
}

/** SIGTERM each worker process still running, and wait for it to exit. */
async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const w of workers) {
    if (w.child.exitCode === null && w.child.signalCode === null) {
      w.child.kill('SIGTERM');
      await w.exited;
    }
  }
}

/** `sopbot worker` processes on one set of queues, as the worker-process tests run them. */
export interface WorkerProcesses {
  /** The queues the workers take their jobs from. */
  readonly queues: Queues;
  /** The processes started so far, in order. */
  readonly started: readonly WorkerProcess[];
  /** Starts one more worker process. */
  spawn(): Promise<WorkerProcess>;
  /** SIGTERMs the processes still running, waits for them, and closes the queues. */
  stop(): Promise<void>;
}

/**
 * Queues under `opts.prefix` and the env of worker processes on them: one job at a time
 * each, and info logs, which the tests read. `env` adds to the worker env.
 */
export function workerProcesses(
  opts: WorkerEnvOptions & { readonly env?: Record<string, string> },
): WorkerProcesses {
  const { env: extra, ...envOpts } = opts;
  const env = {
    ...workerEnv(envOpts),
    ...extra,
    SOPBOT_WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
  };
  const redis = createRedis('redis://127.0.0.1:6379');
  const queues = createQueues(redis, opts.prefix);
  const started: WorkerProcess[] = [];
  return {
    queues,
    started,
    async spawn() {
      const w = await spawnWorker(env);
      started.push(w);
      return w;
    },
    async stop() {
      await stopWorkers(started);
      await queues.close();
      redis.disconnect();
    },
  };
}

/** A worker in this process on queues of its own (`prefix`), posting to the stand-in. */
export async function inProcessWorker(o: {
  readonly dbUrl: string;
  readonly apiUrl: string;
  readonly label: string;
  readonly prefix: string;
  readonly env?: Record<string, string>;
}): Promise<RunningWorker> {
  const config = loadConfig(
    {
      ...workerEnv({ dbUrl: o.dbUrl, prefix: o.prefix, apiUrl: o.apiUrl }),
      SLACK_SIGNING_SECRET: `${o.label}-secret`,
      ...o.env,
    },
    { slack: true },
  );
  return startWorker(config, { metricsPort: null });
}

/**
 * An in-process worker (inProcessWorker) of the enclosing file or describe block, on the
 * fixtures' database and stand-in and queues of its own; started after the hooks declared
 * before it, its jobs removed and the worker stopped after the tests.
 */
export function useInProcessWorker(
  on: { readonly t: TestDb; readonly standin: Standin },
  label: string,
  env?: Record<string, string>,
): RunningWorker {
  return useFixture(
    () =>
      inProcessWorker({
        dbUrl: on.t.url,
        apiUrl: on.standin.apiUrl,
        label,
        prefix: redisPrefix(label),
        ...(env ? { env } : {}),
      }),
    async (worker) => {
      await emptyQueues(worker.queues);
      await worker.stop();
    },
  );
}

/** The charts a post-charts job may be asked for. */
export type ChartName = 'gap' | 'family' | 'scenarios' | 'cash' | 'accuracy';

/**
 * Runs a post-charts job of run `runId` (its `charts`) on `worker`'s queue under `jobId`, and
 * waits until it has completed; a job that failed for good fails the test with its reason.
 */
export async function runPostCharts(
  on: { readonly worker: RunningWorker; readonly standin: Standin },
  jobId: string,
  data: { readonly runId: string; readonly charts: readonly ChartName[] },
): Promise<void> {
  const posts = on.worker.queues.queue('posts');
  await posts.add('post-charts', { runId: data.runId, charts: [...data.charts] }, { jobId });
  await on.standin.waitFor(async () => {
    const state = await posts.getJobState(jobId);
    if (state === 'failed')
      throw new Error(`${jobId} failed: ${(await posts.getJob(jobId))?.failedReason}`);
    return state === 'completed' ? true : undefined;
  }, 90_000);
}

/** Polls `probe` every 50 ms until it gives a value other than null; fails naming `what`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null>,
  ms: number,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== null) return got;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The job once its first attempt has failed, read again through `job`. */
export function firstFailure(job: () => Promise<Job>, ms: number): Promise<Job> {
  return until(
    'the first attempt to fail',
    async () => {
      const j = await job();
      return j.attemptsMade >= 1 ? j : null;
    },
    ms,
  );
}

/** The job once it has completed; a job that failed for good fails the test with its reason. */
export function completion(job: () => Promise<Job>, ms: number): Promise<Job> {
  return until(
    'the job to complete',
    async () => {
      const j = await job();
      const state = await j.getState();
      if (state === 'failed') throw new Error(`job failed: ${(await job()).failedReason}`);
      // Read again once finished: `j` was read before, and may hold no return value yet (a
      // job that completed between the two reads, on a busy machine).
      return state === 'completed' ? job() : null;
    },
    ms,
  );
}

/**
 * An executive cycle (2031-01) whose pack goes to C_EXEC, and Slack set to take the pack's
 * post but hold its answer for a minute; returns the pack job's id, to enqueue with the cycle.
 */
export async function packPostHeld(
  db: Db,
  standin: Standin,
): Promise<{ readonly cycleId: number; readonly id: string }> {
  await updateSettings(db, { exec_channel: 'C_EXEC' });
  const cycleId = await insertCycle(db, {
    month: '2031-01',
    phase: 'executive',
    opened_by: 'U_ALICE',
  });
  standin.delayNext('chat.postMessage', { ms: 60_000, channel: 'C_EXEC' });
  return { cycleId, id: jobId('pack', { cycleId }) };
}
