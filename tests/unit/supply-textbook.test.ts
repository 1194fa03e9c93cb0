/**
 * Textbook aggregate-planning problems with published optima, solved through the plan-file
 * format, the LP and HiGHS, and checked to the cent (and with a dual certificate).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dualBound } from '../../src/core/supply/lp.js';
import { buildModel } from '../../src/core/supply/model.js';
import { parsePlanProblem } from '../../src/core/supply/problem.js';
import { solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';

const example = (name: string) =>
  parsePlanProblem(JSON.parse(readFileSync(`examples/plans/${name}.json`, 'utf8')));

describe('Sailco (Winston, Operations Research, section 3.10)', () => {
  let solver: HighsSolver;
  beforeAll(async () => {
    solver = await createHighsSolver();
  });

  it('costs $78,450.00: 40 regular boats a quarter, overtime only in quarters 2 and 3', async () => {
    const plan = await solvePlan(example('winston-sailco'), solver);
    if (plan.status !== 'optimal') throw new Error(plan.message);
    expect(plan.totalCost).toBe(78450);
    expect(plan.costs.production).toBe(76000);
    expect(plan.costs.overtime).toBe(2250);
    expect(plan.costs.holding).toBe(200);
    expect(plan.families.map((r) => r.production)).toEqual([40, 50, 75, 25]);
    expect(plan.resources.map((r) => r.overtime)).toEqual([0, 10, 35, 0]);
    expect(plan.families.map((r) => r.inventory)).toEqual([10, 0, 0, 0]);
    expect(plan.families.every((r) => r.backlog === 0)).toBe(true);
  });

  it('carries a dual certificate: no plan is cheaper', async () => {
    const built = buildModel(example('winston-sailco'), { strategy: 'optimal' });
    const sol = await solver.solve(built.lp);
    expect(sol.status).toBe('optimal');
    expect(dualBound(built.lp, sol.rowDual)).toBeCloseTo(78450, 2);
  });
});
