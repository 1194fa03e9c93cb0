/**
 * Test fixture for the meeting tests: plan runs written straight through the tables
 * (plan_runs → plan_scenarios → results), so the vote, decision and pack tests do not
 * depend on the solver.
 */
import type { WebClient } from '@slack/web-api';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/connect.js';
import { actionReminder } from '../../jobs/action-reminder.js';
import { type JobName, type JobQueue, parsePayload } from '../../jobs/contracts.js';
import { nudge } from '../../jobs/nudge.js';
import { pack } from '../../jobs/pack.js';
import { phaseDeadline } from '../../jobs/phase-deadline.js';
import { pollDeadline } from '../../jobs/poll-deadline.js';
import { pollRefresh } from '../../jobs/poll-refresh.js';
import type { JobContext, Processor } from '../../jobs/processor-types.js';
import type { Config } from '../../src/config.js';
import type { Clock } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';

export interface FixtureScenario {
  readonly name: string;
  readonly label: string;
  /** Demand multiplier on the base demand. */
  readonly scale: number;
  readonly totalCost: number;
  readonly fillRate: number;
  /** Production as a share of demand (default 1). */
  readonly produce?: number;
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
  readonly createdAt?: Date;
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
      problem: JSON.stringify({}),
      ...(r.createdAt ? { created_at: r.createdAt } : {}),
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
        }),
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

export async function insertFamilies(
  db: Db,
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
  const line = await db
    .insertInto('resources')
    .values({ code: 'LINE-1', name: 'Assembly line', kind: 'line', regular_capacity: 1000 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    fam1: fams.find((f) => f.code === 'FAM-1')!.id,
    fam2: fams.find((f) => f.code === 'FAM-2')!.id,
    line: line.id,
  };
}

export const SCENARIOS: readonly FixtureScenario[] = [
  { name: 'central', label: 'Central', scale: 1, totalCost: 100_000, fillRate: 0.97 },
  {
    name: 'cautious',
    label: 'Cautious',
    scale: 0.9,
    totalCost: 90_000,
    fillRate: 0.95,
    produce: 0.95,
  },
  { name: 'ambitious', label: 'Ambitious', scale: 1.15, totalCost: 120_000, fillRate: 0.92 },
];

/**
 * A BullMQ worker over the posts and notifications queues that runs the meeting's
 * processors (the same functions jobs/registry.ts maps), so these tests do not load the
 * planning and chart processors.
 */
export function startMeetingWorker(deps: {
  db: Db;
  queue: JobQueue;
  slack: WebClient;
  config: Config;
  clock: Clock;
  connection: Redis;
  prefix: string;
}): { close(): Promise<void> } {
  const processors: { [N in JobName]?: Processor<N> } = {
    'phase-deadline': phaseDeadline,
    nudge,
    'action-reminder': actionReminder,
    'poll-deadline': pollDeadline,
    'poll-refresh': pollRefresh,
    pack,
  };
  const logger = createLogger('silent', 'meeting-test-worker');
  const workers = (['posts', 'notifications'] as const).map(
    (name) =>
      new Worker(
        name,
        async (job) => {
          const jobName = job.name as JobName;
          const p = processors[jobName] as
            | ((x: unknown, c: JobContext) => Promise<unknown>)
            | undefined;
          if (!p) throw new UnrecoverableError(`no meeting processor for ${job.name}`);
          return p(parsePayload(jobName, job.data), {
            db: deps.db,
            queue: deps.queue,
            slack: deps.slack,
            config: deps.config,
            logger,
            clock: deps.clock,
            job,
          });
        },
        { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
      ),
  );
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
