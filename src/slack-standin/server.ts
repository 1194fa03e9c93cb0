/**
 * A local stand-in for Slack's Web API: a real HTTP server that keeps workspace state,
 * enforces the platform rules in docs/slack-standin.md and records every call.
 * Point Bolt at it with `clientOptions: { slackApiUrl: standin.apiUrl }`.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiAnswer, ApiMethod } from './api.js';
import { chatMethods } from './api-chat.js';
import { directoryMethods } from './api-directory.js';
import { fileMethods, filePayload } from './api-files.js';
import { historyMethods } from './api-history.js';
import { viewMethods } from './api-views.js';
import { BodyError, parseApiBody, readRaw, uploadBytes } from './body.js';
import { type JsonObject, str } from './json.js';
import {
  DEFAULT_POST_RATE,
  ForcedFailures,
  RateLimiter,
  type RateLimitOptions,
  TierLimiter,
} from './rate-limit.js';
import { postToResponseUrl } from './response-url.js';
import { manifestScopes, missingScope, requiredScope } from './scopes.js';
import { SocketModeHub } from './socket-mode.js';
import {
  DEFAULT_CHANNELS,
  DEFAULT_IDENTITY,
  DEFAULT_USERS,
  type Identity,
  StandinStore,
} from './store.js';
import type {
  ChannelSeed,
  ForcedDelay,
  ForcedFailure,
  HeldCall,
  RecordedCall,
  StoredEphemeral,
  StoredFile,
  StoredMessage,
  StoredView,
  UserSeed,
} from './types.js';

export interface StandinOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly channels?: readonly ChannelSeed[];
  readonly users?: readonly UserSeed[];
  readonly identity?: Partial<Identity>;
  /** Accepted tokens. Default: any token starting with `xoxb-` or `xoxp-`. */
  readonly tokens?: readonly string[];
  /**
   * The scopes the tokens hold; a call without its scope gets `missing_scope`. Default: the
   * bot scopes of the project's manifest.json; `null` checks none.
   */
  readonly scopes?: readonly string[] | null;
  /** chat.postMessage limit per channel; `false` turns it off. */
  readonly postMessageRate?: RateLimitOptions | false;
  /** Per-method tier limits (Tier 3: 50/min, Tier 4: 100/min). Default on. */
  readonly tierLimits?: boolean;
  /** Clock in ms; tests can skew it to age trigger_ids or response_urls. */
  readonly now?: () => number;
}

export interface Standin {
  /** Socket Mode: the clients connected through apps.connections.open, and envelopes to them. */
  readonly socketMode: SocketModeHub;
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly url: string;
  /** The value for Bolt's `clientOptions.slackApiUrl` (ends with '/'). */
  readonly apiUrl: string;
  readonly identity: Identity;
  readonly store: StandinStore;
  readonly calls: readonly RecordedCall[];
  readonly files: readonly StoredFile[];
  callsTo(method: string): RecordedCall[];
  /** Top-level messages of a channel (id or name), oldest first, deleted ones left out. */
  messagesIn(channel: string): StoredMessage[];
  threadReplies(channel: string, threadTs: string): StoredMessage[];
  ephemeralsFor(user: string): StoredEphemeral[];
  /** The user's open modal stack, bottom first. */
  openViews(user: string): StoredView[];
  homeView(user: string): StoredView | undefined;
  issueTrigger(user: string): string;
  issueResponseUrl(at: {
    channel: string;
    user: string;
    messageTs?: string;
    ephemeralTs?: string;
  }): string;
  /** The next call(s) to `method` fail as described (e.g. `{ status: 429, retryAfter: 1 }`). */
  failNext(method: string, failure: ForcedFailure): void;
  /**
   * The next call to `method` (about `channel`, if given) takes effect at once, as Slack would,
   * but its answer is sent `ms` later: a client with a shorter timeout gives up on a call that
   * did reach Slack (a post that is in the channel). Each call asked for is held once.
   * `'upload'` holds the upload URL's answer (the bytes are kept at once) and `'response_url'`
   * a response URL's (the reply is shown at once).
   */
  delayNext(method: string, delay: ForcedDelay): void;
  /**
   * The next call to Web API `method` (about `channel`, as failNext's, if given) waits before
   * it takes effect until the test calls `release()`: a race test holds a views.publish whose
   * caller has read what it draws while another change lands. `reset()` forgets holds not yet
   * used, and `close()` lets go of calls still held.
   */
  holdNext(method: string, opts?: { readonly channel?: string }): HeldCall;
  /** Posts the scheduled messages that are due now; returns them. */
  deliverScheduled(): StoredMessage[];
  /**
   * Polls `predicate` (sync or async) until it gives a value other than undefined, null or
   * false, and resolves with it; rejects after `timeoutMs` (10 s: generous, as a busy machine
   * is slow, and a passing test waits only as long as its condition takes).
   */
  waitFor<T>(predicate: () => Falsy<T> | Promise<Falsy<T>>, timeoutMs?: number): Promise<T>;
  /** Back to the seeded workspace: no messages, files, views, calls or forced failures. */
  reset(): void;
  close(): Promise<void>;
}

