/**
 * Executives never vote on figures that are out of date. `/sop vote` opens only in the
 * executive phase (before it, the cycle's own recomputes replace the run a vote would be on);
 * `/sop vote mode|quorum` still configure the next votes in any phase. The real bot over HTTP,
 * the Slack stand-in, real Postgres and Redis, and the production worker runtime on the posts
 * and notifications queues.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { planFile } from '../helpers/plan-files.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

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
const ephemerals = (user: string) => standin.ephemeralsFor(user).map((e) => e.text);
/** The next ephemeral `user` gets after `act`. */
async function answer(user: string, act: () => Promise<unknown>): Promise<string> {
  const n = ephemerals(user).length;
  await act();
  return waitFor(() => ephemerals(user)[n]);
}
const phase = async () =>
  (
    await db
      .selectFrom('cycles')
      .select('phase')
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow()
  ).phase;
/** A plan run of the cycle, as the plan job writes it (with a problem its charts can draw). */
const writeRun = (runKey: string) =>
  insertRun(db, {
    cycleId,
    runKey,
    problem: planFile('hand-two-months'),
    periods: ['2027-01', '2027-02'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
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
