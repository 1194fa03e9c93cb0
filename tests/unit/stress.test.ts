/**
 * The stress test's properties (issue #14, "Done when"): what must hold whatever the data,
 * checked on the textbook and hand examples and on random variations of them.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { monthlyCash } from '../../src/core/finance.js';
import { createRng } from '../../src/core/random.js';
import {
  compareScenarios,
  DEFAULT_SCENARIOS,
  runScenarios,
  type ScenarioAssumptions,
} from '../../src/core/scenarios.js';
import {
  budgetCash,
  drawDemand,
  spreadOf,
  stressPlan,
  wideningFromErrors,
} from '../../src/core/stress/index.js';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import { type SolvedPlan, solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';
import { priceRise } from '../helpers/plan-files.js';

const example = (name: string): PlanProblem =>
  parsePlanProblem(JSON.parse(readFileSync(`examples/plans/${name}.json`, 'utf8')));

/** The problem with every demand row given a spread of ±`pct`% at P10/P90. */
const withSpread = (p: PlanProblem, lowPct: number, highPct = lowPct): PlanProblem => ({
  ...p,
  demand: p.demand.map((d) => ({
    ...d,
    p10: d.units * (1 - lowPct / 100),
    p90: d.units * (1 + highPct / 100),
  })),
});

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

async function solved(p: PlanProblem): Promise<SolvedPlan> {
  const r = await solvePlan(p, solver);
  if (r.status !== 'optimal') throw new Error(r.message);
  return r;
}

describe('no uncertainty: the stress test is the deterministic plan', () => {
  const plans = ['three-families-two-lines', 'red-tomato-tools', 'winston-sailco'];
  // Scenarios that plan for the consensus itself (demand multiplier 1), with levers.
  const levers: ScenarioAssumptions[] = [
    { name: 'central', label: 'Central' },
    { name: 'lean', label: 'Lean', overtime: false, stockCoverDays: 5, hiringFreeze: true },
    {
      name: 'invest',
      label: 'Invest',
      subcontractCapPct: 20,
      capacityInvestment: { resource: null, sizePct: 20 },
    },
  ];
  for (const name of plans)
    it(`${name}: expected figures equal the plan's (p10 = p90 = units)`, async () => {
      const p = withSpread(example(name), 0);
      const results = await runScenarios(p, levers, solver, {
        stress: { samples: 40, seed: 7, fixedMonths: 2 },
      });
      // A lever may make a textbook example infeasible (Winston's yard needs overtime). And
      // the LP may hold stock it made back from waiting customers, when a stock rule asks for
      // it (a safety stock priced above holding + backlog, an ending target; docs/plan-format.md,
      // "Stock and backlog together"). The simulation ships whatever is on hand, so such a
      // plan is not the one it plays; the lean lever on the three-family example makes one.
      const physical = results.filter(
        (r) => r.plan?.families.every((x) => x.inventory < 1e-9 || x.backlog < 1e-9) === true,
      );
      expect(physical.length).toBeGreaterThanOrEqual(2);
      for (const r of physical) {
        if (!r.plan) continue;
        if (!r.finance || !r.stress) throw new Error(`${r.name}: no figures`);
        const s = r.stress;
        const c = r.plan.costs;
        expect(s.fillRate.expected).toBeCloseTo(r.plan.kpis.fillRate, 9);
        expect(s.fillRate.p10).toBeCloseTo(r.plan.kpis.fillRate, 9);
        // Money to within rounding: the plan reports each cost term rounded to the cent.
        expect(s.revenue.expected).toBeCloseTo(r.finance.revenue, 4);
        expect(s.margin.expected).toBeCloseTo(r.finance.grossMargin, 1);
        expect(s.cashCost.expected).toBeCloseTo(r.finance.makingCost, 1);
        expect(s.penaltyCost.expected).toBeCloseTo(c.backlog + c.lostSales + c.safetyStock, 1);
        expect(s.endingInventoryValue.expected).toBeCloseTo(r.finance.endingInventoryValue, 4);
        // Every sample is the same world: no spread.
        expect(s.margin.p90 - s.margin.p10).toBeCloseTo(0, 6);
      }
    });
});

