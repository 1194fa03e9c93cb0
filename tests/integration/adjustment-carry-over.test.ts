/**
 * Forecast adjustments carry over to the next cycle (src/services/carry-over.ts), against
 * Postgres: what is copied, what stays behind, and that a carried adjustment moves the new
 * cycle's consensus but is not the new cycle's input.
 */
import { describe, expect, it } from 'vitest';
import { submissionCountOf, submissionsOf } from '../../db/queries/adjustments.js';
import { cycleAdjustments, repsOwingInput } from '../../db/queries/cycle-inputs.js';
import type { JobQueue } from '../../jobs/contracts.js';
import { computeConsensus } from '../../src/core/consensus.js';
import { familyCoveringRoles } from '../../src/core/policy.js';
import { carryAdjustments } from '../../src/services/carry-over.js';
import { type CycleDeps, startCycle } from '../../src/services/cycles.js';
import { whatChanged } from '../../src/services/follow-through.js';
import { carriedAdjustmentsLine } from '../../src/services/pack-loop.js';
import { getSettings } from '../../src/services/settings.js';
import { auditEntries, insertMembers, useDb } from '../helpers/db.js';
import { insertFamilies } from './meeting-fixture.js';

const t = useDb();
const queue: JobQueue = { enqueue: async (name) => `${name}-x` };
const deps = (iso: string): CycleDeps => ({
  db: t.db,
  queue,
  clock: { now: () => new Date(iso) },
});
const REP = 'U_RITA';
const PLANNER = 'U_PAT';

describe('carrying adjustments into the next cycle', () => {
  it('copies what still counted for months ahead, and nothing else', async () => {
    const { fam1, fam2 } = await insertFamilies(t.db);
    await insertMembers(t.db, { [REP]: 'sales', [PLANNER]: 'planner' });
    await t.db
      .insertInto('member_families')
      .values([fam1, fam2].map((family_id) => ({ slack_user_id: REP, family_id })))
      .execute();

    const first = await startCycle(deps('2027-01-04T09:00:00Z'), PLANNER, '2027-01');
    let n = 0;
    const adj = (
      family: number,
      period: string,
      author: string,
      kind: 'set' | 'delta_units' | 'delta_pct',
      value: number,
      extra: { status?: 'accepted' | 'flagged' | 'withdrawn'; minute?: number } = {},
    ) => ({
      cycle_id: first.id,
      family_id: family,
      period,
      author,
      author_role: author === REP ? ('sales' as const) : ('planner' as const),
      kind,
      value,
      reason_code: 'promotion',
      comment: `row ${++n}`,
      status: extra.status ?? ('accepted' as const),
      zone: 'liquid' as const,
      source: 'command' as const,
      request_key: `first-${n}`,
      created_at: new Date(Date.UTC(2027, 0, 5, 10, extra.minute ?? n)),
    });
    const rows = await t.db
      .insertInto('forecast_adjustments')
      .values([
        adj(fam1, '2027-05', REP, 'delta_pct', 15), // 1: carried
        adj(fam1, '2027-06', REP, 'delta_pct', 15), // 2: replaced by her own 3
        adj(fam1, '2027-06', REP, 'delta_pct', 5), // 3: carried
        adj(fam1, '2027-01', REP, 'delta_units', 50), // 4: January is past in February
        adj(fam2, '2027-04', REP, 'delta_pct', -10, { status: 'withdrawn' }), // 5: withdrawn
        adj(fam1, '2027-07', REP, 'delta_pct', 10), // 6: overridden in January; carried
        adj(fam1, '2027-07', PLANNER, 'set', 900), // 7: January's override stays with January
        adj(fam2, '2027-03', REP, 'delta_units', 40, { status: 'flagged' }), // 8: carried
        // 9: the planner's own +30, replaced by his own override 10: neither comes back.
        adj(fam2, '2027-08', PLANNER, 'delta_units', 30),
        adj(fam2, '2027-08', PLANNER, 'set', 500), // 10
      ])
      .returning(['id', 'comment', 'created_at'])
      .execute();
    const idOf = (comment: string) => rows.find((r) => r.comment === comment)!.id;
    await t.db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date('2027-01-29T17:00:00Z') })
      .where('id', '=', first.id)
      .execute();

    const second = await startCycle(deps('2027-02-01T09:00:00Z'), PLANNER, '2027-02');
    const carried = await t.db
      .selectFrom('forecast_adjustments')
      .selectAll()
      .where('cycle_id', '=', second.id)
      .orderBy('carried_from')
      .execute();
    expect(carried.map((r) => r.comment)).toEqual(['row 1', 'row 3', 'row 6', 'row 8']);
    expect(carried.map((r) => r.carried_from)).toEqual(
      ['row 1', 'row 3', 'row 6', 'row 8'].map(idOf),
    );
    expect(carried.every((r) => r.source === 'carried' && r.status === 'accepted')).toBe(true);
    // Their time is the original's, so the consensus takes them in the order people made them.
    expect(carried[0]?.created_at).toEqual(new Date(Date.UTC(2027, 0, 5, 10, 1)));
    // Default fences (frozen 2, slushy 4) seen from February: March frozen, May slushy.
    expect(carried.map((r) => [r.period, r.zone])).toEqual([
      ['2027-05', 'slushy'],
      ['2027-06', 'slushy'],
      ['2027-07', 'slushy'],
      ['2027-03', 'frozen'],
    ]);
    const audit = await auditEntries(t.db, 'cycle.start');
    expect(audit.at(-1)?.details).toMatchObject({ carriedAdjustments: 4, carriedFrom: '2027-01' });

    // The new cycle's consensus has them: May 1,000 × 1.15 = 1,150; July Rita's +10%, 1,100
    // (the planner's 900 was January's decision; the planner decides again in February).
    const codes = new Map([
      [fam1, 'FAM-1'],
      [fam2, 'FAM-2'],
    ]);
    const consensus = computeConsensus(
      [
        { family: 'FAM-1', period: '2027-05', value: 1000 },
        { family: 'FAM-1', period: '2027-07', value: 1000 },
      ],
      await cycleAdjustments(t.db, second.id, codes),
    );
    expect(consensus.find((l) => l.period === '2027-05')?.consensus).toBeCloseTo(1150, 9);
    expect(consensus.find((l) => l.period === '2027-07')?.consensus).toBeCloseTo(1100, 9);

    // But they are not Rita's input to February: she still owes both families.
    expect(await repsOwingInput(t.db, second.id, familyCoveringRoles())).toEqual([
      { userId: REP, families: ['FAM-1', 'FAM-2'] },
    ]);
    expect(await submissionsOf(t.db, second.id, REP)).toEqual([]);
    expect(await submissionCountOf(t.db, second.id, REP)).toBe(0);

    // Carrying again (a retried start) writes nothing new.
    const again = await carryAdjustments(t.db, second, first, await getSettings(t.db));
    expect(again).toEqual([]);
  });
});

