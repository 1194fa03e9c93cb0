/**
 * Two jobs' App Home redraws for one person that cross: a corrected import's cancelling job
 * reads the Home (the action gone from it) and is slow to publish, while a later correction
 * opens the action again and its job reads and publishes the Home with it. Before, each read
 * when it drew but nothing kept the two apart, and the cancelling's older Home landed last:
 * the action, open again, was missing from it until its owner opened the tab again. A job now
 * reads and publishes a Home under that person's Home lock, so the later job reads after the
 * earlier one's publish. The cancelling job's Slack client is held at its views.publish by the
 * test, so the interleaving is the same every run. The real bot over HTTP and the worker, the
 * stand-in, real Postgres and Redis.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { cancelOpenAction, reopenCancelledAction } from '../../db/queries/execution.js';
import { loadConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { redrawHomeInJob } from '../../src/slack/home.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { heldAt } from './held-client.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'action-home-race',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let slack: WebClient;
let deps: AppDeps;
let id: string;

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
  [id] = (await decideMarchActions(h, clock, 'home-race', EXEC, [
    { owner: OPS, dueDate: '2027-03-25', description: 'Book weekend overtime' },
  ])) as [string];
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Slack client whose views.publish waits until `release()`: `reached` when one is asked for. */
const heldClient = () => heldAt(slack, 'views', 'publish');

/** Whether OPS's Home, as last published, offers action `id`'s buttons. */
const homeOffers = () =>
  JSON.stringify(standin.homeView(OPS)?.definition ?? null).includes(`"block_id":"action_${id}"`);

describe("a cancelling's Home redraw slow to publish while a reopening's draws", () => {
  it('the Home ends offering the action, open again', async () => {
    await h.driver.event({ type: 'app_home_opened', user: OPS, channel: `D_${OPS}`, tab: 'home' });
    await standin.waitFor(() => standin.homeView(OPS), 20_000);
    expect(homeOffers()).toBe(true);

    // Cancelled: its job reads the Home (the action gone) and is held at its publish.
    await db.transaction().execute((trx) => cancelOpenAction(trx, id));
    const held = heldClient();
    const cancelling = redrawHomeInJob(deps, held.client, OPS, '9701', 'a corrected import');
    await held.reached;
    // Opened again: its job reads the Home with the action back.
    await db.transaction().execute((trx) => reopenCancelledAction(trx, id));
    const reopening = redrawHomeInJob(deps, slack, OPS, '9702', 'a corrected import');
    // Given time to publish (as it did before), the reopening's draws or waits its turn.
    await Promise.race([reopening, sleep(1_500)]);
    held.release();
    expect(await Promise.all([cancelling, reopening])).toEqual(['drawn', 'drawn']);

    // Before the fix: the cancelling's Home, read first, landed last, without the action.
    expect(homeOffers()).toBe(true);
  }, 30_000);
});
