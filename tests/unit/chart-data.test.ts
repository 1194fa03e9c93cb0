import { describe, expect, it } from 'vitest';
import {
  accuracyPoint,
  changedFamilies,
  familySeries,
  gapPoints,
  type StoredConsensusLine,
  scenarioKpis,
  storedRoughCut,
} from '../../src/services/chart-data.js';

const line = (
  family: string,
  period: string,
  baseline: number,
  consensus: number,
): StoredConsensusLine => ({
  family,
  period,
  baseline,
  consensus,
  steps: [
    {
      adjustmentId: 'baseline',
      author: 'sopbot',
      reasonCode: 'baseline',
      before: baseline,
      after: baseline,
    },
    {
      adjustmentId: '7',
      author: 'U_BOB',
      reasonCode: 'promotion',
      before: baseline,
      after: consensus,
    },
  ],
});

describe('changedFamilies', () => {
  it('ranks families by the total units consensus moved from baseline, either way', () => {
    const lines = [
      line('A', '2027-01', 100, 110),
      line('A', '2027-02', 100, 110),
      line('B', '2027-01', 100, 70),
      line('C', '2027-01', 100, 105),
      line('D', '2027-01', 100, 100),
    ];
    expect(changedFamilies(lines, 3)).toEqual(['B', 'A', 'C']);
    expect(changedFamilies(lines, 1)).toEqual(['B']);
    expect(changedFamilies([], 3)).toEqual([]);
  });

  it('breaks ties by code so the choice is stable', () => {
    expect(changedFamilies([line('Z', '2027-01', 10, 20), line('M', '2027-01', 10, 0)], 2)).toEqual(
      ['M', 'Z'],
    );
  });
});

