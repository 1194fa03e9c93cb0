/**
 * Sending once: the meeting's messages and DMs (the pack, the decision log, phase messages,
 * nudges, action reminders). Each send has a ledger key (per cycle/phase/user, or per
 * action/kind/occurrence) and goes through postMessageOnce (src/slack/post-ledger.ts), so it
 * goes out exactly once: a retry or a duplicate job never sends it again, and a crash between
 * the claim and the post does not lose it (the next attempt finds nothing under the key in
 * Slack and sends it).
 */
import type { Block, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { ledgerEntry, type MessagePost, postMessageOnce, refusedAs } from '../slack/post-ledger.js';
import { inDm } from './dm-channel.js';

export interface SlackMessage {
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

/**
 * Post `msg` to `channel` (a conversation id) once under `key`. Returns the ts when this
 * call sent it, null when it had been sent before. Throws PostInFlightError while another
 * caller is sending it.
 */
export async function postOnce(
  slack: WebClient,
  db: Db,
  key: string,
  channel: string,
  msg: SlackMessage,
  threadTs?: string,
): Promise<string | null> {
  const out = await postMessageOnce(db, slack, {
    key,
    channel,
    text: msg.text,
    ...(msg.blocks ? { blocks: msg.blocks as readonly (KnownBlock | Block)[] } : {}),
    ...(threadTs ? { threadTs } : {}),
  });
  return out.posted ? out.ts : null;
}

/**
 * Post `msg` in the DM with `user` once under `key` (as postOnce). A DM the ledger already
 * holds returns null at once; otherwise the DM channel is the remembered one (dmChannel in
 * dm-channel.ts: `conversations.open` once per person, not once per DM). `stillWanted` is
 * asked once the key is claimed, just before the post (postMessageOnce): false sends nothing
 * and returns null. When Slack refuses it for good (a person who left), the RefusedPostError
 * names `user`, whether the DM channel could not be opened or the post was refused.
 */
export async function dmOnce(
  slack: WebClient,
  db: Db,
  key: string,
  user: string,
  msg: SlackMessage,
  opts: Pick<MessagePost, 'stillWanted'> = {},
): Promise<string | null> {
  if ((await ledgerEntry(db, key))?.ts) return null;
  try {
    return await sendDm(slack, db, key, user, msg, opts);
  } catch (err) {
    throw refusedAs(err, key, user);
  }
}

async function sendDm(
  slack: WebClient,
  db: Db,
  key: string,
  user: string,
  msg: SlackMessage,
  opts: Pick<MessagePost, 'stillWanted'>,
): Promise<string | null> {
  if (!opts.stillWanted)
    return inDm(slack, db, user, (channel) => postOnce(slack, db, key, channel, msg));
  return inDm(slack, db, user, async (channel) => {
    const out = await postMessageOnce(db, slack, {
      key,
      channel,
      text: msg.text,
      ...(msg.blocks ? { blocks: msg.blocks as readonly (KnownBlock | Block)[] } : {}),
      ...opts,
    });
    return out.posted ? out.ts : null;
  });
}
