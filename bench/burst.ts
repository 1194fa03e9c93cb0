/**
 * A burst of clicks of one kind, all at once, at the real bot over HTTP (the meeting harness:
 * startBot on its real pool, the stand-in, real Postgres and Redis, the worker in this process):
 * N vote clicks by N executives on one vote, then N Done clicks by N owners, each on their
 * action's DM. Counts the clicks that failed (a person told of an error, an error logged), the
 * clicks that took effect (rows in Postgres) and the acks' p50/p90.
 *
 *   npx tsx bench/burst.ts            # N = 60
 *   N=30 npx tsx bench/burst.ts
 *
 * The driver shares this process with the bot: its ack times include the driver's own work.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createQueues } from '../jobs/queues.js';
import { startRuntime } from '../jobs/runtime.js';
import { startBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createRedis } from '../src/redis.js';
import { recordDecision } from '../src/services/decisions.js';
import { deliverJobs } from '../src/services/outbox.js';
import { INTERNAL_ERROR_TEXT } from '../src/slack/reply.js';
import { createDriver, startStandin } from '../src/slack-standin/index.js';
import { insertCycle, insertMembers } from '../tests/helpers/db.js';
import {
  insertFamilies,
  insertRun,
  SCENARIOS,
  testClock,
} from '../tests/integration/meeting-fixture.js';
import { benchDb } from './lib.js';

const N = Number(process.env.N ?? 60);
if (!Number.isInteger(N) || N <= 0) throw new Error(`N must be a positive whole number, got ${N}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

/** The bot's logger: what it logs at error level, counted. */
function countingLogger() {
  const errors: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      const line = JSON.parse(chunk.toString()) as { level: number; msg?: string; err?: unknown };
      if (line.level >= 50) errors.push(`${line.msg} ${JSON.stringify(line.err ?? '')}`);
      done();
    },
  });
  return { logger: pino({ level: 'error' }, stream), errors };
}

