import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { planFinance, revenueByRow } from '../../src/core/finance.js';
import {
  parseWhatIf,
  parseWhatIfs,
  WhatIfError,
  zeroWhatIf,
} from '../../src/core/scenarios/what-if.js';
import {
  applyScenario,
  applyWhatIfs,
  compareScenarios,
  DEFAULT_SCENARIOS,
  inEffect,
  resolveInvestment,
  runScenarios,
  scenarioInEffect,
} from '../../src/core/scenarios.js';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import { solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';
import { priceRise } from '../helpers/plan-files.js';

const example = (name: string): PlanProblem =>
  parsePlanProblem(JSON.parse(readFileSync(`examples/plans/${name}.json`, 'utf8')));

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

describe('what-if parser', () => {
  it('reads demand, capacity, overtime, subcontracting and price assumptions', () => {
    expect(parseWhatIf('demand FAM-3 +20% 2027-04..2027-06')).toEqual({
      kind: 'demand',
      family: 'FAM-3',
      pct: 20,
      from: '2027-04',
      to: '2027-06',
    });
    expect(parseWhatIf('capacity LINE-2 -50% 2027-02')).toEqual({
      kind: 'capacity',
      resource: 'LINE-2',
      pct: -50,
      from: '2027-02',
      to: '2027-02',
    });
    expect(parseWhatIf('Demand all -10%')).toEqual({ kind: 'demand', family: null, pct: -10 });
    expect(parseWhatIf('overtime off')).toEqual({ kind: 'overtime', allowed: false });
    expect(parseWhatIf('subcontracting on')).toEqual({ kind: 'subcontracting', allowed: true });
    expect(parseWhatIf('price all +5%')).toEqual({ kind: 'price', family: null, pct: 5 });
    expect(parseWhatIfs('demand FAM-1 +5%; overtime off\n\n')).toHaveLength(2);
  });

  it('says which syntax was expected', () => {
    expect(() => parseWhatIf('demand FAM-3 20 2027-04')).toThrow(
      '`demand FAM-3 20 2027-04`: `20` is not a percentage like +20% or -50%; expected demand <family|all> <+N%|-N%> [YYYY-MM[..YYYY-MM]]',
    );
    expect(() => parseWhatIf('capacity LINE-2 -50% 2027-13')).toThrow(
      /not a month or a range of months/,
    );
    expect(() => parseWhatIf('demand FAM-1 +5% 2027-06..2027-04')).toThrow(/ends before it starts/);
    expect(() => parseWhatIf('overtime maybe')).toThrow('expected overtime on|off');
    expect(() => parseWhatIf('capacity LINE-2 -100%')).toThrow(/more than -100%/);
    // A typo, not a what-if: +1e20% on prices answered a margin of "$2,534,141,101,720T".
    // Up to +1000%, as /forecast takes a change in %.
    expect(() => parseWhatIf('price all +99999999999999999999%')).toThrow(
      '`price all +99999999999999999999%`: +99999999999999999999% is more than a what-if takes (at most +1000%); check the value',
    );
    expect(() => parseWhatIf('capacity LINE-2 +1,000.5%')).toThrow(/at most \+1000%/);
    expect(parseWhatIf('demand FAM-1 +1,000%')).toEqual({
      kind: 'demand',
      family: 'FAM-1',
      pct: 1000,
    });
    // A decimal comma is refused with what to type, as /forecast refuses it; never read as -5%.
    expect(() => parseWhatIf('demand all -0,5%')).toThrow(
      '`demand all -0,5%`: in `-0,5%`, use a dot for decimals (-0.5); a comma only separates thousands, as in 1,000.',
    );
    expect(parseWhatIf('demand all −2.5%')).toEqual({ kind: 'demand', family: null, pct: -2.5 });
    // A % or a sign typed apart, as /forecast takes them: "+5 %" was "`+5` is not a
    // percentage", and "price all -5 %" a line of the wrong length.
    expect(parseWhatIf('demand all +5 %')).toEqual({ kind: 'demand', family: null, pct: 5 });
    expect(parseWhatIf('price all -5\u00a0%')).toEqual({ kind: 'price', family: null, pct: -5 });
    expect(parseWhatIf('capacity LINE-2 - 50 % 2027-02')).toEqual({
      kind: 'capacity',
      resource: 'LINE-2',
      pct: -50,
      from: '2027-02',
      to: '2027-02',
    });
    try {
      parseWhatIf('budget +5%');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WhatIfError);
      expect((err as Error).message).toContain('unknown assumption `budget`');
      expect((err as Error).message).toContain('capacity <resource>');
    }
  });
});

