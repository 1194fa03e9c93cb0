/**
 * One definition each of "the open cycle" and of "the open constraints of a cycle", whoever
 * asks: commands and services (getOpenCycle) and the worker's daily recompute name the same
 * cycle; the cycle's nudges, `/sop status` and the meeting pack list the same constraints
 * (its own, earlier cycles' still open and standing ones, for its months; the pack marks
 * those entered before the cycle as known, not new), the ones its plan applies.
 */
import type { FlowJob } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedCyclesBefore } from '../../db/queries/chart-data.js';
import { openConstraintsByOps } from '../../db/queries/cycle-inputs.js';
import { currentCycle } from '../../db/queries/explain.js';
import { openConstraintLines } from '../../db/queries/pack.js';
import type { JobContext } from '../../jobs/processor-types.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { PROCESSORS } from '../../jobs/registry.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { openConstraintLabels } from '../../src/services/constraints.js';
import { getOpenCycle } from '../../src/services/cycles.js';
import { freshDb, redisPrefix, type TestDb } from '../helpers/db.js';
import { emptyQueues } from './jobs-fixture.js';

let t: TestDb;
let redis: ReturnType<typeof createRedis>;
let queues: Queues;
/** Cycle ids by month: 2027-01 closed; 2027-02 put back into supply review by hand after it
 * was closed (its closed_at stays); 2027-03 closed without a close time. */
const cycles = new Map<string, number>();

beforeAll(async () => {
  t = await freshDb();
  redis = createRedis('redis://127.0.0.1:6379');
  queues = createQueues(redis, redisPrefix('open-definitions'));
  const closedAt = new Date('2027-02-20T00:00:00Z');
  const rows = await t.db
    .insertInto('cycles')
    .values([
      { month: '2027-01', phase: 'closed', closed_at: new Date('2027-01-20T00:00:00Z') },
      { month: '2027-02', phase: 'supply_review', closed_at: closedAt },
      { month: '2027-03', phase: 'closed' },
    ])
    .returning(['id', 'month'])
    .execute();
  for (const r of rows) cycles.set(r.month, r.id);
});

afterAll(async () => {
  await emptyQueues(queues);
  await queues.close();
  redis.disconnect();
  await t.drop();
});

describe('the open cycle', () => {
  it('is the cycle /sop explain reads when no month is named', async () => {
    // 2027-02 is open (its phase), though it has a close time: currentCycle is openCycle.
    expect(await currentCycle(t.db)).toEqual({
      id: cycles.get('2027-02'),
      month: '2027-02',
      closed: false,
    });
  });

  it('closed cycles are decided by phase, for the accuracy chart too', async () => {
    // By phase: 2027-01 and 2027-03 are closed (2027-03 without a close time); 2027-02 was put
    // back into supply review, so it is open whatever its closed_at says.
    expect(await closedCyclesBefore(t.db, '2027-04')).toEqual([
      { id: cycles.get('2027-01'), month: '2027-01' },
      { id: cycles.get('2027-03'), month: '2027-03' },
    ]);
  });

  it('is the same cycle for commands and for the worker’s daily recompute', async () => {
    const open = await getOpenCycle(t.db);
    expect(open?.month).toBe('2027-02');
    // The daily recompute's job, as the scheduler makes it; the flow it starts is recorded.
    const flows: FlowJob[] = [];
    const ctx = {
      db: t.db,
      queue: queues,
      logger: createLogger('silent'),
      job: { id: 'repeat:recompute-daily:1', timestamp: 1 },
      worker: { flows: { add: async (f: FlowJob) => flows.push(f) } },
    } as unknown as JobContext;
    await PROCESSORS['recompute-daily']({}, ctx);
    expect(flows.map((f) => f.children?.[0]?.data.cycleId)).toEqual([cycles.get('2027-02')]);
  });
});

