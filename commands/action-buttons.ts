/**
 * Done and Snooze buttons on follow-up actions (DMs and App Home). Answers go through
 * `tellPrivately`: an App Home click has no channel, so they go to the clicker's DM.
 */
import type { App, BlockAction, ButtonAction, Context } from '@slack/bolt';
import { can } from '../src/core/policy.js';
import type { AppDeps } from '../src/deps.js';
import { rowIdText } from '../src/row-id.js';
import {
  getAction,
  isActionMessage,
  markDone,
  reminderDigestAt,
  type Snooze,
  snoozeAction,
} from '../src/services/actions.js';
import { getSettings } from '../src/services/settings.js';
import { publishHome } from '../src/slack/home.js';
import { memberOf } from '../src/slack/member-context.js';
import {
  ACTION_DONE,
  ACTION_SNOOZE_DAY,
  ACTION_SNOOZE_WEEK,
  actionDoneMessage,
  doneText,
  reminderDigestDm,
} from '../src/slack/presenters/actions.js';
import { slackDate } from '../src/slack/presenters/format.js';
import { tellPrivately, tellUser } from '../src/slack/reply.js';

type Click = BlockAction<ButtonAction>;

export function register(app: App, deps: AppDeps): void {
  /** The owner may change their action; the policy says who may change anyone's. */
  const allowed = async (body: Click, context: Context, owner: string) =>
    body.user.id === owner || can(await memberOf(context), 'action.manage-any');

  /** A click on App Home: publish it again so the action's row reflects the change. */
  const refreshHome = async (body: Click, client: App['client']) => {
    if (body.container?.type !== 'view' || body.view?.type !== 'home') return;
    await publishHome(deps, client, body.user.id);
  };

  /** The clicked action, if it exists and the clicker may change it; otherwise says why. */
  const ownedAction = async (
    body: Click,
    client: App['client'],
    action: ButtonAction,
    context: Context,
    verb: string,
  ) => {
    const a = await getAction(deps.db, rowIdText(action.value, "The action's id"));
    if (!a) {
      await tellPrivately(client, body, 'This action no longer exists.');
      return null;
    }
    if (!(await allowed(body, context, a.owner))) {
      await tellPrivately(
        client,
        body,
        `Only <@${a.owner}> (the owner) or an admin can ${verb} this action.`,
      );
      return null;
    }
    return a;
  };

  /**
   * A click on an item of a morning's reminder digest (of more than one action, and listing
   * `id`): the digest redrawn in place from its actions as they stand now, so the clicked item
   * shows what became of it and the others are as they were. False when the message is not one.
   */
  const redrawDigest = async (
    body: Click,
    client: App['client'],
    id: string,
    timezone: string,
  ): Promise<boolean> => {
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (!channel || !ts || body.container?.type !== 'message') return false;
    const items = await reminderDigestAt(deps.db, channel, ts);
    if (!items || items.length < 2 || !items.some((it) => it.id === id)) return false;
    const msg = reminderDigestDm(items, timezone, deps.clock.now());
    await client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks });
    return true;
  };

  app.action<Click>(ACTION_DONE, async ({ ack, body, action, client, context }) => {
    await ack();
    try {
      const a = await ownedAction(body, client, action, context, 'close');
      if (!a) return;
      const { action: done, changed } = await markDone(
        deps.db,
        a.id,
        body.user.id,
        deps.clock.now(),
      );
      const channel = body.channel?.id ?? body.container?.channel_id;
      const ts = body.message?.ts ?? body.container?.message_ts;
      // Only the bot's own DM about this action is rewritten, as the ledger knows it: the
      // payload's channel and ts are the clicker's to forge.
      const own =
        channel && ts && body.container?.type === 'message'
          ? await isActionMessage(deps.db, a.id, channel, ts)
          : false;
      const { timezone } = await getSettings(deps.db);
      if (own && (await redrawDigest(body, client, a.id, timezone))) {
        // The digest shows it done, beside the other actions it lists.
      } else if (own && channel && ts) {
        const msg = actionDoneMessage(done, done.done_by ?? body.user.id, timezone);
        await client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks });
      } else if (body.container?.type === 'message') {
        await tellPrivately(
          client,
          body,
          changed
            ? `Action #${a.id} is ${doneText(done, timezone)}.`
            : `Action #${a.id} is already ${done.status}.`,
        );
      } else if (!changed) {
        await tellPrivately(client, body, `Action #${a.id} is already ${done.status}.`);
      }
      await refreshHome(body, client);
    } catch (err) {
      await tellUser(client, body, err, deps.logger);
    }
  });

  const snooze =
    (kind: Snooze) =>
    async ({
      ack,
      body,
      action,
      client,
      context,
    }: {
      ack: () => Promise<void>;
      body: Click;
      action: ButtonAction;
      client: App['client'];
      context: Context;
    }) => {
      await ack();
      try {
        const a = await ownedAction(body, client, action, context, 'snooze');
        if (!a) return;
        const row = await snoozeAction(deps, a.id, body.user.id, kind);
        const { timezone } = await getSettings(deps.db);
        const until = row.snoozed_until ? ` until ${slackDate(row.snoozed_until, timezone)}` : '';
        await redrawDigest(body, client, a.id, timezone);
        await tellPrivately(client, body, `Snoozed #${a.id}${until}.`);
        await refreshHome(body, client);
      } catch (err) {
        await tellUser(client, body, err, deps.logger);
      }
    };
  app.action<Click>(ACTION_SNOOZE_DAY, snooze('1d'));
  app.action<Click>(ACTION_SNOOZE_WEEK, snooze('1w'));
}
