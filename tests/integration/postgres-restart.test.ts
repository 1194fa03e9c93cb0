/**
 * Chaos: PostgreSQL restarts under the real bot. While it is down, a command is answered with
 * the truth (the generic apology: nothing was saved) and nothing is half-written; once it is
 * back, the pool's connections that the server dropped are replaced and the same command is
 * saved, with no restart of the bot and nobody acting. The server is the test's own
 * (tests/helpers/postgres-server.ts), stopped and started by the test; the shared one is never
 * touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig } from '../../src/config.js';
import { addMonths } from '../../src/core/period.js';
import { generateCompany } from '../../src/seed/company.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { startStandin } from '../../src/slack-standin/index.js';
import { startHttpBot } from '../helpers/bot.js';
import { insertMembers, redisPrefix } from '../helpers/db.js';
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/postgres-server.js';
import { commandEphemeral } from '../helpers/slack.js';
import { setUpCycle } from './jobs-fixture.js';

const REP = 'U_REN';
const APOLOGY =
  'Something went wrong on our side. It has been logged; please try again in a minute.';

let pg: PrivatePostgres;
let db: Db;
let standin: Standin;
let driver: Driver;
let stopBot: () => Promise<void>;
let month: string;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  db = createDb(pg.url, { max: 2 });
  await migrateToLatest(db);
  const company = generateCompany({ families: 3, months: 24, resources: 2, seed: 5 });
  ({ month } = await setUpCycle(db, company, { horizon: 12 }));
  await insertMembers(db, { [REP]: 'sales' });
  standin = await startStandin({ postMessageRate: false });
  const config = loadConfig(
    {
      DATABASE_URL: pg.url,
      SLACK_BOT_TOKEN: 'xoxb-pg-restart',
      SLACK_SIGNING_SECRET: 'pg-restart-secret',
      SLACK_API_URL: standin.apiUrl,
      LOG_LEVEL: 'silent',
      SOPBOT_QUEUE_PREFIX: redisPrefix('pg-restart'),
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
    },
    { slack: true },
  );
  const started = await startHttpBot(config, standin);
  driver = started.driver;
  stopBot = () => started.bot.stop();
}, 120_000);

afterAll(async () => {
  await stopBot?.();
  await standin?.close();
  await db?.destroy();
  await pg?.remove();
});

const adjustments = async () =>
  (await db.selectFrom('forecast_adjustments').select('id').execute()).length;

describe('PostgreSQL restart', () => {
  it('a command during the outage is told the truth and writes nothing; after it, the same bot saves', async () => {
    const say = (text: string) =>
      commandEphemeral({ standin, driver }, '/forecast', REP, text, { timeoutMs: 20_000 }).then(
        (e) => e.text,
      );
    // Before: the bot works and its pool holds connections to this server.
    expect(await say(`FAM-1 ${addMonths(month, 6)} +5% promotion "before"`)).toMatch(
      /Forecast adjustment saved/,
    );
    const before = await adjustments();
    expect(before).toBeGreaterThan(0);
    await db.destroy();

    await pg.stop();
    // The ack is still 200 (commandEphemeral checks it) and the answer claims nothing.
    expect(await say(`FAM-2 ${addMonths(month, 6)} +7% promotion "during"`)).toBe(
      `:warning: ${APOLOGY}`,
    );

    await pg.start();
    db = createDb(pg.url, { max: 2 });
    // Nothing of the refused command was written.
    expect(await adjustments()).toBe(before);
    // The bot's pool replaces the connections the server dropped: the first command after the
    // restart is saved, by the same bot process.
    expect(await say(`FAM-2 ${addMonths(month, 6)} +7% promotion "after"`)).toMatch(
      /Forecast adjustment saved/,
    );
    const rows = await db
      .selectFrom('forecast_adjustments')
      .select(['comment'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.comment)).toEqual(expect.arrayContaining(['before', 'after']));
    expect(rows.map((r) => r.comment)).not.toContain('during');
  }, 120_000);

  it('a connection in use when the server goes down fails its work, is logged once, and does not crash the process', async () => {
    const warnings: string[] = [];
    const own = createDb(pg.url, {
      max: 1,
      logger: { warn: (_obj, msg) => warnings.push(msg) },
    });
    try {
      let stopped!: () => void;
      const serverDown = new Promise<void>((resolve) => {
        stopped = resolve;
      });
      let holding!: () => void;
      const inUse = new Promise<void>((resolve) => {
        holding = resolve;
      });
      // A transaction that holds its connection while it waits on something else (as the
      // outbox relay does while Redis answers), and the server stops under it.
      const work = own.transaction().execute(async (trx) => {
        await trx.selectFrom('cycles').select('id').execute();
        holding();
        await serverDown;
        return trx.selectFrom('cycles').select('id').execute();
      });
      const outcome = work.then(
        () => 'committed',
        () => 'failed',
      );
      // The server stops only once the connection is in use, however slow the machine.
      await inUse;
      await pg.stop();
      // The drop reaches the idle-in-transaction client as the socket is read: wait for it.
      for (let i = 0; i < 400 && warnings.length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      stopped();
      expect(await outcome).toBe('failed');
      expect(warnings).toEqual([
        'postgres: a connection in use failed; its work fails and the pool drops it',
      ]);
      await pg.start();
      // The pool dropped the broken connection: the next query gets a new one.
      expect((await own.selectFrom('cycles').select('id').execute()).length).toBeGreaterThan(0);
    } finally {
      await own.destroy();
    }
  }, 60_000);
});
