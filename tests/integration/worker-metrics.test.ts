/**
 * The worker's Prometheus endpoint: queue depth per queue and state, read from Redis at
 * scrape time, and a duration histogram per job name and outcome. Also: a payload no
 * retry can fix fails at once (UnrecoverableError), without retries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningWorker, startWorker } from '../../src/worker.js';
import { redisPrefix, useDb } from '../helpers/db.js';
import { scrapeMetrics } from '../helpers/metrics.js';
import { useStandin } from '../helpers/slack.js';
import { workerEnv } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin();
let worker: RunningWorker;

beforeAll(async () => {
  const config = loadConfig(
    workerEnv({ dbUrl: t.url, prefix: redisPrefix('metrics'), apiUrl: standin.apiUrl }),
  );
  worker = await startWorker(config, { metricsPort: 0 });
});

afterAll(async () => {
  await worker?.stop();
});

const scrape = () => scrapeMetrics(worker.metricsPort);

describe('metrics', () => {
  it('reports queue depth by queue and state', async () => {
    await worker.queues.enqueue(
      'plan',
      {
        cycleId: 1,
        runKey: 'metrics-delayed',
        trigger: 'test',
      },
      { delayMs: 60_000 },
    );
    const text = await scrape();
    expect(text).toContain('# TYPE sopbot_queue_jobs gauge');
    expect(text).toContain('sopbot_queue_jobs{queue="planning",state="delayed"} 1');
    expect(text).toContain('sopbot_queue_jobs{queue="posts",state="waiting"} 0');
    expect(text).toContain('sopbot_queue_jobs{queue="notifications",state="active"} 0');
  });

  it('times jobs per name and outcome, and fails bad payloads without retrying', async () => {
    // A job whose data breaks its schema (added straight to BullMQ, past the producer's check).
    const job = await worker.queues.queue('posts').add('post-charts', { runId: 'not-a-number' });
    const deadline = Date.now() + 10_000;
    while (!(await job.isFailed()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const failed = await worker.queues.queue('posts').getJob(job.id ?? '');
    expect(failed?.failedReason).toContain("job 'post-charts': invalid payload: runId");
    expect(failed?.attemptsMade).toBe(1);
    const text = await scrape();
    expect(text).toContain('# TYPE sopbot_job_duration_seconds histogram');
    expect(text).toMatch(
      /sopbot_job_duration_seconds_count\{job="post-charts",outcome="failed"\} 1\n/,
    );
    expect(text).toMatch(
      /sopbot_job_duration_seconds_bucket\{le="\+Inf",job="post-charts",outcome="failed"\} 1\n/,
    );
  });

  it('answers 404 elsewhere', async () => {
    const res = await fetch(`http://127.0.0.1:${worker.metricsPort}/other`);
    expect(res.status).toBe(404);
  });
});
