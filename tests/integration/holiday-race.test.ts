/**
 * The same new day listed twice at once under two names: `sopbot import holidays` committing
 * "Christmas Day" for 2027-12-25 while an admin's `/sop cycle holidays add 2027-12-25 Xmas` is
 * under way (the one path both take, `listHoliday`). The second waits for the first and renames
 * the day it listed, so the audit log says so: `holiday.add` "Christmas Day", then
 * `holiday.rename` from "Christmas Day" to "Xmas", not two adds of the same day with the first
 * name lost. Against the shared Postgres, two transactions of the test's own.
 */

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listHoliday } from '../../db/queries/holidays.js';
import { useDb } from '../helpers/db.js';

const t = useDb();
const DAY = '2027-12-25';

describe('one new day listed by two at once', () => {
  it('the second renames what the first added, and the audit log says so', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let listedFirst!: () => void;
    const firstListed = new Promise<void>((resolve) => {
      listedFirst = resolve;
    });
    // The import's transaction lists the day, then holds its commit.
    const first = t.db.transaction().execute(async (trx) => {
      const out = await listHoliday(trx, { day: DAY, name: 'Christmas Day', by: 'cli:ops' });
      listedFirst();
      await held;
      return out;
    });
    await firstListed;
    // The admin's, meanwhile: it reaches the same day before the import has committed.
    const second = t.db
      .transaction()
      .execute((trx) => listHoliday(trx, { day: DAY, name: 'Xmas', by: 'U_ADMIN' }));
    // The second waits for the first's row (the day's key): wait until Postgres shows it waiting.
    for (;;) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
      if ((rows[0]?.n ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    expect(await first).toBe('added');
    expect(await second).toBe('renamed');

    const rows = await t.db
      .selectFrom('company_holidays')
      .select(['day', 'name', 'added_by'])
      .execute();
    expect(rows).toEqual([{ day: DAY, name: 'Xmas', added_by: 'U_ADMIN' }]);
    const audited = (
      await t.db
        .selectFrom('audit_log')
        .select(['action', 'actor', 'details'])
        .where('entity', '=', 'holiday')
        .orderBy('id')
        .execute()
    ).map((e) => [e.action, e.actor, e.details]);
    expect(audited).toEqual([
      ['holiday.add', 'cli:ops', { day: DAY, name: 'Christmas Day' }],
      ['holiday.rename', 'U_ADMIN', { day: DAY, from: 'Christmas Day', to: 'Xmas' }],
    ]);
  });
});
