/**
 * What the benchmarks share: the maintenance connection, a database of their own, the median
 * they print, row keys.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';

/** The maintenance database that benchmarks create and drop their own databases through. */
export const ADMIN =
  process.env.SOPBOT_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The median of the figures (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2
    ? (s[m] ?? Number.NaN)
    : ((s[m - 1] ?? Number.NaN) + (s[m] ?? Number.NaN)) / 2;
}

/** One statement on the maintenance database (create or drop a benchmark's database). */
export async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

/** The object with its keys in snake_case, as the tables name the columns (lostSales → lost_sales). */
export function snakeKeys(o: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}

export interface BenchDb {
  readonly db: Db;
  readonly name: string;
  /** The connection string of the database. */
  readonly url: string;
  /** Closes the pool, waits for its connections to close, and drops the database. */
  drop(): Promise<void>;
}

/** A new database of the benchmark's own (`sopbot_bench_<label>_…`), migrated to the latest. */
export async function benchDb(label: string, max: number): Promise<BenchDb> {
  const name = `sopbot_bench_${label}_${randomBytes(4).toString('hex')}`;
  await admin(`create database "${name}"`);
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max });
  const drop = async () => {
    await db.destroy();
    // Pool.end() resolves before its sockets close: wait for them rather than kill them.
    const c = new pg.Client({ connectionString: ADMIN });
    await c.connect();
    try {
      for (let i = 0; i < 50; i += 1) {
        const { rows } = await c.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [name],
        );
        if ((rows[0]?.n ?? 0) === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await c.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await c.end();
    }
  };
  const migrated = await migrateToLatest(db);
  if (migrated.error) {
    await drop();
    throw migrated.error;
  }
  return { db, name, url: url.toString(), drop };
}
