/**
 * App Home: `app_home_opened` publishes the member's Home tab (deduplicated by event_id, as
 * Slack may deliver an event more than once), and its buttons open the change modals.
 */
import type { App, BlockAction, Context } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { once } from '../src/services/requests.js';
import { formFirst } from '../src/slack/after-ack-limit.js';
import { type ChangeSpec, openChangeModal } from '../src/slack/change-flow.js';
import { openHome, type publishHome } from '../src/slack/home.js';
import { memberOf } from '../src/slack/member-context.js';
import { HOME_OPEN_CAPACITY, HOME_OPEN_FORECAST } from '../src/slack/presenters/home.js';
import { CAPACITY } from './capacity.js';
import { FORECAST } from './forecast.js';

export function register(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    await once(deps.db, `event:${body.event_id}`, 'app_home_opened', () =>
      openHome(deps, client, event.user),
    );
  });

  const opener = (spec: ChangeSpec) =>
    async function open({
      ack,
      body,
      client,
      context,
    }: {
      ack: () => Promise<void>;
      body: BlockAction;
      client: Parameters<typeof publishHome>[1];
      context: Context;
    }) {
      // The form opens before the after-ack slot is taken (its trigger_id lives 3 s).
      formFirst(body);
      await ack();
      await openChangeModal(
        deps,
        spec,
        client,
        {
          trigger_id: body.trigger_id,
          user_id: body.user.id,
          channel_id: body.channel?.id ?? null,
        },
        () => memberOf(context),
        body,
      );
    };
  app.action<BlockAction>(HOME_OPEN_FORECAST, opener(FORECAST));
  app.action<BlockAction>(HOME_OPEN_CAPACITY, opener(CAPACITY));
}
