/**
 * A decision never adopts figures a newer plan run has replaced, whatever the path. A vote
 * that closed on run 1 before run 2 was written: the post-charts job that announces run 2
 * tells the vote (its message and thread), the chair's "Record the decision" answers how to go
 * on instead of opening a form of run 1, a form opened before run 2 is refused on submit with
 * nothing written, and `/sop decide central` adopts run 2's Central, settling the vote while
 * its log, its message and the pack say the vote was out of date rather than crediting or
 * contradicting its tally. The real bot over HTTP, the Slack stand-in, real Postgres and Redis,
 * and the production worker runtime on the posts and notifications queues.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { castVote } from '../../src/services/polls.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { insertFamilies, insertHandRun, testClock, useHarness } from './meeting-fixture.js';

const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'decide-replaced',
  members: { [EXEC1]: 'exec', [EXEC2]: 'exec' },
  clock,
});
let db: Db;
let standin: Standin;
let fam: { fam1: number; line: number };

beforeAll(async () => {
  ({ db, standin } = h);
  fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open', vote_quorum: 2 })
    .execute();
});

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
/** The next ephemeral `user` gets after `act`. */
const answer = (user: string, act: () => Promise<unknown>) => nextEphemeral(standin, user, act);
/** A plan run of the cycle, as the plan job writes it (with a problem its charts can draw). */
const writeRun = (cycleId: number, runKey: string) => insertHandRun(db, cycleId, fam, runKey);
/** The job that announces a finished run (and tells a vote on an older run). */
const announce = async (runId: string) => {
  await h.finished(
    'posts',
    await h.queues.enqueue('post-charts', { runId, charts: ['scenarios'] }),
  );
};
const pollRow = (id: string) =>
  db.selectFrom('polls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const messageOf = (ts: string) =>
  JSON.stringify(standin.messagesIn('C_EXEC').find((m) => m.ts === ts)?.blocks ?? []);
const chairPrompts = () =>
  standin
    .messagesIn(`D_${EXEC1}`)
    .filter((m) => JSON.stringify(m.blocks ?? []).includes('decision_open'));
const adopted = async (cycleId: number) =>
  (
    await db
      .selectFrom('cycles')
      .select('adopted_scenario_id')
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow()
  ).adopted_scenario_id;
/** The decision log posted in the vote's thread: its closing context line. */
const logFooter = (ts: string) =>
  waitFor(() => {
    const log = standin.threadReplies('C_EXEC', ts).find((m) => m.text.startsWith('Decision '));
    const blocks = (log?.blocks ?? []) as { type: string; elements?: { text: string }[] }[];
    return blocks.find((b) => b.type === 'context')?.elements?.[0]?.text;
  });

describe('a vote closed on a plan run that a newer run then replaced', () => {
  const notice =
    ':warning: Plan run 2 replaced run 1, which vote 1 is on; its figures are out of date, so no decision can be recorded on them. `/sop decide` decides on the latest run, or `/sop vote` starts a new vote on it.';

  it('takes no decision on the old figures, from the button or an open form; /sop decide adopts the latest and says the vote was out of date', async () => {
    const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
    const run1 = await writeRun(cycleId, 'before-the-vote');
    expect(run1.runId).toBe('1');
    expect(await answer(EXEC1, () => h.sop(EXEC1, 'vote 24'))).toBe(
      'Vote 1 is open in <#C_EXEC> with 3 scenarios; you chair it (Close button).',
    );
    const ts = (await pollRow('1')).message_ts!;

    // Both executives vote Central of run 1: the quorum of 2 closes the vote.
    expect(
      await answer(EXEC1, () => h.driver.clickButton('C_EXEC', ts, 'vote_cast_1', { user: EXEC1 })),
    ).toContain('is counted');
    await h.driver.clickButton('C_EXEC', ts, 'vote_cast_1', { user: EXEC2 });
    const prompt = await waitFor(() => chairPrompts()[0]);
    expect(await pollRow('1')).toMatchObject({ status: 'closed', close_reason: 'quorum' });
    await waitFor(() => messageOf(ts).includes('Decision pending from the chair'));

    // The chair opens the decision form on run 1's figures, and leaves it open.
    await h.driver.clickButton(`D_${EXEC1}`, prompt.ts, 'decision_open', { user: EXEC1 });
    const form = await waitFor(() => standin.openViews(EXEC1).at(-1));
    expect(JSON.stringify(form.definition.blocks)).toContain(`"value":"${run1.ids.central}"`);

    // A capacity update's recompute (or `/sop plan`) writes run 2; its announcement tells the
    // closed vote, once.
    const run2 = await writeRun(cycleId, 'after-the-vote');
    expect(run2.runId).toBe('2');
    await announce('2');
    await h.runAgain('post-charts', { runId: '2', charts: ['scenarios'] }, 'posts');
    // Before the fix: nothing in the thread, and the message still said "Decision pending".
    expect(
      standin
        .threadReplies('C_EXEC', ts)
        .filter((m) => m.text.includes('replaced run'))
        .map((m) => m.text),
    ).toEqual([notice]);
    expect(messageOf(ts)).toContain(
      ':lock: Vote closed (quorum reached). Most votes: *Central*. Its figures are out of date: plan run 2 replaced run 1. `/sop decide` decides on the latest run, or `/sop vote` starts a new vote on it.',
    );
    expect(messageOf(ts)).not.toContain('Decision pending');

    // "Record the decision" now answers how to go on; no form of run 1 opens. Before the fix
    // it opened one.
    const views = standin.openViews(EXEC1).length;
    expect(
      await answer(EXEC1, () =>
        h.driver.clickButton(`D_${EXEC1}`, prompt.ts, 'decision_open', { user: EXEC1 }),
      ),
    ).toBe(notice);
    expect(standin.openViews(EXEC1)).toHaveLength(views);
    // A late click on the closed vote (from a client still showing its buttons; the message
    // has none, so it is sent to the service as the click handler would) is not told that
    // the chair records the decision, which the chair no longer can.
    await expect(
      castVote(
        db,
        {
          pollId: '1',
          voter: EXEC2,
          scenarioId: run1.ids.cautious!,
          requestKey: 'late-click',
          counted: true,
        },
        new Date(),
      ),
    ).rejects.toThrow(
      'Vote 1 is closed, so it takes no more votes. Plan run 2 replaced run 1, which vote 1 is on; its figures are out of date, so no decision can be recorded on them. `/sop decide` decides on the latest run, or `/sop vote` starts a new vote on it.',
    );

    // The form opened before run 2, submitted now: refused, and nothing written. Before the
    // fix it adopted run 1's Central.
    const res = await h.driver.submitView(form.id, {
      user: EXEC1,
      values: {
        scenario: { pick: run1.ids.central! },
        rationale: { text: 'Central, as the executives voted.' },
        a1_owner: { owner: EXEC2 },
        a1_due: { due: '2027-03-25' },
        a1_desc: { desc: 'Book weekend overtime on LINE-1' },
      },
    });
    // Slack shows a field's error as plain text: the commands in quotes, not in backticks
    // (before the fix: "`/sop decide` decides …", backticks and all).
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: {
        rationale:
          'Plan run 2 replaced run 1, which vote 1 is on; its figures are out of date, so no decision can be recorded on them. "/sop decide" decides on the latest run, or "/sop vote" starts a new vote on it.',
      },
    });
    expect(await db.selectFrom('decisions').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('actions').select('id').execute()).toEqual([]);
    expect(
      await db
        .selectFrom('job_outbox')
        .select('job_name')
        .where('job_name', 'in', ['decision-publish', 'action-reminder'])
        .execute(),
    ).toEqual([]);
    expect(
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'decision.record')
        .execute(),
    ).toEqual([]);
    expect(await adopted(cycleId)).toBeNull();

    // `/sop decide central` adopts run 2's Central and settles the vote.
    expect(
      await answer(EXEC1, () => h.sop(EXEC1, 'decide central "Run 2 has the new capacity"')),
    ).toBe('Decision 1 recorded: Adopt the Central scenario.');
    const decisions = await db
      .selectFrom('decisions')
      .select(['id', 'poll_id', 'scenario_id'])
      .execute();
    expect(decisions).toEqual([{ id: '1', poll_id: '1', scenario_id: run2.ids.central }]);
    expect(await adopted(cycleId)).toBe(run2.ids.central);

    // The log in the vote's thread claims no vote for run 2's Central, nor one against it.
    // Before the fix: "… against the executives' vote (0 of 2 votes for it)".
    expect(await logFooter(ts)).toBe(
      `Recorded by exec1 on 2027-03-15 10:00 UTC without a vote on plan run 2: vote 1 was on run 1, whose figures were out of date · plan run 2, Central scenario`,
    );
    // The vote's message names the decision's run; before the fix it showed the scenario's id.
    await waitFor(() => messageOf(ts).includes(':white_check_mark:'));
    expect(messageOf(ts)).toContain(
      `:white_check_mark: Vote closed (quorum reached). Most votes: *Central*. Its figures were out of date: plan run 2 replaced run 1. Decision: *Central* of run 2 adopted, recorded by <@${EXEC1}>.`,
    );
    // The pack says it in the same words.
    expect(packMarkdown(await buildPack(db, '2027-03', clock.now()))).toContain(
      `Decided: Central scenario, recorded by ${EXEC1} without a vote on plan run 2: vote 1 was on run 1, whose figures were out of date.`,
    );

    // The vote's deadline passes: it is settled, and nobody is asked again.
    clock.set('2027-03-16T10:00:00Z');
    expect(await h.comeDue('poll-deadline', { pollId: '1' }, 'notifications')).toEqual({
      closedNow: false,
    });
    expect(chairPrompts()).toHaveLength(1);
  });
});

