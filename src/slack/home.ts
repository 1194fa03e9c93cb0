/** Publishing a member's App Home (views.publish). */
import type { webApi } from '@slack/bolt';
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
