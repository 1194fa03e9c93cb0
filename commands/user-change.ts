/**
 * `user_change` (scope `users:read`): Slack says a person's account changed. Someone sopbot
 * does not know costs one read and nothing else. For the others the change is recorded for
 * every process (what the bot and the workers remember of them is stale); a deactivation
 * (`user.deleted`, they left) asks for the admins' `user-left` DM, once per event_id (Slack
 * may deliver an event more than once) and per person and day (the job's id), which tells
 * them once per deactivation; a live account, users.info agreeing, has the DMs withheld from
 * them as deactivated resolved (src/services/user-change.ts). Bolt acks an event before its
 * listener runs, which then waits for one of the bot's after-ack slots, as every listener's
 * work after its ack does (src/slack/after-ack-limit.ts).
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../src/deps.js';
import { once } from '../src/services/requests.js';
import { userChanged } from '../src/services/user-change.js';

/** The part of Slack's event read here (UserChangeEvent of @slack/types). */
const userChange = z.object({
  user: z.object({ id: z.string().min(1).max(64), deleted: z.boolean().default(false) }),
});

export function register(app: App, deps: AppDeps): void {
  app.event('user_change', async ({ event, body, client }) => {
    const parsed = userChange.safeParse(event);
    if (!parsed.success) {
      deps.logger.warn({ event_id: body.event_id }, 'user_change without a user id: ignored');
      return;
    }
    const change = { user: parsed.data.user.id, deleted: parsed.data.user.deleted };
    const on = { ...deps, slack: client, bootstrapAdmins: deps.config.SOPBOT_ADMIN_USERS };
    // A live account's change is idempotent (nothing to claim): most are profile edits.
    if (!change.deleted) await userChanged(on, change);
    else
      await once(deps.db, `event:${body.event_id}`, 'user_change', async () => {
        await userChanged(on, change);
      });
  });
}
