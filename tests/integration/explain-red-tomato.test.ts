/**
 * `/sop explain CREW <month>` on Red Tomato Tools (Chopra & Meindl, ch. 8; the data of
 * examples/plans/red-tomato-tools.json) loaded as a company: the shadow price the command
 * shows must equal an independent calculation, the cost saved when the stored plan problem is
 * solved again with one more crew hour in that month.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/core/supply/model.js';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import { explainQuestion } from '../../src/services/explain.js';
import { runPlan } from '../../src/services/planning.js';
import { getSettings } from '../../src/services/settings.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';
import { insertCycle } from '../helpers/db.js';
import { testClock, useHarness } from './meeting-fixture.js';

const MONTHS = ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06'];
const DEMAND = [1600, 3000, 3200, 3800, 2200, 2200];

describe('/sop explain on Red Tomato: shadow prices against a re-solve', () => {
  const h = useHarness({
    label: 'explain-rt',
    members: { U_PLAN: 'planner' },
    clock: testClock('2027-01-10T10:00:00Z'),
  });
  let solver: HighsSolver;
  let problem: PlanProblem;
  let base: number;
  const cost = async (p: PlanProblem): Promise<number> => {
    const sol = await solver.solve(buildModel(p, { strategy: 'optimal' }).lp);
    if (sol.status !== 'optimal') throw new Error(sol.status);
    return sol.objective;
  };

  beforeAll(async () => {
    solver = await createHighsSolver();
    const db = h.db;
    await getSettings(db);
    await db
      .updateTable('workspace_settings')
      .set({ horizon_months: 6, frozen_months: 0 })
      .execute();
    const tools = await db
      .insertInto('families')
      .values({
        code: 'TOOLS',
        name: 'Garden tools',
        price: 40,
        unit_cost: 10,
        holding_cost: 2,
        backlog_cost: 5,
        subcontract_cost: 30,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const crew = await db
      .insertInto('resources')
      .values({
        code: 'CREW',
        name: 'Assembly workforce',
        kind: 'workforce',
        unit: 'h',
        regular_capacity: 0,
        overtime_cost: 6,
        initial_workers: 80,
        hours_per_worker: 160,
        cost_per_worker: 640,
        hire_cost: 300,
        layoff_cost: 500,
        overtime_hours_per_worker: 10,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('resource_loads')
      .values({ family_id: tools.id, resource_id: crew.id, load_per_unit: 4 })
      .execute();
    await db
      .insertInto('inventory_snapshots')
      .values({ family_id: tools.id, period: '2026-12', on_hand: 1000 })
      .execute();
    const cycleId = await insertCycle(db, { month: '2027-01', phase: 'supply_review' });
    // The textbook's demand is the baseline; nobody adjusts it.
    await db
      .insertInto('baseline_models')
      .values({ cycle_id: cycleId, family_id: tools.id, method: 'none', history_hash: 'rt' })
      .execute();
    await db
      .insertInto('baseline_forecasts')
      .values(
        MONTHS.map((period, i) => ({
          cycle_id: cycleId,
          family_id: tools.id,
          period,
          value: DEMAND[i]!,
        })),
      )
      .execute();
    const out = await runPlan(db, solver, {
      cycleId: cycleId,
      runKey: 'rt',
      trigger: 'test',
      requestedBy: null,
    });
    const run = await db
      .selectFrom('plan_runs')
      .select('problem')
      .where('id', '=', out.runId)
      .executeTakeFirstOrThrow();
    problem = parsePlanProblem(run.problem);
    base = await cost(problem);
  });
  it.each(MONTHS)('one more crew hour in %s is worth what the command says', async (month) => {
    const more = await cost({
      ...problem,
      resources: problem.resources.map((r) => ({
        ...r,
        capacityByPeriod: { ...r.capacityByPeriod, [month]: 1 },
      })),
    });
    const saved = base - more;
    const e = await explainQuestion(h.db, `CREW ${month}`);
    if (e.kind !== 'resource') throw new Error(e.kind);
    expect(e.months[0]?.shadowPrice).toBeCloseTo(saved, 6);
    await h.driver.command('/sop', {
      user: 'U_PLAN',
      channel: 'C_SUPPLY',
      text: `explain what limits CREW in ${month}`,
    });
    const eph = await h.standin.waitFor(() =>
      h.standin.ephemeralsFor('U_PLAN').find((x) => x.text.startsWith(`CREW ${month}`)),
    );
    const shown = /One more h on CREW in \d{4}-\d{2} is worth \*\$([\d,.]+)\*/.exec(
      JSON.stringify(eph.blocks),
    );
    expect(saved).toBeGreaterThan(0);
    expect(Number(shown?.[1]?.replace(/,/g, ''))).toBeCloseTo(saved, 2);
  });
});