describe('applying assumptions', () => {
  const p = example('three-families-two-lines');

  it('multiplies demand overall, per family and per period range', () => {
    const s = applyScenario(p, {
      name: 'x',
      label: 'X',
      demandMultiplier: 0.5,
      familyMultipliers: { 'FAM-2': 2 },
      demandChanges: [{ family: 'FAM-3', pct: 20, from: '2027-04', to: '2027-05' }],
    });
    const units = (f: string, t: string) =>
      s.demand.find((d) => d.family === f && d.period === t)?.units;
    // January is frozen in this example: the scenario's multipliers leave it alone.
    expect(units('FAM-1', '2027-01')).toBe(900);
    expect(units('FAM-2', '2027-01')).toBe(400);
    // February: 950 × 0.5 and 420 × 0.5 × 2.
    expect(units('FAM-1', '2027-02')).toBe(475);
    expect(units('FAM-2', '2027-02')).toBe(420);
    expect(units('FAM-3', '2027-03')).toBe(130);
    expect(units('FAM-3', '2027-04')).toBe(180);
    expect(units('FAM-3', '2027-06')).toBe(120);
    expect(p.demand.find((d) => d.family === 'FAM-1')?.units).toBe(900);
  });

  it('levers said at the value that changes nothing plan as leaving them out, and count as absent', () => {
    const bare = { name: 'x', label: 'X', overtime: true, stockCoverDays: 7 };
    const said = {
      ...bare,
      demandMultiplier: 1,
      priceChangePct: 0,
      hiringFreeze: false,
      overtimeCapPct: 100,
      strategy: 'optimal' as const,
      familyMultipliers: {},
      demandChanges: [],
      capacityChanges: [],
      priceChanges: [],
    };
    // The same problem to solve (the strategy is the solver's, `optimal` when none is said).
    expect(applyScenario(p, said)).toEqual(applyScenario(p, bare));
    expect(inEffect(said)).toEqual(bare);
    // The same text however the keys are ordered (a jsonb column orders them its own way).
    expect(scenarioInEffect({ stockCoverDays: 7, overtime: true, label: 'X', name: 'x' })).toBe(
      scenarioInEffect(said),
    );
    // A value that does change the plan stays.
    expect(inEffect({ ...bare, overtimeCapPct: 50, hiringFreeze: true })).toEqual({
      ...bare,
      overtimeCapPct: 50,
      hiringFreeze: true,
    });
  });

  it("applies a what-if's demand change inside the frozen fence, where the plan cannot answer it", () => {
    const s = applyScenario(p, {
      name: 'x',
      label: 'X',
      demandChanges: [{ family: 'FAM-1', pct: 10, from: '2027-01', to: '2027-01' }],
    });
    // 900 × 1.1: the question is what happens if demand moves there.
    expect(s.demand.find((d) => d.family === 'FAM-1' && d.period === '2027-01')?.units).toBeCloseTo(
      990,
      9,
    );
  });

  it('scales capacity, switches overtime and subcontracting, changes prices', () => {
    const s = applyScenario(p, {
      name: 'x',
      label: 'X',
      capacityChanges: [{ resource: 'LINE-2', pct: -50, from: '2027-02', to: '2027-02' }],
      overtime: false,
      subcontracting: false,
      priceChangePct: 10,
    });
    expect(s.resources.find((r) => r.code === 'LINE-2')?.availabilityByPeriod).toEqual({
      '2027-02': 0.5,
    });
    expect(s.options.overtime).toBe(false);
    expect(s.options.subcontracting).toBe(false);
    expect(s.families[0]?.price).toBeCloseTo(55, 10);
  });

  it('changes an imported per-month price as it changes the flat one', () => {
    const withMonthly = {
      ...p,
      families: p.families.map((f, i) =>
        i === 0 ? { ...f, price: 100, priceByPeriod: { '2027-02': 110 } } : f,
      ),
    };
    // A promotion at −3% and a price change of −5%: 100 × 0.97 × 0.95 = 92.15 and
    // 110 × 0.97 × 0.95 = 101.365.
    const s = applyScenario(withMonthly, {
      name: 'x',
      label: 'X',
      priceChangePct: -5,
      promotion: { pricePct: -3, upliftPct: 6 },
    });
    expect(s.families[0]?.price).toBeCloseTo(92.15, 10);
    expect(s.families[0]?.priceByPeriod?.['2027-02']).toBeCloseTo(101.365, 10);
    expect(withMonthly.families[0]?.priceByPeriod?.['2027-02']).toBe(110);
  });

  it('rejects unknown codes by name', () => {
    expect(() =>
      applyScenario(p, {
        name: 'x',
        label: 'X',
        capacityChanges: [{ resource: 'LINE-9', pct: 5 }],
      }),
    ).toThrow("scenario 'x': a capacity change names resource 'LINE-9', which is not in the plan");
  });

  it('a capacity cut shows in the solved plan', async () => {
    const what = applyWhatIfs(
      DEFAULT_SCENARIOS[0]!,
      parseWhatIfs('capacity LINE-1 -50% 2027-02..2027-03'),
    );
    const [r] = await runScenarios(p, [what], solver);
    const caps = r?.plan?.resources.filter((x) => x.resource === 'LINE-1').map((x) => x.capacity);
    expect(caps).toEqual([1000, 500, 400, 1000, 1000, 1000]);
  });

  it("a hiring freeze keeps the frozen month's hires and allows none after the fence", async () => {
    // By hand: January is frozen at 1 200 units, 1 h each, on a crew of 10 giving 100 h each,
    // so the adopted plan hired 2. A freeze that capped the crew at its first 10 made that
    // month impossible. February needs 1 500: the 12 make 1 200 and 300 are bought in.
    const crew = example('hand-hiring-freeze');
    const [r] = await runScenarios(
      crew,
      [{ name: 'lean', label: 'Lean', overtime: false, hiringFreeze: true }],
      solver,
    );
    expect(r?.plan?.resources.map((x) => [x.workers, x.hires])).toEqual([
      [12, 2],
      [12, 0],
    ]);
    expect(r?.plan?.families.map((x) => x.subcontract)).toEqual([0, 300]);
  });
});

