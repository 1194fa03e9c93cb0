import { beforeAll, describe, expect, it } from 'vitest';
import type { Company } from '../../src/core/company.js';
import { nextPeriods } from '../../src/core/period.js';
import { buildPlanProblem } from '../../src/core/supply/from-company.js';
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
