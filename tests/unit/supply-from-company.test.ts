import { beforeAll, describe, expect, it } from 'vitest';
import type { Company } from '../../src/core/company.js';
import { nextPeriods } from '../../src/core/period.js';
import { roughCutCapacity } from '../../src/core/supply/capacity-check.js';
import {
  buildPlanProblem,
  openingStockMonth,
  staleOpeningStock,
} from '../../src/core/supply/from-company.js';
import { parsePlanProblem } from '../../src/core/supply/problem.js';
import { solvePlan } from '../../src/core/supply/solve.js';
import { generateCompany } from '../../src/seed/company.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

const company: Company = generateCompany({
  families: 12,
  months: 24,
  resources: 5,
  seed: 3,
  lastActual: '2026-12',
});
const periods = nextPeriods('2027-01', 12);
const demand = company.families.flatMap((f, i) =>
  periods.map((period, k) => ({ family: f.code, period, units: 100 + 10 * i + 5 * k })),
);

describe('buildPlanProblem from company data', () => {
  const p = buildPlanProblem(company, demand, {
    periods,
    updates: [
      {
        id: 'm1',
        resource: 'LINE-1',
        period: '2027-03',
        kind: 'delta_pct',
        value: -50,
        reason: 'maintenance',
      },
    ],
  });

  it('produces a problem the plan-file schema accepts', () => {
    expect(() => parsePlanProblem(JSON.parse(JSON.stringify(p)))).not.toThrow();
    expect(p.families).toHaveLength(12);
    expect(p.demand).toHaveLength(12 * 12);
    expect(p.resources.map((r) => r.code)).toEqual(company.resources.map((r) => r.code));
  });

  it('opens with the latest inventory snapshot before the first plan month', () => {
    for (const f of company.families) {
      const snaps = company.inventory
        .filter((s) => s.family === f.code && s.period < '2027-01')
        .sort((a, b) => a.period.localeCompare(b.period));
      const last = snaps[snaps.length - 1];
      const fam = p.families.find((x) => x.code === f.code);
      expect(fam?.initialInventory).toBe(last?.onHand ?? 0);
      expect(fam?.initialBacklog).toBe(last?.backlog ?? 0);
    }
  });

  it('applies capacity lines, then the updates in force', () => {
    const line = company.resources.find((r) => r.code === 'LINE-1')!;
    const override = company.capacities.find(
      (c) => c.resource === 'LINE-1' && c.period === '2027-03',
    );
    const res = p.resources.find((r) => r.code === 'LINE-1')!;
    expect(res.capacityByPeriod['2027-03']).toBe(
      (override?.capacity ?? line.regularCapacity) * 0.5,
    );
    const aug = company.capacities.find((c) => c.resource === 'LINE-1' && c.period === '2027-08');
    expect(res.capacityByPeriod['2027-08']).toBe(aug?.capacity);
  });

  it('solves, and the plan respects the maintenance month', async () => {
    const r = await solvePlan(p, solver);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    const march = r.resources.find((x) => x.resource === 'LINE-1' && x.period === '2027-03');
    expect(march?.capacity).toBe(
      p.resources.find((x) => x.code === 'LINE-1')?.capacityByPeriod['2027-03'],
    );
    expect(march?.load ?? Infinity).toBeLessThanOrEqual(
      (march?.capacity ?? 0) + (march?.overtime ?? 0) + 1e-6,
    );
  });
});

describe("a month's overtime limit on a crew (capacities.csv overtime_limit)", () => {
  // Crew 10 × 100 h = 1,000 h a month, 20 h overtime per worker = 200 h; demand 1,150 h
  // every month. capacities.csv: 2027-02 overtime_limit 0 (no overtime that month),
  // 2027-03 overtime_limit 300 (above the per-worker cap, which still applies: 200).
  const periods3 = ['2027-01', '2027-02', '2027-03'];
  const crewCompany: Company = {
    families: [
      {
        code: 'W',
        name: 'W',
        unit: 'u',
        price: 50,
        unitCost: 10,
        holdingCost: 5,
        backlogCost: 20,
        subcontractCost: null,
        safetyStock: 0,
      },
    ],
    resources: [
      {
        code: 'CREW',
        name: 'Crew',
        kind: 'workforce',
        unit: 'h',
        regularCapacity: 1000,
        overtimeLimit: 200,
        overtimeCost: 1,
        workforce: {
          initialWorkers: 10,
          hoursPerWorker: 100,
          costPerWorker: 0,
          hireCost: 1e6,
          layoffCost: 1e6,
          overtimeHoursPerWorker: 20,
          minWorkers: null,
          maxWorkers: null,
        },
      },
    ],
    loads: [{ family: 'W', resource: 'CREW', perUnit: 1 }],
    history: [],
    inventory: [],
    budget: [],
    capacities: [
      { resource: 'CREW', period: '2027-02', capacity: 1000, overtimeLimit: 0 },
      { resource: 'CREW', period: '2027-03', capacity: 1000, overtimeLimit: 300 },
    ],
  };
  const crewDemand = periods3.map((period) => ({ family: 'W', period, units: 1150 }));

  it('caps the plan’s overtime that month, and the rough-cut check agrees', async () => {
    const p = buildPlanProblem(crewCompany, crewDemand, { periods: periods3 });
    const r = await solvePlan(p, solver);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    const crewRows = r.resources.filter((x) => x.resource === 'CREW');
    // January: 150 h for its own demand + 50 h built ahead for February (overtime 1 + holding
    // 5 = 6 a unit, below the 50 a lost sale costs) = the 200 h cap. February: no overtime;
    // 1,000 h + 50 from stock leaves 100 units short. March: cap min(20 × 10, 300) = 200 h:
    // 150 h for its own demand + 50 h for 50 of February's units backlogged (backlog 20 +
    // overtime 1 = 21 < 50), the other 50 lost. Overtime 200, 0, 200 (before: 150 in each).
    expect(crewRows.map((x) => x.overtime)).toEqual([200, 0, 200]);
    expect(crewRows.map((x) => x.overtimeLimit)).toEqual([200, 0, 200]);
    // The rough-cut check applies the same rule to the same data.
    const check = roughCutCapacity({
      resources: crewCompany.resources,
      loads: crewCompany.loads,
      capacities: crewCompany.capacities,
      demand: crewDemand,
      periods: periods3,
    });
    expect(check.months.map((m) => m.overtimeLimit)).toEqual([200, 0, 200]);
  });
});

describe('the month of the opening stock', () => {
  const counts = [{ period: '2026-12' }, { period: '2027-01' }, { period: '2027-03' }];

  it('is the latest count before the first plan month; older than last month is said', () => {
    // Planning 2027-03: counts before it are 2026-12 and 2027-01; last month is 2027-02.
    expect(openingStockMonth(counts, '2027-03')).toBe('2027-01');
    expect(staleOpeningStock('2027-01', '2027-03')).toBe(
      "opening stock from 2027-01's count: import 2027-02's inventory",
    );
    // Planning 2027-02: 2027-01 is last month's count: nothing to say.
    expect(openingStockMonth(counts, '2027-02')).toBe('2027-01');
    expect(staleOpeningStock('2027-01', '2027-02')).toBeNull();
    // Across a year: planning 2027-01 on 2026-11's count wants 2026-12's.
    expect(staleOpeningStock('2026-11', '2027-01')).toBe(
      "opening stock from 2026-11's count: import 2026-12's inventory",
    );
    // No count at all: families start empty, as before; nothing about a month to import.
    expect(openingStockMonth([], '2027-03')).toBeNull();
    expect(staleOpeningStock(null, '2027-03')).toBeNull();
  });
});
