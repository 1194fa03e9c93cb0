/**
 * The pack's questions 1 and 10 name an action made from a Slack message ("Make an S&OP
 * action") as such, not as S&OE's: no decision set it and no deviation raised it, and a test
 * of "no decision, so S&OE's" filed it with weekly S&OE's actions.
 *
 * Hand-built: January's cycle closed on 28 January; February's is in its executive phase, its
 * pack built on 20 February.
 *   M  February's, made from a message by U_PAT, open, due 2027-02-25  → "made from a message by U_PAT, since the last meeting"
 *   N  February's, made from a message by U_PAT, done                  → not listed; counted done
 *   E  January's, made from a message by U_ROSA, open, due 2027-03-02  → "made from a message by U_ROSA, from 2027-01"
 *   S  February's, a deviation's (S&OE), open, due 2027-02-22          → "S&OE, since the last meeting"
 * Listed by due date: S (02-22), M (02-25), E (03-02). Question 1: earlier cycles' E open;
 * S&OE's S open; messages' M open, N done (on 02-15, due 02-18: early).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertMessageAction } from '../../db/queries/actions.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();
const PACK_DAY = new Date('2027-02-20T10:00:00Z');
const ids: Record<string, string> = {};
let md: string;

async function fromMessage(name: string, cycleId: number, due: string, by: string, at: string) {
  const a = await insertMessageAction(t.db, {
    cycleId,
    description: `Action ${name}`,
    owner: 'U_OTTO',
    dueDate: due,
    createdBy: by,
    createdAt: new Date(at),
    requestKey: `view:${name}`,
    sourceChannel: 'C_SUPPLY',
    sourceTs: `1770000000.00000${Object.keys(ids).length}`,
    sourceThreadTs: null,
  });
  ids[name] = a!.id;
}

beforeAll(async () => {
  const jan = await insertCycle(t.db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-28T17:00:00Z'),
  });
  const feb = await insertCycle(t.db, { month: '2027-02', phase: 'executive' });
  await fromMessage('M', feb, '2027-02-25', 'U_PAT', '2027-02-04T10:00:00Z');
  await fromMessage('N', feb, '2027-02-18', 'U_PAT', '2027-02-04T11:00:00Z');
  await t.db
    .updateTable('actions')
    .set({ status: 'done', done_at: new Date('2027-02-15T10:00:00Z'), done_by: 'U_OTTO' })
    .where('id', '=', ids.N!)
    .execute();
  await fromMessage('E', jan, '2027-03-02', 'U_ROSA', '2027-01-20T10:00:00Z');
  const s = await insertDeviationAction(t.db, {
    cycleId: feb,
    description: 'Action S',
    owner: 'U_OTTO',
    dueDate: '2027-02-22',
    createdBy: 'U_OTTO',
    requestKey: 'deviation:S',
  });
  ids.S = s.id;
  const d = await insertDeviation(t.db, {
    dedupeKey: 'reported:S',
    kind: 'reported',
    week: '2027-02-01',
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: 'Deviation S',
    comment: null,
    reportedBy: 'U_OTTO',
    frozenBreak: false,
    createdAt: new Date('2027-02-03T10:00:00Z'),
  });
  await linkAction(t.db, d!, s.id);
  md = packMarkdown(await buildPack(t.db, '2027-02', PACK_DAY));
});

const section = (n: number) => {
  const from = md.indexOf(`## ${n}. `);
  const to = md.indexOf('\n## ', from + 1);
  return md.slice(from, to === -1 ? undefined : to);
};

describe('actions made from a message in the pack', () => {
  it('are listed in question 10 as made from a message, by whom, each once, by due date', () => {
    const listed = section(10)
      .split('\n')
      .filter((l) => /^- (OVERDUE )?#\d+ /.test(l));
    expect(listed).toEqual([
      `- #${ids.S} U_OTTO due 2027-02-22 (S&OE, since the last meeting): Action S.`,
      `- #${ids.M} U_OTTO due 2027-02-25 (made from a message by U_PAT, since the last meeting): Action M.`,
      `- #${ids.E} U_OTTO due 2027-03-02 (made from a message by U_ROSA, from 2027-01): Action E.`,
    ]);
  });

  it("are counted in question 1 apart from S&OE's", () => {
    expect(section(1)).toContain(
      '- Actions of earlier cycles: 0 done, 0 overdue, 1 open, 0 dropped.',
    );
    expect(section(1)).toContain(
      '- Actions S&OE raised since the last meeting: 0 done, 0 overdue, 1 open, 0 dropped.',
    );
    expect(section(1)).toContain(
      '- Actions made from Slack messages since the last meeting: 1 done (1 early), 0 overdue, 1 open, 0 dropped.',
    );
  });
});
