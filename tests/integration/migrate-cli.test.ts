/**
 * `sopbot migrate redo` redoes the last migration, as "redo" means elsewhere (Rails, knex);
 * `reset` undoes every migration and applies them all again (erasing the data). A migration
 * that fails is logged once with its stack, and what was rolled back is not called applied.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.js';
import { main } from '../../src/cli.js';
import { emptyDb, useDb } from '../helpers/db.js';

describe('sopbot migrate redo / reset', () => {
  const t = useDb(emptyDb);
  const migrate = async (action: string) => {
    const out: string[] = [];
    const code = await main(['migrate', action], {
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
      env: { DATABASE_URL: t.url },
    });
    return { code, lines: out.join('').trim().split('\n') };
  };

  it('redo undoes and reapplies only the last migration; reset does all of them', async () => {
    const names = Object.keys(migrations);
    expect(names.length).toBeGreaterThanOrEqual(2);
    const last = names.at(-1)!;
    expect((await migrate('up')).code).toBe(0);

    const redo = await migrate('redo');
    expect(redo.code).toBe(0);
    expect(redo.lines.filter((l) => l.startsWith('undone'))).toEqual([`undone  ${last}: Success`]);
    expect(redo.lines.filter((l) => l.startsWith('applied'))).toEqual([`applied ${last}: Success`]);

    // reset erases the data: a row written now is gone afterwards.
    await t.db
      .insertInto('slack_user_names')
      .values({ slack_user_id: 'U1', display_name: 'A' })
      .execute();
    const reset = await migrate('reset');
    expect(reset.code).toBe(0);
    expect(reset.lines.filter((l) => l.startsWith('undone'))).toHaveLength(names.length);
    expect(reset.lines.filter((l) => l.startsWith('applied'))).toHaveLength(names.length);
    expect(await t.db.selectFrom('slack_user_names').selectAll().execute()).toEqual([]);
  });
});

describe('sopbot migrate, when a migration fails', () => {
  const t = useDb(emptyDb);

  it('logs the error once with its stack, names the migration and claims nothing applied', async () => {
    // Before: one line 'sopbot migrate: failed: relation "…" already exists', no stack, after
    // 'applied …: Success' lines for migrations its transaction had just rolled back.
    // 20261203T1500-review creates forecast_snapshots; made to exist already, it fails after
    // the four migrations before it applied, in the same transaction.
    const names = Object.keys(migrations);
    const failing = '20261203T1500-review';
    expect(names.indexOf(failing)).toBe(4);
    await sql`create table forecast_snapshots (id int)`.execute(t.db);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['migrate', 'up'], {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      env: { DATABASE_URL: t.url, LOG_LEVEL: 'error' },
    });
    expect(code).toBe(1);
    expect(out.join('')).not.toMatch(/applied/);
    const lines = err.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const logged = JSON.parse(lines[0]!) as {
      level: number;
      msg: string;
      err: { message: string; stack: string };
    };
    expect(logged).toMatchObject({ level: 50, msg: 'sopbot migrate failed' });
    const told = `${failing}: relation "forecast_snapshots" already exists; the 4 migrations applied before it in this step were rolled back with it`;
    expect(lines[1]).toBe(`sopbot migrate failed: ${told} (logged above, with its stack)`);
    // The log has the migration's own error as the cause (pino adds its message and stack).
    expect(logged.err.message.startsWith(told)).toBe(true);
    expect(logged.err.stack).toMatch(/\n\s+at /);
    expect(logged.err.stack).toContain('caused by: error: relation "forecast_snapshots"');
    // Rolled back indeed: the first migration's tables are not there.
    const tables = await sql<{ n: number }>`
      select count(*)::int as n from pg_tables where tablename = 'families'`.execute(t.db);
    expect(tables.rows[0]?.n).toBe(0);
  });
});
