/**
 * conversations.history (a channel's messages, newest first: top-level messages and thread
 * parents) and conversations.replies (a thread: the parent, then its replies oldest first).
 * Both take `oldest` / `latest` (exclusive unless `inclusive`), `limit`, `cursor` (answered
 * with `has_more` and `response_metadata.next_cursor`, '' on the last page) and
 * `include_all_metadata` (a message's metadata is returned only then).
 */
import { type ApiMethod, fail, missing, ok } from './api.js';
import { bool, type JsonObject, str } from './json.js';
import type { StandinStore } from './store.js';
import type { StoredMessage } from './types.js';

const HISTORY_LIMIT = { default: 100, max: 999 } as const;
const REPLIES_LIMIT = { default: 1000, max: 1000 } as const;

/** A message ts ('seconds.micros', or whole seconds) as microseconds; null when malformed. */
function micros(ts: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (!m) return null;
  return BigInt(m[1] ?? '0') * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

function byTs(a: StoredMessage, b: StoredMessage): number {
  const x = micros(a.ts) ?? 0n;
  const y = micros(b.ts) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Cursors are opaque to clients; Slack's decode to `next_ts:<ts>`, and so do these. */
function cursorFor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function cursorTs(cursor: string): bigint | null {
  const m = /^next_ts:(\d+\.\d{6})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m?.[1] ? micros(m[1]) : null;
}

interface Window {
  readonly includeMetadata: boolean;
  readonly limit: number;
  /** Where the page starts (a ts from the cursor), if the call continues an earlier one. */
  readonly from: bigint | null;
  readonly contains: (m: StoredMessage) => boolean;
}

/** The arguments both methods share, or the error Slack answers for them. */
function readWindow(
  args: JsonObject,
  limits: { readonly default: number; readonly max: number },
): Window | string {
  const oldest = micros(str(args, 'oldest') ?? '0');
  if (oldest === null) return 'invalid_ts_oldest';
  const latestArg = str(args, 'latest');
  const latest = latestArg === undefined || latestArg === '' ? null : micros(latestArg);
  if (latest === null && latestArg) return 'invalid_ts_latest';
  const cursor = str(args, 'cursor');
  const from = cursor ? cursorTs(cursor) : null;
  if (cursor && from === null) return 'invalid_cursor';
  const inclusive = bool(args, 'inclusive');
  const asked = Math.floor(Number(str(args, 'limit') ?? limits.default));
  const limit = Number.isFinite(asked) && asked > 0 ? Math.min(asked, limits.max) : limits.default;
  return {
    includeMetadata: bool(args, 'include_all_metadata'),
    limit,
    from,
    contains: (m) => {
      const t = micros(m.ts) ?? 0n;
      const afterOldest = inclusive ? t >= oldest : t > oldest;
      const beforeLatest = latest === null || (inclusive ? t <= latest : t < latest);
      return afterOldest && beforeLatest;
    },
  };
}

function page(
  store: StandinStore,
  list: readonly StoredMessage[],
  w: Window,
): Record<string, unknown> {
  const shown = list.slice(0, w.limit);
  const next = list[w.limit];
  return {
    messages: shown.map((m) => store.messagePayload(m, { metadata: w.includeMetadata })),
    has_more: next !== undefined,
    response_metadata: { next_cursor: next ? cursorFor(next.ts) : '' },
  };
}

const history: ApiMethod = ({ args, store }) => {
  const id = str(args, 'channel');
  if (id === undefined) return missing('channel');
  if (!store.channels.has(id)) return fail('channel_not_found');
  const w = readWindow(args, HISTORY_LIMIT);
  if (typeof w === 'string') return fail(w);
  const list = store.messages
    .filter(
      (m) =>
        m.channel === id &&
        !m.deleted &&
        (m.thread_ts === undefined || m.thread_ts === m.ts) &&
        w.contains(m) &&
        (w.from === null || (micros(m.ts) ?? 0n) <= w.from),
    )
    .sort((a, b) => byTs(b, a));
  return ok({ ...page(store, list, w), pin_count: 0 });
};

const replies: ApiMethod = ({ args, store }) => {
  const id = str(args, 'channel');
  if (id === undefined) return missing('channel');
  if (!store.channels.has(id)) return fail('channel_not_found');
  const ts = str(args, 'ts');
  if (ts === undefined) return missing('ts');
  const w = readWindow(args, REPLIES_LIMIT);
  if (typeof w === 'string') return fail(w);
  // `ts` may name the parent or any reply of the thread; an unthreaded message is a thread
  // of one.
  const named = store.findMessage(id, ts);
  const parent = named && store.findMessage(id, named.thread_ts ?? named.ts);
  if (!parent) return fail('thread_not_found');
  const thread = store.messages
    .filter(
      (m) =>
        m.channel === id &&
        !m.deleted &&
        m.thread_ts === parent.ts &&
        m.ts !== parent.ts &&
        w.contains(m) &&
        (w.from === null || (micros(m.ts) ?? 0n) >= w.from),
    )
    .sort(byTs);
  // The parent leads the first page only; a continuation starts at the reply it names.
  return ok(page(store, w.from === null ? [parent, ...thread] : thread, w));
};

export const historyMethods: Readonly<Record<string, ApiMethod>> = {
  'conversations.history': history,
  'conversations.replies': replies,
};
