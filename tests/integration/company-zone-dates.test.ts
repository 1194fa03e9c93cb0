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
});
