/**
 * Event subscriptions, as Slack applies them: an app gets only the events its manifest.json
 * subscribes to (`settings.event_subscriptions.bot_events`), so a test cannot deliver an event
 * an installed app would never receive. Message events are subscribed to per kind of
 * conversation: `message.channels`, `message.groups`, `message.im`, `message.mpim` and
 * `message.app_home` each bring `type: 'message'` events whose `channel_type` is `channel`,
 * `group`, `im`, `mpim` or `app_home`.
 */
import { readFileSync } from 'node:fs';
import { defaultManifest } from './scopes.js';

/** The `message.*` subscription for each `channel_type` a message event carries. */
const MESSAGE_SUBSCRIPTIONS: Readonly<Record<string, string>> = {
  channel: 'message.channels',
  group: 'message.groups',
  im: 'message.im',
  mpim: 'message.mpim',
  app_home: 'message.app_home',
};

/** The bot events manifest.json subscribes to; [] when it has no event subscriptions. */
export function manifestBotEvents(file: URL = defaultManifest()): readonly string[] {
  let manifest: { settings?: { event_subscriptions?: { bot_events?: unknown } } };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as typeof manifest;
  } catch (err) {
    throw new Error(
      `Slack stand-in: cannot read the app's event subscriptions from ${file.pathname} (${String(err)}); pass DriverOptions.botEvents instead.`,
    );
  }
  const events = manifest.settings?.event_subscriptions?.bot_events;
  if (events === undefined) return [];
  if (!Array.isArray(events) || !events.every((e) => typeof e === 'string'))
    throw new Error(
      `Slack stand-in: ${file.pathname} has a settings.event_subscriptions.bot_events that is not a list of names.`,
    );
  return events;
}

/**
 * The bot_events name that brings `type` to an app: the type itself, or for a message its
 * `message.*` subscription (undefined for a `channel_type` Slack does not have).
 */
export function subscriptionFor(type: string, channelType?: string): string | undefined {
  if (type !== 'message') return type;
  return channelType === undefined ? undefined : MESSAGE_SUBSCRIPTIONS[channelType];
}
