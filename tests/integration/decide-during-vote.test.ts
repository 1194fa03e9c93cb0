/**
 * `/sop decide` while the cycle's vote is open: the decision settles the vote. The vote
 * closes in the decision's transaction (reason `decided`, the decision attached to it), its
 * message says the chair decided, and neither its deadline nor its buttons ask for a
 * decision again. The real bot over HTTP, the Slack stand-in, real Postgres and Redis, and
 * the production worker runtime on the posts and notifications queues.
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

const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';
const ADMIN = 'U_ADMIN';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'decide-during-vote',
  members: { [EXEC1]: 'exec', [EXEC2]: 'exec', [ADMIN]: 'admin' },
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
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open', vote_quorum: null })
    .execute();
});

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
/** The first of `user`'s ephemerals from index `after` on holding `needle`. */
const ephemeralWith = (user: string, needle: string, after = 0) =>
  waitFor(() =>
    standin
      .ephemeralsFor(user)
      .slice(after)
      .find((e) => e.text.includes(needle)),
  );
/** EXEC1 votes for option 1 and waits for this click's own "is counted" (not an earlier test's). */
async function voteFirst(ts: string): Promise<void> {
  const n = standin.ephemeralsFor(EXEC1).length;
  await h.driver.clickButton('C_EXEC', ts, 'vote_cast_1', { user: EXEC1 });
  await ephemeralWith(EXEC1, 'is counted', n);
}
const messageText = (ts: string) =>
  JSON.stringify(standin.messagesIn('C_EXEC').find((m) => m.ts === ts)?.blocks ?? []);
const chairPrompts = () =>
  standin
    .messagesIn(`D_${EXEC1}`)
    .filter((m) => JSON.stringify(m.blocks ?? []).includes('decision_open'));

/** An executive-phase cycle with a plan run and a 2-hour vote opened by EXEC1 (the chair). */
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
  await h.sop(EXEC1, 'vote 2');
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

