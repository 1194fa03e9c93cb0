/**
 * People by name, not by id. Slack messages keep `<@U…>` mentions (Slack renders them), but a
 * chart, the pack as a file, or a CSV export cannot: they need the display name.
 *
 * Names come from `users.info` (scope `users:read`), in the order Slack's own clients show
 * them: the profile's display name, else the real name, else the handle. They are cached in
 * memory and in Postgres (`slack_user_names`), so a worker asks Slack about a person at most
 * once a day and a CLI export can use names without calling Slack. When Slack cannot answer,
 * the last known name is used, else the id: a person waiting (a command) is never held up by a
 * lookup, and each failure is logged once, with its stack. A post that goes out once and is
 * never edited (the pack, the review, the S&OE digest, the decision log, a reported deviation's
 * post, a run's charts: `{ retry: true }`) is held up instead when Slack may answer later
 * (mayAnswerLater: a 429, a timeout or a lost connection, a 5xx, Slack's own failure) and no
 * name is stored: one error is thrown, the others logged, and the job is retried (after
 * Retry-After for a 429) rather than post "U07…" for good. On the job's last attempt (`lastAttempt`) only
 * a 429 is thrown (waiting it out uses no attempt): any other failure shows the id, logged,
 * so the post still goes out. Slack's answer for good (user_not_found, missing_scope), an
 * error that is not Slack's (a bug) and a 4xx show the id at once.
 */
import type { Db } from '../../db/connect.js';
import { storedUserName, storeUserName } from '../../db/queries/user-names.js';
import { retryAfterOf, slackError } from '../slack/post-ledger.js';

/** The part of WebClient used here; the stand-in and tests provide the same. */
export interface UsersInfoClient {
  readonly users: {
    info(args: { user: string }): Promise<{
      ok?: boolean;
      user?: {
        name?: string;
        real_name?: string;
        profile?: { display_name?: string; real_name?: string };
      };
    }>;
  };
}

export interface NamesOptions {
  /**
   * For a post that goes out once (a job's): when Slack may answer later (mayAnswerLater: a
   * 429, a timeout or a lost connection, a 5xx) and no name is stored, Slack's error is
   * thrown, for the job to be retried, rather than the id shown. Default false: the id (a
   * person is waiting).
   */
  readonly retry?: boolean;
  /**
   * With `retry`: the job's last attempt (lastAttempt in jobs/processor-types.ts). Only a 429
   * is still thrown, since the job waits it out without using an attempt; any other failure
   * shows the last known name or the id, logged, rather than fail the job and lose the post.
   */
  readonly lastAttempt?: boolean;
}

export interface UserNames {
  /** The display name of one user id (the id itself when it cannot be found). */
  name(id: string, opts?: NamesOptions): Promise<string>;
  /** Resolves every id at once; the returned function answers synchronously. */
  names(ids: Iterable<string>, opts?: NamesOptions): Promise<(id: string) => string>;
  /**
   * The names known without asking Slack (this process's memory, else `slack_user_names`, of
   * any age), each other id as itself: for a form's error, answered before Slack's 3 s ack
   * deadline. The ids not known are looked up in the background (a failure logged once, with
   * its stack), so the next answer names them.
   */
  known(ids: Iterable<string>): Promise<(id: string) => string>;
}

export interface UserNamesOptions {
  readonly db: Db;
  /** No client: names come from the database only (a CLI without a token). */
  readonly slack?: UsersInfoClient | null;
  /** How long a name is trusted before Slack is asked again (default one day). */
  readonly ttlMs?: number;
  readonly now?: () => number;
  readonly logger?: { warn(obj: object, msg: string): void };
}

const DAY_MS = 86_400_000;

/**
 * Slack's answers to a call that may pass when asked again: `ratelimited`, and its own
 * failures (https://api.slack.com/methods/users.info#errors).
 */
