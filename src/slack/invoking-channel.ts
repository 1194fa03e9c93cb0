/**
 * Posting (or uploading) where a slash command was typed. A command can be typed anywhere,
 * also in a private channel or a DM the bot is not in, where chat.postMessage and the file
 * share fail (`channel_not_found`, `not_in_channel`): then the message or file goes to the
 * person's DM with the bot instead, and the caller says where it went.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { inDm } from '../services/dm-channel.js';
import { type MessagePost, postMessageOnce, slackError } from './post-ledger.js';

/** Slack's answers for a conversation the bot cannot post in. */
const UNREACHABLE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'access_denied',
]);

/** Slack's answer when `err` says the bot cannot post in that conversation, else null. */
function unreachable(err: unknown): string | null {
  const code = slackError(err);
  return code !== undefined && UNREACHABLE.has(code) ? code : null;
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
  const out = await withDmFallback(db, client, p, 'post', (channel, dm) =>
    postMessageOnce(db, client, dm ? { ...p, key: `${p.key}:dm`, channel } : p),
  );
  return { channel: out.channel, ts: out.value.ts, inDm: out.inDm };
}

/**
 * Sends where the command was typed (`to.channel`), or, when the bot cannot reach that
 * conversation, to the person's DM with the bot: the one fallback of posts and uploads. The
 * DM channel is the remembered one (src/services/dm-channel.ts), as for every DM.
 */
async function withDmFallback<T>(
  db: Db,
  client: WebClient,
  to: {
    readonly channel: string;
    readonly user: string;
    readonly logger?: { warn(obj: object, msg: string): void };
  },
  what: 'post' | 'share the file',
  send: (channel: string, inDm: boolean) => Promise<T>,
): Promise<{ readonly channel: string; readonly inDm: boolean; readonly value: T }> {
  try {
    return { channel: to.channel, inDm: false, value: await send(to.channel, false) };
  } catch (err) {
    const code = unreachable(err);
    if (code === null) throw err;
    to.logger?.warn(
      { channel: to.channel, code },
      `cannot ${what} where the command was typed; using the DM`,
    );
  }
  return inDm(client, db, to.user, async (channel) => ({
    channel,
    inDm: true,
    value: await send(channel, true),
  }));
}

/** A file someone asked for with a slash command (`/sop pack md`, `/sop decisions md`). */
export interface RequestedFile {
  /** Where the command was typed. */
  readonly channel: string;
  /** Who typed it: the DM to fall back on. */
  readonly user: string;
  readonly filename: string;
  readonly title: string;
  readonly content: string;
  readonly logger?: { warn(obj: object, msg: string): void };
}

/**
 * Uploads the file where the command was typed, or, when the bot cannot share there, to the
 * person's DM with the bot. A private answer to the person who asked, so no ledger key.
 */
export async function uploadWhereInvoked(
  db: Db,
  client: WebClient,
  f: RequestedFile,
): Promise<{ readonly channel: string; readonly inDm: boolean }> {
  const out = await withDmFallback(db, client, f, 'share the file', (channel) =>
    client.filesUploadV2({
      channel_id: channel,
      filename: f.filename,
      title: f.title,
      content: f.content,
    }),
  );
  return { channel: out.channel, inDm: out.inDm };
}

/** What the person is told once their file is uploaded. */
export function uploadedText(filename: string, where: { readonly inDm: boolean }): string {
  return where.inDm
    ? `I can't share files in this conversation (I am not a member of it), so ${filename} is in our direct messages.`
    : `Uploaded ${filename}.`;
}

/** What the person is told when their thread moved to the DM. */
export const MOVED_TO_DM =
  "I can't post in this conversation (I am not a member of it), so I answer in our direct messages.";
