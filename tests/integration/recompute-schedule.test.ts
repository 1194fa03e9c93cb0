/**
 * The daily recompute (docs/jobs.md, "The pipeline"): one BullMQ job scheduler, whichever
 * cycle is open, so a cycle opened while the worker runs is recomputed the next morning with
 * no restart, and a closed one no longer is. Its job looks for the open cycle when it fires;
 * with none open it logs so and does nothing. Each firing is the scheduler's own job, run
 * through the processor the worker's runtime dispatches to (jobs/registry.ts); the flow it
 * adds is recorded rather than run, so no plan is solved here.
 */
import type { FlowJob, Job } from 'bullmq';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePayload } from '../../jobs/contracts.js';
import type { JobContext } from '../../jobs/processor-types.js';
import { createQueues } from '../../jobs/queues.js';
import { PROCESSORS } from '../../jobs/registry.js';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/deps.js';
import { createRedis } from '../../src/redis.js';
import { scheduleRecompute } from '../../src/worker.js';
import { insertCycle, redisPrefix, useDb } from '../helpers/db.js';
import { emptyQueues, workerEnv } from './jobs-fixture.js';

const t = useDb();
const redis = createRedis('redis://127.0.0.1:6379');
const queues = createQueues(redis, redisPrefix('recompute-schedule'));
const planning = queues.queue('planning');

afterAll(async () => {
  await emptyQueues(queues);
  await queues.close();
  redis.disconnect();
});

const config = (cron: string) =>
  loadConfig({
    ...workerEnv({ dbUrl: t.url, prefix: queues.prefix, apiUrl: 'http://127.0.0.1:9/api/' }),
    SOPBOT_RECOMPUTE_CRON: cron,
    SOPBOT_TIMEZONE: 'Europe/Paris',
  });

/** The job the scheduler has waiting for its next time. */
async function nextFiring(): Promise<Job> {
  const jobs = await planning.getJobs(['delayed']);
  const job = jobs.find((j) => j.name === 'recompute-daily');
  if (!job) throw new Error(`no recompute-daily job waits (have: ${jobs.map((j) => j.name)})`);
  return job;
}

/** Runs the job as the worker's runtime would; returns its result, the flows and the log. */
async function fire(job: Job) {
  const flows: FlowJob[] = [];
  const log: { msg: string }[] = [];
  const ctx = {
    db: t.db,
    queue: queues,
    config: config('0 6 * * *'),
    logger: pino({ level: 'info' }, { write: (line: string) => log.push(JSON.parse(line)) }),
    clock: systemClock,
    job,
    worker: { flows: { add: async (f: FlowJob) => flows.push(f) } },
  } as unknown as JobContext;
  const name = job.name as 'recompute-daily';
  const result = await PROCESSORS[name](parsePayload(name, job.data), ctx);
  return { result, flows, log: log.map((l) => l.msg) };
}

/** The cycle the flow's plan job is for, and why. */
const planOf = (flow: FlowJob | undefined) => {
  const plan = flow?.children?.[0];
  return plan && { name: plan.name, cycleId: plan.data.cycleId, trigger: plan.data.trigger };
};

describe('the daily recompute', () => {
  it('is one scheduler in the company time zone, made with no cycle open; per-cycle ones of earlier versions are removed', async () => {
    await insertCycle(t.db, { month: '2027-01', phase: 'closed', closed_at: new Date() });
    // What an earlier version left behind for a cycle open when its worker started.
    await planning.upsertJobScheduler(
      'recompute-daily-cycle-7',
      { pattern: '0 6 * * *' },
      { name: 'recompute', data: { cycleId: 7, reason: 'schedule' } },
    );
    expect(await scheduleRecompute(queues, config('0 6 * * 1-5'))).toBe('recompute-daily');
    const schedulers = await planning.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.name, s.pattern, s.tz])).toEqual([
      ['recompute-daily', 'recompute-daily', '0 6 * * 1-5', 'Europe/Paris'],
    ]);
    // Upserted again by every worker that starts: still one.
    await scheduleRecompute(queues, config('0 6 * * 1-5'));
    expect(await planning.getJobSchedulersCount()).toBe(1);
  });

  it('recomputes whichever cycle is open when it fires, and only logs when none is', async () => {
    const none = await fire(await nextFiring());
    expect(none.result).toEqual({ skipped: 'no open cycle' });
    expect(none.flows).toEqual([]);
    expect(none.log).toContain('daily recompute: no open cycle, nothing to recompute');

    // A cycle opened after the worker started: the same scheduler's next firing recomputes it.
    const feb = await insertCycle(t.db, { month: '2027-02', phase: 'demand_review' });
    const first = await fire(await nextFiring());
    expect(first.flows).toHaveLength(1);
    expect(planOf(first.flows[0])).toEqual({ name: 'plan', cycleId: feb, trigger: 'schedule' });

    // February closes and March opens: the next firing is March's, February's is over.
    await t.db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date() })
      .where('id', '=', feb)
      .execute();
    const mar = await insertCycle(t.db, { month: '2027-03', phase: 'data_gathering' });
    const next = await fire(await nextFiring());
    expect(planOf(next.flows[0])).toEqual({ name: 'plan', cycleId: mar, trigger: 'schedule' });
  });

  it('keeps a recompute whose time passed while no worker ran, for the worker that starts next', async () => {
    const due = await nextFiring();
    // Its 06:00 came while every worker was down: due, and waiting for one.
    await due.promote();
    expect(await due.getState()).toBe('waiting');
    // A worker starts. Before: the upsert put it back to wait for the next slot after now.
    expect(await scheduleRecompute(queues, config('0 6 * * 1-5'))).toBe('recompute-daily');
    const jobs = (await planning.getJobs(['delayed', 'waiting'])).filter(
      (j) => j.name === 'recompute-daily',
    );
    expect(jobs.map((j) => j.id)).toEqual([due.id]);
    expect(await jobs[0]!.getState()).toBe('waiting');
  });

  it('off removes the scheduler', async () => {
    expect(await scheduleRecompute(queues, config('off'))).toBeNull();
    expect(await planning.getJobSchedulers()).toEqual([]);
    expect(
      (await planning.getJobs(['delayed'])).filter((j) => j.name === 'recompute-daily'),
    ).toEqual([]);
  });
});