describe('no uncertainty: the crew at the month’s costs', () => {
  it('charges wages by month as the plan does', async () => {
    /*
     * One family, 100 units a month for two months at $10, price $30; a crew held at 10
     * workers (min = max = 10), 10 h each, 1 h a unit: the crew makes the 100 units. Wages
     * $100 a worker in January and $300 in February (costPerWorkerByPeriod), no hires.
     *   cash costs = production 200 × 10 + wages 10 × 100 + 10 × 300 = 2 000 + 4 000 = 6 000
     *   revenue 200 × 30 = 6 000, no stock: margin 6 000 − 6 000 = 0.
     * (At the constant $100 the wages would be 2 000: cost 4 000, margin 2 000.)
     */
    const p = parsePlanProblem({
      periods: ['2027-01', '2027-02'],
      families: [
        { code: 'W', price: 30, unitCost: 10, holdingCost: 1, backlogCost: 5, endingBacklogMax: 0 },
      ],
      demand: [
        { family: 'W', period: '2027-01', units: 100 },
        { family: 'W', period: '2027-02', units: 100 },
      ],
      resources: [
        {
          code: 'CREW',
          unit: 'h',
          workforce: {
            initialWorkers: 10,
            hoursPerWorker: 10,
            costPerWorker: 100,
            hireCost: 0,
            layoffCost: 0,
            minWorkers: 10,
            maxWorkers: 10,
            costPerWorkerByPeriod: { '2027-02': 300 },
          },
        },
      ],
      loads: [{ family: 'W', resource: 'CREW', perUnit: 1 }],
    });
    const [r] = await runScenarios(p, [{ name: 'central', label: 'Central' }], solver, {
      stress: { samples: 5, seed: 1, fixedMonths: 2 },
    });
    if (!r?.finance || !r.stress) throw new Error('no figures');
    expect(r.finance.makingCost).toBeCloseTo(6000, 6);
    expect(r.stress.cashCost.expected).toBeCloseTo(6000, 6);
    expect(r.stress.margin.expected).toBeCloseTo(0, 6);
  });

  it('crew-two-products (wages and hiring costs by month): cash cost and margin to the cent', async () => {
    // The example's plan cost is $138,701.14 (docs/plan-format.md); without uncertainty the
    // stress test spends what the plan spends.
    const p = withSpread(example('crew-two-products'), 0);
    const [r] = await runScenarios(p, [{ name: 'central', label: 'Central' }], solver, {
      stress: { samples: 3, seed: 1, fixedMonths: 99 },
    });
    if (!r?.finance || !r.stress) throw new Error('no figures');
    expect(r.stress.cashCost.expected).toBeCloseTo(r.finance.makingCost, 2);
    expect(r.stress.margin.expected).toBeCloseTo(r.finance.grossMargin, 2);
  });
});

