/**
 * Two worker processes on one set of queues: every job runs once, the work is shared, and
 * no chart is posted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../src/core/period.js';
import { generateCompany } from '../../src/seed/company.js';
import { insertCycle, redisPrefix, useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import {
  setUpCycle,
  type WorkerProcess,
  type WorkerProcesses,
  workerProcesses,
} from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false });
let pool: WorkerProcesses;
const cycles: number[] = [];

const CYCLES = 4;

beforeAll(async () => {
  const company = generateCompany({ families: 5, months: 36, resources: 3, seed: 3 });
  const first = await setUpCycle(t.db, company, { horizon: 6 });
  cycles.push(first.cycleId);
  for (let i = 1; i < CYCLES; i++) {
    const cId = await insertCycle(t.db, {
      month: addMonths(first.month, i),
      phase: 'demand_review',
      opened_by: 'U_ALICE',
    });
    cycles.push(cId);
  }
  pool = workerProcesses({ dbUrl: t.url, prefix: redisPrefix('share'), apiUrl: standin.apiUrl });
});

afterAll(async () => {
  await pool?.stop();
});

describe('two worker processes', () => {
  it('share the work, run every job once and post every chart once', async () => {
    await pool.spawn();
    await pool.spawn();
    const workers = pool.started;
    for (const cycleId of cycles)
      await pool.queues.enqueue('recompute', {
        cycleId,
        reason: 'command',
        requestedBy: 'U_ALICE',
        requestKey: `share-${cycleId}`,
      });
    // Each run: the gap, scenario and cash charts (no adjustments, so no family charts).
    await standin.waitFor(() => standin.files.length >= 3 * CYCLES, 90_000);
    await new Promise((r) => setTimeout(r, 1500));

    const runs = await t.db.selectFrom('plan_runs').select(['id', 'cycle_id']).execute();
    expect(runs.map((r) => r.cycle_id).sort()).toEqual([...cycles].sort());
    expect(standin.files).toHaveLength(3 * CYCLES);
    expect(new Set(standin.files.map((f) => f.name)).size).toBe(3 * CYCLES);

    const done = (w: WorkerProcess, msg: string) => w.logs.filter((l) => l.msg === msg);
    const planLogs = workers.flatMap((w) => done(w, 'plan run done'));
    expect(planLogs).toHaveLength(CYCLES);
    expect(planLogs.every((l) => l.created === true)).toBe(true);
    expect(workers.flatMap((w) => done(w, 'baseline done'))).toHaveLength(CYCLES);
    expect(workers.flatMap((w) => done(w, 'charts posted'))).toHaveLength(CYCLES);
    expect(workers.flatMap((w) => done(w, 'recompute flow started'))).toHaveLength(CYCLES);
    // Both took part.
    for (const w of workers) {
      const jobs = w.logs.filter((l) =>
        ['plan run done', 'baseline done', 'charts posted', 'recompute flow started'].includes(
          String(l.msg),
        ),
      );
      expect(jobs.length).toBeGreaterThan(0);
    }
    // Graceful stop: SIGTERM, exit code 0.
    for (const w of workers) w.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
  }, 120_000); // Worker processes start cold and render three charts a run: more than the default minute on a busy machine.

  it('stop cleanly when SIGTERM comes the moment they say they started', async () => {
    // A supervisor may stop a worker as soon as it reads "started": the handler must already
    // be there, or the default action kills the process (exit code null, signal SIGTERM).
    for (let i = 0; i < 3; i++) {
      const w = await pool.spawn();
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      expect(w.child.signalCode).toBeNull();
    }
  }, 120_000); // Three cold starts, one after the other.
});
