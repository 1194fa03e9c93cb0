/**
 * Exactly-once posting through the slack_posts ledger, keyed by what is posted about
 * (e.g. `run:42:chart:gap`). A job retried after a crash, a timeout or a 429 resumes where
 * the last attempt stopped instead of posting again.
 *
 * Files (files.uploadV2 done as its three calls, so each step can be recorded):
 * 1. claim the key (a row with no file_id and no ts), naming its holder (a job: `job:<id>`);
 * 2. files.getUploadURLExternal, then record the file id BEFORE anything is shared;
 * 3. upload the bytes, files.completeUploadExternal into the channel or thread;
 * 4. record the share's ts.
 * The holder renews the claim while it works. Another caller meeting a fresh claim waits for
 * its ts, as for messages below: two jobs posting the same run's charts at once post each
 * chart once. A claim that is stale, or the holder's own from an attempt that crashed, is
 * resumed: with a file id, files.info says whether that file was already shared in the
 * channel; if so the share is recorded and nothing is sent; if not (the crash came before
 * step 3 ended) the unshared file is private and invisible, and a new upload starts. No
 * crash point shows a chart twice.
 *
 * Messages: claim, chat.postMessage with the key in the message's metadata
 * (`{ event_type: 'sopbot_post', event_payload: { post_key } }`), record the ts. A caller
 * that finds the key claimed but without a ts never posts blindly and never skips:
 * - a fresh claim (younger than STALE_CLAIM_MS) may be posting right now: it waits up to
 *   IN_FLIGHT_WAIT_MS for the ts, then throws PostInFlightError (the worker delays the job);
 * - a stale claim was left by a crash, before or after Slack answered. The channel's history
 *   (conversations.history, or conversations.replies for a thread) since the claim is read
 *   with include_all_metadata: a message carrying the key is the post, and its ts is
 *   recorded; with none, the caller takes the claim over (compare-and-swap on updated_at, so
 *   one taker wins) and posts.
 * When Slack refuses the post (an error answer or a 429: nothing was sent) the claim is
 * given back at once; when the answer is lost (network, 5xx) the claim stays and the stale
 * path decides. The claimant renews its claim while its call is in flight, so a slow call
 * is not taken for a crash. The one case left is a claimant that freezes for longer than
 * STALE_CLAIM_MS between its claim and Slack's answer, which a taker cannot see.
 */

import type { Block, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import {
  claimFingerprint,
  fingerprintOwner,
  takeOverFingerprint,
} from '../../db/queries/chart-fingerprints.js';
import {
  claimPost,
  forgetPost,
  getPost,
  type LedgerRow,
  postedKeys,
  postKeyAt,
  postsWithPrefix,
  recordPost,
  recordPostsIfAbsent,
  releaseClaim,
  renewClaim,
  setPostFile,
  setPostTs,
  takeOverClaim,
} from '../../db/queries/slack-posts.js';
import { resolveRefusals } from '../../db/queries/slack-refusals.js';
import { DEFAULT_SLACK_TIMEOUT_MS } from '../config.js';
import { withoutBidiControls } from '../core/text.js';
import { SopError } from '../errors.js';
import { fetchWithin } from './fetch-within.js';

/** The metadata event_type of every message posted under a ledger key. */
export const POST_EVENT_TYPE = 'sopbot_post';

/**
 * A claim without a ts older than this is not being posted any more. Its holder renews it
 * every STALE_CLAIM_MS / 3 while its chat.postMessage is in flight (Bolt's client retries a
 * failed call for minutes), so only a holder that died or froze leaves a claim this old.
 */
export const STALE_CLAIM_MS = 60_000;

/** How long a caller that meets another caller's fresh claim waits for its ts. */
export const IN_FLIGHT_WAIT_MS = 2_000;

/** The history is read from this long before the claim (Postgres's and Slack's clocks). */
export const LOOKUP_MARGIN_MS = 5 * 60_000;

const POLL_MS = 100;

/**
 * Another caller holds a fresh claim on the key and may be posting it right now. Retry after
 * `retryAfterMs`: by then the post is recorded, or the claim is stale and can be resolved.
 */
export class PostInFlightError extends SopError {
  readonly key: string;
  readonly retryAfterMs: number;
  constructor(key: string, retryAfterMs: number) {
    const ms = Math.max(1000, Math.ceil(retryAfterMs));
    super(
      'conflict',
      `This message ('${key}') is being posted by another request right now; try again in ${Math.ceil(ms / 1000)} s.`,
    );
    this.name = 'PostInFlightError';
    this.key = key;
    this.retryAfterMs = ms;
  }
}

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
  /**
   * Who posts it: a job says `job:<id>` (jobHolder), so that its next attempt after a crash
   * resumes its own claim at once instead of waiting for it to go stale.
   */
  readonly holder?: string;
  /** Where a failed renewal of the claim is reported. */
  readonly logger?: { warn(obj: object, msg: string): void };
  /**
   * How long the upload of the bytes waits for Slack's answer: a job gives its worker's
   * SOPBOT_SLACK_TIMEOUT_MS, the limit of its client's calls (DEFAULT_SLACK_TIMEOUT_MS when
   * none is given).
   */
  readonly timeoutMs?: number;
}