describe('no uncertainty: a warehouse is loaded by stock, not production', () => {
  /** One family at $10, price $40, a line of 100 h (1 h a unit) and a warehouse of 100 m³
   *  whose overtime is rented space at $3 a m³ (up to 500 m³). */
  const boxes = (units: readonly number[], m3PerUnit: number): PlanProblem => {
    const periods = ['2027-01', '2027-02', '2027-03'];
    return parsePlanProblem({
      periods,
      families: [
        {
          code: 'BOX',
          price: 40,
          unitCost: 10,
          holdingCost: 1,
          backlogCost: 20,
          endingBacklogMax: 0,
        },
      ],
      demand: periods.map((period, t) => ({ family: 'BOX', period, units: units[t]! })),
      resources: [
        { code: 'LINE', unit: 'h', capacity: 100 },
        {
          code: 'WH',
          unit: 'm3',
          capacity: 100,
          overtimeLimit: 500,
          overtimeCost: 3,
          storage: true,
        },
      ],
      loads: [
        { family: 'BOX', resource: 'LINE', perUnit: 1 },
        { family: 'BOX', resource: 'WH', perUnit: m3PerUnit },
      ],
      options: { maxBacklog: 0 },
    });
  };
  const central = async (p: PlanProblem) => {
    const [r] = await runScenarios(p, [{ name: 'central', label: 'Central' }], solver, {
      stress: { samples: 5, seed: 1, fixedMonths: 3 },
    });
    if (!r?.plan || !r.finance || !r.stress) throw new Error('no figures');
    return { plan: r.plan, stress: r.stress };
  };

  it('rents no space for an empty warehouse', async () => {
    /*
     * Demand 100 a month, 2 m³ a unit: the line makes 100 a month and nothing is stocked.
     * Production × 2 m³ = 200 m³ is above the warehouse's 100, but the warehouse is empty:
     * no rent. Cash cost 300 × $10 = 3 000, revenue 300 × 40 = 12 000, margin 9 000.
     * (Charging production's 100 m³ over the capacity would add 3 × 100 × $3 = 900.)
     */
    const r = await central(boxes([100, 100, 100], 2));
    expect(r.plan.costs.overtime).toBeCloseTo(0, 6);
    expect(r.stress.cashCost.expected).toBeCloseTo(3000, 6);
    expect(r.stress.margin.expected).toBeCloseTo(9000, 6);
  });

  it('rents the space the stock needs above the warehouse, as the plan does', async () => {
    /*
     * 300 units due in March, none before, no backlog at the end: the line's 100 a month
     * is the only plan. Stock 100 in January, 200 in February (1 m³ a unit): February
     * rents 200 − 100 = 100 m³ at $3 = 300. Cash cost 3 000 production + (100 + 200) × $1
     * holding + 300 rent = 3 600; revenue 300 × 40 = 12 000; margin 8 400.
     * (Production never loads the warehouse above 100 m³: counted that way, no rent.)
     */
    const r = await central(boxes([0, 0, 300], 1));
    expect(r.plan.costs.overtime).toBeCloseTo(300, 6);
    expect(r.stress.cashCost.expected).toBeCloseTo(3600, 6);
    expect(r.stress.margin.expected).toBeCloseTo(8400, 6);
  });
});

describe('replanning the liquid zone', () => {
  it('is not capped by a warehouse’s capacity, which limits stock, not production', async () => {
    /*
     * Demand 100 a month planned; a line of 1 000 h (1 h a unit) and a warehouse of 100 m³
     * (1 m³ a unit, no rented space). The plan makes 100 a month and holds nothing.
     * One sample: demand 200, 100, 100; month 1 fixed, then replanned.
     *   month 1: make 100, ship 100, 100 wait (backlog)
     *   month 2: make 100 + (200 − 100) = 200 (the line allows 1 000), ship the 100 waiting
     *            and the 100 new: nothing waits
     *   month 3: make 100, ship 100
     * On time: 100 + 100 + 100 of 400 demanded = 0.75; stock stays 0, so the warehouse
     * never holds more than its 100 m³. (Capped at the warehouse's 100 m³ as if production
     * filled it, month 2 makes 100: 100 still waits in months 2 and 3, 100 / 400 = 0.25.)
     */
    const periods = ['2027-01', '2027-02', '2027-03'];
    const p = parsePlanProblem({
      periods,
      families: [{ code: 'BOX', price: 40, unitCost: 10, holdingCost: 1, backlogCost: 20 }],
      demand: periods.map((period) => ({ family: 'BOX', period, units: 100 })),
      resources: [
        { code: 'LINE', unit: 'h', capacity: 1000 },
        { code: 'WH', unit: 'm3', capacity: 100, storage: true },
      ],
      loads: [
        { family: 'BOX', resource: 'LINE', perUnit: 1 },
        { family: 'BOX', resource: 'WH', perUnit: 1 },
      ],
    });
    const plan = await solved(p);
    expect(plan.families.map((r) => r.production)).toEqual([100, 100, 100]);
    const x = stressPlan(
      { problem: p, plan },
      Float64Array.from([200, 100, 100]),
      Float64Array.from([100, 100, 100]),
      { fixedMonths: 1 },
    );
    expect(x.fillRate[0]).toBeCloseTo(0.75, 12);
    expect(x.revenue[0]).toBeCloseTo(400 * 40, 6);
  });
});

