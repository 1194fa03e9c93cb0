/**
 * A plan run reads the production actuals of the months whose bills are still open when it
 * begins, not every row of production and weekly actuals there is: the months the DPO
 * reaches back to, and the weeks whose days reach into them (billRange), with the families
 * still producing, those with production actuals in the 12 months before the first of them
 * or in them (each of which a month needs for its bill to be known, productionCost). A family
 * last made long ago (paused, selling off its stock) makes no bill, and does not leave every
 * month's bill unknown for good.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { productionActuals } from '../../db/queries/execution.js';
import { billRange, productionByMonth } from '../../src/core/execution.js';
import { productionCost } from '../../src/core/finance.js';
import { useDb } from '../helpers/db.js';

const t = useDb();

beforeAll(async () => {
  const fam = async (code: string, active = true) =>
    (
      await t.db
        .insertInto('families')
        .values({
          code,
          name: code,
          price: 50,
          unit_cost: 20,
          holding_cost: 1,
          backlog_cost: 100,
          subcontract_cost: null,
          active,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const a = await fam('FAM-A');
  const b = await fam('FAM-B');
  const c = await fam('FAM-C');
  const gone = await fam('FAM-GONE', false);
  const d = await fam('FAM-D');
  const e = await fam('FAM-E');
  const w = await fam('FAM-W');
  const x = await fam('FAM-X');
  await t.db
    .insertInto('production_actuals')
    .values([
      { family_id: a, period: '2025-06', units: 1 },
      { family_id: a, period: '2026-11', units: 2 },
      { family_id: a, period: '2026-12', units: 3 },
      { family_id: a, period: '2027-01', units: 4 },
      // FAM-B made things long ago only; FAM-GONE is no longer planned.
      { family_id: b, period: '2024-01', units: 5 },
      { family_id: gone, period: '2026-12', units: 6 },
      // FAM-D last made in December 2025, the first of the 12 months before December 2026:
      // still producing. FAM-E last made in November 2025, the month before them: paused.
      { family_id: d, period: '2025-12', units: 7 },
      { family_id: e, period: '2025-11', units: 8 },
    ])
    .execute();
  await t.db
    .insertInto('weekly_actuals')
    .values([
      // 23 to 29 November: no day in December.
      { family_id: a, week: '2026-11-23', kind: 'production', units: 10 },
      // 30 November to 6 December, and 28 December to 3 January: days in December.
      { family_id: a, week: '2026-11-30', kind: 'production', units: 11 },
      { family_id: a, week: '2026-12-14', kind: 'production', units: 12 },
      { family_id: a, week: '2026-12-28', kind: 'production', units: 13 },
      // 4 to 10 January: none.
      { family_id: a, week: '2027-01-04', kind: 'production', units: 14 },
      // FAM-C sold in December, made nothing: sales are not production.
      { family_id: c, week: '2026-12-07', kind: 'sales', units: 15 },
      // FAM-W made things in the week of Monday 1 December 2025 (its first in those months),
      // FAM-X in the week before (24 to 30 November 2025) only.
      { family_id: w, week: '2025-12-01', kind: 'production', units: 16 },
      { family_id: x, week: '2025-11-24', kind: 'production', units: 17 },
    ])
    .execute();
});

describe('the production actuals a plan run reads', () => {
  it('are those of the months the DPO reaches back to and the weeks that reach into them', async () => {
    // A plan from 2027-01 on 30 days: December's bills. Its weeks: the one of Tuesday 1
    // December (Monday 30 November) to the one of Thursday 31 December (Monday 28 December).
    // Still producing: made from December 2025 (Monday 1 December 2025) to December 2026.
    const range = billRange('2027-01', 30);
    expect(range).toEqual({
      bills: {
        months: { from: '2026-12', to: '2026-12' },
        weeks: { from: '2026-11-30', to: '2026-12-28' },
      },
      recent: {
        months: { from: '2025-12', to: '2026-12' },
        weeks: { from: '2025-12-01', to: '2026-12-28' },
      },
    });
    // 45 days: November and December. 1 November 2026 is a Sunday: its week began on 26
    // October; 1 November 2025 a Saturday: 27 October 2025.
    expect(billRange('2027-01', 45)).toEqual({
      bills: {
        months: { from: '2026-11', to: '2026-12' },
        weeks: { from: '2026-10-26', to: '2026-12-28' },
      },
      recent: {
        months: { from: '2025-11', to: '2026-12' },
        weeks: { from: '2025-10-27', to: '2026-12-28' },
      },
    });
    // Payment on delivery: no month's bill is open, nothing to read.
    expect(billRange('2027-01', 0)).toBeNull();
    const got = await productionActuals(t.db, range!);
    expect(got.monthly).toEqual([{ family: 'FAM-A', period: '2026-12', units: 3 }]);
    expect([...got.weekly].sort((x, y) => (x.week < y.week ? -1 : 1))).toEqual([
      { family: 'FAM-A', week: '2026-11-30', units: 11 },
      { family: 'FAM-A', week: '2026-12-14', units: 12 },
      { family: 'FAM-A', week: '2026-12-28', units: 13 },
    ]);
    // Still producing: FAM-A (December 2026), FAM-D (December 2025), FAM-W (the week of 1
    // December 2025). FAM-B (January 2024), FAM-E (November 2025) and FAM-X (the week of 24
    // November 2025) are not; FAM-C only sold; FAM-GONE is not one of the plan's families.
    expect(got.families).toEqual(['FAM-A', 'FAM-D', 'FAM-W']);
  });

  it('a family that stopped producing long ago does not leave the bills unknown', async () => {
    // A plan from 2027-01 on 30 days, December's bill, with FAM-A's and FAM-B's actuals only
    // (FAM-B last made in January 2024): FAM-A's 3 units at its unit cost of 20 = 60.
    const got = await productionActuals(t.db, billRange('2027-01', 30)!);
    const onlyAB = got.families.filter((f) => f === 'FAM-A' || f === 'FAM-B');
    const made = productionByMonth(got.monthly, got.weekly, onlyAB);
    const families = [
      { code: 'FAM-A', unitCost: 20 },
      { code: 'FAM-B', unitCost: 20 },
    ];
    expect(productionCost(made.rows, families, [], ['2026-12'], made.families)).toEqual([60]);
  });
});
