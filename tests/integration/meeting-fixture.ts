/**
 * Test fixture for the meeting tests: plan runs written straight through the tables
 * (plan_runs → plan_scenarios → results), so the vote, decision and pack tests do not
 * depend on the solver; and a harness of the real bot, the stand-in and the worker runtime.
 * The two-family catalogue (insertFamilies) and the forecast cycle (seedForecastCycle) serve
 * the other Slack tests too.
 */
import { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { vi } from 'vitest';
import type { Db } from '../../db/connect.js';
import {
  type JobInput,
  type JobName,
  jobId,
  parsePayload,
  type QueueName,
} from '../../jobs/contracts.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { startRuntime } from '../../jobs/runtime.js';
import type { Role } from '../../src/core/company.js';
import type { Clock } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { startHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';
import { planFile } from '../helpers/plan-files.js';

export interface FixtureScenario {
  readonly name: string;
  readonly label: string;
  /** Demand multiplier on the base demand. */
  readonly scale: number;
  readonly totalCost: number;
  readonly fillRate: number;
  /** Production as a share of demand (default 1). */
  readonly produce?: number;
  /** More KPIs as the planning service stores them (the margin, the stress test's figures). */
  readonly kpis?: Readonly<Record<string, number>>;
  /** The stress test's summary as the planning service stores it (src/core/stress). */
  readonly stress?: Readonly<Record<string, unknown>>;
}

export interface FixtureRun {
  readonly cycleId: number;
  readonly runKey: string;
  readonly periods: readonly string[];
  /** Base demand per family id and month (same every month). */
  readonly demand: Readonly<Record<number, number>>;
  readonly price: Readonly<Record<number, number>>;
  /** Capacity per resource id, and load per unit of demand. */
  readonly resources: readonly { id: number; capacity: number; loadPerUnit: number }[];
  readonly scenarios: readonly FixtureScenario[];
  /** The plan problem stored with the run (the chart job reads it); `{}` when not given. */
  readonly problem?: unknown;
}

export async function insertRun(
  db: Db,
  r: FixtureRun,
): Promise<{ runId: string; ids: Record<string, string> }> {
  const run = await db
    .insertInto('plan_runs')
    .values({
      cycle_id: r.cycleId,
      run_key: r.runKey,
      trigger: 'test',
      periods: JSON.stringify(r.periods),
      input_hash: r.runKey,
      problem: JSON.stringify(r.problem ?? {}),
      capacity_check: JSON.stringify({ gaps: [] }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: Record<string, string> = {};
  for (const s of r.scenarios) {
    const total = Object.values(r.demand).reduce((a, b) => a + b, 0) * s.scale;
    const peak = Math.max(0, ...r.resources.map((x) => (total * x.loadPerUnit) / x.capacity));
    const sc = await db
      .insertInto('plan_scenarios')
      .values({
        run_id: run.id,
        name: s.name,
        label: s.label,
        assumptions: JSON.stringify({ demandMultiplier: s.scale }),
        status: 'optimal',
        total_cost: s.totalCost,
        kpis: JSON.stringify({
          fillRate: s.fillRate,
          averageInventory: 0,
          averageUtilisation: peak,
          peakUtilisation: peak,
          ...s.kpis,
        }),
        ...(s.stress ? { stress: JSON.stringify(s.stress) } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[s.name] = sc.id;
    const fam = [];
    for (const [fid, d] of Object.entries(r.demand)) {
      for (const p of r.periods) {
        const demand = d * s.scale;
        fam.push({
          scenario_id: sc.id,
          family_id: Number(fid),
          period: p,
          demand,
          production: demand * (s.produce ?? 1),
          subcontract: 0,
          inventory: 0,
          backlog: 0,
          revenue: demand * (r.price[Number(fid)] ?? 0),
        });
      }
    }
    if (fam.length) await db.insertInto('plan_family_results').values(fam).execute();
    const res = r.resources.flatMap((x) =>
      r.periods.map((p) => ({
        scenario_id: sc.id,
        resource_id: x.id,
        period: p,
        load: total * x.loadPerUnit,
        capacity: x.capacity,
        utilisation: (total * x.loadPerUnit) / x.capacity,
      })),
    );
    if (res.length) await db.insertInto('plan_resource_results').values(res).execute();
  }
  return { runId: run.id, ids };
}

/**
 * A plan run of `cycleId` as the plan job writes it, on the hand-checked two-month problem
 * (tests/fixtures, 'hand-two-months'), so its charts can be drawn: 100 units of `fam.fam1` a
 * month at $900 on `fam.line` (capacity 1,000, 1 hour a unit), with the fixture's SCENARIOS.
 */
export function insertHandRun(
  db: Db,
  cycleId: number,
  fam: { readonly fam1: number; readonly line: number },
  runKey: string,
): ReturnType<typeof insertRun> {
  return insertRun(db, {
    cycleId,
    runKey,
    problem: planFile('hand-two-months'),
    periods: ['2027-01', '2027-02'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
}

/**
 * A one-month plan run of `cycleId` (2027-03, no stored problem): 100 units of `fam.fam1` at
 * $900 on `fam.line` (capacity 1,000, 1 hour a unit), with the fixture's SCENARIOS. For tests
 * of what is posted about a run, not of its charts.
 */
export function insertMarchRun(
  db: Db,
  cycleId: number,
  fam: { readonly fam1: number; readonly line: number },
  runKey: string,
): ReturnType<typeof insertRun> {
  return insertRun(db, {
    cycleId,
    runKey,
    periods: ['2027-03'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
}

/** The workspace's settings with its three channels: C_DEMAND, C_SUPPLY and C_EXEC. */
export async function insertChannels(db: Db): Promise<void> {
  await db
    .insertInto('workspace_settings')
    .values({
      team_id: 'default',
      demand_channel: 'C_DEMAND',
      supply_channel: 'C_SUPPLY',
      exec_channel: 'C_EXEC',
    })
    .execute();
}

/**
 * Two families (FAM-1 road bikes, FAM-2 spare parts) and one assembly line, LINE-1 unless
 * `line` names another.
 */
export async function insertFamilies(
  db: Db,
  line: { readonly code: string; readonly name: string } = {
    code: 'LINE-1',
    name: 'Assembly line',
  },
): Promise<{ fam1: number; fam2: number; line: number }> {
  const fams = await db
    .insertInto('families')
    .values([
      {
        code: 'FAM-1',
        name: 'Road bikes',
        price: 900,
        unit_cost: 500,
        holding_cost: 5,
        backlog_cost: 20,
      },
      {
        code: 'FAM-2',
        name: 'Spare parts',
        price: 20,
        unit_cost: 8,
        holding_cost: 1,
        backlog_cost: 2,
      },
    ])
    .returning(['id', 'code'])
    .execute();
  const res = await db
    .insertInto('resources')
    .values({ ...line, kind: 'line', regular_capacity: 1000 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    fam1: fams.find((f) => f.code === 'FAM-1')!.id,
    fam2: fams.find((f) => f.code === 'FAM-2')!.id,
    line: res.id,
  };
}

/**
 * An open 2027-01 cycle (data gathering) with a flat baseline of 1000 for FAM-1 over
 * `months` months, a sales rep covering FAM-1, an operations member, and the demand and
 * supply channels C_DEMAND and C_SUPPLY. Returns the cycle id.
 */
export async function seedForecastCycle(
  db: Db,
  fam1: number,
  who: { readonly rep: string; readonly ops: string; readonly months: number },
): Promise<number> {
  const cycleId = await insertCycle(db, { month: '2027-01', phase: 'data_gathering' });
  const months = Array.from(
    { length: who.months },
    (_, i) => `${2027 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  );
  await db
    .insertInto('baseline_forecasts')
    .values(months.map((period) => ({ cycle_id: cycleId, family_id: fam1, period, value: 1000 })))
    .execute();
  await db
    .insertInto('members')
    .values([
      { slack_user_id: who.rep, role: 'sales' },
      { slack_user_id: who.ops, role: 'ops' },
    ])
    .execute();
  await db
    .insertInto('member_families')
    .values({ slack_user_id: who.rep, family_id: fam1 })
    .execute();
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'T_SOP', demand_channel: 'C_DEMAND', supply_channel: 'C_SUPPLY' })
    .execute();
  return cycleId;
}

export const SCENARIOS: readonly FixtureScenario[] = [
  {
    name: 'central',
    label: 'Central',
    scale: 1,
    totalCost: 100_000,
    fillRate: 0.97,
    kpis: {
      grossMargin: 668_000,
      expectedMargin: 650_000,
      marginP10: 600_000,
      marginP90: 700_000,
      expectedFillRate: 0.93,
      serviceAtRisk: 0.9,
      excessInventoryValue: 12_000,
      excessInventoryValueP90: 20_000,
      cashFlow: 340_000,
      cashFlowP10: 300_000,
      budgetCashFlow: 320_000,
      workingCapital: 150_000,
      workingCapitalVsBudget: 10_000,
    },
  },
  {
    name: 'cautious',
    label: 'Cautious',
    scale: 0.9,
    totalCost: 90_000,
    fillRate: 0.95,
    produce: 0.95,
  },
  {
    name: 'ambitious',
    label: 'Ambitious',
    scale: 1.15,
    totalCost: 120_000,
    fillRate: 0.92,
    kpis: {
      expectedMargin: 660_000,
      marginP90: 760_000,
      serviceAtRisk: 0.86,
      excessInventoryValue: 40_000,
      excessInventoryValueP90: 95_000,
      cashFlowP10: 250_000,
      budgetCashFlow: 320_000,
    },
  },
];

export interface Harness {
  readonly db: Db;
  readonly standin: Standin;
  readonly driver: Driver;
  readonly queues: Queues;
  readonly env: Record<string, string>;
  /** Promote a delayed job (it "comes due") and wait for its return value. */
  comeDue<N extends JobName>(
    name: N,
    payload: JobInput<N>,
    queue: QueueName,
  ): Promise<Record<string, unknown>>;
  /** Remove the job's record and enqueue it again (a redelivery), then wait for its result. */
  runAgain<N extends JobName>(
    name: N,
    payload: JobInput<N>,
    queue: QueueName,
  ): Promise<Record<string, unknown>>;
  finished(queue: QueueName, id: string): Promise<Record<string, unknown>>;
  /** `/sop <text>` as `user`. */
  sop(user: string, text: string, channel?: string): Promise<void>;
  stop(): Promise<void>;
}

/** A clock the test moves: `now()` is the time last `set` (at first, `start`). */
export interface TestClock extends Clock {
  set(at: Date | string): void;
}

export function testClock(start: string): TestClock {
  let at = new Date(start);
  return {
    now: () => new Date(at.getTime()),
    set: (to) => {
      at = new Date(to);
    },
  };
}

export interface HarnessOptions {
  readonly label: string;
  /** Workspace members and their sopbot role (the members table); Slack users too. */
  readonly members?: Readonly<Record<string, Role>>;
  /** Slack users of the workspace who are not members. */
  readonly users?: readonly string[];
  readonly clock: Clock;
  /** The worker's logger (silent unless given): a test that reads what a job logged. */
  readonly workerLogger?: Logger;
  /** The bot's logger (silent unless given): a test that reads what a listener logged. */
  readonly botLogger?: Logger;
  /** SOPBOT_ADMIN_USERS: admins by configuration (Slack users of the workspace too). */
  readonly adminUsers?: readonly string[];
  /** The bot's after-ack slots, its pool sized from them (BotOptions.afterAckSlots). */
  readonly afterAckSlots?: number;
  /**
   * The worker on its own copy of the project's modules (vi.resetModules), as in its own
   * process: what it remembers in memory is not the bot's, only the database is shared.
   */
  readonly workerOwnModules?: boolean;
}

/** startHarness for the enclosing file or describe block: before its tests, stopped after. */
export function useHarness(opts: HarnessOptions): Harness {
  return useFixture(
    () => startHarness(opts),
    (h) => h.stop(),
  );
}

/**
 * The real bot (startBot) against the stand-in, a test database, Redis queues under a unique
 * prefix, and the meeting worker; all with the given clock.
 */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const members = opts.members ?? {};
  const running = await startHttpTestBot(opts.label, {
    standin: {
      postMessageRate: false,
      users: [...Object.keys(members), ...(opts.users ?? []), ...(opts.adminUsers ?? [])].map(
        (id) => ({
          id,
          name: id.slice(2).toLowerCase(),
          real_name: id.slice(2),
          tz: 'UTC',
        }),
      ),
    },
    env: {
      REDIS_URL: 'redis://127.0.0.1:6379',
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_DIGEST_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
      ...(opts.adminUsers ? { SOPBOT_ADMIN_USERS: opts.adminUsers.join(',') } : {}),
    },
    seed: (t) => insertMembers(t.db, members),
    clock: opts.clock,
    ...(opts.botLogger ? { logger: opts.botLogger } : {}),
    ...(opts.afterAckSlots ? { afterAckSlots: opts.afterAckSlots } : {}),
  });
  const { t: tdb, standin, driver, config, env, prefix } = running;
  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  const workerRedis = createRedis(env.REDIS_URL!, 'worker');
  // The production worker runtime (jobs/registry.ts), on the meeting's queues only: the
  // planning queue keeps its jobs so a test can see what was requested.
  if (opts.workerOwnModules) vi.resetModules();
  const start = opts.workerOwnModules
    ? (await import('../../jobs/runtime.js')).startRuntime
    : startRuntime;
  const worker = start(
    {
      db: tdb.db,
      queue: queues,
      slack: new WebClient(env.SLACK_BOT_TOKEN, {
        slackApiUrl: standin.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      }),
      config,
      logger: opts.workerLogger ?? createLogger('silent', `${opts.label}-worker`),
      clock: opts.clock,
      connection: workerRedis,
      prefix,
    },
    { queues: ['posts', 'notifications'] },
  );
  const finished = async (queue: QueueName, id: string) => {
    const q = queues.queue(queue);
    for (let i = 0; i < 400; i++) {
      const job = await q.getJob(id);
      const state = job ? await job.getState() : 'missing';
      // Read the job again once it is done: the copy fetched before may predate the result.
      const done = state === 'completed' || state === 'failed' ? await q.getJob(id) : null;
      if (state === 'completed') return (done?.returnvalue ?? {}) as Record<string, unknown>;
      if (state === 'failed') throw new Error(`job ${id} failed: ${done?.failedReason}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${id} did not finish`);
  };
  return {
    db: tdb.db,
    standin,
    driver,
    queues,
    env,
    finished,
    async comeDue(name, payload, queue) {
      const id = jobId(name, parsePayload(name, payload));
      // The change that requested it may have committed a moment before its job reached the
      // queue (the outbox hands it over after the commit): wait for it, up to 20 s.
      let job = await queues.queue(queue).getJob(id);
      for (let i = 0; !job && i < 400; i++) {
        await new Promise((r) => setTimeout(r, 50));
        job = await queues.queue(queue).getJob(id);
      }
      if (!job) throw new Error(`no job ${id}`);
      if ((await job.getState()) === 'delayed') await job.promote();
      return finished(queue, id);
    },
    async runAgain(name, payload, queue) {
      const id = jobId(name, parsePayload(name, payload));
      await (await queues.queue(queue).getJob(id))?.remove();
      await queues.enqueue(name, payload);
      return finished(queue, id);
    },
    async sop(user, text, channel = 'C_EXEC') {
      const ack = await driver.command('/sop', { user, channel, text });
      if (ack.status !== 200) throw new Error(`/sop ${text}: HTTP ${ack.status}`);
    },
    async stop() {
      await worker.close();
      await queues.close();
      redis.disconnect();
      workerRedis.disconnect();
      await running.stop();
    },
  };
}

/** The job `id` of `queue` once it has completed or failed for good (its attempts used). */
export async function settledJob(queues: Queues, queue: QueueName, id: string): Promise<Job> {
  const q = queues.queue(queue);
  for (let i = 0; i < 600; i++) {
    const job = await q.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (state === 'completed' || state === 'failed') return (await q.getJob(id))!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not settle`);
}

/** Enqueue a job (removing an earlier run of it) and wait until it settles. */
export async function runToEnd<N extends JobName>(
  queues: Queues,
  name: N,
  payload: JobInput<N>,
  queue: QueueName,
): Promise<Job> {
  const id = jobId(name, parsePayload(name, payload));
  await (await queues.queue(queue).getJob(id))?.remove();
  await queues.enqueue(name, payload);
  return settledJob(queues, queue, id);
}

/** Poll `get` until `ok` holds (at most ~20 s); throws with the last value otherwise. */
export async function pollUntil<T>(get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 400; i++) {
    last = await get();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`pollUntil: condition still false; last value ${JSON.stringify(last)}`);
}
