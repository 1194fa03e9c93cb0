/**
 * `sopbot migrate redo` redoes the last migration, as "redo" means elsewhere (Rails, knex);
 * `reset` undoes every migration and applies them all again (erasing the data).
 */
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
