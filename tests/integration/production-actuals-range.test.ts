/**
 * A plan run reads the production actuals of the months whose bills are still open when it
 * begins, not every row of production and weekly actuals there is: the months the DPO
 * reaches back to, and the weeks whose days reach into them (weeksReaching), with the
 * families that have any production actuals at all (each of which a month needs for its
 * bill to be known, productionCost).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { productionActuals } from '../../db/queries/execution.js';
import { weeksReaching } from '../../src/core/execution.js';
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
    ])
    .execute();
});

describe('the production actuals a plan run reads', () => {
  it('are those of the months the DPO reaches back to and the weeks that reach into them', async () => {
    // A plan from 2027-01 on 15 days: December's bills. Its weeks: the one of Tuesday 1
    // December (Monday 30 November) to the one of Thursday 31 December (Monday 28 December).
    expect(weeksReaching('2026-12', '2026-12')).toEqual({ from: '2026-11-30', to: '2026-12-28' });
    // 45 days: November and December. 1 November 2026 is a Sunday: its week began on 26 October.
    expect(weeksReaching('2026-11', '2026-12')).toEqual({ from: '2026-10-26', to: '2026-12-28' });
    const got = await productionActuals(t.db, {
      months: { from: '2026-12', to: '2026-12' },
      weeks: weeksReaching('2026-12', '2026-12'),
    });
    expect(got.monthly).toEqual([{ family: 'FAM-A', period: '2026-12', units: 3 }]);
    expect([...got.weekly].sort((x, y) => (x.week < y.week ? -1 : 1))).toEqual([
      { family: 'FAM-A', week: '2026-11-30', units: 11 },
      { family: 'FAM-A', week: '2026-12-14', units: 12 },
      { family: 'FAM-A', week: '2026-12-28', units: 13 },
    ]);
    // FAM-B has production actuals, none of them December's: December lacks its row, so its
    // bill is not known. FAM-C has none; FAM-GONE is not one of the plan's families.
    expect(got.families).toEqual(['FAM-A', 'FAM-B']);
  });
});
