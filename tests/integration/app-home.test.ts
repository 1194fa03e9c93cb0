/**
 * The App Home tab as each role sees it, through the real bot over HTTP against the stand-in:
 * without a cycle, then in each phase of an open cycle. Every button it offers must do what it
 * says for that person (a form opens, a declaration is recorded), never only refuse; the
 * buttons each role gets per phase are written below by hand from the policy table
 * (src/core/policy.ts) and the rule that forecast adjustments close with the demand review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Phase } from '../../db/schema.js';
import type { Driver, Standin, StoredView } from '../../src/slack-standin/index.js';
import { validateView } from '../../src/slack-standin/index.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { insertFamilies, insertHandRun, testClock } from './meeting-fixture.js';

const ADMIN = 'UADM0001'; // an admin by SOPBOT_ADMIN_USERS, no stored role
const REP = 'UREP0001'; // sales, covers FAM-1 and FAM-2
const PLANNER = 'UPLN0001';
const OPS = 'UOPS0001';
const EXEC = 'UEXE0001';
const NOBODY = 'UNOB0001'; // in the workspace, no role
const PEOPLE = [ADMIN, REP, PLANNER, OPS, EXEC, NOBODY];

const FORECAST = 'home_open_forecast';
const NO_CHANGE = 'forecast_no_change';
const CAPACITY = 'home_open_capacity';

/**
 * By hand. While forecast adjustments are open (data gathering, demand review): the forecast
 * form for sales, planners, executives and admins; "No change for my families" only for who
 * covers families (the rep: the others would be told they cover none); the capacity form for
 * operations, planners and admins. Afterwards (supply review, pre-S&OP, executive) the forecast
 * buttons would only answer "Adjustments closed when the demand review ended", so only the
 * capacity form is left, which is taken until the cycle closes.
 */
const WHILE_OPEN: Readonly<Record<string, readonly string[]>> = {
  [ADMIN]: [FORECAST, CAPACITY],
  [REP]: [FORECAST, NO_CHANGE],
  [PLANNER]: [FORECAST, CAPACITY],
  [OPS]: [CAPACITY],
  [EXEC]: [FORECAST],
  [NOBODY]: [],
};
const AFTER_DEMAND_REVIEW: Readonly<Record<string, readonly string[]>> = {
  [ADMIN]: [CAPACITY],
  [REP]: [],
  [PLANNER]: [CAPACITY],
  [OPS]: [CAPACITY],
  [EXEC]: [],
  [NOBODY]: [],
};
const PHASES: readonly [Exclude<Phase, 'closed'>, Record<string, readonly string[]>][] = [
  ['data_gathering', WHILE_OPEN],
  ['demand_review', WHILE_OPEN],
  ['supply_review', AFTER_DEMAND_REVIEW],
  ['pre_sop', AFTER_DEMAND_REVIEW],
  ['executive', AFTER_DEMAND_REVIEW],
];

let running: HttpTestBot;
let db: Db;
let standin: Standin;
let driver: Driver;
let fam: { fam1: number; line: number };
let cycleId: number;

beforeAll(async () => {
  running = await startHttpTestBot('app-home', {
    standin: {
      postMessageRate: false,
      users: PEOPLE.map((id) => ({ id, name: id.toLowerCase(), real_name: id, tz: 'UTC' })),
    },
    env: { SOPBOT_ADMIN_USERS: ADMIN },
    clock: testClock('2027-01-15T10:00:00Z'),
  });
  ({ standin, driver } = running);
  db = running.t.db;
  const { fam1, fam2, line } = await insertFamilies(db);
  fam = { fam1, line };
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  await insertMembers(db, { [REP]: 'sales', [PLANNER]: 'planner', [OPS]: 'ops', [EXEC]: 'exec' });
  await db
    .insertInto('member_families')
    .values([
      { slack_user_id: REP, family_id: fam1 },
      { slack_user_id: REP, family_id: fam2 },
    ])
    .execute();
});

afterAll(async () => {
  await running?.stop();
});

/** The stand-in's wait, with room for a machine busy with other test files. */
const waitFor = <T>(
  f: () => T | null | undefined | false | Promise<T | null | undefined | false>,
) => standin.waitFor(f, 15_000);

/** Opens `user`'s Home tab and returns the view the bot published for it. */
async function openHome(user: string): Promise<StoredView> {
  const before = standin.callsTo('views.publish').length;
  const ack = await driver.event({
    type: 'app_home_opened',
    user,
    channel: `D_${user}`,
    tab: 'home',
  });
  expect(ack.status).toBe(200);
  // This user's publish: a click's own republish (No change) may land meanwhile for another.
  await waitFor(() =>
    standin
      .callsTo('views.publish')
      .slice(before)
      .some((c) => c.args.user_id === user),
  );
  const home = standin.homeView(user);
  if (!home) throw new Error(`no Home view published for ${user}`);
  return home;
}