describe("the ambitious scenario's default capacity investment", () => {
  it('goes to the most loaded machine, never to a warehouse', () => {
    const periods = ['2027-01', '2027-02', '2027-03', '2027-04'];
    const p = parsePlanProblem({
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
      demand: periods.map((period) => ({ family: 'BOX', period, units: 1000 })),
      resources: [
        // 1,000 h a month against 1,000 h of demand: 100% loaded.
        { code: 'LINE', unit: 'h', capacity: 1000, overtimeCost: 50, overtimeLimit: 200 },
        // 800 pallets of stock room; the plan holds no stock, so it is not loaded at all
        // (the old measure, 1 pallet × 4,000 units of demand over 3,200, said 125%).
        { code: 'WH', unit: 'pallets', capacity: 800, storage: true, overtimeCost: 2 },
      ],
      loads: [
        { family: 'BOX', resource: 'LINE', perUnit: 1 },
        { family: 'BOX', resource: 'WH', perUnit: 1 },
      ],
    });
    const ambitious = DEFAULT_SCENARIOS.find((s) => s.name === 'ambitious')!;
    // 15% of LINE's mean 1,000 h = 150 h a month from the fourth month; cost six months of
    // it at LINE's overtime cost: 150 × 6 × 50 = 45,000.
    expect(resolveInvestment(p, ambitious)).toEqual({
      resource: 'LINE',
      size: 150,
      cost: 45000,
      from: '2027-04',
    });
  });
});

