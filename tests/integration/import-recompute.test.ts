/**
 * `sopbot import` asks for one recompute of the open cycle when it changed something, through
 * the same `recompute` job as submissions and `/sop plan`; the import stands even when Redis
 * cannot be reached.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { main } from '../../src/cli.js';
import { type ImportResult, importCsv } from '../../src/import/import-csv.js';
import type { ImportKind } from '../../src/import/kinds.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { importRequestKey, recordImportRecompute } from '../../src/services/import-recompute.js';
import { deliverJobs, startOutboxRelay } from '../../src/services/outbox.js';
import { auditEntries, insertCycle, redisPrefix, useDb } from '../helpers/db.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const COMPANY = join(import.meta.dirname, '../../examples/company');

const families = (price: number) =>
  `code,name,unit,price,unit_cost,holding_cost,backlog_cost,subcontract_cost,safety_stock
FAM-1,Classic Kettle,units,${price},147.51,2.95,14.79,186.23,907
FAM-2,Premium Kettle,units,302.11,171.46,3.43,18.13,231.14,230
`;

const redis = createRedis(REDIS_URL);
const opened: Queues[] = [];
/** The queues under one test's own prefix, closed and emptied at the end. */
function queuesFor(prefix: string): Queues {
  const q = createQueues(redis, prefix);
  opened.push(q);
  return q;
}

async function recomputeJobs(prefix: string) {
  const jobs = await queuesFor(prefix)
    .queue('planning')
    .getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
  return jobs.filter((j) => j.name === 'recompute');
}

