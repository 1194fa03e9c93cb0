/**
 * Publishing a member's App Home (views.publish). It is drawn when its person opens it (who did
 * is recorded, `home_viewers`) and after what they do from it; a change made elsewhere that
 * concerns others draws theirs again only if they have opened it (`redrawHomes`).
 */
import type { webApi } from '@slack/bolt';
import { homeViewersAmong, recordHomeOpened } from '../../db/queries/home-viewers.js';
import type { AppDeps } from '../deps.js';
import { homeData } from '../services/home.js';
import { homeView } from './presenters/home.js';

export async function publishHome(
  deps: AppDeps,
  client: webApi.WebClient,
  userId: string,
): Promise<void> {
  const data = await homeData(deps, userId);
  await client.views.publish({ user_id: userId, view: homeView(data) });
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
 * Draws the Home again of each of `users` who has opened it, after a change that concerns them
 * (`why`, for the log). A failure is logged and stops neither the others nor the caller: the
 * change is made, and the next opening draws the Home in full.
 */
export async function redrawHomes(
  deps: AppDeps,
  client: webApi.WebClient,
  users: readonly string[],
  why: string,
): Promise<void> {
  try {
    const viewers = await homeViewersAmong(deps.db, [...new Set(users)]);
    await Promise.all(
      viewers.map((user) =>
        publishHome(deps, client, user).catch((err: unknown) =>
          deps.logger.warn({ err, user }, `App Home not redrawn after ${why}`),
        ),
      ),
    );
  } catch (err) {
    deps.logger.warn({ err }, `App Homes not redrawn after ${why}`);
  }
}
