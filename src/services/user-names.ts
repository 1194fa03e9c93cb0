/**
 * People by name, not by id. Slack messages keep `<@U…>` mentions (Slack renders them), but a
 * chart, the pack as a file, or a CSV export cannot: they need the display name.
 *
 * Names come from `users.info` (scope `users:read`), in the order Slack's own clients show
 * them: the profile's display name, else the real name, else the handle. They are cached in
 * memory and in Postgres (`slack_user_names`), so a worker asks Slack about a person at most
 * once a day and a CLI export can use names without calling Slack. When Slack cannot answer,
 * the last known name is used, else the id: a chart is never held up by a lookup.
 */
import type { Db } from '../../db/connect.js';
import { storedUserName, storeUserName } from '../../db/queries/user-names.js';

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

export interface UserNames {
  /** The display name of one user id (the id itself when it cannot be found). */
  name(id: string): Promise<string>;
  /** Resolves every id at once; the returned function answers synchronously. */
  names(ids: Iterable<string>): Promise<(id: string) => string>;
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

export function createUserNames(opts: UserNamesOptions): UserNames {
  const ttl = opts.ttlMs ?? DAY_MS;
  const now = opts.now ?? Date.now;
  const memory = new Map<string, { name: string; at: number }>();
  const inFlight = new Map<string, Promise<string>>();
  const warned = new Set<string>();

  const fetchOne = async (id: string): Promise<string> => {
    const row = await storedUserName(opts.db, id);
    const stored = row ? { name: row.name, at: row.fetchedAt.getTime() } : null;
    if (stored && (now() - stored.at < ttl || !opts.slack)) {
      memory.set(id, stored);
      return stored.name;
    }
    if (!opts.slack) return id;
    try {
      const res = await opts.slack.users.info({ user: id });
      const name = res.user ? displayNameOf(res.user) : null;
      if (!name) return stored?.name ?? id;
      await storeUserName(opts.db, id, name, new Date(now()));
      memory.set(id, { name, at: now() });
      return name;
    } catch (err) {
      // user_not_found, missing_scope (users:read), rate limits: say so once, show what we have.
      const code = String((err as { data?: { error?: string } }).data?.error ?? err);
      if (!warned.has(code)) {
        warned.add(code);
        opts.logger?.warn(
          { err, user: id },
          `users.info failed (${code}); showing ${stored ? 'the last known name' : 'the user id'}`,
        );
      }
      return stored?.name ?? id;
    }
  };

  const name = (id: string): Promise<string> => {
    const hit = memory.get(id);
    if (hit && now() - hit.at < ttl) return Promise.resolve(hit.name);
    const pending = inFlight.get(id);
    if (pending) return pending;
    const p = fetchOne(id).finally(() => inFlight.delete(id));
    inFlight.set(id, p);
    return p;
  };

  return {
    name,
    async names(ids) {
      const unique = [...new Set(ids)].filter(Boolean);
      const pairs = await Promise.all(unique.map(async (id) => [id, await name(id)] as const));
      const map = new Map(pairs);
      return (id: string) => map.get(id) ?? id;
    },
  };
}

/** One cache per Slack client, for the lifetime of the process (a worker, the bot). */
const perClient = new WeakMap<object, UserNames>();

export function userNamesFor(
  db: Db,
  slack: UsersInfoClient,
  logger?: UserNamesOptions['logger'],
): UserNames {
  let names = perClient.get(slack);
  if (!names) {
    names = createUserNames({ db, slack, ...(logger ? { logger } : {}) });
    perClient.set(slack, names);
  }
  return names;
}
