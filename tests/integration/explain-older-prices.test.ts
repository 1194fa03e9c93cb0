/**
 * "One more unit demanded would cost…" for a run stored before each price's kind was kept
 * (migration 20261210T1000: `demand_price_kind` null). Such a figure is either the exact cost
 * of the unit or the dual of the balance and shipped rows, which is what runs kept before
 * prices were solved for; that dual leaves out the lost sales' bound, which moves with the
 * demand. Worked by hand on a two-month company, solved by the real HiGHS through the
 * planning service; the older rows are written here as such a run kept them.
 *
 * FAM-C sells at $8 and costs $10 to make (LINE-C, 100 h, 1 h a unit), $2 a month held, $6 on
 * backlog; demand 60, 70. Every unit is given up, a lost sale at its $8 price, for
 * 130 × $8 = $1,040: making one costs more than losing it. One more unit demanded in either
 * month is one more sale lost: exactly $8, whatever the dual said. HiGHS's dual for February
 * was $10 (what making one costs: the lost sales sit at their upper bound, the demand, with a
 * reduced cost of −$2 that the old figure left out), and an older run kept that $10. "At least
 * $10" is false of a unit that costs $8: a figure at or above the lost sale says the unit is
 * that lost sale. A figure below it is still the bound it was ("at least").
 *
 * FAM-D on LINE-D (100 h), $40, $10 a unit, demand 100, 90: one more January unit is made on
 * February's spare hour and waits a month, $10 + $6 = $16 (below its $40 sale).
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainQuestion } from '../../src/services/explain.js';
import { runPlan } from '../../src/services/planning.js';
import { getSettings } from '../../src/services/settings.js';
import { explainPlainText } from '../../src/slack/presenters/explain.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertCycle, useDb } from '../helpers/db.js';

describe('an older run’s "one more unit demanded", as explain reads it', () => {
  const t = useDb();
  const ids: Record<string, number> = {};

  /** `sopbot explain <question>`'s text (the Slack answer without its length cuts). */
  const text = async (question: string): Promise<string> =>
    explainPlainText(await explainQuestion(t.db, question));

  beforeAll(async () => {
    const db = t.db;
    await getSettings(db);
    await db
      .updateTable('workspace_settings')
      .set({ horizon_months: 2, frozen_months: 0 })
      .execute();
    const fams = await db
      .insertInto('families')
      .values(
        [
          ['FAM-C', 8],
          ['FAM-D', 40],
        ].map(([code, price]) => ({
          code: String(code),
          name: String(code),
          price: Number(price),
          unit_cost: 10,
          holding_cost: 2,
          backlog_cost: 6,
          subcontract_cost: null,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    const lines = await db
      .insertInto('resources')
      .values(
        ['LINE-C', 'LINE-D'].map((code) => ({
          code,
          name: code,
          kind: 'line' as const,
          unit: 'h',
          regular_capacity: 100,
          overtime_limit: 0,
          overtime_cost: 0,
        })),
      )
      .returning('id')
      .execute();
    for (const f of fams) ids[f.code] = f.id;
    await db
      .insertInto('resource_loads')
      .values(
        fams.map((f, i) => ({ family_id: f.id, resource_id: lines[i]!.id, load_per_unit: 1 })),
      )
      .execute();
    const cycleId = await insertCycle(db, { month: '2027-01', phase: 'supply_review' });
    const demand: Record<string, number[]> = { 'FAM-C': [60, 70], 'FAM-D': [100, 90] };
    await db
      .insertInto('baseline_forecasts')
      .values(
        fams.flatMap((f) =>
          (demand[f.code] ?? []).map((value, i) => ({
            cycle_id: cycleId,
            family_id: f.id,
            period: `2027-0${i + 1}`,
            value,
            naive: value,
          })),
        ),
      )
      .execute();
    await runPlan(db, await createHighsSolver(), {
      cycleId,
      runKey: 'older-prices',
      trigger: 'test',
      requestedBy: null,
    });
  });

  it('this run’s prices: FAM-C’s units are lost sales at $8, FAM-D’s January unit is served for $16', async () => {
    const c = await explainQuestion(t.db, 'FAM-C 2027-01..2027-02');
    if (c.kind !== 'family') throw new Error(c.kind);
    expect(c.months.map((m) => m.plan?.supply.lost)).toEqual([60, 70]);
    expect(c.months.map((m) => [m.plan?.marginalCost, m.plan?.marginalCostKind])).toEqual([
      [8, 'lost'],
      [8, 'lost'],
    ]);
    expect(await text('FAM-D 2027-01')).toContain('One more unit demanded would cost $16.00.');
  });

  it('an older figure above the lost sale is that lost sale; one below it stays "at least"', async () => {
    // The rows as a run stored before the kind was kept: no kind, FAM-C's February at the
    // dual ($10), its January and FAM-D's January at their exact figures ($8, $16).
    await t.db.transaction().execute(async (trx) => {
      await sql`alter table plan_family_duals disable trigger plan_family_duals_immutable`.execute(
        trx,
      );
      const older = (family: string, period: string, price: number) =>
        trx
          .updateTable('plan_family_duals')
          .set({ demand_price: price, demand_price_kind: null })
          .where('family_id', '=', ids[family]!)
          .where('period', '=', period)
          .execute();
      await older('FAM-C', '2027-01', 8);
      await older('FAM-C', '2027-02', 10);
      await older('FAM-D', '2027-01', 16);
      await sql`alter table plan_family_duals enable trigger plan_family_duals_immutable`.execute(
        trx,
      );
    });
    const lost =
      'One more unit demanded would cost $8.00, a lost sale: serving it would cost no less.';
    const feb = await text('FAM-C 2027-02');
    expect(feb).toContain(lost);
    expect(feb).not.toContain('$10.00');
    // At the lost sale's own figure, it is that lost sale too (it could cost no more).
    expect(await text('FAM-C 2027-01')).toContain(lost);
    expect(await text('FAM-D 2027-01')).toContain(
      'One more unit demanded would cost at least $16.00 (stored before exact prices were marked).',
    );
  });
});
