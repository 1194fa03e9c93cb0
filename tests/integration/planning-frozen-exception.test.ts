/**
 * A frozen-zone break the executive meeting granted an exception for frees its family's frozen
 * months in the next cycle's plan: after 2027-01's decision granted FAM-1's, the 2027-02 plan
 * fixes every other family's production in its frozen months to the adopted plan, and not
 * FAM-1's. A break held or deferred frees nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDeviation } from '../../db/queries/execution.js';
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

describe('a granted exception frees its family in the next frozen zone', () => {
  const t = useDb();
  let queues: Queues;
  let redis: ReturnType<typeof createRedis>;
  beforeAll(async () => {
    redis = createRedis('redis://127.0.0.1:6379');
    queues = createQueues(redis, redisPrefix('frozen-exception'));
    await importCompany(
      t.db,
      generateCompany({ families: 3, months: 36, resources: 2, seed: 11 }),
      'test',
    );
  });
  afterAll(async () => {
    await emptyQueues(queues);
    await queues.close();
    redis.disconnect();
  });

  it('leaves FAM-1 out of the frozen production, and FAM-2, held, in it', async () => {
    const solver = await createHighsSolver();
    const cycle1 = await insertCycle(t.db, { month: '2027-01', phase: 'executive' });
    await fitBaselines(t.db, cycle1);
    const run1 = await runPlan(t.db, solver, {
      cycleId: cycle1,
      runKey: 'exception-c1',
      trigger: 'test',
      requestedBy: null,
    });
    const central = await t.db
      .selectFrom('plan_scenarios')
      .select('id')
      .where('run_id', '=', run1.runId)
      .where('name', '=', 'central')
      .executeTakeFirstOrThrow();
    const fams = await t.db.selectFrom('families').select(['id', 'code']).execute();
    const famId = (code: string) => fams.find((f) => f.code === code)!.id;
    const brk = (code: string) =>
      insertDeviation(t.db, {
        dedupeKey: `production_below_plan:${code}`,
        kind: 'production_below_plan',
        week: '2027-01-04',
        familyId: famId(code),
        resourceId: null,
        actual: 10,
        expected: 100,
        summary: `${code} produced 10 in the week of 2027-01-04`,
        comment: null,
        reportedBy: null,
        frozenBreak: true,
        createdAt: new Date('2027-01-08T10:00:00Z'),
      });
    const fam1Break = (await brk('FAM-1'))!;
    const fam2Break = (await brk('FAM-2'))!;
    await recordDecision(
      { db: t.db, queue: queues, clock: { now: () => new Date('2027-01-20T10:00:00Z') } },
      {
        cycleId: cycle1,
        pollId: null,
        scenarioId: central.id,
        rationale: 'Central.',
        decidedBy: 'U_EXEC',
        requestKey: 'exception-d1',
        actions: [],
        dispositions: [
          { deviationId: fam1Break, disposition: 'exception', note: null },
          { deviationId: fam2Break, disposition: 'hold', note: null },
        ],
      },
    );
    await t.db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date('2027-01-25T10:00:00Z') })
      .where('id', '=', cycle1)
      .execute();

    const cycle2 = await insertCycle(t.db, { month: '2027-02' });
    const inputs = await preparePlan(t.db, cycle2);
    // By hand: frozen months 2027-02 and 2027-03 (the default two) for FAM-2 and FAM-3, whose
    // production the adopted plan gave; FAM-1's exception frees it.
    expect(inputs.frozen.map((f) => `${f.family} ${f.period}`).sort()).toEqual([
      'FAM-2 2027-02',
      'FAM-2 2027-03',
      'FAM-3 2027-02',
      'FAM-3 2027-03',
    ]);
  });
});
