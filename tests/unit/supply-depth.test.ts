/**
 * The plan format's deeper features (issue #13), each on a hand-checked example from
 * examples/plans/ whose optimum is derived in docs/plan-format.md, and the shelf-life
 * formulation against an explicit stock-by-age LP written here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dualBound, LpBuilder } from '../../src/core/supply/lp.js';
import { buildModel, minStockLevels } from '../../src/core/supply/model.js';
import { PlanProblemError, parsePlanProblem } from '../../src/core/supply/problem.js';
import { solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';
import { infeasible, type Json, planFile, solved } from '../helpers/plan-files.js';

const file = planFile;

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

/** The example plan file (edited as JSON first), solved to optimality. */
const optimal = async (name: string, edit?: (p: Json) => void) =>
  solved(await solvePlan(file(name, edit), solver));

describe('per-period costs', () => {
  it('builds ahead when the unit cost rises: $2,660.00', async () => {
    // Jan units cost 10 + 2 holding = 12 < 14 in Feb, up to Jan's 200 capacity.
    const plan = await optimal('hand-per-period-costs');
    expect(plan.families.map((r) => r.production)).toEqual([200, 30]);
    expect(plan.costs.production).toBe(200 * 10 + 30 * 14);
    expect(plan.costs.holding).toBe(120 * 2);
    expect(plan.totalCost).toBe(2660);
  });

  it('with the constant cost it makes to order instead: $2,300.00', async () => {
    const plan = await optimal('hand-per-period-costs', (p) => {
      delete p.families[0].unitCostByPeriod;
    });
    expect(plan.totalCost).toBe(230 * 10);
  });

  it('per-period wage, hiring and layoff costs are charged month by month', async () => {
    const plan = await optimal('crew-two-products');
    const wage = { '2027-01': 960, '2027-02': 960, '2027-03': 1008, '2027-04': 1008 } as Record<
      string,
      number
    >;
    const hire = { '2027-04': 600 } as Record<string, number>;
    let workforce = 0;
    let hiring = 0;
    let layoffs = 0;
    for (const r of plan.resources) {
      workforce += (r.workers ?? 0) * (wage[r.period] ?? 0);
      hiring += r.hires * (hire[r.period] ?? 400);
      layoffs += r.layoffs * 700;
    }
    expect(plan.costs.workforce).toBeCloseTo(workforce, 2);
    expect(plan.costs.hiring).toBeCloseTo(hiring, 2);
    expect(plan.costs.layoffs).toBeCloseTo(layoffs, 2);
  });

  it('a month that is not in the plan is named', () => {
    expect(() =>
      file('hand-per-period-costs', (p) => {
        p.families[0].holdingCostByPeriod = { '2027-05': 3 };
      }),
    ).toThrow(/families\[0\]\.holdingCostByPeriod\.2027-05: not a plan month/);
    try {
      file('crew-two-products', (p) => {
        p.resources[0].workforce.costPerWorkerByPeriod = { '2027-03': -1 };
      });
    } catch (err) {
      expect(err).toBeInstanceOf(PlanProblemError);
      expect((err as PlanProblemError).issues[0]).toMatch(
        /^resources\[0\]\.workforce\.costPerWorkerByPeriod\.2027-03: /,
      );
    }
  });
});