describe('stock at the cost it was made at (first in first out)', () => {
  it('no uncertainty: margin and ending stock equal the plan’s when unit cost rises', async () => {
    /*
     * Opening 100, demand 100 + 100, ending stock ≥ 100, $10 in January and $20 in February,
     * holding $1, price $30: the plan makes 200 in January (tests/unit/scenarios.test.ts).
     * Ending stock 100 made in January at $10 = 1 000; opening 100 × $10 = 1 000;
     * margin 6 000 − 2 300 + 0 = 3 700. (At February's $20: 2 000 and 4 700.)
     */
    const p = priceRise(10, 20);
    const [r] = await runScenarios(p, [{ name: 'central', label: 'Central' }], solver, {
      stress: { samples: 5, seed: 1, fixedMonths: 2 },
    });
    if (!r?.finance || !r.stress) throw new Error('no figures');
    expect(r.stress.endingInventoryValue.expected).toBeCloseTo(1000, 6);
    expect(r.stress.margin.expected).toBeCloseTo(3700, 6);
    expect(r.finance.grossMargin).toBeCloseTo(3700, 6);
  });

  it('writes off expired stock at the cost of the month it was made in', async () => {
    /*
     * Two-month shelf life, $5 in January and $20 in February, holding $1: the plan makes
     * January's and February's 100 in January ($6 a unit held against $20). One sample
     * sells 100 then 50: the 50 January units left expire at February's end, worth
     * 50 × $5 = 250 (not 50 × $20 = 1 000). Nothing is left, so no excess beyond cover.
     */
    const p = parsePlanProblem({
      periods: ['2027-01', '2027-02'],
      families: [
        {
          code: 'J',
          price: 30,
          unitCost: 5,
          unitCostByPeriod: { '2027-02': 20 },
          holdingCost: 1,
          backlogCost: 50,
          shelfLife: { periods: 2, expired: 'scrap', scrapCost: 1 },
        },
      ],
      demand: ['2027-01', '2027-02'].map((period) => ({ family: 'J', period, units: 100 })),
      resources: [{ code: 'L', capacity: 1000 }],
      loads: [{ family: 'J', resource: 'L', perUnit: 1 }],
    });
    const plan = await solved(p);
    expect(plan.families.map((r) => r.production)).toEqual([200, 0]);
    const x = stressPlan(
      { problem: p, plan },
      Float64Array.from([100, 50]),
      Float64Array.from([100, 100]),
      { fixedMonths: 2 },
    );
    expect(x.writtenOffValue[0]).toBeCloseTo(250, 6);
    expect(x.excessInventoryValue[0]).toBeCloseTo(250, 6);
    expect(x.endingInventoryValue[0]).toBeCloseTo(0, 6);
  });
});

describe('a plan that produces less', () => {
  it('never has a higher serviceAtRisk or excessInventoryValue on the same samples', async () => {
    const base = example('three-families-two-lines');
    // Give one family a two-month shelf life so expiry counts too.
    const p: PlanProblem = withSpread(
      {
        ...base,
        families: base.families.map((f, i) =>
          i === 0
            ? { ...f, shelfLife: { periods: 2, expired: 'scrap' as const, scrapCost: 1 } }
            : f,
        ),
      },
      25,
      35,
    );
    const plan = await solved(p);
    const samples = drawDemand(p, { samples: 200, seed: 11 });
    const rng = createRng(2026);
    for (let trial = 0; trial < 25; trial++) {
      // A random plan, and one that makes less of something in some months.
      const more: SolvedPlan = {
        ...plan,
        families: plan.families.map((r) => ({
          ...r,
          production: r.production * rng.uniform(0.7, 1.4),
        })),
      };
      const less: SolvedPlan = {
        ...more,
        families: more.families.map((r) => ({
          ...r,
          production: rng.next() < 0.5 ? r.production * rng.uniform(0, 1) : r.production,
        })),
      };
      for (const fixedMonths of [0, 2, 6]) {
        const run = (x: SolvedPlan) =>
          stressPlan({ problem: p, plan: x }, samples.demand, samples.distribution.median, {
            fixedMonths,
          });
        const a = run(more);
        const b = run(less);
        expect(spreadOf(b.fillRate).p10).toBeLessThanOrEqual(spreadOf(a.fillRate).p10 + 1e-12);
        expect(spreadOf(b.excessInventoryValue).expected).toBeLessThanOrEqual(
          spreadOf(a.excessInventoryValue).expected + 1e-6,
        );
        // Sample by sample, too.
        for (let s = 0; s < a.samples; s++) {
          expect(b.fillRate[s]!).toBeLessThanOrEqual(a.fillRate[s]! + 1e-12);
          expect(b.excessInventoryValue[s]!).toBeLessThanOrEqual(a.excessInventoryValue[s]! + 1e-6);
        }
      }
    }
  });
});

