/**
 * Can this machine reach PostgreSQL and Redis? Every CLI command that needs them asks first,
 * so a missing service is one paragraph saying how to get it, never a stack or a hang (a
 * BullMQ worker would otherwise retry Redis for ever).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { SopError } from '../errors.js';

export type Probe =
  | { readonly ok: true }
  | { readonly ok: false; readonly unreachable: boolean; readonly message: string };

/** Network errors that mean "nothing answers there", as opposed to a refusal by a live server. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

function codesOf(err: unknown): string[] {
  const out: string[] = [];
  const walk = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 4) return;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
    for (const inner of (e as { errors?: unknown[] }).errors ?? []) walk(inner, depth + 1);
    walk((e as { cause?: unknown }).cause, depth + 1);
  };
  walk(err, 0);
  return out;
}

/** True when `err` (or what it wraps) says no server answered at all. */
export function isUnreachable(err: unknown): boolean {
  if (codesOf(err).some((c) => UNREACHABLE.has(c))) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /timeout|timed out|ECONNREFUSED|no answer/i.test(message);
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return messageOf(err.errors[0]);
  const m = err instanceof Error ? err.message : String(err);
  return m || codesOf(err)[0] || 'unknown error';
}

/** Where a service URL points, without its password: `127.0.0.1:5432`. */
export function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? '6379' : '5432')}`;
  } catch {
    return url;
  }
}

/** Connect to the server's `postgres` database (the target may not exist yet). */
export async function probePostgres(url: string, timeoutMs = 3000): Promise<Probe> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({
    connectionString: admin.toString(),
    connectionTimeoutMillis: timeoutMs,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (err) {
    return { ok: false, unreachable: isUnreachable(err), message: messageOf(err) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function probeRedis(url: string, timeoutMs = 3000): Promise<Probe> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let seen: unknown;
  redis.on('error', (err: unknown) => {
    seen = err;
  });
  try {
    await redis.connect();
    await redis.ping();
    return { ok: true };
  } catch (err) {
    const cause = seen ?? err;
    return { ok: false, unreachable: isUnreachable(cause), message: messageOf(cause) };
  } finally {
    redis.disconnect();
  }
}

/** docker-compose.dev.yml publishes the database ports on 127.0.0.1 (the base file does not). */
export const COMPOSE_DEV = 'docker compose -f docker-compose.yml -f docker-compose.dev.yml';

export function postgresMissing(url: string, why: string): string {
  return [
    `sopbot cannot reach PostgreSQL at ${hostOf(url)} (${why}).`,
    `Start one with \`${COMPOSE_DEV} up -d postgres\` (on 127.0.0.1:5432; user sopbot, POSTGRES_PASSWORD`,
    'from .env), or install the system package (`sudo apt-get install postgresql`,',
    '`brew install postgresql@16`), or point DATABASE_URL at a server you have.',
    '`npm run demo` needs none of this: it starts a database of its own.',
  ].join(' ');
}

export function postgresRefused(url: string, why: string): string {
  return `PostgreSQL at ${hostOf(url)} answered but refused sopbot: ${why}. Check the user, password and database in DATABASE_URL.`;
}

export function redisMissing(url: string, why: string): string {
  return [
    `sopbot cannot reach Redis at ${hostOf(url)} (${why}). The job queues live in Redis.`,
    `Start it with \`${COMPOSE_DEV} up -d redis\` (on 127.0.0.1:6379),`,
    'or install the system package (`sudo apt-get install redis-server`, `brew install redis`),',
    'then set REDIS_URL if it is not redis://127.0.0.1:6379.',
  ].join(' ');
}

export class ServiceUnavailable extends SopError {
  constructor(message: string, options?: ErrorOptions) {
    super('internal', message, [], options);
    this.name = 'ServiceUnavailable';
  }
}

export interface ServiceUrls {
  readonly DATABASE_URL: string;
  readonly REDIS_URL: string;
}

/** Throws a ServiceUnavailable naming the fix unless every service in `needs` answers. */
export async function requireServices(
  config: ServiceUrls,
  needs: readonly ('postgres' | 'redis')[],
): Promise<void> {
  const [pgProbe, redisProbe] = await Promise.all([
    needs.includes('postgres') ? probePostgres(config.DATABASE_URL) : ({ ok: true } as const),
    needs.includes('redis') ? probeRedis(config.REDIS_URL) : ({ ok: true } as const),
  ]);
  const problems: string[] = [];
  if (!pgProbe.ok)
    problems.push(
      pgProbe.unreachable
        ? postgresMissing(config.DATABASE_URL, pgProbe.message)
        : postgresRefused(config.DATABASE_URL, pgProbe.message),
    );
  if (!redisProbe.ok) problems.push(redisMissing(config.REDIS_URL, redisProbe.message));
  if (problems.length) throw new ServiceUnavailable(problems.join('\n\n'));
}

/** The database DATABASE_URL names. */
function databaseOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  } catch {
    return url;
  }
}

/**
 * A connection error that escaped a command (a service went away mid-run), as the same
 * paragraph; a database that is missing or not migrated (a fresh machine), as what to run;
 * null for any other error.
 */
export function explainServiceError(err: unknown, config: ServiceUrls): string | null {
  if (err instanceof ServiceUnavailable) return err.message;
  const codes = codesOf(err);
  // invalid_catalog_name: the server answers, but has no such database.
  if (codes.includes('3D000'))
    return `PostgreSQL at ${hostOf(config.DATABASE_URL)} has no database '${databaseOf(config.DATABASE_URL)}' (DATABASE_URL). Run \`sopbot migrate\` first: it creates the database and its tables.`;
  // undefined_table: the database is there, the migrations are not.
  if (codes.includes('42P01'))
    return `The database '${databaseOf(config.DATABASE_URL)}' at ${hostOf(config.DATABASE_URL)} has no sopbot tables yet (${messageOf(err)}). Run \`sopbot migrate\` to create them.`;
  if (!isUnreachable(err)) return null;
  const text = `${messageOf(err)} ${String((err as { address?: unknown })?.address ?? '')}`;
  const redisPort = new URL(config.REDIS_URL).port || '6379';
  const pgPort = new URL(config.DATABASE_URL).port || '5432';
  if (text.includes(`:${redisPort}`) && !text.includes(`:${pgPort}`))
    return redisMissing(config.REDIS_URL, messageOf(err));
  if (text.includes(`:${pgPort}`)) return postgresMissing(config.DATABASE_URL, messageOf(err));
  return null;
}