const METHODS: Readonly<Record<string, ApiMethod>> = {
  ...chatMethods,
  ...viewMethods,
  ...fileMethods,
  ...directoryMethods,
  ...historyMethods,
};

export async function startStandin(opts: StandinOptions = {}): Promise<Standin> {
  const now = opts.now ?? Date.now;
  const identity: Identity = { ...DEFAULT_IDENTITY, ...opts.identity };
  const store = new StandinStore(
    identity,
    { channels: opts.channels ?? DEFAULT_CHANNELS, users: opts.users ?? DEFAULT_USERS },
    now,
  );
  const limiter = new RateLimiter(opts.postMessageRate ?? DEFAULT_POST_RATE);
  const tiers = new TierLimiter(opts.tierLimits ?? true);
  const forced = new ForcedFailures();
  const delays = new ForcedFailures<ForcedDelay>();
  /** Calls held before they take effect (holdNext). */
  const holds = new ForcedFailures<{
    readonly channel?: string;
    readonly arrive: () => void;
    readonly gate: Promise<void>;
  }>();
  /** Answers being held back (delayNext) and calls held (holdNext), let go at close. */
  const held = new Set<() => void>();
  const holdAnswer = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        held.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      held.add(release);
    });
  /**
   * Holds the answer when a delay was asked for `method` (delayNext); true when the client
   * went away meanwhile, so there is nobody left to answer.
   */
  const answerLate = async (
    method: string,
    args: Readonly<Record<string, unknown>>,
    res: ServerResponse,
  ): Promise<boolean> => {
    const delay = delays.take(method, args);
    if (delay) await holdAnswer(delay.ms);
    return res.destroyed;
  };
  const socketMode = new SocketModeHub(identity.appId);
  let calls: RecordedCall[] = [];
  let baseUrl = '';

  const record = (method: string, args: JsonObject, answer: ApiAnswer): void => {
    const { token: _token, ...rest } = args;
    calls.push({ method, args: rest, at: now(), status: answer.status, response: answer.body });
  };

  const scopes = opts.scopes === undefined ? manifestScopes() : opts.scopes;
  const tokenOk = (token: string | undefined): boolean =>
    token !== undefined && (opts.tokens ? opts.tokens.includes(token) : /^xox[bp]-/.test(token));

  const callMethod = (method: string, args: JsonObject, token: string | undefined): ApiAnswer => {
    if (method === 'apps.connections.open') {
      // Only an app-level token (xapp-, scope connections:write) may open a socket.
      if (token === undefined) return { status: 200, body: { ok: false, error: 'not_authed' } };
      if (!/^xapp-/.test(token))
        return { status: 200, body: { ok: false, error: 'not_allowed_token_type' } };
      return { status: 200, body: { ok: true, url: socketMode.issueUrl(baseUrl) } };
    }
    const handler = METHODS[method];
    if (!handler) return { status: 200, body: { ok: false, error: 'unknown_method' } };
    if (token === undefined) return { status: 200, body: { ok: false, error: 'not_authed' } };
    if (!tokenOk(token)) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    const scope = scopes ? requiredScope(method, args, store) : null;
    if (scope && scopes && !scopes.includes(scope)) return missingScope(scope, scopes);
    const forcedFailure = forced.take(method, args);
    if (forcedFailure) return forcedAnswer(forcedFailure);
    const wait =
      method === 'chat.postMessage'
        ? limiter.take(str(args, 'channel') ?? '', now())
        : tiers.take(method, now());
    if (wait > 0)
      return {
        status: 429,
        headers: { 'retry-after': String(wait) },
        body: { ok: false, error: 'ratelimited' },
      };
    return handler({ args, store, baseUrl, now: now() });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://standin.local');
    const contentType = req.headers['content-type'] ?? '';
    const raw = await readRaw(req);
    const [, root, id] = url.pathname.split('/');
    if (req.method === 'GET' && url.pathname === '/_standin/state')
      return sendJson(res, 200, stateSnapshot());
    if (req.method === 'GET' && root === 'files' && id) {
      const file = store.files.get(id);
      if (!file?.bytes) return sendJson(res, 404, { ok: false, error: 'file_not_found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(file.bytes);
      return;
    }
    if (req.method === 'POST' && root === 'upload' && id) {
      const file = store.files.get(id);
      if (!file) {
        record('upload', { file_id: id }, { status: 404, body: { ok: false } });
        res.writeHead(404).end('file not found');
        return;
      }
      file.bytes = await uploadBytes(contentType, raw);
      const uploaded = { file_id: id, bytes: file.bytes.length };
      record('upload', uploaded, { status: 200, body: { ok: true } });
      if (await answerLate('upload', uploaded, res)) return;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${file.bytes.length}`);
      return;
    }
    let args: JsonObject;
    try {
      args = parseApiBody(contentType, raw, url.searchParams);
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      return sendJson(res, 200, { ok: false, error: 'invalid_json', detail: err.message });
    }
    if (req.method === 'POST' && root === 'response' && id) {
      const answer = postToResponseUrl(store, id, args);
      record('response_url', { ...args, response_url_id: id }, answer);
      if (await answerLate('response_url', args, res)) return;
      return sendJson(res, answer.status, answer.body);
    }
    if (root === 'api' && id) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? str(args, 'token');
      const hold = holds.take(id, args);
      if (hold) {
        hold.arrive();
        await hold.gate;
      }
      const answer = callMethod(id, args, token);
      // As Slack does: a valid token's granted scopes on every answer (WebClient reads them
      // into response_metadata.scopes; `sopbot doctor` compares them with the manifest).
      const granted: Record<string, string> =
        scopes && tokenOk(token) && !/^xapp-/.test(token ?? '')
          ? { 'x-oauth-scopes': scopes.join(',') }
          : {};
      record(id, args, answer);
      if (answer.status === DROPPED) {
        req.socket.destroy();
        return;
      }
      if (await answerLate(id, args, res)) return;
      return sendJson(res, answer.status, answer.body, { ...answer.headers, ...granted });
    }
    sendJson(res, 404, { ok: false, error: 'unknown_path', path: url.pathname });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(err) });
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    if (!socketMode.accept(req, socket)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  baseUrl = `http://${address}:${port}`;

  const channelId = (ref: string): string => store.resolveChannel(ref)?.id ?? ref;

  const stateSnapshot = (): JsonObject => ({
    identity,
    channels: [...store.channels.values()],
    messages: store.messages
      .filter((m) => !m.deleted)
      .map((m) => ({ channel: m.channel, ...store.messagePayload(m, { metadata: true }) })),
    ephemerals: store.ephemerals,
    files: [...store.files.values()].map((f) => filePayload(store, baseUrl, f)),
    openViews: Object.fromEntries(
      [...store.stacks].map(([user, ids]) => [user, ids.map((v) => store.views.get(v))]),
    ),
    homeViews: Object.fromEntries(
      [...store.homeViews].map(([user, v]) => [user, store.views.get(v)]),
    ),
    scheduled: store.scheduled,
    calls: calls.map((c) => ({ method: c.method, at: c.at, status: c.status, ok: c.response.ok })),
  });

  const standin: Standin = {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    identity,
    store,
    get calls() {
      return calls;
    },
    get files() {
      return [...store.files.values()].filter((f) => f.completed);
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    messagesIn: (channel) => {
      const id = channelId(channel);
      return store.messages.filter(
        (m) =>
          m.channel === id && !m.deleted && (m.thread_ts === undefined || m.thread_ts === m.ts),
      );
    },
    threadReplies: (channel, threadTs) => {
      const id = channelId(channel);
      return store.messages.filter(
        (m) => m.channel === id && !m.deleted && m.thread_ts === threadTs && m.ts !== threadTs,
      );
    },
    ephemeralsFor: (user) => store.ephemerals.filter((e) => e.user === user),
    openViews: (user) => store.stackOf(user),
    homeView: (user) => {
      const id = store.homeViews.get(user);
      return id ? store.views.get(id) : undefined;
    },
    issueTrigger: (user) => store.issueTrigger(user),
    issueResponseUrl: (at) => store.issueResponseUrl(baseUrl, at),
    failNext: (method, failure) => forced.add(method, failure),
    delayNext: (method, delay) => delays.add(method, delay),
    holdNext: (method, opts = {}) => {
      let arrive!: () => void;
      const reached = new Promise<void>((r) => {
        arrive = r;
      });
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = () => {
          held.delete(release);
          r();
        };
      });
      held.add(release);
      holds.add(method, { ...(opts.channel ? { channel: opts.channel } : {}), arrive, gate });
      return { reached, release };
    },
    deliverScheduled: () => {
      const due = store.scheduled.filter((s) => !s.delivered && s.post_at * 1000 <= now());
      return due.map((s) => {
        s.delivered = true;
        const blocks = Array.isArray(s.args.blocks) ? s.args.blocks : undefined;
        const threadTs = str(s.args, 'thread_ts');
        return store.addMessage({
          channel: s.channel,
          text: str(s.args, 'text') ?? '',
          ...(blocks ? { blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          source: 'scheduled',
        });
      });
    },
    waitFor: (predicate, timeoutMs = 10_000) => waitFor(predicate, timeoutMs),
    reset: () => {
      store.reset();
      limiter.reset();
      tiers.reset();
      forced.reset();
      delays.reset();
      holds.reset();
      calls = [];
    },
    socketMode,
    close: () =>
      new Promise<void>((resolve, reject) => {
        socketMode.close();
        for (const release of [...held]) release();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return standin;
}

/** The status a dropped call (ForcedFailure's `drop`) is recorded with: no answer was sent. */
const DROPPED = 0;

function forcedAnswer(f: ForcedFailure): ApiAnswer {
  if (f.drop) return { status: DROPPED, body: { ok: false, error: 'connection_dropped' } };
  const status = f.status ?? 200;
  const error = f.error ?? (status === 429 ? 'ratelimited' : 'internal_error');
  const headers: Record<string, string> =
    status === 429 ? { 'retry-after': String(f.retryAfter ?? 1) } : {};
  return { status, headers, body: { ok: false, error } };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: JsonObject,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

type Falsy<T> = T | undefined | null | false;

async function waitFor<T>(
  predicate: () => Falsy<T> | Promise<Falsy<T>>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`standin.waitFor: condition still false after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
