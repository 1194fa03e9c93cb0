/**
 * The Bolt app: HTTP receiver on `/slack/events` (plus GET `/healthz`), or Socket Mode when an
 * app-level token is given. Handlers come from the registry in handlers.ts; this file only
 * wires transport, logging, errors and shutdown.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, type ReceiverEvent } from '@slack/bolt';
import type { Redis } from 'ioredis';
import { databaseAnswers } from '../../db/queries/shared.js';
import { DEFAULT_BOT_SLACK_TIMEOUT_MS } from '../config.js';
import type { AppDeps } from '../deps.js';
import { AFTER_ACK_CONCURRENCY, boundAfterAck } from './after-ack-limit.js';
import { answerErrors, trackAcks } from './answer-errors.js';
import { commandTextMiddleware } from './command-text.js';
import { fetchWithin } from './fetch-within.js';
import { HANDLER_MODULES } from './handlers.js';
import { memberContext } from './member-context.js';
import { RESPONSE_URL_TIMEOUT_MS, tellUser } from './reply.js';
import { slackLogger } from './slack-logger.js';

export interface SlackAppOptions {
  readonly signingSecret?: string;
  readonly token: string;
  /** xapp- token: switches to Socket Mode. */
  readonly appToken?: string;
  /** Web API base URL (the stand-in in tests), e.g. http://127.0.0.1:4000/api/ */
  readonly apiUrl?: string;
  /** HTTP port; 0 picks a free one. */
  readonly port?: number;
  /** Skip auth.test at start when both are known. */
  readonly botId?: string;
  readonly botUserId?: string;
  /** Pinged by /healthz. */
  readonly redis?: Redis;
  /** How long stop() waits for running listeners (default 15 s). */
  readonly drainTimeoutMs?: number;
  /** How long one Web API call may wait for Slack (default DEFAULT_BOT_SLACK_TIMEOUT_MS). */
  readonly slackTimeoutMs?: number;
  /** How many listeners may work after their ack at once (default AFTER_ACK_CONCURRENCY). */
  readonly afterAckSlots?: number;
  /** Extra modules registered after HANDLER_MODULES (tests, benches). */
  readonly modules?: readonly { register(app: App, deps: AppDeps): void }[];
}

interface ExtendedErrorArgs {
  readonly error: Error;
  readonly body: unknown;
  readonly context: { readonly retryNum?: number };
}

export interface SlackApp {
  readonly app: App;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The bound HTTP port once started (HTTP mode), else null. */
  port(): number | null;
  /**
   * Requests whose listeners are still at work, after their ack too (the demo waits for none
   * before its story's clock moves on).
   */
  inFlight(): number;
}

export async function checkHealth(
  deps: Pick<AppDeps, 'db'>,
  redis?: Redis,
): Promise<{ ok: boolean; db: boolean; redis: boolean | null }> {
  const db = await databaseAnswers(deps.db);
  const r = redis
    ? await redis.ping().then(
        (p) => p === 'PONG',
        () => false,
      )
    : null;
  return { ok: db && r !== false, db, redis: r };
}

/** Slack's replay window: a request stamped further from now, either way, is refused. */
export const MAX_CLOCK_SKEW_S = 300;

/**
 * True when the `x-slack-request-timestamp` header is missing, not a number, or more than
 * MAX_CLOCK_SKEW_S from `nowMs` in either direction. Bolt's own check refuses only the past.
 */
export function timestampRefused(header: string | string[] | undefined, nowMs: number): boolean {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || !/^\d+$/.test(raw)) return true;
  return Math.abs(nowMs / 1000 - Number(raw)) > MAX_CLOCK_SKEW_S;
}

/** Where Slack's requests arrive: Bolt's HTTPReceiver dispatches a POST there as an event. */
const EVENTS_PATH = '/slack/events';

/**
 * True when Bolt's HTTPReceiver would take this request for a Slack event: a POST whose path,
 * read as it reads it (a URL's pathname: `/./slack/events`, `/x/../slack/events` and
 * `/slack/events#x` are all `/slack/events`), is EVENTS_PATH. The timestamp check must see
 * every such request, not only those whose raw path is written the usual way.
 */
export function isEventsRequest(method: string | undefined, url: string | undefined): boolean {
  if (method?.toUpperCase() !== 'POST' || url === undefined) return false;
  // A path no URL can be made of (null here) Bolt cannot route either.
  return URL.parse(url, 'http://localhost')?.pathname === EVENTS_PATH;
}