describe('minimum stock', () => {
  it('keeps half of next month’s demand at every month end: $5,225.00', async () => {
    const plan = await optimal('hand-min-stock');
    // Minimums 100, 75, 50 (half of 200, 150 and the 100 after the horizon).
    expect(plan.families.map((r) => r.minStock)).toEqual([100, 75, 50]);
    expect(plan.families.map((r) => r.inventory)).toEqual([100, 75, 50]);
    expect(plan.families.map((r) => r.production)).toEqual([200, 175, 125]);
    expect(plan.totalCost).toBe(500 * 10 + (100 + 75 + 50) * 1);
  });

  it('takes the largest rule; days of demand use next month’s calendar days', () => {
    const fam = file('hand-min-stock', (p) => {
      p.families[0].minStock = { units: 60, daysOfDemand: 15, shareOfNextDemand: 0.2 };
    }).families[0]!;
    const demand = [100, 200, 150];
    const levels = minStockLevels(fam, ['2027-01', '2027-02', '2027-03'], (t) => demand[t] ?? 0);
    // Jan: max(60, 15 × 200 / 28 days of Feb = 107.14, 0.2 × 200 = 40); Feb: 15 × 150 / 31
    // = 72.58; Mar: the last month repeats (150): 15 × 150 / 30 days of April = 75.
    expect(levels[0]).toBeCloseTo((15 * 200) / 28, 9);
    expect(levels[1]).toBeCloseTo((15 * 150) / 31, 9);
    expect(levels[2]).toBeCloseTo((15 * 150) / 30, 9);
  });

  it('explains a minimum the line cannot build', async () => {
    const r = infeasible(
      await solvePlan(
        file('hand-min-stock', (p) => {
          p.resources[0].capacity = 180;
        }),
        solver,
      ),
    );
    expect(r.reasons[0]).toBe(
      'WIDGET cannot keep its minimum stock of 100 units at the end of 2027-01 (20 short): LINE needs 200 h in 2027-01 but has 180 h and no overtime, subcontracting is not allowed, backlog is capped at 0 units, and the backlog must be down to 0 by 2027-03.',
    );
  });

  it('prices the minimum: one unit less in March saves its shadow price', async () => {
    const plan = await optimal('hand-min-stock');
    const b = plan.duals?.binding.find((x) => x.kind === 'minStock' && x.period === '2027-03');
    const less = await optimal('hand-min-stock', (p) => {
      p.families[0].minStock.demandAfterHorizon = 98; // minimum 49 instead of 50
    });
    // One unit less at the end costs 10 to make and 1 to hold: $11.
    expect(b?.value).toBe(11);
    expect(plan.totalCost - less.totalCost).toBe(11);
  });
});

describe('overtime limits', () => {
  /** The crew-overtime example, its crew's workforce and resource edited, solved. */
  const crewPlan = async (edit: (wf: Json, res: Json) => void) =>
    await optimal('hand-crew-overtime', (p) => edit(p.resources[0].workforce, p.resources[0]));

  it('both caps: the crew-wide 150 h binds before 10 × 20 h: $22,500.00', async () => {
    // 1 000 regular hours, 150 on overtime ($5 + $15 = $20 a unit), 150 bought at $30.
    const plan = await crewPlan(() => {});
    expect(plan.resources[0]).toMatchObject({ overtime: 150, overtimeLimit: 150 });
    expect(plan.families[0]?.subcontract).toBe(150);
    expect(plan.totalCost).toBe(1150 * 5 + 10 * 1000 + 150 * 15 + 150 * 30);
  });

  it('per worker only: 10 × 20 = 200 h: $22,000.00', async () => {
    const plan = await crewPlan((wf) => {
      delete wf.crewOvertimeLimit;
    });
    expect(plan.resources[0]?.overtime).toBe(200);
    expect(plan.totalCost).toBe(1200 * 5 + 10 * 1000 + 200 * 15 + 100 * 30);
  });

  it('crew only (no per-worker cap given): 150 h', async () => {
    const plan = await crewPlan((wf) => {
      delete wf.overtimeHoursPerWorker;
    });
    expect(plan.resources[0]?.overtime).toBe(150);
    expect(plan.totalCost).toBe(22500);
  });

  it('a crew cap by month overrides the constant one', async () => {
    const plan = await crewPlan((wf) => {
      wf.crewOvertimeLimitByPeriod = { '2027-01': 50 };
    });
    expect(plan.resources[0]?.overtime).toBe(50);
  });

  it('half a month of availability halves the per-worker cap, as documented', async () => {
    // Regular 10 × 100 × 0.5 = 500 h; overtime 10 × 20 × 0.5 = 100 h; 700 units bought.
    const plan = await crewPlan((wf, res) => {
      delete wf.crewOvertimeLimit;
      res.availabilityByPeriod = { '2027-01': 0.5 };
    });
    expect(plan.resources[0]).toMatchObject({ capacity: 500, overtime: 100, overtimeLimit: 100 });
    expect(plan.totalCost).toBe(600 * 5 + 10 * 1000 + 100 * 15 + 700 * 30);
    // The diagnosis states the same limit when nothing can be bought.
    const r = await solvePlan(
      file('hand-crew-overtime', (p) => {
        delete p.resources[0].workforce.crewOvertimeLimit;
        p.resources[0].availabilityByPeriod = { '2027-01': 0.5 };
        p.families[0].subcontractCost = null;
      }),
      solver,
    );
    expect(r.status).toBe('infeasible');
    if (r.status !== 'optimal') expect(r.message).toContain('has 500 h plus 100 h overtime');
  });

  it('prices the crew cap: one more overtime hour saves $30 − $20 = $10', async () => {
    const plan = await crewPlan(() => {});
    expect(plan.duals?.resources[0]?.overtimeLimit).toBe(10);
  });
});