describe('the open constraints of a cycle', () => {
  beforeAll(async () => {
    const res = await t.db
      .insertInto('resources')
      .values([
        { code: 'LINE-1', name: 'Line 1', kind: 'line', regular_capacity: 100 },
        { code: 'LINE-2', name: 'Line 2', kind: 'line', regular_capacity: 100 },
      ])
      .returning(['id', 'code'])
      .execute();
    const line = new Map(res.map((r) => [r.code, r.id]));
    await t.db
      .insertInto('members')
      .values([
        { slack_user_id: 'U_OPS1', role: 'ops' },
        { slack_user_id: 'U_OPS2', role: 'ops' },
        { slack_user_id: 'U_PLAN', role: 'planner' },
      ])
      .execute();
    const feb = cycles.get('2027-02') ?? null;
    const jan = cycles.get('2027-01') ?? null;
    const mar = cycles.get('2027-03') ?? null;
    const update = (
      key: string,
      cycle_id: number | null,
      code: string,
      period: string,
      author: string,
      more: { status?: 'open' | 'resolved'; is_constraint?: boolean } = {},
    ) => ({
      request_key: key,
      cycle_id,
      resource_id: line.get(code) ?? 0,
      period,
      kind: 'delta_units' as const,
      value: -10,
      reason_code: `R-${key}`,
      author,
      source: 'command' as const,
      ...more,
    });
    await t.db
      .insertInto('capacity_updates')
      .values([
        update('own', feb, 'LINE-1', '2027-03', 'U_OPS1'),
        update('standing', null, 'LINE-2', '2027-04', 'U_OPS2'),
        update('earlier', jan, 'LINE-1', '2027-02', 'U_OPS1'),
        update('resolved', feb, 'LINE-2', '2027-03', 'U_OPS1', { status: 'resolved' }),
        update('not-constraint', feb, 'LINE-1', '2027-05', 'U_OPS2', { is_constraint: false }),
        update('planner', feb, 'LINE-2', '2027-06', 'U_PLAN'),
        // January's for January: past in February, no plan of it covers the month.
        update('past', jan, 'LINE-2', '2027-01', 'U_OPS2'),
        // Entered in March's cycle: it did not exist for February's plans.
        update('later', mar, 'LINE-2', '2027-05', 'U_OPS2'),
      ])
      .execute();
  });

  it('are the cycle’s own, earlier cycles’ still open and the standing ones, for its months', async () => {
    const feb = cycles.get('2027-02') ?? 0;
    expect(await openConstraintLabels(t.db, feb)).toEqual([
      'LINE-1 2027-02 (R-earlier)',
      'LINE-1 2027-03 (R-own)',
      'LINE-2 2027-04 (R-standing)',
      'LINE-2 2027-06 (R-planner)',
    ]);
    // Ops members only: the planner's constraint counts for nobody.
    expect(await openConstraintsByOps(t.db, feb)).toEqual([
      { userId: 'U_OPS1', count: 2 },
      { userId: 'U_OPS2', count: 1 },
    ]);
  });

  it('are, in the pack, the same constraints, each with the cycle it was entered in', async () => {
    const feb = cycles.get('2027-02') ?? 0;
    const lines = await openConstraintLines(t.db, feb);
    expect(lines.map((l) => `${l.period} ${l.code} ${l.reason_code} ${l.entered_in}`)).toEqual([
      '2027-02 LINE-1 R-earlier 2027-01',
      '2027-03 LINE-1 R-own 2027-02',
      '2027-04 LINE-2 R-standing null',
      '2027-06 LINE-2 R-planner 2027-02',
    ]);
    expect(lines.map((l) => `${l.code} ${l.period} (${l.reason_code})`).sort()).toEqual(
      await openConstraintLabels(t.db, feb),
    );
  });

  it('are in March’s cycle what is open for March on: February’s and March’s own', async () => {
    const mar = cycles.get('2027-03') ?? 0;
    expect(await openConstraintLabels(t.db, mar)).toEqual([
      'LINE-1 2027-03 (R-own)',
      'LINE-2 2027-04 (R-standing)',
      'LINE-2 2027-05 (R-later)',
      'LINE-2 2027-06 (R-planner)',
    ]);
  });

  it('name a constraint over two months once, with its months, as the status counts it', async () => {
    // The demo's overhaul: one request on LINE-1 for 2027-07 and 2027-08 is one constraint,
    // named "LINE-1 2027-07–2027-08 (R-overhaul)", not once per month; U_OPS1's count in
    // March goes from 1 (R-own) to 2, not 3.
    const mar = cycles.get('2027-03') ?? 0;
    const line1 = await t.db
      .selectFrom('resources')
      .select('id')
      .where('code', '=', 'LINE-1')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('capacity_updates')
      .values(
        ['2027-07', '2027-08'].map((period) => ({
          request_key: 'overhaul',
          cycle_id: mar,
          resource_id: line1.id,
          period,
          kind: 'delta_units' as const,
          value: -10,
          reason_code: 'R-overhaul',
          author: 'U_OPS1',
          source: 'command' as const,
        })),
      )
      .execute();
    expect(await openConstraintLabels(t.db, mar)).toEqual([
      'LINE-1 2027-03 (R-own)',
      'LINE-1 2027-07–2027-08 (R-overhaul)',
      'LINE-2 2027-04 (R-standing)',
      'LINE-2 2027-05 (R-later)',
      'LINE-2 2027-06 (R-planner)',
    ]);
    expect(await openConstraintsByOps(t.db, mar)).toContainEqual({ userId: 'U_OPS1', count: 2 });
  });
});
