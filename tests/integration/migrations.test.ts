import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateDownAll, migrateToLatest, migrationStatus } from '../../db/migrate.js';
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
});
