/**
 * "What if it happens": a demand what-if's change put into every demand sample, and both
 * plans (Central's as made, the what-if's made for the change) played against those samples.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CASH } from '../../src/core/scenarios/schema.js';
import { parseWhatIfs } from '../../src/core/scenarios/what-if.js';
import {
  applyScenario,
  applyWhatIfs,
  demandSamplesIfItHappens,
  runScenarios,
  type ScenarioAssumptions,
  type StressContext,
  stressOne,
} from '../../src/core/scenarios.js';
import { type DemandSamples, demandDistribution } from '../../src/core/stress/index.js';
import { parsePlanProblem } from '../../src/core/supply/problem.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';

const PERIODS = ['2027-04', '2027-05', '2027-06'];

/**
 * Two families, A and B, three months, two samples, with p10/p90 so the distribution has
 * spreads: A's median 100, 110, 120 (p10 80% of it, p90 125%), B's 50 every month (no
 * spread).
 */
function twoFamilies(): DemandSamples {
  const p = parsePlanProblem({
    periods: PERIODS,
    families: [
      { code: 'A', price: 30, unitCost: 10, holdingCost: 1, backlogCost: 5 },
      { code: 'B', price: 30, unitCost: 10, holdingCost: 1, backlogCost: 5 },
    ],
    demand: [
      ...[100, 110, 120].map((units, t) => ({
        family: 'A',
        period: PERIODS[t],
        units,
        p10: units * 0.8,
        p90: units * 1.25,
      })),
      ...PERIODS.map((period) => ({ family: 'B', period, units: 50 })),
    ],
    resources: [{ code: 'LINE', unit: 'h', capacity: 1000 }],
    loads: [
      { family: 'A', resource: 'LINE', perUnit: 1 },
      { family: 'B', resource: 'LINE', perUnit: 1 },
    ],
  });
  return {
    distribution: demandDistribution(p),
    // At (s*F+f)*T+t: sample 0 A, sample 0 B, sample 1 A, sample 1 B.
    demand: Float64Array.from([90, 100, 130, 40, 50, 60, 110, 120, 100, 55, 45, 50]),
  };
}

const changesOf = (text: string): ScenarioAssumptions['demandChanges'] =>
  applyWhatIfs({ name: 'central', label: 'Central' }, parseWhatIfs(text)).demandChanges;

describe('demandSamplesIfItHappens', () => {
  it('multiplies the matching family-months of every sample and of the distribution', () => {
    // A +20% in May and June; all +10% in June: A's June × 1.2 × 1.1 = 1.32, B's June × 1.1.
    const changes = changesOf('demand A +20% 2027-05..2027-06; demand all +10% 2027-06');
    const x = demandSamplesIfItHappens(twoFamilies(), changes);
    // Sample 0: A 90, 100 × 1.2, 130 × 1.32; B 40, 50, 60 × 1.1.
    // Sample 1: A 110, 120 × 1.2, 100 × 1.32; B 55, 45, 50 × 1.1.
    const want = [90, 120, 171.6, 40, 50, 66, 110, 144, 132, 55, 45, 55];
    expect(x.demand).toHaveLength(want.length);
    for (const [k, v] of want.entries()) expect(x.demand[k]).toBeCloseTo(v, 9);
    // Medians: A 100, 110 × 1.2 = 132, 120 × 1.32 = 158.4; B 50, 50, 50 × 1.1 = 55.
    const median = [100, 132, 158.4, 50, 50, 55];
    for (const [k, v] of median.entries()) expect(x.distribution.median[k]).toBeCloseTo(v, 9);
    // A's May spread below the median: (110 − 88) / z90 before, × 1.2 after.
    const before = twoFamilies().distribution.sdLow[1] ?? 0;
    expect(before).toBeGreaterThan(0);
    expect(x.distribution.sdLow[1]).toBeCloseTo(before * 1.2, 9);
    expect(x.distribution.families).toEqual(['A', 'B']);
  });

  it('leaves the samples as they are without a demand change, or outside its months', () => {
    const samples = twoFamilies();
    expect(demandSamplesIfItHappens(samples, [])).toBe(samples);
    expect(demandSamplesIfItHappens(samples, changesOf('demand A +20% 2027-09'))).toBe(samples);
  });

  it('is the rule the what-if’s plan is made to', () => {
    const p = parsePlanProblem({
      periods: PERIODS,
      families: [{ code: 'A', price: 30, unitCost: 10, holdingCost: 1, backlogCost: 5 }],
      demand: PERIODS.map((period) => ({ family: 'A', period, units: 100 })),
      resources: [{ code: 'LINE', unit: 'h', capacity: 1000 }],
      loads: [{ family: 'A', resource: 'LINE', perUnit: 1 }],
    });
    const a = applyWhatIfs(
      { name: 'central', label: 'Central' },
      parseWhatIfs('demand A +20% 2027-05..2027-06; demand all -50% 2027-06'),
    );
    // The planned demand: 100, 120, 100 × 1.2 × 0.5 = 60; the shifted median the same.
    expect(applyScenario(p, a).demand.map((d) => d.units)).toEqual([100, 120, 60]);
    const x = demandSamplesIfItHappens(
      { distribution: demandDistribution(p), demand: Float64Array.from([100, 100, 100]) },
      a.demandChanges,
    );
    expect(Array.from(x.distribution.median)).toEqual([100, 120, 60]);
    expect(Array.from(x.demand)).toEqual([100, 120, 60]);
  });
});

