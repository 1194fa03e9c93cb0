/**
 * Tiny plans whose optimum and shadow prices are worked out by hand (the reasoning is in
 * each case): the plan's quantities, its cost by term, and every price a planner reads
 * ("one more hour is worth $X") with its sign. The hand answer is the independent source;
 * the figures come from HiGHS through solvePlan and readDuals.
 *
 * The first plans are built so that their optimum is not degenerate (a limit that binds is
 * not also met exactly by another), so the duals are unique and both "one more" and "one
 * less" move the cost by the price. The last ones are knife-edge plans, where a line is
 * loaded exactly to demand: there the valid duals form an interval, and the price must be
 * the one the sentence states ("one more hour", "one more unit demanded"), which HiGHS's
 * dual alone was not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type BindingBound, type PlanDuals, stepSolveLimit } from '../../src/core/supply/duals.js';
import type { LpModel, LpSolution, LpSolver } from '../../src/core/supply/lp.js';
import { parsePlanProblem } from '../../src/core/supply/problem.js';
import { type SolvedPlan, solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';
import { abortingHighs } from '../helpers/aborting-highs.js';
import { type Json, solved } from '../helpers/plan-files.js';

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

const M = ['2027-01', '2027-02', '2027-03', '2027-04'];

/** One family W on one line L (1 h a unit), unit cost $10, no subcontracting unless given. */
function plan(
  months: number,
  demand: readonly number[],
  family: Json = {},
  line: Json = {},
  extra: Json = {},
): Json {
  const periods = M.slice(0, months);
  return {
    periods,
    families: [
      {
        code: 'W',
        price: 40,
        unitCost: 10,
        holdingCost: 2,
        backlogCost: 6,
        endingBacklogMax: 0,
        ...family,
      },
    ],
    demand: periods.map((period, t) => ({ family: 'W', period, units: demand[t] ?? 0 })),
    resources: [{ code: 'L', unit: 'h', capacity: 100, ...line }],
    loads: [{ family: 'W', resource: 'L', perUnit: 1 }],
    ...extra,
  };
}

async function solve(raw: Json): Promise<SolvedPlan & { duals: PlanDuals }> {
  const p = solved(await solvePlan(parsePlanProblem(raw), solver));
  if (!p.duals) throw new Error('no duals');
  return p as SolvedPlan & { duals: PlanDuals };
}

const column = (p: SolvedPlan, key: 'production' | 'inventory' | 'subcontract' | 'lostSales') =>
  p.families.map((r) => r[key]);
const capacityPrices = (p: { duals: PlanDuals }) => p.duals.resources.map((r) => r.capacity);
const demandPrices = (p: { duals: PlanDuals }) => p.duals.families.map((f) => f.demand);
const bound = (p: { duals: PlanDuals }, kind: BindingBound['kind'], period: string) =>
  p.duals.binding.find((b) => b.kind === kind && b.period === period);

