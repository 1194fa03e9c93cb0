/**
 * From a stored plan run to chart inputs, against Postgres: the accuracy trend comes from
 * closed cycles' stored baselines and adjustments against the sales history.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../src/core/period.js';
import { generateCompany } from '../../src/seed/company.js';
import { loadRunCharts } from '../../src/services/chart-data.js';
import { runPlan } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { addAdjustments, setUpCycle } from './jobs-fixture.js';

const t = useDb();
let pastId: number;
let pastMonth: string;
let runId: string;

beforeAll(async () => {
  const company = generateCompany({ families: 4, months: 36, resources: 2, seed: 9 });
  const { cycleId, month } = await setUpCycle(t.db, company, { horizon: 6 });
  // A cycle six months back, closed, whose first months now have actuals.
  pastMonth = addMonths(month, -6);
  pastId = await insertCycle(t.db, {
    month: pastMonth,
    phase: 'closed',
    closed_at: new Date(),
  });
  await fitBaselines(t.db, pastId, { method: 'naive' });
  // +20% on FAM-2 for the past cycle's months 1..3 (the fixture adjusts months 4..6 of the
  // month it is given, hence three months earlier).
  await addAdjustments(t.db, pastId, addMonths(pastMonth, -3), [{ family: 'FAM-2', pct: 20 }]);
  await fitBaselines(t.db, cycleId);
  await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-3', pct: 10 }]);
  const solver = await createHighsSolver();
  ({ runId } = await runPlan(t.db, solver, {
    cycleId,
    runKey: 'chart-data-test',
    trigger: 'test',
    requestedBy: null,
  }));
});

describe('loadRunCharts', () => {
  it('maps the run to gap points, scenario KPIs and the changed family', async () => {
    const data = await loadRunCharts(t.db, runId);
    expect(data).not.toBeNull();
    expect(data?.gap).toHaveLength(2 * 6);
    expect(data?.scenarios.map((s) => s.scenario)).toEqual(['central', 'cautious', 'ambitious']);
    expect(data?.families.map((f) => f.family)).toEqual(['FAM-3']);
    const fam = data?.families[0];
    expect(fam?.baseline).toHaveLength(6);
    expect(fam?.adjustments.length).toBe(3);
    expect(fam?.history.length).toBe(24);
  });

  it('scores the closed cycle: accuracy and bias of consensus, FVA against the baseline', async () => {
    const data = await loadRunCharts(t.db, runId);
    expect(data?.accuracy).toHaveLength(1);
    const p = data?.accuracy[0];
    expect(p?.cycle).toBe(pastMonth);
    // Recompute by hand from the rows: naive baseline, FAM-2 +20%, actuals from sales, over
    // the month after the cycle's own only (lag 1, as the review scores it).
    const lag1 = addMonths(pastMonth, 1);
    const base = await t.db
      .selectFrom('baseline_forecasts as b')
      .innerJoin('families as f', 'f.id', 'b.family_id')
      .innerJoin('sales_history as s', (j) =>
        j.onRef('s.family_id', '=', 'b.family_id').onRef('s.period', '=', 'b.period'),
      )
      .select(['f.code', 'b.value', 's.units'])
      .where('b.cycle_id', '=', pastId)
      .where('b.period', '=', lag1)
      .execute();
    expect(base).toHaveLength(4);
    let errStat = 0;
    let errCons = 0;
    let diff = 0;
    let total = 0;
    for (const r of base) {
      const cons = r.code === 'FAM-2' ? r.value * 1.2 : r.value;
      errStat += Math.abs(r.units - r.value);
      errCons += Math.abs(r.units - cons);
      diff += cons - r.units;
      total += r.units;
    }
    expect(p?.accuracy).toBeCloseTo(Math.max(0, 1 - errCons / total), 9);
    expect(p?.bias).toBeCloseTo(diff / total, 9);
    expect(p?.fva).toBeCloseTo(errStat / total - errCons / total, 9);
  });

  it('gives null for a run that does not exist', async () => {
    expect(await loadRunCharts(t.db, '999999')).toBeNull();
  });

  it('draws a month without a sales row as 0 sold, as the baseline counts it', async () => {
    const before = (await loadRunCharts(t.db, runId))!.families[0]!;
    const first = before.baseline[0]!.period;
    const gap = addMonths(first, -2);
    expect(before.history.find((h) => h.period === gap)?.units).toBeGreaterThan(0);
    // FAM-3's row of two months before the plan goes (as if the file had left it out).
    await t.db
      .deleteFrom('sales_history')
      .where('period', '=', gap)
      .where('family_id', '=', t.db.selectFrom('families').select('id').where('code', '=', 'FAM-3'))
      .execute();
    const after = (await loadRunCharts(t.db, runId))!.families[0]!;
    // Still 24 months, that one at 0 (it was missing from the chart before); the rest as stored.
    expect(after.history).toHaveLength(24);
    expect(after.history.find((h) => h.period === gap)).toEqual({ period: gap, units: 0 });
    expect(after.history.filter((h) => h.period !== gap)).toEqual(
      before.history.filter((h) => h.period !== gap),
    );
  });
});
