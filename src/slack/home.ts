/**
 * Publishing a member's App Home (views.publish). It is drawn when its person opens it (who did
 * is recorded, `home_viewers`) and after what they do from it (`redrawHome`); a change made
 * elsewhere that concerns others draws theirs again only if they have opened it
 * (`redrawHomes`). Either redraw is tried again after the wait Slack asks for when it answers
 * with a 429. A change the worker makes with nobody's click (a corrected import cancelling or
 * reopening an action) draws it from its job, once (`redrawHomeInJob`). Every one of them,
 * the bot's and the worker's, reads and publishes the Home under its person's Home lock
 * (`drawingHome`), so the last Home published is read from what the last change wrote.
 */
import type { webApi } from '@slack/bolt';
import { withSessionLock } from '../../db/queries/adjustments.js';
import { homeViewersAmong, recordHomeOpened } from '../../db/queries/home-viewers.js';
import { claimRequest, requestProcessed } from '../../db/queries/requests.js';
import type { AppDeps } from '../deps.js';
import { homeData } from '../services/home.js';
import { retryAfterOf } from './post-ledger.js';
import { homeView } from './presenters/home.js';

/** How many 429s in a row a Home redraw waits out before it is left to the next opening. */
export const HOME_RATE_LIMIT_TRIES = 3;

/** `userId`'s Home read and published, under their Home lock (`drawingHome`). */
export async function publishHome(
  deps: AppDeps,
  client: webApi.WebClient,
  userId: string,
): Promise<void> {
  await drawingHome(deps, userId, (locked) => readAndPublish(locked, client, userId));
}

/** Reads `userId`'s Home and publishes it: only ever under their Home lock (`drawingHome`). */
async function readAndPublish(
  locked: AppDeps,
  client: webApi.WebClient,
  userId: string,
): Promise<void> {
  const data = await homeData(locked, userId);
  await client.views.publish({ user_id: userId, view: homeView(data) });
}

/**
 * Runs `draw` under `user`'s Home lock (homeDrawLock, a Postgres session advisory lock), with
 * `deps` whose `db` is the lock's own connection. Every Home is read and published under it,
 * whichever process draws it: without it, a Done's redraw in the bot could read the Home, a
 * job's redraw read it after a later change and publish, and the bot's older Home land last,
 * showing the action the change removed until the next redraw. Under it, the later redraw
 * reads after the earlier one's publish. Reading on the lock's connection, a holder never
 * waits for a second one, so a burst of Homes drawn at once cannot take all the pool's
 * connections and wait for more. Taken only around the read and the publish: never while a
 * redraw waits out a 429 (`redrawHome` lets go of it first), nor with an action's lock held (a
 * click's redraw of its message, like a job's, lets go of that first), and nothing else is
 * locked under it, so no two holders wait on each other.
 */
function drawingHome<T>(
  deps: AppDeps,
  user: string,
  draw: (locked: AppDeps) => Promise<T>,
): Promise<T> {
  return withSessionLock(deps.db, homeDrawLock(user), (conn) => draw({ ...deps, db: conn }));
}

/** `userId` opened the Home tab: recorded, and drawn. */
export async function openHome(
  deps: AppDeps,
  client: webApi.WebClient,
  userId: string,
): Promise<void> {
  await recordHomeOpened(deps.db, userId);
  await publishHome(deps, client, userId);
}

/** `userId` acted on their Home tab: recorded as one who has it open (`redrawHomes`). */
export async function noteHomeOpen(deps: AppDeps, userId: string): Promise<void> {
  await recordHomeOpened(deps.db, userId);
}

/**
 * The longest Retry-After a redraw waits out, in seconds. A redraw only spares its person
 * opening the tab again; a longer wait (Slack's limits on views.publish are per minute, so a
 * wait of hours is a broken header or a proxy's) would keep a timer and the bot's connections
 * referenced that long, to draw a Home the next opening draws anyway; and past 2^31 ms Node
 * fires a timer at once, which would spend every try in a row. Such a 429 is given up, logged once.
 */
export const HOME_RETRY_AFTER_MAX_S = 60;

/** Per running bot (its deps): the people whose Home waits out a 429, with its timer. */
interface Waiting {
  readonly timers: Map<string, ReturnType<typeof setTimeout>>;
  /** Set by `stopHomeRedraws`: no wait is started any more. */
  stopped: boolean;
}
const waitingByDeps = new WeakMap<AppDeps, Waiting>();

function waitingOf(deps: AppDeps): Waiting {
  let w = waitingByDeps.get(deps);
  if (!w) {
    w = { timers: new Map(), stopped: false };
    waitingByDeps.set(deps, w);
  }
  return w;
}

/**
 * The bot stops: every redraw waiting out a 429 is dropped (its timer cleared, logged with the
 * people whose Home it was), and none waits from now on, so none reads the closed pool or
 * publishes through the stopped app later; the next opening draws those Homes.
 */
export function stopHomeRedraws(deps: AppDeps): void {
  const w = waitingOf(deps);
  w.stopped = true;
  for (const timer of w.timers.values()) clearTimeout(timer);
  const users = [...w.timers.keys()];
  w.timers.clear();
  if (users.length > 0)
    deps.logger.info(
      { users },
      'App Home redraws dropped: the bot stops; the next opening draws them',
    );
}

/**
 * What became of a redraw: `drawn`; `waiting` for the Retry-After of Slack's 429, to be tried
 * again then; `failed` (logged, the next opening draws it).
 */
export type HomeRedraw = 'drawn' | 'waiting' | 'failed';

