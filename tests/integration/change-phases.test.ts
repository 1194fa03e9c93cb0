/**
 * Which phases take which changes: forecast adjustments close when the demand review ends;
 * capacity updates and constraints are taken until the cycle closes (the supply review is
 * when operations make them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/deps.js';
import { SopError } from '../../src/errors.js';
import { importCompany } from '../../src/import/import-company.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { generateCompany } from '../../src/seed/company.js';
import { type ChangeInput, submitAdjustment } from '../../src/services/adjustments.js';
import { submitCapacityUpdate } from '../../src/services/capacity.js';
import { getMember } from '../../src/services/members.js';
import { preparePlan } from '../../src/services/planning.js';
import { updateSettings } from '../../src/services/settings.js';
import { insertCycle, insertMembers, redisPrefix, useDb } from '../helpers/db.js';
import { emptyQueues } from './jobs-fixture.js';

describe('changes by phase', () => {
  const t = useDb();
  const redis = createRedis('redis://127.0.0.1:6379');
  const queue = createQueues(redis, redisPrefix('phases'));
  beforeAll(async () => {
    await importCompany(
      t.db,
      generateCompany({ families: 4, months: 24, resources: 3, seed: 3 }),
      'test',
    );
    await insertMembers(t.db, { U_OPS: 'ops', U_PLAN: 'planner' });
    await insertCycle(t.db, { month: '2027-01', phase: 'supply_review' });
  });
  afterAll(async () => {
    await emptyQueues(queue);
    await queue.close();
    redis.disconnect();
  });

  const deps = () => ({
    db: t.db,
    queue,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    logger: createLogger('silent'),
    clock: systemClock,
  });

  /** An update of LINE-1 by operations, in %. */
  const updateLine1 = async (
    change: Pick<ChangeInput, 'from' | 'to' | 'value' | 'reason' | 'comment'>,
    requestKey: string,
  ) =>
    submitCapacityUpdate(
      deps(),
      await getMember(t.db, 'U_OPS'),
      { target: 'LINE-1', kind: 'delta_pct', ...change },
      { requestKey, source: 'api' },
    );

  it('takes a capacity update in the supply review', async () => {
    const out = await updateLine1(
      { from: '2027-04', to: '2027-05', value: -30, reason: 'maintenance', comment: 'Overhaul' },
      'phase-cap-1',
    );
    expect(out.lines.map((l) => l.period)).toEqual(['2027-04', '2027-05']);
    expect(out.replay).toBe(false);
    const rows = await t.db.selectFrom('capacity_updates').selectAll().execute();
    expect(rows).toHaveLength(2);
  });

  it('shows the capacity the plan will use: a second -30% applies to what the first left', async () => {
    const out = await updateLine1(
      { from: '2027-04', to: '2027-04', value: -30, reason: 'breakdown', comment: 'Spindle' },
      'phase-cap-2',
    );
    const line = out.lines[0]!;
    expect(line.after).toBeCloseTo(line.before * 0.7, 9);
    const cycle = await t.db.selectFrom('cycles').select('id').executeTakeFirstOrThrow();
    const planned = (await preparePlan(t.db, cycle.id)).check.months.find(
      (m) => m.resource === 'LINE-1' && m.period === '2027-04',
    )!;
    expect(planned.capacity).toBeCloseTo(line.after, 9);
    expect(planned.capacity).toBeCloseTo(planned.baseCapacity * 0.49, 9);
  });

  it('refuses a forecast adjustment once the demand review has ended, and says why', async () => {
    // The review was planned to end in 2099 but the planner moved on on 2027-01-12: the
    // refusal names the day it really ended.
    await t.db
      .updateTable('cycles')
      .set({
        deadlines: JSON.stringify({ demand_review: '2099-01-01T00:00:00.000Z' }),
        phase_entered_at: new Date('2027-01-12T09:00:00Z'),
      })
      .where('month', '=', '2027-01')
      .execute();
    const planner = await getMember(t.db, 'U_PLAN');
    const err = await submitAdjustment(
      deps(),
      planner,
      {
        target: 'FAM-1',
        from: '2027-05',
        to: '2027-05',
        kind: 'delta_pct',
        value: 10,
        reason: 'promotion',
        comment: null,
      },
      { requestKey: 'phase-adj-1', source: 'api' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SopError);
    expect((err as SopError).code).toBe('phase_closed');
    expect((err as SopError).message).toContain('now in Supply review');
    expect((err as SopError).message).toContain('the demand review ended on 2027-01-12');
    expect(await t.db.selectFrom('forecast_adjustments').selectAll().execute()).toHaveLength(0);
  });

  it("names the company's date the demand review ended, not the UTC one", async () => {
    // A Los Angeles company (UTC-8 in January) whose planner moved on at 18:00 on Thursday
    // 2027-01-14 local time: that instant is 2027-01-15T02:00Z, a day later in UTC.
    await updateSettings(t.db, { timezone: 'America/Los_Angeles' });
    await t.db
      .updateTable('cycles')
      .set({ phase_entered_at: new Date('2027-01-15T02:00:00Z') })
      .where('month', '=', '2027-01')
      .execute();
    const err = await submitAdjustment(
      deps(),
      await getMember(t.db, 'U_PLAN'),
      {
        target: 'FAM-1',
        from: '2027-05',
        to: '2027-05',
        kind: 'delta_pct',
        value: 10,
        reason: 'promotion',
        comment: null,
      },
      { requestKey: 'phase-adj-la', source: 'api' },
    ).catch((e: unknown) => e);
    expect((err as SopError).code).toBe('phase_closed');
    expect((err as SopError).message).toContain('the demand review ended on 2027-01-14;');
  });
});