describe('default scenarios on one grid', () => {
  it('central, cautious and ambitious are solved and compared', async () => {
    const p = example('three-families-two-lines');
    const results = await runScenarios(p, DEFAULT_SCENARIOS, solver);
    expect(results.map((r) => r.status)).toEqual(['optimal', 'optimal', 'optimal']);
    const grid = compareScenarios(results);
    expect(grid.columns.map((c) => c.name)).toEqual(['central', 'cautious', 'ambitious']);
    const row = (m: string) => grid.rows.find((r) => r.metric === m)?.values ?? [];
    // Cautious: no overtime at all.
    expect(row('overtimeCost')[1]).toBe(0);
    // Central equals a direct solve of the problem.
    const direct = await solvePlan(p, solver);
    expect(direct.status === 'optimal' && row('totalCost')[0] === direct.totalCost).toBe(true);
    // Ambitious sells more, so it earns more revenue than cautious.
    expect(row('revenue')[2]).toBeGreaterThan(row('revenue')[1] ?? Infinity);
    expect(grid.rows.every((r) => r.values.length === 3)).toBe(true);
    expect(row('workingCapitalDelta')).toEqual([null, null, null]);
    // Its label says it is stock alone at the end, not the pack's peak working capital
    // (stock + receivables − payables), whose gap to the budget can have the other sign; and
    // the cash rows say what the cash is: generated over the horizon, not a balance.
    const label = (m: string) => grid.rows.find((r) => r.metric === m)?.label;
    expect(label('workingCapitalDelta')).toBe('Stock value vs budget, end');
    expect(label('cashFlow')).toBe('Cash generated (expected)');
    expect(label('cashFlowP10')).toBe('Cash generated at P10');
  });

  it('an infeasible scenario gets its plain-words reason and empty cells', async () => {
    const p = example('infeasible-line-2');
    const [r] = await runScenarios(p, [DEFAULT_SCENARIOS[0]!], solver);
    expect(r?.status).toBe('infeasible');
    expect(r?.message).toContain('Demand for FAM-3');
    const grid = compareScenarios(r ? [r] : []);
    expect(grid.rows.every((row) => row.values[0] === null)).toBe(true);
  });
});