describe('building ahead against overtime (3 months)', () => {
  // Line 100 h a month, overtime up to 30 h at $5, holding $2, demand 80, 100, 160.
  // March needs 60 units beyond its regular 100. A unit for March costs, made in:
  //   January regular   10 + 2·2 = 14 (20 h spare)
  //   March overtime    10 + 5   = 15 (30 h)
  //   February overtime 10 + 5 + 2 = 17 (30 h)
  //   January overtime  10 + 5 + 4 = 19; a lost sale $40.
  // Cheapest first: 20 from January, 30 on March overtime, 10 on February overtime.
  // Plan: make 100, 110, 130; stock 20, 30, 0; overtime 0, 10, 30.
  // Cost: 340 × 10 = 3 400 made, (20 + 30) × 2 = 100 held, 40 × 5 = 200 overtime: 3 700.
  // February's overtime (10 of 30 h) is the marginal source, so each price follows from it:
  //   one more February hour: a $12 regular unit instead of a $17 overtime one:  $5
  //   one more January hour:  a $14 unit instead of the $17 one:                  $3
  //   one more March hour:    a $10 unit instead of the $17 one:                  $7
  //   one more March overtime hour allowed: $15 instead of $17:                   $2
  //   one more unit demanded: March 17 (February overtime), February 15 (its own
  //   overtime), January 13 (it keeps one of the 20 built ahead, $4 of holding saved,
  //   and March takes one more from February's overtime: 17 − 4).
  let p: Awaited<ReturnType<typeof solve>>;
  beforeAll(async () => {
    p = await solve(plan(3, [80, 100, 160], {}, { overtimeLimit: 30, overtimeCost: 5, unit: 'h' }));
  });

  it('makes 100, 110, 130 and holds 20, 30, 0 for $3,700.00', () => {
    expect(column(p, 'production')).toEqual([100, 110, 130]);
    expect(column(p, 'inventory')).toEqual([20, 30, 0]);
    expect(p.resources.map((r) => r.overtime)).toEqual([0, 10, 30]);
    expect(p.costs).toMatchObject({ production: 3400, holding: 100, overtime: 200, backlog: 0 });
    expect(p.totalCost).toBe(3700);
  });

  it('prices an hour of each month at $3, $5 and $7, and March overtime at $2', () => {
    expect(capacityPrices(p)).toEqual([3, 5, 7]);
    expect(p.duals.resources.map((r) => r.overtimeLimit)).toEqual([0, 0, 2]);
    expect(demandPrices(p)).toEqual([13, 15, 17]);
    // Most valuable first. The ending backlog (0) is worth 17 − 6 = $11 a unit: March's
    // marginal unit could wait a month at $6 instead of costing $17.
    expect(p.duals.binding.map((b) => [b.kind, b.period, b.value])).toEqual([
      ['endingBacklog', '2027-03', 11],
      ['capacity', '2027-03', 7],
      ['capacity', '2027-02', 5],
      ['capacity', '2027-01', 3],
      ['overtimeLimit', '2027-03', 2],
    ]);
    expect(bound(p, 'overtimeLimit', '2027-03')).toMatchObject({ limit: 30, relax: 'raise' });
  });

  it('loads March at 130% of its regular capacity, the peak utilisation', () => {
    // 130 h made on a 100 h line: 100 regular + 30 overtime.
    expect(p.resources.map((r) => r.utilisation)).toEqual([1, 1.1, 1.3]);
    expect(p.kpis.peakUtilisation).toBe(1.3);
  });
});

describe('overtime against subcontracting, around a maintenance month (2 months)', () => {
  // February's line is down to 60 h (maintenance). Demand 90, 100. Overtime up to 20 h at
  // $5 (a unit $15), subcontracting at $16 (limit 50), holding $2.
  // February needs 40 beyond its 60 h: January's 10 spare hours (10 + 2 = 12), then its own
  // overtime (15) up to 20, then 10 subcontracted (16, under its limit: the marginal source).
  // Plan: make 100, 80 (60 + 20 overtime), subcontract 0, 10; stock 10, 0.
  // Cost: 180 × 10 = 1 800 made, 10 × 2 = 20 held, 20 × 5 = 100 overtime, 10 × 16 = 160: 2 080.
  // Prices: a February unit costs 16 (subcontracted), a January one 14 (16 − 2 of holding).
  //   one more February hour: $10 instead of $16: $6; one more January hour: $12 for $16: $4;
  //   one more February overtime hour allowed: $15 instead of $16: $1.
  let p: Awaited<ReturnType<typeof solve>>;
  beforeAll(async () => {
    p = await solve(
      plan(
        2,
        [90, 100],
        { subcontractCost: 16, subcontractLimit: 50 },
        { overtimeLimit: 20, overtimeCost: 5, capacityByPeriod: { '2027-02': 60 } },
      ),
    );
  });

  it('builds 10 ahead, uses the 20 h of overtime, and subcontracts 10 for $2,080.00', () => {
    expect(column(p, 'production')).toEqual([100, 80]);
    expect(column(p, 'subcontract')).toEqual([0, 10]);
    expect(column(p, 'inventory')).toEqual([10, 0]);
    expect(p.resources.map((r) => [r.capacity, r.overtime])).toEqual([
      [100, 0],
      [60, 20],
    ]);
    expect(p.costs).toMatchObject({
      production: 1800,
      holding: 20,
      overtime: 100,
      subcontract: 160,
    });
    expect(p.totalCost).toBe(2080);
  });

  it('prices the maintenance month’s hour at $6, January’s at $4, its overtime cap at $1', () => {
    expect(capacityPrices(p)).toEqual([4, 6]);
    expect(p.duals.resources.map((r) => r.overtimeLimit)).toEqual([0, 1]);
    expect(demandPrices(p)).toEqual([14, 16]);
    // The subcontracting limit (50) does not bind: no price for it.
    expect(p.duals.binding.some((b) => b.kind === 'subcontractLimit')).toBe(false);
    // 80 h made on 60 h of regular capacity in February.
    expect(p.resources[1]?.utilisation).toBeCloseTo(80 / 60, 9);
  });
});