describe('both plans if the demand change happens', () => {
  let solver: HighsSolver;
  beforeAll(async () => {
    solver = await createHighsSolver();
  });

  it('judges Central’s plan as made and the re-planned one against the changed demand', async () => {
    /*
     * One family W, two months, 100 a month forecast, price $30, unit cost $10, holding $1;
     * sales not met are lost (no backlog). Both months are held to the plan (fixed).
     * Central makes 100 a month; the what-if (+20%) plans for and makes 120 a month.
     * One sample, demand as forecast: 100, 100.
     *   Forecast's sample: Central ships 100 + 100 of 200: fill 100%, margin 6 000 − 2 000 = 4 000.
     *   If it happens (120, 120):
     *     Central ships 100 of 120 each month, 40 lost: fill 200 / 240 = 83.3%;
     *       revenue 200 × 30 = 6 000, cost 200 × 10 = 2 000, margin 4 000.
     *     Re-planned ships 120 + 120: fill 100%; revenue 240 × 30 = 7 200, cost 2 400,
     *       margin 4 800.
     */
    const periods = ['2027-04', '2027-05'];
    const p = parsePlanProblem({
      periods,
      families: [
        {
          code: 'W',
          price: 30,
          unitCost: 10,
          holdingCost: 1,
          backlogCost: 5,
          lostSalesCost: 40,
          endingBacklogMax: 0,
        },
      ],
      demand: periods.map((period) => ({ family: 'W', period, units: 100 })),
      resources: [{ code: 'LINE', unit: 'h', capacity: 1000 }],
      loads: [{ family: 'W', resource: 'LINE', perUnit: 1 }],
      options: { lostSales: true },
    });
    const central: ScenarioAssumptions = { name: 'central', label: 'Central' };
    const whatIf = applyWhatIfs(central, parseWhatIfs('demand W +20%'));
    const [c, w] = await runScenarios(p, [central, whatIf], solver);
    if (!c?.plan || !w?.plan) throw new Error('no plans');
    expect(c.plan.families.map((r) => r.production)).toEqual([100, 100]);
    expect(w.plan.families.map((r) => r.production)).toEqual([120, 120]);
    const forecast: StressContext = {
      samples: { distribution: demandDistribution(p), demand: Float64Array.from([100, 100]) },
      budget: null,
      fixedMonths: 2,
      cash: DEFAULT_CASH,
    };
    const happens = {
      ...forecast,
      samples: demandSamplesIfItHappens(forecast.samples, whatIf.demandChanges),
    };
    const play = (ctx: StressContext, a: ScenarioAssumptions, r: typeof c) =>
      stressOne(ctx, applyScenario(p, a), r.plan!, a, null);

    const centralAsForecast = play(forecast, central, c);
    expect(centralAsForecast.fillRate.expected).toBeCloseTo(1, 12);
    expect(centralAsForecast.margin.expected).toBeCloseTo(4000, 6);

    const centralIfItHappens = play(happens, central, c);
    expect(centralIfItHappens.fillRate.expected).toBeCloseTo(200 / 240, 12);
    expect(centralIfItHappens.margin.expected).toBeCloseTo(4000, 6);

    const replannedIfItHappens = play(happens, whatIf, w);
    expect(replannedIfItHappens.fillRate.expected).toBeCloseTo(1, 12);
    expect(replannedIfItHappens.margin.expected).toBeCloseTo(4800, 6);
  });
});
