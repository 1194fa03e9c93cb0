/**
 * A capacity constraint is a fact about a resource's months: raised in one cycle, it holds for
 * the plans of every later cycle that covers those months, until operations resolve it or
 * enter a newer update for the month. Against Postgres, Redis and HiGHS: operations cut
 * LINE-2 by 30% for 2027-03 and 2027-04 in the 2027-01 cycle; the 2027-02 cycle's plan,
 * `/sop explain`, `/sop status` and the pack all see it, until it is resolved or replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConstraintsByOps } from '../../db/queries/cycle-inputs.js';
import { openConstraintLines } from '../../db/queries/pack.js';
import { createQueues } from '../../jobs/queues.js';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/deps.js';
import { importCompany } from '../../src/import/import-company.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { generateCompany } from '../../src/seed/company.js';
import { submitCapacityUpdate } from '../../src/services/capacity.js';
import { startCycle } from '../../src/services/cycles.js';
import { explainQuestion } from '../../src/services/explain.js';
import { getMember } from '../../src/services/members.js';
import { runPlan } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { explainPlainText } from '../../src/slack/presenters/explain.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertMembers, redisPrefix, useDb } from '../helpers/db.js';
import { emptyQueues } from './jobs-fixture.js';

/** LINE-2's regular capacity in every month (set below; no per-month override). */
const BASE = 540;
/** 30% off for the spindle overhaul: 540 × 0.7. */
const CUT = 378;
const OPS = 'U_OTTO';
const PLANNER = 'U_PAT';