describe('a shelf life of two months (3 months)', () => {
  // Made in t, a unit sells in t or t+1. Line 100 h, overtime up to 100 h at $20, holding $1.
  // Demand 10, 50, 250. March needs 150 beyond its 100 h: February's 100 h can all go to
  // March if February's own 50 are made in January (10 + 1 = 11 for February, sold within
  // their life); January stock cannot reach March. The rest is March overtime (30 a unit).
  // Plan: make 60, 100, 150 (50 overtime); stock 50, 100, 0.
  // Cost: 310 × 10 = 3 100 made, 150 × 1 = 150 held, 50 × 20 = 1 000 overtime: 4 250.
  // Prices (March overtime, 30 a unit, is the marginal source):
  //   one more March hour: $10 instead of $30: $20
  //   one more February hour: a unit carried to March, 10 + 1 = 11, instead of 30: $19
  //   January has 40 h spare: $0
  //   the shelf life in February (the stock carried out of it at most what it made): one
  //   unit more allowed is a January unit (10 + 2 = 12) for March instead of 30: $18
  //   demand: January 10 (spare hours), February 11 (a January unit), March 30.
  let p: Awaited<ReturnType<typeof solve>>;
  beforeAll(async () => {
    p = await solve(
      plan(
        3,
        [10, 50, 250],
        { holdingCost: 1, shelfLife: { periods: 2 } },
        { overtimeLimit: 100, overtimeCost: 20 },
      ),
    );
  });

  it('makes 60, 100, 150 and holds 50, 100, 0 for $4,250.00, nothing scrapped', () => {
    expect(column(p, 'production')).toEqual([60, 100, 150]);
    expect(column(p, 'inventory')).toEqual([50, 100, 0]);
    expect(p.families.map((r) => r.scrapped)).toEqual([0, 0, 0]);
    expect(p.costs).toMatchObject({ production: 3100, holding: 150, overtime: 1000, scrap: 0 });
    expect(p.totalCost).toBe(4250);
  });

  it('prices the shelf life in February at $18 and the hours at $0, $19, $20', () => {
    expect(capacityPrices(p)).toEqual([0, 19, 20]);
    expect(demandPrices(p)).toEqual([10, 11, 30]);
    expect(bound(p, 'shelfLife', '2027-02')).toMatchObject({ value: 18, relax: 'raise' });
    expect(p.duals.binding.filter((b) => b.kind === 'shelfLife')).toHaveLength(1);
  });
});

describe('a frozen month (2 months)', () => {
  // January is frozen at 120 (the adopted plan) on a 100 h line with overtime up to 30 h at
  // $5; demand 100, 100, holding $2. January makes 120 (20 on overtime) and holds 20;
  // February makes the 80 it still needs.
  // Cost: 200 × 10 = 2 000 made, 20 × 2 = 40 held, 20 × 5 = 100 overtime: 2 140.
  // Prices: one more January hour saves an overtime hour: $5. February has 20 h spare: $0.
  // One unit less frozen saves 10 + 5 + 2 and February makes it for 10: $7 (relax: lower).
  // Demand: January 8 (one less carried: February makes it, 10, and 2 of holding saved),
  // February 10.
  let p: Awaited<ReturnType<typeof solve>>;
  beforeAll(async () => {
    p = await solve(
      plan(
        2,
        [100, 100],
        {},
        { overtimeLimit: 30, overtimeCost: 5 },
        { frozen: [{ family: 'W', period: '2027-01', production: 120 }] },
      ),
    );
  });

  it('keeps the adopted 120 in January and makes 80 in February for $2,140.00', () => {
    expect(column(p, 'production')).toEqual([120, 80]);
    expect(p.families.map((r) => r.frozen)).toEqual([true, false]);
    expect(p.totalCost).toBe(2140);
  });

  it('prices January’s hour at the overtime it saves, $5, and the frozen quantity at $7', () => {
    expect(capacityPrices(p)).toEqual([5, 0]);
    expect(demandPrices(p)).toEqual([8, 10]);
    expect(bound(p, 'frozenProduction', '2027-01')).toMatchObject({
      limit: 120,
      relax: 'lower',
      value: 7,
    });
  });
});

