/**
 * An executive who stops being one (`/sop role @x none`, or a role whose votes do not count)
 * while a vote is open: their vote stops counting in the role change's transaction, in the
 * tally and the quorum alike, the row kept for the record and audited; the vote message is
 * redrawn (the job outbox, then the production `poll-refresh` job); the admin is told which
 * vote lost it, and, when the executive role comes back while the vote is open, that they vote
 * again. A closed vote is history: a role change leaves it as it was. The real bot over HTTP,
 * the Slack stand-in, real Postgres and Redis and the worker runtime.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { executivesYetToVote } from '../../src/services/cycle-posts.js';
import { castVote } from '../../src/services/polls.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { insertFamilies, insertMarchRun, testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';
const EXEC3 = 'U_EXEC3';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'vote-role-change',
  members: {
    [ADMIN]: 'admin',
    [PLANNER]: 'planner',
    [EXEC1]: 'exec',
    [EXEC2]: 'exec',
    [EXEC3]: 'exec',
  },
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;
let voteTs = '';

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
const answer = (user: string, act: () => Promise<unknown>) => nextEphemeral(standin, user, act);
const pollMessage = () =>
  JSON.stringify(standin.messagesIn('C_EXEC').find((m) => m.ts === voteTs)?.blocks ?? []);
/** The vote message's tally section, as it reads in Slack (JSON's escapes undone). */
const tallyOf = () => {
  const blocks = (standin.messagesIn('C_EXEC').find((m) => m.ts === voteTs)?.blocks ?? []) as {
    type: string;
    text?: { text?: string };
  }[];
  return blocks.find((b) => b.type === 'section' && b.text?.text?.includes('executive vote'))?.text
    ?.text;
};
const click = (user: string, button: string) =>
  answer(user, () => h.driver.clickButton('C_EXEC', voteTs, button, { user }));
const votesOf = (voter: string) =>
  db
    .selectFrom('votes')
    .select(['counted', 'superseded_at', 'superseded_reason'])
    .where('voter', '=', voter)
    .orderBy('id')
    .execute();

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open', vote_quorum: 3 })
    .execute();
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  await insertMarchRun(db, cycleId, fam, 'role-change-run');
});

