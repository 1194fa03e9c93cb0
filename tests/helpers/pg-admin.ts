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
