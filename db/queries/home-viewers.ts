/** Who has opened the bot's App Home (`home_viewers`). */
import type { Db } from '../connect.js';

/** Records that `userId` opened their App Home now. */
export async function recordHomeOpened(db: Db, userId: string): Promise<void> {
  await db
    .insertInto('home_viewers')
    .values({ slack_user_id: userId })
    .onConflict((oc) => oc.column('slack_user_id').doUpdateSet({ opened_at: new Date() }))
    .execute();
}

/** Those of `userIds` who have opened their App Home. */
export async function homeViewersAmong(db: Db, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('home_viewers')
    .select('slack_user_id')
    .where('slack_user_id', 'in', [...userIds])
    .execute();
  return rows.map((r) => r.slack_user_id);
}
