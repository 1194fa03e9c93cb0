/**
 * A change the worker makes to an action with no one's click (a corrected import cancelling it,
 * a later one opening it again) draws its owner's App Home again, if they have opened it, once:
 * a retried job draws it no more. Before, the Home kept offering Done on a cancelled action, and
 * left a reopened one out, until its owner opened the tab again. A Done's job draws no Home: the
 * click's listener does. The real bot over HTTP and the worker, the stand-in, real Postgres and
 * Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { cancelOpenAction, reopenCancelledAction } from '../../db/queries/execution.js';
import { jobId } from '../../jobs/contracts.js';
import { markDone } from '../../src/services/actions.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'action-home-worker',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
const ids: string[] = [];

beforeAll(async () => {
  ({ db, standin } = h);
  ids.push(
    ...(await decideMarchActions(h, clock, 'home-worker', EXEC, [
      { owner: OPS, dueDate: '2027-03-25', description: 'Book weekend overtime' },
      { owner: OPS, dueDate: '2027-03-26', description: 'Order resin' },
      { owner: OPS, dueDate: '2027-03-27', description: 'Count the pallets' },
    ])),
  );
}, 60_000);

/** How many times OPS's Home was published. */
const publishes = () =>
  standin.callsTo('views.publish').filter((c) => c.args.user_id === OPS).length;
/** Whether OPS's Home, as last published, offers action `id`'s buttons. */
const homeOffers = (id: string) =>
  JSON.stringify(standin.homeView(OPS)?.definition ?? null).includes(`"block_id":"action_${id}"`);

/** What execution.ts writes with a correction's change: its audit entry, by the worker. */
const entry = (action: 'deviation.resolve' | 'deviation.reopen') =>
  audit(db, { actor: 'sopbot', action, entity: 'deviation', entityId: '1', details: {} });

describe('a corrected import cancels, then reopens, an action whose owner opened App Home', () => {
  it('the Home drops it, then offers it again, each drawn once; a Done draws none from the worker', async () => {
    const [id, other] = [ids[0]!, ids[1]!];
    await h.driver.event({ type: 'app_home_opened', user: OPS, channel: `D_${OPS}`, tab: 'home' });
    await standin.waitFor(() => standin.homeView(OPS), 20_000);
    expect(homeOffers(id)).toBe(true);
    expect(homeOffers(other)).toBe(true);

    // Cancelled by a correction: the job draws the Home, which no longer offers it.
    let before = publishes();
    await db.transaction().execute((trx) => cancelOpenAction(trx, id));
    const closing = await entry('deviation.resolve');
    await h.queues.enqueue('action-closed', { actionId: id, closing });
    const closed = await h.finished(
      'notifications',
      jobId('action-closed', { actionId: id, closing }),
    );
    expect(homeOffers(id)).toBe(false);
    expect(homeOffers(other)).toBe(true);
    expect(publishes()).toBe(before + 1);
    expect(closed.home).toBe('drawn');
    // The job run again (a redelivery): the Home is not drawn again.
    expect(
      (await h.runAgain('action-closed', { actionId: id, closing }, 'notifications')).home,
    ).toBe('already');
    expect(publishes()).toBe(before + 1);

    // Opened again by a later correction: the Home offers it again.
    before = publishes();
    await db.transaction().execute((trx) => reopenCancelledAction(trx, id));
    const reopening = await entry('deviation.reopen');
    await h.queues.enqueue('action-reopened', { actionId: id, reopening });
    const reopened = await h.finished(
      'notifications',
      jobId('action-reopened', { actionId: id, reopening }),
    );
    expect(homeOffers(id)).toBe(true);
    expect(publishes()).toBe(before + 1);
    expect(reopened.home).toBe('drawn');
    expect(
      (await h.runAgain('action-reopened', { actionId: id, reopening }, 'notifications')).home,
    ).toBe('already');
    expect(publishes()).toBe(before + 1);

    // OPS marks the other done (the service a Done click or /sop actions done calls): its
    // job draws the DMs, not the Home, which the click's listener draws.
    before = publishes();
    const done = await markDone({ db, queue: h.queues, clock }, other, OPS);
    const doneJob = await h.finished(
      'notifications',
      jobId('action-closed', { actionId: other, closing: done.closing! }),
    );
    expect(doneJob).not.toHaveProperty('home');
    expect(publishes()).toBe(before);
  }, 60_000);

  it("Slack answers the Home's redraw with a 429: the job is delayed, and its retry draws the Home, not the DMs again", async () => {
    const id = ids[2]!;
    const opened = publishes();
    await h.driver.event({ type: 'app_home_opened', user: OPS, channel: `D_${OPS}`, tab: 'home' });
    await standin.waitFor(() => publishes() > opened || null, 20_000);
    expect(homeOffers(id)).toBe(true);
    const before = publishes();
    const updates = standin.callsTo('chat.update').length;
    standin.failNext('views.publish', { status: 429, retryAfter: 1, channel: OPS });
    await db.transaction().execute((trx) => cancelOpenAction(trx, id));
    const closing = await entry('deviation.resolve');
    await h.queues.enqueue('action-closed', { actionId: id, closing });
    const closed = await h.finished(
      'notifications',
      jobId('action-closed', { actionId: id, closing }),
    );
    // The 429's try, then the retry's.
    expect(publishes()).toBe(before + 2);
    expect(homeOffers(id)).toBe(false);
    // Its assignment DM was drawn by the first run only; the retry found it drawn.
    expect(standin.callsTo('chat.update').length).toBe(updates + 1);
    expect(closed).toEqual({ buttonsRemoved: 0, already: 1, notEdited: 0, home: 'drawn' });
  }, 60_000);
});
