/**
 * People by name, not by id. Slack messages keep `<@U…>` mentions (Slack renders them), but a
 * chart, the pack as a file, or a CSV export cannot: they need the display name.
 *
 * Names come from `users.info` (scope `users:read`), in the order Slack's own clients show
 * them: the profile's display name, else the real name, else the handle. They are cached in
 * memory and in Postgres (`slack_user_names`), so a worker asks Slack about a person at most
 * once a day and a CLI export can use names without calling Slack. When Slack cannot answer,
 * the last known name is used, else the id: a chart is never held up by a lookup, and each
 * failure is logged once, with its stack. A post that goes out once and is never edited (the
 * pack, the review, the S&OE digest: `{ retry: true }`) is held up instead when Slack may
 * answer later (a 429, a timeout, a 5xx) and no name is stored: the error is thrown, and the
 * job is retried (after Retry-After for a 429), rather than post "U07…" for good. Slack's
 * answer for good (user_not_found, missing_scope) still shows the id.
 */
import type { Db } from '../../db/connect.js';
import { storedUserName, storeUserName } from '../../db/queries/user-names.js';
import { slackError } from '../slack/post-ledger.js';

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
   * 429, a timeout, a 5xx) and no name is stored, Slack's error is thrown, for the job to be
   * retried, rather than the id shown. Default false: the id (a person is waiting).
   */
  readonly retry?: boolean;
}

export interface UserNames {
  /** The display name of one user id (the id itself when it cannot be found). */
  name(id: string, opts?: NamesOptions): Promise<string>;
  /** Resolves every id at once; the returned function answers synchronously. */
  names(ids: Iterable<string>, opts?: NamesOptions): Promise<(id: string) => string>;
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
  'team_added_to_org',
]);

/**
 * Whether asking Slack again may get an answer where `err` got none: a 429, no answer (a
 * timeout, the network), an HTTP error (a 5xx), one of Slack's own failures (PASSING), or an
 * error that is not Slack's. Slack's other answers (user_not_found, user_not_visible,
 * missing_scope, invalid_auth…) are the same at every try.
 */
export function mayAnswerLater(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code !== 'slack_webapi_platform_error') return true;
  const error = slackError(err);
  return error === undefined || PASSING.has(error);
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
type Lookup = (id: string) => Promise<Found>;

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

  return (id) => {
    const hit = memory.get(id);
    if (hit && now() - hit.at < ttl) return Promise.resolve({ name: hit.name });
    const pending = inFlight.get(id);
    if (pending) return pending;
    const p = fetchOne(id).finally(() => inFlight.delete(id));
    inFlight.set(id, p);
    return p;
  };
}

/** The names of `lookup`, its failures logged on `logger` (each once, with its stack). */
function namesOf(lookup: Lookup, logger: UserNamesOptions['logger']): UserNames {
  const name = async (id: string, o: NamesOptions = {}): Promise<string> => {
    const found = await lookup(id);
    if (!('err' in found)) return found.name;
    // A post that goes out once waits for Slack rather than show the id for good: the error
    // goes to the job, which retries it and logs it.
    if (o.retry && !found.stored && mayAnswerLater(found.err)) throw found.err;
    // user_not_found, missing_scope (users:read), or a person waiting: logged each time, with
    // what is shown.
    const code = slackError(found.err) ?? String(found.err);
    logger?.warn(
      { err: found.err, user: id },
      `users.info failed (${code}); showing ${found.stored ? 'the last known name' : 'the user id'}`,
    );
    return found.name;
  };
  return {
    name,
    async names(ids, o = {}) {
      const unique = [...new Set(ids)].filter(Boolean);
      const pairs = await Promise.all(unique.map(async (id) => [id, await name(id, o)] as const));
      const map = new Map(pairs);
      return (id: string) => map.get(id) ?? id;
    },
  };
}

export function createUserNames(opts: UserNamesOptions): UserNames {
  return namesOf(lookupOf(opts), opts.logger);
}

/** One cache per Slack client, for the lifetime of the process (a worker, the bot). */
const perClient = new WeakMap<object, Lookup>();

/** The names of `slack`'s cache, a failure logged on `logger` (the caller's: its job, its command). */
export function userNamesFor(
  db: Db,
  slack: UsersInfoClient,
  logger?: UserNamesOptions['logger'],
): UserNames {
  let lookup = perClient.get(slack);
  if (!lookup) {
    lookup = lookupOf({ db, slack });
    perClient.set(slack, lookup);
  }
  return namesOf(lookup, logger);
}
