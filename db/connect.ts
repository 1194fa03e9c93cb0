import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { JsonColumnsPlugin } from './json-columns.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DbOptions {
  readonly max?: number;
  readonly applicationName?: string;
  /** Where errors of dropped connections go, idle or in use (a server restart, a forced drop). */
  readonly logger?: { warn(obj: object, msg: string): void };
  /**
   * How long a query waits for a connection before it fails (pg's `connectionTimeoutMillis`):
   * a new connection to a server that does not answer (a network partition, where nothing is
   * refused), and also a free one when all `max` are in use. Default: no limit, for the worker
   * and the CLI, whose long jobs (a plan run) may wait for a connection; the bot sets one so
   * that it answers within Slack's 3 s.
   */
  readonly connectTimeoutMs?: number;
}

/** Build a Kysely instance over a pg pool. The caller owns it and must `destroy()` it. */
export function createDb(url: string, opts: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'sopbot',
    ...(opts.connectTimeoutMs ? { connectionTimeoutMillis: opts.connectTimeoutMs } : {}),
  });
  // An idle client whose connection the server closes (restart, failover, a forced drop)
  // emits 'error'; without a listener that would crash the process. The pool replaces it.
  pool.on('error', (err) =>
    opts.logger?.warn({ err }, 'postgres: an idle connection failed; the pool replaces it'),
  );
  // A client checked out of the pool has no listener of the pool's. When the server drops it
  // between two queries (a transaction waiting on Redis, a restart of the server), its
  // 'error' would crash the process. Its next query fails instead, and the pool drops it on
  // release (an unqueryable client is not reused). Idle clients are the listener above's.
  const inUse = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => inUse.add(client));
  pool.on('release', (_err, client) => inUse.delete(client));
  pool.on('connect', (client) => {
    // A dropped connection errs twice (the server's message, then the socket's end): say it once.
    let said = false;
    client.on('error', (err) => {
      if (!inUse.has(client) || said) return;
      said = true;
      opts.logger?.warn(
        { err },
        'postgres: a connection in use failed; its work fails and the pool drops it',
      );
    });
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new JsonColumnsPlugin()],
  });
  pools.set(db, pool);
  return db;
}

/** The pool under each Db this module built, for `dbAnswers`' own connection. */
const pools = new WeakMap<Db, pg.Pool>();

/**
 * Whether the database answers a trivial query within `timeoutMs`: false while the server is
 * down, restarting or out of reach (a refused or hanging connection). What failed work is
 * blamed on: a job that failed while this says false waits for the database rather than
 * using up its attempts (jobs/runtime.ts).
 *
 * It asks on a connection of its own, outside the pool: a pool whose connections are all in
 * use (long jobs, each holding one) is no outage, and a query through it would wait for a
 * free connection and be taken for one.
 */
export async function dbAnswers(db: Db, timeoutMs = 2_000): Promise<boolean> {
  const pool = pools.get(db);
  if (!pool) return answersWithin(sql`select 1`.execute(db), timeoutMs);
  const client = new pg.Client({
    connectionString: pool.options.connectionString,
    application_name: 'sopbot-health',
    connectionTimeoutMillis: timeoutMs,
  });
  // A connection the server drops after it is made errs here, not in the process.
  client.on('error', () => {});
  const asked = client.connect().then(() => client.query('select 1'));
  try {
    return await answersWithin(asked, timeoutMs);
  } finally {
    void client.end().catch(() => {});
  }
}

async function answersWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
