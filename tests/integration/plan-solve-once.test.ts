/**
 * Two plan requests of one cycle at the same moment (a phase change and a submission's
 * recompute, as in the demo): the second waits for the first and gets its run, instead of
 * solving the same inputs again side by side. Real Postgres and the real HiGHS solver; each
 * request counts the LP solves it asks for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LpModel, LpSolver } from '../../src/core/supply/lp.js';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { addAdjustments, setUpCycle } from './jobs-fixture.js';

const t = useDb();
let cycleId = 0;
let month = '';

beforeAll(async () => {
  ({ cycleId, month } = await setUpCycle(
    t.db,
    generateCompany({ families: 4, months: 36, resources: 3, seed: 5 }),
    { horizon: 9 },
  ));
});

/** The real solver, counting the models it is given. */
function counting(highs: LpSolver): LpSolver & { solves: number } {
  const s = {
    solves: 0,
    solve(model: LpModel) {
      s.solves++;
      return highs.solve(model);
    },
  };
  return s;
}

describe('one cycle, two plan requests at once', () => {
  it('one solves and writes the run; the other waits and gets that run without solving', async () => {
    const highs = await createHighsSolver();
    const a = counting(highs);
    const b = counting(highs);
    const req = (runKey: string) => ({ cycleId, runKey, trigger: 'cycle', requestedBy: null });
    const [ra, rb] = await Promise.all([
      runPlan(t.db, a, req('a-1')),
      runPlan(t.db, b, req('b-1')),
    ]);
    expect(ra.runId).toBe(rb.runId);
    expect([ra.created, rb.created].sort()).toEqual([false, true]);
    // Exactly one of them solved anything.
    expect([a.solves, b.solves].filter((n) => n > 0)).toHaveLength(1);
    const runs = await t.db.selectFrom('plan_runs').select('id').execute();
    expect(runs).toHaveLength(1);
  });

  it('new inputs while a plan is solving: the waiting request solves them after it', async () => {
    const highs = await createHighsSolver();
    const a = counting(highs);
    const b = counting(highs);
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-2', pct: 10 }]);
    const first = runPlan(t.db, a, { cycleId, runKey: 'a-2', trigger: 'cycle', requestedBy: null });
    // The second request comes with inputs the first one (already preparing) may not see.
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-3', pct: -10 }]);
    const second = runPlan(t.db, b, {
      cycleId,
      runKey: 'b-2',
      trigger: 'submission',
      requestedBy: null,
    });
    const [ra, rb] = await Promise.all([first, second]);
    // Whatever the first saw, the second's run is the latest and plans both adjustments.
    const latest = await t.db
      .selectFrom('plan_runs')
      .select(['id', 'consensus'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(rb.runId).toBe(latest.id);
    expect(ra.created || rb.created).toBe(true);
    const adjusted = new Set((latest.consensus as { family: string }[]).map((c) => c.family));
    expect(adjusted.has('FAM-2')).toBe(true);
    expect(adjusted.has('FAM-3')).toBe(true);
  });
});
