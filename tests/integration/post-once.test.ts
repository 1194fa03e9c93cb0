/**
 * Exactly-once messages and files (src/slack/post-ledger.ts, and postOnce / dmOnce over it) against
 * real Postgres and the stand-in: each crash point is left behind the way a crashed process
 * leaves it (a ledger row claimed without a ts, aged with SQL; a message in Slack or not),
 * then the next attempt must end with the message in Slack exactly once.
 */
import { WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import {
  claimPost,
  getPost,
  renewClaim,
  setPostFile,
  setPostTs,
  takeOverClaim,
} from '../../db/queries/slack-posts.js';
import { dmOnce, postOnce } from '../../src/services/reminders.js';
import { updateSettings } from '../../src/services/settings.js';
import {
  type FilePost,
  POST_EVENT_TYPE,
  PostInFlightError,
  postFileOnce,
  postMessageOnce,
  STALE_CLAIM_MS,
} from '../../src/slack/post-ledger.js';
import type { Standin, StoredMessage } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { useHarness } from './meeting-fixture.js';

const h = useHarness({
  label: 'post-once',
  users: ['U_ALICE', 'U_BOB'],
  clock: { now: () => new Date() },
});
let db: Db;
let standin: Standin;
let slack: WebClient;
let n = 0;
/** A ledger key of this test alone. */
const newKey = (what: string) => `test:${what}:${++n}`;

beforeAll(async () => {
  db = h.db;
  standin = h.standin;
  // Like the worker's client: no client-side retries, a 429 is an error.
  slack = new WebClient(h.env.SLACK_BOT_TOKEN, {
    slackApiUrl: standin.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
});

beforeEach(() => {
  standin.reset();
});

/** Makes the key's claim (and its first claim) `ms` old, as a crash long ago leaves it. */
async function age(key: string, ms = 2 * STALE_CLAIM_MS): Promise<void> {
  await db
    .updateTable('slack_posts')
    .set({
      created_at: sql`now() - make_interval(secs => ${ms / 1000})`,
      updated_at: sql`now() - make_interval(secs => ${ms / 1000})`,
    })
    .where('post_key', '=', key)
    .execute();
}

/** What a crashed attempt left in Slack: the message, posted with the key's metadata. */
async function postedBefore(key: string, channel: string, threadTs?: string): Promise<string> {
  const res = await slack.chat.postMessage({
    channel,
    text: `posted before the crash (${key})`,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    metadata: { event_type: POST_EVENT_TYPE, event_payload: { post_key: key } },
  });
  return res.ts ?? '';
}

/** The messages in `channel` (top level and threads) that carry `key`. */
function carrying(channel: string, key: string): StoredMessage[] {
  return standin.store.messages.filter(
    (m) =>
      m.channel === channel &&
      !m.deleted &&
      (m.metadata?.event_payload as { post_key?: string } | undefined)?.post_key === key,
  );
}

const posts = () => standin.callsTo('chat.postMessage').filter((c) => c.response.ok === true);

describe('postMessageOnce', () => {
  it('posts with the key in the metadata; the next call returns the same ts and sends nothing', async () => {
    const key = newKey('plain');
    const first = await postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'hello' });
    expect(first.posted).toBe(true);
    expect(standin.callsTo('chat.postMessage')[0]?.args.metadata).toEqual({
      event_type: 'sopbot_post',
      event_payload: { post_key: key },
    });
    const again = await postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'hello' });
    expect(again).toEqual({ ts: first.ts, posted: false });
    expect(carrying('C_DEMAND', key)).toHaveLength(1);
    expect((await getPost(db, key))?.ts).toBe(first.ts);
  });

  it('after a crash between Slack answer and the recorded ts: finds the message and records it', async () => {
    const key = newKey('answered');
    await claimPost(db, key, 'C_DEMAND');
    const ts = await postedBefore(key, 'C_DEMAND');
    await slack.chat.postMessage({ channel: 'C_DEMAND', text: 'someone else, later' });
    await age(key);
    const out = await postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'hello' });
    expect(out).toEqual({ ts, posted: false });
    expect(carrying('C_DEMAND', key)).toHaveLength(1);
    expect(posts()).toHaveLength(2); // the crashed attempt's and the other one; none now
    expect((await getPost(db, key))?.ts).toBe(ts);
    const lookup = standin.callsTo('conversations.history')[0]?.args ?? {};
    expect(lookup).toMatchObject({ channel: 'C_DEMAND', include_all_metadata: 'true' });
    // Read from before the claim, not the whole channel.
    const claimedAt = Date.now() / 1000 - (2 * STALE_CLAIM_MS) / 1000;
    expect(Number(lookup.oldest)).toBeLessThan(claimedAt);
    expect(Number(lookup.oldest)).toBeGreaterThan(claimedAt - 3600);
  });

  it('after a crash between the claim and the post: posts it once (messages of other keys do not count)', async () => {
    const key = newKey('claimed');
    await claimPost(db, key, 'C_DEMAND');
    await postedBefore(`${key}:other`, 'C_DEMAND');
    await slack.chat.postMessage({ channel: 'C_DEMAND', text: 'no metadata' });
    await age(key);
    const out = await postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'late' });
    expect(out.posted).toBe(true);
    expect(carrying('C_DEMAND', key).map((m) => m.ts)).toEqual([out.ts]);
    expect((await getPost(db, key))?.ts).toBe(out.ts);
  });

  it('finds the message past the first page of history', async () => {
    const key = newKey('paged');
    await claimPost(db, key, 'C_EXEC');
    const ts = await postedBefore(key, 'C_EXEC');
    for (let i = 0; i < 250; i++)
      standin.store.addMessage({ channel: 'C_EXEC', text: `chatter ${i}`, source: 'api' });
    await age(key);
    const out = await postMessageOnce(db, slack, { key, channel: 'C_EXEC', text: 'hello' });
    expect(out).toEqual({ ts, posted: false });
    expect(standin.callsTo('conversations.history').length).toBeGreaterThanOrEqual(2);
    expect(carrying('C_EXEC', key)).toHaveLength(1);
  });

  it('a fresh claim of another caller: waits briefly, then PostInFlightError and no post', async () => {
    const key = newKey('in-flight');
    await claimPost(db, key, 'C_DEMAND');
    const started = Date.now();
    const err = await postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PostInFlightError);
    expect((err as PostInFlightError).key).toBe(key);
    // Retry once the claim would be stale: under a minute from now.
    expect((err as PostInFlightError).retryAfterMs).toBeGreaterThan(STALE_CLAIM_MS - 10_000);
    expect((err as PostInFlightError).retryAfterMs).toBeLessThanOrEqual(STALE_CLAIM_MS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(standin.callsTo('chat.postMessage')).toHaveLength(0);
    expect(standin.callsTo('conversations.history')).toHaveLength(0);
    expect((await getPost(db, key))?.ts).toBeNull();
  });

  it('a caller waiting on a fresh claim returns the ts the holder records meanwhile', async () => {
    const key = newKey('wait');
    await claimPost(db, key, 'C_DEMAND');
    const ts = await postedBefore(key, 'C_DEMAND');
    const waiting = postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'x' });
    await new Promise((r) => setTimeout(r, 300));
    await setPostTs(db, key, ts);
    expect(await waiting).toEqual({ ts, posted: false });
    expect(carrying('C_DEMAND', key)).toHaveLength(1);
  });

  /** `callers` post `key` to C_SUPPLY at once: one message, one caller sent it, all get its ts. */
  async function racePosting(key: string, callers: number): Promise<void> {
    const outs = await Promise.all(
      Array.from({ length: callers }, () =>
        postMessageOnce(db, slack, { key, channel: 'C_SUPPLY', text: 'once' }),
      ),
    );
    expect(outs.filter((o) => o.posted)).toHaveLength(1);
    expect(new Set(outs.map((o) => o.ts)).size).toBe(1);
    expect(carrying('C_SUPPLY', key)).toHaveLength(1);
  }

  it('concurrent callers: one message, one caller sent it, all get its ts', async () => {
    const key = newKey('race');
    await racePosting(key, 5);
  });

  it('concurrent callers on a stale claim with nothing in Slack: one takes it over and posts', async () => {
    const key = newKey('takeover-race');
    await claimPost(db, key, 'C_SUPPLY');
    await age(key);
    await racePosting(key, 4);
  });

  it('a thread post is resolved through conversations.replies', async () => {
    const parent = (await slack.chat.postMessage({ channel: 'C_GENERAL', text: 'Planning…' })).ts!;
    const found = newKey('thread-found');
    await claimPost(db, found, 'C_GENERAL', parent);
    const ts = await postedBefore(found, 'C_GENERAL', parent);
    const lost = newKey('thread-lost');
    await claimPost(db, lost, 'C_GENERAL', parent);
    await age(found);
    await age(lost);
    const p = { channel: 'C_GENERAL', threadTs: parent, text: 'result' };
    expect(await postMessageOnce(db, slack, { ...p, key: found })).toEqual({ ts, posted: false });
    const out = await postMessageOnce(db, slack, { ...p, key: lost });
    expect(out.posted).toBe(true);
    expect(standin.callsTo('conversations.replies').map((c) => c.args.ts)).toEqual([
      parent,
      parent,
    ]);
    expect(standin.callsTo('conversations.history')).toHaveLength(0);
    expect(standin.threadReplies('C_GENERAL', parent).map((m) => m.ts)).toEqual([ts, out.ts]);
    expect(standin.messagesIn('C_GENERAL')).toHaveLength(1);
  });

  it('Slack refuses the post (error answer, 429): the claim is given back and the next call posts at once', async () => {
    const key = newKey('refused');
    standin.failNext('chat.postMessage', { error: 'internal_error' });
    await expect(
      postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'x' }),
    ).rejects.toMatchObject({ code: 'slack_webapi_platform_error' });
    expect(await getPost(db, key)).toBeNull();
    standin.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await expect(
      postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'x' }),
    ).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
    expect(await getPost(db, key)).toBeNull();
    const out = await postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'x' });
    expect(out.posted).toBe(true);
    expect(carrying('C_DEMAND', key)).toHaveLength(1);
  });

  it('no answer from Slack (HTTP 500): the claim stays; once stale, the retry finds nothing and posts once', async () => {
    const key = newKey('no-answer');
    standin.failNext('chat.postMessage', { status: 500 });
    await expect(
      postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'x' }),
    ).rejects.toMatchObject({ code: 'slack_webapi_http_error' });
    expect((await getPost(db, key))?.ts).toBeNull();
    await expect(
      postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'x' }),
    ).rejects.toBeInstanceOf(PostInFlightError);
    await age(key);
    const out = await postMessageOnce(db, slack, { key, channel: 'C_DEMAND', text: 'x' });
    expect(out.posted).toBe(true);
    expect(carrying('C_DEMAND', key)).toHaveLength(1);
  });
  it('a history Slack refuses to show (not_in_channel): an error that says what is missing, and no post', async () => {
    const key = newKey('unreadable');
    await claimPost(db, key, 'C_SUPPLY');
    await age(key);
    standin.failNext('conversations.history', { error: 'not_in_channel' });
    await expect(
      postMessageOnce(db, slack, { key, channel: 'C_SUPPLY', text: 'x' }),
    ).rejects.toThrow(/not_in_channel.*channels:history/);
    expect(standin.callsTo('chat.postMessage')).toHaveLength(0);
    expect((await getPost(db, key))?.ts).toBeNull();
  });
});

