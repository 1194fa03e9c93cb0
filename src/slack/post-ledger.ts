/**
 * Exactly-once posting through the slack_posts ledger, keyed by what is posted about
 * (e.g. `run:42:chart:gap`). A job retried after a crash, a timeout or a 429 resumes where
 * the last attempt stopped instead of posting again.
 *
 * Files (files.uploadV2 done as its three calls, so each step can be recorded):
 * 1. claim the key (a row with no file_id and no ts);
 * 2. files.getUploadURLExternal, then record the file id BEFORE anything is shared;
 * 3. upload the bytes, files.completeUploadExternal into the channel or thread;
 * 4. record the share's ts.
 * A retry that finds a file id asks files.info whether that file was already shared in the
 * channel: if so it records the share and stops; if not (the crash came before step 3 ended)
 * the unshared file is private and invisible, and a new upload starts. No crash point shows
 * a chart twice.
 *
 * Messages: claim, chat.postMessage, record the ts at once. The one window left is between
 * Slack's answer and the UPDATE that records the ts (a few milliseconds): a crash exactly
 * there reposts the message on retry. Slack offers no lookup by our key to close it.
 */

import type { Block, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { claimPost, type LedgerRow, setPostFile, setPostTs } from '../../db/queries/slack-posts.js';

export interface FilePost {
  readonly key: string;
  readonly channel: string;
  readonly threadTs?: string | null;
  readonly filename: string;
  readonly title: string;
  /** Alt text for screen readers (Slack caps it at 1000 characters). */
  readonly altText: string;
  /** Posted with the file (mrkdwn). */
  readonly comment: string;
  readonly bytes: Uint8Array;
}

export interface PostOutcome {
  readonly ts: string;
  /** False when the ledger already had it: nothing was sent this time. */
  readonly posted: boolean;
  readonly fileId?: string;
}

interface FileShares {
  readonly shares?: Record<string, Record<string, { ts: string; thread_ts?: string }[]>>;
}

/** The ts of the file's share in `channel`, if Slack says it was shared there. */
async function shareTs(slack: WebClient, fileId: string, channel: string): Promise<string | null> {
  let file: FileShares | undefined;
  try {
    const info = await slack.files.info({ file: fileId });
    file = info.file as FileShares | undefined;
  } catch (err) {
    if (slackError(err) === 'file_not_found') return null;
    throw err;
  }
  for (const bucket of Object.values(file?.shares ?? {})) {
    const first = bucket[channel]?.[0];
    if (first) return first.ts;
  }
  return null;
}

/** Claims the post's key, or reads the earlier claim, and returns its ledger row. */
async function claim(db: Db, p: MessagePost | FilePost): Promise<LedgerRow> {
  const { row } = await claimPost(db, p.key, p.channel, p.threadTs ?? null);
  if (!row)
    throw new Error(`slack_posts: the claim on '${p.key}' was given back while it was read`);
  return row;
}

function slackError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export async function postFileOnce(db: Db, slack: WebClient, p: FilePost): Promise<PostOutcome> {
  const row = await claim(db, p);
  if (row.ts) return { ts: row.ts, posted: false, ...(row.fileId ? { fileId: row.fileId } : {}) };
  if (row.fileId) {
    const ts = await shareTs(slack, row.fileId, p.channel);
    if (ts) {
      await setPostTs(db, p.key, ts);
      return { ts, posted: false, fileId: row.fileId };
    }
  }
  const url = await slack.files.getUploadURLExternal({
    filename: p.filename,
    length: p.bytes.byteLength,
    alt_text: p.altText.slice(0, 1000),
  });
  const fileId = url.file_id;
  const uploadUrl = url.upload_url;
  if (!fileId || !uploadUrl)
    throw new Error('files.getUploadURLExternal gave no file_id or upload_url');
  await setPostFile(db, p.key, fileId);
  const res = await fetch(uploadUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: p.bytes,
  });
  if (!res.ok) throw new Error(`uploading ${p.filename} failed: HTTP ${res.status}`);
  await slack.files.completeUploadExternal({
    files: [{ id: fileId, title: p.title }],
    channel_id: p.channel,
    ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
    initial_comment: p.comment,
  });
  // Sharing can finish asynchronously in Slack; the file id alone then marks it done.
  const ts = (await shareTs(slack, fileId, p.channel)) ?? `file:${fileId}`;
  await setPostTs(db, p.key, ts);
  return { ts, posted: true, fileId };
}

export interface MessagePost {
  readonly key: string;
  readonly channel: string;
  readonly threadTs?: string | null;
  readonly text: string;
  readonly blocks?: readonly (KnownBlock | Block)[];
}

export async function postMessageOnce(
  db: Db,
  slack: WebClient,
  p: MessagePost,
): Promise<PostOutcome> {
  const row = await claim(db, p);
  if (row.ts) return { ts: row.ts, posted: false };
  const res = await slack.chat.postMessage({
    channel: p.channel,
    text: p.text,
    ...(p.blocks ? { blocks: [...p.blocks] } : {}),
    ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
  });
  if (!res.ts) throw new Error('chat.postMessage returned no ts');
  await setPostTs(db, p.key, res.ts);
  return { ts: res.ts, posted: true };
}
