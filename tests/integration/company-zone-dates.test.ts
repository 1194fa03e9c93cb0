/**
 * The days and times sopbot writes for people are the company's (settings.timezone), in the
 * CLI as in Slack. The company is in Tokyo (UTC+9, no DST): 2027-01-12 20:30 UTC is
 * 2027-01-13 05:30 there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { updateSettings } from '../../src/services/settings.js';
import { insertCycle, useDb } from '../helpers/db.js';

const AT = new Date('2027-01-12T20:30:00Z');

describe('dates in the company time zone (Asia/Tokyo)', () => {
  const t = useDb();
  let cycleId: number;

  beforeAll(async () => {
    await updateSettings(t.db, { timezone: 'Asia/Tokyo' });
    cycleId = await insertCycle(t.db, { month: '2027-01', phase: 'demand_review' });
    const family = await t.db
      .insertInto('families')
      .values({
        code: 'FAM-A',
        name: 'Alpha',
        price: 50,
        unit_cost: 10,
        holding_cost: 1,
        backlog_cost: 6,
        subcontract_cost: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('forecast_adjustments')
      .values({
        cycle_id: cycleId,
        family_id: family.id,
        period: '2027-03',
        author: 'U_REP',
        author_role: 'sales',
        kind: 'delta_units',
        value: 5,
        reason_code: 'promo',
        comment: null,
        zone: 'liquid',
        before_value: 100,
        after_value: 105,
        source: 'cli',
        request_key: 'zone-dates-1',
        created_at: AT,
      })
      .execute();
    const run = await t.db
      .insertInto('plan_runs')
      .values({
        cycle_id: cycleId,
        run_key: 'zone-dates',
        trigger: 'test',
        periods: JSON.stringify(['2027-01']),
        input_hash: 'zone-dates',
        problem: JSON.stringify({}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const scenario = await t.db
      .insertInto('plan_scenarios')
      .values({
        run_id: run.id,
        name: 'central',
        label: 'Central',
        assumptions: JSON.stringify({}),
        status: 'optimal',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('decisions')
      .values({
        cycle_id: cycleId,
        scenario_id: scenario.id,
        title: 'Adopt the Central scenario',
        rationale: 'Service first',
        decided_by: 'U_EXEC',
        decided_at: AT,
        request_key: 'zone-dates-decision',
      })
      .execute();
  });

  const cli = async (argv: string[]) => {
    let out = '';
    const io = {
      stdout: (s: string) => {
        out += s;
      },
      stderr: (s: string) => {
        out += s;
      },
      env: { DATABASE_URL: t.url },
    };
    const code = await main(argv, io);
    return { code, out };
  };

  it('sopbot explain who changed FAM-A dates each change on its Tokyo day', async () => {
    const { code, out } = await cli(['explain', 'who', 'changed', 'FAM-A']);
    expect(code).toBe(0);
    const line = out.split('\n').find((l) => l.includes('promo'));
    expect(line?.split(' · ').at(-1)).toBe('2027-01-13');
  });

  it('sopbot decisions (Markdown) times each decision in Tokyo, naming the zone', async () => {
    const { code, out } = await cli(['decisions', '--cycle', '2027-01']);
    expect(code).toBe(0);
    expect(out).toContain('- Decided by U_EXEC on 2027-01-13 05:30 Asia/Tokyo\n');
    // The CSV keeps the instant in ISO UTC, for machines.
    const csv = await cli(['decisions', '--cycle', '2027-01', '--format', 'csv']);
    expect(csv.out).toContain(',2027-01-12T20:30:00.000Z,');
  });
});
