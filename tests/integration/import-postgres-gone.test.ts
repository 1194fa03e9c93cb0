/**
 * Chaos: PostgreSQL stops right after `sopbot import` committed its files, while the command
 * waits on a Redis that never answers to hand over the recompute the files owe. The import
 * stands (one transaction: the files and the recompute's request in the job outbox), so the
 * command says so and exits 0, rather than ending on "PostgreSQL does not answer" with exit 1,
 * which reads as a failed import. The PostgreSQL and the silent Redis are the test's own
 * (tests/helpers/postgres-server.ts); the shared servers are never touched. Another fault at
 * that point, PostgreSQL still answering, is not called PostgreSQL gone: it is logged once with
 * its stack and the command fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { main } from '../../src/cli.js';
import { insertCycle, redisPrefix, useDb } from '../helpers/db.js';
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/postgres-server.js';

const FAMILIES = `code,name,unit,price,unit_cost,holding_cost,backlog_cost,subcontract_cost,safety_stock
FAM-1,Classic Kettle,units,260,147.51,2.95,14.79,186.23,907
`;

let pg: PrivatePostgres;
let db: Db;
let dir: string;
let silent: Server;
let redisPort: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  pg = await startPrivatePostgres();
  db = createDb(pg.url, { max: 2 });
  await migrateToLatest(db);
  await insertCycle(db, { month: '2026-12', phase: 'demand_review' });
  await db.destroy();
  dir = await mkdtemp(join(tmpdir(), 'sopbot-import-pg-gone-'));
  // A Redis that accepts and never answers: the command waits its 5 s for it.
  silent = createServer((s) => {
    sockets.push(s);
    s.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  redisPort = (silent.address() as { port: number }).port;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await pg?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('PostgreSQL stops after sopbot import committed', () => {
  it('says the files are imported and the recompute recorded with them, and exits 0', async () => {
    const file = join(dir, 'families.csv');
    await writeFile(file, FAMILIES);
    const out: string[] = [];
    const err: string[] = [];
    let stopped: Promise<void> | null = null;
    const io = {
      stdout: (s: string) => {
        out.push(s);
        // The file's line is printed once its transaction committed: PostgreSQL stops now.
        if (s.startsWith(`${file}: families`)) stopped ??= pg.stop();
      },
      stderr: (s: string) => err.push(s),
      env: {
        DATABASE_URL: pg.url,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        SOPBOT_QUEUE_PREFIX: redisPrefix('import-pg-gone'),
        LOG_LEVEL: 'silent',
      },
    };
    const code = await main(['import', 'families', file], io);
    await stopped;
    expect(out.join('')).toContain(`${file}: families: 1 rows (1 new, 0 updated, 0 unchanged)`);
    expect(err.join('')).toMatch(
      /^sopbot import: imported, but PostgreSQL stopped answering \(.+\) before I could tell whether Redis took the recompute of cycle 2026-12; it was recorded in the job outbox with the import, and a running sopbot bot or worker hands it over once PostgreSQL and Redis answer, if Redis has not taken it\n$/,
    );
    expect(code).toBe(0);

    // What Postgres holds once it is back: the family and the recompute's request, together.
    await pg.start();
    const back = createDb(pg.url, { max: 1 });
    try {
      const fams = await back.selectFrom('families').select(['code', 'price']).execute();
      expect(fams.map((f) => [f.code, Number(f.price)])).toEqual([['FAM-1', 260]]);
      const waiting = await back
        .selectFrom('job_outbox')
        .select(['job_name', 'delivered_at'])
        .execute();
      expect(waiting).toEqual([{ job_name: 'recompute', delivered_at: null }]);
    } finally {
      await back.destroy();
    }
  }, 60_000);
});

describe('another fault after sopbot import committed, PostgreSQL still answering', () => {
  const t = useDb();
  it('is not told as "PostgreSQL stopped answering": logged once with its stack, exit 1', async () => {
    await insertCycle(t.db, { month: '2026-12', phase: 'demand_review' });
    const file = join(dir, 'families-fault.csv');
    await writeFile(file, FAMILIES);
    const out: string[] = [];
    const err: string[] = [];
    let broken: Promise<unknown> | null = null;
    const io = {
      stdout: (s: string) => {
        out.push(s);
        // The file's transaction committed: the outbox's column goes away, the server stays.
        if (s.startsWith(`${file}: families`))
          broken ??=
            sql`alter table job_outbox rename column delivered_at to delivered_gone`.execute(t.db);
      },
      stderr: (s: string) => err.push(s),
      env: {
        DATABASE_URL: t.url,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        SOPBOT_QUEUE_PREFIX: redisPrefix('import-fault'),
        LOG_LEVEL: 'error',
      },
    };
    const code = await main(['import', 'families', file], io);
    await broken;
    expect(out.join('')).toContain(`${file}: families: 1 rows (1 new, 0 updated, 0 unchanged)`);
    const text = err.join('');
    // Before: "imported, but PostgreSQL stopped answering (column … does not exist)", exit 0.
    expect(text).not.toContain('PostgreSQL stopped answering');
    expect(text).toContain(
      'sopbot import failed: column "delivered_at" does not exist (logged above, with its stack)\n',
    );
    const logged = text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { err?: { stack?: string } });
    expect(logged).toHaveLength(1);
    expect(logged[0]?.err?.stack).toContain('delivered_at');
    expect(code).toBe(1);
  }, 60_000);
});
