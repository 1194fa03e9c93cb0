/** The remembered DM channels of people with the bot (`slack_dm_channels`). */
import type { Db } from '../connect.js';

/** The stored DM channel id of `userId`, or null when none is stored. */
export async function storedDmChannel(db: Db, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('slack_dm_channels')
    .select('channel_id')
    .where('slack_user_id', '=', userId)
    .executeTakeFirst();
  return row?.channel_id ?? null;
}

/** Stores (or replaces) the DM channel id of `userId`. */
export async function storeDmChannel(db: Db, userId: string, channelId: string): Promise<void> {
  await db
    .insertInto('slack_dm_channels')
    .values({ slack_user_id: userId, channel_id: channelId })
    .onConflict((oc) =>
      oc.column('slack_user_id').doUpdateSet({ channel_id: channelId, opened_at: new Date() }),
    )
    .execute();
}

/** Forgets the DM channel of `userId` if it is still `channelId` (Slack no longer knows it). */
export async function forgetDmChannel(db: Db, userId: string, channelId: string): Promise<void> {
  await db
    .deleteFrom('slack_dm_channels')
    .where('slack_user_id', '=', userId)
    .where('channel_id', '=', channelId)
    .execute();
}
