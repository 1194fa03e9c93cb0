import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { JsonColumnsPlugin } from './json-columns.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DbOptions {
  readonly max?: number;
  readonly applicationName?: string;
  /** Where errors of idle clients go (a server restart, a dropped connection). */
  readonly logger?: { warn(obj: object, msg: string): void };
}

/** Build a Kysely instance over a pg pool. The caller owns it and must `destroy()` it. */
export function createDb(url: string, opts: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'sopbot',
  });
  // An idle client whose connection the server closes (restart, failover, a forced drop)
  // emits 'error'; without a listener that would crash the process. The pool replaces it.
  pool.on('error', (err) =>
    opts.logger?.warn({ err }, 'postgres: an idle connection failed; the pool replaces it'),
  );
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new JsonColumnsPlugin()],
  });
}
