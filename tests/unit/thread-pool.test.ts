import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextPeriods } from '../../src/core/period.js';
import { parseWhatIfs } from '../../src/core/scenarios/what-if.js';
import {
  applyWhatIfs,
  DEFAULT_SCENARIOS,
  runScenarios,
  type ScenarioResult,
} from '../../src/core/scenarios.js';
import { buildPlanProblem } from '../../src/core/supply/from-company.js';
import type { LpSolver } from '../../src/core/supply/lp.js';
import { type PlanProblem, parsePlanProblem } from '../../src/core/supply/problem.js';
import { generateCompany } from '../../src/seed/company.js';
import {
  createThreadPool,
  fitInProcess,
  type SeriesTask,
  type ThreadPool,
} from '../../src/services/thread-pool.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';

/** A company big enough that overtime, subcontracting and the workforce all come into play. */
function generatedProblem(): PlanProblem {
  const company = generateCompany({ families: 30, months: 24, resources: 6, seed: 11 });
  const periods = nextPeriods('2031-01', 12);
  const demand = company.families.flatMap((f, i) =>
    periods.map((period, t) => ({
      family: f.code,
      period,
      units: 80 + ((i * 7 + t * 13) % 40) * 6,
    })),
  );
  return buildPlanProblem(company, demand, { periods, name: 'pool' });
}

/** The results without the solver's own timings, which differ from run to run. */
const untimed = (results: readonly ScenarioResult[]) =>
  results.map((r) => ({
    ...r,
    solverSeconds: 0,
    plan: r.plan ? { ...r.plan, solverSeconds: 0 } : null,
  }));

let pool: ThreadPool;
let local: HighsSolver;
let solvedHere = 0;
let parallel: LpSolver;

beforeAll(async () => {
  local = await createHighsSolver();
  pool = createThreadPool(3);
  const counting: LpSolver = {
    solve: (m) => {
      solvedHere++;
      return local.solve(m);
    },
  };
  const solver = pool.solver(counting);
  await solver.ready();
  parallel = solver;
});

afterAll(async () => {
  await pool.close();
});

describe('scenarios solved on the thread pool', () => {
  it('give the same plans, to the last bit, as solved one after another in this thread', async () => {
    const problem = generatedProblem();
    const scenarios = [
      ...DEFAULT_SCENARIOS,
      applyWhatIfs(DEFAULT_SCENARIOS[0]!, parseWhatIfs('capacity LINE-1 -40%; demand all +10%')),
    ];
    const serial = await runScenarios(problem, scenarios, local);
    expect(serial.map((r) => r.status)).toEqual(['optimal', 'optimal', 'optimal', 'optimal']);
    solvedHere = 0;
    const side = await runScenarios(problem, scenarios, parallel);
    expect(untimed(side)).toEqual(untimed(serial));
    // Two threads took the first two models; this thread solved the rest.
    expect(solvedHere).toBeLessThan(scenarios.length);
  });

  it('diagnose an infeasible plan the same way (the elastic re-solve runs there too)', async () => {
    const problem = parsePlanProblem(
      JSON.parse(readFileSync('examples/plans/infeasible-line-2.json', 'utf8')),
    );
    const serial = await runScenarios(problem, DEFAULT_SCENARIOS, local);
    const side = await runScenarios(problem, DEFAULT_SCENARIOS, parallel);
    expect(serial[0]?.status).toBe('infeasible');
    expect(untimed(side)).toEqual(untimed(serial));
  });
});

describe('baselines fitted on the thread pool', () => {
  it('are the fits made in this thread', async () => {
    const series: SeriesTask[] = Array.from({ length: 30 }, (_, i) => ({
      key: `S${i}`,
      y: Array.from({ length: 36 }, (_, t) => 100 + 20 * Math.sin((t + i) / 2) + ((t * i) % 7)),
      horizon: 6,
    }));
    const there = await pool.fit(series, 'auto');
    const here = await fitInProcess(series, 'auto');
    expect([...there.keys()].sort()).toEqual([...here.keys()].sort());
    for (const [key, fit] of here) expect(there.get(key)).toEqual(fit);
  });
});
