import { describe, expect, it } from 'vitest';
import type { Load, Resource } from '../../src/core/company.js';
import { roughCutCapacity } from '../../src/core/supply/capacity-check.js';

const line = (code: string, cap: number, ot = 0): Resource => ({
  code,
  name: code,
  kind: 'line',
  unit: 'h',
  regularCapacity: cap,
  overtimeLimit: ot,
  overtimeCost: 10,
  workforce: null,
});
const crew: Resource = {
  code: 'CREW',
  name: 'Crew',
  kind: 'workforce',
  unit: 'h',
  regularCapacity: 0,
  overtimeLimit: 0,
  overtimeCost: 8,
  workforce: {
    initialWorkers: 10,
    hoursPerWorker: 150,
    costPerWorker: 3000,
    hireCost: 1000,
    layoffCost: 2000,
    overtimeHoursPerWorker: 12,
    minWorkers: null,
    maxWorkers: null,
  },
};
const loads: Load[] = [
  { family: 'A', resource: 'L1', perUnit: 2 },
  { family: 'B', resource: 'L1', perUnit: 1 },
  { family: 'B', resource: 'L2', perUnit: 0.5 },
  { family: 'A', resource: 'CREW', perUnit: 1 },
  { family: 'B', resource: 'CREW', perUnit: 1 },
];
const demand = [
  { family: 'A', period: '2027-01', units: 300 },
  { family: 'B', period: '2027-01', units: 200 },
  { family: 'A', period: '2027-02', units: 100 },
  { family: 'B', period: '2027-02', units: 100 },
  { family: 'A', period: '2027-03', units: 999 },
];

describe('rough-cut capacity check', () => {
  const check = roughCutCapacity({
    resources: [line('L1', 700, 50), line('L2', 200), crew],
    loads,
    capacities: [{ resource: 'L2', period: '2027-02', capacity: 100, overtimeLimit: null }],
    updates: [
      {
        id: 'u1',
        resource: 'L1',
        period: '2027-02',
        kind: 'set',
        value: 400,
        reason: 'maintenance',
      },
      {
        id: 'u2',
        resource: 'L1',
        period: '2027-02',
        kind: 'delta_pct',
        value: -50,
        reason: 'half shift',
      },
      {
        id: 'u3',
        resource: 'CREW',
        period: '2027-01',
        kind: 'delta_units',
        value: 300,
        reason: 'temps',
      },
    ],
    demand,
    periods: ['2027-01', '2027-02'],
  });
  const month = (r: string, t: string) =>
    check.months.find((m) => m.resource === r && m.period === t);

  it('loads each resource with Σ load per unit × demand', () => {
    expect(month('L1', '2027-01')?.load).toBe(800);
    expect(month('L2', '2027-01')?.load).toBe(100);
    expect(month('CREW', '2027-01')?.load).toBe(500);
    expect(month('L1', '2027-02')?.load).toBe(300);
  });

  it('takes base capacity from the resource, a CapacityLine or workers × hours', () => {
    expect(month('L1', '2027-01')?.baseCapacity).toBe(700);
    expect(month('L2', '2027-02')?.baseCapacity).toBe(100);
    expect(month('CREW', '2027-01')?.baseCapacity).toBe(1500);
    expect(month('CREW', '2027-01')?.overtimeLimit).toBe(120);
  });

  it('applies updates in order', () => {
    expect(month('L1', '2027-02')?.capacity).toBe(200);
    expect(month('L1', '2027-02')?.updates).toEqual(['u1', 'u2']);
    expect(month('CREW', '2027-01')?.capacity).toBe(1800);
    expect(month('L1', '2027-02')?.utilisation).toBe(1.5);
  });

  it('lists gaps by absolute size and by relative size', () => {
    const first = check.gaps[0];
    expect(first).toMatchObject({ resource: 'CREW', period: '2027-01', kind: 'idle', units: 1300 });
    const over = check.gaps.filter((g) => g.kind === 'overload');
    expect(over.map((g) => `${g.resource} ${g.period} ${g.units}`)).toEqual([
      'L1 2027-01 100',
      'L1 2027-02 100',
    ]);
    const overRel = check.gapsByRelative.filter((g) => g.kind === 'overload');
    expect(overRel.map((g) => g.period)).toEqual(['2027-02', '2027-01']);
    expect(over.find((g) => g.period === '2027-01')?.coveredByOvertime).toBe(false);
    const units = check.gaps.map((g) => g.units);
    expect(units).toEqual([...units].sort((a, b) => b - a));
    const rel = check.gapsByRelative.map((g) => g.relative);
    expect(rel).toEqual([...rel].sort((a, b) => b - a));
    expect(check.gapsByRelative[0]).toMatchObject({ resource: 'CREW', period: '2027-02' });
  });
});

