/**
 * A vote's hours that run past the executive phase's deadline: the cycle closes at that
 * deadline, and its vote with it, so the vote closes then and says so. The company is in New
 * York; it is Monday 15 March 2027, 10:00 EDT (14:00 UTC), and the executive phase ends on
 * Tuesday at 17:00 EDT (21:00 UTC, unix 1805230800).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import {
  insertFamilies,
  insertRun,
  pollUntil,
  SCENARIOS,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';

const clock = testClock('2027-03-15T14:00:00Z');
const h = useHarness({
  label: 'vote-phase-end',
  members: { [PLANNER]: 'planner', [EXEC1]: 'exec' },
  clock,
});
let db: Db;
let standin: Standin;

const PHASE_END = '2027-03-16T21:00:00.000Z';

/** The open vote once its message is posted. */
const openPoll = () =>
  pollUntil(
    () => db.selectFrom('polls').selectAll().where('status', '=', 'open').executeTakeFirst(),
    (p) => p?.message_ts != null,
  );

/** The `poll-deadline` jobs requested for vote `pollId`. */
const deadlineJobs = async (pollId: string) =>
  (
    await db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'poll-deadline')
      .execute()
  ).filter((j) => j.payload.pollId === pollId);

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', timezone: 'America/New_York' })
    .execute();
  const cycleId = await insertCycle(db, {
    month: '2027-03',
    phase: 'executive',
    deadlines: JSON.stringify({ executive: PHASE_END }),
  });
  await insertRun(db, {
    cycleId,
    runKey: 'phase-end-run',
    periods: ['2027-03', '2027-04'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
});

describe('a vote and the end of the executive phase', () => {
  it('a 2-hour vote, which ends before the phase does, keeps its hours and its own deadline job', async () => {
    await h.sop(PLANNER, 'vote 2');
    const poll = await openPoll();
    // 14:00 UTC plus 2 hours.
    expect(poll!.closes_at!.toISOString()).toBe('2027-03-15T16:00:00.000Z');
    expect(await deadlineJobs(poll!.id)).toHaveLength(1);
    const answer = await standin.waitFor(() =>
      standin.ephemeralsFor(PLANNER).find((e) => e.text.includes(`Vote ${poll!.id} is open`)),
    );
    expect(answer.text).not.toContain('hours are up');
    expect(await h.comeDue('poll-deadline', { pollId: poll!.id }, 'notifications')).toEqual({
      closedNow: true,
    });
  });

  it('a 48-hour vote closes when the phase ends, Tuesday 17:00 in New York, and says so', async () => {
    await h.sop(EXEC1, 'vote');
    const poll = await openPoll();
    // 48 hours would run to Wednesday 14:00 UTC; the cycle closes Tuesday 21:00 UTC.
    expect(poll!.closes_at!.toISOString()).toBe(PHASE_END);
    // The cycle's deadline closes it (with the cycle); no job of its own to race that one.
    expect(await deadlineJobs(poll!.id)).toEqual([]);
    const when = '<!date^1805230800^{date_short_pretty} {time}|2027-03-16 17:00 America/New_York>';
    const answer = await standin.waitFor(() =>
      standin.ephemeralsFor(EXEC1).find((e) => e.text.includes(`Vote ${poll!.id} is open`)),
    );
    expect(answer.text).toContain(
      ` It closes ${when}, before its 48 hours are up: the executive phase ends then and closes the cycle, after which no decision can be recorded.`,
    );
    const message = standin.messagesIn('C_EXEC').find((m) => m.ts === poll!.message_ts);
    expect(JSON.stringify(message?.blocks)).toContain(` · closes ${when}`);
  });
});
