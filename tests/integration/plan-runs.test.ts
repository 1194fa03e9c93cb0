/**
 * Writing a plan run: every result row is stored as given (doubles to the last bit, nulls as
 * nulls), in one transaction, and the stored rows refuse UPDATE and DELETE. Reading runs
 * back: which run is a cycle's latest, and the order of its scenarios.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  insertPlanRun,
  latestRun,
  type NewScenario,
  runScenarios,
} from '../../db/queries/plan-runs.js';
import { generateCompany } from '../../src/seed/company.js';
import { scenarioByName } from '../../src/services/decisions.js';
import { cycleStatus } from '../../src/services/status.js';
import { useDb } from '../helpers/db.js';
import { importCompany } from './jobs-fixture.js';

const t = useDb();
let familyIds: number[];
let resourceIds: number[];

beforeAll(async () => {
  await importCompany(t.db, generateCompany({ families: 3, months: 24, resources: 2, seed: 5 }));
  familyIds = (await t.db.selectFrom('families').select('id').orderBy('id').execute()).map(
    (r) => r.id,
  );
  resourceIds = (await t.db.selectFrom('resources').select('id').orderBy('id').execute()).map(
    (r) => r.id,
  );
});

/**
 * A stored result row as the run gave it: its columns named as the run names its fields
 * (family_id → familyId, lost_sales → lostSales), the scenario it belongs to left out.
 */
function asWritten({ scenario_id: _, ...row }: { scenario_id: string }): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      v,
    ]),
  );
}

const periods = ['2031-01', '2031-02', '2031-03'];
/** Values that text round trips get wrong when done carelessly. */
const awkward = [0.1 + 0.2, 1 / 3, Math.PI * 1e8, 5e-324, 1e21, 0, 2 ** 53 + 2, 7];

function scenario(name: string, k: number): NewScenario {
  const v = (i: number) => awkward[(i + k) % awkward.length]! * (k + 1);
  return {
    name,
    label: name.toUpperCase(),
    assumptions: { name, demandMultiplier: 1 + k / 10 },
    status: 'optimal',
    message: null,
    totalCost: v(1),
    costBreakdown: { production: v(2) },
    kpis: { fillRate: v(3), daysOfSupply: null },
    families: familyIds.flatMap((familyId, f) =>
      periods.map((period, p) => ({
        familyId,
        period,
        demand: v(f + p),
        production: v(f + p + 1),
        subcontract: v(f + p + 2),
        inventory: v(f + p + 3),
        backlog: v(f + p + 4),
        lostSales: v(f + p + 5),
        revenue: v(f + p + 6),
        scrapped: v(f + p + 7),
      })),
    ),
    resources: resourceIds.flatMap((resourceId, r) =>
      periods.map((period, p) => ({
        resourceId,
        period,
        load: v(r + p),
        capacity: v(r + p + 1),
        overtime: v(r + p + 2),
        utilisation: v(r + p + 3),
        workers: r === 0 ? v(r + p + 4) : null,
        hires: r === 0 ? v(r + p + 5) : null,
        layoffs: r === 0 ? 0 : null,
      })),
    ),
  };
}

const failed: NewScenario = {
  name: 'stretched',
  label: 'Stretched',
  assumptions: {},
  status: 'infeasible',
  message: 'No plan.',
  totalCost: null,
  costBreakdown: {},
  kpis: {},
  families: [],
  resources: [],
};

/** Writes a run of `scenarios` through insertPlanRun, in its own transaction. */
const write = (runKey: string, scenarios: readonly NewScenario[], cycleId: number | null = null) =>
  t.db.transaction().execute((trx) =>
    insertPlanRun(trx, {
      cycleId,
      runKey,
      trigger: 'test',
      requestedBy: null,
      periods,
      inputHash: 'h',
      problem: {},
      consensus: [],
      capacityCheck: {},
      solverMs: null,
      totalMs: null,
      scenarios,
    }),
  );