describe('postFileOnce', () => {
  /** A small file post of `key` to C_SUPPLY by `holder`. */
  const file = (key: string, holder?: string): FilePost => ({
    key,
    channel: 'C_SUPPLY',
    filename: `${key}.png`,
    title: 'chart',
    altText: 'a chart',
    comment: `the chart of ${key}`,
    bytes: new Uint8Array([137, 80, 78, 71, 1, 2, 3]),
    ...(holder ? { holder } : {}),
  });
  /** The messages in C_SUPPLY that share a file named after `key`. */
  const shares = (key: string) =>
    standin
      .messagesIn('C_SUPPLY')
      .filter((m) =>
        m.files.some((id) => standin.files.find((f) => f.id === id)?.name === `${key}.png`),
      );

  it("a chart's alt text and title reach Slack without a right-to-left override a label typed", async () => {
    // A scenario labelled "\u202Eesac wol": Slack showed the alt text and the file's title
    // reversed from the override on.
    const key = newKey('file-bidi');
    const before = standin.callsTo('files.getUploadURLExternal').length;
    await postFileOnce(db, slack, {
      ...file(key, 'job:a'),
      title: 'Scenarios: \u202Elow case\u202C',
      altText: 'Bar charts comparing \u2067low case\u2069 and Central.',
    });
    const upload = standin.callsTo('files.getUploadURLExternal').slice(before);
    expect(upload.map((c) => c.args.alt_text)).toEqual([
      'Bar charts comparing low case and Central.',
    ]);
    expect(standin.files.find((f) => f.name === `${key}.png`)?.title).toBe('Scenarios: low case');
  });

  it('two jobs post the same chart at once: one upload, one share, both get its ts', async () => {
    // The demo's case: two recompute flows that reuse one plan run both post its charts.
    const key = newKey('file-race');
    const outs = await Promise.all([
      postFileOnce(db, slack, file(key, 'job:a')),
      postFileOnce(db, slack, file(key, 'job:b')),
    ]);
    expect(outs.filter((o) => o.posted)).toHaveLength(1);
    expect(outs[0]?.ts).toBe(outs[1]?.ts);
    expect(standin.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(shares(key)).toHaveLength(1);
  });

  it("another job's fresh claim: waits briefly, then PostInFlightError and no upload", async () => {
    const key = newKey('file-in-flight');
    await claimPost(db, key, 'C_SUPPLY', null, 'job:a');
    const started = Date.now();
    const err = await postFileOnce(db, slack, file(key, 'job:b')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostInFlightError);
    expect((err as PostInFlightError).retryAfterMs).toBeGreaterThan(STALE_CLAIM_MS - 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(standin.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    // The same call without a holder is another caller too.
    await expect(postFileOnce(db, slack, file(key))).rejects.toBeInstanceOf(PostInFlightError);
    expect(standin.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('the same job after a crash before the share: uploads at once, and the file shows once', async () => {
    const key = newKey('file-resume');
    await claimPost(db, key, 'C_SUPPLY', null, 'job:a');
    // The crashed attempt had reserved a file that it never shared.
    const reserved = await slack.files.getUploadURLExternal({ filename: `${key}.png`, length: 7 });
    await setPostFile(db, key, reserved.file_id as string);
    const out = await postFileOnce(db, slack, file(key, 'job:a'));
    expect(out.posted).toBe(true);
    expect(out.fileId).not.toBe(reserved.file_id);
    expect(shares(key)).toHaveLength(1);
    expect(await getPost(db, key)).toMatchObject({ ts: out.ts, holder: 'job:a' });
  });

  it('the same job after a crash after the share: records the share, uploads nothing', async () => {
    const key = newKey('file-shared');
    const first = await postFileOnce(db, slack, file(key, 'job:a'));
    // The crash came before the ts was recorded: the ledger holds the file id alone.
    await db.updateTable('slack_posts').set({ ts: null }).where('post_key', '=', key).execute();
    const calls = standin.callsTo('files.getUploadURLExternal').length;
    const again = await postFileOnce(db, slack, file(key, 'job:a'));
    expect(again).toEqual({ ts: first.ts, posted: false, fileId: first.fileId });
    expect(standin.callsTo('files.getUploadURLExternal')).toHaveLength(calls);
    expect(shares(key)).toHaveLength(1);
  });

  it("another job's stale claim with nothing shared: taken over and posted once", async () => {
    const key = newKey('file-stale');
    await claimPost(db, key, 'C_SUPPLY', null, 'job:a');
    await age(key);
    const outs = await Promise.all([
      postFileOnce(db, slack, file(key, 'job:b')),
      postFileOnce(db, slack, file(key, 'job:c')),
    ]);
    expect(outs.filter((o) => o.posted)).toHaveLength(1);
    expect(shares(key)).toHaveLength(1);
  });

  it('Slack refuses the upload (429): the claim is given back and the retry uploads at once', async () => {
    const key = newKey('file-429');
    standin.failNext('files.getUploadURLExternal', { status: 429, retryAfter: 1 });
    await expect(postFileOnce(db, slack, file(key, 'job:a'))).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
    });
    expect(await getPost(db, key)).toBeNull();
    // Another job may go at once too: nothing is in flight.
    const out = await postFileOnce(db, slack, file(key, 'job:b'));
    expect(out.posted).toBe(true);
    expect(shares(key)).toHaveLength(1);
  });
});

describe('postOnce and dmOnce', () => {
  it('ts when this call sent it, null when it was sent before (found in Slack or in the ledger)', async () => {
    const sent = newKey('sent');
    const ts = await postOnce(slack, db, sent, 'C_EXEC', { text: 'pack' });
    expect(ts).not.toBeNull();
    expect(await postOnce(slack, db, sent, 'C_EXEC', { text: 'pack' })).toBeNull();

    const crashed = newKey('crashed-after-answer');
    await claimPost(db, crashed, 'C_EXEC');
    await postedBefore(crashed, 'C_EXEC');
    await age(crashed);
    expect(await postOnce(slack, db, crashed, 'C_EXEC', { text: 'log' })).toBeNull();
    expect(carrying('C_EXEC', crashed)).toHaveLength(1);
  });

  it('a DM claimed and never sent (a crash) goes out on the next attempt instead of being lost', async () => {
    const key = newKey('nudge');
    const dm = (await slack.conversations.open({ users: 'U_BOB' })).channel?.id ?? '';
    await claimPost(db, key, dm);
    await age(key);
    const ts = await dmOnce(slack, db, key, 'U_BOB', { text: 'Reminder: the review closes' });
    expect(ts).not.toBeNull();
    expect(carrying(dm, key).map((m) => m.ts)).toEqual([ts]);
    expect(await dmOnce(slack, db, key, 'U_BOB', { text: 'again' })).toBeNull();
    expect(carrying(dm, key)).toHaveLength(1);
  });
});

describe('the ledger claim queries', () => {
  it('a takeover is a compare-and-swap on the claim time, and only of a stale claim', async () => {
    const key = newKey('cas');
    const { row } = await claimPost(db, key, 'C_DEMAND');
    // Fresh by the database's clock: no takeover, whatever the caller believes.
    expect(await takeOverClaim(db, key, row!.updatedAt, STALE_CLAIM_MS)).toBeNull();
    await age(key);
    const seen = (await getPost(db, key))!.updatedAt;
    const [a, b] = await Promise.all([
      takeOverClaim(db, key, seen, STALE_CLAIM_MS),
      takeOverClaim(db, key, seen, STALE_CLAIM_MS),
    ]);
    expect([a, b].filter((r) => r !== null)).toHaveLength(1);
    const taken = (a ?? b)!;
    expect(taken.updatedAt.getTime()).toBeGreaterThan(seen.getTime() + STALE_CLAIM_MS);
    // The claim it replaced cannot be renewed any more; the new one can.
    expect(await renewClaim(db, key, seen)).toBeNull();
    const renewed = await renewClaim(db, key, taken.updatedAt);
    expect(renewed).not.toBeNull();
    expect(renewed!.getTime()).toBeGreaterThanOrEqual(taken.updatedAt.getTime());
  });
});

describe('in the worker', () => {
  it('a job meeting a fresh claim is delayed, not failed, and posts once the claim is stale', async () => {
    await updateSettings(db, { exec_channel: 'C_EXEC' });
    const cycleId = await insertCycle(db, {
      month: '2031-01',
      phase: 'executive',
      opened_by: 'U_ALICE',
    });
    const key = `pack:${cycleId}`;
    // Another worker claimed the pack 40 s ago and is (as far as anyone knows) posting it.
    await claimPost(db, key, 'C_EXEC');
    await age(key, 40_000);
    const id = await h.queues.enqueue('pack', { cycleId: cycleId });
    const job = async () => (await h.queues.queue('posts').getJob(id))!;
    for (let i = 0; i < 200 && (await (await job()).getState()) !== 'delayed'; i++)
      await new Promise((r) => setTimeout(r, 50));
    const delayed = await job();
    expect(await delayed.getState()).toBe('delayed');
    expect(delayed.failedReason ?? null).toBeNull();
    expect(standin.callsTo('chat.postMessage')).toHaveLength(0);
    // That worker died: its claim goes stale. The delayed job, when it comes due, posts.
    await age(key);
    const result = await h.comeDue('pack', { cycleId: cycleId }, 'posts');
    expect(result).toEqual({ posted: true });
    expect(carrying('C_EXEC', key)).toHaveLength(1);
    // Delayed, never failed: no failure was recorded on the job.
    expect((await job()).stacktrace ?? []).toHaveLength(0);
    expect((await job()).failedReason ?? null).toBeNull();
  });
});
