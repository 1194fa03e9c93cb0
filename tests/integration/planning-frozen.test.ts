/**
 * The frozen zone of a cycle is fixed by the previous cycle's adopted plan: after a decision
 * in 2027-01, the 2027-02 plan keeps production in its frozen months, whatever the demand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { importCompany } from '../../src/import/import-company.js';
import { createRedis } from '../../src/redis.js';
import { generateCompany } from '../../src/seed/company.js';
import { recordDecision } from '../../src/services/decisions.js';
import { preparePlan, runPlan } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertCycle, redisPrefix, useDb } from '../helpers/db.js';
import { emptyQueues } from './jobs-fixture.js';

describe('frozen zone from the adopted plan', () => {
  const t = useDb();
  let queues: Queues;
  let redis: ReturnType<typeof createRedis>;
  beforeAll(async () => {
    redis = createRedis('redis://127.0.0.1:6379');
    queues = createQueues(redis, redisPrefix('frozen'));
    await importCompany(
      t.db,
      generateCompany({ families: 6, months: 36, resources: 4, seed: 11 }),
      'test',
    );
  });
  afterAll(async () => {
    await emptyQueues(queues);
    await queues.close();
    redis.disconnect();
  });

  it('fixes the next cycle’s frozen months to the adopted production, even when demand moves', async () => {
    const solver = await createHighsSolver();
    const plan = (cycleId: number, runKey: string) =>
      runPlan(t.db, solver, { cycleId, runKey, trigger: 'test', requestedBy: null });
    const cycle1 = await insertCycle(t.db, { month: '2027-01', phase: 'executive' });
    await fitBaselines(t.db, cycle1);
    const run1 = await plan(cycle1, 'frozen-c1');
    const central = await t.db
      .selectFrom('plan_scenarios')
      .select('id')
      .where('run_id', '=', run1.runId)
      .where('name', '=', 'central')
      .executeTakeFirstOrThrow();
    const clock = { now: () => new Date('2027-01-20T10:00:00Z') };
    await recordDecision(
      { db: t.db, queue: queues, clock },
      {
        cycleId: cycle1,
        pollId: null,
        scenarioId: central.id,
        rationale: 'Central.',
        decidedBy: 'U_EXEC',
        requestKey: 'frozen-d1',
        actions: [],
      },
    );
    await t.db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date() })
      .where('id', '=', cycle1)
      .execute();

    const cycle2 = await insertCycle(t.db, { month: '2027-02' });
    await fitBaselines(t.db, cycle2);
    const adopted = await t.db
      .selectFrom('plan_family_results')
      .innerJoin('families', 'families.id', 'plan_family_results.family_id')
      .select(['families.code', 'families.id as familyId', 'period', 'production'])
      .where('scenario_id', '=', central.id)
      .where('period', 'in', ['2027-02', '2027-03', '2027-04'])
      .execute();
    const inputs = await preparePlan(t.db, cycle2);
    expect(inputs.frozen.map((f) => f.period).sort()).toEqual(
      adopted
        .filter((a) => a.period !== '2027-04')
        .map((a) => a.period)
        .sort(),
    );
    for (const f of inputs.frozen) {
      expect(f.production).toBe(
        adopted.find((a) => a.code === f.family && a.period === f.period)!.production,
      );
    }

    // Demand for FAM-1 jumps by half in 2027-02 (an executive exception); the frozen plan holds.
    const fam1 = adopted.find((a) => a.code === 'FAM-1')!.familyId;
    await t.db
      .insertInto('forecast_adjustments')
      .values({
        cycle_id: cycle2,
        family_id: fam1,
        period: '2027-02',
        author: 'U_EXEC',
        author_role: 'exec',
        kind: 'delta_pct',
        value: 50,
        reason_code: 'new_customer',
        zone: 'frozen',
        source: 'api',
        request_key: 'frozen-adj',
      })
      .execute();
    const run2 = await plan(cycle2, 'frozen-c2');
    const central2 = await t.db
      .selectFrom('plan_scenarios')
      .select(['id', 'status'])
      .where('run_id', '=', run2.runId)
      .where('name', '=', 'central')
      .executeTakeFirstOrThrow();
    expect(central2.status).toBe('optimal');
    const after = await t.db
      .selectFrom('plan_family_results')
      .select(['family_id', 'period', 'production'])
      .where('scenario_id', '=', central2.id)
      .execute();
    for (const a of adopted.filter((x) => x.period !== '2027-04')) {
      const p = after.find((r) => r.family_id === a.familyId && r.period === a.period)!;
      expect(p.production).toBeCloseTo(a.production, 6);
    }
  });
});
