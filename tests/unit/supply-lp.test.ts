import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dualBound, type LpSolver, toCplexLp } from '../../src/core/supply/lp.js';
import { buildModel, STRATEGIES, type Strategy } from '../../src/core/supply/model.js';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import { type SolvedPlan, solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';
import { infeasible, planFile } from '../helpers/plan-files.js';

const example = (name: string): PlanProblem =>
  parsePlanProblem(JSON.parse(readFileSync(`examples/plans/${name}.json`, 'utf8')));

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

async function solved(p: PlanProblem, strategy: Strategy = 'optimal'): Promise<SolvedPlan> {
  const r = await solvePlan(p, solver, { strategy });
  if (r.status !== 'optimal') throw new Error(`expected a plan, got ${r.status}: ${r.message}`);
  return r;
}

const TOL = 1e-6;

function expectBalanced(p: PlanProblem, plan: SolvedPlan): void {
  for (const fam of p.families) {
    let inv = fam.initialInventory;
    let back = fam.initialBacklog;
    for (const row of plan.families.filter((r) => r.family === fam.code)) {
      // I_t − B_t = I_{t−1} − B_{t−1} + P_t + S_t − (D_t − lost_t)
      const lhs = row.inventory - row.backlog;
      const rhs = inv - back + row.production + row.subcontract - row.demand + row.lostSales;
      expect(Math.abs(lhs - rhs), `${fam.code} ${row.period}`).toBeLessThan(TOL * 1e3);
      expect(row.inventory).toBeGreaterThanOrEqual(0);
      expect(row.backlog).toBeGreaterThanOrEqual(0);
      inv = row.inventory;
      back = row.backlog;
    }
  }
}

function expectWithinCapacity(plan: SolvedPlan): void {
  for (const r of plan.resources) {
    const slack = 1e-6 * Math.max(1, r.capacity);
    expect(r.overtime, `${r.resource} ${r.period}`).toBeLessThanOrEqual(r.overtimeLimit + slack);
    expect(r.load, `${r.resource} ${r.period}`).toBeLessThanOrEqual(
      r.capacity + r.overtime + slack,
    );
  }
}

function expectCostsAddUp(plan: SolvedPlan): void {
  const sum = Object.values(plan.costs).reduce((a, c) => a + c, 0);
  expect(Math.abs(sum - plan.totalCost)).toBeLessThan(0.011 * Object.keys(plan.costs).length);
}

describe('textbook and hand-checked optima', () => {
  it('Red Tomato Tools (Chopra & Meindl ch. 8) costs $422,275.00', async () => {
    const p = example('red-tomato-tools');
    const plan = await solved(p);
    expect(plan.totalCost).toBe(422275);
    expect(plan.costs.workforce).toBe(248000);
    expect(plan.costs.production).toBe(155000);
    expectCostsAddUp(plan);
  });

  it('the Red Tomato optimum carries a dual certificate (weak duality bound = primal cost)', async () => {
    const built = buildModel(example('red-tomato-tools'), { strategy: 'optimal' });
    const sol = await solver.solve(built.lp);
    expect(sol.status).toBe('optimal');
    const bound = dualBound(built.lp, sol.rowDual);
    expect(bound).toBeCloseTo(422275, 2);
    expect(sol.objective).toBeCloseTo(422275, 2);
  });

  it('two months by hand: 2 510.00 with the month-1 overtime carried forward', async () => {
    const plan = await solved(example('hand-two-months'));
    expect(plan.totalCost).toBe(2510);
    expect(plan.families.map((r) => r.production)).toEqual([110, 120]);
    expect(plan.families.map((r) => r.inventory)).toEqual([30, 0]);
    expect(plan.resources.map((r) => r.overtime)).toEqual([10, 20]);
  });
});

describe('every solution of every example', () => {
  for (const name of ['red-tomato-tools', 'hand-two-months', 'three-families-two-lines']) {
    for (const strategy of STRATEGIES) {
      it(`${name} / ${strategy}: inventory balances, capacity holds, costs add up`, async () => {
        const p = example(name);
        if (name === 'hand-two-months' && strategy === 'chase-workforce') {
          // No crew to size and no subcontracting: February's 150 exceed the line's 120.
          const r = await solvePlan(p, solver, { strategy });
          expect(r.status).toBe('infeasible');
          if (r.status !== 'optimal') expect(r.message).toContain('the workforce chase allows');
          return;
        }
        const plan = await solved(p, strategy);
        expectBalanced(p, plan);
        expectWithinCapacity(plan);
        expectCostsAddUp(plan);
      });
    }
  }

  it('no strategy beats the optimal one', async () => {
    for (const name of ['red-tomato-tools', 'hand-two-months', 'three-families-two-lines']) {
      const p = example(name);
      const best = (await solved(p, 'optimal')).totalCost;
      for (const s of ['chase', 'level'] as const)
        expect((await solved(p, s)).totalCost).toBeGreaterThanOrEqual(best - 0.01);
    }
  });
});

describe('frozen zone', () => {
  it('frozen production is what the adopted plan says, whatever the strategy and demand', async () => {
    const p = example('three-families-two-lines');
    const bumped: PlanProblem = {
      ...p,
      demand: p.demand.map((d) => ({ ...d, units: d.units * 1.3 })),
    };
    for (const problem of [p, bumped]) {
      for (const s of STRATEGIES) {
        const plan = await solved(problem, s);
        for (const fr of p.frozen) {
          const row = plan.families.find((r) => r.family === fr.family && r.period === fr.period);
          expect(row?.production).toBe(fr.production);
          expect(row?.frozen).toBe(true);
        }
        expect(plan.families.filter((r) => r.frozen)).toHaveLength(p.frozen.length);
      }
    }
  });
});

describe('strategies behave as their names say', () => {
  it('the textbook (workforce) chase sizes the crew to each month: Red Tomato $484,250.00', async () => {
    // Hand calculation: each month makes its net need (January 1 600 − 1 000 in stock = 600,
    // June 2 200 + 500 ending stock) with 4 h a unit and 160 h a worker: 15, 75, 80, 95, 55
    // and 67.5 workers. Hires 60 + 5 + 15 + 12.5 = 92.5 at $300, layoffs 65 + 40 = 105 at
    // $500, 387.5 worker-months at $640, 15 500 units at $10, and 500 units held in June.
    const plan = await solved(example('red-tomato-tools'), 'chase-workforce');
    expect(plan.resources.map((r) => r.workers)).toEqual([15, 75, 80, 95, 55, 67.5]);
    expect(plan.resources.every((r) => r.utilisation === 1 && r.overtime === 0)).toBe(true);
    expect(plan.totalCost).toBe(15500 * 10 + 387.5 * 640 + 92.5 * 300 + 105 * 500 + 500 * 2);
    // The stock chase ('chase', 'chase-stock') lets the crew idle instead: 27% in January.
    const stock = await solved(example('red-tomato-tools'), 'chase-stock');
    expect(stock.resources[0]?.utilisation).toBeLessThan(0.3);
    expect((await solved(example('red-tomato-tools'), 'chase')).totalCost).toBe(stock.totalCost);
  });

  it('chase keeps no stock beyond safety stock and creates no backlog', async () => {
    for (const name of ['red-tomato-tools', 'three-families-two-lines']) {
      const p = example(name);
      const plan = await solved(p, 'chase');
      for (const fam of p.families) {
        let cumDemand = 0;
        const rows = plan.families.filter((r) => r.family === fam.code);
        rows.forEach((r, t) => {
          cumDemand += r.demand;
          if (r.frozen) return;
          let cap = Math.max(fam.safetyStock, fam.initialInventory - cumDemand);
          if (t === rows.length - 1) cap = Math.max(cap, fam.endingInventoryMin);
          expect(r.inventory, `${fam.code} ${r.period}`).toBeLessThanOrEqual(cap + TOL);
          expect(r.backlog).toBeLessThanOrEqual(fam.initialBacklog + TOL);
        });
      }
    }
  });

  it('chase on Red Tomato supplies each month what that month needs, nothing ahead', async () => {
    const p = example('red-tomato-tools');
    const chase = await solved(p, 'chase');
    const opt = await solved(p, 'optimal');
    const supply = chase.families.map((r) => r.production + r.subcontract);
    // 1 000 units of opening stock cover part of January; June adds the 500-unit ending target.
    const expected = [600, 3000, 3200, 3800, 2200, 2700];
    supply.forEach((s, t) => {
      expect(s).toBeCloseTo(expected[t] ?? -1, 6);
    });
    expect(chase.kpis.fillRate).toBe(1);
    expect(chase.kpis.averageInventory).toBeLessThan(opt.kpis.averageInventory);
    expect(chase.totalCost).toBeGreaterThan(opt.totalCost);
  });

  it('level produces the same quantity every free month and keeps the workforce constant', async () => {
    for (const name of ['hand-two-months', 'three-families-two-lines', 'red-tomato-tools']) {
      const p = example(name);
      const plan = await solved(p, 'level');
      for (const fam of p.families) {
        const free = plan.families.filter((r) => r.family === fam.code && !r.frozen);
        for (const r of free) expect(r.production).toBeCloseTo(free[0]?.production ?? -1, 6);
      }
      const frozenMonths = new Set(p.frozen.map((f) => f.period));
      for (const res of p.resources.filter((r) => r.workforce)) {
        const rows = plan.resources.filter(
          (r) => r.resource === res.code && !frozenMonths.has(r.period),
        );
        for (const r of rows) expect(r.workers).toBeCloseTo(rows[0]?.workers ?? -1, 6);
      }
    }
  });

  it('level in the two-month example costs more than optimal because it cannot follow demand', async () => {
    const p = example('hand-two-months');
    const level = await solved(p, 'level');
    expect(level.families.map((r) => r.production)).toEqual([115, 115]);
    expect(level.totalCost).toBe(2520);
  });
});

describe('infeasible problems get a reason a person can read', () => {
  it('names the family, month, resource, hours and the rule that blocks the way out', async () => {
    const r = infeasible(await solvePlan(example('infeasible-line-2'), solver));
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toBe(
      'Demand for FAM-3 in 2027-04 cannot be met (120 units short): LINE-2 needs 1 240 h in 2027-04 but has 900 h plus 100 h overtime, subcontracting is not allowed, and the backlog must be down to 0 by 2027-04.',
    );
    expect(r.message).not.toMatch(/highs|status|row|column|slack/i);
  });

  it('becomes feasible once the blocking rule is lifted (subcontracting allowed)', async () => {
    const p = example('infeasible-line-2');
    const fixed: PlanProblem = {
      ...p,
      families: p.families.map((f) => ({ ...f, subcontractCost: 90 })),
    };
    const plan = await solved(fixed);
    // Buying at 90 beats making on overtime (55 + 2 h x 40 = 135), so all overtime goes too:
    // 3 x 50 overtime units plus the 120 missing units are bought.
    expect(plan.costs.subcontract).toBe(270 * 90);
    expect(plan.costs.overtime).toBe(0);
  });

  it('frozen production above capacity is reported as such', async () => {
    const p = example('hand-two-months');
    const r = infeasible(
      await solvePlan(
        { ...p, frozen: [{ family: 'WIDGET', period: '2027-01', production: 150 }] },
        solver,
      ),
    );
    expect(r.reasons[0]).toBe(
      'Frozen production in 2027-01 needs 150 h on LINE but it has 100 h plus 20 h overtime: change the frozen plan or add capacity.',
    );
  });

  it("a ban on overtime starts after the frozen fence, where the adopted plan's overtime stands", async () => {
    // By hand: January is frozen at 110 on a 100 h line, so it needs 10 h of overtime even
    // with overtime off. February (free) may not use any: its 150 units take the 30 carried
    // from January, 100 made in regular hours and 20 bought (no ending backlog allowed).
    const p = example('hand-two-months');
    const plan = await solved({
      ...p,
      frozen: [{ family: 'WIDGET', period: '2027-01', production: 110 }],
      options: { ...p.options, overtime: false },
    });
    expect(plan.resources.map((r) => [r.period, r.overtime])).toEqual([
      ['2027-01', 10],
      ['2027-02', 0],
    ]);
    expect(plan.families.map((r) => [r.production, r.subcontract, r.inventory])).toEqual([
      [110, 0, 30],
      [100, 20, 0],
    ]);
  });

  it("a hiring freeze starts after the frozen fence, where the adopted plan's hires stand", async () => {
    // By hand: a crew of 10 at 100 h a worker ($1,000 a month), a unit takes 1 h and $5 of
    // material, or $30 bought in. January is frozen at 1 200 units: 12 workers, so 2 hires
    // even under the freeze. February (free) needs 1 500: without the freeze, 3 more hires
    // (free to hire) make it at $10 + $5 = $15 a unit against $30 bought; with it, the crew
    // stays at 12, makes 1 200 and buys 300. Cost with the freeze: 24 worker-months $24,000
    // + 2 400 units made $12,000 + 300 bought $9,000 = $45,000; without: 27 worker-months
    // $27,000 + 2 700 made $13,500 = $40,500. The freeze binds in February: one more hire
    // would make 100 units at $5 + $10 of wages instead of $30 bought, saving 100 × $15 = $1,500.
    const crew = (freeze: boolean): PlanProblem =>
      planFile('hand-hiring-freeze', (raw) => {
        if (freeze) raw.resources[0].workforce.hiringFreeze = true;
      });
    const frozen = await solved(crew(true));
    expect(frozen.resources.map((r) => [r.period, r.workers, r.hires])).toEqual([
      ['2027-01', 12, 2],
      ['2027-02', 12, 0],
    ]);
    expect(frozen.families.map((r) => [r.production, r.subcontract])).toEqual([
      [1200, 0],
      [1200, 300],
    ]);
    expect(frozen.totalCost).toBeCloseTo(45000, 6);
    expect(
      frozen.duals?.binding.find((b) => b.kind === 'hiringFreeze' && b.period === '2027-02'),
    ).toMatchObject({ subject: 'CREW', limit: 0, value: 1500 });
    const open = await solved(crew(false));
    expect(open.resources.map((r) => [r.workers, r.hires])).toEqual([
      [12, 2],
      [15, 3],
    ]);
    expect(open.totalCost).toBeCloseTo(40500, 6);
    // Whole workers: 1 250 frozen units need 12.5 workers, so 13 (one part-idle). January
    // leaves 50 in stock; February's 1 500 take those, 1 300 made by the 13 and 150 bought.
    const whole = await solved(
      planFile('hand-hiring-freeze', (raw) => {
        Object.assign(raw.resources[0].workforce, { hiringFreeze: true, integer: true });
        raw.frozen[0].production = 1250;
      }),
    );
    expect(whole.resources.map((r) => [r.workers, r.hires])).toEqual([
      [13, 3],
      [13, 0],
    ]);
    expect(whole.families.map((r) => [r.inventory, r.subcontract])).toEqual([
      [50, 0],
      [0, 150],
    ]);
    // With nothing to buy, February's 300 extra units have no source, and the reason says
    // that the crew cannot grow.
    const stuck = crew(true);
    const r = infeasible(
      await solvePlan({ ...stuck, options: { ...stuck.options, subcontracting: false } }, solver),
    );
    expect(r.reasons[0]).toContain('CREW needs 1 500 h in 2027-02 but has 1 200 h');
    expect(r.reasons[0]).toContain('(hiring is frozen: 12 workers)');
  });

  it('an ending-inventory target that cannot be reached is named', async () => {
    const p = example('hand-two-months');
    const r = infeasible(
      await solvePlan(
        {
          ...p,
          families: p.families.map((f) => ({
            ...f,
            subcontractCost: null,
            endingInventoryMin: 50,
          })),
        },
        solver,
      ),
    );
    expect(r.message).toContain('WIDGET');
    expect(r.message).toContain('LINE needs');
    expect(r.message).toContain('subcontracting is not allowed');
  });
});

describe('HiGHS adapter', () => {
  it('the LP-text path and the matrix path agree', async () => {
    const text = await createHighsSolver({ input: 'lp' });
    for (const name of ['red-tomato-tools', 'three-families-two-lines']) {
      const built = buildModel(example(name), { strategy: 'optimal' });
      const a = await solver.solve(built.lp);
      const b = await text.solve(built.lp);
      expect(b.status).toBe('optimal');
      expect(b.objective).toBeCloseTo(a.objective, 4);
    }
  });

  it('writes CPLEX LP text with every column and row', () => {
    const built = buildModel(example('hand-two-months'), { strategy: 'optimal' });
    const lp = toCplexLp(built.lp);
    expect(lp.startsWith('Minimize\n obj:')).toBe(true);
    expect(lp).toContain('Subject To');
    expect(lp.trimEnd().endsWith('End')).toBe(true);
    expect(lp).toContain('P_0_0');
    expect(lp).toMatch(/O_0_1 <= 20/);
  });

  it('reports an error for a model it cannot take, then keeps solving', async () => {
    const own: LpSolver & { loads: number } = await createHighsSolver();
    const built = buildModel(example('hand-two-months'), { strategy: 'optimal' });
    const broken = { ...built.lp, colCost: Float64Array.from(built.lp.colCost).fill(Number.NaN) };
    const bad = await own.solve(broken);
    expect(bad.status).toBe('error');
    const good = await own.solve(built.lp);
    expect(good.status).toBe('optimal');
    expect(good.objective).toBeCloseTo(2510, 6);
    expect(own.loads).toBe(1);
  });

  it('detects an infeasible LP', async () => {
    const built = buildModel(example('infeasible-line-2'), { strategy: 'optimal' });
    expect((await solver.solve(built.lp)).status).toBe('infeasible');
  });
});
