/** The cache of Slack display names (`slack_user_names`). */
import type { Db } from '../connect.js';

/** The stored display name of a user and when Slack gave it, or null when none is stored. */
export async function storedUserName(
  db: Db,
  userId: string,
): Promise<{ name: string; fetchedAt: Date } | null> {
  const row = await db
    .selectFrom('slack_user_names')
    .select(['display_name', 'fetched_at'])
    .where('slack_user_id', '=', userId)
    .executeTakeFirst();
  return row ? { name: row.display_name, fetchedAt: row.fetched_at } : null;
}

/** Stores (or replaces) the user's display name as fetched at `fetchedAt`. */
export async function storeUserName(
  db: Db,
  userId: string,
  name: string,
  fetchedAt: Date,
): Promise<void> {
  await db
    .insertInto('slack_user_names')
    .values({ slack_user_id: userId, display_name: name, fetched_at: fetchedAt })
    .onConflict((oc) =>
      oc.column('slack_user_id').doUpdateSet({ display_name: name, fetched_at: fetchedAt }),
    )
    .execute();
}

/** The stored display names of `ids` (those with one). */
export async function storedUserNames(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('slack_user_names')
    .select(['slack_user_id', 'display_name'])
    .where('slack_user_id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.slack_user_id, r.display_name]));
}