const pollRow = (id: string) =>
  db
    .selectFrom('polls')
    .select(['status', 'close_reason', 'closed_by'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const decisionsOf = (cycleId: number) =>
  db
    .selectFrom('decisions')
    .select(['id', 'poll_id', 'scenario_id'])
    .where('cycle_id', '=', cycleId)
    .orderBy('id')
    .execute();

describe('/sop decide while the vote is open', () => {
  it('closes the vote with the decision: its message says so, the deadline asks nobody', async () => {
    const { cycleId, poll, ids } = await openVote('2027-03');
    await voteFirst(poll.message_ts!);

    await h.sop(EXEC1, 'decide cautious "we decided in the room"');
    await ephemeralWith(EXEC1, 'recorded: Adopt the Cautious scenario');
    // Before the fix: the vote stayed open, and the decision had no vote.
    expect(await pollRow(poll.id)).toEqual({
      status: 'closed',
      close_reason: 'decided',
      closed_by: EXEC1,
    });
    const decisions = await decisionsOf(cycleId);
    expect(decisions).toEqual([
      { id: decisions[0]!.id, poll_id: poll.id, scenario_id: ids.cautious },
    ]);
    // The vote message is redrawn in place by the decision's publish job: no buttons.
    await waitFor(() => !messageText(poll.message_ts!).includes('vote_cast_'));
    expect(messageText(poll.message_ts!)).toContain(
      `Vote closed (<@${EXEC1}> recorded the decision). Most votes: *Central*. Decision: *Cautious* adopted.`,
    );

    // The deadline passes: nothing to close, nobody asked to decide.
    clock.set('2027-03-15T12:00:00Z');
    expect(await h.comeDue('poll-deadline', { pollId: poll.id }, 'notifications')).toEqual({
      closedNow: false,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(chairPrompts()).toEqual([]);
    expect(JSON.stringify(standin.messagesIn('C_EXEC'))).not.toContain('Decision pending');
    expect(
      (
        await db
          .selectFrom('cycles')
          .select('adopted_scenario_id')
          .where('id', '=', cycleId)
          .executeTakeFirstOrThrow()
      ).adopted_scenario_id,
    ).toBe(ids.cautious);
  });

  it('a decision typed after the deadline asked the chair settles that vote; its button says so', async () => {
    clock.set('2027-04-15T10:00:00Z');
    const { cycleId, poll, ids } = await openVote('2027-04');
    await voteFirst(poll.message_ts!);
    clock.set('2027-04-15T12:00:00Z');
    expect(await h.comeDue('poll-deadline', { pollId: poll.id }, 'notifications')).toEqual({
      closedNow: true,
    });
    const prompt = await waitFor(() =>
      chairPrompts().find((m) => JSON.stringify(m.blocks).includes(`"${poll.id}"`)),
    );

    await h.sop(EXEC1, 'decide cautious "we decided in the room"');
    await waitFor(() =>
      standin
        .ephemeralsFor(EXEC1)
        .filter((e) => e.text.includes('recorded: Adopt the Cautious scenario'))
        .at(1),
    );
    const [decision] = await decisionsOf(cycleId);
    expect(decision).toEqual({ id: decision!.id, poll_id: poll.id, scenario_id: ids.cautious });
    // The vote message no longer says the decision is pending.
    await waitFor(() => messageText(poll.message_ts!).includes('Decision: *Cautious* adopted'));
    expect(messageText(poll.message_ts!)).toContain(
      `Vote closed (deadline passed). Most votes: *Central*. Decision: *Cautious* adopted, recorded by <@${EXEC1}>.`,
    );
    // The prompt's "Record the decision": decided, no form. Before the fix it opened the form.
    const n = standin.ephemeralsFor(EXEC1).length;
    await h.driver.clickButton(`D_${EXEC1}`, prompt.ts, 'decision_open', { user: EXEC1 });
    expect((await waitFor(() => standin.ephemeralsFor(EXEC1)[n])).text).toBe(
      `Decision ${decision!.id} is already recorded for this vote.`,
    );
  });

  it('a vote, the deadline and /sop decide at once: one outcome, the decision', async () => {
    clock.set('2027-05-15T10:00:00Z');
    const { cycleId, poll, ids } = await openVote('2027-05');
    await voteFirst(poll.message_ts!);
    clock.set('2027-05-15T12:00:00Z');
    await Promise.all([
      h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_3', { user: EXEC2 }),
      h.comeDue('poll-deadline', { pollId: poll.id }, 'notifications'),
      h.sop(EXEC1, 'decide cautious "we decided in the room"'),
    ]);
    await waitFor(() =>
      standin
        .ephemeralsFor(EXEC1)
        .filter((e) => e.text.includes('recorded: Adopt the Cautious scenario'))
        .at(2),
    );
    const decisions = await decisionsOf(cycleId);
    expect(decisions).toEqual([
      { id: decisions[0]!.id, poll_id: poll.id, scenario_id: ids.cautious },
    ]);
    expect((await pollRow(poll.id)).status).toBe('closed');
    // Whichever closed the vote, its message ends with the decision, not "pending".
    await waitFor(() => messageText(poll.message_ts!).includes('Decision: *Cautious* adopted'));
    expect(messageText(poll.message_ts!)).not.toContain('Decision pending');
    // A prompt the deadline sent before the decision committed answers "decided".
    for (const prompt of chairPrompts().filter((m) =>
      JSON.stringify(m.blocks).includes(`"${poll.id}"`),
    )) {
      const n = standin.ephemeralsFor(EXEC1).length;
      await h.driver.clickButton(`D_${EXEC1}`, prompt.ts, 'decision_open', { user: EXEC1 });
      expect((await waitFor(() => standin.ephemeralsFor(EXEC1)[n])).text).toBe(
        `Decision ${decisions[0]!.id} is already recorded for this vote.`,
      );
    }
  });
});
