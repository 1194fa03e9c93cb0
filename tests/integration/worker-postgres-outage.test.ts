/**
 * Chaos: PostgreSQL is down for longer than a job's retries last (5 attempts, backoff 1 + 2 +
 * 4 + 8 s) just as a morning's reminders come due. The job waits for the database without
 * using its attempts, and once the server is back the owner's digest goes out, once; the
 * outage is logged once (with its stack) and its end once, not at every attempt. Before, the
 * reminder job failed for good after 15 s and the digest was never sent.
 *
 * The real worker runtime on a PostgreSQL of the test's own (tests/helpers/postgres-server.ts),
 * stopped and started by the test, real Redis under a prefix of its own, the Slack stand-in.
 */
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { type JobRuntime, startRuntime } from '../../jobs/runtime.js';
import { loadConfig } from '../../src/config.js';
import { createRedis } from '../../src/redis.js';
import { type Standin, startStandin } from '../../src/slack-standin/index.js';
import { insertCycle, insertMembers, redisPrefix } from '../helpers/db.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/postgres-server.js';
import { testClock } from './meeting-fixture.js';

const OPS = 'U_OPS';
/** Longer than the five attempts' backoff (1 + 2 + 4 + 8 = 15 s). */
const OUTAGE_MS = 17_000;

const { logger, lines } = recordedLogs();

const clock = testClock('2027-03-17T09:00:00Z');
let pg: PrivatePostgres;
let db: Db;
let workerDb: Db;
let standin: Standin;
let queues: Queues;
let redis: Redis;
let workerRedis: Redis;
let runtime: JobRuntime;
let a1 = '';
let a2 = '';

beforeAll(async () => {
  pg = await startPrivatePostgres();
  db = createDb(pg.url, { max: 2 });
  await migrateToLatest(db);
  await insertMembers(db, { [OPS]: 'ops' });
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const ids = await db
    .insertInto('actions')
    .values(
      ['Book weekend overtime', 'Call the supplier'].map((description, i) => ({
        cycle_id: cycleId,
        description,
        owner: OPS,
        due_date: '2027-03-17',
        created_by: OPS,
        request_key: `pg-outage-${i}`,
      })),
    )
    .returning('id')
    .execute();
  [a1, a2] = ids.map((r) => r.id) as [string, string];
  standin = await startStandin({
    postMessageRate: false,
    users: [{ id: OPS, name: 'ops', real_name: 'Ops', tz: 'UTC' }],
  });
  const prefix = redisPrefix('pg-outage-worker');
  const config = loadConfig(
    {
      DATABASE_URL: pg.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SLACK_BOT_TOKEN: 'xoxb-pg-outage',
      SLACK_API_URL: standin.apiUrl,
      LOG_LEVEL: 'silent',
      SOPBOT_QUEUE_PREFIX: prefix,
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_DIGEST_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
    },
    { slack: false },
  );
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  queues = createQueues(redis, prefix);
  workerRedis = createRedis('redis://127.0.0.1:6379', 'worker');
  workerDb = createDb(pg.url, { max: 2 });
  runtime = startRuntime(
    {
      db: workerDb,
      queue: queues,
      slack: new WebClient('xoxb-pg-outage', {
        slackApiUrl: standin.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      }),
      config,
      logger,
      clock,
      connection: workerRedis,
      prefix,
    },
    { queues: ['notifications'] },
  );
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  await queues?.close();
  redis?.disconnect();
  workerRedis?.disconnect();
  await workerDb?.destroy();
  await db?.destroy();
  await standin?.close();
  await pg?.remove();
});

describe('PostgreSQL down when a reminder comes due', () => {
  it('the job waits for the database without using its attempts; the digest goes out once it is back, and the outage is logged once', async () => {
    // The worker's pool holds a connection to this server before it stops.
    await workerDb.selectFrom('actions').select('id').execute();
    await db.destroy();
    await pg.stop();
    const payload = parsePayload('action-reminder', {
      actionId: a1,
      kind: 'due',
      occurrence: '2027-03-17',
    });
    await queues.enqueue('action-reminder', payload);
    const id = jobId('action-reminder', payload);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const during = await queues.queue('notifications').getJob(id);
    // Still waiting: not failed for good, whatever its attempts would have allowed.
    expect(await during?.getState()).not.toBe('failed');
    expect(standin.messagesIn(`D_${OPS}`)).toHaveLength(0);

    await pg.start();
    db = createDb(pg.url, { max: 2 });
    const dm = await standin.waitFor(() => standin.messagesIn(`D_${OPS}`)[0], 30_000);
    // One digest of both actions due today (reminder-digest.test.ts has its layout).
    expect(dm.text).toBe(
      `:bell: 2 follow-up actions need your attention today: #${a1} Book weekend overtime (due today); #${a2} Call the supplier (due today)`,
    );
    let state = '';
    for (let i = 0; i < 100 && state !== 'completed'; i++) {
      state = (await (await queues.queue('notifications').getJob(id))?.getState()) ?? 'missing';
      if (state !== 'completed') await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('completed');
    const done = await queues.queue('notifications').getJob(id);
    expect(done?.returnvalue).toEqual({ result: 'sent' });
    expect(standin.messagesIn(`D_${OPS}`)).toHaveLength(1);

    // The outage: one error line with its stack, one line when it is over, no 'job failed'.
    const errors = lines.filter((l) => l.level >= 50);
    expect(errors.map((l) => l.msg)).toEqual([
      'the database does not answer: jobs wait for it without using their attempts',
    ]);
    expect(errors[0]!.err?.stack).toMatch(/ECONNREFUSED|terminat|shut/i);
    expect(lines.filter((l) => /database answers again/.test(l.msg))).toHaveLength(1);
  }, 90_000);
});
