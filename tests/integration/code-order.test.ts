/**
 * One order for codes: `inCodeOrder` (SQL, db/queries/shared.ts) lists codes as `compareCodes`
 * (src/core/text.ts) does, and both as written by hand here: digits as numbers, case not
 * counted (the lower-case one first when only case differs), `_` before `-` before `.` before
 * digits before letters.
 */
import { describe, expect, it } from 'vitest';
import { activeFamilies } from '../../db/queries/adjustments.js';
import { activeResources } from '../../db/queries/capacity.js';
import { compareCodes } from '../../src/core/text.js';
import { assignFamilies } from '../../src/services/members.js';
import { useDb } from '../helpers/db.js';

// Written by hand, in the order a reader counts them.
const FAMILIES_IN_ORDER = [
  'A',
  'A_B',
  'A-0',
  'A-2.5',
  'A-2.10',
  'A-B',
  'A.B',
  'A1',
  'AB',
  'FAM-1',
  'Fam-2',
  'FAM-2',
  'FAM-2X',
  'fam-3',
  'FAM-9',
  'FAM-10',
  'FAM-10X',
  'FAM-11',
  'FAM-100',
  'LINE-10',
  'LINE-A',
  'X',
];
const RESOURCES_IN_ORDER = ['LINE-1', 'LINE-2', 'LINE-10', 'line-11', 'LINE-A', 'SUP-3', 'X'];
// Postgres holds no two codes that differ only in case (`families_code_any_case`): the stored
// list leaves out `Fam-2`, whose place beside `FAM-2` only compareCodes is asked about.
const STORED_FAMILIES_IN_ORDER = FAMILIES_IN_ORDER.filter((code) => code !== 'Fam-2');

/** `inOrder` shuffled the same way every run (reversed, then every other one moved to the end). */
const shuffled = (inOrder: readonly string[]): string[] => {
  const r = [...inOrder].reverse();
  return [...r.filter((_, i) => i % 2 === 0), ...r.filter((_, i) => i % 2 === 1)];
};

describe('codes in one order, in SQL and in TypeScript', () => {
  const t = useDb();

  it('compareCodes sorts the hand-written list into its order', () => {
    expect(shuffled(FAMILIES_IN_ORDER).sort(compareCodes)).toEqual(FAMILIES_IN_ORDER);
    expect(shuffled(RESOURCES_IN_ORDER).sort(compareCodes)).toEqual(RESOURCES_IN_ORDER);
  });

  it('the queries list families and resources in the same order (not FAM-10 before FAM-2)', async () => {
    const { db } = t;
    await db
      .insertInto('families')
      .values(
        shuffled(STORED_FAMILIES_IN_ORDER).map((code) => ({
          code,
          name: code,
          price: 10,
          unit_cost: 5,
          holding_cost: 1,
          backlog_cost: 2,
        })),
      )
      .execute();
    await db
      .insertInto('resources')
      .values(
        shuffled(RESOURCES_IN_ORDER).map((code) => ({
          code,
          name: code,
          kind: 'line' as const,
          regular_capacity: 100,
        })),
      )
      .execute();
    expect((await activeFamilies(db)).map((f) => f.code)).toEqual(STORED_FAMILIES_IN_ORDER);
    expect((await activeResources(db)).map((r) => r.code)).toEqual(RESOURCES_IN_ORDER);

    // `/sop families` answers, and audits, the families it assigned in that order too.
    await db
      .insertInto('members')
      .values({ slack_user_id: 'UREP00001', role: 'sales', display_name: 'Rep' })
      .execute();
    expect(
      await assignFamilies(db, 'UADMIN001', 'UREP00001', ['FAM-11', 'FAM-100', 'FAM-9']),
    ).toEqual(['FAM-9', 'FAM-11', 'FAM-100']);
    const entry = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'member.families')
      .executeTakeFirstOrThrow();
    expect(entry.details).toEqual({ families: ['FAM-9', 'FAM-11', 'FAM-100'] });
  });
});
