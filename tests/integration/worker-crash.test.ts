/**
 * A worker process killed (SIGKILL) in the middle of posting charts: BullMQ's stalled-job
 * check hands the job to another worker once the lock expires, and the ledger makes sure
 * every chart ends up in the channel exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompany } from '../../src/seed/company.js';
import { redisPrefix, useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import {
  addAdjustments,
  setUpCycle,
  type WorkerProcesses,
  workerProcesses,
} from './jobs-fixture.js';

const t = useDb();
const standin = useStandin();
let pool: WorkerProcesses;
let cycleId: number;

beforeAll(async () => {
  const company = generateCompany({ families: 6, months: 36, resources: 3, seed: 11 });
  const setup = await setUpCycle(t.db, company, { horizon: 6 });
  cycleId = setup.cycleId;
  await addAdjustments(t.db, cycleId, setup.month, [
    { family: 'FAM-1', pct: 20 },
    { family: 'FAM-3', pct: -25 },
    { family: 'FAM-5', pct: 40 },
  ]);
  pool = workerProcesses({
    dbUrl: t.url,
    prefix: redisPrefix('crash'),
    apiUrl: standin.apiUrl,
    lockMs: 3000,
    env: { SOPBOT_STALLED_INTERVAL_MS: '1000' },
  });
});

afterAll(async () => {
  await pool?.stop();
});

describe('a worker killed mid-job', () => {
  it('leaves the job to another worker, and each chart is posted exactly once', async () => {
    const first = await pool.spawn();
    await pool.queues.enqueue('recompute', {
      cycleId,
      reason: 'command',
      requestedBy: 'U_ALICE',
      requestKey: 'crash-test',
    });
    // Kill it the moment the first chart is in a channel: the others are still to come.
    await standin.waitFor(() => standin.files.length >= 1, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = standin.files.length;
    expect(atKill).toBeGreaterThanOrEqual(1);
    expect(atKill).toBeLessThan(6);

    const second = await pool.spawn();
    await standin.waitFor(() => standin.files.length >= 6, 60_000);
    await new Promise((r) => setTimeout(r, 2000));

    const names = standin.files.map((f) => f.name).sort();
    expect(names).toHaveLength(6);
    expect(new Set(names).size).toBe(6);
    const shares = standin.store.messages.filter((m) => m.files.length > 0);
    expect(shares).toHaveLength(6);
    // One ledger row per run and chart, and the run's headline in the executive channel's
    // plans thread (the content:* rows record what each channel shows).
    const ledger = await t.db
      .selectFrom('slack_posts')
      .selectAll()
      .where('post_key', 'like', 'run:%')
      .execute();
    const headlines = ledger.filter((r) => r.post_key.endsWith(':headline'));
    expect(headlines).toHaveLength(1);
    expect(ledger.length - headlines.length).toBe(6);
    expect(ledger.every((r) => r.ts !== null)).toBe(true);
    // The second worker finished the job the first one started, posting only what was
    // missing. (On a loaded machine a lock can also lapse and the job run twice: the ledger
    // still posts each chart once, which the sum checks.)
    const finished = second.logs.filter((l) => l.msg === 'charts posted');
    expect(finished.length).toBeGreaterThanOrEqual(1);
    const postedBySecond = finished.reduce((a, l) => a + Number(l.posted), 0);
    expect(postedBySecond).toBe(6 - atKill);
    expect(await t.db.selectFrom('plan_runs').select('id').execute()).toHaveLength(1);
  }, 120_000); // Worker processes start cold and render three charts a run: more than the default minute on a busy machine.
});