describe('insertPlanRun', () => {
  it('stores the run, its scenarios and every result row exactly as given', async () => {
    const scenarios = [scenario('central', 0), scenario('cautious', 1), failed];
    const runId = await t.db.transaction().execute((trx) =>
      insertPlanRun(trx, {
        cycleId: null,
        runKey: 'plan-runs-exact',
        trigger: 'test',
        requestedBy: null,
        periods,
        inputHash: 'h',
        problem: { name: 'p' },
        consensus: [],
        capacityCheck: {},
        solverMs: 1,
        totalMs: 2,
        scenarios,
      }),
    );
    const stored = await t.db
      .selectFrom('plan_scenarios')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute();
    expect(stored.map((s) => [s.name, s.status, s.total_cost])).toEqual(
      scenarios.map((s) => [s.name, s.status, s.totalCost]),
    );
    for (const [i, s] of scenarios.entries()) {
      const id = stored[i]!.id;
      const families = await t.db
        .selectFrom('plan_family_results')
        .selectAll()
        .where('scenario_id', '=', id)
        .orderBy('family_id')
        .orderBy('period')
        .execute();
      expect(families.map(asWritten)).toEqual(s.families);
      const resources = await t.db
        .selectFrom('plan_resource_results')
        .selectAll()
        .where('scenario_id', '=', id)
        .orderBy('resource_id')
        .orderBy('period')
        .execute();
      expect(resources.map(asWritten)).toEqual(s.resources);
    }
  });

  it('writes nothing when a row is refused, and stored rows refuse UPDATE and DELETE', async () => {
    const bad = scenario('central', 0);
    const broken = { ...bad, families: [...bad.families, { ...bad.families[0]!, familyId: -1 }] };
    await expect(write('plan-runs-broken', [broken])).rejects.toThrow(/foreign key/);
    expect(
      await t.db
        .selectFrom('plan_runs')
        .select('id')
        .where('run_key', '=', 'plan-runs-broken')
        .execute(),
    ).toEqual([]);

    const runId = await write('plan-runs-locked', [bad]);
    const sc = await t.db
      .selectFrom('plan_scenarios')
      .select('id')
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    await expect(
      t.db
        .updateTable('plan_family_results')
        .set({ production: 0 })
        .where('scenario_id', '=', sc.id)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.deleteFrom('plan_resource_results').where('scenario_id', '=', sc.id).execute(),
    ).rejects.toThrow(/append-only/);
  });
});

describe('latestRun and runScenarios', () => {
  it("names the cycle's run with the highest id, the one /sop status shows, whatever created_at says", async () => {
    const cycle = await t.db
      .insertInto('cycles')
      .values({ month: '2031-01' })
      .returningAll()
      .executeTakeFirstOrThrow();
    // An earlier run whose created_at lies in the future: ordered by created_at it would win.
    const earlier = await t.db
      .insertInto('plan_runs')
      .values({
        cycle_id: cycle.id,
        run_key: 'plan-runs-latest-1',
        trigger: 'test',
        periods: JSON.stringify(periods),
        input_hash: 'h',
        problem: JSON.stringify({}),
        created_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Written in the order the planning service solves them; by name it would be the reverse.
    const written = [scenario('central', 0), scenario('cautious', 1), scenario('ambitious', 2)];
    const newer = await write('plan-runs-latest-2', written, cycle.id);
    expect(BigInt(newer)).toBeGreaterThan(BigInt(earlier.id));

    expect((await latestRun(t.db, cycle.id))?.id).toBe(newer);
    expect((await cycleStatus(t.db, cycle)).latestRun?.id).toBe(newer);
    // /sop decide resolves names in the same run.
    const central = await scenarioByName(t.db, cycle, 'Central');
    const scenarios = await runScenarios(t.db, newer);
    expect(scenarios.map((s) => s.name)).toEqual(['central', 'cautious', 'ambitious']);
    expect(scenarios[0]?.id).toBe(central);
  });
});
