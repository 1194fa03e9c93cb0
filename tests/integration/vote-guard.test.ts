/**
 * Executives never vote on figures that are out of date. `/sop vote` opens only in the
 * executive phase (before it, the cycle's own recomputes replace the run a vote would be on);
 * `/sop vote mode|quorum` still configure the next votes in any phase. A plan run that
 * finishes while a vote is open on an older run of the cycle is announced on the vote: its
 * message is redrawn with a warning and without vote buttons, its thread is told once per vote
 * and run (however often the announcing job runs), a click on the old figures is refused, and
 * `/sop vote` replaces the out-of-date vote with one on the latest run. The real bot over HTTP,
 * the Slack stand-in, real Postgres and Redis, and the production worker runtime on the posts
 * and notifications queues.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { SentRequest, Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { insertFamilies, insertHandRun, testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'vote-guard',
  members: { [ADMIN]: 'admin', [PLANNER]: 'planner', [EXEC1]: 'exec', [EXEC2]: 'exec' },
  clock,
});
let db: Db;
let standin: Standin;
let fam: { fam1: number; line: number };
let cycleId: number;

beforeAll(async () => {
  ({ db, standin } = h);
  fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'supply_review' });
});

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
/** The next ephemeral `user` gets after `act`. */
const answer = (user: string, act: () => Promise<unknown>) => nextEphemeral(standin, user, act);
const phase = async () =>
  (
    await db
      .selectFrom('cycles')
      .select('phase')
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow()
  ).phase;
/** A plan run of the cycle, as the plan job writes it (with a problem its charts can draw). */
const writeRun = (runKey: string) => insertHandRun(db, cycleId, fam, runKey);
const polls = () => db.selectFrom('polls').selectAll().orderBy('id').execute();
const blocksOf = (ts: string) =>
  JSON.stringify(standin.messagesIn('C_EXEC').find((m) => m.ts === ts)?.blocks ?? []);

describe('/sop vote before the executive phase', () => {
  it('is refused in supply review and pre-S&OP, naming the phase, writing nothing; the settings still change; in the executive phase it opens', async () => {
    const first = await writeRun('before-executive');
    expect(first.runId).toBe('1');

    // Configuring the next votes is not a vote: it works in any phase.
    expect(await answer(ADMIN, () => h.sop(ADMIN, 'vote quorum 2'))).toBe(
      'Next votes close when 2 executives have voted.',
    );

    expect(await answer(PLANNER, () => h.sop(PLANNER, 'vote 24'))).toBe(
      ':warning: Cycle 2027-03 is in Supply review; the scenario vote opens in Executive S&amp;OP, once pre-S&amp;OP has compared the scenarios. A planner or admin moves the cycle on with `/sop cycle next`.',
    );
    // Before the fix: a poll on run 1, which entering pre-S&OP recomputes.
    expect(await polls()).toEqual([]);
    expect(
      await db.selectFrom('audit_log').select('id').where('action', '=', 'poll.open').execute(),
    ).toEqual([]);
    expect(
      await db
        .selectFrom('job_outbox')
        .select('id')
        .where('job_name', '=', 'poll-deadline')
        .execute(),
    ).toEqual([]);

    expect(await answer(PLANNER, () => h.sop(PLANNER, 'cycle next supply_review'))).toContain(
      '→ *Pre-S&OP*',
    );
    expect(await phase()).toBe('pre_sop');
    expect(await answer(EXEC1, () => h.sop(EXEC1, 'vote'))).toBe(
      ':warning: Cycle 2027-03 is in Pre-S&amp;OP; the scenario vote opens in Executive S&amp;OP, once pre-S&amp;OP has compared the scenarios. A planner or admin moves the cycle on with `/sop cycle next`.',
    );
    expect(await polls()).toEqual([]);

    expect(await answer(PLANNER, () => h.sop(PLANNER, 'cycle next pre_sop'))).toContain(
      '→ *Executive S&OP*',
    );
    expect(await phase()).toBe('executive');
    expect(await answer(PLANNER, () => h.sop(PLANNER, 'vote 24'))).toBe(
      'Vote 1 is open in <#C_EXEC> with 3 scenarios; you chair it (Close button).',
    );
    const [poll] = await polls();
    expect(poll).toMatchObject({ id: '1', run_id: '1', status: 'open', quorum: 2 });
    expect(poll!.message_ts).not.toBeNull();
    expect(blocksOf(poll!.message_ts!)).toContain('vote_cast_1');
  });
});