describe('whole workers (MIP)', () => {
  it('Red Tomato with integer workers reaches the book’s $422,660.00', async () => {
    const plan = await optimal('red-tomato-integer');
    expect(plan.totalCost).toBe(422660);
    for (const r of plan.resources) {
      expect(Number.isInteger(r.workers)).toBe(true);
      expect(Number.isInteger(r.hires)).toBe(true);
      expect(Number.isInteger(r.layoffs)).toBe(true);
    }
    // 64 workers from January on (16 laid off), as in the book's integer plan.
    expect(plan.resources.map((r) => r.workers)).toEqual([64, 64, 64, 64, 64, 64]);
    expect(plan.mip).toMatchObject({ timeLimit: 60, relativeGap: 0, timeLimitHit: false });
    expect(plan.mip?.gap).toBeLessThanOrEqual(1e-9);
    expect(plan.mip?.bound).toBeCloseTo(422660, 4);
    expect(plan.duals).toBeNull();
  });

  it('the LP relaxation stays at $422,275.00 without the flag', async () => {
    const plan = await optimal('red-tomato-integer', (p) => {
      delete p.resources[0].workforce.integer;
    });
    expect(plan.totalCost).toBe(422275);
    expect(plan.mip).toBeUndefined();
  });
});

describe('shelf life', () => {
  it('two months of life: the January batch serves February only: $2,750.00', async () => {
    const plan = await optimal('hand-shelf-life');
    // 50 of the 150 opening units expire at the end of January ($3 each to scrap), 100 made
    // in January at $5 serve February (1 month held), March's 100 are made in March at $20.
    expect(plan.families.map((r) => r.production)).toEqual([100, 0, 100]);
    expect(plan.families.map((r) => r.scrapped)).toEqual([50, 0, 0]);
    expect(plan.costs.scrap).toBe(150);
    expect(plan.totalCost).toBe(100 * 5 + 100 * 20 + 100 * 1 + 50 * 3);
    // Their value, at the unit cost of the month the opening stock counts as made in.
    expect(plan.kpis.scrappedUnits).toBe(50);
    expect(plan.kpis.scrapValue).toBe(250);
  });

  it('without shelf life the cheap January makes everything: $1,050.00', async () => {
    const plan = await optimal('hand-shelf-life', (p) => {
      delete p.families[0].shelfLife;
    });
    // Opening 150 + 150 made in January at $5; held 200 then 100 units.
    expect(plan.totalCost).toBe(150 * 5 + 200 + 100);
  });

  it('forbidding expiry is explained when the opening stock cannot all be sold', async () => {
    const r = await solvePlan(
      file('hand-shelf-life', (p) => {
        p.families[0].shelfLife.expired = 'forbid';
      }),
      solver,
    );
    expect(r.status).toBe('infeasible');
    if (r.status !== 'optimal')
      expect(r.reasons[0]).toMatch(
        /^50 units of FRESH would expire at the end of 2027-01, and expiry is forbidden/,
      );
  });

  /**
   * The same problem as an explicit stock-by-age LP: every batch (the opening stock is
   * batch −1) is sold, carried or thrown away month by month until it expires.
   */
  async function byAge(p: {
    life: number;
    demand: number[];
    cap: number[];
    cost: number[];
    hold: number;
    scrap: number;
    opening: number;
  }): Promise<number | null> {
    const T = p.demand.length;
    const b = new LpBuilder();
    const P = p.cap.map((c, s) => b.addCol(p.cost[s] ?? 0, 0, c));
    const sells: number[][] = Array.from({ length: T }, () => []);
    for (let s = -1; s < T; s++) {
      const first = Math.max(0, s);
      const last = s < 0 ? Math.max(0, p.life - 2) : s + p.life - 1;
      let inflowCol = s < 0 ? -1 : (P[s] ?? -1);
      for (let t = first; t <= Math.min(last, T - 1); t++) {
        const sell = b.addCol(0);
        sells[t]?.push(sell);
        const dispose = b.addCol(p.scrap);
        const carry = t < last ? b.addCol(p.hold) : -1;
        const cols = [sell, dispose, ...(carry >= 0 ? [carry] : [])];
        const coefs = cols.map(() => 1);
        // inflow = sell + dispose + carry
        if (inflowCol >= 0) b.addRow([...cols, inflowCol], [...coefs, -1], 0, 0);
        else b.addRow(cols, coefs, p.opening, p.opening);
        inflowCol = carry;
        if (carry < 0) break;
      }
    }
    sells.forEach((cols, t) => {
      b.addRow(
        cols,
        cols.map(() => 1),
        p.demand[t] ?? 0,
        p.demand[t] ?? 0,
      );
    });
    const sol = await solver.solve(b.build(String, String));
    return sol.status === 'optimal' ? sol.objective : null;
  }

  it.each([1, 2, 3, 4])(
    'equals the explicit stock-by-age LP with a life of %i months',
    async (life) => {
      // Seasonal demand, uneven capacity and costs: stock must be built ahead and ages out.
      const demand = [120, 80, 260, 300, 90, 40, 220, 180];
      const cap = [200, 200, 220, 220, 200, 200, 120, 200];
      const cost = [4, 5, 7, 9, 4, 3, 8, 6];
      const periods = demand.map((_, t) => `2027-${String(t + 1).padStart(2, '0')}`);
      const problem = parsePlanProblem({
        periods,
        families: [
          {
            code: 'F',
            unitCost: 0,
            unitCostByPeriod: Object.fromEntries(periods.map((m, t) => [m, cost[t]])),
            holdingCost: 0.7,
            backlogCost: 1,
            initialInventory: 90,
            endingBacklogMax: 0,
            shelfLife: { periods: life, expired: 'scrap', scrapCost: 0.5 },
          },
        ],
        demand: periods.map((m, t) => ({ family: 'F', period: m, units: demand[t] })),
        resources: [
          {
            code: 'LINE',
            capacityByPeriod: Object.fromEntries(periods.map((m, t) => [m, cap[t]])),
          },
        ],
        loads: [{ family: 'F', resource: 'LINE', perUnit: 1 }],
        options: { maxBacklog: 0 },
      });
      const ours = await solvePlan(problem, solver);
      const explicit = await byAge({
        life,
        demand,
        cap,
        cost,
        hold: 0.7,
        scrap: 0.5,
        opening: 90,
      });
      if (life === 1) {
        // Nothing can be carried: March's 260 units exceed its 220 of capacity.
        expect(explicit).toBeNull();
        expect(ours.status).toBe('infeasible');
        return;
      }
      expect(explicit).not.toBeNull();
      expect(solved(ours).totalCost).toBeCloseTo(explicit ?? Number.NaN, 6);
    },
  );
});

