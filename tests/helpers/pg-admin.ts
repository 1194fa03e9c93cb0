import pg from 'pg';

/** The maintenance connection used to create and drop test databases. */
export function adminUrl(): string {
  return process.env.SOPBOT_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function dbUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Drop a database once its pools have let go. pg's Pool.end() resolves before the sockets
 * close, so a `drop ... with (force)` at once would kill connections that are still ending
 * (and their clients would throw). Wait for them first; force only as the last resort.
 */
export async function dropDatabase(name: string): Promise<void> {
  await withAdmin(adminUrl(), async (c) => {
    for (let i = 0; i < 50; i++) {
      const { rows } = await c.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = $1',
        [name],
      );
      if (Number(rows[0]?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await c.query(`drop database if exists "${name}" with (force)`);
  });
}

export async function dropDatabasesLike(pattern: string): Promise<void> {
  await withAdmin(adminUrl(), async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [pattern],
    );
    for (const { datname } of rows) {
      await c.query(`drop database if exists "${datname}" with (force)`);
    }
  });
}
