/**
 * Chaos: PostgreSQL is down while people use Slack. Every entry point answers the person where
 * they acted, within Slack's 3 s, with the apology and nothing that claims success: a `/sop`
 * subcommand, `/forecast` typed, a vote button, a follow-up action's Done, the decision form,
 * the forecast form and App Home. Each error is logged once, with its stack. Once the server is
 * back nothing of what was tried is found written. The real bot over HTTP, the Slack stand-in,
 * the shared Redis; the PostgreSQL is the test's own (tests/helpers/postgres-server.ts),
 * stopped and started by the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { RunningBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { recordDecision } from '../../src/services/decisions.js';
import { publishDecision } from '../../src/services/meeting-posts.js';
import type { Driver, Standin, ViewSubmitResult } from '../../src/slack-standin/index.js';
import { startStandin } from '../../src/slack-standin/index.js';
import { startHttpBot } from '../helpers/bot.js';
import { insertMembers, redisPrefix } from '../helpers/db.js';
import { type LogLine, recordedLogs } from '../helpers/log-lines.js';
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/postgres-server.js';
import { changeModalValues, standinClient } from '../helpers/slack.js';
import {
  insertFamilies,
  insertRun,
  pollUntil,
  SCENARIOS,
  seedForecastCycle,
  testClock,
} from './meeting-fixture.js';

const REP = 'U_REN'; // sales, covers FAM-1
const OPS = 'U_OPS'; // owns a follow-up action
const EXEC = 'U_EVA';
const PLANNER = 'U_PAT';
/** The house's apology (src/slack/reply.ts), written out: it says nothing of what was saved. */
const APOLOGY =
  'Something went wrong on our side. It has been logged; please try again in a minute.';
const WARNING = `:warning: ${APOLOGY}`;

const { logger, lines } = recordedLogs();

const clock = testClock('2027-01-15T10:00:00Z');
let pg: PrivatePostgres;
let db: Db;
let standin: Standin;
let driver: Driver;
let bot: RunningBot;
let cycleId: number;
let pollTs: string;
let actionDm: string;
let decisionForm: string;
let forecastForm: string;
/** REP's Home tab now, which holds the "No change for my families" button drawn before. */
const currentHome = (): string => {
  const home = standin.homeView(REP);
  if (!home || !JSON.stringify(home.definition).includes('forecast_no_change'))
    throw new Error("REP's Home no longer offers No change");
  return home.id;
};
let scenarioIds: Record<string, string>;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  db = createDb(pg.url, { max: 2 });
  await migrateToLatest(db);
  const fam = await insertFamilies(db);
  cycleId = await seedForecastCycle(db, fam.fam1, { rep: REP, ops: OPS, months: 12 });
  await insertMembers(db, { [EXEC]: 'exec', [PLANNER]: 'planner' });
  await db.updateTable('workspace_settings').set({ exec_channel: 'C_EXEC' }).execute();
  scenarioIds = (
    await insertRun(db, {
      cycleId,
      runKey: 'pg-down-run',
      periods: ['2027-01', '2027-02'],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    })
  ).ids;
  standin = await startStandin({
    postMessageRate: false,
    users: [REP, OPS, EXEC, PLANNER].map((id) => ({
      id,
      name: id.toLowerCase(),
      real_name: id,
      tz: 'UTC',
    })),
  });
  const config = loadConfig(
    {
      DATABASE_URL: pg.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SLACK_BOT_TOKEN: 'xoxb-pg-down',
      SLACK_SIGNING_SECRET: 'pg-down-secret',
      SLACK_API_URL: standin.apiUrl,
      SOPBOT_QUEUE_PREFIX: redisPrefix('pg-down'),
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_DIGEST_CRON: 'off',
      SOPBOT_CHART_WARMUP_ROUNDS: '0',
    },
    { slack: true },
  );
  ({ bot, driver } = await startHttpBot(config, standin, { clock, logger }));

  // While the server is up: the executive phase's decision, whose action OPS owns (its DM
  // has the Done button), the vote's message, and the decision form open for EXEC.
  await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
  const rec = await recordDecision(bot.deps, {
    cycleId,
    pollId: null,
    scenarioId: scenarioIds.central!,
    rationale: 'Service first',
    decidedBy: EXEC,
    requestKey: 'pg-down-decision',
    actions: [{ owner: OPS, dueDate: '2027-02-20', description: 'Book weekend overtime' }],
  });
  await publishDecision(standinClient(standin, 'xoxb-pg-down'), db, rec.decision.id);
  actionDm = (
    await standin.waitFor(() =>
      standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes('Book weekend overtime')),
    )
  ).ts;
  await driver.command('/sop', { user: PLANNER, channel: 'C_EXEC', text: 'vote 24' });
  pollTs = (await pollUntil(
    () => db.selectFrom('polls').select('message_ts').executeTakeFirst(),
    (p) => p?.message_ts != null,
  ))!.message_ts!;
  await driver.command('/sop', { user: EXEC, channel: 'C_EXEC', text: 'decide' });
  decisionForm = (
    await standin.waitFor(() =>
      standin.openViews(EXEC).find((v) => v.definition.callback_id === 'decision_submit'),
    )
  ).id;
  // Adjustments are open again, and the rep's forecast form is open (past its loading view).
  await db
    .updateTable('cycles')
    .set({ phase: 'data_gathering' })
    .where('id', '=', cycleId)
    .execute();
  await driver.command('/forecast', { user: REP, channel: 'C_DEMAND', text: '' });
  forecastForm = (
    await standin.waitFor(() =>
      standin.openViews(REP).find((v) => v.definition.callback_id === 'forecast_submit'),
    )
  ).id;
  // The rep's App Home, with its "No change for my families" button.
  await driver.event({ type: 'app_home_opened', user: REP, channel: `D_${REP}`, tab: 'home' });
  await standin.waitFor(() => {
    const home = standin.homeView(REP);
    return JSON.stringify(home?.definition ?? {}).includes('forecast_no_change') && home;
  });
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await standin?.close();
  await db?.destroy();
  await pg?.remove();
});