describe('the end of the horizon (3 and 4 months)', () => {
  // Line 100 h, no overtime, backlog $6 a month, a lost sale costs the $40 price, and every
  // order must be served by the end (ending backlog 0). Demand 100, 100, 110.
  // Three months: March is 10 short and nothing follows it, so 10 are lost: one more March
  // hour makes a $10 unit instead of losing a $40 sale, $30 (one less loses one more: $30).
  // The same months followed by an April of 50: March's 10 wait a month ($6) and April makes
  // them: one more March hour saves that $6 (one less: one more waits, $6); April $0.
  // (January's and February's full hours are priced only within a range here: one less
  // January hour loses a January sale, $30, one more builds for March, $40 − 14 = $26.)
  const lostSales = { options: { lostSales: true } };
  it('prices the last month’s hour at a lost sale, five times what it is worth when a month follows', async () => {
    const three = await solve(plan(3, [100, 100, 110], {}, {}, lostSales));
    expect(column(three, 'lostSales')).toEqual([0, 0, 10]);
    expect(three.duals.resources[2]?.capacity).toBe(30);
    // Allowing one unit on backlog at the end would save the lost sale less a month's
    // backlog: 40 − 6 = $34, the first binding limit; March's hour comes next.
    expect(three.duals.binding.slice(0, 2).map((b) => [b.kind, b.period, b.value])).toEqual([
      ['endingBacklog', '2027-03', 34],
      ['capacity', '2027-03', 30],
    ]);
    const four = await solve(plan(4, [100, 100, 110, 50], {}, {}, lostSales));
    expect(column(four, 'lostSales')).toEqual([0, 0, 0, 0]);
    expect(four.families.map((r) => r.backlog)).toEqual([0, 0, 10, 0]);
    expect(four.duals.resources.slice(2).map((r) => r.capacity)).toEqual([6, 0]);
  });
});

