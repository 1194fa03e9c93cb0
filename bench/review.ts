import { performance } from 'node:perf_hooks';
import type { Insertable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { addMonths, periodRange } from '../src/core/period.js';
import { loadReviewWindow, reviewFromWindow, reviewTrend } from '../src/services/review.js';
import { insertCycle } from '../tests/helpers/db.js';
import { benchDb, median } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 5);
const FAMILIES = 200;
const CYCLES = 12;
const FIRST = '2026-01';

/** A deterministic wobble around 1 (no randomness: every run sees the same numbers). */
const wobble = (i: number, j: number) => 1 + 0.15 * Math.sin(i * 1.7 + j * 0.9);

/** The rows into `table`, 5000 a statement. */
async function insertChunked<K extends keyof Database & string>(
  db: Db,
  table: K,
  rows: readonly Insertable<Database[K]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 5000) as never)
      .execute();
}

async function seed(db: Db): Promise<string> {
  const fams = await db
    .insertInto('families')
    .values(
      Array.from({ length: FAMILIES }, (_, i) => ({
        code: `FAM-${i + 1}`,
        name: `Family ${i + 1}`,
        price: 50 + (i % 7) * 10,
        unit_cost: 30 + (i % 5) * 5,
        holding_cost: 1,
        backlog_cost: 5,
      })),
    )
    .returning('id')
    .execute();
  const ids = fams.map((f) => f.id);
  const months = periodRange(addMonths(FIRST, -7), addMonths(FIRST, CYCLES + 18));
  const base = (i: number) => 100 + (i % 13) * 20;
  /** Monthly units per family over the first months, as actuals. */
  const monthly = (units: (i: number, j: number) => number) =>
    ids.flatMap((id, i) =>
      months
        .slice(0, CYCLES + 7)
        .map((p, j) => ({ family_id: id, period: p, units: Math.round(units(i, j)) })),
    );
  await insertChunked(
    db,
    'sales_history',
    monthly((i, j) => base(i) * wobble(i, j)),
  );
  await insertChunked(
    db,
    'production_actuals',
    monthly((i, j) => base(i) * wobble(j, i)),
  );
  await insertChunked(
    db,
    'inventory_snapshots',
    ids.flatMap((id, i) =>
      months.slice(0, CYCLES + 7).map((p, j) => ({
        family_id: id,
        period: p,
        on_hand: base(i) * wobble(i, j + 3),
        backlog: j % 4,
      })),
    ),
  );
  await insertChunked(
    db,
    'order_lines',
    ids.flatMap((id, i) =>
      periodRange(FIRST, addMonths(FIRST, CYCLES - 1)).flatMap((p, j) =>
        Array.from({ length: 10 }, (_, k) => ({
          order_id: `SO-${i}-${p}`,
          line: k + 1,
          family_id: id,
          requested_date: `${p}-${String(10 + k).padStart(2, '0')}`,
          shipped_date:
            (i + j + k) % 6 === 0
              ? null
              : `${p}-${String(10 + k + ((i + k) % 3) - 1).padStart(2, '0')}`,
          ordered_qty: 10,
          shipped_qty: (i + k) % 5 === 0 ? 8 : 10,
        })),
      ),
    ),
  );
  for (let c = 0; c < CYCLES; c++) {
    const month = addMonths(FIRST, c);
    const cycleId = await insertCycle(db, { month, phase: 'closed', closed_at: new Date() });
    const run = await db
      .insertInto('plan_runs')
      .values({
        cycle_id: cycleId,
        run_key: `bench-${month}`,
        trigger: 'bench',
        periods: '[]',
        input_hash: month,
        problem: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sc = await db
      .insertInto('plan_scenarios')
      .values({
        run_id: run.id,
        name: 'central',
        label: 'Central',
        assumptions: '{}',
        status: 'optimal',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('cycles')
      .set({ adopted_scenario_id: sc.id })
      .where('id', '=', cycleId)
      .execute();
    const horizon = periodRange(month, addMonths(month, 17));
    await insertChunked(
      db,
      'plan_family_results',
      ids.flatMap((id, i) =>
        horizon.map((p, j) => ({
          scenario_id: sc.id,
          family_id: id,
          period: p,
          demand: base(i),
          production: base(i) * wobble(c, j),
          subcontract: 0,
          inventory: base(i) * 0.5,
          backlog: 0,
          revenue: base(i) * 60,
        })),
      ),
    );
    await insertChunked(
      db,
      'forecast_snapshots',
      ids.flatMap((id, i) =>
        [1, 3].map((lag) => ({
          cycle_id: cycleId,
          family_id: id,
          period: addMonths(month, lag),
          lag,
          naive: base(i),
          baseline: base(i) * wobble(i, c),
          consensus: base(i) * wobble(c, i),
          steps: JSON.stringify(
            i % 4 === 0
              ? [
                  {
                    author: `U_${i % 3}`,
                    reasonCode: 'promotion',
                    before: base(i),
                    after: base(i) * 1.1,
                  },
                ]
              : [],
          ),
        })),
      ),
    );
  }
  return addMonths(FIRST, CYCLES);
}

const bench = await benchDb('review', 4);
const { db } = bench;
try {
  const month = await seed(db);
  const whole: number[] = [];
  const reads: number[] = [];
  const math: number[] = [];
  let reviews = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const trend = await reviewTrend(db, month, CYCLES);
    whole.push(performance.now() - t0);
    reviews = trend.length;
    // The same reads and math, timed apart.
    const plans = trend.map((x) => ({
      periods: x.review.periods,
      ref: x.reference ? { scenario: { id: x.reference.scenarioId } } : null,
    }));
    const t1 = performance.now();
    const rows = await loadReviewWindow(db, plans);
    const t2 = performance.now();
    for (const p of plans) reviewFromWindow(rows!, p.periods, p.ref?.scenario.id ?? null);
    const t3 = performance.now();
    reads.push(t2 - t1);
    math.push(t3 - t2);
  }
  const w = median(whole);
  console.log(
    `bench/review: ${FAMILIES} families × ${CYCLES} cycles of history (${reviews} reviews, the 12-cycle trend), ${RUNS} runs`,
  );
  console.log('part                         median ms   share of the whole');
  for (const [label, xs] of [
    ['reviewTrend (reads + math)', whole],
    ['  reads (one query a table)', reads],
    ['  math (performanceReview)', math],
  ] as const)
    console.log(
      `${label.padEnd(28)} ${median(xs).toFixed(0).padStart(9)}   ${(median(xs) / w).toFixed(2).padStart(6)}×`,
    );
  console.log(
    `goal: under 2000 ms → ${w < 2000 ? 'met' : 'NOT met'} (${(w / 2000).toFixed(2)}× the goal)`,
  );
} finally {
  await bench.drop();
}
