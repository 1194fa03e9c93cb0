/**
 * No bot noise: a second recompute whose numbers did not change reuses the run and posts no
 * chart again; a change posts only the charts it changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { generateCompany } from '../../src/seed/company.js';
import { useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import { addAdjustments, CHANNELS, setUpCycle, useInProcessWorker } from './jobs-fixture.js';

describe('charts of an unchanged plan are not posted again', () => {
  const t = useDb();
  let db: Db;
  const standin = useStandin({ postMessageRate: false, tierLimits: false });
  let cycleId = 0;
  let month = '';

  beforeAll(async () => {
    db = t.db;
    ({ cycleId, month } = await setUpCycle(
      db,
      generateCompany({ families: 8, months: 36, resources: 4, seed: 5 }),
      { horizon: 12 },
    ));
  });
  const worker = useInProcessWorker({ t, standin }, 'unchanged');

  const runs = async () =>
    Number(
      (
        await db
          .selectFrom('plan_runs')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const filesIn = (channel: string) =>
    standin.files.filter((f) => f.channels.includes(channel)).length;
  /** Enqueue a recompute and wait for its post-charts job (the flow's last step) to complete. */
  async function recompute(key: string, n: number) {
    await worker.queues.enqueue('recompute', { cycleId, reason: 'command', requestKey: key });
    await standin.waitFor(async () => {
      const done = await worker.queues.queue('posts').getJobs(['completed']);
      const failed = await worker.queues.queue('posts').getJobs(['failed']);
      if (failed.length) throw new Error(`post-charts failed: ${failed[0]!.failedReason}`);
      return done.filter((j) => j.name === 'post-charts').length >= n;
    }, 60_000);
  }

  it('posts the first run, nothing for an identical second run, and only what changed after that', async () => {
    await recompute('first', 1);
    const supply1 = filesIn(CHANNELS.supply);
    const exec1 = filesIn(CHANNELS.exec);
    expect(supply1).toBe(1);
    // The scenario chart and the cash chart.
    expect(exec1).toBe(2);

    await recompute('second', 2);
    // Equal inputs: the first run answers the second request (one run per input).
    expect(await runs()).toBe(1);
    expect(filesIn(CHANNELS.supply)).toBe(supply1);
    expect(filesIn(CHANNELS.exec)).toBe(exec1);
    expect(filesIn(CHANNELS.demand)).toBe(0);

    await addAdjustments(db, cycleId, month, [{ family: 'FAM-1', pct: 25, months: 3 }]);
    await recompute('third', 3);
    expect(filesIn(CHANNELS.demand)).toBe(1);
    // Demand changed: the scenario comparison and the cash both change.
    expect(filesIn(CHANNELS.exec)).toBe(exec1 + 2);
  });
});
