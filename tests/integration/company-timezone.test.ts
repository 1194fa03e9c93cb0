/**
 * The company's time zone end to end against Postgres: SOPBOT_TIMEZONE stored in the settings
 * at start, a cycle's deadlines counted in it, and action reminders scheduled in it.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ActionRow } from '../../db/schema.js';
import type { JobName, JobQueue } from '../../jobs/contracts.js';
import { scheduleActionReminders } from '../../src/services/actions.js';
import { type CycleDeps, setPhaseDays, startCycle } from '../../src/services/cycles.js';
import { getSettings, storeTimezone, updateSettings } from '../../src/services/settings.js';
import { useDb } from '../helpers/db.js';

const t = useDb();
const jobs: { name: JobName; delayMs: number }[] = [];
const queue: JobQueue = {
  async enqueue(name, _payload, opts) {
    jobs.push({ name, delayMs: opts?.delayMs ?? 0 });
    return `${name}-${jobs.length}`;
  },
};
const depsAt = (iso: string): CycleDeps => ({
  db: t.db,
  queue,
  clock: { now: () => new Date(iso) },
});
const local = (d: Date | string, zone: string) =>
  DateTime.fromJSDate(new Date(d), { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('the company time zone', () => {
  it('SOPBOT_TIMEZONE is stored in the settings: no row for UTC, created or replaced otherwise', async () => {
    expect(await storeTimezone(t.db, 'UTC')).toBeNull();
    expect(await t.db.selectFrom('workspace_settings').selectAll().execute()).toEqual([]);
    expect(await storeTimezone(t.db, 'Asia/Tokyo')).toBeNull();
    expect((await getSettings(t.db)).timezone).toBe('Asia/Tokyo');
    expect(await storeTimezone(t.db, 'Asia/Tokyo')).toBeNull();
    expect(await storeTimezone(t.db, 'America/Los_Angeles')).toBe('Asia/Tokyo');
    expect((await getSettings(t.db)).timezone).toBe('America/Los_Angeles');
  });

  it('a cycle started on a Friday morning in Tokyo has its deadlines on Tokyo weekdays, at 17:00 there', async () => {
    await updateSettings(t.db, { timezone: 'Asia/Tokyo' });
    await setPhaseDays(t.db, 'U_PLANNER', { data_gathering: 1 });
    jobs.length = 0;
    // Fri 2027-01-08 08:00 JST (Thursday 23:00 UTC).
    const cycle = await startCycle(depsAt('2027-01-07T23:00:00Z'), 'U_PLANNER', '2027-01');
    const stored = await t.db
      .selectFrom('cycles')
      .select('deadlines')
      .where('id', '=', cycle.id)
      .executeTakeFirstOrThrow();
    // The default time of day, 17:00 in the company's zone (JST, UTC+9: 08:00Z).
    expect(local(stored.deadlines.data_gathering!, 'Asia/Tokyo')).toBe('Mon 2027-01-11 17:00');
    for (const iso of Object.values(stored.deadlines))
      expect(local(iso, 'Asia/Tokyo')).toMatch(/^(Mon|Tue|Wed|Thu|Fri) .* 17:00$/);
    // The deadline job waits until that instant.
    const first = jobs.find((j) => j.name === 'phase-deadline');
    expect(first?.delayMs).toBe(
      Date.parse('2027-01-11T08:00:00Z') - Date.parse('2027-01-07T23:00:00Z'),
    );
  });

  it('an action due 2027-02-10 in Los Angeles is reminded at 09:00 Los Angeles time', async () => {
    await updateSettings(t.db, { timezone: 'America/Los_Angeles' });
    jobs.length = 0;
    const now = '2027-02-01T12:00:00Z';
    await scheduleActionReminders(depsAt(now), { id: '1', due_date: '2027-02-10' } as ActionRow);
    const at = jobs.map((j) => local(new Date(Date.parse(now) + j.delayMs), 'America/Los_Angeles'));
    expect(at).toEqual(['Mon 2027-02-08 09:00', 'Wed 2027-02-10 09:00', 'Thu 2027-02-11 09:00']);
  });
});
