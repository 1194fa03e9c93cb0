/**
 * A role change that lands just after a click's vote was written: the vote closes on its
 * quorum only with votes that count. The click's vote and the quorum check are one
 * transaction under the vote's lock, which the role change takes too, so the two happen one
 * after the other, never interleaved. The real bot over HTTP, the Slack stand-in, real
 * Postgres and Redis and the worker runtime.
 *
 * The interleaving is forced, not hoped for: the test holds the `decisions` table, which the
 * click reads (`getPollView`, after the votes) once its vote is committed, so the click waits
 * there while `/sop role @x none` runs to its end; then the test lets it go. Before, the click
 * had read the tally (quorum reached, the removed executive's vote among them) before the role
 * change committed, and closed the vote on it afterwards: "Vote closed (quorum reached)" with 2
 * counted votes of a quorum of 3.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
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
  label: 'vote-quorum-race',
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

const waitFor = <T>(
  f: () => T | undefined | null | false | Promise<T | undefined | null | false>,
) => standin.waitFor(f, 20_000);

/** Sessions of the test database waiting for a lock on the `decisions` table. */
async function waitingOnDecisions(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks l
    join pg_class c on c.oid = l.relation
    where not l.granted and c.relname = 'decisions'
      and l.database = (select oid from pg_database where datname = current_database())`.execute(
    db,
  );
  return r.rows[0]?.n ?? 0;
}

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open', vote_quorum: 3 })
    .execute();
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  await insertMarchRun(db, cycleId, fam, 'quorum-race-run');
});

describe('an executive removed between a vote being written and its quorum check', () => {
  it('the vote does not close on a vote that does not count: the two happen one after the other', async () => {
    await h.sop(PLANNER, 'vote');
    const msg = await waitFor(() =>
      standin
        .messagesIn('C_EXEC')
        .find((m) => JSON.stringify(m.blocks ?? []).includes('vote_cast_1')),
    );
    const poll = await waitFor(() =>
      db
        .selectFrom('polls')
        .select(['id', 'message_ts'])
        .executeTakeFirst()
        .then((p) => (p?.message_ts ? p : null)),
    );
    // Buttons in the fixture's order: 1 Central, 2 Cautious, 3 Ambitious.
    const options = await db
      .selectFrom('poll_options')
      .select('scenario_id')
      .orderBy('position')
      .execute();
    // Two executives' votes, through the service (no redraw job reads the vote meanwhile).
    for (const voter of [EXEC1, EXEC2]) {
      const cast = await castVote(
        db,
        {
          pollId: poll.id,
          voter,
          scenarioId: options[0]!.scenario_id,
          requestKey: `quorum-race-${voter}`,
          counted: true,
        },
        clock.now(),
      );
      expect(cast.outcome).toBe('recorded');
    }

    // The test holds `decisions`: the click's vote is written, then the click waits to read it.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const holding = db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`lock table decisions in access exclusive mode`.execute(conn);
      locked();
      await held;
      await sql`commit`.execute(conn);
    });
    await isLocked;
    const receipts = standin.ephemeralsFor(EXEC3).length;
    await h.driver.clickButton('C_EXEC', msg.ts, 'vote_cast_2', { user: EXEC3 });
    // Its vote is committed, and the click waits on the table.
    await waitFor(async () => {
      const written = await db
        .selectFrom('votes')
        .select('id')
        .where('voter', '=', EXEC3)
        .executeTakeFirst();
      return written !== undefined && (await waitingOnDecisions()) >= 1;
    });

    // Now the admin removes EXEC3, and the role change commits while the click waits.
    const told = await nextEphemeral(standin, ADMIN, () =>
      h.sop(ADMIN, `role <@${EXEC3}|exec3> none`),
    );
    release();
    await holding;

    // The click goes on: its receipt, then the chair's prompt once the vote is closed.
    expect(await waitFor(() => standin.ephemeralsFor(EXEC3)[receipts])).toMatchObject({
      text: expect.stringContaining('Your vote for *Cautious* is counted'),
    });
    const prompt = await waitFor(() =>
      standin
        .messagesIn(`D_${PLANNER}`)
        .find((m) => JSON.stringify(m.blocks ?? []).includes('decision_open')),
    );
    expect(prompt.text).toContain('Record the decision');

    // Closed on its quorum, with 3 votes that count. Before: closed on its quorum with 2 (EXEC3's
    // had stopped counting with the role change), short of the quorum of 3.
    const closed = await db
      .selectFrom('polls')
      .select(['status', 'close_reason', 'quorum'])
      .executeTakeFirstOrThrow();
    const counting = await db
      .selectFrom('votes')
      .select(['voter', 'counted', 'superseded_at'])
      .orderBy('id')
      .execute();
    expect({
      ...closed,
      countingNow: counting.filter((v) => v.counted && v.superseded_at === null).length,
    }).toEqual({ status: 'closed', close_reason: 'quorum', quorum: 3, countingNow: 3 });
    // By hand: EXEC1 and EXEC2 for Central, EXEC3 for Cautious, each still counting.
    expect(counting).toEqual([
      { voter: EXEC1, counted: true, superseded_at: null },
      { voter: EXEC2, counted: true, superseded_at: null },
      { voter: EXEC3, counted: true, superseded_at: null },
    ]);
    // The vote had closed with EXEC3's vote, which counted then: a closed vote is history, so
    // the role change took nothing from it. Before: "Their vote for *Cautious* in vote 1
    // (2027-03), still open, no longer counts: …", and the click then closed the vote on it.
    expect(told).toBe(
      `<@${EXEC3}> no longer has a role in sopbot (they were *Executive*) and covers no families: they are not asked for input, nudged or counted in votes.`,
    );
    expect(
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'vote.uncounted')
        .execute(),
    ).toEqual([]);
    const tally = await waitFor(() => {
      const blocks = (standin.messagesIn('C_EXEC').find((m) => m.ts === msg.ts)?.blocks ?? []) as {
        type: string;
        text?: { text?: string };
      }[];
      const text = JSON.stringify(blocks);
      return text.includes('Vote closed (quorum reached)')
        ? blocks.find((b) => b.type === 'section' && b.text?.text?.includes('executive vote'))?.text
            ?.text
        : null;
    });
    expect(tally).toBe(
      `*Central*: 2 votes <@${EXEC1}> <@${EXEC2}>\n*Cautious*: 1 vote <@${EXEC3}>\n*Ambitious*: 0 votes\n_3 executive votes counted · quorum 3/3 · votes shown by name_`,
    );
  });
});
