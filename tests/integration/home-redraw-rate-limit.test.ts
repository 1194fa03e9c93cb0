/**
 * An App Home drawn again after a change made elsewhere (a reassignment), or after its person's
 * own click on it (Done), that Slack answers with a 429 is drawn again once the wait it asks for
 * is over, without the person opening the tab: the new owner's To-do gains the action, the
 * clicked action leaves its owner's. The retry does not hold up the command that made
 * the change, reads the Home as it is when it runs (so two rate-limited redraws of one person
 * make one retry), and gives up after HOME_RATE_LIMIT_TRIES waits, or at once when Slack asks
 * for more than HOME_RETRY_AFTER_MAX_S, logged once. A bot that stops drops the waits. The
 * real bot over HTTP against the stand-in, real Postgres and Redis.
 *
 * Nothing here sleeps to see that something does not happen: each retry is a wait the bot logs
 * when it starts, so once the waits logged have all been drawn, no other retry can come.
 */
import pino, { type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { HOME_RATE_LIMIT_TRIES, HOME_RETRY_AFTER_MAX_S } from '../../src/slack/home.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { commandEphemeral } from '../helpers/slack.js';
import { testClock } from './meeting-fixture.js';

const ADA = 'UADA0001'; // admin: gives anyone's action to another owner
const OTTO = 'UOTT0001'; // ops, owns the actions
const NINA = 'UNIN0001'; // ops, takes them over

/** The bot's log lines from info up: level, message, and the person a redraw was for. */
const lines: { level: number; msg: string; user?: string; users?: string[] }[] = [];
function recordingLogger(): Logger {
  return pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
}
/** The messages of the bot's warn lines. */
const warnings = () => lines.filter((l) => l.level >= 40).map((l) => l.msg);
/** How many waits out a 429 the bot has started for `user`'s Home so far (one per retry). */
const waitsFor = (user: string) =>
  lines.filter((l) => l.user === user && l.msg.endsWith('it waits and tries again')).length;

let running: HttpTestBot;
let db: Db;
let standin: Standin;
let driver: Driver;
const ids: string[] = [];

beforeAll(async () => {
  running = await startHttpTestBot('home-redraw-429', {
    standin: {
      postMessageRate: false,
      users: [ADA, OTTO, NINA].map((id) => ({
        id,
        name: id.toLowerCase(),
        real_name: id,
        tz: 'UTC',
      })),
    },
    env: { SOPBOT_ADMIN_USERS: ADA },
    clock: testClock('2027-03-12T09:00:00Z'),
    logger: recordingLogger(),
  });
  ({ standin, driver } = running);
  db = running.t.db;
  await insertMembers(db, { [OTTO]: 'ops', [NINA]: 'ops' });
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const rows = await db
    .insertInto('actions')
    .values(
      [
        'Book weekend overtime',
        'Order resin',
        'Count the safety stock',
        'Check the forklift',
        'Call the carrier',
        'Label the racks',
        'Book the crane',
      ].map((description, i) => ({
        cycle_id: cycleId,
        description,
        owner: OTTO,
        due_date: '2027-03-20',
        created_by: ADA,
        request_key: `home-429-${i}`,
      })),
    )
    .returning('id')
    .execute();
  ids.push(...rows.map((r) => r.id));
  // Both have opened their Home: a change that concerns them draws it again.
  for (const user of [OTTO, NINA]) {
    await driver.event({ type: 'app_home_opened', user, channel: `D_${user}`, tab: 'home' });
    await standin.waitFor(() => publishes(user) > 0, 15_000);
  }
});

afterAll(async () => {
  await running?.stop();
});

/** Calls to views.publish for `user` so far (answered or refused). */
const publishes = (user: string) =>
  standin.callsTo('views.publish').filter((c) => c.args.user_id === user).length;
const homeOf = (user: string) => JSON.stringify(standin.homeView(user)?.definition ?? null);
const shows = (user: string, id: string) => homeOf(user).includes(`"block_id":"action_${id}"`);

/** ADA gives action `id` to NINA with the command; the answer she gets. */
const toNina = (id: string) =>
  commandEphemeral(running, '/sop', ADA, `actions reassign #${id} <@${NINA}>`).then((e) => e.text);

describe('App Home redrawn after a reassignment, when Slack answers 429', () => {
  it('is drawn again after Retry-After, without the tab being opened', async () => {
    const id = ids[0]!;
    const nina = publishes(NINA);
    standin.failNext('views.publish', { status: 429, retryAfter: 1, channel: NINA });
    const answer = await toNina(id);
    expect(answer).toContain(`#${id}`);
    // OTTO's redraw went through; NINA's was refused (429), so her Home does not show it yet.
    await standin.waitFor(() => !shows(OTTO, id) && publishes(NINA) === nina + 1, 15_000);
    expect(shows(NINA, id)).toBe(false);
    // One second later (Retry-After), without NINA opening the tab: the action is on it.
    await standin.waitFor(() => shows(NINA, id), 15_000);
    expect(publishes(NINA)).toBe(nina + 2);
  });

  it('two rate-limited redraws of one person make one retry, which shows both changes', async () => {
    const [a, b] = [ids[1]!, ids[2]!];
    const nina = publishes(NINA);
    const waits = waitsFor(NINA);
    // 4 s: the second command's redraw, refused too, comes while the first waits, even on a
    // loaded machine (with 1 s, a slow second command came after the retry, which took its 429).
    standin.failNext('views.publish', { status: 429, retryAfter: 4, channel: NINA, times: 2 });
    await toNina(a);
    await toNina(b);
    await standin.waitFor(() => shows(NINA, a) && shows(NINA, b), 15_000);
    // One wait was started, and its retry drew both: no other retry is waiting to come.
    expect(waitsFor(NINA)).toBe(waits + 1);
    // By hand: two refused redraws, then the one retry.
    expect(publishes(NINA)).toBe(nina + 3);
  });

  it(`gives up after ${HOME_RATE_LIMIT_TRIES} waits in a row, logged once; the next opening draws it`, async () => {
    const id = ids[3]!;
    const nina = publishes(NINA);
    const waits = waitsFor(NINA);
    const told = warnings().length;
    standin.failNext('views.publish', {
      status: 429,
      retryAfter: 1,
      channel: NINA,
      times: HOME_RATE_LIMIT_TRIES + 1,
    });
    await toNina(id);
    // The first redraw and 3 retries, each refused.
    await standin.waitFor(() => publishes(NINA) === nina + HOME_RATE_LIMIT_TRIES + 1, 15_000);
    await standin.waitFor(
      () => warnings().slice(told).includes('App Home not redrawn after a reassignment'),
      15_000,
    );
    // It gave up: each of its waits was drawn (refused), and no further one was started.
    expect(waitsFor(NINA)).toBe(waits + HOME_RATE_LIMIT_TRIES);
    expect(publishes(NINA)).toBe(nina + HOME_RATE_LIMIT_TRIES + 1);
    expect(
      warnings()
        .slice(told)
        .filter((w) => w === 'App Home not redrawn after a reassignment'),
    ).toHaveLength(1);
    expect(shows(NINA, id)).toBe(false);
    await driver.event({ type: 'app_home_opened', user: NINA, channel: `D_${NINA}`, tab: 'home' });
    await standin.waitFor(() => shows(NINA, id), 15_000);
  });
});

describe('App Home redrawn after its person clicks Done on it, when Slack answers 429', () => {
  it('is drawn again after Retry-After, and the person is told it waits', async () => {
    const id = ids[4]!;
    const opened = publishes(OTTO);
    await driver.event({ type: 'app_home_opened', user: OTTO, channel: `D_${OTTO}`, tab: 'home' });
    await standin.waitFor(() => publishes(OTTO) > opened, 15_000);
    expect(shows(OTTO, id)).toBe(true);
    const home = standin.homeView(OTTO);
    if (!home) throw new Error('no Home for OTTO');
    const otto = publishes(OTTO);
    standin.failNext('views.publish', { status: 429, retryAfter: 1, channel: OTTO });
    await driver.selectOption(home.id, 'action_done', id, { user: OTTO, blockId: `action_${id}` });
    // The click's redraw was refused (429): the action is done, the person is told the Home waits.
    const told = await standin.waitFor(
      () =>
        standin
          .callsTo('chat.postMessage')
          .map((c) => String(c.args.text))
          .find((t) => t.startsWith(`Action #${id} `)),
      15_000,
    );
    expect(told).toContain(
      'Slack asked me to wait before redrawing App Home; I will try again shortly.',
    );
    const row = await db
      .selectFrom('actions')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
    // One second later (Retry-After), without OTTO opening the tab: the action has left it.
    await standin.waitFor(() => !shows(OTTO, id), 15_000);
    // By hand: the refused redraw, then the one retry.
    expect(publishes(OTTO)).toBe(otto + 2);
  });
});

describe('a Retry-After longer than the bot waits out', () => {
  it(`over ${HOME_RETRY_AFTER_MAX_S} s: no wait, logged once; the next opening draws the Home`, async () => {
    const id = ids[5]!;
    const nina = publishes(NINA);
    const waits = waitsFor(NINA);
    const told = warnings().length;
    // An hour: a broken header or a proxy's, not Slack's per-minute limit.
    standin.failNext('views.publish', { status: 429, retryAfter: 3600, channel: NINA });
    await toNina(id);
    const given = `App Home not redrawn after a reassignment: Slack asked to wait more than ${HOME_RETRY_AFTER_MAX_S} s`;
    await standin.waitFor(() => warnings().slice(told).includes(given), 15_000);
    expect(warnings().slice(told)).toEqual([given]);
    expect(waitsFor(NINA)).toBe(waits);
    expect(publishes(NINA)).toBe(nina + 1);
    await driver.event({ type: 'app_home_opened', user: NINA, channel: `D_${NINA}`, tab: 'home' });
    await standin.waitFor(() => shows(NINA, id), 15_000);
  });
});

// Last: it stops the bot.
describe('a bot that stops while an App Home redraw waits out a 429', () => {
  it('drops the wait: after the stop nothing is drawn, read or warned about', async () => {
    const id = ids[6]!;
    const waits = waitsFor(NINA);
    standin.failNext('views.publish', { status: 429, retryAfter: 1, channel: NINA });
    await toNina(id);
    // The redraw was refused and now waits.
    await standin.waitFor(() => waitsFor(NINA) === waits + 1, 15_000);
    const nina = publishes(NINA);
    const told = warnings().length;
    await running.bot.stop();
    // Before: its timer stayed, and fired a second later on the closed pool, warning that the
    // Home was not redrawn (or, during the stop, published through the stopping app).
    expect(
      lines.filter((l) => l.msg.startsWith('App Home redraws dropped')).map((l) => l.users),
    ).toEqual([[NINA]]);
    // Past the time it was due (a timer set now for its Retry-After fires after it would have).
    await new Promise((r) => setTimeout(r, 1000));
    await new Promise((r) => setImmediate(r));
    expect(publishes(NINA)).toBe(nina);
    expect(warnings().slice(told)).toEqual([]);
  });
});
