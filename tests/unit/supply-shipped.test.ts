/**
 * Stock and backlog of one family in one month (docs/plan-format.md, "Stock and backlog
 * together"). The balance I − B = I₋₁ − B₋₁ + P − D fixes only the net position, so before
 * the shipped row a stock rule could be met by raising I and B together: stock never made.
 * The hand example examples/plans/hand-ending-target.json shows the old and the new optimum;
 * random plans show the rule in general.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import type { LpModel } from '../../src/core/supply/lp.js';
import { buildModel } from '../../src/core/supply/model.js';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import { type SolvedPlan, solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';
import { infeasible, planFile, solved } from '../helpers/plan-files.js';

const file = planFile;

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

/** The same LP with the given rows switched off (both bounds infinite). */
function withoutRows(lp: LpModel, rows: Int32Array): LpModel {
  const rowLower = Float64Array.from(lp.rowLower);
  const rowUpper = Float64Array.from(lp.rowUpper);
  for (const i of rows) {
    if (i < 0) continue;
    rowLower[i] = Number.NEGATIVE_INFINITY;
    rowUpper[i] = Number.POSITIVE_INFINITY;
  }
  return { ...lp, rowLower, rowUpper, colName: lp.colName, rowName: lp.rowName };
}

/** Units shipped in each month of a family: demand − lost + backlog before − backlog after. */
function shipped(p: PlanProblem, plan: SolvedPlan, code: string): number[] {
  let back = p.families.find((f) => f.code === code)?.initialBacklog ?? 0;
  return plan.families
    .filter((r) => r.family === code)
    .map((r) => {
      const s = r.demand - r.lostSales + back - r.backlog;
      back = r.backlog;
      return s;
    });
}

describe('an ending stock target while customers wait (hand-ending-target.json)', () => {
  // One family, two months of 100 units, a line of 100 units a month, unit cost 8, holding 1,
  // backlog 5, 50 units in stock at the end, no limit on the ending backlog.
  // A January unit saves two months of backlog (10 > 8): make 100. A February unit saves one
  // (5 < 8): make none for demand. The 50 units of ending stock must still be made:
  //   in February at 8 + 1 = 9 each, or in January held over, at 8 + 1 + 1 and a January
  //   customer kept waiting (+5): February it is.
  //   P = 100, 50; shipped 100, 0; I = 0, 50; B = 0, 100
  //   cost 150 × 8 + 50 × 1 + 100 × 5 = 1 200 + 50 + 500 = 1 750.
  it('the old balance met the target with 50 units never made: $1,600.00', async () => {
    const p = file('hand-ending-target');
    const m = buildModel(p, { strategy: 'optimal' });
    const sol = await solver.solve(withoutRows(m.lp, m.rows.shipped));
    expect(sol.status).toBe('optimal');
    const x = (j: number | undefined): number => sol.x[j ?? -1] ?? Number.NaN;
    // P = 100, 0: 100 units made in all, 200 demanded; yet 50 "in stock" with 150 waiting,
    // which needs −50 units shipped in February.
    expect(x(m.P[0])).toBeCloseTo(100, 6);
    expect(x(m.P[1])).toBeCloseTo(0, 6);
    expect(x(m.I[1])).toBeCloseTo(50, 6);
    expect(x(m.B[1])).toBeCloseTo(150, 6);
    // 100 × 8 + 50 × 1 + 150 × 5
    expect(sol.objective).toBeCloseTo(1600, 6);
  });

  it('now the stock is made in February and held: $1,750.00', async () => {
    const p = file('hand-ending-target');
    const plan = solved(await solvePlan(p, solver));
    expect(plan.families.map((r) => r.production)).toEqual([100, 50]);
    expect(plan.families.map((r) => r.inventory)).toEqual([0, 50]);
    expect(plan.families.map((r) => r.backlog)).toEqual([0, 100]);
    expect(shipped(p, plan, 'WIDGET')).toEqual([100, 0]);
    expect(plan.costs.production).toBe(1200);
    expect(plan.costs.holding).toBe(50);
    expect(plan.costs.backlog).toBe(500);
    expect(plan.totalCost).toBe(1750);
  });

  it('without the target the plan nets: no stock while customers wait ($1,300.00)', async () => {
    const p = file('hand-ending-target', (j) => {
      j.families[0].endingInventoryMin = 0;
    });
    const plan = solved(await solvePlan(p, solver));
    // 100 × 8 + 100 × 5
    expect(plan.families.map((r) => r.inventory)).toEqual([0, 0]);
    expect(plan.families.map((r) => r.backlog)).toEqual([0, 100]);
    expect(plan.totalCost).toBe(1300);
  });

  it('a target that cannot be made is infeasible and the diagnosis says by how much', async () => {
    // 20 units a month: 40 can ever be made, so 50 in stock is 10 short. Before the shipped
    // row the LP "held" 50 anyway.
    const p = file('hand-ending-target', (j) => {
      j.resources[0].capacity = 20;
    });
    const m = buildModel(p, { strategy: 'optimal' });
    const old = await solver.solve(withoutRows(m.lp, m.rows.shipped));
    expect(old.status).toBe('optimal');
    expect(old.x[m.I[1] ?? -1]).toBeCloseTo(50, 6);
    const r = infeasible(await solvePlan(p, solver));
    expect(r.reasons[0]).toContain(
      'WIDGET cannot end 2027-02 with the required 50 units in stock (10 short)',
    );
  });

  it('the demand dual counts both rows demand sits in', async () => {
    // One more unit demanded in February: made in February is 8, or backlogged is 5; the
    // plan backlogs it (+5). February ships nothing, so the shipped row binds: the balance
    // row's dual alone is 8 (a unit made), the shipped row's −3.
    const p = file('hand-ending-target');
    const plan = solved(await solvePlan(p, solver));
    const more = solved(
      await solvePlan(
        file('hand-ending-target', (j) => {
          j.demand[1].units = 101;
        }),
        solver,
      ),
    );
    const feb = plan.duals?.families.find((d) => d.period === '2027-02');
    expect(more.totalCost - plan.totalCost).toBeCloseTo(5, 6);
    expect(feb?.demand).toBeCloseTo(5, 6);
  });
});