describe('widening the uncertainty', () => {
  /*
   * "Widening the uncertainty never raises serviceAtRisk" is true where fill rate falls as
   * one number, the demand, rises: one family and one month, served from a fixed plan. The
   * samples' shocks are common to both widths, so each sample's demand moves away from the
   * median, the P10 of fill rate comes from the same high-demand samples, and their demand
   * only grows.
   *
   * Over several months or families it is not a theorem: fill rate is a ratio of sums, and
   * widening also raises demand in samples where some family or month is served in full from
   * stock (numerator and denominator both grow), or lowers it where one is short. The last
   * test shows such a case, so the property is stated where it holds.
   */
  it('never raises serviceAtRisk for one family-month under a fixed plan', async () => {
    const rng = createRng(99);
    for (let trial = 0; trial < 30; trial++) {
      const units = rng.uniform(50, 500);
      const cap = units * rng.uniform(0.7, 1.3);
      const p = parsePlanProblem({
        periods: ['2027-01'],
        families: [
          {
            code: 'A',
            price: 20,
            unitCost: 10,
            holdingCost: 1,
            backlogCost: 3,
            initialInventory: rng.uniform(0, 50),
          },
        ],
        demand: [{ family: 'A', period: '2027-01', units }],
        resources: [{ code: 'L', capacity: cap }],
        loads: [{ family: 'A', resource: 'L', perUnit: 1 }],
        options: { lostSales: true },
      });
      const plan = await solved(p);
      let previous = Infinity;
      for (const pct of [0, 5, 10, 20, 40, 80]) {
        const q = withSpread(p, Math.min(pct, 95), pct);
        const samples = drawDemand(q, { samples: 300, seed: 5 });
        const x = stressPlan({ problem: q, plan }, samples.demand, samples.distribution.median, {
          fixedMonths: 1,
        });
        const atRisk = spreadOf(x.fillRate).p10;
        expect(atRisk).toBeLessThanOrEqual(previous + 1e-12);
        previous = atRisk;
      }
    }
  });

  it('can raise it over several families: a counterexample', async () => {
    // Family A is well stocked, family B is short and its demand swings more. The market
    // factor moves both together, so the low-fill samples are those where both demands are
    // high. Widening A's spread lifts A's demand further in those samples, and A's extra
    // demand is served from stock: served / demanded goes up.
    const p = parsePlanProblem({
      periods: ['2027-01'],
      families: [
        {
          code: 'A',
          price: 10,
          unitCost: 5,
          holdingCost: 1,
          backlogCost: 2,
          initialInventory: 500,
        },
        { code: 'B', price: 10, unitCost: 5, holdingCost: 1, backlogCost: 2 },
      ],
      demand: [
        { family: 'A', period: '2027-01', units: 100, p10: 94, p90: 106 },
        { family: 'B', period: '2027-01', units: 100, p10: 62, p90: 138 },
      ],
      resources: [{ code: 'L', capacity: 50 }],
      loads: [{ family: 'B', resource: 'L', perUnit: 1 }],
      options: { lostSales: true },
    });
    const plan = await solved(p);
    const atRisk = (q: PlanProblem): number => {
      const samples = drawDemand(q, { samples: 400, seed: 3, marketShare: 0.95 });
      const x = stressPlan({ problem: q, plan }, samples.demand, samples.distribution.median, {
        fixedMonths: 1,
      });
      return spreadOf(x.fillRate).p10;
    };
    const narrow = atRisk(p);
    const wide = atRisk({
      ...p,
      demand: p.demand.map((d) => (d.family === 'A' ? { ...d, p10: 80, p90: 120 } : d)),
    });
    expect(wide).toBeGreaterThan(narrow);
  });
});

