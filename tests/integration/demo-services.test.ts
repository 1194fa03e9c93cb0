/**
 * The demo on a machine without PostgreSQL or Redis: an embedded PostgreSQL and a private
 * redis-server start, answer, and leave nothing behind; without redis-server on the PATH the
 * user gets one paragraph naming both ways to get Redis. CLI commands say the same instead
 * of a stack.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { probeRedis } from '../../src/cli/services.js';
import { main } from '../../src/cli.js';
import { demoServices } from '../../src/demo/local-services.js';
import { adminUrl, dbUrl, dropDatabase, withAdmin } from '../helpers/pg-admin.js';

const NOWHERE_PG = 'postgres://postgres@127.0.0.1:1/x';
const NOWHERE_REDIS = 'redis://127.0.0.1:1';

function io(env: NodeJS.ProcessEnv) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (s: string) => {
        out.stdout += s;
      },
      stderr: (s: string) => {
        out.stderr += s;
      },
      env,
    },
  };
}

describe('demo services', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('starts an embedded PostgreSQL and a private redis-server when neither answers, then removes them', async () => {
    const lines: string[] = [];
    const s = await demoServices(NOWHERE_PG, NOWHERE_REDIS, (l) => lines.push(l));
    let folder = '';
    try {
      expect(s.databaseUrl).not.toBe(NOWHERE_PG);
      expect(s.redisUrl).not.toBe(NOWHERE_REDIS);
      const c = new pg.Client({ connectionString: s.databaseUrl });
      await c.connect();
      const r = await c.query<{ n: number }>('select 6 * 7 as n');
      await c.end();
      expect(r.rows[0]?.n).toBe(42);
      expect((await probeRedis(s.redisUrl)).ok).toBe(true);
      folder = /in (\S+), removed afterwards/.exec(lines.join('\n'))?.[1] ?? '';
      expect(existsSync(folder)).toBe(true);
    } finally {
      await s.stop();
    }
    expect(existsSync(folder)).toBe(false);
    expect((await probeRedis(s.redisUrl, 500)).ok).toBe(false);
    const c = new pg.Client({ connectionString: s.databaseUrl, connectionTimeoutMillis: 1000 });
    await expect(c.connect()).rejects.toThrow();
  }, 120_000);

  it('without redis-server on the PATH: one paragraph naming docker compose and the system package, no database started', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'sopbot-nopath-'));
    dirs.push(bin);
    await symlink(process.execPath, join(bin, 'node'));
    const lines: string[] = [];
    const err = await demoServices(NOWHERE_PG, NOWHERE_REDIS, (l) => lines.push(l), bin).catch(
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain('cannot reach Redis at 127.0.0.1:1');
    expect(message).toMatch(/docker compose .* up -d redis/);
    expect(message).toContain('apt-get install redis-server');
    expect(message).not.toMatch(/\n\s+at /);
    expect(lines).toEqual([]);
  });

  it('CLI commands answer a missing service with the paragraph and exit 1, not a stack', async () => {
    const worker = io({
      DATABASE_URL: NOWHERE_PG,
      REDIS_URL: 'redis://127.0.0.1:1',
      SLACK_BOT_TOKEN: 'xoxb-x',
    });
    expect(await main(['worker'], worker.io)).toBe(1);
    expect(worker.out.stderr).toContain('cannot reach PostgreSQL at 127.0.0.1:1');
    expect(worker.out.stderr).toContain('cannot reach Redis at 127.0.0.1:1');
    expect(worker.out.stderr).not.toMatch(/\n\s+at /);

    const pack = io({ DATABASE_URL: NOWHERE_PG });
    expect(await main(['pack'], pack.io)).toBe(1);
    expect(pack.out.stderr).toContain('sudo apt-get install postgresql');
    expect(pack.out.stderr).toContain('`npm run demo` needs none of this');
    // --help never needs a service.
    const help = io({ DATABASE_URL: NOWHERE_PG });
    expect(await main(['migrate', '--help'], help.io)).toBe(0);
  });

  it('a fresh server: no database, then no tables, each answered with `sopbot migrate`', async () => {
    const name = `sopbot_fresh_${process.pid}_${Date.now()}`;
    const server = new URL(adminUrl());
    const at = `${server.hostname}:${server.port || '5432'}`;
    const missing = io({ DATABASE_URL: dbUrl(name) });
    expect(await main(['pack'], missing.io)).toBe(1);
    expect(missing.out.stderr).toBe(
      `PostgreSQL at ${at} has no database '${name}' (DATABASE_URL). Run \`sopbot migrate\` first: it creates the database and its tables.\n`,
    );
    await withAdmin(adminUrl(), (c) => c.query(`create database "${name}"`));
    try {
      const empty = io({ DATABASE_URL: dbUrl(name) });
      expect(await main(['pack'], empty.io)).toBe(1);
      expect(empty.out.stderr).toContain(
        `The database '${name}' at ${at} has no sopbot tables yet`,
      );
      expect(empty.out.stderr).toContain('Run `sopbot migrate` to create them.');
      expect(empty.out.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await dropDatabase(name);
    }
  });
});
