/**
 * `sopbot pack --as-of D`: D is a day of the company's calendar. In Auckland (UTC+13 in
 * January) an action due 2027-01-15 is not overdue on 2027-01-15, whatever the hour in UTC.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { updateSettings } from '../../src/services/settings.js';
import { insertCycle, useDb } from '../helpers/db.js';

function cli(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), env },
  };
}

describe('sopbot pack --as-of', () => {
  const t = useDb();
  let actionId: string;

  beforeAll(async () => {
    await updateSettings(t.db, { timezone: 'Pacific/Auckland' });
    const earlier = await insertCycle(t.db, { month: '2026-12', phase: 'closed' });
    await insertCycle(t.db, { month: '2027-01', phase: 'executive' });
    const row = await t.db
      .insertInto('actions')
      .values({
        cycle_id: earlier,
        description: 'Confirm the second supplier',
        owner: 'U_OWNER',
        due_date: '2027-01-15',
        created_by: 'U_EXEC',
        request_key: 'pack-as-of-1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    actionId = row.id;
  });

  const pack = async (asOf: string) => {
    const c = cli({ DATABASE_URL: t.url });
    const code = await main(['pack', '--cycle', '2027-01', '--as-of', asOf], c.io);
    return { code, md: c.out.join(''), err: c.err.join('') };
  };

  it('judges actions against the company-zone day it names', async () => {
    // Due 2027-01-15 in Auckland: on that day it is open, not overdue; the next day it is.
    const onTheDay = await pack('2027-01-15');
    expect(onTheDay.code).toBe(0);
    expect(onTheDay.md).toContain(`#${actionId} `);
    expect(onTheDay.md).not.toContain(`OVERDUE #${actionId}`);
    const dayAfter = await pack('2027-01-16');
    expect(dayAfter.code).toBe(0);
    expect(dayAfter.md).toContain(`OVERDUE #${actionId}`);
  });

  it('refuses a day the calendar does not have, rather than rolling it over', async () => {
    // 2027 is not a leap year: February has 28 days, and no month has a 31st of April.
    for (const asOf of ['2027-02-30', '2027-02-29', '2027-04-31', '15/01/2027']) {
      const refused = await pack(asOf);
      expect(refused.code).toBe(2);
      expect(refused.err).toContain(`sopbot pack: --as-of: '${asOf}' is not a date`);
    }
    expect((await pack('2028-02-29')).code).toBe(0); // 2028 is a leap year
  });
});
