/**
 * Every word typed after a `/sop` subcommand is read or refused by name, never dropped: a vote's
 * length in days (`/sop vote 3 days` opened a vote of 3 hours), a pack's month (`/sop pack post
 * Nov` posted the open cycle's pack), a scenario's name (`set Cash First` worked on `cash`),
 * family codes typed with spaces, and a cycle's month far behind or ahead. Keywords are read in
 * any case (`/sop vote Quorum 1`), values whose case matters stay as typed. The real bot over
 * HTTP through the stand-in; each refusal writes nothing and posts nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { replaceCycleScenarios } from '../../db/queries/cycle-scenarios.js';
import { DEFAULT_SCENARIOS } from '../../src/core/scenarios.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';
const REP = 'U_REP';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'sop-typed-words',
  members: { [ADMIN]: 'admin', [PLANNER]: 'planner', [EXEC1]: 'exec', [REP]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;

/** `/sop <text>` as `user` in C_EXEC, and the ephemeral answer it gets. */
async function answer(user: string, text: string): Promise<string> {
  const before = standin.ephemeralsFor(user).length;
  await h.sop(user, text);
  const e = await standin.waitFor(() => standin.ephemeralsFor(user)[before], 20_000);
  return e.text;
}

const openPolls = () =>
  db.selectFrom('polls').select(['id', 'closes_at']).where('status', '=', 'open').execute();