describe('suppliers, warehouses and crew caps in the rough-cut check', () => {
  const periods = ['2027-01', '2027-02', '2027-03'];
  const demand = [
    { family: 'A', period: '2027-01', units: 40 },
    { family: 'A', period: '2027-02', units: 200 },
    { family: 'A', period: '2027-03', units: 100 },
  ];
  const supplier: Resource = {
    ...line('SUP', 150),
    kind: 'supplier',
    leadTimeMonths: 2,
    minOrderQuantity: 50,
  };
  const warehouse: Resource = { ...line('WH', 60), kind: 'storage' };
  const check = roughCutCapacity({
    resources: [
      supplier,
      warehouse,
      { ...crew, workforce: { ...crew.workforce!, crewOvertimeLimit: 100 } },
    ],
    loads: [
      { family: 'A', resource: 'SUP', perUnit: 1 },
      { family: 'A', resource: 'WH', perUnit: 2 },
      { family: 'A', resource: 'CREW', perUnit: 1 },
    ],
    demand,
    periods,
    families: [
      {
        code: 'A',
        name: 'A',
        unit: 'units',
        price: 1,
        unitCost: 1,
        holdingCost: 1,
        backlogCost: 1,
        subcontractCost: null,
        safetyStock: 10,
        minStock: { units: null, share: 0.25, days: null },
      },
    ],
  });
  const month = (r: string, p: string) =>
    check.months.find((m) => m.resource === r && m.period === p);

  it('a supplier month inside the lead time is fixed, ordered two months before', () => {
    expect(month('SUP', '2027-01')).toMatchObject({ orderPeriod: '2026-11', fixedOrder: true });
    expect(month('SUP', '2027-03')).toMatchObject({ orderPeriod: '2027-01', fixedOrder: false });
    // February: 200 on 150, inside the lead time: too late to order more.
    const gap = check.gaps.find((g) => g.resource === 'SUP' && g.period === '2027-02');
    expect(gap).toMatchObject({ kind: 'overload', units: 50, fixedOrder: true });
  });

  it('flags a load under the minimum order quantity', () => {
    expect(month('SUP', '2027-01')?.belowMinimumOrder).toBe(true); // 40 < 50
    expect(month('SUP', '2027-02')?.belowMinimumOrder).toBe(false);
  });

  it('loads a warehouse with the stock the families must hold', () => {
    // End of January: max(safety 10, 25% of February's 200 = 50) = 50 units × 2 m³ = 100 m³.
    // End of February: 25% of 100 = 25; end of March (its own demand again): 25.
    expect(month('WH', '2027-01')).toMatchObject({ load: 100, storage: true });
    expect(month('WH', '2027-02')?.load).toBe(50);
    expect(month('WH', '2027-03')?.load).toBe(50);
  });

  it('caps a crew’s overtime at the crew-wide limit', () => {
    // 10 workers × 12 h = 120 h per worker, crew cap 100 h.
    expect(month('CREW', '2027-01')?.overtimeLimit).toBe(100);
  });
});

describe('a crew with only a crew-wide overtime cap in the rough-cut check', () => {
  it('allows the crew cap alone when overtime per worker is left blank (0)', () => {
    // resources.csv: crew_overtime_limit 300, overtime_hours_per_worker blank (loaded as 0).
    // By hand: 10 workers × 100 h = 1,000 h regular; the crew cap alone allows 300 h of
    // overtime (the LP's rule: per worker 0 with a crew cap means no per-worker cap).
    // Demand 1,200 h: overload 200 h ≤ 300 h, so overtime covers it.
    const check = roughCutCapacity({
      resources: [
        {
          ...crew,
          workforce: {
            ...crew.workforce!,
            hoursPerWorker: 100,
            overtimeHoursPerWorker: 0,
            crewOvertimeLimit: 300,
          },
        },
      ],
      loads: [{ family: 'A', resource: 'CREW', perUnit: 1 }],
      demand: [{ family: 'A', period: '2027-01', units: 1200 }],
      periods: ['2027-01'],
    });
    expect(check.months[0]).toMatchObject({ capacity: 1000, load: 1200, overtimeLimit: 300 });
    expect(check.gaps[0]).toMatchObject({
      kind: 'overload',
      units: 200,
      coveredByOvertime: true,
    });
  });
});