function cli(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), env };
  return {
    io,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

afterAll(async () => {
  for (const q of opened) await q.queue('planning').obliterate({ force: true });
  await Promise.all(opened.map((q) => q.close()));
  redis.disconnect();
});

describe('sopbot import with an open cycle', () => {
  const t = useDb();
  let dir: string;
  let cycleId: number;
  const env = (prefix: string, redisUrl = REDIS_URL) => ({
    DATABASE_URL: t.url,
    REDIS_URL: redisUrl,
    SOPBOT_QUEUE_PREFIX: prefix,
  });
  const writeFamilies = async (name: string, price: number) => {
    const file = join(dir, name);
    await writeFile(file, families(price));
    return file;
  };
  const priceOfFam1 = async () =>
    (
      await t.db
        .selectFrom('families')
        .select('price')
        .where('code', '=', 'FAM-1')
        .executeTakeFirstOrThrow()
    ).price;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sopbot-import-recompute-'));
    cycleId = await insertCycle(t.db, { month: '2026-12', phase: 'demand_review' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('import all requests one recompute for all its files, at the end', async () => {
    const prefix = redisPrefix('import-all');
    const run = cli(env(prefix));
    expect(await main(['import', 'all', COMPANY], run.io)).toBe(0);
    expect(run.out()).toMatch(/sales\.csv: sales: \d+ rows \(\d+ new/);
    expect(run.out().match(/recompute requested/g)).toHaveLength(1);
    expect(run.out().trimEnd().split('\n').at(-1)).toBe(
      'recompute requested for cycle 2026-12 (reason: import)',
    );
    const jobs = await recomputeJobs(prefix);
    expect(jobs).toHaveLength(1);
    // The one request covers every file the run imported, as the audit log recorded them.
    const entries = await auditEntries(t.db, 'import');
    expect(entries).toHaveLength(7);
    const results = entries.map(
      (e): ImportResult => ({
        kind: e.entity as ImportKind,
        fileName: String(e.details.file),
        rows: Number(e.details.rows),
        sha256: String(e.details.sha256),
        auditId: e.id,
        inserted: Number(e.details.inserted),
        updated: Number(e.details.updated),
        unchanged: Number(e.details.unchanged),
        warnings: [],
        warningsTruncated: false,
      }),
    );
    expect(jobs[0]!.data.requestKey).toBe(importRequestKey(cycleId, results));
  });

  describe('one file', () => {
    const prefix = redisPrefix('import-one');

    it('an import that changes rows enqueues exactly one recompute of the open cycle, reason import', async () => {
      const file = await writeFamilies('families.csv', 250);
      const run = cli(env(prefix));
      expect(await main(['import', 'families', file], run.io)).toBe(0);
      expect(run.out()).toContain('(0 new, 1 updated, 1 unchanged)');
      expect(run.out()).toContain('recompute requested for cycle 2026-12 (reason: import)\n');
      expect(run.err()).toBe('');
      const jobs = await recomputeJobs(prefix);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.data).toMatchObject({
        cycleId,
        reason: 'import',
        requestedBy: null,
        replyTo: null,
      });
      expect(jobs[0]!.data.requestKey).toMatch(/^import:c\d+:[0-9a-f]{64}$/);
      expect(jobs[0]!.id).toMatch(/^recompute-req-/);
    });

    it('the identical import run again enqueues nothing new', async () => {
      const before = (await recomputeJobs(prefix)).map((j) => j.id);
      const run = cli(env(prefix));
      expect(await main(['import', 'families', join(dir, 'families.csv')], run.io)).toBe(0);
      expect(run.out()).toContain('(0 new, 0 updated, 2 unchanged)');
      expect(run.out()).toContain('nothing changed: no recompute needed\n');
      expect(run.out()).not.toContain('recompute requested');
      expect((await recomputeJobs(prefix)).map((j) => j.id)).toEqual(before);
    });
  });

  it('production actuals request the recompute only for the months the plan pays bills for, one for a burst', async () => {
    // The cycle of 2026-12 plans from 2026-12 on; with 30 days (the default DPO) November's
    // production is the bills its cash pays in December (openingBillsOf), and a family with
    // production actuals from November 2025 to November 2026 is still producing, so November
    // needs its row (billRange). Production imports alone ask the recompute debounced per
    // cycle (recompute-cycle-<id>, SOPBOT_RECOMPUTE_DEBOUNCE_MS), as submissions do: a burst
    // of them is one recompute, not one flow per file.
    const prefix = redisPrefix('import-production');
    const slow = { ...env(prefix), SOPBOT_RECOMPUTE_DEBOUNCE_MS: '60000' };
    const importing = async (kind: string, name: string, text: string) => {
      const file = join(dir, name);
      await writeFile(file, text);
      const run = cli(slow);
      expect(await main(['import', kind, file], run.io)).toBe(0);
      expect(run.err()).toBe('');
      return run.out();
    };
    const recomputes = async () =>
      (await recomputeJobs(prefix)).map((j) => ({
        debounced: j.opts.deduplication?.id,
        delay: j.opts.delay,
        data: j.data,
      }));
    const one = [
      {
        debounced: `recompute-cycle-${cycleId}`,
        delay: 60_000,
        data: { cycleId, reason: 'import', requestedBy: null, replyTo: null, requestKey: null },
      },
    ];

    // November 2026: the bill month.
    const monthly = await importing(
      'production',
      'production.csv',
      'family,period,units\nFAM-1,2026-11,900\n',
    );
    expect(monthly).toContain('(1 new, 0 updated, 0 unchanged)');
    expect(monthly).toContain(
      "production for 2026-11 feeds the plan's cash: recompute requested for cycle 2026-12 (reason: import)\n",
    );
    expect(monthly).not.toContain('no recompute needed');
    expect(await recomputes()).toEqual(one);

    // The week of 23 to 29 November: November's again, and its S&OE check. The same one
    // recompute, still waiting out its debounce.
    const weekly = await importing(
      'weekly-production',
      'weekly-production.csv',
      'family,week,units\nFAM-1,2026-11-23,200\n',
    );
    expect(weekly).toContain(
      "production for 2026-11 feeds the plan's cash: recompute requested for cycle 2026-12 (reason: import)\n",
    );
    expect(weekly).toContain('S&OE check requested for the weeks of 2026-11-23\n');
    expect(await recomputes()).toEqual(one);

    // May 2026: no bill month, but it shows FAM-2 still producing, so November needs its row.
    const may = await importing(
      'production',
      'production-may.csv',
      'family,period,units\nFAM-2,2026-05,40\n',
    );
    expect(may).toContain(
      "production for 2026-05 says which families still make things, whose bills the plan's cash pays: recompute requested for cycle 2026-12 (reason: import)\n",
    );
    expect(await recomputes()).toEqual(one);

    // January to March 2024, before November 2025: the plan's cash reads none of it.
    const old = await importing(
      'production',
      'production-2024.csv',
      'family,period,units\nFAM-1,2024-01,10\nFAM-1,2024-02,11\nFAM-2,2024-03,12\n',
    );
    expect(old).toContain('(3 new, 0 updated, 0 unchanged)');
    expect(old.trimEnd().split('\n').at(-1)).toBe(
      'production for 2024-01 to 2024-03: no month the plan pays bills for: no recompute needed',
    );
    expect(old).not.toContain('recompute requested');
    expect(await recomputes()).toEqual(one);
  });

  it('the same run asking twice (a retry) makes one job', async () => {
    const prefix = redisPrefix('import-retry');
    const result = await importCsv(t.db, {
      kind: 'families',
      fileName: 'families.csv',
      text: families(251),
      actor: 'cli:test',
    });
    expect(result.updated).toBe(1);
    const queues = queuesFor(prefix);
    const record = () =>
      t.db.transaction().execute((trx) => recordImportRecompute(trx, cycleId, [result]));
    const ids = [await record(), await record()];
    expect(await deliverJobs(t.db, queues, { ids })).toMatchObject({ delivered: 2, pending: 0 });
    const rows = await t.db
      .selectFrom('job_outbox')
      .select('job_id')
      .where('id', 'in', ids)
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.job_id).not.toBeNull();
    expect(rows[1]!.job_id).toBe(rows[0]!.job_id);
    expect(await recomputeJobs(prefix)).toHaveLength(1);
  });

  it('a file imported again after another changed the rows is a new request', async () => {
    const prefix = redisPrefix('import-revert');
    const a = await writeFamilies('a.csv', 260);
    const b = await writeFamilies('b.csv', 261);
    expect(await main(['import', 'families', a, '--no-recompute'], cli(env(prefix)).io)).toBe(0);
    for (const file of [b, a, b]) {
      const run = cli(env(prefix));
      expect(await main(['import', 'families', file], run.io)).toBe(0);
      expect(run.out()).toContain('recompute requested');
    }
    const jobs = await recomputeJobs(prefix);
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(3);
    expect(await priceOfFam1()).toBe(261);
  });

  it('import all with a bad file imports nothing from the folder and requests no recompute', async () => {
    const prefix = redisPrefix('import-partial');
    const partial = join(dir, 'partial');
    await mkdir(partial);
    const before = await priceOfFam1();
    // families.csv is good and would add FAM-TRAVEL; sales.csv has its history and one bad row.
    await writeFile(
      join(partial, 'families.csv'),
      `${families(before + 19)}FAM-TRAVEL,Travel Kettle,units,90,40,1,5,,0\n`,
    );
    await writeFile(
      join(partial, 'sales.csv'),
      'family,period,units\nFAM-TRAVEL,2026-10,40\nFAM-TRAVEL,2026-11,forty-two\n',
    );
    const run = cli(env(prefix));
    expect(await main(['import', 'all', partial], run.io)).toBe(1);
    expect(run.err()).toContain("sales.csv:3: column 'units': must be a number ≥ 0");
    expect(run.err()).toContain('nothing was imported from any file (they are one transaction)');
    // Neither the price of FAM-1 nor FAM-TRAVEL without its history: the folder is one transaction.
    expect(await priceOfFam1()).toBe(before);
    const travel = await t.db
      .selectFrom('families')
      .select('code')
      .where('code', '=', 'FAM-TRAVEL')
      .execute();
    expect(travel).toEqual([]);
    expect(run.out()).not.toContain('recompute requested');
    expect(await recomputeJobs(prefix)).toHaveLength(0);
  });

  it('a failure after the files are written and before their jobs are recorded leaves neither: importing again is a change again', async () => {
    // Recording what the import owes fails, as when Postgres restarts (or the CLI is killed)
    // between the files and the job outbox: here a trigger refuses the outbox's insert.
    await sql`create function refuse_outbox() returns trigger language plpgsql as $$
      begin raise exception 'the server closed the connection'; end $$`.execute(t.db);
    await sql`create trigger refuse_outbox before insert on job_outbox
      for each row execute function refuse_outbox()`.execute(t.db);
    const prefix = redisPrefix('import-owed');
    const before = await priceOfFam1();
    const file = await writeFamilies('owed.csv', before + 7);
    const weekly = join(dir, 'owed-weekly-sales.csv');
    await writeFile(weekly, 'family,week,units\nFAM-1,2026-12-14,41\n');
    const weekRows = () =>
      t.db
        .selectFrom('weekly_actuals')
        .select('units')
        .where('week', '=', '2026-12-14')
        .where('kind', '=', 'sales')
        .execute();
    const outboxRows = async () =>
      (await t.db.selectFrom('job_outbox').select('id').execute()).length;
    const outboxBefore = await outboxRows();
    try {
      const failedFamilies = cli(env(prefix, 'redis://127.0.0.1:1'));
      expect(await main(['import', 'families', file], failedFamilies.io)).not.toBe(0);
      const failedWeekly = cli(env(prefix, 'redis://127.0.0.1:1'));
      expect(await main(['import', 'weekly-sales', weekly], failedWeekly.io)).not.toBe(0);
      // Nothing half-written: no new price without its recompute, no week without its check.
      expect(await priceOfFam1()).toBe(before);
      expect(await weekRows()).toEqual([]);
      expect(failedFamilies.out()).not.toContain('rows (');
    } finally {
      await sql`drop trigger refuse_outbox on job_outbox`.execute(t.db);
      await sql`drop function refuse_outbox()`.execute(t.db);
    }
    expect(await outboxRows()).toBe(outboxBefore);
    // Once Postgres answers again, the same files are a change, and owe their jobs.
    const again = cli(env(prefix));
    expect(await main(['import', 'families', file], again.io)).toBe(0);
    expect(again.out()).toContain('(0 new, 1 updated, 1 unchanged)');
    expect(again.out()).toContain('recompute requested for cycle 2026-12 (reason: import)\n');
    const weeklyAgain = cli(env(prefix));
    expect(await main(['import', 'weekly-sales', weekly], weeklyAgain.io)).toBe(0);
    expect(weeklyAgain.out()).toContain('(1 new, 0 updated, 0 unchanged)');
    expect(weeklyAgain.out()).toContain('S&OE check requested for the weeks of 2026-12-14\n');
    expect(await priceOfFam1()).toBe(before + 7);
  });

  it('--no-recompute imports and enqueues none', async () => {
    const prefix = redisPrefix('import-no-recompute');
    const file = await writeFamilies('bulk.csv', 270);
    const run = cli(env(prefix));
    expect(await main(['import', 'families', file, '--no-recompute'], run.io)).toBe(0);
    expect(run.out()).toContain('(0 new, 1 updated, 1 unchanged)');
    expect(run.out()).toContain('no recompute requested (--no-recompute)\n');
    expect(await priceOfFam1()).toBe(270);
    expect(await recomputeJobs(prefix)).toHaveLength(0);
  });

  it('--no-recompute is in the usage text', async () => {
    const run = cli(env('unused'));
    expect(await main(['import', '--help'], run.io)).toBe(0);
    expect(run.out()).toContain('[--no-recompute]');
  });

  it('an unreachable Redis still exits 0; the recompute waits in the outbox and a running relay hands it over', async () => {
    const prefix = redisPrefix('import-offline');
    const file = await writeFamilies('offline.csv', 280);
    const run = cli(env(prefix, 'redis://127.0.0.1:1'));
    const started = Date.now();
    expect(await main(['import', 'families', file], run.io)).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await priceOfFam1()).toBe(280);
    expect(run.out()).toContain('(0 new, 1 updated, 1 unchanged)');
    expect(run.out()).not.toContain('recompute requested');
    expect(run.err()).toMatch(
      /^sopbot import: imported, but Redis did not take the recompute of cycle 2026-12 \(.*ECONNREFUSED.*\); it waits in the job outbox, and a running sopbot bot or worker hands it over as soon as Redis answers\n$/,
    );
    // Recorded in Postgres, not delivered.
    const waiting = await t.db
      .selectFrom('job_outbox')
      .select(['id', 'payload'])
      .where('job_name', '=', 'recompute')
      .where('delivered_at', 'is', null)
      .execute();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.payload).toMatchObject({ cycleId, reason: 'import', requestedBy: null });
    expect(String(waiting[0]!.payload.requestKey)).toMatch(
      new RegExp(`^import:c${cycleId}:[0-9a-f]{64}$`),
    );
    expect(await recomputeJobs(prefix)).toHaveLength(0);
    // Redis answers again (here: the shared one, under this test's prefix). A running bot's or
    // worker's relay delivers the request with nobody acting.
    const relay = startOutboxRelay(
      { db: t.db, queue: queuesFor(prefix), logger: createLogger('silent') },
      { intervalMs: 50 },
    );
    try {
      for (let i = 0; i < 200 && (await recomputeJobs(prefix)).length === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
    } finally {
      await relay.stop();
    }
    const jobs = await recomputeJobs(prefix);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toEqual(waiting[0]!.payload);
  });

  it('weekly actuals with Redis down: their S&OE checks wait in the outbox too', async () => {
    const file = join(dir, 'weekly-sales.csv');
    await writeFile(file, 'family,week,units\nFAM-1,2026-11-30,40\nFAM-2,2026-12-07,30\n');
    const run = cli(env(redisPrefix('import-weekly-offline'), 'redis://127.0.0.1:1'));
    expect(await main(['import', 'weekly-sales', file], run.io)).toBe(0);
    expect(run.out()).toContain('(2 new, 0 updated, 0 unchanged)');
    // Two new rows are not "nothing changed": they are actuals, which the plan does not read.
    expect(run.out()).toContain(
      'actuals imported (weekly-sales): they feed the review and S&OE, not the plan: no recompute needed\n',
    );
    expect(run.out()).not.toContain('S&OE check requested');
    expect(run.err()).toMatch(
      /^sopbot import: imported, but Redis did not take the S&OE check of the weeks of 2026-11-30, 2026-12-07 \(.*ECONNREFUSED.*\); it waits in the job outbox/,
    );
    const waiting = await t.db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'execution-check')
      .where('delivered_at', 'is', null)
      .orderBy('id')
      .execute();
    expect(waiting.map((w) => w.payload.week)).toEqual(['2026-11-30', '2026-12-07']);
  });

  it('a Redis that never answers is given up on within the time limit, and the connection closed', async () => {
    const sockets: Socket[] = [];
    const closed: Promise<void>[] = [];
    const silent: Server = createServer((s) => {
      sockets.push(s);
      s.resume(); // read and drop the commands, so the client's FIN is seen
      closed.push(new Promise((resolve) => s.on('close', () => resolve())));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const file = await writeFamilies('silent.csv', 290);
      const run = cli(env(redisPrefix('import-silent'), `redis://127.0.0.1:${port}`));
      const started = Date.now();
      expect(await main(['import', 'families', file], run.io)).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await priceOfFam1()).toBe(290);
      expect(run.err()).toContain(
        'imported, but Redis did not take the recompute of cycle 2026-12 (no answer from Redis within 5000 ms); it waits in the job outbox',
      );
      expect(sockets.length).toBeGreaterThan(0);
      await Promise.all(closed);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('sopbot import with no open cycle', () => {
  const t = useDb();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sopbot-import-no-cycle-'));
    await t.db.insertInto('cycles').values({ month: '2026-11', phase: 'closed' }).execute();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says there is nothing to recompute, exits 0 and enqueues none', async () => {
    const prefix = redisPrefix('import-no-cycle');
    const file = join(dir, 'families.csv');
    await writeFile(file, families(250));
    const run = cli({ DATABASE_URL: t.url, REDIS_URL, SOPBOT_QUEUE_PREFIX: prefix });
    expect(await main(['import', 'families', file], run.io)).toBe(0);
    expect(run.out()).toContain('(2 new, 0 updated, 0 unchanged)');
    expect(run.out().trimEnd().split('\n').at(-1)).toBe('no open cycle: nothing to recompute');
    expect(run.err()).toBe('');
    expect(await recomputeJobs(prefix)).toHaveLength(0);
  });
});
