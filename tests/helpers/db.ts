import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connect.js';
import { adminUrl, dbUrl, dropDatabase, withAdmin } from './pg-admin.js';

export interface TestDb {
  readonly db: Db;
  readonly url: string;
  readonly name: string;
  /** Close the pool and drop the database. */
  readonly drop: () => Promise<void>;
}

/** A fresh, fully migrated database of this test file's own (a clone of the run's template). */
export async function freshDb(): Promise<TestDb> {
  const template = inject('dbTemplate');
  const name = `sopbot_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl(), async (c) => {
    await c.query(`create database "${name}" template "${template}"`);
  });
  const url = dbUrl(name);
  const db = createDb(url, { max: 5 });
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

/** An empty database (no migrations), for migration tests. */
export async function emptyDb(): Promise<TestDb> {
  const name = `sopbot_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl(), (c) => c.query(`create database "${name}"`));
  const url = dbUrl(name);
  const db = createDb(url, { max: 2 });
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