export function createSlackApp(deps: AppDeps, opts: SlackAppOptions): SlackApp {
  const socketMode = Boolean(opts.appToken);
  const logger = slackLogger(deps.logger, 'bolt');
  const customRoutes: CustomRoute[] = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        void checkHealth(deps, opts.redis).then((h) => {
          res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(h));
        });
      },
    },
  ];
  const receiver = socketMode
    ? null
    : new HTTPReceiver({
        signingSecret: opts.signingSecret ?? '',
        endpoints: [EVENTS_PATH],
        customRoutes,
        logger,
      });
  if (receiver) {
    // Requests stamped too far in the future are refused before Bolt sees them (replay
    // protection both ways); Bolt then checks the signature and the past.
    const listener = receiver.requestListener;
    receiver.requestListener = (req, res) => {
      if (
        isEventsRequest(req.method, req.url) &&
        timestampRefused(req.headers['x-slack-request-timestamp'], Date.now())
      ) {
        deps.logger.warn(
          { timestamp: req.headers['x-slack-request-timestamp'] },
          'request refused: its timestamp is more than 5 minutes from now',
        );
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('request timestamp out of range');
        return;
      }
      listener(req, res);
    };
  }
  const app = new App({
    token: opts.token,
    ...(receiver
      ? { receiver }
      : // Socket Mode: events come over the socket; /healthz is still served on the port.
        // The socket client makes its own Web API calls (apps.connections.open): it needs the
        // same base URL as the app's client.
        {
          socketMode: true,
          appToken: opts.appToken,
          customRoutes,
          installerOptions: {
            port: opts.port ?? 3000,
            ...(opts.apiUrl ? { clientOptions: { slackApiUrl: opts.apiUrl } } : {}),
          },
        }),
    ...(opts.botId && opts.botUserId ? { botId: opts.botId, botUserId: opts.botUserId } : {}),
    clientOptions: {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      // Someone waits on every call the bot makes (a modal to open, a private reply): one that
      // Slack does not answer fails after the timeout and they get the apology, instead of the
      // request being held for good. No retries (the client's default retries for about 30
      // minutes): a call whose answer was lost may have taken effect, so a blind resend could
      // post twice, a trigger_id expires after 3 s anyway, and the person can try again at
      // once. For the same reason a 429 fails at once rather than being waited out (which
      // would also pause the client's queue, every person's calls).
      timeout: opts.slackTimeoutMs ?? DEFAULT_BOT_SLACK_TIMEOUT_MS,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      // respond() posts to the response_url with this fetch: bounded too.
      fetch: fetchWithin(RESPONSE_URL_TIMEOUT_MS, 'the response_url'),
    },
    logger,
    extendedErrorHandler: true,
    // No conversation-state middleware: sopbot keeps its state in Postgres, and it costs every request.
    convoStore: false,
    deferInitialization: true,
  });

  // Which requests have been acked, for answerErrors: before any module wraps processEvent.
  trackAcks(app);
  // Every listener's work after its ack waits for one of the bot's slots (after-ack-limit.ts).
  boundAfterAck(app, opts.afterAckSlots ?? AFTER_ACK_CONCURRENCY);

  // With extendedErrorHandler, Bolt calls this with { error, body, context }; its type for that
  // overload is not exported from the package root, hence the local one. Listeners' errors are
  // answered by answerErrors (below); this sees what fails outside them.
  const onError = async ({ error, body, context }: ExtendedErrorArgs): Promise<void> => {
    deps.logger.error({ err: error, retryNum: context.retryNum }, 'unhandled error in a handler');
    await tellUser(app.client, body, error, deps.logger, { logged: true });
  };
  app.error(onError as unknown as Parameters<App['error']>[0]);

  // Listeners keep working after they ack; stop() lets them finish before the pool closes.
  // Counted where requests enter, so an event waiting for its after-ack slot (before any
  // middleware runs) is counted too.
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    inFlight += 1;
    try {
      await processEvent(event);
    } finally {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    }
  };
  const waitForListeners = (timeoutMs: number) =>
    inFlight === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });

  // An error a listener lets through: logged once, and the person told the truth where they
  // acted, within the ack when there is still time (answer-errors.ts).
  app.use(answerErrors(deps));
  // Who is asking, resolved once per request for every listener (see src/core/policy.ts).
  app.use(memberContext(deps));
  // Slash-command text as typed: Slack's &amp; &lt; &gt; read back once, here (command-text.ts).
  app.use(commandTextMiddleware);

  for (const mod of [...HANDLER_MODULES, ...(opts.modules ?? [])]) mod.register(app, deps);

  let server: Server | null = null;
  return {
    app,
    async start() {
      await app.init();
      if (socketMode) {
        await app.start();
        return;
      }
      server = (await app.start(opts.port ?? 3000)) as Server;
    },
    async stop() {
      await app.stop();
      await waitForListeners(opts.drainTimeoutMs ?? 15_000);
      server = null;
    },
    port() {
      const addr = server?.address() as AddressInfo | null | undefined;
      return addr ? addr.port : null;
    },
    inFlight: () => inFlight,
  };
}
