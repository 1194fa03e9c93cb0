/**
 * Issue #13's import columns end to end: CSV → Postgres → loadCompany → buildPlanProblem →
 * the LP. The company is the crew model of examples/plans/hand-crew-overtime.json and the
 * two-month shelf life of hand-shelf-life.json, written as import files; the optima are
 * the hand-checked ones of docs/plan-format.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCompany } from '../../db/queries/company.js';
import { buildPlanProblem } from '../../src/core/supply/from-company.js';
import { parsePlanProblem } from '../../src/core/supply/problem.js';
import { solvePlan } from '../../src/core/supply/solve.js';
import { ImportError, importCsv } from '../../src/import/import-csv.js';
import type { ImportKind } from '../../src/import/kinds.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';

const FILES: [ImportKind, string][] = [
  [
    'families',
    `code,name,price,unit_cost,holding_cost,backlog_cost,subcontract_cost,min_stock_units,min_stock_share,min_stock_days,shelf_life_months,scrap_cost
WIDGET,Widget,50,5,1,8,30,,,,,
FRESH,Fresh juice,40,5,1,50,,,0.1,,2,3
`,
  ],
  [
    'resources',
    `code,name,kind,unit,regular_capacity,overtime_cost,initial_workers,hours_per_worker,cost_per_worker,hire_cost,layoff_cost,overtime_hours_per_worker,min_workers,max_workers,crew_overtime_limit,integer_workers,lead_time_months,min_order_qty
CREW,Crew,workforce,h,0,15,10,100,1000,0,0,20,10,10,150,yes,,
SUP,Juice supplier,supplier,l,500,0,,,,,,,,,,,1,
WH,Cold store,storage,m3,1000,0,,,,,,,,,,,,
`,
  ],
  [
    'loads',
    `family,resource,load_per_unit
WIDGET,CREW,1
FRESH,SUP,1
FRESH,WH,1
`,
  ],
  [
    'family_costs',
    `family,period,price,unit_cost,holding_cost,backlog_cost,subcontract_cost
FRESH,2027-02,,20,,,
FRESH,2027-03,,20,,,
`,
  ],
  [
    'resource_costs',
    `resource,period,overtime_cost,cost_per_worker,hire_cost,layoff_cost
CREW,2027-02,,1100,,
`,
  ],
];

describe('importing the supply-depth columns', () => {
  const t = useDb();
  beforeAll(async () => {
    for (const [kind, text] of FILES)
      await importCsv(t.db, { kind, fileName: `${kind}.csv`, text, actor: 'test' });
  });
  it('reaches the plan problem field by field', async () => {
    const { company } = await loadCompany(t.db);
    const periods = ['2027-01', '2027-02', '2027-03'];
    const p = buildPlanProblem(company, [], { periods });
    expect(() => parsePlanProblem(JSON.parse(JSON.stringify(p)))).not.toThrow();
    const fresh = p.families.find((f) => f.code === 'FRESH');
    expect(fresh?.minStock).toEqual({ shareOfNextDemand: 0.1 });
    expect(fresh?.shelfLife).toEqual({ periods: 2, expired: 'scrap', scrapCost: 3 });
    expect(fresh?.unitCostByPeriod).toEqual({ '2027-02': 20, '2027-03': 20 });
    expect(fresh?.holdingCostByPeriod).toBeUndefined();
    const widget = p.families.find((f) => f.code === 'WIDGET');
    expect(widget?.minStock).toBeUndefined();
    expect(widget?.shelfLife).toBeUndefined();
    const crew = p.resources.find((r) => r.code === 'CREW');
    expect(crew?.workforce).toMatchObject({
      crewOvertimeLimit: 150,
      integer: true,
      costPerWorkerByPeriod: { '2027-02': 1100 },
    });
    expect(p.resources.find((r) => r.code === 'SUP')).toMatchObject({ leadTime: 1 });
    expect(p.resources.find((r) => r.code === 'WH')).toMatchObject({ storage: true });
  });

  it('plans with them: the crew-overtime hand check, month by month', async () => {
    const { company } = await loadCompany(t.db);
    const periods = ['2027-01', '2027-02'];
    const demand = periods.map((period) => ({ family: 'WIDGET', period, units: 1300 }));
    const p = buildPlanProblem(company, demand, { periods });
    const plan = await solvePlan(p, await createHighsSolver());
    if (plan.status !== 'optimal') throw new Error(plan.message);
    // Each month as docs/plan-format.md's overtime hand check ($22,500), February's crew at
    // $1 100 instead of $1 000 a worker: 2 × 22 500 + 10 × 100.
    expect(plan.resources.filter((r) => r.resource === 'CREW').map((r) => r.overtime)).toEqual([
      150, 150,
    ]);
    expect(plan.totalCost).toBe(2 * 22500 + 1000);
    expect(plan.mip?.timeLimitHit).toBe(false);
  });

  it('rejects a shelf life that is not a whole number of months, naming the column', async () => {
    const bad = `code,name,price,unit_cost,holding_cost,backlog_cost,shelf_life_months
FRESH,Fresh juice,40,5,1,50,1.5
`;
    const err = await importCsv(t.db, {
      kind: 'families',
      fileName: 'families.csv',
      text: bad,
      actor: 'test',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(String((err as Error).message)).toContain(
      "families.csv:2: column 'shelf_life_months': must be a whole number, 1 or more, not '1.5'",
    );
  });
});
