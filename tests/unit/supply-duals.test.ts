/**
 * Shadow prices (src/core/supply/duals.ts) checked against the definition: solve Red Tomato
 * (Chopra & Meindl, ch. 8) again with one more unit of the limit, and the cost must move
 * by the shadow price. The re-solve is the independent calculation; the duals come from
 * HiGHS's row and column duals.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanDuals } from '../../src/core/supply/duals.js';
import { buildModel } from '../../src/core/supply/model.js';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import { solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';

const raw = JSON.parse(readFileSync('examples/plans/red-tomato-tools.json', 'utf8'));
// biome-ignore lint/suspicious/noExplicitAny: a plan file edited as plain JSON
const redTomato = (change: (p: any) => void = () => {}): PlanProblem => {
  const copy = structuredClone(raw);
  change(copy);
  return parsePlanProblem(copy);
};
const months = raw.periods as string[];

describe('shadow prices on Red Tomato', () => {
  let solver: HighsSolver;
  let duals: PlanDuals;
  /** The LP's exact optimum (the plan's totalCost is rounded to the cent). */
  const cost = async (p: PlanProblem): Promise<number> => {
    const sol = await solver.solve(buildModel(p, { strategy: 'optimal' }).lp);
    if (sol.status !== 'optimal') throw new Error(sol.status);
    return sol.objective;
  };
  let base: number;
  beforeAll(async () => {
    solver = await createHighsSolver();
    const plan = await solvePlan(redTomato(), solver);
    if (plan.status !== 'optimal' || !plan.duals) throw new Error('no duals');
    duals = plan.duals;
    base = await cost(redTomato());
    expect(base).toBeCloseTo(422275, 6);
  });

  it.each(months)('one more crew hour in %s saves what its shadow price says', async (month) => {
    // The crew's regular capacity is its workers' hours; a base capacity of 1 h adds one hour.
    const more = await cost(
      redTomato((p) => {
        p.resources[0].capacityByPeriod = { [month]: 1 };
      }),
    );
    const shadow = duals.resources.find((r) => r.resource === 'CREW' && r.period === month);
    expect(shadow?.capacity).toBeGreaterThan(0);
    expect(shadow?.capacity).toBeCloseTo(base - more, 6);
  });

  it('an hour in April, the peak, is worth the most, and is listed first among capacities', () => {
    const caps = duals.binding.filter((b) => b.kind === 'capacity');
    expect(caps[0]?.period).toBe('2027-04');
    expect(caps.map((b) => b.value)).toEqual([...caps.map((b) => b.value)].sort((a, b) => b - a));
  });

  it.each(months)('one more unit demanded in %s costs its marginal cost', async (month) => {
    const more = await cost(
      redTomato((p) => {
        const line = p.demand.find((d: { period: string }) => d.period === month);
        line.units += 1;
      }),
    );
    const shadow = duals.families.find((f) => f.period === month);
    expect(shadow?.demand).toBeCloseTo(more - base, 6);
  });

  it('the ending-inventory target of 500 costs what one unit less saves', async () => {
    const less = await cost(
      redTomato((p) => {
        p.families[0].endingInventoryMin = 499;
      }),
    );
    const bound = duals.binding.find((b) => b.kind === 'endingInventory');
    expect(bound).toMatchObject({ subject: 'TOOLS', limit: 500, relax: 'lower' });
    expect(bound?.value).toBeCloseTo(base - less, 6);
  });

  it('one more overtime hour allowed per worker is worth nothing: overtime is not used', () => {
    expect(duals.resources.every((r) => r.overtimeLimit === 0)).toBe(true);
    expect(duals.binding.some((b) => b.kind === 'overtimeLimit')).toBe(false);
  });

  it('a crew capped at 60 workers prices the cap: one more worker allowed', async () => {
    const capped = (max: number) =>
      redTomato((p) => {
        p.resources[0].workforce.maxWorkers = max;
      });
    const plan = await solvePlan(capped(60), solver);
    if (plan.status !== 'optimal' || !plan.duals) throw new Error('no plan');
    const caps = plan.duals.binding.filter((b) => b.kind === 'maxWorkers');
    expect(caps.length).toBeGreaterThan(0);
    for (const c of caps) expect(c).toMatchObject({ subject: 'CREW', limit: 60, relax: 'raise' });
    // The cap applies to every month, so raising it by one is worth the sum over months.
    const sum = caps.reduce((a, c) => a + c.value, 0);
    expect(sum).toBeCloseTo((await cost(capped(60))) - (await cost(capped(61))), 6);
  });
});
