/**
 * A vote whose deadline passes while the worker is down. The bot still answers clicks, and the
 * vote, its `poll-deadline` job not yet run, was still open: a click three hours past the
 * deadline was counted (and could have reached the quorum). Now the vote takes no votes after
 * its deadline, and the refusal says when it closed; when the worker is back, the outcome is
 * counted from the votes cast in time and says both when the deadline passed and when it was
 * counted. Through the real bot over HTTP with the stand-in, real Postgres and Redis, the
 * production worker runtime, and the test's clock.
 *
 * The company is in New York (EDT, UTC−4, since Sunday 14 March 2027). The vote opens on
 * Monday 15 March at 14:00 UTC (10:00 EDT) for 2 hours: it closes at 16:00 UTC, 12:00 EDT.
 * 2027-01-01T00:00Z is 1798761600 and 15 March is day 73 of the year (31 + 28 + 14), so
 * 16:00Z is 1798761600 + 73 × 86400 (6,307,200) + 16 × 3600 = 1805126400, and 19:00Z,
 * when the worker is back, 1805137200. A click Slack timed at 15:59:30Z (action_ts 1805126370)
 * that reaches the bot at 16:00:30Z, a retry say, was made in time and counts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { SentRequest, Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import {
  insertFamilies,
  insertHandRun,
  pollUntil,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';
const EXEC3 = 'U_EXEC3';

const clock = testClock('2027-03-15T14:00:00Z');
const h = useHarness({
  label: 'vote-closed-late',
  members: { [PLANNER]: 'planner', [EXEC1]: 'exec', [EXEC2]: 'exec', [EXEC3]: 'exec' },
  clock,
});
let db: Db;
let standin: Standin;
let fam: { fam1: number; line: number };

const CLOSES = '<!date^1805126400^{date_short_pretty} {time}|2027-03-15 12:00 America/New_York>';
const BACK = '<!date^1805137200^{date_short_pretty} {time}|2027-03-15 15:00 America/New_York>';

const ephemerals = (user: string) => standin.ephemeralsFor(user).map((e) => e.text);
/** The next ephemeral `user` gets after `act`. */
async function answer(user: string, act: () => Promise<unknown>): Promise<string> {
  const n = ephemerals(user).length;
  await act();
  return standin.waitFor(() => ephemerals(user)[n], 20_000);
}

beforeAll(async () => {
  ({ db, standin } = h);
  fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({
      team_id: 'default',
      exec_channel: 'C_EXEC',
      timezone: 'America/New_York',
      vote_quorum: null,
    })
    .execute();
  const cycleId = await insertCycle(db, {
    month: '2027-03',
    phase: 'executive',
    deadlines: JSON.stringify({ executive: '2027-03-19T21:00:00.000Z' }),
  });
  await insertHandRun(db, cycleId, fam, 'vote-closed-late');
});

describe('a vote whose deadline passes while the worker is down', () => {
  it('takes no vote after its deadline, and its outcome, counted late, says when it closed', async () => {
    await h.sop(PLANNER, 'vote 2');
    const poll = (await pollUntil(
      () => db.selectFrom('polls').selectAll().where('status', '=', 'open').executeTakeFirst(),
      (p) => p?.message_ts != null,
    ))!;
    expect(poll.closes_at!.toISOString()).toBe('2027-03-15T16:00:00.000Z');

    // In time, at 15:00 UTC.
    clock.set('2027-03-15T15:00:00Z');
    expect(
      await answer(EXEC1, () =>
        h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user: EXEC1 }),
      ),
    ).toContain('is counted');

    // Half a minute past the deadline, a click Slack timed half a minute before it: counted.
    clock.set('2027-03-15T16:00:30Z');
    let click: SentRequest | undefined;
    const late = await answer(EXEC3, async () => {
      click = (
        await h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user: EXEC3 })
      ).request;
    });
    // The stand-in times its clicks by the real date, months from the test's clock: not trusted.
    expect(late).toContain('closed at its deadline');
    const payload = JSON.parse(new URLSearchParams(click!.body).get('payload')!);
    payload.actions = [{ ...payload.actions[0], action_ts: '1805126370.000100' }];
    const inTime = {
      ...click!,
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    };
    expect(await answer(EXEC3, () => h.driver.resend(inTime))).toContain('is counted');

    // Three hours past the deadline, the worker down: before, this vote was counted.
    clock.set('2027-03-15T19:00:00Z');
    expect(
      await answer(EXEC2, () =>
        h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_2', { user: EXEC2 }),
      ),
    ).toBe(
      `:warning: Vote ${poll.id} closed at its deadline, 2027-03-15 12:00 America/New_York, so it takes no more votes. Its outcome is shown on the vote's message as soon as it is counted.`,
    );
    const votes = await db
      .selectFrom('votes')
      .select('voter')
      .where('poll_id', '=', poll.id)
      .execute();
    expect(votes.map((v) => v.voter).sort()).toEqual([EXEC1, EXEC3]);

    // The worker is back: the deadline job counts the vote.
    expect(await h.comeDue('poll-deadline', { pollId: poll.id }, 'notifications')).toEqual({
      closedNow: true,
    });
    const outcome = await standin.waitFor(() => {
      const m = standin.messagesIn('C_EXEC').find((x) => x.ts === poll.message_ts);
      return m?.text.includes('Vote closed') ? m.text : undefined;
    }, 20_000);
    // Before: "Vote closed (deadline passed). The vote is tied.": the late vote counted, and
    // nothing said the vote was counted three hours after its deadline.
    expect(outcome).toBe(
      `:lock: Vote closed (deadline passed ${CLOSES}; counted late, ${BACK}). Most votes: Central. Decision pending from the chair <@${PLANNER}>.`,
    );
  });
});