describe('gapPoints', () => {
  const problem = {
    resources: [
      { code: 'LINE-1', overtimeLimit: 50, overtimeLimitByPeriod: { '2027-02': 10 } },
      {
        code: 'CREW',
        overtimeLimit: 0,
        workforce: { initialWorkers: 10, overtimeHoursPerWorker: 8 },
      },
    ],
  };
  const rows = [
    {
      code: 'LINE-1',
      period: '2027-01',
      load: 120,
      capacity: 100,
      overtime: 20,
      utilisation: 1.2,
    },
    {
      code: 'LINE-1',
      period: '2027-02',
      load: 90,
      capacity: 100,
      overtime: 0,
      utilisation: 0.9,
    },
    {
      code: 'CREW',
      period: '2027-01',
      load: 10,
      capacity: 1600,
      overtime: 0,
      utilisation: 0.01,
    },
  ];

  it('takes load and capacity from the results and the overtime allowed from the problem', () => {
    expect(gapPoints(problem, rows)).toEqual([
      { resource: 'LINE-1', period: '2027-01', load: 120, capacity: 100, overtimeLimit: 50 },
      { resource: 'LINE-1', period: '2027-02', load: 90, capacity: 100, overtimeLimit: 10 },
      { resource: 'CREW', period: '2027-01', load: 10, capacity: 1600, overtimeLimit: 80 },
    ]);
  });

  it("gives each point and each stored rough-cut gap its resource's unit from the problem", () => {
    const withUnits = {
      resources: [
        { code: 'LINE-1', unit: 'hours', overtimeLimit: 50 },
        { code: 'SUP-1', unit: 'kits', overtimeLimit: 0 },
      ],
    };
    expect(gapPoints(withUnits, rows.slice(0, 1))).toEqual([
      {
        resource: 'LINE-1',
        period: '2027-01',
        load: 120,
        capacity: 100,
        unit: 'hours',
        overtimeLimit: 50,
      },
    ]);
    const stored = {
      gaps: [
        {
          resource: 'LINE-1',
          period: '2027-01',
          units: 20,
          relative: 0.2,
          coveredByOvertime: true,
        },
        {
          resource: 'SUP-1',
          period: '2027-02',
          units: 5,
          relative: 0.05,
          coveredByOvertime: false,
        },
        // A resource the problem does not name: no unit to say.
        { resource: 'OLD', period: '2027-02', units: 3, relative: 0.1, coveredByOvertime: true },
      ],
      total: 3,
      beyondOvertime: 1,
    };
    expect(storedRoughCut(stored, withUnits)?.gaps.map((g) => [g.resource, g.unit])).toEqual([
      ['LINE-1', 'hours'],
      ['SUP-1', 'kits'],
      ['OLD', undefined],
    ]);
  });

  it('caps a crew at its crew-wide overtime limit, alone or with the per-worker cap', () => {
    const crewRow = rows.slice(2);
    const withCap = (workforce: object) => ({
      resources: [{ code: 'CREW', overtimeLimit: 0, workforce }],
    });
    const limitOf = (workforce: object) => gapPoints(withCap(workforce), crewRow)[0]?.overtimeLimit;
    // 10 × 8 = 80 h per worker, crew cap 50 h: 50.
    expect(limitOf({ initialWorkers: 10, overtimeHoursPerWorker: 8, crewOvertimeLimit: 50 })).toBe(
      50,
    );
    // Crew cap only (per-worker left at its default 0): 120.
    expect(limitOf({ initialWorkers: 10, overtimeHoursPerWorker: 0, crewOvertimeLimit: 120 })).toBe(
      120,
    );
  });

  it("takes a crew's month from its crew cap by month, as the plan does", () => {
    // capacities.csv overtime_limit 0 for the crew in January becomes its crew cap that
    // month (from-company.ts): min(10 × 8 = 80, 0) = 0, though the per-worker cap gives 80.
    const crewRow = rows.slice(2);
    const p = {
      resources: [
        {
          code: 'CREW',
          overtimeLimit: 0,
          workforce: {
            initialWorkers: 10,
            overtimeHoursPerWorker: 8,
            crewOvertimeLimitByPeriod: { '2027-01': 0 },
          },
        },
      ],
    };
    expect(gapPoints(p, crewRow)[0]?.overtimeLimit).toBe(0);
  });

  it('gives no overtime for a resource the problem does not know', () => {
    expect(gapPoints(null, rows.slice(0, 1))[0]?.overtimeLimit).toBe(0);
  });

  it("marks a supplier's lead-time months, its needs under the minimum order, and warehouses", () => {
    const supply = {
      periods: ['2027-01', '2027-02', '2027-03', '2027-04'],
      // 2 parts a unit of A and 1 of B. Need: 2·20 + 5 = 45, 0, 2·10 + 10 = 30, 2·40 + 0 = 80.
      demand: [
        { family: 'A', period: '2027-01', units: 20 },
        { family: 'B', period: '2027-01', units: 5 },
        { family: 'A', period: '2027-03', units: 10 },
        { family: 'B', period: '2027-03', units: 10 },
        { family: 'A', period: '2027-04', units: 40 },
      ],
      loads: [
        { family: 'A', resource: 'PARTS', perUnit: 2 },
        { family: 'B', resource: 'PARTS', perUnit: 1 },
        { family: 'A', resource: 'WH', perUnit: 0.5 },
      ],
      resources: [
        { code: 'PARTS', overtimeLimit: 0, leadTime: 1, minOrderQuantity: 50 },
        { code: 'WH', overtimeLimit: 0, storage: true },
      ],
    };
    const row = (code: string, period: string) => ({
      code,
      period,
      load: 10,
      capacity: 100,
      overtime: 0,
      utilisation: 0.1,
    });
    const out = gapPoints(supply, [
      ...supply.periods.map((t) => row('PARTS', t)),
      row('WH', '2027-01'),
    ]);
    // January is inside the one-month lead time; January (45) and March (30) need more than
    // 0 but less than 50; February needs nothing and April 80.
    expect(out.map((p) => p.fixedOrder === true)).toEqual([true, false, false, false, false]);
    expect(out.map((p) => p.belowMinimumOrder === true)).toEqual([true, false, true, false, false]);
    expect(out.map((p) => p.storage === true)).toEqual([false, false, false, false, true]);
  });
});

