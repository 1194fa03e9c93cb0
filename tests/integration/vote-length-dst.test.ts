/**
 * A vote's length in days or weeks is calendar days in the company's zone: it closes at the
 * time of day it opened, across a DST change too; hours stay real hours. The company is in New
 * York, which moves from EST (UTC−5) to EDT (UTC−4) on Sunday 14 March 2027 at 02:00. Votes
 * open on Friday 12 March 2027 at 17:00 EST (22:00 UTC). `/sop vote 3 days` closed 72 real
 * hours later, Monday 22:00 UTC, which is 18:00 EDT: an hour after the time people expect.
 * Every instant is worked by hand. The real bot and worker over the stand-in, Postgres and
 * Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
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

// Friday 2027-03-12 17:00 EST = 22:00 UTC.
const OPENED = '2027-03-12T22:00:00Z';
const clock = testClock(OPENED);
const h = useHarness({ label: 'vote-length-dst', members: { [PLANNER]: 'planner' }, clock });
let db: Db;
let standin: Standin;
let cycleId: number;

/** The vote opened by `/sop vote <length>`, once its message is posted, and the planner's answer. */
async function openVote(length: string) {
  const before = standin.ephemeralsFor(PLANNER).length;
  await h.sop(PLANNER, `vote ${length}`);
  const poll = await pollUntil(
    () => db.selectFrom('polls').selectAll().where('status', '=', 'open').executeTakeFirst(),
    (p) => p?.message_ts != null,
  );
  const answer = await standin.waitFor(() => standin.ephemeralsFor(PLANNER)[before], 20_000);
  const message = standin.messagesIn('C_EXEC').find((m) => m.ts === poll!.message_ts);
  return { poll: poll!, answer: answer.text, message: JSON.stringify(message?.blocks) };
}

/** The delay of vote `pollId`'s deadline job in BullMQ (it was added at OPENED), or null. */
async function deadlineDelay(pollId: string): Promise<number | null> {
  const id = jobId('poll-deadline', { pollId });
  const job = await pollUntil(
    () => h.queues.queue('notifications').getJob(id),
    (j) => j !== undefined,
  );
  return job?.opts.delay ?? null;
}

/** The vote's deadline job runs (promoted), closing it, so the next test can open another. */
async function closeVote(pollId: string): Promise<void> {
  expect(await h.comeDue('poll-deadline', { pollId }, 'notifications')).toEqual({
    closedNow: true,
  });
}

const setPhaseEnd = (executive: string) =>
  db
    .updateTable('cycles')
    .set({ deadlines: JSON.stringify({ executive }) })
    .where('id', '=', cycleId)
    .execute();

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', timezone: 'America/New_York' })
    .execute();
  cycleId = await insertCycle(db, {
    month: '2027-03',
    phase: 'executive',
    // Wednesday 31 March 17:00 EDT: after every vote here but the last test's.
    deadlines: JSON.stringify({ executive: '2027-03-31T21:00:00.000Z' }),
  });
  await insertRun(db, {
    cycleId,
    runKey: 'vote-length-dst-run',
    periods: ['2027-03', '2027-04'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
});

describe('a vote opened on Friday 17:00 EST, before the clocks go forward on Sunday', () => {
  it('`/sop vote 3 days` closes Monday at 17:00 EDT (21:00 UTC), 71 hours later, and its job with it', async () => {
    const { poll, message } = await openVote('3 days');
    // Fri 12 → Mon 15, at 17:00 local; Monday is EDT (UTC−4): 21:00 UTC.
    expect(poll.closes_at!.toISOString()).toBe('2027-03-15T21:00:00.000Z');
    // Fri 22:00Z to Mon 21:00Z: 3 × 24 − 1 = 71 hours (Sunday had 23).
    expect(await deadlineDelay(poll.id)).toBe(71 * 3_600_000);
    // 2027-03-15T21:00Z is unix 1805144400 (2027-03-16T21:00Z, 1805230800, less 86 400).
    expect(message).toContain(
      ' · closes <!date^1805144400^{date_short_pretty} {time}|2027-03-15 17:00 America/New_York>',
    );
    await closeVote(poll.id);
  });

  it('`/sop vote 1 week` closes the next Friday at 17:00 EDT (21:00 UTC), 167 hours later', async () => {
    const { poll } = await openVote('1 week');
    // Fri 12 → Fri 19 at 17:00 EDT = 21:00 UTC: 7 × 24 − 1 = 167 hours.
    expect(poll.closes_at!.toISOString()).toBe('2027-03-19T21:00:00.000Z');
    expect(await deadlineDelay(poll.id)).toBe(167 * 3_600_000);
    await closeVote(poll.id);
  });

  it('`/sop vote 72` keeps 72 real hours: Monday 22:00 UTC, 18:00 EDT', async () => {
    const { poll, message } = await openVote('72');
    // Fri 22:00Z + 72 h = Mon 22:00Z = 18:00 EDT; unix 1805144400 + 3 600 = 1805148000.
    expect(poll.closes_at!.toISOString()).toBe('2027-03-15T22:00:00.000Z');
    expect(await deadlineDelay(poll.id)).toBe(72 * 3_600_000);
    expect(message).toContain(
      ' · closes <!date^1805148000^{date_short_pretty} {time}|2027-03-15 18:00 America/New_York>',
    );
    await closeVote(poll.id);
  });

  it('`/sop vote 3d` with the phase ending Monday 17:30 EDT closes at its own 17:00, not with the phase', async () => {
    // Monday 17:30 EDT = 21:30 UTC: after the 3 days (21:00 UTC), before 72 hours (22:00 UTC).
    await setPhaseEnd('2027-03-15T21:30:00.000Z');
    const { poll, answer } = await openVote('3d');
    expect(poll.closes_at!.toISOString()).toBe('2027-03-15T21:00:00.000Z');
    expect(await deadlineDelay(poll.id)).toBe(71 * 3_600_000);
    expect(answer).not.toContain('are up');
    await closeVote(poll.id);
  });

  it('`/sop vote 3 days` with the phase ending Monday 16:00 EDT says it closes before its 3 days are up', async () => {
    // Monday 16:00 EDT = 20:00 UTC, unix 1805144400 − 3 600 = 1805140800.
    await setPhaseEnd('2027-03-15T20:00:00.000Z');
    const { poll, answer } = await openVote('3 days');
    expect(poll.closes_at!.toISOString()).toBe('2027-03-15T20:00:00.000Z');
    expect(answer).toContain(
      ' It closes <!date^1805140800^{date_short_pretty} {time}|2027-03-15 16:00 America/New_York>, before its 3 days are up: the executive phase ends then and closes the cycle, after which no decision can be recorded.',
    );
  });
});