/**
 * A vote whose hours run past the executive phase's deadline closes with the cycle at that
 * deadline (no deadline job of its own). The worker is down across it and back three hours
 * later: the cycle's deadline job closes the cycle and the vote. The outcome said only "the
 * cycle closed at its deadline"; now it says when the deadline passed and when it was counted.
 * By hand: the executive deadline is Friday 16 April 2027 20:00 UTC, 16:00 EDT; 16 April is
 * day 105 of the year (31 + 28 + 31 + 15), so 1798761600 + 105 × 86400 (9,072,000) + 20 × 3600
 * = 1807905600, and 23:00Z, when the worker is back, 1807916400 (19:00 EDT).
 */
describe('a vote closed by its cycle at a deadline the worker was down across', () => {
  it("says when the cycle's deadline passed and when the vote was counted", async () => {
    await db
      .updateTable('cycles')
      .set({ phase: 'closed' })
      .where('month', '=', '2027-03')
      .execute();
    const cycleId = await insertCycle(db, {
      month: '2027-04',
      phase: 'executive',
      deadlines: JSON.stringify({ executive: '2027-04-16T20:00:00.000Z' }),
    });
    await insertHandRun(db, cycleId, fam, 'vote-closed-late-cycle');
    clock.set('2027-04-15T14:00:00Z');
    await h.sop(PLANNER, 'vote 48');
    const poll = (await pollUntil(
      () =>
        db
          .selectFrom('polls')
          .selectAll()
          .where('cycle_id', '=', cycleId)
          .where('status', '=', 'open')
          .executeTakeFirst(),
      (p) => p?.message_ts != null,
    ))!;
    // 48 hours would be Saturday: the vote closes at the phase's deadline, with the cycle.
    expect(poll.closes_at!.toISOString()).toBe('2027-04-16T20:00:00.000Z');
    expect(
      await answer(EXEC1, () =>
        h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user: EXEC1 }),
      ),
    ).toContain('is counted');

    clock.set('2027-04-16T23:00:00Z');
    expect(
      await h.runAgain('phase-deadline', { cycleId, phase: 'executive' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'closed' });
    const outcome = await standin.waitFor(() => {
      const m = standin.messagesIn('C_EXEC').find((x) => x.ts === poll.message_ts);
      return m?.text.includes('Vote closed') ? m.text : undefined;
    }, 20_000);
    const due = '<!date^1807905600^{date_short_pretty} {time}|2027-04-16 16:00 America/New_York>';
    const back = '<!date^1807916400^{date_short_pretty} {time}|2027-04-16 19:00 America/New_York>';
    // Before: "Vote closed (the cycle closed at its deadline)", three hours after it.
    expect(outcome).toBe(
      `:lock: Vote closed (the cycle's deadline passed ${due}; counted late, ${back}). Most votes: Central. No decision was recorded: the cycle closed without one.`,
    );
  });
});