describe('the multi-product crew model of the issue', () => {
  it('is written without approximation, feasible by age, and certified optimal', async () => {
    const problem = file('crew-two-products');
    const plan = solved(await solvePlan(problem, solver));
    const rows = (code: string) => plan.families.filter((r) => r.family === code);
    const jam = rows('JAM');
    const juice = rows('JUICE');
    const crew = plan.resources;
    // Minimum stock: 10% of next month's demand (the month after the horizon given).
    const next = (list: typeof jam, after: number) =>
      list.map((_, t) => 0.1 * (list[t + 1]?.demand ?? after));
    for (const [list, after] of [
      [jam, 2000],
      [juice, 3000],
    ] as const)
      list.forEach((r, t) => {
        expect(r.inventory).toBeGreaterThanOrEqual((next(list, after)[t] ?? 0) - 1e-6);
        expect(r.backlog).toBe(0);
      });
    // Crew: load within regular + overtime, overtime within the crew-wide 300 h.
    for (const r of crew) {
      expect(r.overtime).toBeLessThanOrEqual(300 + 1e-6);
      expect(r.load).toBeLessThanOrEqual(r.capacity + r.overtime + 1e-6);
      expect(r.workers ?? 0).toBeLessThanOrEqual(19 + 1e-9);
    }
    expect(crew.some((r) => Math.abs(r.overtime - 300) < 1e-6)).toBe(true);
    // JUICE's two-month life, by simulation: sell oldest first; nothing older than two
    // months may be sold or carried (the 200 opening units count as made in December).
    const batches: { made: number; left: number }[] = [{ made: -1, left: 200 }];
    juice.forEach((r, t) => {
      batches.push({ made: t, left: r.production });
      let need = r.demand;
      for (const batch of batches) {
        const take = Math.min(need, batch.left);
        if (take > 1e-9) expect(t - batch.made).toBeLessThanOrEqual(1);
        batch.left -= take;
        need -= take;
      }
      const expired = batches.filter((x) => t - x.made >= 1).reduce((a, x) => a + x.left, 0);
      for (const x of batches) if (t - x.made >= 1) x.left = 0;
      expect(r.scrapped ?? 0).toBeCloseTo(expired, 6);
      const carried = batches.reduce((a, x) => a + x.left, 0);
      expect(r.inventory).toBeCloseTo(carried, 6);
    });
    // Optimal: the weak-duality bound from HiGHS's duals equals the cost.
    const built = buildModel(problem, { strategy: 'optimal' });
    const sol = await solver.solve(built.lp);
    expect(dualBound(built.lp, sol.rowDual)).toBeCloseTo(plan.totalCost, 1);
  });
});