type Block = { type: string; block_id?: string; elements?: { type: string; action_id?: string }[] };

/** The action ids of the Home's cycle buttons (not the Done/Snooze of each action). */
const cycleButtons = (home: StoredView): string[] =>
  ((home.definition.blocks ?? []) as Block[])
    .filter((b) => b.type === 'actions' && b.block_id === 'home_buttons')
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));

/** Clicks a Home button and returns what the person got: the form's callback_id, or the DM. */
async function click(home: StoredView, user: string, actionId: string): Promise<string> {
  if (actionId === NO_CHANGE) {
    const n = standin.callsTo('chat.postMessage').length;
    const published = standin.callsTo('views.publish').length;
    await driver.selectOption(home.id, actionId, null, { user });
    const dm = await waitFor(() =>
      standin
        .callsTo('chat.postMessage')
        .slice(n)
        .find((c) => c.args.channel === user),
    );
    // The Home is drawn again after the DM; wait for it, so it cannot pass for a later one.
    await waitFor(() =>
      standin
        .callsTo('views.publish')
        .slice(published)
        .some((c) => c.args.user_id === user),
    );
    return String(dm.args.text);
  }
  const before = new Set(standin.openViews(user).map((v) => v.id));
  await driver.selectOption(home.id, actionId, null, { user });
  const form = await waitFor(() => {
    const v = standin.openViews(user).find((o) => !before.has(o.id));
    const callback = v?.definition.callback_id;
    // The loading view first; then the form (callback_id) or a message (none).
    return v && callback !== `${actionId === FORECAST ? 'forecast' : 'capacity'}_submit_loading`
      ? v
      : undefined;
  });
  await driver.closeView(form.id, { user });
  return String(form.definition.callback_id ?? JSON.stringify(form.definition.blocks));
}

describe('App Home, each role', () => {
  it('without a cycle: no cycle buttons, and where to start', async () => {
    for (const user of PEOPLE) {
      const home = await openHome(user);
      expect(validateView(home.definition as never)).toEqual([]);
      expect({ user, buttons: cycleButtons(home) }).toEqual({ user, buttons: [] });
      expect(JSON.stringify(home.definition)).toContain('No S&OP cycle is open');
    }
  });

  it('in each phase, offers each role exactly the buttons that work for it, and each works', async () => {
    cycleId = await insertCycle(db, {
      month: '2027-01',
      phase: 'data_gathering',
      deadlines: JSON.stringify({ demand_review: '2027-01-12T17:00:00Z' }),
    });
    for (const [phase, expected] of PHASES) {
      await db.updateTable('cycles').set({ phase }).where('id', '=', cycleId).execute();
      for (const user of PEOPLE) {
        const home = await openHome(user);
        expect(validateView(home.definition as never)).toEqual([]);
        const buttons = cycleButtons(home);
        expect({ phase, user, buttons }).toEqual({ phase, user, buttons: expected[user] });
        const text = JSON.stringify(home.definition);
        expect({ user, asked: text.includes('Ask an admin for a role') }).toEqual({
          user,
          asked: user === NOBODY,
        });
        // Who may adjust the forecast is told why the form is gone, not left guessing.
        const closedNote = 'Forecast adjustments closed with the demand review';
        const told = [ADMIN, REP, PLANNER, EXEC].includes(user) && expected === AFTER_DEMAND_REVIEW;
        expect({ phase, user, told: text.includes(closedNote) }).toEqual({ phase, user, told });
        // What the rep owes: both families at first (nothing submitted), then, once "No change
        // for my families" (clicked below in data gathering) covers both, nothing; after the
        // demand review nothing is asked of the rep, and no one else is asked for input.
        // 2027-01-12T17:00Z: 1798761600 (1 Jan 00:00Z) + 11 days + 17 h = 1799773200.
        const owes =
          '• Adjust the forecast or declare no change for `FAM-1`, `FAM-2` before the demand review ends (its deadline: <!date^1799773200^{date_short_pretty} {time}|2027-01-12 17:00 UTC>).';
        const allIn = '• Your forecast input is in for each of your families this cycle.';
        const todo =
          user !== REP || expected === AFTER_DEMAND_REVIEW
            ? null
            : phase === 'data_gathering'
              ? owes
              : allIn;
        expect({ phase, user, todo: text.includes('*To do*') }).toEqual({
          phase,
          user,
          todo: todo !== null,
        });
        if (todo) expect(text).toContain(todo);
        for (const b of buttons) {
          const got = await click(home, user, b);
          const works =
            b === NO_CHANGE
              ? got.startsWith(':ok_hand: Recorded: no change this cycle (2027-01)')
              : got === (b === FORECAST ? 'forecast_submit' : 'capacity_submit');
          expect({ phase, user, button: b, got, works }).toMatchObject({ works: true });
        }
      }
    }
  });
});

