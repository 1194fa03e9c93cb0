/**
 * Messages read as their readers read them: what a message says is true of what sopbot stored
 * and asks nothing twice. Each case was met driving a whole cycle through the bot: a Monday
 * digest of a week with nothing imported said the week "ran to plan"; a sales rep who declared
 * "no change" read "your forecast input is in" above "Your submissions: None yet"; the closing
 * announcement's notification said "Closed has started". The real bot and worker over HTTP
 * against the Slack stand-in, real Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { recordDecision } from '../../src/services/decisions.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import {
  insertChannels,
  insertFamilies,
  insertRun,
  SCENARIOS,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const REP = 'U_REP';
const PLANNER = 'U_PLAN';
const EXEC = 'U_EXEC';

// Monday 8 March 2027, 09:00 UTC (the company's zone): the week of 1 March is over.
const clock = testClock('2027-03-08T09:00:00Z');
const h = useHarness({
  label: 'message-words',
  members: { [REP]: 'sales', [PLANNER]: 'planner', [EXEC]: 'exec' },
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;
let fam: Awaited<ReturnType<typeof insertFamilies>>;

beforeAll(async () => {
  ({ db, standin } = h);
  await insertChannels(db);
  fam = await insertFamilies(db);
  await db
    .insertInto('member_families')
    .values([
      { slack_user_id: REP, family_id: fam.fam1 },
      { slack_user_id: REP, family_id: fam.fam2 },
    ])
    .execute();
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'demand_review' });
});

/** The text of every block of `user`'s Home tab, joined by line feeds. */
function homeText(user: string): string {
  const view = standin.homeView(user);
  return JSON.stringify(view?.definition.blocks ?? []);
}

describe('what a message says is true of what sopbot stored', () => {
  it('a week with no weekly actuals imported is not said to have run to plan', async () => {
    const id = await h.queues.enqueue('execution-digest', { week: '2027-03-01' });
    await h.finished('notifications', id);
    const digest = standin
      .messagesIn('C_SUPPLY')
      .find((m) => m.text.startsWith('S&OE digest, week of 2027-03-01'));
    const blocks = JSON.stringify(digest?.blocks ?? []);
    // Before: "… 0 deviations open. …" then "No deviation: the week ran to plan."
    expect(blocks).toContain(
      'Sales not imported, production not imported. No break of the frozen plan goes to the next executive meeting.',
    );
    expect(blocks).toContain(
      "Nothing to check against the plan yet: import the week's actuals (`sopbot import weekly-sales`, `sopbot import weekly-production`).",
    );
    expect(blocks).not.toContain('ran to plan');
  });

  it('a rep who declared no change is not told "None yet" under "your input is in"', async () => {
    const n = standin.ephemeralsFor(REP).length;
    await h.driver.command('/forecast', { user: REP, channel: 'C_DEMAND', text: 'no-change' });
    const answer = await standin.waitFor(() => standin.ephemeralsFor(REP)[n], 20_000);
    expect(answer.text).toBe(
      ':ok_hand: Recorded: no change this cycle (2027-03) for FAM-1, FAM-2.',
    );
    const before = standin.callsTo('views.publish').length;
    await h.driver.event(
      { type: 'app_home_opened', user: REP, channel: `D_${REP}`, tab: 'home' },
      { eventId: 'Ev_words_home_1' },
    );
    await standin.waitFor(
      () =>
        standin
          .callsTo('views.publish')
          .slice(before)
          .some((c) => c.args.user_id === REP),
      20_000,
    );
    const home = homeText(REP);
    expect(home).toContain('Your forecast input is in for each of your families this cycle.');
    expect(home).toContain('No adjustment: you declared no change for your families.');
    expect(home).not.toContain('None yet');
  });

  it('the cycle closing is announced as closed, with its adopted plan', async () => {
    await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
    const run = await insertRun(db, {
      cycleId,
      runKey: 'message-words',
      periods: ['2027-03'],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    });
    await recordDecision(
      { db, queue: h.queues, clock },
      {
        cycleId,
        pollId: null,
        scenarioId: run.ids.central!,
        rationale: 'Service first',
        decidedBy: EXEC,
        requestKey: 'message-words-decision',
        actions: [],
      },
    );
    await h.sop(PLANNER, 'cycle close', 'C_EXEC');
    const closed = await standin.waitFor(
      () => standin.messagesIn('C_EXEC').find((m) => m.text.includes('S&OP 2027-03: The cycle')),
      20_000,
    );
    // Before: "S&OP 2027-03: Closed has started. The cycle is closed; …"
    expect(closed.text).toBe(
      'S&OP 2027-03: The cycle is closed; the adopted plan is the reference for the month.',
    );
  });
});