describe('scenarioKpis', () => {
  it('maps stored KPIs, leaves out scenarios without a plan, and reads missing figures as 0', () => {
    const out = scenarioKpis([
      {
        name: 'central',
        label: 'Central',
        status: 'optimal',
        kpis: {
          fillRate: 0.95,
          grossMargin: 1000,
          revenue: 5000,
          peakUtilisation: 1.1,
          tenseResourceMonths: 3,
          endingInventoryValue: 70,
          daysOfSupply: 12,
        },
      },
      { name: 'cautious', label: 'Cautious', status: 'infeasible', kpis: {} },
      {
        name: 'ambitious',
        label: 'Ambitious',
        status: 'optimal',
        kpis: { fillRate: 0.8, daysOfSupply: null },
      },
    ]);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({
      scenario: 'central',
      label: 'Central',
      fillRate: 0.95,
      endingInventoryValue: 70,
      daysOfSupply: 12,
      grossMargin: 1000,
      revenue: 5000,
      peakUtilisation: 1.1,
      monthsOver90: 3,
    });
    expect(out[1]?.daysOfSupply).toBe(0);
    expect(out[1]?.grossMargin).toBe(0);
  });
});

describe('familySeries', () => {
  const baseline = ['2027-01', '2027-02', '2027-03'].map((period, i) => ({
    period,
    value: 100 + i,
    lo80: 90,
    hi80: 110 + i,
    lo95: null,
    hi95: null,
  }));
  const history = Array.from({ length: 36 }, (_, i) => ({
    period: `20${24 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    units: i,
  }));

  it('keeps the last 24 months of history, the baseline band and the adjusted consensus', () => {
    const s = familySeries({
      family: 'A',
      history,
      baseline,
      consensus: [line('A', '2027-02', 101, 150), line('B', '2027-01', 1, 2)],
    });
    expect(s.history).toHaveLength(24);
    expect(s.history[0]?.period).toBe('2025-01');
    expect(s.history.at(-1)?.period).toBe('2026-12');
    expect(s.consensus.map((c) => c.value)).toEqual([100, 150, 102]);
    expect(s.baseline[0]).toEqual({
      period: '2027-01',
      value: 100,
      lo80: 90,
      hi80: 110,
      lo95: 100,
      hi95: 100,
    });
    expect(s.adjustments).toEqual([
      { period: '2027-02', author: 'U_BOB', reasonCode: 'promotion', before: 101, after: 150 },
    ]);
  });
});

describe('accuracyPoint', () => {
  it('scores the consensus and gives FVA as statistical error minus consensus error', () => {
    // actual 100, 100; statistical 80, 120 (WMAPE 0.2); consensus 90, 110 (WMAPE 0.1).
    const p = accuracyPoint('2026-05', '2026-06', [
      { actual: 100, statistical: 80, consensus: 90 },
      { actual: 100, statistical: 120, consensus: 110 },
    ]);
    expect(p?.cycle).toBe('2026-05');
    expect(p?.period).toBe('2026-06');
    expect(p?.accuracy).toBeCloseTo(0.9, 12);
    expect(p?.bias).toBeCloseTo(0, 12);
    expect(p?.fva).toBeCloseTo(0.1, 12);
  });

  it('says when people made it worse, and over-forecast shows as positive bias', () => {
    const p = accuracyPoint('2026-06', '2026-07', [
      { actual: 100, statistical: 100, consensus: 130 },
    ]);
    expect(p?.fva).toBeCloseTo(-0.3, 12);
    expect(p?.bias).toBeCloseTo(0.3, 12);
    expect(p?.accuracy).toBeCloseTo(0.7, 12);
  });

  it('gives nothing without actuals', () => {
    expect(accuracyPoint('2026-07', '2026-08', [])).toBeNull();
    expect(
      accuracyPoint('2026-07', '2026-08', [{ actual: 0, statistical: 1, consensus: 1 }]),
    ).toBeNull();
  });
});
