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
