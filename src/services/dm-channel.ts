/**
 * A person's DM channel with the bot, for every DM the bot sends (dmOnce in reminders.ts, and
 * the DM fallback of src/slack/invoking-channel.ts). `conversations.open` is Tier 3 (about 50
 * calls a minute for the whole workspace) and the channel of a bot/user pair never changes,
 * so it is opened once per person and remembered: in memory for the life of the process (one
 * cache per database) and in Postgres (`slack_dm_channels`), so a restarted worker or the bot
 * opens nothing either. Opening it on every DM re-opened the same two people's DM hundreds
 * of times in a bad S&OE week and stalled every job behind the Tier 3 limit.
 *
 * If Slack ever answers `channel_not_found` for a remembered channel (a database restored
 * into another workspace), it is forgotten, opened anew, and the send is tried once more.
 */
import type { Db } from '../../db/connect.js';
import { forgetDmChannel, storeDmChannel, storedDmChannel } from '../../db/queries/dm-channels.js';
import { slackError } from '../slack/post-ledger.js';

/** The part of WebClient used here. */
export interface DmOpenClient {
  readonly conversations: {
    open(args: { users: string }): Promise<{ channel?: { id?: string } }>;
  };
}

/** Per database: user id → the DM channel id (or the lookup under way). */
const remembered = new WeakMap<object, Map<string, Promise<string>>>();

function cacheOf(db: Db): Map<string, Promise<string>> {
  let cache = remembered.get(db);
  if (!cache) {
    cache = new Map();
    remembered.set(db, cache);
  }
  return cache;
}

async function lookUp(slack: DmOpenClient, db: Db, user: string): Promise<string> {
  const stored = await storedDmChannel(db, user);
  if (stored) return stored;
  const im = await slack.conversations.open({ users: user });
  const channel = im.channel?.id;
  if (!channel) throw new Error(`conversations.open gave no channel for ${user}`);
  await storeDmChannel(db, user, channel);
  return channel;
}

/**
 * The DM channel of `user` with the bot: remembered in this process, else stored in Postgres,
 * else opened with `conversations.open` (then stored). Concurrent callers share one lookup.
 */
export function dmChannel(slack: DmOpenClient, db: Db, user: string): Promise<string> {
  const cache = cacheOf(db);
  const hit = cache.get(user);
  if (hit) return hit;
  const p = lookUp(slack, db, user);
  cache.set(user, p);
  // A failed lookup (a 429, user_not_found) is not remembered: the next call tries again.
  p.catch(() => {
    if (cache.get(user) === p) cache.delete(user);
  });
  return p;
}

/**
 * Runs `send` with the DM channel of `user`. When Slack does not know a remembered channel
 * (`channel_not_found`), the channel is forgotten, opened anew and `send` runs once more.
 */
export async function inDm<T>(
  slack: DmOpenClient,
  db: Db,
  user: string,
  send: (channel: string) => Promise<T>,
): Promise<T> {
  const channel = await dmChannel(slack, db, user);
  try {
    return await send(channel);
  } catch (err) {
    if (slackError(err) !== 'channel_not_found') throw err;
    const cache = cacheOf(db);
    if ((await cache.get(user)?.catch(() => null)) === channel) cache.delete(user);
    await forgetDmChannel(db, user, channel);
    const fresh = await dmChannel(slack, db, user);
    if (fresh === channel) throw err;
    return send(fresh);
  }
}
