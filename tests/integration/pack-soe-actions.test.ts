/**
 * Question 10 of a cycle's pack lists the open actions weekly S&OE raised in that cycle, since
 * the last meeting, beside those of earlier cycles. S&OE files a deviation's action under the
 * latest cycle, and question 10 read only earlier cycles': a supplier's delay raised on
 * 3 February and overdue on the 10th first appeared in March's pack, a meeting late. A break of
 * the frozen plan is disposed of in question 6, but its owner's action stays open work:
 * question 10 lists it too, as it lists an earlier cycle's (pack-cycle-actions.test.ts).
 *
 * Hand-built: January's cycle closed on 28 January; February's is in its executive phase, its
 * pack built on 20 February.
 *   J  January's S&OE action, open, due 2027-03-01        → listed "(from 2027-01)"
 *   S  February's, a deviation, open, due 2027-02-10       → listed OVERDUE, "S&OE, since the last meeting"
 *   T  February's, no deviation linked, open, due 03-05    → listed, open
 *   D  February's, done                                    → not listed
 *   B  February's, a frozen-zone break, open, due 02-15    → question 6, and listed OVERDUE
 * Listed by due date: S (02-10), B (02-15), J (03-01), T (03-05); each once. Question 1 counts
 * them: January's J open; February's S&OE S and B overdue, T open, D done (on 02-05, due
 * 02-12: early). J was raised on 30 January, after January's meeting: January's pack built
 * again on 20 February does not list it as its own S&OE's since the last meeting (it is
 * February's to follow up).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();
const PACK_DAY = new Date('2027-02-20T10:00:00Z');
const ids: Record<string, string> = {};
let md: string;
let janQ10: string;

async function action(
  name: string,
  cycleId: number,
  due: string,
  opts: { deviation?: 'plain' | 'break'; done?: boolean } = {},
) {
  const a = await insertDeviationAction(t.db, {
    cycleId,
    description: `Action ${name}`,
    owner: 'U_OTTO',
    dueDate: due,
    createdBy: 'U_OTTO',
    requestKey: `deviation:${name}`,
  });
  ids[name] = a.id;
  if (opts.deviation) {
    const d = await insertDeviation(t.db, {
      dedupeKey: `reported:${name}`,
      kind: 'reported',
      week: '2027-02-01',
      familyId: null,
      resourceId: null,
      actual: null,
      expected: null,
      summary: `Deviation ${name}`,
      comment: null,
      reportedBy: 'U_OTTO',
      frozenBreak: opts.deviation === 'break',
      createdAt: new Date('2027-02-03T10:00:00Z'),
    });
    await linkAction(t.db, d!, a.id);
  }
  if (opts.done)
    await t.db
      .updateTable('actions')
      .set({ status: 'done', done_at: new Date('2027-02-05T10:00:00Z'), done_by: 'U_OTTO' })
      .where('id', '=', a.id)
      .execute();
}

beforeAll(async () => {
  const jan = await insertCycle(t.db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-28T17:00:00Z'),
  });
  const feb = await insertCycle(t.db, { month: '2027-02', phase: 'executive' });
  await action('J', jan, '2027-03-01');
  await t.db
    .updateTable('actions')
    .set({ created_at: new Date('2027-01-30T09:00:00Z') })
    .where('id', '=', ids.J!)
    .execute();
  await action('S', feb, '2027-02-10', { deviation: 'plain' });
  await action('T', feb, '2027-03-05');
  await action('D', feb, '2027-02-12', { deviation: 'plain', done: true });
  await action('B', feb, '2027-02-15', { deviation: 'break' });
  md = packMarkdown(await buildPack(t.db, '2027-02', PACK_DAY));
  const janMd = packMarkdown(await buildPack(t.db, '2027-01', PACK_DAY));
  janQ10 = janMd.slice(janMd.indexOf('## 10. '));
});

const section = (n: number) => {
  const from = md.indexOf(`## ${n}. `);
  const to = md.indexOf('\n## ', from + 1);
  return md.slice(from, to === -1 ? undefined : to);
};

describe("a pack's follow-up actions", () => {
  it("list S&OE's open actions of this cycle beside earlier cycles', each once, by due date", () => {
    const listed = section(10)
      .split('\n')
      .filter((l) => /^- (OVERDUE )?#\d+ /.test(l));
    expect(listed).toEqual([
      `- OVERDUE #${ids.S} U_OTTO due 2027-02-10 (S&OE, since the last meeting): Action S.`,
      `- OVERDUE #${ids.B} U_OTTO due 2027-02-15 (S&OE, since the last meeting): Action B.`,
      `- #${ids.J} U_OTTO due 2027-03-01 (from 2027-01): Action J.`,
      `- #${ids.T} U_OTTO due 2027-03-05 (S&OE, since the last meeting): Action T.`,
    ]);
  });

  it("are counted in question 1, this cycle's S&OE apart from earlier cycles'", () => {
    expect(section(1)).toContain(
      '- Actions of earlier cycles: 0 done, 0 overdue, 1 open, 0 dropped.',
    );
    expect(section(1)).toContain(
      '- Actions S&OE raised since the last meeting: 1 done (1 early), 2 overdue, 1 open, 0 dropped.',
    );
  });

  it("list the frozen-zone break's action in question 10, the break in question 6", () => {
    expect(section(10).match(/Action B/g)).toHaveLength(1);
    expect(section(6)).toContain('Deviation B; owner U_OTTO, due 2027-02-15, overdue.');
  });
});

describe("a closed cycle's pack built again later", () => {
  it('leaves out the S&OE action filed under it after its meeting, and the next cycle’s', () => {
    expect(janQ10).not.toContain('Action J');
    expect(janQ10).not.toContain('Action S');
    expect(janQ10).toContain('No open action from earlier cycles, S&OE or Slack messages.');
  });
});
