/** What the benchmarks share: the maintenance connection, the median they print, row keys. */
import pg from 'pg';

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