describe('finance figures', () => {
  /** The example problem and its optimal plan. */
  const solvedExample = async (name: string) => {
    const p = example(name);
    const plan = await solvePlan(p, solver);
    if (plan.status !== 'optimal') throw new Error(plan.message);
    return { p, plan };
  };

  it('revenue, margin, inventory value and days of supply of the hand example', async () => {
    const { p, plan } = await solvedExample('hand-two-months');
    const f = planFinance(p, plan, [
      { family: 'WIDGET', period: '2027-02', volume: 150, revenue: 4500 },
    ]);
    expect(f.revenue).toBe(230 * 30);
    expect(f.makingCost).toBe(2510);
    expect(f.grossMargin).toBe(6900 - 2510);
    // No stock at the end: zero value, zero days.
    expect(f.endingInventoryValue).toBe(0);
    expect(f.averageInventoryValue).toBe((30 * 10) / 2);
    expect(f.daysOfSupply).toBe(0);
    // Opening stock is 0, so the budget implies none either.
    expect(f.budgetInventoryValue).toBe(0);
    expect(f.workingCapitalDelta).toBe(0);
  });

  it('revenue takes each month its own price, row by row and in total', async () => {
    const base = example('hand-two-months');
    const p = parsePlanProblem({
      ...base,
      families: base.families.map((f) => ({ ...f, priceByPeriod: { '2027-02': 36 } })),
    });
    const plan = await solvePlan(p, solver);
    if (plan.status !== 'optimal') throw new Error(plan.message);
    // Everything is delivered in its month: January 80 × $30, February 150 × $36.
    expect(revenueByRow(p, plan)).toEqual([2400, 5400]);
    expect(planFinance(p, plan).revenue).toBe(7800);
  });

  it('working capital against the budget-implied stock (Red Tomato)', async () => {
    const { p, plan } = await solvedExample('red-tomato-tools');
    const f = planFinance(p, plan, [
      { family: 'TOOLS', period: '2027-06', volume: 2400, revenue: 96000 },
    ]);
    // Opening cover 1 000 / 1 600 of a month, applied to 2 400 budget units = 1 500 units at $10.
    expect(f.budgetInventoryValue).toBe(15000);
    expect(f.endingInventoryValue).toBe(5000);
    expect(f.workingCapitalDelta).toBe(-10000);
    // 500 units against (3 800 + 2 200 + 2 200) / (30 + 31 + 30) units a day.
    expect(f.daysOfSupply).toBeCloseTo(500 / (8200 / 91), 10);
  });

  it('values stock at the cost it was made at: no paper gain when unit cost rises', async () => {
    /*
     * $10 in January, $20 in February: a unit made in January and held costs $11 < $20, so
     * the plan makes all 200 in January (stock 200, then 100). FIFO: the opening 100 are sold
     * in January, January's 200 are sold (100) and kept (100) after.
     *   revenue 200 × 30 = 6 000; cash costs 200 × 10 + (200 + 100) × 1 = 2 300
     *   opening stock 100 × $10 = 1 000; ending stock 100 made in January × $10 = 1 000
     *   margin 6 000 − 2 300 + (1 000 − 1 000) = 3 700 (COGS 200 × 10 + holding 300: same)
     *   average stock value (200 × 10 + 100 × 10) / 2 = 1 500
     * (Valued at February's $20 the ending stock would be 2 000 and the margin 4 700.)
     */
    const p = priceRise(10, 20);
    const plan = await solvePlan(p, solver);
    if (plan.status !== 'optimal') throw new Error(plan.message);
    expect(plan.families.map((r) => [r.production, r.inventory])).toEqual([
      [200, 200],
      [0, 100],
    ]);
    const f = planFinance(p, plan);
    expect(f.makingCost).toBeCloseTo(2300, 6);
    expect(f.openingInventoryValue).toBeCloseTo(1000, 6);
    expect(f.endingInventoryValue).toBeCloseTo(1000, 6);
    expect(f.grossMargin).toBeCloseTo(3700, 6);
    expect(f.averageInventoryValue).toBeCloseTo(1500, 6);
  });

  it('working capital vs budget is the ending stock value shown − the budget’s', async () => {
    /*
     * $20 in January (the family's standard unit cost), $10 in February: the opening 100
     * serve January and February makes 200 (100 sold, 100 kept). Ending stock: 100 made in
     * February at $10 = 1 000. The budget keeps the opening cover, 100 × (100 / 100) = 100
     * units, at the standard $20 = 2 000 (the budget has no costs by month).
     *   working capital vs budget = 1 000 − 2 000 = −1 000
     *   margin 6 000 − (200 × 10 + 100 × 1) + (1 000 − 100 × 20) = 2 900
     * (Valuing the plan's stock at the standard $20 for this row, as the ending value row
     * did not, gave 2 000 − 2 000 = 0.)
     */
    const p = priceRise(20, 10);
    const plan = await solvePlan(p, solver);
    if (plan.status !== 'optimal') throw new Error(plan.message);
    const f = planFinance(p, plan, [
      { family: 'W', period: '2027-02', volume: 100, revenue: 3000 },
    ]);
    expect(f.endingInventoryValue).toBeCloseTo(1000, 6);
    expect(f.budgetInventoryValue).toBeCloseTo(2000, 6);
    expect(f.workingCapitalDelta).toBeCloseTo(-1000, 6);
    expect(f.grossMargin).toBeCloseTo(2900, 6);
  });
});

describe('a what-if of 0%', () => {
  const zero = (text: string) => zeroWhatIf(parseWhatIfs(text))?.rewrite('+10%') ?? null;

  it('is named, rewritten with another change and its months', () => {
    expect(zero('demand FAM-3 +0%')).toBe('demand FAM-3 +10%');
    expect(zero('overtime off; capacity LINE-2 -0.0% 2027-02..2027-04')).toBe(
      'capacity LINE-2 +10% 2027-02..2027-04',
    );
    expect(zero('price all 0%')).toBe('price all +10%');
  });

  it('is none when every change changes something', () => {
    expect(zero('demand all +0.5%; overtime off; capacity LINE-2 -50% 2027-02')).toBeNull();
  });
});