describe('a plan run finishing while the vote is open on an older run', () => {
  const notice =
    ':warning: Plan run 2 replaced run 1, which this vote is on; its figures are out of date, so the vote takes no more votes. `/sop vote` starts a new vote on the latest run and closes this one.';
  const noticesIn = (ts: string) =>
    standin.threadReplies('C_EXEC', ts).filter((m) => m.text.includes('replaced run'));

  it('refuses clicks on the old figures, tells the vote once however often the run is announced, and `/sop vote` replaces the vote', async () => {
    const ts = (await polls())[0]!.message_ts!;
    expect(
      await answer(EXEC1, () => h.driver.clickButton('C_EXEC', ts, 'vote_cast_1', { user: EXEC1 })),
    ).toContain('is counted');

    // `/sop plan` or a capacity update in the executive phase: the plan job writes run 2.
    expect((await writeRun('after-the-vote')).runId).toBe('2');
    // A client still showing the buttons: the click on run 1's figures is refused.
    let click: SentRequest | undefined;
    expect(
      await answer(EXEC2, async () => {
        click = (await h.driver.clickButton('C_EXEC', ts, 'vote_cast_2', { user: EXEC2 })).request;
      }),
    ).toBe(notice);
    expect(
      await db.selectFrom('votes').select('voter').where('counted', '=', true).execute(),
    ).toEqual([{ voter: EXEC1 }]);

    // The executive phase's nudge: EXEC2's vote is not in, and vote 1 can no longer take it.
    // Before the fix: "Vote with the buttons on the vote message", which has none to click.
    const nudge = { cycleId, phase: 'executive' as const };
    expect(
      (await h.finished('notifications', await h.queues.enqueue('nudge', nudge))).sent,
    ).toEqual([EXEC2]);
    expect(standin.messagesIn(`D_${EXEC2}`).map((m) => m.text)).toEqual([
      'Reminder for S&OP 2027-03: the executive phase closes soon and your vote on the scenarios is not in yet. Plan run 2 replaced run 1, which vote 1 is on; its figures are out of date, so it takes no more votes. `/sop vote` starts a new vote on the latest run and closes vote 1.',
    ]);

    // The job that announces run 2 (post-charts) tells the vote; run again (a retry), and
    // again (redelivered), it tells it nothing more.
    const charts = { runId: '2', charts: ['scenarios' as const] };
    await h.finished('posts', await h.queues.enqueue('post-charts', charts));
    await h.runAgain('post-charts', charts, 'posts');
    await h.runAgain('post-charts', charts, 'posts');
    // Before the fix: no word in the vote's thread, and its buttons stayed.
    expect(noticesIn(ts).map((m) => m.text)).toEqual([notice]);
    const redrawn = blocksOf(ts);
    expect(redrawn).toContain('Plan run 2 replaced run 1');
    expect(redrawn).not.toContain('vote_cast_');
    expect(redrawn).toContain('vote_close');

    // `/sop vote` closes the out-of-date vote and opens one on run 2.
    expect(await answer(PLANNER, () => h.sop(PLANNER, 'vote 24'))).toBe(
      'Vote 2 is open in <#C_EXEC> with 3 scenarios; you chair it (Close button). It replaces vote 1, whose plan run 1 was out of date.',
    );
    const [old, fresh] = await polls();
    expect(old).toMatchObject({ status: 'closed', close_reason: 'replaced', closed_by: PLANNER });
    expect(fresh).toMatchObject({ id: '2', run_id: '2', status: 'open' });
    await waitFor(() => blocksOf(ts).includes('started a new vote'));
    // The refused click delivered again: the old vote is closed, and says why.
    expect(await answer(EXEC2, () => h.driver.resend(click!))).toBe(
      ':warning: Vote 1 is closed, so it takes no more votes: its figures were out of date, and a new vote on the latest plan run took its place.',
    );
    expect(blocksOf(ts)).toContain(
      'Vote closed (<@U_PLAN> started a new vote on the latest plan run). Most votes: *Central*. Its figures are out of date: plan run 2 replaced run 1.',
    );
    expect(fresh!.message_ts).not.toBeNull();
    expect(blocksOf(fresh!.message_ts!)).toContain('vote_cast_1');

    // Run 2 announced once more: the new vote is on it, so nothing is said anywhere.
    await h.runAgain('post-charts', charts, 'posts');
    expect(noticesIn(ts)).toHaveLength(1);
    expect(noticesIn(fresh!.message_ts!)).toEqual([]);

    // The replaced vote's deadline asks its chair for no decision on run 1's figures.
    await h.comeDue('poll-deadline', { pollId: '1' }, 'notifications');
    expect(
      standin
        .messagesIn(`D_${PLANNER}`)
        .filter((m) => JSON.stringify(m.blocks ?? []).includes('decision_open')),
    ).toEqual([]);
  });
});

describe('a quorum typed as something other than a whole number', () => {
  it('is refused, and the quorum set before stands', async () => {
    // The first test set 2. `0x10` was taken for 16 and `1e1` for 10 (read with Number).
    const quorum = async () =>
      (await db.selectFrom('workspace_settings').select('vote_quorum').executeTakeFirstOrThrow())
        .vote_quorum;
    expect(await quorum()).toBe(2);
    for (const typed of ['0x10', '2.5', '1,000', 'N/A'])
      expect(await answer(ADMIN, () => h.sop(ADMIN, `vote quorum ${typed}`))).toBe(
        `:warning: quorum: give a number of executive votes from 1 to 100, or \`off\`, got \`${typed}\`.`,
      );
    // An exponent or full-width digits are told what to write (10 and 3 by hand).
    expect(await answer(ADMIN, () => h.sop(ADMIN, 'vote quorum 1e1'))).toBe(
      ':warning: quorum: `1e1` is in scientific notation: write 10.',
    );
    expect(await answer(ADMIN, () => h.sop(ADMIN, 'vote quorum ３'))).toBe(
      ':warning: quorum: `３` is written in full-width characters: write 3.',
    );
    expect(await quorum()).toBe(2);
    // Typed as people type numbers elsewhere: `3` and `+3` are 3.
    // Of the two executives, EXEC1 and EXEC2: a third is needed to reach it.
    expect(await answer(ADMIN, () => h.sop(ADMIN, 'vote quorum +3'))).toBe(
      'Next votes close when 3 executives have voted. There are 2 executives now: until 3 have the role (`/sop role @person exec`), only the chair or the deadline closes a vote.',
    );
    expect(await quorum()).toBe(3);
  });
});
