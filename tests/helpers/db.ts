import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connect.js';
import { familyByCodeCi, resourceByCodeCi } from '../../db/queries/explain.js';
import type { Database } from '../../db/schema.js';
import type { Role } from '../../src/core/company.js';
import { useFixture } from './fixture.js';
import { adminUrl, dbUrl, dropDatabase, withAdmin } from './pg-admin.js';

export interface TestDb {
  readonly db: Db;
  readonly url: string;
  readonly name: string;
  /** Close the pool and drop the database. */
  readonly drop: () => Promise<void>;
}

/** A fresh, fully migrated database of this test file's own (a clone of the run's template). */
export function freshDb(): Promise<TestDb> {
  return createTestDb(inject('dbTemplate'), 5);
}

/** An empty database (no migrations), for migration tests. */
export function emptyDb(): Promise<TestDb> {
  return createTestDb(null, 2);
}

async function createTestDb(template: string | null, max: number): Promise<TestDb> {
  const name = `sopbot_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl(), async (c) => {
    await c.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  });
  const url = dbUrl(name);
  const db = createDb(url, { max });
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.destroy();
      await dropDatabase(name);
    },
  };
}

/** A Redis key prefix unique to this test, so runs and files never collide. */
export function redisPrefix(label = 't'): string {
  return `sopbot-test:${inject('runId')}:${label}:${randomBytes(3).toString('hex')}`;
}

/** Workspace members with their sopbot role, by Slack user id. */
export async function insertMembers(
  db: Db,
  members: Readonly<Record<string, Role>>,
): Promise<void> {
  const rows = Object.entries(members).map(([id, role]) => ({ slack_user_id: id, role }));
  if (rows.length > 0) await db.insertInto('members').values(rows).execute();
}

/** A cycle row (month, phase and whatever else `values` sets); returns its id. */
export async function insertCycle(db: Db, values: Insertable<Database['cycles']>): Promise<number> {
  const row = await db
    .insertInto('cycles')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A database of the enclosing file or describe block (fresh unless `make` says), dropped after. */
/**
 * A baseline that is the demand a test wants, no model behind it: one `method: 'none'` model
 * row per family and its forecast over `months` (`units` a month each, or one figure for all).
 */
export async function insertFlatBaseline(
  db: Db,
  cycleId: number,
  months: readonly string[],
  demand: readonly { readonly id: number; readonly units: number | readonly number[] }[],
): Promise<void> {
  await db
    .insertInto('baseline_models')
    .values(
      demand.map((d) => ({
        cycle_id: cycleId,
        family_id: d.id,
        method: 'none',
        history_hash: 'x',
      })),
    )
    .execute();
  await db
    .insertInto('baseline_forecasts')
    .values(
      demand.flatMap((d) =>
        months.map((period, i) => ({
          cycle_id: cycleId,
          family_id: d.id,
          period,
          value: typeof d.units === 'number' ? d.units : (d.units[i] as number),
        })),
      ),
    )
    .execute();
}

export function useDb(make: () => Promise<TestDb> = freshDb): TestDb {
  return useFixture(make, (t) => t.drop());
}

/** The audit log's entries of one action, oldest first. */
export function auditEntries(db: Db, action: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

/** The id of the active family or resource with this code; throws when there is none. */
export async function idOfCode(
  db: Db,
  table: 'families' | 'resources',
  code: string,
): Promise<number> {
  const row = await (table === 'families' ? familyByCodeCi : resourceByCodeCi)(db, code);
  if (!row) throw new Error(`no active ${table} row with code ${code}`);
  return row.id;
}

/** The number a capacity constraint is named by (#41): the first id of its request's months. */
export async function constraintNumber(db: Db, requestKey: string): Promise<string> {
  const row = await db
    .selectFrom('capacity_updates')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('request_key', '=', requestKey)
    .executeTakeFirstOrThrow();
  return row.id as string;
}