const who = (prefix: string, i: number) => `U_${prefix}${String(i).padStart(3, '0')}`;

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The real bot over HTTP on a database of its own, the stand-in, the worker for its DMs. */
async function startBench(label: string, members: Record<string, 'exec' | 'ops' | 'planner'>) {
  const log = countingLogger();
  const clock = testClock('2027-03-15T10:00:00Z');
  const bench = await benchDb(label, 4);
  // No rate limits: the burst measures the bot's database pool, not Slack's tiers.
  const standin = await startStandin({
    postMessageRate: false,
    tierLimits: false,
    users: Object.keys(members).map((id) => ({
      id,
      name: id.toLowerCase(),
      real_name: id,
      tz: 'UTC',
    })),
  });
  await insertMembers(bench.db, members);
  const prefix = `sopbot-${label}-${randomBytes(3).toString('hex')}`;
  const env = {
    DATABASE_URL: bench.url,
    SLACK_BOT_TOKEN: `xoxb-${label}`,
    SLACK_SIGNING_SECRET: `${label}-secret`,
    SLACK_API_URL: standin.apiUrl,
    REDIS_URL,
    LOG_LEVEL: 'silent',
    SOPBOT_QUEUE_PREFIX: prefix,
    SOPBOT_RECOMPUTE_CRON: 'off',
    SOPBOT_DIGEST_CRON: 'off',
    SOPBOT_CHART_WARMUP_ROUNDS: '0',
  };
  const config = loadConfig(env, { slack: true });
  const bot = await startBot(config, { port: 0, clock, logger: log.logger });
  const driver = createDriver({
    botUrl: `http://127.0.0.1:${bot.slack.port()}/slack/events`,
    signingSecret: env.SLACK_SIGNING_SECRET,
    standin,
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  const workerRedis = createRedis(REDIS_URL, 'worker');
  const worker = startRuntime(
    {
      db: bench.db,
      queue: queues,
      slack: new WebClient(env.SLACK_BOT_TOKEN, {
        slackApiUrl: standin.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      }),
      config,
      logger: createLogger('silent', `${label}-worker`),
      clock,
      connection: workerRedis,
      prefix,
    },
    { queues: ['posts', 'notifications'] },
  );
  return {
    log,
    clock,
    db: bench.db,
    standin,
    driver,
    queues,
    async sop(user: string, text: string) {
      const ack = await driver.command('/sop', { user, channel: 'C_EXEC', text });
      if (ack.status !== 200) throw new Error(`/sop ${text}: HTTP ${ack.status}`);
    },
    async stop() {
      await worker.close();
      await bot.stop();
      for (const name of ['planning', 'posts', 'notifications'] as const)
        await queues.queue(name).obliterate({ force: true });
      await queues.close();
      redis.disconnect();
      workerRedis.disconnect();
      await standin.close();
      await bench.drop();
    },
  };
}
type Harness = Awaited<ReturnType<typeof startBench>>;

async function harness(label: string, members: Record<string, 'exec' | 'ops' | 'planner'>) {
  const h = await startBench(label.replaceAll('-', '_'), members);
  const { log, clock } = h;
  const fam = await insertFamilies(h.db);
  await h.db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  const cycleId = await insertCycle(h.db, { month: '2027-03', phase: 'executive' });
  const run = await insertRun(h.db, {
    cycleId,
    runKey: `${label}-run`,
    periods: ['2027-03'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  return { h, log, clock, cycleId, run };
}

/** Polls `count` until it reaches `want` or stops moving for 5 s (at most 60 s). */
async function settle(count: () => Promise<number>, want: number): Promise<number> {
  let last = -1;
  let still = performance.now();
  const start = performance.now();
  for (;;) {
    const n = await count();
    if (n !== last) {
      last = n;
      still = performance.now();
    }
    if (n >= want || performance.now() - still > 5_000 || performance.now() - start > 60_000)
      return n;
    await sleep(100);
  }
}

/** What a person was told of an error, in their ephemerals and DMs. */
function apologies(h: Harness, users: readonly string[]): number {
  let n = 0;
  for (const u of users) {
    const texts = [
      ...h.standin.ephemeralsFor(u).map((e) => e.text),
      ...h.standin.messagesIn(`D_${u}`).map((m) => m.text),
    ];
    if (texts.some((t) => t.includes(INTERNAL_ERROR_TEXT) || t.startsWith(':warning:'))) n += 1;
  }
  return n;
}

interface Figures {
  readonly kind: string;
  readonly effective: number;
  readonly told: number;
  readonly logged: number;
  readonly acks: readonly number[];
  readonly notOk: number;
  readonly firstError: string | undefined;
}

async function voteBurst(): Promise<Figures> {
  const voters = Array.from({ length: N }, (_, i) => who('EXEC', i));
  const members: Record<string, 'exec' | 'planner'> = { U_PLAN: 'planner' };
  for (const v of voters) members[v] = 'exec';
  const { h, log, cycleId } = await harness('bench-burst-vote', members);
  try {
    await h.sop('U_PLAN', 'vote 24');
    let poll: { id: string; message_ts: string | null } | undefined;
    for (let i = 0; i < 400 && !poll?.message_ts; i++) {
      poll = await h.db
        .selectFrom('polls')
        .select(['id', 'message_ts'])
        .where('cycle_id', '=', cycleId)
        .executeTakeFirst();
      if (!poll?.message_ts) await sleep(50);
    }
    const ts = poll?.message_ts;
    if (!poll || !ts) throw new Error('the vote was not posted');
    const acks = await Promise.all(
      voters.map((user) =>
        h.driver
          .clickButton('C_EXEC', ts, 'vote_cast_1', { user })
          .then((a) => ({ ms: a.ackMs, ok: a.status === 200 })),
      ),
    );
    const pollId = poll.id;
    const effective = await settle(async () => {
      const r = await h.db
        .selectFrom('votes')
        .select(h.db.fn.count<string>('voter').distinct().as('n'))
        .where('poll_id', '=', pollId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    }, N);
    // Every click is answered (a receipt or an apology): wait for those too.
    await settle(async () => voters.filter((u) => h.standin.ephemeralsFor(u).length > 0).length, N);
    return figures('vote', h, log, voters, effective, acks);
  } finally {
    await h.stop();
  }
}

async function doneBurst(): Promise<Figures> {
  const owners = Array.from({ length: N }, (_, i) => who('OPS', i));
  const members: Record<string, 'exec' | 'ops'> = { U_EXEC: 'exec' };
  for (const o of owners) members[o] = 'ops';
  const { h, log, clock, cycleId, run } = await harness('bench-burst-done', members);
  try {
    const rec = await recordDecision(
      { db: h.db, queue: h.queues, clock },
      {
        cycleId,
        pollId: null,
        scenarioId: run.ids.central!,
        rationale: 'Service first',
        decidedBy: 'U_EXEC',
        requestKey: 'bench-burst-decision',
        actions: owners.map((owner, i) => ({
          owner,
          dueDate: '2027-03-25',
          description: `Book overtime, shift ${i}`,
        })),
      },
    );
    await deliverJobs(h.db, h.queues, { ids: rec.jobRequests });
    const dms = await Promise.all(
      owners.map((o, i) =>
        h.standin.waitFor(
          () =>
            h.standin
              .messagesIn(`D_${o}`)
              .find(
                (m) =>
                  m.text.includes(`shift ${i}`) && JSON.stringify(m.blocks).includes('action_done'),
              ),
          60_000,
        ),
      ),
    );
    const acks = await Promise.all(
      owners.map((user, i) =>
        h.driver
          .clickButton(`D_${user}`, dms[i]!.ts, 'action_done', { user })
          .then((a) => ({ ms: a.ackMs, ok: a.status === 200 })),
      ),
    );
    const effective = await settle(async () => {
      const r = await h.db
        .selectFrom('actions')
        .select(h.db.fn.countAll<string>().as('n'))
        .where('status', '=', 'done')
        .executeTakeFirstOrThrow();
      return Number(r.n);
    }, N);
    // Each DM drawn done (or an apology): give the redraws time to land.
    await settle(
      async () =>
        owners.filter(
          (o, i) =>
            !JSON.stringify(
              h.standin.messagesIn(`D_${o}`).find((m) => m.ts === dms[i]!.ts),
            ).includes('action_done') || apologies(h, [o]) > 0,
        ).length,
      N,
    );
    return figures('Done', h, log, owners, effective, acks);
  } finally {
    await h.stop();
  }
}

function figures(
  kind: string,
  h: Harness,
  log: ReturnType<typeof countingLogger>,
  users: readonly string[],
  effective: number,
  acks: readonly { ms: number; ok: boolean }[],
): Figures {
  return {
    kind,
    effective,
    told: apologies(h, users),
    logged: log.errors.length,
    acks: acks.map((a) => a.ms).sort((a, b) => a - b),
    notOk: acks.filter((a) => !a.ok).length,
    firstError: log.errors[0],
  };
}

const rows: Figures[] = [await voteBurst(), await doneBurst()];
const f = (x: number) => x.toFixed(0).padStart(6);
process.stdout.write(
  [
    `a burst of ${N} clicks of one kind at once (real bot over HTTP, stand-in, this process)`,
    `kind   effective  told an error  errors logged  acks not 200   ack p50 ms  ack p90 ms`,
    ...rows.map(
      (r) =>
        `${r.kind.padEnd(6)} ${`${r.effective}/${N}`.padStart(9)}  ${String(r.told).padStart(13)}  ${String(r.logged).padStart(13)}  ${String(r.notOk).padStart(12)}  ${f(quantile(r.acks, 0.5))}      ${f(quantile(r.acks, 0.9))}`,
    ),
    ...rows
      .filter((r) => r.firstError)
      .map((r) => `${r.kind}: first error logged: ${r.firstError}`),
    '',
  ].join('\n'),
);
