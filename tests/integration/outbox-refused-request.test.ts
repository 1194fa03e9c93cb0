/**
 * A job request in the outbox that this version's contract refuses: recorded by another
 * version (a deploy while Redis was down changed a job's payload, or retired a job), so the
 * queue's own check (`parsePayload`) turns it down at every hand-over. It must not hold up the
 * requests recorded after it, nor be taken for the queue being down: the relay passes over it,
 * logs it once with its stack, and delivers the rest. Real Postgres and the shared Redis, under
 * a prefix of the test's own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import { createRedis } from '../../src/redis.js';
import { deliverJobs, requestJob, startOutboxRelay } from '../../src/services/outbox.js';
import { redisPrefix, useDb } from '../helpers/db.js';
import { recordedLogs } from '../helpers/log-lines.js';

const t = useDb();
const redis = createRedis('redis://127.0.0.1:6379');
const queues = createQueues(redis, redisPrefix('outbox-refused'));
afterAll(async () => {
  for (const q of ['planning', 'posts', 'notifications'] as const)
    await queues.queue(q).obliterate({ force: true });
  await queues.close();
  redis.disconnect();
});

const row = (id: string) =>
  t.db
    .selectFrom('job_outbox')
    .select(['delivered_at', 'job_id', 'attempts', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('a job request the contract refuses', () => {
  it('is passed over and logged once; the requests after it are delivered', async () => {
    // Recorded by another version: a pack job whose payload this one reads differently, and a
    // job this one no longer has. Written as such rows are, straight into the table.
    const [badPayload, retired] = await Promise.all(
      [
        { job_name: 'pack', payload: JSON.stringify({ cycle: 'March' }) },
        { job_name: 'retired-job', payload: JSON.stringify({ cycleId: 1 }) },
      ].map(
        async (r) =>
          (
            await t.db
              .insertInto('job_outbox')
              .values({ ...r, run_at: new Date(), debounce_ms: null })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
      ),
    );
    // Then this version's own requests, after them in line.
    const pack = await requestJob(t.db, 'pack', { cycleId: 7 });
    const review = await requestJob(t.db, 'review', { cycleId: 7 });

    const { logger, lines } = recordedLogs();
    const relay = startOutboxRelay({ db: t.db, queue: queues, logger }, { intervalMs: 20 });
    try {
      // Three ticks at least have met each refused request (each tick counts an attempt).
      for (let i = 0; i < 500; i++) {
        const [a, b] = await Promise.all([row(badPayload!), row(retired!)]);
        if (a.attempts >= 3 && b.attempts >= 3) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await row(badPayload!)).attempts).toBeGreaterThanOrEqual(3);
    } finally {
      await relay.stop();
    }

    // The requests behind them were delivered, under their jobs' ids.
    expect(await row(pack)).toMatchObject({ job_id: 'pack-7', attempts: 0 });
    expect(await row(review)).toMatchObject({ job_id: 'review-7', attempts: 0 });
    expect((await row(pack)).delivered_at).not.toBeNull();
    expect(await queues.queue('posts').getJob('pack-7')).toBeDefined();
    expect(await queues.queue('posts').getJob('review-7')).toBeDefined();

    // The refused ones stay in the outbox with why.
    const bad = await row(badPayload!);
    expect(bad.delivered_at).toBeNull();
    expect(bad.last_error).toMatch(
      /^refused by this version: job 'pack': invalid payload: cycleId: /,
    );
    const gone = await row(retired!);
    expect(gone.delivered_at).toBeNull();
    expect(gone.last_error).toBe(
      "refused by this version: job 'retired-job': no such job in this version's contract",
    );

    // One error line each, with its stack, however many ticks met them; and the queue, which
    // answered all along, is never said to be unreachable.
    const errors = lines.filter((l) => l.level >= 50);
    expect(errors.map((l) => l.job).sort()).toEqual(['pack', 'retired-job']);
    for (const e of errors) expect(e.err?.stack).toMatch(/PayloadError/);
    expect(lines.some((l) => /unreachable/.test(l.msg))).toBe(false);
  });

  it("never fill the relay's batch ahead of the requests it can deliver, however many wait", async () => {
    // Three more refused requests, then one of this version's, and a batch of 2: before, the
    // relay locked the oldest 2 at every tick, both refused, and the requests behind them waited
    // for good once refused ones were as many as a batch (100 in production).
    const refusedIds: string[] = [];
    for (let i = 0; i < 3; i++)
      refusedIds.push(
        (
          await t.db
            .insertInto('job_outbox')
            .values({
              job_name: 'retired-job',
              payload: JSON.stringify({ n: i }),
              run_at: new Date(),
              debounce_ms: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    const mine = await requestJob(t.db, 'review', { cycleId: 8 });
    // The two refused in the test above wait too, oldest of all. Each batch meets the unmarked
    // refused ones first, marks them, and from then on takes them last: within three batches
    // this version's request is delivered (before, every batch locked the oldest two, refused).
    let delivered = 0;
    for (let i = 0; i < 3; i++)
      delivered += (await deliverJobs(t.db, queues, { limit: 2 })).delivered;
    expect(delivered).toBe(1);
    expect((await row(mine)).job_id).toBe('review-8');
    for (const id of refusedIds) {
      const r = await row(id);
      expect(r.delivered_at).toBeNull();
      expect(r.last_error).toBe(
        "refused by this version: job 'retired-job': no such job in this version's contract",
      );
    }
  });
});
