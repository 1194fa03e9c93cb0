/**
 * The review's and the pack's constraints are counted and named by constraint, as
 * `/sop constraints` lists them: the months of one request are one constraint. Before, they
 * were counted a month at a time: in the second month of use, with LINE-2 cut for 2027-03 to
 * 2027-06 and LINE-1 for 2027-02, the review said "5 still open from earlier cycles" while
 * `/sop constraints` said 2, and the pack listed LINE-2 four times.
 *
 * Hand-built. January's cycle (closed 28 January) entered three constraints:
 *   A  LINE-2 2027-03..2027-06 −30% maintenance      4 months, still open
 *   B  LINE-1 2027-02 −20% breakdown                  1 month, still open
 *   C  SUP-1 2027-03..2027-04 −40% supplier           2 months, resolved 3 February
 * February's cycle (open) entered one:
 *   D  LINE-1 2027-04..2027-05 −10% staffing          2 months, open
 * February's "what changed": 1 new (D), 1 resolved (C), 2 still open from earlier (A, B);
 * /sop constraints: 3 open (A, B, D). Month by month it was 2 new, 2 resolved, 5 still open.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { listConstraints } from '../../src/services/constraints.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();

async function constraint(
  key: string,
  cycleId: number,
  resourceId: number,
  months: string[],
  value: number,
  reason: string,
  resolvedAt: Date | null = null,
) {
  await t.db
    .insertInto('capacity_updates')
    .values(
      months.map((period) => ({
        cycle_id: cycleId,
        resource_id: resourceId,
        period,
        kind: 'delta_pct' as const,
        value,
        reason_code: reason,
        is_constraint: true,
        author: 'U_OTTO',
        source: 'command',
        request_key: key,
        ...(resolvedAt
          ? { status: 'resolved' as const, resolved_at: resolvedAt, resolved_by: 'U_OTTO' }
          : {}),
      })),
    )
    .execute();
}

beforeAll(async () => {
  const res = await t.db
    .insertInto('resources')
    .values(
      ['LINE-1', 'LINE-2', 'SUP-1'].map((code) => ({
        code,
        name: code,
        kind: code.startsWith('SUP') ? 'supplier' : 'line',
        regular_capacity: 1000,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  const id = (code: string) => res.find((r) => r.code === code)!.id;
  const jan = await insertCycle(t.db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-28T17:00:00Z'),
  });
  const feb = await insertCycle(t.db, { month: '2027-02', phase: 'executive' });
  const months = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `2027-${String(from + i).padStart(2, '0')}`);
  await constraint('A', jan, id('LINE-2'), months(3, 6), -30, 'maintenance');
  await constraint('B', jan, id('LINE-1'), months(2, 2), -20, 'breakdown');
  await constraint(
    'C',
    jan,
    id('SUP-1'),
    months(3, 4),
    -40,
    'supplier',
    new Date('2027-02-03T09:00:00Z'),
  );
  await constraint('D', feb, id('LINE-1'), months(4, 5), -10, 'staffing');
});

describe("February's constraints", () => {
  it('are counted and named one per constraint, as /sop constraints lists them', async () => {
    const listed = await listConstraints(t.db);
    expect(listed.entries.map((e) => `${e.code} ${e.months.join(',')}`).sort()).toEqual([
      'LINE-1 2027-02',
      'LINE-1 2027-04,2027-05',
      'LINE-2 2027-03,2027-04,2027-05,2027-06',
    ]);
    const md = packMarkdown(await buildPack(t.db, '2027-02', new Date('2027-02-22T15:00:00Z')));
    const section = (n: number) => md.slice(md.indexOf(`## ${n}. `), md.indexOf(`## ${n + 1}. `));
    // Question 1: D is new, C resolved since January closed, A and B still open: 3 = listed.
    expect(section(1)).toContain(
      '- Constraints: 1 new (LINE-1 2027-04–2027-05 (staffing)), 1 resolved (SUP-1 2027-03–2027-04 (supplier)), 2 still open from earlier cycles.',
    );
    // Question 5: one line per open constraint, by its first month.
    expect(
      section(5)
        .split('\n')
        .filter((l) => l.includes(' constraint: ')),
    ).toEqual([
      "- Known constraint: LINE-1 2027-02 (breakdown), entered in 2027-01's cycle.",
      "- Known constraint: LINE-2 2027-03–2027-06 (maintenance), entered in 2027-01's cycle.",
      '- NEW constraint: LINE-1 2027-04–2027-05 (staffing).',
    ]);
  });
});
