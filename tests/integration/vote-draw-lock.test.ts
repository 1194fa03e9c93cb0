/**
 * The vote's deadline and `/sop decide` crossing on the vote message: the deadline's job
 * closes the vote, reads it ("closed, no decision") and is slow to edit its message, while the
 * chair records the decision and its publish job redraws the message with it. Before, nothing
 * ordered the two redraws: the decision's edit went through first and the deadline's older one
 * landed last, so the message in #sop-exec said "Decision pending" for good. Every redraw now
 * reads and edits the message under the vote's draw lock, so the decision's reads after the
 * deadline's edit. The stand-in holds the deadline's chat.update before it takes effect, so
 * the interleaving is the same every run. The real bot over HTTP and the worker, the
 * stand-in, real Postgres and Redis.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { pollDrawLock } from '../../src/services/meeting-posts.js';
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

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({ label: 'vote-draw-lock', members: { [EXEC1]: 'exec' }, clock });
let db: Db;
let standin: Standin;

beforeAll(async () => {
  ({ db, standin } = h);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open', vote_quorum: null })
    .execute();
});

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);

/** The vote message's blocks as they stand in the stand-in. */
const messageText = (ts: string) =>
  JSON.stringify(standin.messagesIn('C_EXEC').find((m) => m.ts === ts)?.blocks ?? []);

/** The edits of the vote message that took effect, in order, each as its blocks' JSON. */
const edits = (ts: string) =>
  standin
    .callsTo('chat.update')
    .filter((c) => c.args.ts === ts && c.response.ok === true)
    .map((c) =>
      typeof c.args.blocks === 'string' ? c.args.blocks : JSON.stringify(c.args.blocks),
    );

/** Whether anyone holds the vote's draw lock (the worker shares the test's pool). */
async function drawLockHeld(pollId: string): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks l
    where l.locktype = 'advisory' and l.granted and l.objsubid = 1
      and l.database = (select oid from pg_database where datname = current_database())
      and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(${pollDrawLock(pollId)}, 0)`.execute(
    db,
  );
  return (r.rows[0]?.n ?? 0) > 0;
}

/** Resolves once the vote's draw lock is held, or gives up once `settled()` is true. */
async function untilDrawLockHeld(pollId: string, settled: () => boolean): Promise<void> {
  while (!settled() && !(await drawLockHeld(pollId))) await new Promise((r) => setTimeout(r, 25));
}

describe("the deadline's redraw slow to land while /sop decide's redraws the vote", () => {
  it('the vote message ends with the decision, not "Decision pending"', async () => {
    const fam = await insertFamilies(db);
    const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
    await insertRun(db, {
      cycleId,
      runKey: 'run-2027-03',
      periods: ['2027-03'],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    });
    await h.sop(EXEC1, 'vote 2');
    const poll = (await pollUntil(
      () => db.selectFrom('polls').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst(),
      (p) => p?.message_ts != null,
    ))!;
    const ts = poll.message_ts!;
    // One vote, for Central, and its poll-refresh's edit in place.
    await h.driver.clickButton('C_EXEC', ts, 'vote_cast_1', { user: EXEC1 });
    await waitFor(() => messageText(ts).includes('1 executive vote counted'));
    const before = edits(ts).length;

    // The deadline passes: its job closes the vote, reads it (no decision yet) and is held at
    // its chat.update, before the edit takes effect.
    clock.set('2027-03-15T12:00:00Z');
    const held = standin.holdNext('chat.update', { channel: 'C_EXEC' });
    const deadline = h.comeDue('poll-deadline', { pollId: poll.id }, 'notifications');
    await held.reached;
    // The chair records the decision: its publish job redraws the vote message.
    await h.sop(EXEC1, 'decide cautious "we decided in the room"');
    await waitFor(() =>
      standin.ephemeralsFor(EXEC1).find((e) => e.text.includes('recorded: Adopt the Cautious')),
    );
    // Before the fix nothing was locked, and the decision's edit took effect while the
    // deadline's was held; now the deadline's job holds the vote's draw lock while it edits,
    // and the decision's redraw waits for it to read.
    let settled = false;
    const decisionEdited = waitFor(() => edits(ts).slice(before).length >= 1).finally(() => {
      settled = true;
    });
    await Promise.race([decisionEdited, untilDrawLockHeld(poll.id, () => settled)]);
    held.release();
    expect(await deadline).toEqual({ closedNow: true });

    // Both edits took effect; the last shows the decision. Before the fix: the deadline's,
    // read before the decision, landed last, "Decision pending from the chair".
    await waitFor(() => edits(ts).length >= before + 2);
    const outcome = `Vote closed (deadline passed). Most votes: *Central*. Decision: *Cautious* adopted, recorded by <@${EXEC1}>.`;
    expect(messageText(ts)).toContain(outcome);
    expect(messageText(ts)).not.toContain('Decision pending');
    // By hand: the deadline's edit (read before the decision), then the decision's.
    const [deadlines, decisions] = edits(ts).slice(before);
    expect(deadlines).toContain(
      `Vote closed (deadline passed). Most votes: *Central*. Decision pending from the chair <@${EXEC1}>.`,
    );
    expect(decisions).toContain(outcome);
    expect(edits(ts)).toHaveLength(before + 2);
  }, 40_000);
});