/** The claim holder of a job's posts: every attempt of one job is the same holder. */
export function jobHolder(job: { readonly id?: string | undefined }): string | undefined {
  return job.id ? `job:${job.id}` : undefined;
}

export interface PostOutcome {
  readonly ts: string;
  /** False when it was posted before (the ledger, or Slack, had it): nothing was sent now. */
  readonly posted: boolean;
  readonly fileId?: string;
  /** True when the caller's `stillWanted` said no once the key was claimed: nothing sent. */
  readonly withdrawn?: boolean;
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

/** Seconds Slack asked to wait, when the error is a 429 from WebClient. */
export function retryAfterOf(err: unknown): number | null {
  const e = err as { code?: unknown; retryAfter?: unknown } | null;
  if (e?.code !== 'slack_webapi_rate_limited_error') return null;
  return typeof e.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter : 1;
}

/** Slack's error code of a failed Web API call (`data.error`), if it is one. */
export function slackError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * Posts the file `p` once under its key. The claim is taken as for messages: a caller that
 * meets another caller's fresh claim waits up to IN_FLIGHT_WAIT_MS for its ts, then throws
 * PostInFlightError; a stale claim is first checked in Slack (files.info: was its file
 * shared?), then taken over by one caller. A claim of the same holder (`p.holder`: a job's
 * earlier attempt, which crashed) is resumed at once.
 */
export async function postFileOnce(db: Db, slack: WebClient, p: FilePost): Promise<PostOutcome> {
  const holder = p.holder ?? null;
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
  for (;;) {
    const c = await claimPost(db, p.key, p.channel, p.threadTs ?? null, holder);
    if (c.claimed) return upload(db, slack, p, c.row);
    if (!c.row) continue;
    const row = c.row;
    if (row.ts) return { ts: row.ts, posted: false, ...(row.fileId ? { fileId: row.fileId } : {}) };
    const age = Date.now() - row.updatedAt.getTime();
    const own = holder !== null && row.holder === holder;
    if (own || age >= STALE_CLAIM_MS) {
      if (row.fileId) {
        const ts = await shareTs(slack, row.fileId, p.channel);
        if (ts) {
          await setPostTs(db, p.key, ts);
          return { ts, posted: false, fileId: row.fileId };
        }
      }
      const mine = await takeOverClaim(db, p.key, row.updatedAt, own ? 0 : STALE_CLAIM_MS, holder);
      if (mine) return upload(db, slack, p, mine);
      // Another caller took it over or recorded the post first: read the row again.
    }
    if (Date.now() >= deadline)
      throw new PostInFlightError(p.key, Math.max(STALE_CLAIM_MS - age, 0));
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * The three calls of files.uploadV2 under the claim `row`, renewed while they run; the file id
 * is recorded before anything is shared, and the share's ts after. When Slack refuses a call
 * (an error answer or a 429) nothing was shared, so the claim is given back.
 */
async function upload(db: Db, slack: WebClient, p: FilePost, row: LedgerRow): Promise<PostOutcome> {
  const lease = holdClaim(db, p.key, row.updatedAt, p.logger);
  let fileId: string | undefined;
  try {
    const url = await slack.files.getUploadURLExternal({
      filename: p.filename,
      length: p.bytes.byteLength,
      // A chart's alt text and title name families and scenarios as typed (`withoutBidiControls`).
      alt_text: withoutBidiControls(p.altText).slice(0, 1000),
    });
    fileId = url.file_id;
    const uploadUrl = url.upload_url;
    if (!fileId || !uploadUrl)
      throw new Error('files.getUploadURLExternal gave no file_id or upload_url');
    await setPostFile(db, p.key, fileId);
    // An upload that hangs fails as a Web API call does: the claim stays (the bytes may have
    // arrived), and the next attempt finds the file unshared (files.info) and uploads anew.
    const sendBytes = fetchWithin(
      p.timeoutMs ?? DEFAULT_SLACK_TIMEOUT_MS,
      `Slack's upload URL (${p.filename})`,
    );
    const res = await sendBytes(uploadUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: p.bytes,
    });
    if (!res.ok) throw new Error(`uploading ${p.filename} failed: HTTP ${res.status}`);
    await slack.files.completeUploadExternal({
      files: [{ id: fileId, title: withoutBidiControls(p.title) }],
      channel_id: p.channel,
      ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
      initial_comment: p.comment,
    });
  } catch (err) {
    const claimedAt = await lease.stop();
    if (slackRefused(err)) await releaseClaim(db, p.key, claimedAt);
    throw refusedAs(err, p.key, p.channel);
  }
  await lease.stop();
  // Sharing can finish asynchronously in Slack; the file id alone then marks it done.
  const ts = (await shareTs(slack, fileId, p.channel)) ?? `file:${fileId}`;
  await setPostTs(db, p.key, ts);
  await resolveRefusals(db, p.channel);
  return { ts, posted: true, fileId };
}

export interface MessagePost {
  readonly key: string;
  /** A conversation id (C…, D…), not a name: a stale claim is resolved by reading its history. */
  readonly channel: string;
  readonly threadTs?: string | null;
  readonly text: string;
  readonly blocks?: readonly (KnownBlock | Block)[];
  /** Where a failed renewal of the claim is reported (the claim then ages; the next may work). */
  readonly logger?: { warn(obj: object, msg: string): void };
  /**
   * Asked once the key is claimed, just before the post: false gives the claim back and
   * sends nothing (what the message is about changed since the caller decided to send it,
   * e.g. a reminder's action was marked done). The outcome is then `withdrawn`.
   */
  readonly stillWanted?: () => Promise<boolean>;
}

/**
 * Posts `p` once under its key: the ts, and whether this call sent it. Throws
 * PostInFlightError while another caller's fresh claim on the key has no ts yet. When
 * `stillWanted` says no, nothing is sent or recorded: `{ posted: false, withdrawn: true }`
 * with an empty ts.
 */
export async function postMessageOnce(
  db: Db,
  slack: WebClient,
  p: MessagePost,
): Promise<PostOutcome> {
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
  for (;;) {
    const c = await claimPost(db, p.key, p.channel, p.threadTs ?? null);
    if (c.claimed) return send(db, slack, p, c.row);
    // Given back (a refused post) between our insert and our read: claim it again.
    if (!c.row) continue;
    if (c.row.ts) return { ts: c.row.ts, posted: false };
    const age = Date.now() - c.row.updatedAt.getTime();
    if (age >= STALE_CLAIM_MS) {
      const ts = await findPost(slack, c.row, p.key);
      if (ts) {
        await setPostTs(db, p.key, ts);
        return { ts, posted: false };
      }
      const mine = await takeOverClaim(db, p.key, c.row.updatedAt, STALE_CLAIM_MS);
      if (mine) return send(db, slack, p, mine);
      // Another caller took it over or recorded the post first: read the row again.
    }
    if (Date.now() >= deadline)
      throw new PostInFlightError(p.key, Math.max(STALE_CLAIM_MS - age, 0));
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** chat.postMessage under the claim `row`, then the ts recorded. */
async function send(
  db: Db,
  slack: WebClient,
  p: MessagePost,
  row: LedgerRow,
): Promise<PostOutcome> {
  if (p.stillWanted && !(await p.stillWanted())) {
    await releaseClaim(db, p.key, row.updatedAt);
    return { ts: '', posted: false, withdrawn: true };
  }
  const lease = holdClaim(db, p.key, row.updatedAt, p.logger);
  let ts: string | undefined;
  try {
    const res = await slack.chat.postMessage({
      channel: p.channel,
      text: p.text,
      ...(p.blocks ? { blocks: [...p.blocks] } : {}),
      ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
      metadata: { event_type: POST_EVENT_TYPE, event_payload: { post_key: p.key } },
    });
    ts = res.ts;
  } catch (err) {
    const claimedAt = await lease.stop();
    // Slack answered that it did not post: the next attempt may claim at once. Any other
    // failure (no answer) may hide a post, so the claim stays for the stale path to resolve.
    if (slackRefused(err)) await releaseClaim(db, p.key, claimedAt);
    throw refusedAs(err, p.key, p.channel);
  }
  await lease.stop();
  if (!ts) throw new Error('chat.postMessage returned no ts');
  await setPostTs(db, p.key, ts);
  // The conversation takes posts again: what Slack refused there before is resolved.
  await resolveRefusals(db, p.channel);
  return { ts, posted: true };
}

/** Renews the claim made at `claimedAt` until stopped; `stop` gives the latest claim time. */
function holdClaim(
  db: Db,
  key: string,
  claimedAt: Date,
  logger?: MessagePost['logger'],
): { stop(): Promise<Date> } {
  let at = claimedAt;
  let renewing = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewing
      .then(async () => {
        at = (await renewClaim(db, key, at)) ?? at;
      })
      // A renewal that fails leaves the claim to age; the next one may work.
      .catch((err: unknown) => logger?.warn({ err, key }, 'post ledger: claim renewal failed'));
  }, STALE_CLAIM_MS / 3);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
      return at;
    },
  };
}