describe('the carried adjustments question 1 and the review list', () => {
  const u = useDb();
  const depsU = (iso: string): CycleDeps => ({
    db: u.db,
    queue,
    clock: { now: () => new Date(iso) },
  });

  it('names the cycle each was entered in, two cycles back for one carried twice', async () => {
    const { fam1, fam2 } = await insertFamilies(u.db);
    await insertMembers(u.db, { [REP]: 'sales', [PLANNER]: 'planner' });
    let n = 0;
    const adj = (
      cycleId: number,
      family: number,
      period: string,
      reason: string,
      value: number,
    ) => ({
      cycle_id: cycleId,
      family_id: family,
      period,
      author: REP,
      author_role: 'sales' as const,
      kind: 'delta_pct' as const,
      value,
      reason_code: reason,
      comment: null,
      status: 'accepted' as const,
      zone: 'liquid' as const,
      source: 'command' as const,
      request_key: `entered-${++n}`,
      created_at: new Date(Date.UTC(2027, 0, 5, 10, n)),
    });
    const close = (id: number, at: string) =>
      u.db
        .updateTable('cycles')
        .set({ phase: 'closed', closed_at: new Date(at) })
        .where('id', '=', id)
        .execute();
    // January: Rita's promotion on FAM-1, May to July. February: her lost customer on FAM-2
    // in June. Nobody adjusts anything in March's cycle before its pack.
    const jan = await startCycle(depsU('2027-01-04T09:00:00Z'), PLANNER, '2027-01');
    await u.db
      .insertInto('forecast_adjustments')
      .values(['2027-05', '2027-06', '2027-07'].map((p) => adj(jan.id, fam1, p, 'promotion', 15)))
      .execute();
    await close(jan.id, '2027-01-29T17:00:00Z');
    const feb = await startCycle(depsU('2027-02-01T09:00:00Z'), PLANNER, '2027-02');
    await u.db
      .insertInto('forecast_adjustments')
      .values(adj(feb.id, fam2, '2027-06', 'lost_customer', -10))
      .execute();
    await close(feb.id, '2027-02-26T17:00:00Z');
    const mar = await startCycle(depsU('2027-03-01T09:00:00Z'), PLANNER, '2027-03');

    const cycles = await u.db
      .selectFrom('cycles')
      .selectAll()
      .where('id', 'in', [feb.id, mar.id])
      .orderBy('month')
      .execute();
    const changed = await whatChanged(u.db, cycles[1]!, cycles[0]!, '2027-03-01', 'UTC');
    // March holds 3 + 1 carried months. The promotion came through February, but was entered
    // in January: "carried from 2027-02" would say someone adjusted in February.
    expect(carriedAdjustmentsLine(changed, (id) => (id === REP ? 'Rita' : id))).toBe(
      'Forecast adjustments carried into this cycle for months still ahead: 4 (FAM-1 2027-05–2027-07 promotion, entered in 2027-01 by Rita; FAM-2 2027-06 lost customer, entered in 2027-02 by Rita); each counts until its author adjusts that month again.',
    );
  });
});