describe('suppliers and storage', () => {
  it('lead time and minimum order: $1,260.00', async () => {
    // January receives the 60 parts ordered before the plan, February none (both fixed by
    // the 2-month lead time). March and April orders are 0 or ≥ 50: one order of 60 in
    // March (held 30 for April) beats 50 + 50 (20 units too many), and January's surplus
    // 30 wait for February: 120 × $10 + (30 + 30) × $1.
    const plan = await optimal('hand-supplier');
    expect(plan.families.map((r) => r.production)).toEqual([60, 0, 60, 0]);
    expect(plan.totalCost).toBe(1260);
    expect(plan.resources.map((r) => r.orderPeriod)).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(plan.resources.map((r) => r.fixedOrder)).toEqual([true, true, false, false]);
    expect(plan.resources.map((r) => r.ordered)).toEqual([undefined, undefined, true, false]);
    expect(plan.mip?.gap).toBeLessThanOrEqual(1e-9);
  });

  it('without the minimum order March and April each make their own 30: $1,230.00', async () => {
    const plan = await optimal('hand-supplier', (p) => {
      delete p.resources[0].minOrderQuantity;
    });
    expect(plan.totalCost).toBe(120 * 10 + 30);
    expect(plan.mip).toBeUndefined();
  });

  it('a fixed order inside the lead time that is too small is explained', async () => {
    const r = await solvePlan(
      file('hand-supplier', (p) => {
        p.resources[0].scheduledReceipts = { '2027-01': 20, '2027-02': 0 };
      }),
      solver,
    );
    expect(r.status).toBe('infeasible');
    if (r.status !== 'optimal')
      expect(r.message).toContain(
        'SUP needs 30 parts in 2027-01 but has 20 parts and no overtime (inside its 2-month lead time',
      );
  });

  it('a warehouse of 300 m³ (2 m³ a box) caps the stock built ahead: $3,950.00', async () => {
    // 300 boxes due in March, 100 a month of line capacity: at most 150 boxes fit in stock,
    // so January makes 50, February 100, March 100 and 50 are bought at $25.
    const plan = await optimal('hand-storage');
    expect(plan.families.map((r) => r.inventory)).toEqual([50, 150, 0]);
    expect(plan.resources.filter((r) => r.resource === 'WH').map((r) => r.load)).toEqual([
      100, 300, 0,
    ]);
    expect(plan.totalCost).toBe(250 * 10 + 50 * 25 + (50 + 150) * 1);
    const roomier = await optimal('hand-storage', (p) => {
      p.resources[1].capacity = 1000;
    });
    expect(roomier.totalCost).toBe(300 * 10 + 100 + 200);
  });
});

describe('an integer plan stopped by its time limit', () => {
  it('is returned as the best plan found, saying the limit stopped it and the gap left', async () => {
    const problem = file('red-tomato-integer');
    // A solver that stops where HiGHS stops at a time limit with an incumbent: the primal
    // solution of a feasible plan (here the proven one), the gap still open.
    const real = await solver.solve(buildModel(problem, { strategy: 'optimal' }).lp);
    const stopped = {
      solve: async () => ({
        ...real,
        status: 'limit' as const,
        mip: { gap: 0.0123, dualBound: 417461.3, timeLimitHit: true },
      }),
    };
    const plan = solved(await solvePlan(problem, stopped));
    expect(plan.totalCost).toBe(422660);
    expect(plan.mip).toEqual({
      gap: 0.0123,
      bound: 417461.3,
      timeLimit: 60,
      relativeGap: 0,
      timeLimitHit: true,
    });
    const { mipLine } = await import('../../src/cli/plan.js');
    expect(mipLine(plan.mip!)).toBe(
      'Whole numbers: stopped by the 60 s time limit with the best plan found; it is at most 1.23% above the best possible.',
    );
  });
});
