/**
 * The weekly S&OE digest's job scheduler (docs/meeting.md, "Between meetings"): upserted by
 * every worker at SOPBOT_DIGEST_CRON in the company's time zone, once; `off` removes it, so
 * turning the digest off takes effect at the workers' next start.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import { loadConfig } from '../../src/config.js';
import { createRedis } from '../../src/redis.js';
import { scheduleDigest } from '../../src/worker.js';
import { redisPrefix } from '../helpers/db.js';
import { emptyQueues, workerEnv } from './jobs-fixture.js';

const redis = createRedis('redis://127.0.0.1:6379');
const queues = createQueues(redis, redisPrefix('digest-schedule'));
const notifications = queues.queue('notifications');

afterAll(async () => {
  await emptyQueues(queues);
  await queues.close();
  redis.disconnect();
});

const config = (cron: string) =>
  loadConfig({
    ...workerEnv({
      dbUrl: 'postgres://unused',
      prefix: queues.prefix,
      apiUrl: 'http://127.0.0.1:9/',
    }),
    SOPBOT_DIGEST_CRON: cron,
    SOPBOT_TIMEZONE: 'Asia/Tokyo',
  });

describe('the weekly digest scheduler', () => {
  it('is one scheduler at the cron in the company time zone, and off removes it', async () => {
    expect(await scheduleDigest(queues, config('0 8 * * 1'))).toBe('execution-digest-weekly');
    expect(await scheduleDigest(queues, config('0 8 * * 1'))).toBe('execution-digest-weekly');
    const schedulers = await notifications.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.name, s.pattern, s.tz])).toEqual([
      ['execution-digest-weekly', 'execution-digest', '0 8 * * 1', 'Asia/Tokyo'],
    ]);

    expect(await scheduleDigest(queues, config('off'))).toBeNull();
    expect(await notifications.getJobSchedulers()).toEqual([]);
    const waiting = await notifications.getJobs(['delayed', 'waiting']);
    expect(waiting.filter((j) => j.name === 'execution-digest')).toEqual([]);
  });

  it('keeps a digest whose slot passed while no worker ran, for the worker that starts next', async () => {
    expect(await scheduleDigest(queues, config('0 8 * * 1'))).toBe('execution-digest-weekly');
    const digests = async () =>
      (await notifications.getJobs(['delayed', 'waiting'])).filter(
        (j) => j.name === 'execution-digest',
      );
    const [due] = await digests();
    // Its Monday 08:00 came while every worker was down: due, and waiting for one.
    await due!.promote();
    expect(await due!.getState()).toBe('waiting');
    // A worker starts hours later. Before: the upsert replaced it with the digest of the next
    // slot after now (here the same job id, put back to wait for it), and that week's digest
    // was never posted.
    expect(await scheduleDigest(queues, config('0 8 * * 1'))).toBe('execution-digest-weekly');
    const after = await digests();
    expect(after.map((j) => j.id)).toEqual([due!.id]);
    expect(await after[0]!.getState()).toBe('waiting');
    // A changed cron still takes effect at the next start: one digest, at the new slot.
    expect(await scheduleDigest(queues, config('0 9 * * 1'))).toBe('execution-digest-weekly');
    const schedulers = await notifications.getJobSchedulers();
    expect(schedulers.map((s) => s.pattern)).toEqual(['0 9 * * 1']);
    expect(await digests()).toHaveLength(1);
    expect(await scheduleDigest(queues, config('off'))).toBeNull();
  });
});
