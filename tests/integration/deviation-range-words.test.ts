/**
 * S&OE sales deviations recorded before they named the forecast range said "P90" in their
 * summary, which the pack quotes to executives and their actions' reminders repeat under
 * "Sales above range". The migration 20261210T0900-deviation-range-words rewrites those
 * sentences of sopbot's in today's words with the same figures, and an action's description
 * only where it is still the summary word for word. Against Postgres; expected sentences
 * written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { up } from '../../db/migrations/20261210T0900-deviation-range-words.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();

async function deviation(key: string, kind: string, summary: string, description: string) {
  const cycleId =
    (await t.db.selectFrom('cycles').select('id').executeTakeFirst())?.id ??
    (await insertCycle(t.db, { month: '2027-02', phase: 'executive' }));
  const action = await t.db
    .insertInto('actions')
    .values({
      cycle_id: cycleId,
      description,
      owner: 'U_RITA',
      due_date: '2027-02-10',
      created_by: 'sopbot',
      created_at: new Date('2027-02-08T09:00:00Z'),
      request_key: `deviation:${key}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('deviations')
    .values({
      dedupe_key: key,
      kind: kind as 'sales_above_p90',
      week: '2027-02-01',
      actual: 150,
      expected: 140,
      summary,
      action_id: action.id,
      created_at: new Date('2027-02-08T09:00:00Z'),
    })
    .execute();
}

const stored = async () =>
  (
    await t.db
      .selectFrom('deviations')
      .innerJoin('actions', 'actions.id', 'deviations.action_id')
      .select(['deviations.dedupe_key as key', 'deviations.summary', 'actions.description'])
      .orderBy('deviations.dedupe_key')
      .execute()
  ).map((r) => [r.key, r.summary, r.description]);

describe('deviation summaries in the old words', () => {
  it('are rewritten with their figures; other text is left as it is', async () => {
    const weekP90 = "FAM-1 sold 150 in the week of 2027-02-01, above the week's P90 140 (+7.1%)";
    const share =
      'FAM-2 sold 1,250.5 in the week of 2027-02-01, above its P90 share 1,100 (+13.7%)';
    const current =
      'FAM-3 sold 150 in the week of 2027-02-01, above 140, the top of its forecast range (+7.1%)';
    const production =
      'FAM-1 produced 80 in the week of 2027-02-01, −20.0% against its planned 100';
    await deviation('a', 'sales_above_p90', weekP90, weekP90);
    // An action whose description someone else wrote keeps it, "P90" and all.
    await deviation('b', 'sales_above_p90', share, 'Check the P90 of FAM-2 with Rita');
    await deviation('c', 'sales_above_p90', current, current);
    await deviation('d', 'production_below_plan', production, production);
    await up(t.db);
    const a =
      'FAM-1 sold 150 in the week of 2027-02-01, above 140, the top of its forecast range (+7.1%)';
    const b =
      'FAM-2 sold 1,250.5 in the week of 2027-02-01, above 1,100, the top of its forecast range (+13.7%)';
    const after = [
      ['a', a, a],
      ['b', b, 'Check the P90 of FAM-2 with Rita'],
      ['c', current, current],
      ['d', production, production],
    ];
    expect(await stored()).toEqual(after);
    // Run again (a restore replayed): nothing more changes.
    await up(t.db);
    expect(await stored()).toEqual(after);
  });
});
