/**
 * Posting where a slash command was typed. A command can be typed anywhere, also in a
 * private channel or a DM the bot is not in, where chat.postMessage fails
 * (`channel_not_found`, `not_in_channel`): then the message goes to the person's DM with the
 * bot instead, and the caller says where it went.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { type MessagePost, postMessageOnce } from './post-ledger.js';

/** Slack's answers for a conversation the bot cannot post in. */
const UNREACHABLE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'access_denied',
]);

function slackError(err: unknown): string | null {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}

export interface PostedWhere {
  readonly channel: string;
  readonly ts: string;
  /** True when the typed-in channel was unreachable and the message went to the DM. */
  readonly inDm: boolean;
}

export async function postWhereInvoked(
  db: Db,
  client: WebClient,
  p: MessagePost & { readonly user: string },
): Promise<PostedWhere> {
  try {
    const out = await postMessageOnce(db, client, p);
    return { channel: p.channel, ts: out.ts, inDm: false };
  } catch (err) {
    const code = slackError(err);
    if (code === null || !UNREACHABLE.has(code)) throw err;
    p.logger?.warn(
      { channel: p.channel, code },
      'cannot post where the command was typed; using the DM',
    );
  }
  const im = await client.conversations.open({ users: p.user });
  const channel = im.channel?.id;
  if (!channel) throw new Error(`conversations.open gave no channel for ${p.user}`);
  const out = await postMessageOnce(db, client, { ...p, key: `${p.key}:dm`, channel });
  return { channel, ts: out.ts, inDm: true };
}

/** What the person is told when their thread moved to the DM. */
export const MOVED_TO_DM =
  "I can't post in this conversation (I am not a member of it), so I answer in our direct messages.";