describe('reproducible', () => {
  it('the same seed gives the same grid, byte for byte; another seed another grid', async () => {
    const p = withSpread(example('three-families-two-lines'), 20, 30);
    const grid = async (seed: number) =>
      JSON.stringify(
        compareScenarios(
          await runScenarios(p, DEFAULT_SCENARIOS, solver, {
            stress: { samples: 100, seed, fixedMonths: 2 },
          }),
        ),
      );
    const a = await grid(42);
    expect(await grid(42)).toBe(a);
    expect(await grid(43)).not.toBe(a);
  });
});

describe('cash by month', () => {
  it('two months by hand (examples/plans/hand-two-months.json)', async () => {
    /*
     * The optimal plan (docs/plan-format.md): make 110 in January (10 h overtime at 5) and
     * keep 30 (holding 2 each), make 120 in February (20 h overtime). Price 30, unit cost 10.
     *   revenue:  Jan 80 × 30 = 2 400          Feb 150 × 30 = 4 500
     *   costs:    Jan 110×10 + 10×5 + 30×2 = 1 210    Feb 120×10 + 20×5 = 1 300
     * DSO 15 days: half a month's sales are collected in the month, half the next month.
     *   collected: Jan 1 200                  Feb 1 200 + 2 250 = 3 450
     * DPO 45 days: half of a month's costs are paid one month later, half two months later.
     *   paid:      Jan 0                      Feb 605
     *   net cash:  Jan 1 200                  Feb 2 845          horizon 4 045
     * Working capital = stock at cost + receivables − payables:
     *   Jan 30×10 + (2 400 − 1 200) − (1 210 − 0) = 290
     *   Feb 0 + (6 900 − 4 650) − (2 510 − 605) = 345      peak 345
     * Margin: revenue 6 900 − cash costs 2 510 + stock change 0 = 4 390.
     */
    const p = example('hand-two-months');
    const plan = await solved(p);
    const samples = drawDemand(p, { samples: 3, seed: 1 });
    const x = stressPlan({ problem: p, plan }, samples.demand, samples.distribution.median, {
      fixedMonths: 2,
      cash: { dsoDays: 15, dpoDays: 45, coverMonths: 3 },
    });
    expect(x.cashByMonth[0]).toBeCloseTo(1200, 6);
    expect(x.cashByMonth[1]).toBeCloseTo(2845, 6);
    expect(x.cashFlow[0]).toBeCloseTo(4045, 6);
    expect(x.peakWorkingCapital[0]).toBeCloseTo(345, 6);
    expect(x.margin[0]).toBeCloseTo(4390, 6);
    const m = monthlyCash([2400, 4500], [1210, 1300], 15, 45);
    expect([...m.receivables]).toEqual([1200, 2250]);
    expect([...m.payables]).toEqual([1210, 1905]);
  });
});

describe('widening from past consensus errors', () => {
  it('sets the first plan month’s errors against the first month’s spread', () => {
    // Median 100 in both months; relative spread 10/100 = 0.1 in the first, 30/100 in the
    // second. Past first-month errors ±0.2: root mean square 0.2, so 0.2 / 0.1 = 2. Against
    // the spread averaged over both months, (0.1 + 0.3) / 2 = 0.2, it would be 1: no widening.
    const dist = {
      families: ['A', 'B'],
      periods: ['2027-01', '2027-02'],
      median: Float64Array.from([100, 100, 50, 50]),
      sdLow: Float64Array.from([10, 30, 10, 10]),
      sdHigh: Float64Array.from([10, 30, 10, 10]),
    };
    const w = wideningFromErrors(
      dist,
      new Map([
        ['A', [0.2, -0.2, 0.2]],
        // B erred less than its spread (0.05 < 0.2): never narrowed below its interval.
        ['B', [0.05, -0.05, 0.05]],
      ]),
    );
    expect(w.get('A')).toBeCloseTo(2, 12);
    expect(w.get('B')).toBe(1);
  });
});

