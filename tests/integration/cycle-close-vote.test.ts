/**
 * Closing a cycle closes its open vote, in the same transaction: a closed cycle's decision can
 * no longer be recorded (decisions refuse it), so its vote takes no more votes, its message
 * loses its buttons, and the vote's deadline does not ask the chair for a decision that would
 * be refused. The real bot over HTTP, the Slack stand-in, real Postgres and Redis, and the
 * production worker runtime on the posts and notifications queues.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { SentRequest, Standin } from '../../src/slack-standin/index.js';
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
const EXEC2 = 'U_EXEC2';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'cycle-close-vote',
  members: { [PLANNER]: 'planner', [EXEC1]: 'exec', [EXEC2]: 'exec' },
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
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
});

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
/** The user's ephemerals (answers and receipts), in order. */
const ephemerals = (user: string) => standin.ephemeralsFor(user).map((e) => e.text);
/** The next ephemeral `user` gets after `act`. */
async function answer(user: string, act: () => Promise<unknown>): Promise<string> {
  const n = ephemerals(user).length;
  await act();
  return waitFor(() => ephemerals(user)[n]);
}
const chairPrompts = () =>
  standin
    .messagesIn(`D_${PLANNER}`)
    .filter((m) => JSON.stringify(m.blocks ?? []).includes('decision_open'));

/**
 * The block_actions of `request` (a click on the vote message) as `user` clicking `actionId`
 * (value `value`) on the same message: what a client still showing the message's old
 * buttons sends.
 */
function staleClick(
  request: SentRequest,
  user: string,
  actionId: string,
  value: string,
): SentRequest {
  const payload = JSON.parse(new URLSearchParams(request.body).get('payload')!);
  payload.user = { ...payload.user, id: user, username: user, name: user };
  payload.response_url = standin.issueResponseUrl({
    channel: payload.channel.id,
    user,
    messageTs: payload.container.message_ts,
  });
  payload.actions = [
    { ...payload.actions[0], action_id: actionId, value, action_ts: `${Date.now() / 1000}` },
  ];
  return { ...request, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
}

/** An executive-phase cycle with a plan run and its vote open (chair: the planner). */
async function openVote(month: string) {
  const cycleId = await insertCycle(db, { month, phase: 'executive' });
  const run = await insertRun(db, {
    cycleId,
    runKey: `run-${month}`,
    periods: [month],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  await h.sop(PLANNER, 'vote 24');
  const poll = await pollUntil(
    () =>
      db
        .selectFrom('polls')
        .selectAll()
        .where('cycle_id', '=', cycleId)
        .where('status', '=', 'open')
        .executeTakeFirst(),
    (p) => p?.message_ts != null,
  );
  return { cycleId, poll: poll!, ids: run.ids };
}

describe('/sop cycle close while the vote is open', () => {
  it('closes the vote with the cycle: no more votes, no buttons, no chair prompt at the deadline', async () => {
    const { cycleId, poll, ids } = await openVote('2027-03');
    const ts = poll.message_ts!;
    let click: SentRequest | undefined;
    expect(
      await answer(EXEC1, async () => {
        click = (await h.driver.clickButton('C_EXEC', ts, 'vote_cast_1', { user: EXEC1 })).request;
      }),
    ).toContain('is counted');

    expect(await answer(PLANNER, () => h.sop(PLANNER, 'cycle close'))).toBe(
      'S&OP 2027-03 is closed. No scenario was adopted: the next cycle has no frozen plan to keep.',
    );
    // Before the fix: the poll stayed open (close_reason null).
    const closed = await db
      .selectFrom('polls')
      .select(['status', 'close_reason', 'closed_by'])
      .where('id', '=', poll.id)
      .executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'closed', close_reason: 'cycle', closed_by: PLANNER });

    // The vote message is redrawn by the poll-refresh job: the outcome, no vote buttons.
    const msg = await waitFor(() => {
      const m = standin.messagesIn('C_EXEC').find((x) => x.ts === ts);
      return m && !JSON.stringify(m.blocks ?? []).includes('vote_cast_') ? m : undefined;
    });
    expect(JSON.stringify(msg.blocks)).toContain(
      `Vote closed (<@${PLANNER}> closed the cycle). Most votes: *Central*. No decision was recorded: the cycle closed without one.`,
    );

    // A click from a client still showing the old message (its buttons, as EXEC1's click
    // carried them): refused, not counted. Before the fix: "Your vote for *Cautious* is counted."
    expect(
      await answer(EXEC2, () =>
        h.driver.resend(staleClick(click!, EXEC2, 'vote_cast_2', `${poll.id}:${ids.cautious}`)),
      ),
    ).toBe(
      ':warning: Cycle 2027-03 is closed; its vote no longer takes votes. A planner or admin starts the next cycle with `/sop cycle start`.',
    );
    const votes = await db
      .selectFrom('votes')
      .select('voter')
      .where('poll_id', '=', poll.id)
      .execute();
    expect(votes.map((v) => v.voter)).toEqual([EXEC1]);

    // The vote's deadline (24 h) passes: nothing to close, and no chair prompt for a
    // decision the closed cycle would refuse. Before the fix: closedNow true and the prompt.
    clock.set('2027-03-16T10:00:00Z');
    expect(await h.comeDue('poll-deadline', { pollId: poll.id }, 'notifications')).toEqual({
      closedNow: false,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(chairPrompts()).toEqual([]);
    expect(
      (await db.selectFrom('cycles').select('phase').where('id', '=', cycleId).executeTakeFirst())
        ?.phase,
    ).toBe('closed');
  });

  it('a vote left open on a cycle closed before this fix takes no vote either', async () => {
    const { cycleId, poll } = await openVote('2027-04');
    // As the old close left it: the cycle closed, its vote still open.
    await db.updateTable('cycles').set({ phase: 'closed' }).where('id', '=', cycleId).execute();
    expect(
      await answer(EXEC1, () =>
        h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user: EXEC1 }),
      ),
    ).toBe(
      ':warning: Cycle 2027-04 is closed; its vote no longer takes votes. A planner or admin starts the next cycle with `/sop cycle start`.',
    );
    expect(
      await db.selectFrom('votes').select('id').where('poll_id', '=', poll.id).execute(),
    ).toEqual([]);
  });

  it("the chair's Close and Record the decision, from a client still showing them, open no form the closed cycle would refuse", async () => {
    const { poll } = await openVote('2027-05');
    let click: SentRequest | undefined;
    await answer(EXEC1, async () => {
      click = (
        await h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user: EXEC1 })
      ).request;
    });
    await answer(PLANNER, () => h.sop(PLANNER, 'cycle close'));
    const decisions = await db.selectFrom('decisions').select('id').execute();
    // recordDecision's own refusal, said before a form is filled in rather than after.
    const refusal =
      ':warning: Cycle 2027-05 is closed; its decision can no longer change. Record it in the open cycle.';
    // Before: both opened the decision form, whose submission was then refused.
    expect(
      await answer(PLANNER, () =>
        h.driver.resend(staleClick(click!, PLANNER, 'vote_close', poll.id)),
      ),
    ).toBe(refusal);
    expect(
      await answer(PLANNER, () =>
        h.driver.resend(staleClick(click!, PLANNER, 'decision_open', poll.id)),
      ),
    ).toBe(refusal);
    expect(standin.openViews(PLANNER)).toEqual([]);
    expect(await db.selectFrom('decisions').select('id').execute()).toEqual(decisions);
  });
});