describe('App Home, the executive vote', () => {
  const opens = '• The scenario vote is open in <#C_EXEC>: cast your vote.';
  const counted =
    '• Your vote is counted in the scenario vote in <#C_EXEC>; you can change it until the vote closes.';
  const owed = '• The scenario vote in <#C_EXEC> has closed; its decision is still to be recorded.';
  const homeText = async (user: string) => JSON.stringify((await openHome(user)).definition);
  const poll = () => db.selectFrom('polls').selectAll().executeTakeFirstOrThrow();

  it('asks each executive to vote until theirs is counted, then whoever may record it for the decision; a replaced run asks nothing', async () => {
    // The cycle is in the executive phase (the test above ends there); the planner opens the vote.
    await insertHandRun(db, cycleId, fam, 'home-run-1');
    await driver.command('/sop', { user: PLANNER, channel: 'C_EXEC', text: 'vote 24' });
    const ts = await waitFor(async () => (await poll().catch(() => null))?.message_ts);

    expect(await homeText(EXEC)).toContain(opens);
    // An admin's vote is not counted, and the others have no vote: nothing is asked of them.
    for (const user of [ADMIN, REP, PLANNER, OPS, NOBODY])
      expect({ user, todo: (await homeText(user)).includes('*To do*') }).toEqual({
        user,
        todo: false,
      });

    await driver.clickButton('C_EXEC', ts, 'vote_cast_1', { user: EXEC });
    await waitFor(async () =>
      (await db.selectFrom('votes').select('voter').where('counted', '=', true).execute()).some(
        (v) => v.voter === EXEC,
      ),
    );
    const voted = await homeText(EXEC);
    expect(voted).toContain(counted);
    expect(voted).not.toContain(opens);

    // The chair closes it: the decision is owed, to the chair, executives and admins.
    await driver.clickButton('C_EXEC', ts, 'vote_close', { user: PLANNER });
    await waitFor(async () => (await poll()).status === 'closed');
    for (const user of PEOPLE) {
      const home = await openHome(user);
      const asked = [PLANNER, EXEC, ADMIN].includes(user);
      expect({ user, owed: JSON.stringify(home.definition).includes(owed) }).toEqual({
        user,
        owed: asked,
      });
      expect({ user, button: JSON.stringify(home.definition).includes('decision_open') }).toEqual({
        user,
        button: asked,
      });
    }
    // Its button opens the decision form.
    const home = await openHome(EXEC);
    const before = new Set(standin.openViews(EXEC).map((v) => v.id));
    await driver.selectOption(home.id, 'decision_open', String((await poll()).id), { user: EXEC });
    const form = await waitFor(() => standin.openViews(EXEC).find((v) => !before.has(v.id)));
    expect(form.definition.callback_id).toBe('decision_submit');
    await driver.closeView(form.id, { user: EXEC });

    // A newer plan run replaces the vote's figures: no decision can be recorded on them.
    await insertHandRun(db, cycleId, fam, 'home-run-2');
    for (const user of [PLANNER, EXEC, ADMIN])
      expect({ user, todo: (await homeText(user)).includes('*To do*') }).toEqual({
        user,
        todo: false,
      });
  });
});

describe('App Home, open actions', () => {
  it("marks the overdue, escapes what people typed, and keeps within Slack's limits with 22 actions", async () => {
    // Slack's control characters (&, <, >) are escaped, so no mention or link is made of them.
    // The clock says 2027-01-15 (UTC, the company's zone): due 2027-01-10 is overdue, due
    // 2027-01-15 is not yet. 22 actions: 20 shown with their buttons, "…and 2 more".
    await db
      .insertInto('actions')
      .values(
        Array.from({ length: 22 }, (_, i) => ({
          cycle_id: cycleId,
          description:
            i === 0 ? 'Call <!channel> about *FAM-1* & <https://x.example|this>' : `Task ${i}`,
          owner: OPS,
          due_date: i === 0 ? '2027-01-10' : '2027-01-15',
          created_by: ADMIN,
          request_key: `app-home-action-${i}`,
        })),
      )
      .execute();
    const home = await openHome(OPS);
    expect(validateView(home.definition as never)).toEqual([]);
    const blocks = (home.definition.blocks ?? []) as Block[];
    expect(blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(home.definition);
    expect(text).toContain(
      ':warning: *overdue* *#1* Call &lt;!channel&gt; about *FAM-1* &amp; &lt;https://x.example|this&gt; · due 2027-01-10',
    );
    expect(text.match(/\*overdue\*/g)).toHaveLength(1);
    expect(text.match(/"action_done"/g)).toHaveLength(20);
    expect(text).toContain('…and 2 more: `/sop actions me` lists them.');
  });
});
