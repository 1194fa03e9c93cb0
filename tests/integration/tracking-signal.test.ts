/**
 * The review's tracking signals from the stored lag-1 snapshots and sales (loopOf), against
 * Postgres: figures by hand.
 */
import { describe, expect, it } from 'vitest';
import { loopOf } from '../../src/services/review-post.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { insertFamilies } from './meeting-fixture.js';

const t = useDb();

describe('tracking signal in the review', () => {
  it('flags the family whose lag-1 consensus erred the same way for six months', async () => {
    const { fam1, fam2 } = await insertFamilies(t.db);
    // Cycles 2026-06..2026-11, each with its lag-1 forecast of the next month (100 for both).
    const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
    const next = ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];
    for (const [i, month] of months.entries()) {
      const id = await insertCycle(t.db, {
        month,
        phase: 'closed',
        closed_at: new Date(`${next[i]}-01T00:00:00Z`),
      });
      await t.db
        .insertInto('forecast_snapshots')
        .values(
          [fam1, fam2].map((family_id) => ({
            cycle_id: id,
            family_id,
            period: next[i]!,
            lag: 1,
            naive: 100,
            baseline: 100,
            consensus: 100,
          })),
        )
        .execute();
    }
    // FAM-1 sold 110, 120, … : A − F 10, 20, 10, 20, 10, 20, Σ 90, MAD 15: +6.0.
    // FAM-2 sold 110, 90, … : Σ 0: 0.
    await t.db
      .insertInto('sales_history')
      .values(
        next.flatMap((period, i) => [
          { family_id: fam1, period, units: i % 2 ? 120 : 110 },
          { family_id: fam2, period, units: i % 2 ? 90 : 110 },
        ]),
      )
      .execute();
    const cycleId = await insertCycle(t.db, { month: '2027-01', phase: 'data_gathering' });
    const cycle = await t.db
      .selectFrom('cycles')
      .selectAll()
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow();
    const loop = await loopOf(t.db, cycle, new Date('2027-01-04T09:00:00Z'));
    expect(loop.tracking.judged).toBe(2);
    expect(loop.tracking.outside).toHaveLength(1);
    expect(loop.tracking.outside[0]).toMatchObject({ family: 'FAM-1', months: 6 });
    expect(loop.tracking.outside[0]?.signal).toBeCloseTo(6, 12);
  });
});
