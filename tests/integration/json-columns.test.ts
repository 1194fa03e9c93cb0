/**
 * JSONB columns are checked with zod as they are read (db/json-columns.ts): what sopbot
 * wrote reads back as it was; a value written past sopbot that breaks the column's shape
 * fails the read, naming the column and the field.
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { JSON_COLUMNS } from '../../db/json-columns.js';
import { freshDb, type TestDb } from '../helpers/db.js';

const t: TestDb = await freshDb();
afterAll(() => t.drop());

describe('JSONB columns read through zod', () => {
  it('read back what sopbot wrote, unchanged', async () => {
    const deadlines = { demand_review: '2027-03-05T17:00:00.000Z', supply_review: '2027-03-12' };
    const { id } = await t.db
      .insertInto('cycles')
      .values({ month: '2027-03', phase: 'demand_review', deadlines: JSON.stringify(deadlines) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await t.db
      .selectFrom('cycles')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.deadlines).toEqual(deadlines);
  });

  it('fail a read whose value breaks the column, naming the column and the field', async () => {
    const { id } = await t.db
      .insertInto('cycles')
      .values({ month: '2027-04', phase: 'demand_review' })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Written past sopbot: a deadline that is a number, under a phase that does not exist.
    await sql`update cycles set deadlines = '{"demand_review": 5}'::jsonb where id = ${id}`.execute(
      t.db,
    );
    const read = t.db.selectFrom('cycles').selectAll().where('id', '=', id).execute();
    await expect(read).rejects.toThrow(
      /JSONB column 'deadlines' holds an unexpected value: demand_review: /,
    );
    await sql`update cycles set deadlines = '{"someday": "2027-04-01"}'::jsonb where id = ${id}`.execute(
      t.db,
    );
    await expect(
      t.db.selectFrom('cycles').select('deadlines').where('id', '=', id).execute(),
    ).rejects.toThrow(/JSONB column 'deadlines' holds an unexpected value: .*"someday"/);
  });

  it('cover every JSONB column of the schema but the free-form ones', async () => {
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = 'public' and data_type = 'jsonb'`.execute(t.db);
    const free = new Set([
      // plan_scenarios.assumptions: a scenario's own assumption list, free-form by design.
      'assumptions',
    ]);
    const unchecked = columns.rows
      .map((r) => r.column_name)
      .filter((c) => !(c in JSON_COLUMNS) && !free.has(c));
    expect(unchecked).toEqual([]);
  });
});
