/**
 * A job that holds an action's draw lock (withSessionLock) keeps that lock's connection while
 * its own queries take another from the same pool. With as many holders as the pool has
 * connections, each waits for a connection none gives back: the worker stops for good. Before,
 * the worker's pool was 10 whatever SOPBOT_WORKER_CONCURRENCY said, so 4 jobs on each of the
 * 3 queues (12 at once) could hold all 10. workerPoolSize(4) is 3 × 4 + 4 = 16: the 12 holders
 * take 12 and the 4 left let each take its second in turn. Each holder here waits until every
 * holder that can enter has entered, then queries, so the interleaving is the worst one every
 * run. The pool gives up a wait for a connection after 1.5 s (an error, not a hang). Real
 * Postgres.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../db/connect.js';
import { withSessionLock } from '../../db/queries/adjustments.js';
import { QUEUES } from '../../jobs/contracts.js';
import { workerPoolSize } from '../../src/worker.js';
import { useDb } from '../helpers/db.js';

const t = useDb();

/** `holders` lock holders at once on a pool of `max`: each one's outcome. */
async function holdersOn(max: number, holders: number): Promise<PromiseSettledResult<number>[]> {
  const db = createDb(t.url, { max, connectTimeoutMs: 1_500 });
  try {
    const canEnter = Math.min(holders, max);
    let entered = 0;
    let allIn!: () => void;
    const everyoneIn = new Promise<void>((r) => {
      allIn = r;
    });
    return await Promise.allSettled(
      Array.from({ length: holders }, (_, i) =>
        withSessionLock(db, `pool-holder-${i}`, async () => {
          entered += 1;
          if (entered === canEnter) allIn();
          await everyoneIn;
          const { rows } = await sql<{ n: number }>`select ${i}::int as n`.execute(db);
          return rows[0]!.n;
        }),
      ),
    );
  } finally {
    await db.destroy();
  }
}

describe("the worker's pool and jobs that hold a lock while they query", () => {
  it('4 jobs on each queue: the pool workerPoolSize gives lets all twelve finish', async () => {
    // Three queues (planning, posts, notifications), four jobs each.
    expect(QUEUES.length).toBe(3);
    expect(workerPoolSize(4)).toBe(16);
    const out = await holdersOn(workerPoolSize(4), 12);
    expect(out.map((o) => (o.status === 'fulfilled' ? o.value : o.reason.message))).toEqual(
      Array.from({ length: 12 }, (_, i) => i),
    );
  });

  it('the old pool of 10: the ten holders that got in wait for an eleventh connection', async () => {
    const out = await holdersOn(10, 12);
    expect(out.filter((o) => o.status === 'rejected').length).toBeGreaterThan(0);
  });

  it('never below the 10 it had, for the default of 2 jobs a queue', () => {
    expect(workerPoolSize(1)).toBe(10);
    expect(workerPoolSize(2)).toBe(10);
    expect(workerPoolSize(10)).toBe(34);
  });
});
