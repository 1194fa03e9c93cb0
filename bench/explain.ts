import { resourceDuals } from '../db/queries/explain.js';
import { addMonths } from '../src/core/period.js';
import { buildModel } from '../src/core/supply/model.js';
import { parsePlanProblem } from '../src/core/supply/problem.js';
import { generateCompany } from '../src/seed/company.js';
import { explainQuestion } from '../src/services/explain.js';
import { runPlan } from '../src/services/planning.js';
import { fitBaselines } from '../src/services/planning-baseline.js';
import { explainMessage } from '../src/slack/presenters/explain.js';
import { createHighsSolver } from '../src/solver/highs.js';
import { idOfCode } from '../tests/helpers/db.js';
import { addAdjustments, setUpCycle } from '../tests/integration/jobs-fixture.js';
import { benchDb } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 9);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const bench = await benchDb('explain', 5);
  const { db } = bench;
  try {
    const company = generateCompany({ families: 200, months: 60, resources: 20, seed: 3 });
    const { cycleId, month } = await setUpCycle(db, company);
    await fitBaselines(db, cycleId);
    await addAdjustments(
      db,
      cycleId,
      month,
      Array.from({ length: 40 }, (_, i) => ({ family: `FAM-${i + 1}`, pct: 5 + (i % 10) })),
    );
    const solver = await createHighsSolver();
    const t0 = performance.now();
    const run = await runPlan(db, solver, {
      cycleId,
      runKey: 'bench',
      trigger: 'bench',
      requestedBy: null,
    });
    const planMs = performance.now() - t0;
    const target = addMonths(month, 3);
    const questions = [
      ['family month', `FAM-1 ${target}`],
      ['resource month', `CREW-1 ${target}`],
      ['family, 18 months', `FAM-1 ${month}..${addMonths(month, 17)}`],
      ['who changed', 'who changed FAM-1'],
    ] as const;
    console.log(
      `200 families, 20 resources; plan run (3 scenarios, duals stored): ${planMs.toFixed(0)} ms\n`,
    );
    console.log('question             median ms   (service + presenter, RUNS=%d)', RUNS);
    for (const [label, q] of questions) {
      const ms = await timed(async () => explainMessage(await explainQuestion(db, q)));
      console.log(`${label.padEnd(20)} ${median(ms).toFixed(1).padStart(9)}`);
    }

    // Side by side: the stored dual against a re-solve with one more hour.
    const central = await db
      .selectFrom('plan_scenarios')
      .select('id')
      .where('run_id', '=', run.runId)
      .where('name', '=', 'central')
      .executeTakeFirstOrThrow();
    const crewId = await idOfCode(db, 'resources', 'CREW-1');
    const stored = await timed(() => resourceDuals(db, central.id, [crewId]));
    const row = await db
      .selectFrom('plan_runs')
      .select('problem')
      .where('id', '=', run.runId)
      .executeTakeFirstOrThrow();
    const problem = parsePlanProblem(row.problem);
    const cost = async (p: typeof problem) =>
      (await solver.solve(buildModel(p, { strategy: 'optimal' }).lp)).objective;
    const base = await cost(problem);
    let saved = 0;
    const resolve = await timed(async () => {
      const more = await cost({
        ...problem,
        resources: problem.resources.map((r) =>
          r.code === 'CREW-1'
            ? { ...r, capacityByPeriod: { ...r.capacityByPeriod, [target]: 1 } }
            : r,
        ),
      });
      saved = base - more;
    });
    const dual = (await resourceDuals(db, central.id, [crewId])).find((d) => d.period === target);
    console.log(
      `\nshadow price of CREW-1 ${target}: stored ${dual?.shadowPrice?.toFixed(4)}, re-solve ${saved.toFixed(4)}`,
    );
    console.log('way                       median ms');
    console.log(`read the stored duals     ${median(stored).toFixed(2).padStart(9)}`);
    console.log(`re-solve with one hour    ${median(resolve).toFixed(2).padStart(9)}`);
    console.log(
      `ratio (re-solve / read)   ${(median(resolve) / median(stored)).toFixed(1).padStart(9)}x`,
    );
  } finally {
    await bench.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