interface HistoryMessage {
  readonly ts?: string;
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: unknown };
}

/**
 * The ts of the message posted under `key` in the claim's channel (or thread) since the
 * key was first claimed, if there is one: read from the history with its metadata.
 */
async function findPost(slack: WebClient, row: LedgerRow, key: string): Promise<string | null> {
  const oldest = ((row.createdAt.getTime() - LOOKUP_MARGIN_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  do {
    const page = {
      channel: row.channel,
      oldest,
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    };
    let res: { messages?: unknown[]; response_metadata?: { next_cursor?: string } };
    try {
      res = row.threadTs
        ? await slack.conversations.replies({ ...page, ts: row.threadTs })
        : await slack.conversations.history(page);
    } catch (err) {
      // A refusal (missing_scope, not_in_channel…) would refuse every retry too: say what
      // the bot needs. Other failures (a 429, the network) go to the retry as they are.
      const refusal = slackError(err);
      if (!refusal) throw err;
      const message = `Cannot tell whether '${key}' was posted in ${row.channel}: reading its history failed with ${refusal}. The bot needs channels:history, groups:history and im:history, and to be a member of the channel.`;
      const error = permanentRefusal(err);
      if (error)
        throw new RefusedPostError({ to: row.channel, error, key }, { cause: err }, message);
      throw new Error(message, { cause: err });
    }
    for (const m of (res.messages ?? []) as readonly HistoryMessage[]) {
      const payload = m.metadata?.event_payload as { post_key?: unknown } | undefined;
      if (m.ts && m.metadata?.event_type === POST_EVENT_TYPE && payload?.post_key === key)
        return m.ts;
    }
    cursor = res.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return null;
}

/**
 * Slack's answers that no retry changes: the conversation or the person is gone or out of
 * the bot's reach (a deactivated or deleted user, an archived channel, a channel the bot is
 * not in), or the token may not do it. Retrying only repeats the refusal.
 */
/**
 * Not Slack's answer but sopbot's: `users.info` says the person's account is deactivated, and
 * Slack would take a DM to them without a word (nobody reads it), so none is sent (nudges and
 * reminders, src/services/slack-person.ts). Recorded and told as Slack's refusals are.
 */
export const DEACTIVATED = 'deactivated';

const PERMANENT_REFUSALS: ReadonlySet<string> = new Set([
  DEACTIVATED,
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'user_disabled',
  'user_not_visible',
  'account_inactive',
  'cannot_dm_bot',
  'restricted_action',
  'missing_scope',
  'not_authed',
  'invalid_auth',
  'token_revoked',
]);

/**
 * The Slack error code when `err` (or the error it wraps) is a refusal no retry can change
 * (PERMANENT_REFUSALS); null for anything else (a 429, a timeout, a 5xx, an unknown answer).
 */
export function permanentRefusal(err: unknown): string | null {
  if (err instanceof UndeliveredError) return err.refusals[0]?.error ?? null;
  for (let e = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = slackError(e);
    if (code && (e as { code?: unknown }).code === 'slack_webapi_platform_error')
      return PERMANENT_REFUSALS.has(code) ? code : null;
  }
  return null;
}

/** A message Slack refused for good: to whom it was going, and Slack's answer. */
export interface Refusal {
  /** A user id (a DM) or a channel id. */
  readonly to: string;
  readonly error: string;
  /** The ledger key of what was refused, when known. */
  readonly key: string | null;
}

/**
 * Slack's refusal for good (permanentRefusal) of the message under `refusal.key` to
 * `refusal.to`. It carries Slack's own `code` and `data`, so whatever reads Slack's answer
 * (a DM channel opened anew on channel_not_found, a command's fallback to the DM) reads it as
 * before; the worker records where it was going (src/services/undelivered.ts).
 */
export class RefusedPostError extends Error {
  readonly code = 'slack_webapi_platform_error';
  readonly data: { readonly ok: false; readonly error: string };
  readonly refusal: Refusal;
  constructor(refusal: Refusal, options?: ErrorOptions, message?: string) {
    const what = refusal.key ? `'${refusal.key}'` : 'a message';
    const to = refusal.to.startsWith('U') ? `<@${refusal.to}>` : refusal.to;
    super(
      message ??
        // DEACTIVATED is sopbot's own: Slack refused nothing, sopbot sent nothing.
        (refusal.error === DEACTIVATED
          ? `${what} not sent: users.info says ${to}'s account is deactivated`
          : `Slack refused ${what} to ${to} for good: ${refusal.error}`),
      options,
    );
    this.name = 'RefusedPostError';
    this.data = { ok: false, error: refusal.error };
    this.refusal = refusal;
  }
}

/**
 * `err` as a RefusedPostError naming `key` and `to` when Slack refused it for good (an
 * earlier RefusedPostError is named anew: a DM's channel becomes its person); any other
 * error as it is.
 */
export function refusedAs(err: unknown, key: string, to: string): unknown {
  const error = permanentRefusal(err);
  if (!error || err instanceof UndeliveredError) return err;
  const cause = err instanceof RefusedPostError ? err.cause : err;
  return new RefusedPostError({ to, error, key }, { cause });
}

/**
 * What `err` says Slack refused for good, each with where it was going: the refusals of an
 * UndeliveredError, or the one RefusedPostError it is or wraps; none when it names no place.
 */
export function refusalsOf(err: unknown): readonly Refusal[] {
  if (err instanceof UndeliveredError) return err.refusals;
  for (let e = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof RefusedPostError) return [e.refusal];
  return [];
}

/**
 * Some of a job's messages were refused for good (permanentRefusal: by Slack, or DEACTIVATED,
 * withheld by sopbot): the others were sent. No retry can send these, so the worker does not
 * retry the job; the message names each.
 */
export class UndeliveredError extends SopError {
  readonly refusals: readonly Refusal[];
  constructor(refusals: readonly Refusal[], options?: ErrorOptions) {
    const list = refusals.map(
      (r) =>
        `${r.to.startsWith('U') ? `<@${r.to}>` : r.to} (${r.error === DEACTIVATED ? 'users.info says deactivated' : r.error})`,
    );
    const count = refusals.length === 1 ? 'one message' : `${refusals.length} messages`;
    // DEACTIVATED is sopbot's own (nothing sent): "Slack refused" only when Slack refused each.
    const lead = refusals.some((r) => r.error === DEACTIVATED)
      ? `${count[0]!.toUpperCase()}${count.slice(1)} not sent for good`
      : `Slack refused ${count} for good, so ${refusals.length === 1 ? 'it was' : 'they were'} not sent`;
    super('conflict', `${lead} (the others were): ${list.join(', ')}.`, list, options);
    this.name = 'UndeliveredError';
    this.refusals = refusals;
  }
}

/**
 * `send` for each of `items` (one message each, to `to(item)`), in order: one that Slack
 * refuses for good (permanentRefusal: a person who left, a channel the bot was removed from)
 * does not stop the others. Once all were tried, an UndeliveredError names each refused one
 * (an item whose `send` threw an UndeliveredError, each of its refusals; its cause: the first
 * refusal); any other failure is thrown at once, as `send` threw it.
 */
export async function sendEach<T>(
  items: readonly T[],
  to: (item: T) => string,
  send: (item: T) => Promise<void>,
): Promise<void> {
  const refusals: Refusal[] = [];
  let first: unknown;
  for (const item of items) {
    try {
      await send(item);
    } catch (err) {
      const error = permanentRefusal(err);
      if (!error) throw err;
      // An item that sends several (its own sendEach) names each of its refusals.
      if (err instanceof UndeliveredError) refusals.push(...err.refusals);
      else refusals.push({ to: to(item), error, key: refusalsOf(err)[0]?.key ?? null });
      first ??= err;
    }
  }
  if (refusals.length) throw new UndeliveredError(refusals, { cause: first });
}

/** Slack answered and posted nothing: an error answer (ok: false) or a 429. */
function slackRefused(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'slack_webapi_platform_error' || code === 'slack_webapi_rate_limited_error';
}

/** How long `claimContent` waits for the post of a picture another job is posting. */
export const CONTENT_WAIT_MS = 10_000;

/** What `claimContent` found: the caller posts the picture, or another key shows it already. */
export type ContentClaim =
  | { readonly mine: true }
  /** `owner` is the ledger row of the post that shows it (null or without ts while in flight). */
  | { readonly mine: false; readonly ownerKey: string; readonly owner: LedgerRow | null };

/**
 * "Is this picture already in the channel?", answered atomically: the content fingerprint is
 * claimed for `key` (chart_fingerprints' primary key), so of two jobs with the same picture
 * one posts. A claim whose post never came (no ts, and the claim older than STALE_CLAIM_MS:
 * its holder crashed or Slack refused it) is taken over by compare-and-swap.
 */
export async function claimContent(
  db: Db,
  c: {
    readonly channel: string;
    readonly fingerprint: string;
    readonly key: string;
    /** What the picture shows, kept with the claim (JSON): a later chart is compared with it. */
    readonly shown?: unknown;
  },
  /** How long to wait for a post in flight under the other key before answering. */
  waitMs = CONTENT_WAIT_MS,
): Promise<ContentClaim> {
  const shown = c.shown ?? null;
  const owner = await claimFingerprint(db, c.channel, c.fingerprint, c.key, STALE_CLAIM_MS, shown);
  if (owner.postKey === c.key) return { mine: true };
  let row = await getPost(db, owner.postKey);
  if (!row?.ts && owner.stale) {
    if (await takeOverFingerprint(db, c.channel, c.fingerprint, owner.postKey, c.key, shown))
      return { mine: true };
    return claimContent(db, c, waitMs);
  }
  for (let waited = 0; !row?.ts && waited < waitMs; waited += POLL_MS) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    row = await getPost(db, owner.postKey);
  }
  return { mine: false, ownerKey: owner.postKey, owner: row };
}

/**
 * "Is this picture already in the channel?", without claiming it: the post of a run the cycle
 * replaced, labelled as such, is no copy a newer run's same picture may stand on. The existing
 * post (waited for while it is in flight, as `claimContent` does), or null when there is none
 * (or only a claim whose post never came).
 */
export async function contentShown(
  db: Db,
  c: { readonly channel: string; readonly fingerprint: string },
  waitMs = CONTENT_WAIT_MS,
): Promise<{ readonly ownerKey: string; readonly owner: LedgerRow | null } | null> {
  const owner = await fingerprintOwner(db, c.channel, c.fingerprint, STALE_CLAIM_MS);
  if (!owner) return null;
  let row = await getPost(db, owner.postKey);
  if (!row?.ts && owner.stale) return null;
  for (let waited = 0; !row?.ts && waited < waitMs; waited += POLL_MS) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    row = await getPost(db, owner.postKey);
  }
  return { ownerKey: owner.postKey, owner: row };
}

/**
 * Records that `key` is shown by an existing post (the same picture posted under another
 * key), so what reads `key` (the vote's chart) finds that message and its file.
 */
export async function recordSharedPost(db: Db, key: string, shown: LedgerRow): Promise<void> {
  await recordPost(db, key, {
    channel: shown.channel,
    ts: shown.ts,
    threadTs: shown.threadTs,
    fileId: shown.fileId,
  });
}

/**
 * Records that the posted message `shown` is the post of each of `keys` (a roll-up that lists
 * the things they are about), except a key that has an entry of its own: what reads those keys
 * (a correction threaded under its deviation's post) finds that message. Writing them again
 * changes nothing, so a retry may.
 */
export async function recordSharedMessage(
  db: Db,
  keys: readonly string[],
  shown: { readonly channel: string; readonly ts: string },
): Promise<void> {
  await recordPostsIfAbsent(db, keys, shown);
}

/** What the ledger holds for `key` (claimed or posted), or null. */
export function ledgerEntry(db: Db, key: string): Promise<LedgerRow | null> {
  return getPost(db, key);
}

/**
 * The one message under `key`, kept up to date: posted once (postMessageOnce), then edited in
 * place with chat.update. When it now belongs in another channel, or Slack no longer has it
 * (someone deleted it: `message_not_found`), it is posted anew.
 */
export async function upsertMessage(
  db: Db,
  slack: WebClient,
  p: MessagePost,
): Promise<PostOutcome> {
  const row = await getPost(db, p.key);
  if (row?.ts && row.channel === p.channel) {
    const gone = await slack.chat
      .update({
        channel: p.channel,
        ts: row.ts,
        text: p.text,
        ...(p.blocks ? { blocks: [...p.blocks] } : {}),
      })
      .then(
        () => false,
        (err: unknown) => {
          if (slackError(err) === 'message_not_found') return true;
          throw refusedAs(err, p.key, p.channel);
        },
      );
    if (!gone) {
      await resolveRefusals(db, p.channel);
      return { ts: row.ts, posted: false };
    }
  }
  if (row?.ts) await forgetPost(db, p.key);
  return postMessageOnce(db, slack, p);
}

/** Of `keys`, those the ledger posted (a message went out under them). */
export function postedOf(db: Db, keys: readonly string[]): Promise<Set<string>> {
  return postedKeys(db, keys);
}

/** What the ledger holds for the keys that start with `prefix` (e.g. a run's charts). */
export function ledgerEntries(db: Db, prefix: string): Promise<LedgerRow[]> {
  return postsWithPrefix(db, prefix);
}

/** The key, starting with `prefix`, under which the ledger posted `channel`/`ts`; or null. */
export function ledgerKeyAt(
  db: Db,
  prefix: string,
  channel: string,
  ts: string,
): Promise<string | null> {
  return postKeyAt(db, prefix, channel, ts);
}

/**
 * True when `channel`/`ts` is a message the ledger posted under a key starting with one of
 * `prefixes` (a click's payload names a message; this says whether it is really ours).
 */
export async function isLedgerMessage(
  db: Db,
  prefixes: readonly string[],
  channel: string,
  ts: string,
): Promise<boolean> {
  for (const prefix of prefixes) {
    const rows = await postsWithPrefix(db, prefix);
    if (rows.some((r) => r.channel === channel && r.ts === ts)) return true;
  }
  return false;
}
