/**
 * Solves a small made-up plan once so the first real solve does not pay for the WASM
 * warm-up (measured: the first 200-family solve takes ~1.9 s cold, ~0.9 s after this).
 * Each HiGHS runtime needs its own: the worker's, and each pool thread's.
 */
import { nextPeriods } from '../core/period.js';
import { buildPlanProblem } from '../core/supply/from-company.js';
import type { LpSolver } from '../core/supply/lp.js';
import { solvePlan } from '../core/supply/solve.js';
import { generateCompany } from '../seed/company.js';

export async function warmUpSolver(solver: LpSolver): Promise<void> {
  const company = generateCompany({ families: 20, months: 12, resources: 5, seed: 1 });
  const periods = nextPeriods('2030-01', 12);
  const demand = company.families.flatMap((f) =>
    periods.map((period) => ({ family: f.code, period, units: 100 })),
  );
  await solvePlan(buildPlanProblem(company, demand, { periods }), solver);
}