describe('solves made for a plan', () => {
  /** The solver, counting the models it is given and their rows. */
  const counting = () => {
    const rows: number[] = [];
    return {
      rows,
      solver: {
        solve: (lp: LpModel) => {
          rows.push(lp.numRows);
          return solver.solve(lp);
        },
      },
    };
  };

  it('an infeasible plan: the LP without the shipped rows, then the elastic model; no third', async () => {
    // infeasible-line-2.json: 500 + 500 + 620 = 1 620 units at 2 h = 3 240 h on LINE-2, which
    // has 3 × (900 + 100) = 3 000 h with overtime, no subcontracting and no backlog left at the
    // end: infeasible with or without the shipped rows, so only the diagnosis solves again.
    const c = counting();
    const problem = parsePlanProblem(
      JSON.parse(readFileSync('examples/plans/infeasible-line-2.json', 'utf8')),
    );
    infeasible(await solvePlan(problem, c.solver));
    expect(c.rows).toHaveLength(2);
    expect(c.rows[0]).toBe(buildModel(problem, { strategy: 'optimal', shipped: false }).lp.numRows);
  });

  it('a feasible plan whose optimum ships nothing negative: one solve', async () => {
    const c = counting();
    solved(await solvePlan(file('red-tomato-tools'), c.solver));
    expect(c.rows).toHaveLength(1);
  });
});