describe('the budget’s cash', () => {
  it('keeps the opening cover from the first budgeted month of a family budgeted later', () => {
    /*
     * V is budgeted every month (1 000 units for $30 000, at $10) and has no stock; W has 100
     * units at $10 in stock and is budgeted only in 2028 (months 3 and 4 of the plan), 1 000
     * units a month. W's opening cover kept: 100 × $10 × (1 000 / 1 000) = $1 000 of stock in
     * months 3 and 4, none budgeted before. DSO = DPO = 0: no receivables or payables at a
     * month's end, so the peak working capital is the stock, $1 000.
     */
    const periods = ['2027-11', '2027-12', '2028-01', '2028-02'];
    const fam = (code: string, initialInventory: number) => ({
      code,
      price: 30,
      unitCost: 10,
      holdingCost: 1,
      backlogCost: 5,
      initialInventory,
    });
    const p = parsePlanProblem({
      periods,
      families: [fam('V', 0), fam('W', 100)],
      demand: ['V', 'W'].flatMap((family) =>
        periods.map((period) => ({ family, period, units: 1000 })),
      ),
    });
    const line = (family: string, period: string) => ({
      family,
      period,
      volume: 1000,
      revenue: 30000,
    });
    const budget = [
      ...periods.map((period) => line('V', period)),
      ...['2028-01', '2028-02'].map((period) => line('W', period)),
    ];
    const b = budgetCash(p, budget, { dsoDays: 0, dpoDays: 0, coverMonths: 3 });
    expect(b?.peakWorkingCapital).toBeCloseTo(1000, 6);
    // Cash: V's 30 000 − 1 000 × $10 = 20 000 a month, and W's as much from 2028-01.
    expect(b?.cumulativeCash).toEqual([20000, 40000, 80000, 120000]);
  });

  it("is not set against the plan when it starts after the plan's first month", () => {
    /*
     * The cycle of 2027-11 with only 2028's budget loaded: the budget has no line for
     * November or December. Counted as budgets of nothing, they made its cash 0, 0, 20 000,
     * 40 000 (DSO = DPO = 0), and the plan's cash of November and December, 40 000 at 20 000
     * a month, read as 40 000 ahead of budget; with 45 days' DSO the plan's January would
     * also collect December's sales, which a budget starting in January cannot. No budget
     * cash, so no comparison: the pack says why.
     */
    const periods = ['2027-11', '2027-12', '2028-01', '2028-02'];
    const p = parsePlanProblem({
      periods,
      families: [
        { code: 'W', price: 30, unitCost: 10, holdingCost: 1, backlogCost: 5, initialInventory: 0 },
      ],
      demand: periods.map((period) => ({ family: 'W', period, units: 1000 })),
    });
    const budget = ['2028-01', '2028-02'].map((period) => ({
      family: 'W',
      period,
      volume: 1000,
      revenue: 30000,
    }));
    expect(budgetCash(p, budget, { dsoDays: 0, dpoDays: 0, coverMonths: 3 })).toBeNull();
  });

  it('stops where the budget ends, not with empty months to the horizon', () => {
    // Budget for the first two of four months: 1 000 units at $30, cost $10, DSO = DPO = 0.
    const periods = ['2027-11', '2027-12', '2028-01', '2028-02'];
    const p = parsePlanProblem({
      periods,
      families: [
        { code: 'W', price: 30, unitCost: 10, holdingCost: 1, backlogCost: 5, initialInventory: 0 },
      ],
      demand: periods.map((period) => ({ family: 'W', period, units: 1000 })),
    });
    const budget = ['2027-11', '2027-12'].map((period) => ({
      family: 'W',
      period,
      volume: 1000,
      revenue: 30000,
    }));
    const b = budgetCash(p, budget, { dsoDays: 0, dpoDays: 0, coverMonths: 3 });
    // 20 000 a month for two months; before, two more months of 0 made it [.., 40 000, 40 000]
    // and the plan's four months of cash were set against the budget's two.
    expect(b?.cumulativeCash).toEqual([20000, 40000]);
  });
});
