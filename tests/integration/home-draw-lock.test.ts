/**
 * A click's App Home redraw in the bot and a job's redraw of the same Home that cross: its
 * owner clicks Done on one action from the Home, the bot reads the Home (that action gone,
 * another still open) and is slow to publish, while a corrected import cancels the other
 * action and its job reads and publishes the Home without it. Before, the bot's redraws took
 * no Home lock, so the job drew in between and the bot's older Home landed last: the cancelled
 * action kept its buttons until its owner opened the tab again. Every redraw now reads and
 * publishes under the person's Home lock, so the job reads after the bot's publish. The
 * stand-in holds the bot's views.publish before it takes effect, so the interleaving is the
 * same every run. The real bot over HTTP and the worker, the stand-in, real Postgres and Redis.
 */
import { WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { cancelOpenAction } from '../../db/queries/execution.js';
import { loadConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { homeDrawLock, redrawHomeInJob } from '../../src/slack/home.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'home-draw-lock',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let slack: WebClient;
let deps: AppDeps;
/** OPS's two actions: the one they mark done from the Home, the one a correction cancels. */
let done: string;
let cancelled: string;

beforeAll(async () => {
  ({ db, standin } = h);
  slack = new WebClient(h.env.SLACK_BOT_TOKEN, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
  });
  deps = {
    db,
    queue: h.queues,
    clock,
    config: loadConfig({ ...h.env, LOG_LEVEL: 'silent' }),
    logger: createLogger('silent'),
  };
  [done, cancelled] = (await decideMarchActions(h, clock, 'home-lock', EXEC, [
    { owner: OPS, dueDate: '2027-03-25', description: 'Book weekend overtime' },
    { owner: OPS, dueDate: '2027-03-26', description: 'Order resin' },
  ])) as [string, string];
}, 60_000);

/** Whether a Home's definition offers action `id`'s buttons (its row's block). */
const offers = (view: unknown, id: string) => {
  const definition = typeof view === 'string' ? JSON.parse(view) : view;
  return JSON.stringify(definition ?? null).includes(`"block_id":"action_${id}"`);
};

/** The views published for OPS so far, in the order they took effect. */
const published = () =>
  standin
    .callsTo('views.publish')
    .filter((c) => c.args.user_id === OPS && c.response.ok === true)
    .map((c) => c.args.view);

/** The application (`sopbot-bot`, the test's `sopbot`) holding OPS's Home lock, if any. */
async function homeLockHolder(): Promise<string | null> {
  const r = await sql<{ app: string }>`select a.application_name as app
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.objsubid = 1
      and l.database = (select oid from pg_database where datname = current_database())
      and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(${homeDrawLock(OPS)}, 0)`.execute(
    db,
  );
  return r.rows[0]?.app ?? null;
}

/** Resolves once the bot holds OPS's Home lock, or gives up once `settled()` is true. */
async function untilBotHoldsHomeLock(settled: () => boolean): Promise<void> {
  while (!settled() && (await homeLockHolder()) !== 'sopbot-bot')
    await new Promise((r) => setTimeout(r, 25));
}

describe("a click's Home redraw slow to publish while a job's draws", () => {
  it('the Home ends without the action the job cancelled', async () => {
    await h.driver.event({ type: 'app_home_opened', user: OPS, channel: `D_${OPS}`, tab: 'home' });
    const home = await standin.waitFor(() => standin.homeView(OPS), 20_000);
    expect(offers(home.definition, done)).toBe(true);
    expect(offers(home.definition, cancelled)).toBe(true);
    const before = published().length;

    // Done on the Home: the bot reads it (`done` gone, `cancelled` open) and is held at its
    // publish, before the view takes effect.
    const held = standin.holdNext('views.publish', { channel: OPS });
    await h.driver.selectOption(home.id, 'action_done', done, { user: OPS });
    await held.reached;
    // A corrected import cancels the other action: its job reads the Home and draws it.
    await db.transaction().execute((trx) => cancelOpenAction(trx, cancelled));
    let settled = false;
    const job = redrawHomeInJob(deps, slack, OPS, '9801', 'a corrected import').finally(() => {
      settled = true;
    });
    // Before the fix the bot held no lock, and the job read and published first; now the
    // bot holds OPS's Home lock while it publishes, and the job waits for it to read.
    await Promise.race([job, untilBotHoldsHomeLock(() => settled)]);
    held.release();
    expect(await job).toBe('drawn');

    // Both Homes published: the last offers neither action. Before the fix: the bot's Home,
    // read first, landed last, offering the cancelled action.
    await standin.waitFor(() => published().length >= before + 2, 20_000);
    const last = standin.homeView(OPS)?.definition;
    expect(offers(last, cancelled)).toBe(false);
    expect(offers(last, done)).toBe(false);
    // By hand: the bot's Home (read before the cancelling), then the job's (read after it).
    expect(published()).toHaveLength(before + 2);
    const [bots, jobs] = published().slice(before);
    expect([offers(bots, done), offers(bots, cancelled)]).toEqual([false, true]);
    expect([offers(jobs, done), offers(jobs, cancelled)]).toEqual([false, false]);
  }, 30_000);
});
