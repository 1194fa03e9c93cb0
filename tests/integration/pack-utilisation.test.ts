/**
 * The pack's capacity utilisation (question 2) is the figure the vote, the plan headline and
 * the scenario chart show for the same plan: the solver's, over the resource-months that have
 * capacity. Solved for real (HiGHS, through the planning service) on a plan with a line shut
 * for a month.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../db/queries/plan-runs.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { runPlan } from '../../src/services/planning.js';
import { getSettings } from '../../src/services/settings.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertCycle, insertFlatBaseline, useDb } from '../helpers/db.js';

const MONTHS = ['2027-01', '2027-02'];
const NOW = new Date('2027-01-20T10:00:00Z');

const t = useDb();
let runId = '';

beforeAll(async () => {
  const db = t.db;
  await getSettings(db);
  await db
    .updateTable('workspace_settings')
    .set({ horizon_months: 2, frozen_months: 0, slushy_months: 1 })
    .execute();
  const fam = async (code: string) =>
    (
      await db
        .insertInto('families')
        .values({
          code,
          name: code,
          price: 50,
          unit_cost: 10,
          holding_cost: 1,
          backlog_cost: 5,
          subcontract_cost: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const a = await fam('FAM-A');
  const b = await fam('FAM-B');
  const line = async (code: string) =>
    (
      await db
        .insertInto('resources')
        .values({
          code,
          name: code,
          kind: 'line',
          unit: 'units',
          regular_capacity: 100,
          overtime_limit: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const lineA = await line('LINE-A');
  const lineB = await line('LINE-B');
  // LINE-B is shut for maintenance in February: no capacity at all.
  await db
    .insertInto('resource_capacities')
    .values({ resource_id: lineB, period: '2027-02', capacity: 0 })
    .execute();
  await db
    .insertInto('resource_loads')
    .values([
      { family_id: a, resource_id: lineA, load_per_unit: 1 },
      { family_id: b, resource_id: lineB, load_per_unit: 1 },
    ])
    .execute();
  await db
    .insertInto('inventory_snapshots')
    .values([a, b].map((id) => ({ family_id: id, period: '2026-12', on_hand: 0 })))
    .execute();
  const cycleId = await insertCycle(db, { month: '2027-01', phase: 'executive' });
  // FAM-A: 80 a month; FAM-B: 50 in January, none in February.
  const demand = [
    { id: a, units: [80, 80] },
    { id: b, units: [50, 0] },
  ];
  await insertFlatBaseline(db, cycleId, MONTHS, demand);
  ({ runId } = await runPlan(db, await createHighsSolver(), {
    cycleId,
    runKey: 'utilisation',
    trigger: 'test',
    requestedBy: null,
  }));
});

describe('capacity utilisation in the pack', () => {
  it('averages the resource-months that have capacity, as the vote does', async () => {
    /*
     * By hand: LINE-A makes FAM-A's 80 a month, 80/100 = 80% in January and February; LINE-B
     * makes FAM-B's 50 in January, 50%, and is shut in February (no capacity, nothing to
     * load: no utilisation to speak of). Average (80 + 80 + 50) / 3 = 70%, peak 80%.
     * Counting the shut month as 0% loaded would give (80 + 80 + 50 + 0) / 4 = 52.5%.
     */
    const [central] = await runScenarios(t.db, runId);
    // What the vote, the plan headline and the chart show (the run's stored KPIs).
    expect(central?.kpis.averageUtilisation).toBeCloseTo(0.7, 9);
    expect(central?.kpis.peakUtilisation).toBeCloseTo(0.8, 9);
    const data = await buildPack(t.db, '2027-01', NOW);
    expect(data.kpis.averageUtilisation).toBeCloseTo(0.7, 9);
    expect(data.kpis.peakUtilisation).toBeCloseTo(0.8, 9);
    expect(packMarkdown(data)).toContain('Capacity utilisation 70.0% on average, peak 80.0%');
  });
});