/**
 * Draws `user`'s Home again after `why` (for the log): after what they did from it, or, through
 * `redrawHomes`, a change that concerns them. When Slack answers 429, it is drawn again after
 * the Retry-After it gave, in the background (nobody waits on it), up to
 * HOME_RATE_LIMIT_TRIES times in a row. Each try reads the Home as it is then, under the
 * person's Home lock (`drawingHome`), let go of before the wait, so one waiting try per
 * person is enough: a later redraw rate-limited meanwhile joins it instead of adding
 * another. Any other failure, or the last 429, is logged once: the next opening draws the
 * Home in full, as is a wait longer than HOME_RETRY_AFTER_MAX_S or one while the bot stops
 * (`stopHomeRedraws`). Never throws: the change it shows is made either way.
 */
export function redrawHome(
  deps: AppDeps,
  client: webApi.WebClient,
  user: string,
  why: string,
): Promise<HomeRedraw> {
  return drawAgain(deps, client, user, why, 0);
}

/** `redrawHome`'s try after `limited` 429s in a row. */
async function drawAgain(
  deps: AppDeps,
  client: webApi.WebClient,
  user: string,
  why: string,
  limited: number,
): Promise<HomeRedraw> {
  try {
    await publishHome(deps, client, user);
    return 'drawn';
  } catch (err) {
    const retryAfter = retryAfterOf(err);
    const waiting = waitingOf(deps);
    if (retryAfter !== null && waiting.stopped) {
      deps.logger.info({ user }, `App Home not redrawn after ${why}: the bot stops`);
      return 'failed';
    }
    if (retryAfter === null || limited >= HOME_RATE_LIMIT_TRIES) {
      deps.logger.warn({ err, user }, `App Home not redrawn after ${why}`);
      return 'failed';
    }
    if (retryAfter > HOME_RETRY_AFTER_MAX_S) {
      deps.logger.warn(
        { err, user, retryAfter },
        `App Home not redrawn after ${why}: Slack asked to wait more than ${HOME_RETRY_AFTER_MAX_S} s`,
      );
      return 'failed';
    }
    if (waiting.timers.has(user)) return 'waiting';
    deps.logger.info(
      { user, retryAfter },
      `Slack rate-limited the App Home redrawn after ${why}: it waits and tries again`,
    );
    const timer = setTimeout(() => {
      waiting.timers.delete(user);
      void drawAgain(deps, client, user, why, limited + 1);
    }, retryAfter * 1000);
    // Nor does it hold a process open that has nothing else to do; the bot's stop clears it.
    timer.unref();
    waiting.timers.set(user, timer);
    return 'waiting';
  }
}

/**
 * Draws the Home again of each of `users` who has opened it, after a change that concerns them
 * (`why`, for the log). A failure is logged and stops neither the others nor the caller: the
 * change is made, a 429 is waited out in the background (`redrawHome`), and the next opening
 * draws the Home in full.
 */
export async function redrawHomes(
  deps: AppDeps,
  client: webApi.WebClient,
  users: readonly string[],
  why: string,
): Promise<void> {
  try {
    const viewers = await homeViewersAmong(deps.db, [...new Set(users)]);
    await Promise.all(viewers.map((user) => redrawHome(deps, client, user, why)));
  } catch (err) {
    deps.logger.warn({ err }, `App Homes not redrawn after ${why}`);
  }
}

/**
 * What a job's Home redraw did: `drawn`; `not_viewer`, who never opened it (the opening draws
 * it); `already`, drawn for this change by an earlier run of the job; `failed` (logged once, the
 * next opening draws it).
 */
export type JobHomeRedraw = 'drawn' | 'not_viewer' | 'already' | 'failed';

/**
 * For a job in the worker, after a change no one clicked (`why`, for the log; `change`, its
 * key, such as its audit entry): `user`'s Home drawn again if they have opened it, once for the
 * change (recorded once drawn, as `home:<change>:<user>`, so a retried job draws it no more).
 * Slack's 429 is thrown: the worker's client rejects it and the queue delays the job by its
 * Retry-After, whose other effects are recorded, so the retry draws the Home only; no timer is
 * left in the worker as `redrawHome` leaves in the bot. Any other failure is logged once and
 * left to the next opening: the change is made either way. Read and published under the
 * person's Home lock (`drawingHome`), as every Home is.
 */
export async function redrawHomeInJob(
  deps: AppDeps,
  client: webApi.WebClient,
  user: string,
  change: string,
  why: string,
): Promise<JobHomeRedraw> {
  const [viewer] = await homeViewersAmong(deps.db, [user]);
  if (!viewer) return 'not_viewer';
  const key = `home:${change}:${user}`;
  // Two jobs' reads and publishes cross as a job's and a click's would: a cancelling's job
  // reads the Home, a reopening commits, its job reads and publishes, and the cancelling's
  // slower views.publish lands last with the action missing. Under the Home lock, taken after
  // the job let go of its action's, the later job reads after the earlier one's publish.
  return drawingHome(deps, user, async (locked) => {
    if (await requestProcessed(locked.db, key)) return 'already';
    try {
      await readAndPublish(locked, client, user);
    } catch (err) {
      if (retryAfterOf(err) !== null) throw err;
      deps.logger.warn({ err, user }, `App Home not redrawn after ${why}`);
      return 'failed';
    }
    await claimRequest(locked.db, key, 'home.redraw');
    return 'drawn';
  });
}

/** The advisory lock under which every redraw reads and publishes `user`'s App Home (drawingHome). */
export const homeDrawLock = (user: string) => `home-draw:${user}`;
