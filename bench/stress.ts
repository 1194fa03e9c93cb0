/**
 * Stress-test benchmark: the seeded company of 200 families, 24 plan months and 20 resources,
 * its three default scenarios solved once, then played against 500 demand samples each
 * (docs/plan-format.md, "Stress test"): the sampling, and each scenario's simulation.
 *
 *   npx tsx bench/stress.ts [--runs N] [--samples N]
 *
 * Goal: 500 samples x 3 scenarios under 1 s added to the plan. Prints the median of the runs
 * for drawing the samples and for the three simulations, and the ratio of the total to the
 * goal, in wall time and in this process's CPU time (on a busy machine the wall time also
 * counts waiting for a core). The demand spread is ±20% (P10/P90) on every family-month.
 */
import { parseArgs } from 'node:util';
import { addMonths, nextPeriods, type Period } from '../src/core/period.js';
import {
  applyScenario,
  DEFAULT_SCENARIOS,
  runScenarios,
  stressContext,
  stressOne,
} from '../src/core/scenarios.js';
import { buildPlanProblem } from '../src/core/supply/from-company.js';
import { generateCompany } from '../src/seed/company.js';
import { createHighsSolver } from '../src/solver/highs.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, samples: { type: 'string', default: '500' } },
});
const runs = Math.max(1, Number(values.runs));
const samples = Math.max(1, Number(values.samples));

const lastActual: Period = '2026-12';
const company = generateCompany({ families: 200, months: 36, resources: 20, seed: 7, lastActual });
const periods = nextPeriods(addMonths(lastActual, 1), 24);
// Demand: last year's month (enough for the timing; bench/plan.ts projects a trend).
const demand = company.families.flatMap((f) =>
  periods.map((t) => {
    const h = company.history.find((x) => x.family === f.code && x.period === addMonths(t, -12));
    const units = h?.units ?? 0;
    return { family: f.code, period: t, units };
  }),
);
const base = buildPlanProblem(company, demand, { periods, name: 'bench' });
const problem = {
  ...base,
  demand: base.demand.map((d) => ({ ...d, p10: d.units * 0.8, p90: d.units * 1.2 })),
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const solver = await createHighsSolver();
const results = await runScenarios(problem, DEFAULT_SCENARIOS, solver, {
  budget: company.budget,
});
const solved = results.filter((r) => r.plan);
const sampling: number[] = [];
const simulating: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ctx = stressContext(problem, {
    budget: company.budget,
    stress: { samples, seed: 1 + i, fixedMonths: 6 },
  });
  const t1 = performance.now();
  for (const r of solved)
    if (r.plan)
      stressOne(ctx, applyScenario(problem, r.assumptions), r.plan, r.assumptions, r.investment);
  const t2 = performance.now();
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  sampling.push(t1 - t0);
  simulating.push(t2 - t1);
}
const total = median(sampling) + median(simulating);
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;
console.log(
  `stress test: ${problem.families.length} families x ${periods.length} months, ${samples} samples, ${solved.length} scenarios (median of ${runs})`,
);
console.log(`  draw the samples          ${ms(median(sampling))}`);
console.log(`  play ${solved.length} scenarios          ${ms(median(simulating))}`);
console.log(
  `  total                     ${ms(total)}   goal 1000 ms   ratio to goal ${(total / 1000).toFixed(2)}`,
);
// On a shared machine the wall time includes waiting for a core; the CPU time does not.
console.log(
  `  CPU time of the total     ${ms(median(cpu))}   ratio to goal ${(median(cpu) / 1000).toFixed(2)}`,
);