describe('degenerate cases', () => {
  it('a tied optimum: two identical families share the shortfall any way, at one price', async () => {
    // A and B alike (demand 60 each a month) on a 100 h line, no overtime, lost sales at $40.
    // 20 units a month are lost whichever family loses them: cost 200 × 10 + 40 × 40 = 3 600.
    // The split is the solver's pick, the prices are not: one more hour makes a $10 unit
    // instead of losing a $40 sale, $30, and one more unit demanded of either is a $40 loss.
    const p = await solve({
      ...plan(2, [60, 60], {}, {}, { options: { lostSales: true } }),
      families: ['A', 'B'].map((code) => ({
        code,
        price: 40,
        unitCost: 10,
        holdingCost: 2,
        backlogCost: 6,
        endingBacklogMax: 0,
      })),
      demand: ['A', 'B'].flatMap((family) =>
        M.slice(0, 2).map((period) => ({ family, period, units: 60 })),
      ),
      loads: ['A', 'B'].map((family) => ({ family, resource: 'L', perUnit: 1 })),
    });
    expect(p.totalCost).toBe(3600);
    expect(p.families.reduce((a, r) => a + r.lostSales, 0)).toBe(40);
    expect(capacityPrices(p)).toEqual([30, 30]);
    expect(demandPrices(p)).toEqual([40, 40, 40, 40]);
  });

  it('a resource no family loads: no load, 0% utilisation, and its hours are worth $0', async () => {
    const raw = plan(2, [90, 100]);
    raw.resources.push({ code: 'IDLE', unit: 'h', capacity: 50 });
    const p = await solve(raw);
    const idle = p.resources.filter((r) => r.resource === 'IDLE');
    expect(idle.map((r) => [r.load, r.utilisation])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(p.duals.resources.filter((r) => r.resource === 'IDLE').map((r) => r.capacity)).toEqual([
      0, 0,
    ]);
  });
});

describe('knife-edge plans: the price of one more, where a limit is met exactly', () => {
  // Two families on a 100 h line, no overtime, no subcontracting; lost sales at the $40
  // price, every order served or lost by the end. A demands 100 a month; Z demands nothing.
  const twoFamilies = (demandA: readonly number[]): Json => {
    const months = demandA.length;
    return {
      ...plan(months, [], {}, {}, { options: { lostSales: true } }),
      families: ['A', 'Z'].map((code) => ({
        code,
        price: 40,
        unitCost: 10,
        holdingCost: 2,
        backlogCost: 6,
        endingBacklogMax: 0,
      })),
      demand: ['A', 'Z'].flatMap((family) =>
        M.slice(0, months).map((period, t) => ({
          family,
          period,
          units: family === 'A' ? (demandA[t] ?? 0) : 0,
        })),
      ),
      loads: ['A', 'Z'].map((family) => ({ family, resource: 'L', perUnit: 1 })),
    };
  };

  it('a line loaded exactly to demand: one more hour saves $0, one more unit demanded is a lost sale', async () => {
    // Demand 100, 100: the line makes each month's own 100, cost 200 × 10 = 2 000.
    // One more January hour: February's hours already make February's demand, and building
    // ahead only adds $2 of holding: it saves $0 (HiGHS's dual said $6: any price from $0 to
    // $40, what one hour less costs, is a valid dual). February: $0.
    // One more unit demanded in either month, of A or of Z (which demands nothing): both
    // months are full and nothing may wait past February, so a sale is lost: $40 (the dual
    // said $16, $10 for A and −$2, $0 for Z: a unit more demanded lowering the cost).
    const p = await solve(twoFamilies([100, 100]));
    expect(p.totalCost).toBe(2000);
    expect(capacityPrices(p)).toEqual([0, 0]);
    expect(demandPrices(p)).toEqual([40, 40, 40, 40]);
    expect(p.duals.binding.filter((b) => b.kind === 'capacity')).toEqual([]);
  });

  it('with a spare month after it, one more unit demanded waits for that month', async () => {
    // Demand 100, 100, 50: January and February full, March has 50 h spare. Cost 2 500.
    // One more hour in any month saves $0 (the duals said $12, $6, $0).
    // One more unit demanded, of A or Z: in March $10 (a spare hour); in February it waits a
    // month for March, $10 + $6 = $16; in January two months, $10 + $12 = $22 (less than the
    // $40 sale). The duals said −$4 and −$2 for Z in January and February.
    const p = await solve(twoFamilies([100, 100, 50]));
    expect(p.totalCost).toBe(2500);
    expect(capacityPrices(p)).toEqual([0, 0, 0]);
    expect(demandPrices(p)).toEqual([22, 16, 10, 22, 16, 10]);
  });

  it('a shortfall in the last month: every hour before it is worth building ahead', async () => {
    // Demand 100, 100, 110: March is 10 short and they are lost (cost 300 × 10 + 10 × 40 =
    // 3 400). One more hour builds one more unit for March instead of losing a $40 sale:
    // January 40 − (10 + 2 × 2) = $26, February 40 − 12 = $28, March 40 − 10 = $30.
    // One more unit demanded in any month, of A or Z, is one more sale lost: $40 (the duals
    // said $36, $38 for A and −$4, −$2 for Z).
    const p = await solve(twoFamilies([100, 100, 110]));
    expect(p.totalCost).toBe(3400);
    expect(capacityPrices(p)).toEqual([26, 28, 30]);
    expect(demandPrices(p)).toEqual([40, 40, 40, 40, 40, 40]);
  });

  it('every price equals the cost of solving the plan again, from scratch, with that one unit', async () => {
    // The definition the sentences state, checked by a solver that prices nothing (no steps
    // asked: a plain solve of each edited plan) on the knife-edge plans above.
    const plain: LpSolver = {
      solve: ({ steps: _steps, ...m }: LpModel): Promise<LpSolution> => solver.solve(m),
    };
    const cost = async (raw: Json) =>
      solved(await solvePlan(parsePlanProblem(raw), plain)).totalCost;
    for (const demandA of [
      [100, 100],
      [100, 100, 50],
      [100, 100, 110],
    ]) {
      const raw = twoFamilies(demandA);
      const p = await solve(raw);
      const base = await cost(raw);
      for (const [t, period] of M.slice(0, demandA.length).entries()) {
        const more = structuredClone(raw);
        more.resources[0].capacityByPeriod = { [period]: 101 };
        expect(base - (await cost(more))).toBeCloseTo(capacityPrices(p)[t] ?? Number.NaN, 6);
      }
      for (const [n, d] of raw.demand.entries()) {
        const more = structuredClone(raw);
        more.demand[n].units = d.units + 1;
        expect((await cost(more)) - base).toBeCloseTo(demandPrices(p)[n] ?? Number.NaN, 6);
      }
    }
  });
});

describe('pricing the steps with as few solves as proof allows, and at most STEP_SOLVE_LIMIT', () => {
  /** The solver's report on the steps of each solve it was handed, and a model edit. */
  const watching = (edit: (m: LpModel) => LpModel = (m) => m) => {
    const seen: LpSolution[] = [];
    const s: LpSolver = {
      solve: async (m) => {
        const sol = await solver.solve(edit(m));
        seen.push(sol);
        return sol;
      },
    };
    return { s, seen };
  };

  it('a family that loses every sale: one more unit demanded is one more sale lost, priced without a solve', async () => {
    // W sells at $8 and costs $10 to make (line 100 h, demand 60, 70): every unit is lost,
    // cost (60 + 70) × 8 = $1,040; nothing is made, so every hour is worth $0. One more unit
    // demanded is one more lost at $8 (making it would cost $10). The basis cannot say so
    // (the lost sales sit at their upper bound, which the step moves), but that bound taking
    // the unit alone, with every dual unchanged, proves it: no solve again.
    const raw = plan(2, [60, 70], { price: 8 }, {}, { options: { lostSales: true } });
    const { s, seen } = watching();
    const p = solved(await solvePlan(parsePlanProblem(raw), s));
    expect(p.totalCost).toBe(1040);
    expect(column(p, 'lostSales')).toEqual([60, 70]);
    expect(p.duals?.families.map((f) => f.demand)).toEqual([8, 8]);
    expect(p.duals?.resources.map((r) => r.capacity)).toEqual([0, 0]);
    expect(seen.at(-1)?.stepSolves).toEqual({ solved: 0, iterations: 0, left: 0 });
    // The same figure as a solve from scratch with one unit more in either month.
    const plain: LpSolver = { solve: ({ steps: _s, ...m }: LpModel) => solver.solve(m) };
    const cost = async (r: Json) => solved(await solvePlan(parsePlanProblem(r), plain)).totalCost;
    for (const n of [0, 1]) {
      const more = structuredClone(raw);
      more.demand[n].units += 1;
      expect((await cost(more)) - 1040).toBeCloseTo(8, 9);
    }
  });

  it('beyond the limit a step keeps its dual: the most valuable hour is solved first', async () => {
    // The knife-edge plan of two families (A demands 100, 100, 50 on a 100 h line, Z nothing;
    // lost sales at $40, backlog $6 a month, ending backlog 0), with room for one solve.
    // January's and February's hours need one each (the line is exactly full): January's
    // dual is the larger ($12: one hour less makes a unit wait two months for March, 2 × $6)
    // so January is solved, and one more hour there saves $0 (February already makes
    // February's demand). February keeps its dual, $6: one hour less, one unit waits a
    // month; that is the figure a plan beyond the limit shows. March has spare hours: $0.
    const raw = {
      ...plan(3, [], {}, {}, { options: { lostSales: true } }),
      families: ['A', 'Z'].map((code) => ({
        code,
        price: 40,
        unitCost: 10,
        holdingCost: 2,
        backlogCost: 6,
        endingBacklogMax: 0,
      })),
      demand: ['A', 'Z'].flatMap((family) =>
        M.slice(0, 3).map((period, t) => ({
          family,
          period,
          units: family === 'A' ? [100, 100, 50][t] : 0,
        })),
      ),
      loads: ['A', 'Z'].map((family) => ({ family, resource: 'L', perUnit: 1 })),
    };
    const { s, seen } = watching((m) => ({ ...m, stepSolveLimit: 1 }));
    const p = solved(await solvePlan(parsePlanProblem(raw), s));
    expect(p.totalCost).toBe(2500);
    expect(p.duals?.resources.map((r) => r.capacity)).toEqual([0, 6, 0]);
    const report = seen.at(-1)?.stepSolves;
    expect(report?.solved).toBe(1);
    expect(report?.left).toBeGreaterThan(0);
    // With no limit, every one is solved: February's hour saves $0 too.
    const all = solved(await solvePlan(parsePlanProblem(raw), solver));
    expect(all.duals?.resources.map((r) => r.capacity)).toEqual([0, 0, 0]);
  });
});

/**
 * The knife-edge plan of two families (A demands 100, 100, 50 on a 100 h line, Z nothing;
 * lost sales at the $40 price, backlog $6 a month, ending backlog 0).
 */
const knifeEdge = (): Json => ({
  ...plan(3, [], {}, {}, { options: { lostSales: true } }),
  families: ['A', 'Z'].map((code) => ({
    code,
    price: 40,
    unitCost: 10,
    holdingCost: 2,
    backlogCost: 6,
    endingBacklogMax: 0,
  })),
  demand: ['A', 'Z'].flatMap((family) =>
    M.slice(0, 3).map((period, t) => ({
      family,
      period,
      units: family === 'A' ? [100, 100, 50][t] : 0,
    })),
  ),
  loads: ['A', 'Z'].map((family) => ({ family, resource: 'L', perUnit: 1 })),
});

describe('what each "one more" price is: exact, a lost sale, none, or the dual’s rate', () => {
  const kinds = (p: { duals: PlanDuals }) => ({
    capacity: p.duals.resources.map((r) => [r.capacity, r.capacityKind]),
    demand: p.duals.families.map((f) => [f.demand, f.demandKind]),
  });

  it('within the limit every price is exact: a unit served, or a lost sale where that is the cheapest', async () => {
    // The figures of the knife-edge cases above: hours $0 (exact); a unit more demanded is
    // served for $22, $16, $10 (made in March, waiting two, one, no month), less than the $40
    // sale. With demand 100, 100 and no March, no hour is left: a unit more is a lost sale,
    // its $40; serving it is impossible, so no cheaper way exists.
    expect(kinds(await solve(knifeEdge()))).toEqual({
      capacity: [
        [0, 'exact'],
        [0, 'exact'],
        [0, 'exact'],
      ],
      demand: [
        [22, 'served'],
        [16, 'served'],
        [10, 'served'],
        [22, 'served'],
        [16, 'served'],
        [10, 'served'],
      ],
    });
    const full = await solve({
      ...knifeEdge(),
      periods: M.slice(0, 2),
      demand: ['A', 'Z'].flatMap((family) =>
        M.slice(0, 2).map((period) => ({ family, period, units: family === 'A' ? 100 : 0 })),
      ),
    });
    expect(kinds(full).demand).toEqual([
      [40, 'lost'],
      [40, 'lost'],
      [40, 'lost'],
      [40, 'lost'],
    ]);
  });

  it('a unit no plan can serve, with lost sales not allowed, has no price: unserved', async () => {
    // W on the 100 h line, no overtime, no subcontracting, no lost sales, every order served
    // by February (ending backlog 0). Demand 100, 100: the line makes exactly that, $2,000.
    // One more unit demanded in either month needs a 201st hour: no plan exists.
    // Demand 100, 90 instead ($1,900): one more in January is made on February's spare hour
    // and waits a month, $10 + $6 = $16; one more in February, $10.
    const tight = await solve(plan(2, [100, 100]));
    expect(tight.totalCost).toBe(2000);
    expect(kinds(tight).demand).toEqual([
      [null, 'unserved'],
      [null, 'unserved'],
    ]);
    const spare = await solve(plan(2, [100, 90]));
    expect(spare.totalCost).toBe(1900);
    expect(kinds(spare).demand).toEqual([
      [16, 'served'],
      [10, 'served'],
    ]);
  });

  it('beyond the limit a price is the dual’s rate, and marked so: at most what an hour saves, at least what a unit costs', async () => {
    // No solve again allowed: January's and February's hours (the line exactly full) keep
    // their duals, $12 and $6, where one more hour saves $0; March's spare hours are priced
    // from the basis, $0 exact. So is a unit more of A ($22, $16, $10: the basis holds). A
    // unit more of Z, which makes nothing (its production sits at 0, a degenerate basis),
    // needs a solve: it keeps the duals' −$4, −$2 and $0, each no more than what the unit
    // costs ($22, $16, $10), as a rate must be.
    const edit = (m: LpModel): LpModel => ({ ...m, stepSolveLimit: 0 });
    const p = solved(
      await solvePlan(parsePlanProblem(knifeEdge()), {
        solve: (m) => solver.solve(edit(m)),
      }),
    ) as SolvedPlan & { duals: PlanDuals };
    expect(p.duals.resources.map((r) => [r.capacity, r.capacityKind])).toEqual([
      [12, 'rate'],
      [6, 'rate'],
      [0, 'exact'],
    ]);
    expect(p.duals.families.map((f) => [f.demand, f.demandKind])).toEqual([
      [22, 'served'],
      [16, 'served'],
      [10, 'served'],
      [-4, 'rate'],
      [-2, 'rate'],
      [0, 'rate'],
    ]);
    // The binding list marks the hours priced by their duals as such.
    expect(p.duals.binding.filter((b) => b.kind === 'capacity').map((b) => b.exact)).toEqual([
      false,
      false,
    ]);
  });
});

describe('an abort inside HiGHS while pricing the steps', () => {
  it('keeps the plan, with the steps it did not price at their duals, and returns the error', async () => {
    // The knife-edge plan of two families (A 100, 100, 50 on the 100 h line, Z nothing): the
    // plan, $2,500, is solved; pricing January's hour (the first solve again) aborts. What
    // was priced without a solve stands (March's hour, $0; a unit more of A, $22, $16, $10);
    // January's and February's hours keep their duals, $12 and $6, and a unit more of Z its
    // −$4, −$2, $0, all marked as rates (the case above, with no solve allowed).
    const s = await createHighsSolver({ load: abortingHighs });
    const raw = knifeEdge();
    const p = solved(await solvePlan(parsePlanProblem(raw), s));
    expect(p.totalCost).toBe(2500);
    expect(p.duals?.resources.map((r) => [r.capacity, r.capacityKind])).toEqual([
      [12, 'rate'],
      [6, 'rate'],
      [0, 'exact'],
    ]);
    expect(p.duals?.families.map((f) => [f.demand, f.demandKind])).toEqual([
      [22, 'served'],
      [16, 'served'],
      [10, 'served'],
      [-4, 'rate'],
      [-2, 'rate'],
      [0, 'rate'],
    ]);
    expect(p.duals?.pricingError?.message).toContain('Aborted()');
    expect(p.duals?.pricingError?.stack).toContain('RuntimeError');
    // The runtime the abort may have broken is dropped: the next solve loads a fresh one.
    expect(s.loads).toBe(1);
    await solvePlan(parsePlanProblem(raw), s);
    expect(s.loads).toBe(2);
  });
});

describe('stepSolveLimit: a budget of 24 solves again of the 200-family bench plan', () => {
  it('gives a plan of the bench size or larger 24, and a smaller one what the same work allows', () => {
    // 24 × 28,296 = 679,104 columns solved again in all.
    expect(stepSolveLimit(28_296)).toBe(24);
    expect(stepSolveLimit(113_184)).toBe(24); // 800 families: never fewer than 24
    expect(stepSolveLimit(2_646)).toBe(256); // the demo's 24 families: 679,104 / 2,646 = 256.6
    expect(stepSolveLimit(14_148)).toBe(48); // half the bench plan: twice the solves
    expect(stepSolveLimit(0)).toBe(24); // no model: the floor
  });
});
