import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  migrateDownAll,
  migrateDownOne,
  migrateToLatest,
  migrationStatus,
} from '../../db/migrate.js';
import { emptyDb, type TestDb, useDb } from '../helpers/db.js';

async function tables(t: TestDb): Promise<string[]> {
  const r = await sql<{
    tablename: string;
  }>`select tablename from pg_tables where schemaname = 'public' order by 1`.execute(t.db);
  return r.rows.map((x) => x.tablename).filter((n) => !n.startsWith('kysely_'));
}

describe('migrations', () => {
  const t = useDb(emptyDb);
  it('apply to an empty database, go all the way down, and up again', async () => {
    const up = await migrateToLatest(t.db);
    expect(up.error).toBeUndefined();
    expect(up.applied.every((r) => r.status === 'Success')).toBe(true);
    const after = await tables(t);
    for (const name of [
      'families',
      'resources',
      'forecast_adjustments',
      'plan_runs',
      'votes',
      'audit_log',
      'processed_requests',
    ]) {
      expect(after).toContain(name);
    }
    const down = await migrateDownAll(t.db);
    expect(down.error).toBeUndefined();
    expect(await tables(t)).toEqual([]);
    const again = await migrateToLatest(t.db);
    expect(again.error).toBeUndefined();
    expect(await tables(t)).toEqual(after);
    const status = await migrationStatus(t.db);
    expect(status.every((s) => s.executedAt !== null)).toBe(true);
  });

  it('takes the company calendar off a populated database and puts it back, the rest kept', async () => {
    // The calendar migration's down takes the deadline time, the holidays
    // and each cycle's skipped holidays, and keeps the settings, the cycles and their
    // deadlines; its up again gives the defaults (17:00, none skipped, no holidays).
    await t.db
      .insertInto('workspace_settings')
      .values({ team_id: 'T1', timezone: 'Asia/Kolkata', deadline_time: '09:30' })
      .execute();
    await t.db
      .insertInto('company_holidays')
      .values({ day: '2027-01-26', name: 'Republic Day', added_by: 'U1' })
      .execute();
    const deadlines = { data_gathering: '2027-01-27T04:00:00.000Z' };
    await t.db
      .insertInto('cycles')
      .values({
        month: '2027-01',
        phase: 'data_gathering',
        deadlines: JSON.stringify(deadlines),
        skipped_holidays: JSON.stringify({
          data_gathering: [{ day: '2027-01-26', name: 'Republic Day' }],
        }),
        phase_entered_at: new Date('2027-01-25T04:00:00Z'),
        opened_at: new Date('2027-01-25T04:00:00Z'),
      })
      .execute();
    // Down one at a time until the calendar's own down has run (later ones first).
    for (let i = 0; ; i++) {
      const down = await migrateDownOne(t.db);
      expect(down.error).toBeUndefined();
      expect(down.applied).toHaveLength(1);
      if (down.applied[0]?.name === '20261210T1100-company-calendar') break;
      expect(i).toBeLessThan(50);
    }
    expect(await tables(t)).not.toContain('company_holidays');
    const cols = await sql<{ column_name: string }>`select column_name
      from information_schema.columns
      where table_name in ('workspace_settings', 'cycles')
        and column_name in ('deadline_time', 'skipped_holidays')`.execute(t.db);
    expect(cols.rows).toEqual([]);
    const up = await migrateToLatest(t.db);
    expect(up.error).toBeUndefined();
    expect(
      await t.db
        .selectFrom('workspace_settings')
        .select(['team_id', 'timezone', 'deadline_time'])
        .execute(),
    ).toEqual([{ team_id: 'T1', timezone: 'Asia/Kolkata', deadline_time: '17:00' }]);
    expect(
      await t.db.selectFrom('cycles').select(['month', 'deadlines', 'skipped_holidays']).execute(),
    ).toEqual([{ month: '2027-01', deadlines, skipped_holidays: {} }]);
    expect(await t.db.selectFrom('company_holidays').selectAll().execute()).toEqual([]);
    // The column's check holds again: a time that is not HH:MM is refused.
    await expect(
      t.db.updateTable('workspace_settings').set({ deadline_time: '24:00' }).execute(),
    ).rejects.toThrow(/workspace_settings_deadline_time/);
  });

  it('makes the audit log append-only', async () => {
    await t.db
      .insertInto('audit_log')
      .values({ actor: 'U1', action: 'test', entity: 'x' })
      .execute();
    await expect(t.db.updateTable('audit_log').set({ actor: 'U2' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('refuses codes differing only in case, naming them and what to do, and then holds to it', async () => {
    // Down to before the index on upper(code) (later migrations first).
    for (let i = 0; ; i++) {
      const down = await migrateDownOne(t.db);
      expect(down.error).toBeUndefined();
      if (down.applied[0]?.name === '20261217T1208-codes-unique-in-any-case') break;
      expect(i).toBeLessThan(50);
    }
    const family = (code: string) =>
      t.db
        .insertInto('families')
        .values({ code, name: code, price: 10, unit_cost: 5, holding_cost: 1, backlog_cost: 2 })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then((r) => r.id);
    const upper = await family('FAM-7');
    const lower = await family('fam-7');
    const up = await migrateToLatest(t.db);
    expect(up.applied.find((r) => r.status === 'Error')?.name).toBe(
      '20261217T1208-codes-unique-in-any-case',
    );
    expect((up.error as Error).message).toBe(
      `families FAM-7 (id ${upper}) and fam-7 (id ${lower}): codes that differ only in case, which commands read as one code. Give one of each a code of its own, its rows staying with it (e.g. update families set code = 'fam-7-old' where id = ${lower};), then migrate again. Nothing was changed`,
    );
    // As it says: renamed, the migration applies, and the index refuses a new twin.
    await t.db.updateTable('families').set({ code: 'fam-7-old' }).where('id', '=', lower).execute();
    const again = await migrateToLatest(t.db);
    expect(again.error).toBeUndefined();
    await expect(family('Fam-7')).rejects.toThrow(/families_code_any_case/);
  });
});