const PASSING: ReadonlySet<string> = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * Node's and undici's codes for a request that got no answer in time, or lost its connection on
 * the way: a reset ("socket hang up", undici's "other side closed"), a connection refused or cut
 * off, a network or host out of reach, a DNS lookup that failed for now (EAI_AGAIN). Asked
 * again, Slack may answer. A request refused for good on our side (a blocked port, an invalid
 * URL or header, a certificate that does not verify, a name that does not resolve) is not here.
 */
const NO_ANSWER: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/**
 * Whether a request error's original (or what it wraps: fetch's `cause`, an AggregateError's
 * `errors` when each address was tried) timed out (the client's `timeout`) or lost its
 * connection (NO_ANSWER).
 */
function noAnswer(original: unknown, depth = 0): boolean {
  if (!original || typeof original !== 'object' || depth > 4) return false;
  const { name, code, cause, errors } = original as {
    name?: unknown;
    code?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (name === 'TimeoutError' || (typeof code === 'string' && NO_ANSWER.has(code))) return true;
  if (Array.isArray(errors) && errors.some((e) => noAnswer(e, depth + 1))) return true;
  return noAnswer(cause, depth + 1);
}

/**
 * Whether asking Slack again may get an answer where `err` got none: a 429 (or `ratelimited`),
 * a request that timed out or lost its connection (a reset, a connection refused: NO_ANSWER),
 * an HTTP 5xx, or one of Slack's own failures (PASSING). Anything else is the same at every
 * try: Slack's other answers (user_not_found, missing_scope, invalid_auth…), a 4xx (a
 * proxy's), a request our side refuses to make (a blocked port, a certificate that does not
 * verify), and an error that is not Slack's at all (a bug, which no retry fixes).
 */
export function mayAnswerLater(err: unknown): boolean {
  const e = err as { code?: unknown; statusCode?: unknown; original?: unknown } | null;
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return true;
    case 'slack_webapi_platform_error':
      return PASSING.has(slackError(err) ?? '');
    case 'slack_webapi_http_error':
      return typeof e.statusCode === 'number' && e.statusCode >= 500 && e.statusCode < 600;
    case 'slack_webapi_request_error':
      return noAnswer(e.original);
    default:
      return false;
  }
}

/** What a lookup found: a name, or the error and what is shown for want of one. */
type Found =
  | { readonly name: string }
  | { readonly name: string; readonly err: unknown; readonly stored: boolean };

/** Slack's order: display name, real name, handle. */
export function displayNameOf(user: {
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}): string | null {
  const pick = [user.profile?.display_name, user.profile?.real_name, user.real_name, user.name]
    .map((s) => s?.trim())
    .find((s) => s);
  return pick ?? null;
}

/** Ids to names with the caches of one process (memory, Postgres); Slack asked once at a time. */
interface Lookup {
  (id: string): Promise<Found>;
  /** The name known without asking Slack (memory, else Postgres, of any age), or null. */
  readonly known: (id: string) => Promise<string | null>;
  /** Keeps the name of a users.info answer asked for another reason (slackPerson's). */
  readonly learn: (id: string, user: Parameters<typeof displayNameOf>[0]) => Promise<void>;
}

function lookupOf(opts: Omit<UserNamesOptions, 'logger'>): Lookup {
  const ttl = opts.ttlMs ?? DAY_MS;
  const now = opts.now ?? Date.now;
  const memory = new Map<string, { name: string; at: number }>();
  const inFlight = new Map<string, Promise<Found>>();

  const fetchOne = async (id: string): Promise<Found> => {
    const row = await storedUserName(opts.db, id);
    const stored = row ? { name: row.name, at: row.fetchedAt.getTime() } : null;
    if (stored && (now() - stored.at < ttl || !opts.slack)) {
      memory.set(id, stored);
      return { name: stored.name };
    }
    if (!opts.slack) return { name: id };
    let res: Awaited<ReturnType<UsersInfoClient['users']['info']>>;
    try {
      res = await opts.slack.users.info({ user: id });
    } catch (err) {
      return { name: stored?.name ?? id, err, stored: stored !== null };
    }
    const name = res.user ? displayNameOf(res.user) : null;
    if (!name) return { name: stored?.name ?? id };
    await storeUserName(opts.db, id, name, new Date(now()));
    memory.set(id, { name, at: now() });
    return { name };
  };

  const lookup = (id: string): Promise<Found> => {
    const hit = memory.get(id);
    if (hit && now() - hit.at < ttl) return Promise.resolve({ name: hit.name });
    const pending = inFlight.get(id);
    if (pending) return pending;
    const p = fetchOne(id).finally(() => inFlight.delete(id));
    inFlight.set(id, p);
    return p;
  };
  const known = async (id: string): Promise<string | null> =>
    memory.get(id)?.name ?? (await storedUserName(opts.db, id))?.name ?? null;
  const learn = async (id: string, user: Parameters<typeof displayNameOf>[0]) => {
    const name = displayNameOf(user);
    if (!name) return;
    await storeUserName(opts.db, id, name, new Date(now()));
    memory.set(id, { name, at: now() });
  };
  return Object.assign(lookup, { known, learn });
}

/** The names of `lookup`, its failures logged on `logger` (each once, with its stack). */
function namesOf(lookup: Lookup, logger: UserNamesOptions['logger']): UserNames {
  /** The name shown, or the error to throw for the job to be retried (not logged here). */
  const resolve = async (
    id: string,
    o: NamesOptions,
  ): Promise<{ name: string } | { err: unknown }> => {
    const found = await lookup(id);
    if (!('err' in found)) return { name: found.name };
    // A post that goes out once waits for Slack rather than show the id for good, until the
    // job's last attempt (but for a 429, whose wait uses no attempt).
    const retried =
      o.retry &&
      !found.stored &&
      mayAnswerLater(found.err) &&
      (!o.lastAttempt || retryAfterOf(found.err) !== null);
    if (retried) return { err: found.err };
    // user_not_found, missing_scope (users:read), a bug, the job's last attempt, or a person
    // waiting: logged each time, with what is shown.
    logger?.warn(
      { err: found.err, user: id },
      `users.info failed (${codeOf(found.err)}); showing ${found.stored ? 'the last known name' : 'the user id'}`,
    );
    return { name: found.name };
  };
  /**
   * Every name of `ids`, or one error thrown for the job (a 429 first: the job waits it out
   * without using an attempt), the job logs it; each other failure is logged here, with its
   * stack, so none goes unsaid.
   */
  const names = async (ids: Iterable<string>, o: NamesOptions = {}) => {
    const unique = [...new Set(ids)].filter(Boolean);
    const found = await Promise.all(unique.map(async (id) => [id, await resolve(id, o)] as const));
    const failed = found.flatMap(([id, f]) => ('err' in f ? [{ id, err: f.err }] : []));
    const thrown = failed.find((f) => retryAfterOf(f.err) !== null) ?? failed[0];
    if (thrown) {
      for (const f of failed) {
        if (f === thrown) continue;
        logger?.warn(
          { err: f.err, user: f.id },
          `users.info failed (${codeOf(f.err)}); the post waits for this name too`,
        );
      }
      throw thrown.err;
    }
    const map = new Map(found.map(([id, f]) => [id, 'name' in f ? f.name : id]));
    return (id: string) => map.get(id) ?? id;
  };
  const known = async (ids: Iterable<string>) => {
    const unique = [...new Set(ids)].filter(Boolean);
    const found = new Map<string, string>();
    for (const id of unique) {
      const name = await lookup.known(id);
      if (name !== null) found.set(id, name);
    }
    const missing = unique.filter((id) => !found.has(id));
    // Not awaited: whoever waits is answered now. names() logs Slack's failures itself; what
    // is left to log is the database's.
    if (missing.length > 0)
      names(missing).catch((err: unknown) =>
        logger?.warn({ err, users: missing }, 'names could not be looked up for later'),
      );
    return (id: string) => found.get(id) ?? id;
  };
  return {
    async name(id, o = {}) {
      return (await names([id], o))(id);
    },
    names,
    known,
  };
}

/**
 * Slack's error code, an HTTP status ("HTTP 503"), the network's code of a request that lost
 * its connection ("ECONNRESET"), else the error's own words (a timeout).
 */
function codeOf(err: unknown): string {
  const status = (err as { code?: unknown; statusCode?: unknown; original?: unknown } | null) ?? {};
  if (status.code === 'slack_webapi_http_error' && typeof status.statusCode === 'number')
    return `HTTP ${status.statusCode}`;
  if (status.code === 'slack_webapi_request_error')
    for (let e = status.original, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
      const { code, cause } = e as { code?: unknown; cause?: unknown };
      if (typeof code === 'string') return code;
      e = cause;
    }
  return slackError(err) ?? String(err);
}

export function createUserNames(opts: UserNamesOptions): UserNames {
  return namesOf(lookupOf(opts), opts.logger);
}

/** One cache per Slack client, for the lifetime of the process (a worker, the bot). */
const perClient = new WeakMap<object, Lookup>();

function lookupFor(db: Db, slack: UsersInfoClient): Lookup {
  let lookup = perClient.get(slack);
  if (!lookup) {
    lookup = lookupOf({ db, slack });
    perClient.set(slack, lookup);
  }
  return lookup;
}

/** The names of `slack`'s cache, a failure logged on `logger` (the caller's: its job, its command). */
export function userNamesFor(
  db: Db,
  slack: UsersInfoClient,
  logger?: UserNamesOptions['logger'],
): UserNames {
  return namesOf(lookupFor(db, slack), logger);
}

/**
 * Keeps `user`'s name from a users.info answer asked for another reason (whether they can own
 * an action), in `slack`'s cache and in Postgres: a refusal naming them before a form's ack
 * (fieldErrorText, which does not wait for Slack) then says their name, not their id.
 */
export async function learnUserName(
  db: Db,
  slack: UsersInfoClient,
  id: string,
  user: Parameters<typeof displayNameOf>[0],
): Promise<void> {
  await lookupFor(db, slack).learn(id, user);
}
