/**
 * A form sent from App Home draws the Home again: a sales rep who adjusts the forecast from
 * its button no longer reads that the family's input is owed (and when Slack answers that
 * redraw with a 429, it is drawn after Retry-After), and an executive who records the
 * decision from its button is no longer asked for it, without opening the tab again. The real
 * bot over HTTP against the stand-in, real Postgres and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { insertMembers } from '../helpers/db.js';
import { changeModalValues } from '../helpers/slack.js';
import { insertFamilies, insertHandRun, seedForecastCycle, testClock } from './meeting-fixture.js';

const REP = 'UREP0001'; // sales, covers FAM-1
const EXEC = 'UEXE0001';
const OPS = 'UOPS0001';

let running: HttpTestBot;
let db: Db;
let standin: Standin;
let driver: Driver;
let fam: { fam1: number; line: number };
let cycleId: number;

beforeAll(async () => {
  running = await startHttpTestBot('home-refresh', {
    standin: {
      postMessageRate: false,
      users: [REP, EXEC, OPS].map((id) => ({
        id,
        name: id.toLowerCase(),
        real_name: id,
        tz: 'UTC',
      })),
    },
    clock: testClock('2027-01-05T10:00:00Z'),
  });
  ({ standin, driver } = running);
  db = running.t.db;
  const f = await insertFamilies(db);
  fam = { fam1: f.fam1, line: f.line };
  // The rep (covering FAM-1) and operations, the demand and supply channels; and an executive.
  cycleId = await seedForecastCycle(db, f.fam1, { rep: REP, ops: OPS, months: 12 });
  await insertMembers(db, { [EXEC]: 'exec' });
  await db.updateTable('workspace_settings').set({ exec_channel: 'C_EXEC' }).execute();
});

afterAll(async () => {
  await running?.stop();
});

const waitFor = <T>(
  f: () => T | null | undefined | false | Promise<T | null | undefined | false>,
) => standin.waitFor(f, 15_000);

/** How many Homes have been published for `user` so far. */
const publishes = (user: string) =>
  standin.callsTo('views.publish').filter((c) => c.args.user_id === user).length;

/** Opens `user`'s Home tab; returns the published view's text and id. */
async function openHome(user: string) {
  const before = publishes(user);
  await driver.event({ type: 'app_home_opened', user, channel: `D_${user}`, tab: 'home' });
  await waitFor(() => publishes(user) > before);
  const home = standin.homeView(user);
  if (!home) throw new Error(`no Home for ${user}`);
  return { id: home.id, text: JSON.stringify(home.definition) };
}

/** The form a Home button opened for `user` (past its loading view). */
async function formOpened(user: string, callback: string, act: () => Promise<unknown>) {
  const before = new Set(standin.openViews(user).map((v) => v.id));
  await act();
  return waitFor(() =>
    standin.openViews(user).find((v) => !before.has(v.id) && v.definition.callback_id === callback),
  );
}

describe('App Home after a form sent from it', () => {
  it('a forecast adjustment: the family is no longer owed', async () => {
    const owed =
      '• Adjust the forecast or declare no change for `FAM-1` before the demand review ends';
    const allIn = '• Your forecast input is in for each of your families this cycle.';
    const home = await openHome(REP);
    expect(home.text).toContain(owed);

    const form = await formOpened(REP, 'forecast_submit', () =>
      driver.selectOption(home.id, 'home_open_forecast', null, { user: REP }),
    );
    const before = publishes(REP);
    const sent = await driver.submitView(form.id, {
      user: REP,
      values: changeModalValues({
        target: 'FAM-1',
        from: '2027-07',
        kind: 'delta_pct',
        value: '10',
        reason: 'promotion',
      }),
    });
    expect(sent.outcome.action).toBe('updated');
    // Drawn again without the tab being opened: no app_home_opened since.
    await waitFor(() => publishes(REP) > before);
    const redrawn = JSON.stringify(standin.homeView(REP)?.definition);
    expect(redrawn).not.toContain(owed);
    expect(redrawn).toContain(allIn);
  });

  it('a forecast adjustment whose redraw Slack answers 429: drawn again after Retry-After', async () => {
    const home = await openHome(REP);
    expect(home.text).not.toContain('2027-09');
    const form = await formOpened(REP, 'forecast_submit', () =>
      driver.selectOption(home.id, 'home_open_forecast', null, { user: REP }),
    );
    const before = publishes(REP);
    standin.failNext('views.publish', { status: 429, retryAfter: 1, channel: REP });
    const sent = await driver.submitView(form.id, {
      user: REP,
      values: changeModalValues({
        target: 'FAM-1',
        from: '2027-09',
        kind: 'delta_pct',
        value: '5',
        reason: 'promotion',
      }),
    });
    expect(sent.outcome.action).toBe('updated');
    // The refused redraw, then, a second later and without the tab being opened, the retry.
    await waitFor(() => publishes(REP) === before + 2);
    expect(JSON.stringify(standin.homeView(REP)?.definition)).toContain('2027-09');
  });

  it('a decision recorded from its button: the decision is no longer asked for', async () => {
    const owed = 'its decision is still to be recorded';
    await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
    const runId = (await insertHandRun(db, cycleId, fam, 'home-refresh-1')).runId;
    // A vote on that run, closed by its chair (the executive) and waiting for its decision.
    const options = await db
      .selectFrom('plan_scenarios')
      .select(['id', 'label'])
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute();
    await driver.command('/sop', { user: EXEC, channel: 'C_EXEC', text: 'vote 24' });
    const poll = await waitFor(() =>
      db.selectFrom('polls').selectAll().where('run_id', '=', runId).executeTakeFirst(),
    );
    const ts = await waitFor(
      async () =>
        (
          await db
            .selectFrom('polls')
            .select('message_ts')
            .where('id', '=', poll.id)
            .executeTakeFirst()
        )?.message_ts,
    );
    await driver.clickButton('C_EXEC', ts, 'vote_close', { user: EXEC });
    await waitFor(
      async () =>
        (await db.selectFrom('polls').select('status').where('id', '=', poll.id).executeTakeFirst())
          ?.status === 'closed',
    );
    const home = await openHome(EXEC);
    expect(home.text).toContain(owed);

    const form = await formOpened(EXEC, 'decision_submit', () =>
      driver.selectOption(home.id, 'decision_open', poll.id, { user: EXEC }),
    );
    const central = options.find((o) => o.label === 'Central');
    if (!central) throw new Error('no Central scenario');
    const before = publishes(EXEC);
    const sent = await driver.submitView(form.id, {
      user: EXEC,
      values: { scenario: { pick: central.id }, rationale: { text: 'Service first' } },
    });
    expect(sent.status).toBe(200);
    await waitFor(async () => (await db.selectFrom('decisions').select('id').execute()).length > 0);
    await waitFor(() => publishes(EXEC) > before);
    expect(JSON.stringify(standin.homeView(EXEC)?.definition)).not.toContain(owed);
  });
});