describe('random plans', () => {
  /** A small random plan: 1–3 families, 3–6 months, one or two lines, with stock rules. */
  function randomPlan(seed: number, rules: boolean): PlanProblem {
    const rng = createRng(seed);
    const int = (lo: number, hi: number): number => Math.floor(rng.uniform(lo, hi + 1));
    const T = int(3, 6);
    const periods = Array.from({ length: T }, (_, t) => `2027-${String(t + 1).padStart(2, '0')}`);
    const F = int(1, 3);
    const families = Array.from({ length: F }, (_, f) => ({
      code: `F${f}`,
      unitCost: int(1, 12),
      holdingCost: int(1, 4),
      backlogCost: int(1, 9),
      initialInventory: int(0, 2) === 0 ? int(0, 60) : 0,
      initialBacklog: int(0, 3) === 0 ? int(0, 40) : 0,
      ...(rules
        ? {
            safetyStock: int(0, 1) ? int(0, 80) : 0,
            endingInventoryMin: int(0, 1) ? int(0, 150) : 0,
            ...(int(0, 2) === 0 ? { minStock: { units: int(0, 50) } } : {}),
          }
        : {}),
      ...(int(0, 3) === 0 ? { lostSalesCost: int(1, 15) } : {}),
    }));
    const demand = families.flatMap((fam) =>
      periods.map((period) => ({ family: fam.code, period, units: int(0, 120) })),
    );
    const lines = ['A', 'B'].slice(0, int(1, 2));
    const resources = lines.map((code) => ({
      code,
      unit: 'h',
      capacity: int(20, 200),
      capacityByPeriod: Object.fromEntries(
        periods.filter(() => int(0, 3) === 0).map((t) => [t, int(0, 60)]),
      ),
    }));
    const loads = families.flatMap((fam) =>
      lines.map((r) => ({ family: fam.code, resource: r, perUnit: int(1, 3) })),
    );
    return parsePlanProblem({
      name: `random ${seed}`,
      periods,
      families,
      demand,
      resources,
      loads,
      options: {
        overtime: false,
        subcontracting: false,
        lostSales: families.some((f) => 'lostSalesCost' in f),
        safetyStockPenalty: int(0, 30),
      },
    });
  }

  it('never ship a negative quantity, and stock never exceeds what was had and made', async () => {
    let solvedCount = 0;
    let bothSeen = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const p = randomPlan(seed, true);
      const r = await solvePlan(p, solver);
      if (r.status !== 'optimal') continue;
      solvedCount++;
      for (const fam of p.families) {
        const rows = r.families.filter((x) => x.family === fam.code);
        let inv = fam.initialInventory;
        shipped(p, r, fam.code).forEach((s, t) => {
          const row = rows[t]!;
          expect(s, `${p.name} ${fam.code} ${row.period}`).toBeGreaterThanOrEqual(-1e-6);
          expect(row.inventory).toBeLessThanOrEqual(inv + row.production + 1e-6);
          if (row.inventory > 1e-6 && row.backlog > 1e-6) bothSeen++;
          inv = row.inventory;
        });
      }
    }
    // The random plans do exercise the rules: most solve, and some hold stock for a rule
    // while customers wait.
    expect(solvedCount).toBeGreaterThan(30);
    expect(bothSeen).toBeGreaterThan(0);
  });

  it('solving without the shipped rows first changes no optimum', async () => {
    // solvePlan keeps the optimum of the LP without shipped rows only when it ships nothing
    // negative; the full LP solved directly must cost the same. Its objective leaves out the
    // constant penalty × safety stock of each family-month (the shortfall is ss − IS).
    let compared = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const p = randomPlan(seed, true);
      const r = await solvePlan(p, solver);
      const full = await solver.solve(buildModel(p, { strategy: 'optimal' }).lp);
      expect(r.status, p.name).toBe(full.status);
      if (r.status !== 'optimal') continue;
      const pen = p.options.safetyStockPenalty;
      const constant = pen > 0 ? p.families.reduce((a, f) => a + pen * f.safetyStock, 0) : 0;
      expect(r.totalCost, p.name).toBeCloseTo(full.objective + constant * p.periods.length, 2);
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('with no stock rule, a family never has stock and backlog in the same month', async () => {
    for (let seed = 101; seed <= 140; seed++) {
      const p = randomPlan(seed, false);
      const plan = solved(await solvePlan(p, solver));
      for (const row of plan.families)
        expect(
          Math.min(row.inventory, row.backlog),
          `${p.name} ${row.family} ${row.period}`,
        ).toBeLessThan(1e-6);
    }
  });
});
