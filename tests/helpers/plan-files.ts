/** Plan files from examples/plans/, edited as plain JSON before parsing, and solved plans. */
import { readFileSync } from 'node:fs';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import type { FailedPlan, PlanResult, SolvedPlan } from '../../src/core/supply/solve.js';

// biome-ignore lint/suspicious/noExplicitAny: plan files edited as plain JSON
export type Json = any;

export const planFile = (name: string, edit: (p: Json) => void = () => {}): PlanProblem => {
  const raw = JSON.parse(readFileSync(`examples/plans/${name}.json`, 'utf8'));
  edit(raw);
  return parsePlanProblem(raw);
};

/** The plan, or the failure's message thrown. */
export const solved = (r: PlanResult): SolvedPlan => {
  if (r.status !== 'optimal') throw new Error(r.message);
  return r;
};

/** The failed plan of an infeasible problem; throws (with the status) for any other result. */
export const infeasible = (r: PlanResult): FailedPlan => {
  if (r.status !== 'infeasible') throw new Error(`expected an infeasible plan, got ${r.status}`);
  return r;
};

/**
 * Opening stock 100, demand 100 a month for two months, ending stock ≥ 100, no backlog at
 * the end; price $30, holding $1; unit cost `jan` in January and `feb` in February.
 */
export const priceRise = (jan: number, feb: number): PlanProblem =>
  parsePlanProblem({
    periods: ['2027-01', '2027-02'],
    families: [
      {
        code: 'W',
        price: 30,
        unitCost: jan,
        unitCostByPeriod: { '2027-02': feb },
        holdingCost: 1,
        backlogCost: 50,
        initialInventory: 100,
        endingInventoryMin: 100,
        endingBacklogMax: 0,
      },
    ],
    demand: ['2027-01', '2027-02'].map((period) => ({ family: 'W', period, units: 100 })),
    resources: [{ code: 'L', capacity: 1000 }],
    loads: [{ family: 'W', resource: 'L', perUnit: 1 }],
  });