describe('an open vote on a replaced run, settled by /sop decide', () => {
  it('closes it with the decision, whose log says the vote was out of date, not that it closed it early', async () => {
    clock.set('2027-04-15T10:00:00Z');
    const cycleId = await insertCycle(db, { month: '2027-04', phase: 'executive' });
    expect((await writeRun(cycleId, 'april-first')).runId).toBe('3');
    expect(await answer(EXEC1, () => h.sop(EXEC1, 'vote 24'))).toBe(
      'Vote 2 is open in <#C_EXEC> with 3 scenarios; you chair it (Close button).',
    );
    const ts = (await pollRow('2')).message_ts!;
    expect(
      await answer(EXEC2, () => h.driver.clickButton('C_EXEC', ts, 'vote_cast_1', { user: EXEC2 })),
    ).toContain('is counted');
    const run4 = await writeRun(cycleId, 'april-second');
    expect(run4.runId).toBe('4');

    expect(
      await answer(EXEC1, () => h.sop(EXEC1, 'decide central "Run 4 has the new capacity"')),
    ).toMatch(/^Decision \d+ recorded: Adopt the Central scenario\.$/);
    expect(
      await db
        .selectFrom('decisions')
        .select(['poll_id', 'scenario_id'])
        .where('cycle_id', '=', cycleId)
        .execute(),
    ).toEqual([{ poll_id: '2', scenario_id: run4.ids.central }]);
    expect(await pollRow('2')).toMatchObject({
      status: 'closed',
      close_reason: 'decided',
      closed_by: EXEC1,
    });
    // Before the fix: "… closing the executives' vote early (0 of 1 vote for it)".
    expect(await logFooter(ts)).toBe(
      `Recorded by exec1 on 2027-04-15 10:00 UTC without a vote on plan run 4: vote 2 was on run 3, whose figures were out of date · plan run 4, Central scenario`,
    );
    await waitFor(() => messageOf(ts).includes(':white_check_mark:'));
    expect(messageOf(ts)).toContain(
      `:white_check_mark: Vote closed (<@${EXEC1}> recorded the decision). Most votes: *Central*. Its figures were out of date: plan run 4 replaced run 3. Decision: *Central* of run 4 adopted.`,
    );
  });
});