/** Error lines of the bot's log, but the outbox relay's (it says the outage once, on its own). */
const errorLines = () => lines.filter((l) => l.level >= 50 && !l.msg.startsWith('outbox relay:'));

/** What `user` was told privately: ephemerals anywhere, and messages in their DM with the bot. */
const toldTo = (user: string) => ({
  ephemerals: standin.ephemeralsFor(user).map((e) => e.text),
  dms: standin.messagesIn(`D_${user}`).map((m) => m.text),
});

/** What `user` was told since `before` (an earlier `toldTo`). */
const toldSince = (user: string, before: ReturnType<typeof toldTo>) => {
  const now = toldTo(user);
  return [...now.ephemerals.slice(before.ephemerals.length), ...now.dms.slice(before.dms.length)];
};

/**
 * `act` as `user` while the server is down: what `user` was told (new ephemerals and DMs), once
 * `answered` holds, and the error lines it logged. A second answer or a second log entry would
 * come right after the first: the test waits for it a while.
 */
async function duringOutage<T>(
  user: string,
  act: () => Promise<T>,
  answered: (told: string[]) => boolean,
): Promise<{ result: T; told: string[]; logged: LogLine[] }> {
  const toldBefore = toldTo(user);
  const loggedBefore = errorLines().length;
  const result = await act();
  await standin.waitFor(() => answered(toldSince(user, toldBefore)) || undefined, 10_000);
  await new Promise((r) => setTimeout(r, 1_000));
  return {
    result,
    told: toldSince(user, toldBefore),
    logged: errorLines().slice(loggedBefore),
  };
}

/** One entry, at error level, with the stack of the error. */
function loggedOnce(logged: readonly LogLine[]): void {
  expect(logged).toHaveLength(1);
  expect(logged[0]!.err?.stack).toMatch(/\n\s+at /);
}

/** The form was answered in time with the apology on one of its fields, and stays open. */
function formApology(r: ViewSubmitResult): void {
  expect(r.status).toBe(200);
  expect(r.ackMs).toBeLessThan(3000);
  expect(r.outcome.action).toBe('errors');
  const errors = r.outcome.action === 'errors' ? Object.values(r.outcome.errors) : [];
  expect(errors).toEqual([APOLOGY]);
}