describe('an open constraint holds for later cycles’ plans', () => {
  const t = useDb();
  const redis = createRedis('redis://127.0.0.1:6379');
  const queue = createQueues(redis, redisPrefix('constraints-across'));
  const deps = (iso: string) => ({
    db: t.db,
    queue,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    logger: createLogger('silent'),
    clock: { ...systemClock, now: () => new Date(iso) },
  });
  let solver: Awaited<ReturnType<typeof createHighsSolver>>;
  let jan = 0;
  let feb = 0;
  let n = 0;

  /** Plans the cycle and returns the capacity its central scenario planned for LINE-2. */
  const planLine2 = async (cycleId: number): Promise<Record<string, number>> => {
    const { runId } = await runPlan(t.db, solver, {
      cycleId,
      runKey: `constraints-across-${++n}`,
      trigger: 'test',
      requestedBy: null,
    });
    return capacityOfRun(runId);
  };
  const capacityOfRun = async (runId: string): Promise<Record<string, number>> => {
    const rows = await t.db
      .selectFrom('plan_resource_results')
      .innerJoin('plan_scenarios', 'plan_scenarios.id', 'plan_resource_results.scenario_id')
      .innerJoin('resources', 'resources.id', 'plan_resource_results.resource_id')
      .select(['plan_resource_results.period', 'plan_resource_results.capacity'])
      .where('plan_scenarios.run_id', '=', runId)
      .where('plan_scenarios.name', '=', 'central')
      .where('resources.code', '=', 'LINE-2')
      .where('plan_resource_results.period', 'in', ['2027-03', '2027-04'])
      .execute();
    return Object.fromEntries(rows.map((r) => [r.period, r.capacity]));
  };
  let janRun = '';

  beforeAll(async () => {
    solver = await createHighsSolver();
    await importCompany(
      t.db,
      generateCompany({ families: 6, months: 36, resources: 4, seed: 11 }),
      'test',
    );
    const line2 = await t.db
      .updateTable('resources')
      .set({ regular_capacity: BASE })
      .where('code', '=', 'LINE-2')
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.deleteFrom('resource_capacities').where('resource_id', '=', line2.id).execute();
    await insertMembers(t.db, { [OPS]: 'ops', [PLANNER]: 'planner' });

    // 2027-01: operations cut LINE-2 by 30% for March and April; the cycle plans and closes.
    jan = (await startCycle(deps('2027-01-04T09:00:00Z'), PLANNER, '2027-01')).id;
    const cut = await submitCapacityUpdate(
      deps('2027-01-06T10:00:00Z'),
      await getMember(t.db, OPS),
      {
        target: 'LINE-2',
        from: '2027-03',
        to: '2027-04',
        kind: 'delta_pct',
        value: -30,
        reason: 'maintenance',
        comment: 'Spindle overhaul',
      },
      { requestKey: 'constraints-across-cut', source: 'api' },
    );
    expect(cut.lines.map((l) => [l.period, l.before])).toEqual([
      ['2027-03', BASE],
      ['2027-04', BASE],
    ]);
    for (const l of cut.lines) expect(l.after).toBeCloseTo(CUT, 9);
    await fitBaselines(t.db, jan);
    const { runId } = await runPlan(t.db, solver, {
      cycleId: jan,
      runKey: 'constraints-across-jan',
      trigger: 'test',
      requestedBy: null,
    });
    janRun = runId;
    await t.db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date('2027-01-29T17:00:00Z') })
      .where('id', '=', jan)
      .execute();

    // 2027-02 opens; nobody touches LINE-2 in it.
    feb = (await startCycle(deps('2027-02-01T09:00:00Z'), PLANNER, '2027-02')).id;
    await fitBaselines(t.db, feb);
  }, 120_000);

  afterAll(async () => {
    await emptyQueues(queue);
    await queue.close();
    redis.disconnect();
  });

  it('the 2027-01 cycle planned LINE-2 at 70% of its capacity in March and April', async () => {
    const planned = await capacityOfRun(janRun);
    expect(planned['2027-03']).toBeCloseTo(CUT, 9);
    expect(planned['2027-04']).toBeCloseTo(CUT, 9);
  });

  it('the 2027-02 cycle plans with it, and explain names it and the cycle it came from', async () => {
    const planned = await planLine2(feb);
    expect(planned['2027-03']).toBeCloseTo(CUT, 9);
    expect(planned['2027-04']).toBeCloseTo(CUT, 9);

    const e = await explainQuestion(t.db, 'LINE-2 2027-04');
    expect(e.kind).toBe('resource');
    if (e.kind !== 'resource') return;
    expect(e.cycleMonth).toBe('2027-02');
    expect(e.months[0]?.capacity).toBeCloseTo(CUT, 9);
    expect(e.months[0]?.updates).toEqual([
      expect.objectContaining({
        kind: 'delta_pct',
        value: -30,
        reason: 'maintenance',
        comment: 'Spindle overhaul',
        isConstraint: true,
        author: OPS,
        enteredIn: '2027-01',
      }),
    ]);
    const text = explainPlainText(e);
    expect(text).toContain('Updates and constraints in force:');
    expect(text).toContain("entered in 2027-01's cycle");
    expect(text).not.toContain('No capacity update in force');

    // /sop status counts Otto's constraints as /sop constraints lists them: one request, on
    // LINE-2 for March and April, is one (it counted 2, one a month); the pack's lines are
    // its two months, entered in 2027-01.
    expect(await openConstraintsByOps(t.db, feb)).toEqual([{ userId: OPS, count: 1 }]);
    expect(
      (await openConstraintLines(t.db, feb)).map((l) => `${l.code} ${l.period} ${l.entered_in}`),
    ).toEqual(['LINE-2 2027-03 2027-01', 'LINE-2 2027-04 2027-01']);
  }, 120_000);

  it('once resolved, the next plan has the full capacity back', async () => {
    await t.db
      .updateTable('capacity_updates')
      .set({ status: 'resolved', resolved_at: new Date('2027-02-03T09:00:00Z') })
      .where('cycle_id', '=', jan)
      .where('period', '=', '2027-03')
      .execute();
    const planned = await planLine2(feb);
    expect(planned['2027-03']).toBe(BASE);
    expect(planned['2027-04']).toBeCloseTo(CUT, 9);
  }, 120_000);

  it('a newer update in 2027-02 for the same month wins, from the capacity shown on', async () => {
    const out = await submitCapacityUpdate(
      deps('2027-02-04T10:00:00Z'),
      await getMember(t.db, OPS),
      {
        target: 'LINE-2',
        from: '2027-04',
        to: '2027-04',
        kind: 'set',
        value: 500,
        reason: 'maintenance',
        comment: 'Overhaul shortened',
      },
      { requestKey: 'constraints-across-set', source: 'api' },
    );
    // The operator is shown the capacity the plan had: 378 before, 500 after.
    expect(out.lines.map((l) => l.period)).toEqual(['2027-04']);
    expect(out.lines[0]?.before).toBeCloseTo(CUT, 9);
    expect(out.lines[0]?.after).toBe(500);
    const planned = await planLine2(feb);
    expect(planned['2027-04']).toBe(500);
    expect(planned['2027-03']).toBe(BASE);

    // The 2027-01 cycle's stored run is history: it still says 378 for both months.
    const janPlanned = await capacityOfRun(janRun);
    expect(janPlanned['2027-03']).toBeCloseTo(CUT, 9);
    expect(janPlanned['2027-04']).toBeCloseTo(CUT, 9);
  }, 120_000);
});
