/**
 * Sending once: nudges before phase deadlines and follow-up action reminders. Every send is
 * claimed in the slack_posts ledger under a key (per cycle/phase/user, or per
 * action/kind/occurrence) before it goes out, so retries and duplicate jobs never send twice.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { claimPost, recordPost, releasePost } from '../../db/queries/slack-posts.js';

export interface SlackMessage {
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

/** Post `msg` to `channel` unless `key` was posted before. Returns the ts, or null when skipped. */
export async function postOnce(
  slack: WebClient,
  db: Db,
  key: string,
  channel: string,
  msg: SlackMessage,
  threadTs?: string,
): Promise<string | null> {
  if (!(await claimPost(db, key, channel)).claimed) return null;
  try {
    const res = await slack.chat.postMessage({
      channel,
      text: msg.text,
      ...(msg.blocks ? { blocks: msg.blocks as never } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    const ts = res.ts ?? null;
    await recordPost(db, key, { channel: res.channel ?? channel, ts, threadTs: threadTs ?? null });
    return ts;
  } catch (err) {
    await releasePost(db, key);
    throw err;
  }
}

/** Open (or reuse) the DM with `user` and post there once under `key`. */
export async function dmOnce(
  slack: WebClient,
  db: Db,
  key: string,
  user: string,
  msg: SlackMessage,
): Promise<string | null> {
  const im = await slack.conversations.open({ users: user });
  const channel = im.channel?.id;
  if (!channel) throw new Error(`conversations.open gave no channel for ${user}`);
  return postOnce(slack, db, key, channel, msg);
}
