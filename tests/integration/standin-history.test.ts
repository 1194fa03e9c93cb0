/**
 * The stand-in's message metadata (chat.postMessage / chat.update) and its history methods
 * (conversations.history, conversations.replies), through Slack's own WebClient and fetch.
 */
import { webApi } from '@slack/bolt';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackError, standinClient, useStandin } from '../helpers/slack.js';

const TOKEN = 'xoxb-standin-history';
/** The stand-in's clock: the wall clock, or held still where a test counts calls in a minute. */
let heldAt: number | null = null;
const standin = useStandin({ postMessageRate: false, now: () => heldAt ?? Date.now() });
let client: webApi.WebClient;

beforeAll(async () => {
  client = standinClient(standin, TOKEN, { retries: 0 });
});

beforeEach(() => {
  standin.reset();
});

/** A Web API call with a JSON body, answered as parsed JSON (what WebClient cannot send). */
async function rawCall(method: string, body: Record<string, unknown>) {
  return (await fetch(`${standin.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json())) as Record<string, unknown>;
}

const meta = (key: string) => ({ event_type: 'sopbot_post', event_payload: { post_key: key } });

async function post(text: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await client.chat.postMessage({ channel: 'C_DEMAND', text, ...extra });
  return res.ts ?? '';
}

type Listed = { ts: string; text: string; metadata?: unknown };

describe('message metadata', () => {
  it('chat.postMessage keeps it; history and replies return it only with include_all_metadata', async () => {
    const ts = await post('with metadata', { metadata: meta('k1') });
    const res = await client.chat.postMessage({ channel: 'C_DEMAND', text: 'answer' });
    expect(res.ok).toBe(true);
    expect(standin.store.findMessage('C_DEMAND', ts)?.metadata).toEqual(meta('k1'));

    const plain = await client.conversations.history({ channel: 'C_DEMAND' });
    expect((plain.messages as Listed[]).every((m) => m.metadata === undefined)).toBe(true);
    const full = await client.conversations.history({
      channel: 'C_DEMAND',
      include_all_metadata: true,
    });
    const mine = (full.messages as Listed[]).find((m) => m.ts === ts);
    expect(mine?.metadata).toEqual(meta('k1'));

    const thread = await client.conversations.replies({
      channel: 'C_DEMAND',
      ts,
      include_all_metadata: true,
    });
    expect((thread.messages as Listed[])[0]?.metadata).toEqual(meta('k1'));
    const bare = await client.conversations.replies({ channel: 'C_DEMAND', ts });
    expect((bare.messages as Listed[])[0]?.metadata).toBeUndefined();
  });

  it('refuses malformed metadata with invalid_metadata_format and invalid_metadata_schema', async () => {
    const cases: [unknown, string][] = [
      ['{not json', 'invalid_metadata_format'],
      [['sopbot_post'], 'invalid_metadata_format'],
      [42, 'invalid_metadata_format'],
      [{ event_payload: { post_key: 'k' } }, 'invalid_metadata_schema'],
      [{ event_type: '', event_payload: {} }, 'invalid_metadata_schema'],
      [{ event_type: 'sopbot post!', event_payload: {} }, 'invalid_metadata_schema'],
      [{ event_type: 7, event_payload: {} }, 'invalid_metadata_schema'],
      [{ event_type: 'sopbot_post' }, 'invalid_metadata_schema'],
      [{ event_type: 'sopbot_post', event_payload: 'k' }, 'invalid_metadata_schema'],
    ];
    for (const [metadata, error] of cases) {
      const res = await rawCall('chat.postMessage', { channel: 'C_DEMAND', text: 'x', metadata });
      expect(res, JSON.stringify(metadata)).toMatchObject({ ok: false, error });
    }
    // The same through WebClient's form body (metadata sent as a JSON string).
    expect(
      await slackError(
        client.chat.postMessage({
          channel: 'C_DEMAND',
          text: 'x',
          metadata: { event_type: 'has space', event_payload: {} },
        }),
      ),
    ).toBe('invalid_metadata_schema');
    // A JSON string in a JSON body is read like the object it encodes.
    expect(
      await rawCall('chat.postMessage', {
        channel: 'C_DEMAND',
        text: 'x',
        metadata: JSON.stringify(meta('k2')),
      }),
    ).toMatchObject({ ok: true });
    expect(standin.messagesIn('C_DEMAND').map((m) => m.metadata)).toEqual([meta('k2')]);
  });

  it('chat.update replaces the metadata when it gives one, keeps it otherwise', async () => {
    const ts = await post('v1', { metadata: meta('a') });
    await client.chat.update({ channel: 'C_DEMAND', ts, text: 'v2' });
    expect(standin.store.findMessage('C_DEMAND', ts)?.metadata).toEqual(meta('a'));
    await client.chat.update({ channel: 'C_DEMAND', ts, text: 'v3', metadata: meta('b') });
    expect(standin.store.findMessage('C_DEMAND', ts)?.metadata).toEqual(meta('b'));
    expect(
      await slackError(
        client.chat.update({
          channel: 'C_DEMAND',
          ts,
          text: 'v4',
          metadata: { event_type: 'x-y', event_payload: {} },
        }),
      ),
    ).toBe('invalid_metadata_schema');
  });
});

describe('conversations.history', () => {
  it('lists top-level messages and thread parents newest first, not replies or other channels', async () => {
    const a = await post('a');
    const b = await post('b');
    await client.chat.postMessage({ channel: 'C_DEMAND', thread_ts: a, text: 'reply to a' });
    await client.chat.postMessage({ channel: 'C_SUPPLY', text: 'elsewhere' });
    const c = await post('c');
    await client.chat.delete({ channel: 'C_DEMAND', ts: b });
    const res = await client.conversations.history({ channel: 'C_DEMAND' });
    const listed = res.messages as (Listed & { reply_count?: number })[];
    expect(listed.map((m) => m.text)).toEqual(['c', 'a']);
    expect(listed.map((m) => m.ts)).toEqual([c, a]);
    expect(listed[1]?.reply_count).toBe(1);
    expect(res.has_more).toBe(false);
    expect(res.response_metadata?.next_cursor).toBe('');
  });

  it('oldest and latest are exclusive unless inclusive', async () => {
    const [a, b, c, d] = [await post('a'), await post('b'), await post('c'), await post('d')];
    const texts = async (args: Record<string, unknown>) =>
      ((await client.conversations.history({ channel: 'C_DEMAND', ...args })).messages as Listed[])
        .map((m) => m.text)
        .join('');
    expect(await texts({ oldest: a, latest: d })).toBe('cb');
    expect(await texts({ oldest: a, latest: d, inclusive: true })).toBe('dcba');
    expect(await texts({ oldest: b })).toBe('dc');
    expect(await texts({ latest: c })).toBe('ba');
    // Whole seconds are timestamps too: everything since the second before the first post.
    expect(await texts({ oldest: String(Math.floor(Number(a)) - 1) })).toBe('dcba');
    expect(
      await slackError(client.conversations.history({ channel: 'C_DEMAND', oldest: 'x' })),
    ).toBe('invalid_ts_oldest');
    expect(
      await slackError(client.conversations.history({ channel: 'C_DEMAND', latest: '1.2.3' })),
    ).toBe('invalid_ts_latest');
  });

  it('pages with limit and cursor until next_cursor is empty', async () => {
    for (let i = 0; i < 7; i++) await post(`m${i}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await client.conversations.history({
        channel: 'C_DEMAND',
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      pages++;
      seen.push(...(res.messages as Listed[]).map((m) => m.text));
      expect(res.has_more).toBe(Boolean(res.response_metadata?.next_cursor));
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
    expect(
      await slackError(client.conversations.history({ channel: 'C_DEMAND', cursor: 'bm9wZQ==' })),
    ).toBe('invalid_cursor');
  });

  it('reads a DM once it is open; unknown channels are channel_not_found', async () => {
    const dm = await client.conversations.open({ users: 'U_BOB' });
    await client.chat.postMessage({ channel: dm.channel?.id ?? '', text: 'hello Bob' });
    const res = await client.conversations.history({ channel: 'D_U_BOB' });
    expect((res.messages as Listed[]).map((m) => m.text)).toEqual(['hello Bob']);
    expect(await slackError(client.conversations.history({ channel: 'C_NOPE' }))).toBe(
      'channel_not_found',
    );
  });

  it('is a Tier 3 method: the 51st call in a minute gets 429', async () => {
    // The clock is held, so a slow machine does not refill the allowance between calls.
    heldAt = Date.now();
    try {
      const history = () =>
        client.conversations.history({ channel: 'C_DEMAND' }).then(
          () => 'ok',
          (e: unknown) => (e as { code: string }).code,
        );
      const outcomes: string[] = [];
      for (let i = 0; i < 51; i++) outcomes.push(await history());
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(50);
      expect(outcomes[50]).toBe(webApi.ErrorCode.RateLimitedError);
      // 50 a minute refill one call every 1.2 s.
      heldAt += 1_100;
      expect(await history()).toBe(webApi.ErrorCode.RateLimitedError);
      heldAt += 200;
      expect(await history()).toBe('ok');
    } finally {
      heldAt = null;
    }
  });
});

describe('conversations.replies', () => {
  it('gives the parent, then the replies oldest first, whichever message of the thread ts names', async () => {
    const parent = await post('parent');
    const r1 = (
      await client.chat.postMessage({ channel: 'C_DEMAND', thread_ts: parent, text: 'r1' })
    ).ts!;
    await post('not in the thread');
    await client.chat.postMessage({ channel: 'C_DEMAND', thread_ts: parent, text: 'r2' });
    const byParent = await client.conversations.replies({ channel: 'C_DEMAND', ts: parent });
    expect((byParent.messages as Listed[]).map((m) => m.text)).toEqual(['parent', 'r1', 'r2']);
    const byReply = await client.conversations.replies({ channel: 'C_DEMAND', ts: r1 });
    expect((byReply.messages as Listed[]).map((m) => m.text)).toEqual(['parent', 'r1', 'r2']);
    // oldest filters the replies; the parent still leads.
    const since = await client.conversations.replies({
      channel: 'C_DEMAND',
      ts: parent,
      oldest: r1,
    });
    expect((since.messages as Listed[]).map((m) => m.text)).toEqual(['parent', 'r2']);
    // A message without replies is a thread of one.
    const lone = await post('lone');
    const single = await client.conversations.replies({ channel: 'C_DEMAND', ts: lone });
    expect((single.messages as Listed[]).map((m) => m.text)).toEqual(['lone']);
  });

  it('pages with cursor; continuation pages leave the parent out', async () => {
    const parent = await post('parent');
    for (let i = 0; i < 5; i++)
      await client.chat.postMessage({ channel: 'C_DEMAND', thread_ts: parent, text: `r${i}` });
    const first = await client.conversations.replies({ channel: 'C_DEMAND', ts: parent, limit: 4 });
    expect((first.messages as Listed[]).map((m) => m.text)).toEqual(['parent', 'r0', 'r1', 'r2']);
    expect(first.has_more).toBe(true);
    const second = await client.conversations.replies({
      channel: 'C_DEMAND',
      ts: parent,
      limit: 4,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    expect((second.messages as Listed[]).map((m) => m.text)).toEqual(['r3', 'r4']);
    expect(second.has_more).toBe(false);
    expect(second.response_metadata?.next_cursor).toBe('');
  });

  it('answers thread_not_found for a ts that names no message', async () => {
    expect(
      await slackError(client.conversations.replies({ channel: 'C_DEMAND', ts: '1.000001' })),
    ).toBe('thread_not_found');
  });
});