describe('PostgreSQL down', () => {
  it('stops, and the outbox relay says so once', async () => {
    await db.destroy();
    await pg.stop();
    await standin.waitFor(
      () => lines.some((l) => l.msg.startsWith('outbox relay: could not read')) || undefined,
      15_000,
    );
  });

  const command = (user: string, name: string, text: string, channel: string) => () =>
    duringOutage(
      user,
      async () => {
        const ack = await driver.command(name, { user, channel, text });
        expect(ack.status).toBe(200);
        expect(ack.ackMs).toBeLessThan(3000);
        return ack;
      },
      (told) => told.length > 0,
    );

  it("App Home's No change: one apology by DM, logged once", async () => {
    const { result, told, logged } = await duringOutage(
      REP,
      // First of REP's acts in the outage: a later one (a form REP submits) has the Home drawn
      // again, with the apology, and Slack takes clicks on the current view only. The Home as
      // it is now: a job's redraw (REP now a viewer) may have drawn it since the setup read it.
      () => driver.selectOption(currentHome(), 'forecast_no_change', null, { user: REP }),
      (t) => t.length > 0,
    );
    expect(result.status).toBe(200);
    expect(result.ackMs).toBeLessThan(3000);
    expect(told).toEqual([WARNING]);
    loggedOnce(logged);
  });

  it('/sop status: the apology, privately, logged once', async () => {
    const { told, logged } = await command(PLANNER, '/sop', 'status', 'C_EXEC')();
    expect(told).toEqual([WARNING]);
    loggedOnce(logged);
  });

  it('/sop decide with text: the apology, no decision claimed, logged once', async () => {
    const { told, logged } = await command(
      EXEC,
      '/sop',
      'decide cautious "Cash first"',
      'C_EXEC',
    )();
    expect(told).toEqual([WARNING]);
    loggedOnce(logged);
  });

  it('/forecast with text: the apology, nothing claimed saved, logged once', async () => {
    const { told, logged } = await command(
      REP,
      '/forecast',
      'FAM-1 2027-07 +5% promotion "during"',
      'C_DEMAND',
    )();
    expect(told).toEqual([WARNING]);
    loggedOnce(logged);
  });

  it('a vote button: the apology, no vote receipt, logged once', async () => {
    const { result, told, logged } = await duringOutage(
      EXEC,
      () => driver.clickButton('C_EXEC', pollTs, 'vote_cast_2', { user: EXEC }),
      (t) => t.length > 0,
    );
    expect(result.status).toBe(200);
    expect(result.ackMs).toBeLessThan(3000);
    expect(told).toEqual([WARNING]);
    loggedOnce(logged);
  });

  it("a follow-up action's Done: the apology, the DM not marked done, logged once", async () => {
    const { result, told, logged } = await duringOutage(
      OPS,
      () => driver.clickButton(`D_${OPS}`, actionDm, 'action_done', { user: OPS }),
      (t) => t.length > 0,
    );
    expect(result.status).toBe(200);
    expect(result.ackMs).toBeLessThan(3000);
    expect(told).toEqual([WARNING]);
    const dm = standin.messagesIn(`D_${OPS}`).find((m) => m.ts === actionDm);
    expect(dm?.text).not.toMatch(/done/i);
    loggedOnce(logged);
  });

  it('the decision form: the apology on the form within 3 s, which stays open; logged once', async () => {
    const { result, told, logged } = await duringOutage(
      EXEC,
      () =>
        driver.submitView(decisionForm, {
          user: EXEC,
          values: {
            scenario: { pick: scenarioIds.cautious! },
            rationale: { text: 'Cash first' },
            supersede: { text: 'The bank asked for it' },
          },
        }),
      () => true,
    );
    formApology(result);
    expect(standin.openViews(EXEC).map((v) => v.id)).toContain(decisionForm);
    // Nothing else: no DM, no ephemeral (Bolt's own handler sent a DM besides the form's error).
    expect(told).toEqual([]);
    loggedOnce(logged);
  });

  it('the forecast form: the apology on the form within 3 s; logged once', async () => {
    const { result, told, logged } = await duringOutage(
      REP,
      () =>
        driver.submitView(forecastForm, {
          user: REP,
          values: changeModalValues({
            target: 'FAM-1',
            from: '2027-07',
            kind: 'delta_pct',
            value: '5',
            reason: 'promotion',
          }),
        }),
      () => true,
    );
    formApology(result);
    expect(told).toEqual([]);
    loggedOnce(logged);
  });

  it('App Home opened: the tab is drawn with the apology; logged once', async () => {
    const before = standin.callsTo('views.publish').length;
    const { result, told, logged } = await duringOutage(
      REP,
      () => driver.event({ type: 'app_home_opened', user: REP, channel: `D_${REP}`, tab: 'home' }),
      () => standin.callsTo('views.publish').length > before,
    );
    expect(result.status).toBe(200);
    expect(JSON.stringify(standin.homeView(REP)?.definition)).toContain(WARNING);
    expect(told).toEqual([]);
    loggedOnce(logged);
  });

  it('once the server is back, nothing of what was tried is written', async () => {
    await pg.start();
    db = createDb(pg.url, { max: 2 });
    const count = async (table: 'votes' | 'decisions' | 'forecast_adjustments') =>
      (await db.selectFrom(table).select('id').execute()).length;
    expect(await count('votes')).toBe(0);
    expect(await count('decisions')).toBe(1);
    expect(await count('forecast_adjustments')).toBe(0);
    expect((await db.selectFrom('no_change_declarations').selectAll().execute()).length).toBe(0);
    const action = await db.selectFrom('actions').select('status').executeTakeFirstOrThrow();
    expect(action.status).toBe('open');
    expect(driver.failures).toEqual([]);
  });
});