describe('a role change while a vote is open', () => {
  it("takes the removed executive's vote out of the tally and the quorum, and says which vote lost it", async () => {
    await h.sop(PLANNER, 'vote');
    const msg = await waitFor(() =>
      standin
        .messagesIn('C_EXEC')
        .find((m) => JSON.stringify(m.blocks ?? []).includes('vote_cast_1')),
    );
    voteTs = msg.ts;
    // Buttons in the fixture's order: 1 Central, 2 Cautious, 3 Ambitious.
    expect(await click(EXEC1, 'vote_cast_1')).toContain('Your vote for *Central* is counted');
    expect(await click(EXEC2, 'vote_cast_1')).toContain('Your vote for *Central* is counted');
    // By hand: Central has EXEC1 and EXEC2, 2 counted of a quorum of 3.
    await waitFor(() => tallyOf()?.includes('quorum 2/3'));
    expect(tallyOf()).toBe(
      `*Central*: 2 votes <@${EXEC1}> <@${EXEC2}>\n*Cautious*: 0 votes\n*Ambitious*: 0 votes\n_2 executive votes counted · quorum 2/3 · votes shown by name_`,
    );

    const told = await answer(ADMIN, () => h.sop(ADMIN, `role <@${EXEC2}|exec2> none`));
    expect(told).toBe(
      `<@${EXEC2}> no longer has a role in sopbot (they were *Executive*) and covers no families: they are not asked for input, nudged or counted in votes. Their vote for *Central* in vote 1 (2027-03), still open, no longer counts: the vote's tally and quorum are redrawn without it. Made Executive again while it is open, they vote again to be counted. Vote 1 (2027-03) closes when 3 executives have voted, and there are 2 executives now: until 3 have the role (\`/sop role @person exec\`), only its chair or its deadline closes it.`,
    );
    // (EXEC1 and EXEC3 are left of three: the quorum of 3 is out of reach, and said so.)
    // Before: Central still had 2 votes, EXEC2's among them, and the quorum counted it.
    await waitFor(() => tallyOf()?.includes('quorum 1/3'));
    expect(tallyOf()).toBe(
      `*Central*: 1 vote <@${EXEC1}>\n*Cautious*: 0 votes\n*Ambitious*: 0 votes\n_1 executive vote counted · quorum 1/3 · votes shown by name_`,
    );
    // The row stays for the record, marked; the admin's change is audited on the vote.
    expect(await votesOf(EXEC2)).toEqual([
      { counted: true, superseded_at: expect.any(Date), superseded_reason: 'role' },
    ]);
    const audited = await db
      .selectFrom('audit_log')
      .select(['actor', 'entity_id', 'details'])
      .where('action', '=', 'vote.uncounted')
      .execute();
    expect(audited).toEqual([
      {
        actor: ADMIN,
        entity_id: '1',
        details: expect.objectContaining({ voter: EXEC2, reason: 'role', from: 'exec', to: null }),
      },
    ]);

    // The third executive's vote makes 2 counted votes (EXEC1 and EXEC3), short of the
    // quorum of 3. Before: 3 counted, EXEC2's among them, and the vote closed on a quorum of
    // executives that was no longer there.
    expect(await click(EXEC3, 'vote_cast_2')).toContain('Your vote for *Cautious* is counted');
    await waitFor(() => tallyOf()?.includes('quorum 2/3'));
    expect(tallyOf()).toBe(
      `*Central*: 1 vote <@${EXEC1}>\n*Cautious*: 1 vote <@${EXEC3}>\n*Ambitious*: 0 votes\n_2 executive votes counted · quorum 2/3 · votes shown by name_`,
    );
    expect(pollMessage()).toContain('vote_cast_1');
    const poll = await db.selectFrom('polls').select('status').executeTakeFirstOrThrow();
    expect(poll.status).toBe('open');
  });

  it('a demotion to a role whose votes do not count takes the vote out too; a click since is kept, not counted', async () => {
    const told = await answer(ADMIN, () => h.sop(ADMIN, `role <@${EXEC1}|exec1> planner`));
    expect(told).toBe(
      // EXEC3 is the one executive left (EXEC2 was removed above).
      `<@${EXEC1}> is now *Planner*. Their vote for *Central* in vote 1 (2027-03), still open, no longer counts: the vote's tally and quorum are redrawn without it. Made Executive again while it is open, they vote again to be counted. Vote 1 (2027-03) closes when 3 executives have voted, and there is 1 executive now: until 3 have the role (\`/sop role @person exec\`), only its chair or its deadline closes it.`,
    );
    // By hand: only EXEC3's Cautious counts.
    await waitFor(() => tallyOf()?.includes('quorum 1/3'));
    expect(tallyOf()).toBe(
      `*Central*: 0 votes\n*Cautious*: 1 vote <@${EXEC3}>\n*Ambitious*: 0 votes\n_1 executive vote counted · quorum 1/3 · votes shown by name_`,
    );
    expect(await click(EXEC1, 'vote_cast_3')).toContain('kept for the record but not counted');
    // A click read while they were still an executive, cast once the demotion committed:
    // the vote reads the role again under the vote's lock, and counts nothing.
    const options = await db.selectFrom('poll_options').selectAll().orderBy('position').execute();
    const late = await castVote(
      db,
      {
        pollId: '1',
        voter: EXEC1,
        scenarioId: options[0]!.scenario_id,
        requestKey: 'read-before-the-demotion',
        counted: true,
      },
      clock.now(),
    );
    expect(late.outcome).toBe('not_counted');
    expect(late.view.tally.total).toBe(1);
    expect(await votesOf(EXEC1)).toEqual([
      { counted: true, superseded_at: expect.any(Date), superseded_reason: 'role' },
      { counted: false, superseded_at: null, superseded_reason: null },
      { counted: false, superseded_at: null, superseded_reason: null },
    ]);
  });

  it('given the executive role back while the vote is open, they are told to vote again, and nudged as not having voted', async () => {
    const told = await answer(ADMIN, () => h.sop(ADMIN, `role <@${EXEC2}|exec2> exec`));
    expect(told).toBe(
      `<@${EXEC2}> is now *Executive*. Their vote for *Central* in vote 1 (2027-03) stopped counting when their role changed; the vote is still open, so they vote again with its buttons to be counted.`,
    );
    // Their old vote does not come back by itself. Before: the row counted from the start was
    // read as a vote in (the nudges and App Home skipped them).
    expect(await executivesYetToVote(db, cycleId)).toEqual([EXEC2]);
    expect(await click(EXEC2, 'vote_cast_1')).toContain('Your vote for *Central* is counted');
    await waitFor(() => tallyOf()?.includes('quorum 2/3'));
    expect(tallyOf()).toBe(
      `*Central*: 1 vote <@${EXEC2}>\n*Cautious*: 1 vote <@${EXEC3}>\n*Ambitious*: 0 votes\n_2 executive votes counted · quorum 2/3 · votes shown by name_`,
    );
    expect(await executivesYetToVote(db, cycleId)).toEqual([]);
  });

  it('a closed vote is history: a role change afterwards leaves its votes and message as they were', async () => {
    // The chair closes it (the decision form opens; it is not needed here).
    await h.driver.clickButton('C_EXEC', voteTs, 'vote_close', { user: PLANNER });
    await waitFor(() => pollMessage().includes('Vote closed'));
    const before = tallyOf();
    expect(before).toBe(
      `*Central*: 1 vote <@${EXEC2}>\n*Cautious*: 1 vote <@${EXEC3}>\n*Ambitious*: 0 votes\n_2 executive votes counted · quorum 2/3 · votes shown by name_`,
    );
    const told = await answer(ADMIN, () => h.sop(ADMIN, `role <@${EXEC3}|exec3> none`));
    expect(told).toBe(
      `<@${EXEC3}> no longer has a role in sopbot (they were *Executive*) and covers no families: they are not asked for input, nudged or counted in votes.`,
    );
    expect(await votesOf(EXEC3)).toEqual([
      { counted: true, superseded_at: null, superseded_reason: null },
    ]);
    expect(
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'vote.uncounted')
        .execute(),
    ).toHaveLength(2);
    expect(tallyOf()).toBe(before);
  });
});
