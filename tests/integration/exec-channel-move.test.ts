/**
 * The executive channel moved while a vote is open there: `/sop settings channels exec #board`
 * answered with the settings alone, as if the vote had moved too. The vote stays where it was
 * posted until it closes (its decision is threaded under it there): the answer now says so, and
 * where new votes go. Whether the change moved the channel is decided under the settings' lock:
 * another change at the same instant is not this one's. Through the real bot over HTTP with the
 * stand-in, against Postgres and Redis.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { insertFamilies, insertHandRun, testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const PLANNER = 'U_PLAN';
const EVE = 'U_EVE';

const h = useHarness({
  label: 'exec-channel-move',
  members: { [ADMIN]: 'admin', [PLANNER]: 'planner', [EVE]: 'exec' },
  clock: testClock('2027-03-15T10:00:00Z'),
});

beforeAll(async () => {
  const fam = await insertFamilies(h.db);
  await h.db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC' })
    .execute();
  const cycleId = await insertCycle(h.db, { month: '2027-03', phase: 'executive' });
  await insertHandRun(h.db, cycleId, fam, 'exec-channel-move');
});

const answer = (user: string, text: string) =>
  nextEphemeral(h.standin, user, () => h.sop(user, text, 'C_GENERAL'));

describe('moving the executive channel while a vote is open', () => {
  it('says the vote stays where it is, and where new votes go', async () => {
    expect(await answer(PLANNER, 'vote 24')).toBe(
      'Vote 1 is open in <#C_EXEC> with 3 scenarios; you chair it (Close button).',
    );
    const moved = await answer(ADMIN, 'settings channels exec <#C_BOARD|board>');
    expect(moved).toContain('exec <#C_BOARD>');
    expect(moved.split('\n').at(-1)).toBe(
      'Vote 1 (2027-03) stays open in <#C_EXEC> until it closes, and its decision is posted in its thread there; new votes go to <#C_BOARD>.',
    );
    // Another channel, or the executive channel set to where the vote is: nothing to say.
    expect(await answer(ADMIN, 'settings channels supply <#C_SUPPLY|supply>')).not.toContain(
      'Vote 1',
    );
    expect(await answer(ADMIN, 'settings channels exec <#C_EXEC|exec>')).not.toContain('Vote 1');
  });

  it('a change of the horizon while another moves the channel says nothing of the vote', async () => {
    // Another admin's change holds the settings row, the executive channel set to #board in it.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const other = h.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select team_id from workspace_settings for update`.execute(conn);
      await sql`update workspace_settings set exec_channel = 'C_BOARD'`.execute(conn);
      locked();
      await held;
      await sql`commit`.execute(conn);
    });
    await isLocked;
    // This admin sets the horizon meanwhile: it reads the settings, then waits for the row.
    const said = answer(ADMIN, 'settings horizon 20');
    await untilWaiting(1);
    release();
    await other;
    // Before: it had read the channel (#exec) before the other change was committed, compared
    // it with the row it stored (#board), and said the vote stayed behind, as if it had moved it.
    const text = await said;
    expect(text).toContain('exec <#C_BOARD>');
    expect(text).toContain('Horizon: 20 months');
    expect(text).not.toContain('Vote 1');
  });
});

/** Sessions of the test database waiting on a lock. */
async function waiting(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`.execute(h.db);
  return r.rows[0]?.n ?? 0;
}
async function untilWaiting(n: number): Promise<void> {
  for (let i = 0; i < 400 && (await waiting()) < n; i++)
    await new Promise((r) => setTimeout(r, 25));
  expect(await waiting()).toBe(n);
}