const execMessages = () => standin.messagesIn('C_EXEC').length;

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC' })
    .execute();
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  await insertRun(db, {
    cycleId,
    runKey: 'typed-words-run',
    periods: ['2027-03', '2027-04'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
});

describe('/sop vote reads how long the vote stays open', () => {
  it('refuses a word that is no length, and a length past two weeks, opening nothing', async () => {
    const posted = execMessages();
    // "3 fortnight" opened a vote of 3 hours, the word dropped.
    expect(await answer(PLANNER, 'vote 3 fortnight')).toBe(
      ':warning: `fortnight`: give how long the vote stays open as whole hours or days, from 1 hour to 14 days, e.g. `/sop vote 72` or `/sop vote 3 days`.',
    );
    // 3 weeks = 3 × 7 = 21 days, over 14.
    expect(await answer(PLANNER, 'vote 3 weeks')).toBe(
      ':warning: `3 weeks` is 21 days: a vote stays open from 1 hour to 14 days (336 hours), e.g. `/sop vote 72` or `/sop vote 3 days`.',
    );
    expect(await answer(PLANNER, 'vote 3d more')).toBe(
      ':warning: `more`: give how long the vote stays open as whole hours or days, from 1 hour to 14 days, e.g. `/sop vote 72` or `/sop vote 3 days`.',
    );
    expect(await openPolls()).toEqual([]);
    expect(execMessages()).toBe(posted);
  });

  it('`/sop vote 3 Days` opens a vote of 3 × 24 = 72 hours', async () => {
    const text = await answer(PLANNER, 'vote 3 Days');
    expect(text).toMatch(/^Vote \d+ is open in <#C_EXEC> with \d+ scenarios; you chair it/);
    const [poll, ...more] = await openPolls();
    expect(more).toEqual([]);
    expect(poll!.closes_at!.getTime() - clock.now().getTime()).toBe(72 * 3600_000);
  });
});

describe('/sop pack refuses a word that is neither a month nor a verb', () => {
  it('posts nothing for `post Nov` or `post 2026-1`, and says how to write the month', async () => {
    const posted = execMessages();
    // The latest cycle is 2027-03: the November after it is 2027-11.
    expect(await answer(PLANNER, 'pack post Nov')).toBe(
      ':warning: `Nov` is not a month; write it as YYYY-MM, e.g. `/sop pack 2027-11 post`.',
    );
    expect(await answer(PLANNER, 'pack post 2026-1')).toBe(
      ':warning: `2026-1` is not a month; write it as YYYY-MM, e.g. `/sop pack 2027-03 post`.',
    );
    expect(execMessages()).toBe(posted);
    expect(
      await db
        .selectFrom('slack_posts')
        .select('post_key')
        .where('post_key', 'like', '%pack%')
        .execute(),
    ).toEqual([]);
  });
});

describe('/sop scenario takes a one-word name', () => {
  it('refuses `set Cash First` and `delete cash first`, opening no form and deleting nothing', async () => {
    await replaceCycleScenarios(
      db,
      cycleId,
      [...DEFAULT_SCENARIOS, { name: 'cash', label: 'Cash', overtime: false }],
      PLANNER,
    );
    const names = () =>
      db
        .selectFrom('cycle_scenarios')
        .select(['name', 'updated_by'])
        .where('cycle_id', '=', cycleId)
        .orderBy('position')
        .execute();
    const before = await names();
    expect(before.map((s) => s.name)).toEqual(['central', 'cautious', 'ambitious', 'cash']);
    // It opened the form of `cash`, the word "First" dropped.
    expect(await answer(PLANNER, 'scenario set Cash First')).toBe(
      ':warning: A scenario name is one word; did you mean `cash-first`? Nothing was changed.',
    );
    expect(standin.openViews(PLANNER)).toEqual([]);
    // It deleted `cash`.
    expect(await answer(PLANNER, 'scenario delete cash first')).toBe(
      ':warning: A scenario name is one word; did you mean `cash-first`? Nothing was changed.',
    );
    expect(await names()).toEqual(before);
  });
});

describe('keywords are read in any case', () => {
  it('`vote Quorum 1`, `settings Horizon 12`, `actions Overdue` and `cycle Start` are their commands', async () => {
    expect(await answer(ADMIN, 'vote Quorum 1')).toBe(
      'Next votes close when 1 executive has voted.',
    );
    expect(
      (await db.selectFrom('workspace_settings').select('vote_quorum').executeTakeFirstOrThrow())
        .vote_quorum,
    ).toBe(1);
    expect(await answer(ADMIN, 'settings Horizon 12')).toMatch(/^\*sopbot settings\*/);
    expect(
      (await db.selectFrom('workspace_settings').select('horizon_months').executeTakeFirstOrThrow())
        .horizon_months,
    ).toBe(12);
    // No action is overdue: the list of overdue ones is empty.
    expect(await answer(ADMIN, 'actions Overdue')).toBe('Overdue actions: none.');
    // Read as `start`: the open cycle is named, not "Unknown `/sop cycle Start`".
    expect(await answer(PLANNER, 'cycle Start 2027-04')).toBe(
      ':warning: Cycle 2027-03 is still open (phase: Executive S&amp;OP); close it first with `/sop cycle close`.',
    );
  });

  it("keeps a holiday's name as typed, keywords in it included", async () => {
    await answer(PLANNER, 'cycle holidays Add 2027-12-24 Next Day Off');
    expect(await db.selectFrom('company_holidays').select(['day', 'name']).execute()).toEqual([
      { day: '2027-12-24', name: 'Next Day Off' },
    ]);
  });
});

describe('/sop families with codes typed with spaces', () => {
  it('changes nothing, and writes the codes they glue into', async () => {
    expect(await answer(PLANNER, `families <@${REP}> FAM 1 fam 2`)).toBe(
      `:warning: Nothing was changed: there are no families \`FAM\`, \`1\`, \`fam\`, \`2\`. A family code has no spaces: write \`/sop families @rep FAM-1 FAM-2\`. Family codes look like FAM-1, FAM-2; the family field of \`/forecast\` finds any by its code or name.`,
    );
    expect(await db.selectFrom('member_families').selectAll().execute()).toEqual([]);
  });
});

describe('/sop cycle start refuses a month behind the last cycle or over a year ahead', () => {
  it('opens no cycle for 2019-01 or 2028-04, and opens 2028-03, 12 months ahead', async () => {
    // While 2027-03 is open, that is said first: "the next cycle to plan is 2027-04" would name
    // a command refused until it is closed.
    expect(await answer(PLANNER, 'cycle start 2019-01')).toBe(
      ':warning: Cycle 2027-03 is still open (phase: Executive S&amp;OP); close it first with `/sop cycle close`.',
    );
    await db.updateTable('cycles').set({ phase: 'closed', closed_at: clock.now() }).execute();
    const cycles = () => db.selectFrom('cycles').select('month').orderBy('month').execute();
    expect(await answer(PLANNER, 'cycle start 2019-01')).toBe(
      ':warning: `2019-01` is before the last cycle, 2027-03; the next cycle to plan is 2027-04: `/sop cycle start 2027-04`.',
    );
    // The clock's month is 2027-03: 2028-04 is 13 months after it.
    expect(await answer(PLANNER, 'cycle start 2028-04')).toBe(
      ':warning: `2028-04` is more than 12 months after this month, 2027-03; the next cycle to plan is 2027-04: `/sop cycle start 2027-04`.',
    );
    expect(await cycles()).toEqual([{ month: '2027-03' }]);
    expect(standin.messagesIn('C_EXEC').some((m) => m.text.includes('opened the S&OP cycle'))).toBe(
      false,
    );
    await h.sop(PLANNER, 'cycle start 2028-03');
    await standin.waitFor(async () => (await cycles()).length === 2, 20_000);
    expect(await cycles()).toEqual([{ month: '2027-03' }, { month: '2028-03' }]);
  });
});
