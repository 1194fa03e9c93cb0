/** `reminder_digest_items`: which actions a morning's reminder digest (a ledger key) listed. */
import type { Db } from '../connect.js';

export interface DigestItem {
  readonly actionId: string;
  readonly daysLeft: number;
}

/** Records (or replaces) what the digest under `key` lists, in order. */
export async function setDigestItems(
  db: Db,
  key: string,
  items: readonly DigestItem[],
): Promise<void> {
  await db.deleteFrom('reminder_digest_items').where('digest_key', '=', key).execute();
  if (items.length === 0) return;
  await db
    .insertInto('reminder_digest_items')
    .values(
      items.map((it, position) => ({
        digest_key: key,
        action_id: it.actionId,
        position,
        days_left: it.daysLeft,
      })),
    )
    .execute();
}

/** What the digest under `key` lists, in order (empty when none was recorded). */
export async function digestItems(db: Db, key: string): Promise<DigestItem[]> {
  const rows = await db
    .selectFrom('reminder_digest_items')
    .select(['action_id', 'days_left'])
    .where('digest_key', '=', key)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ actionId: r.action_id, daysLeft: r.days_left }));
}

/**
 * Every action listed by a digest that lists `actionId`, with `actionId` itself, in id order:
 * the actions a redraw of those digests draws (each from its row as it stands).
 */
export async function actionsSharingDigests(db: Db, actionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('reminder_digest_items')
    .select('action_id')
    .distinct()
    .where(
      'digest_key',
      'in',
      db.selectFrom('reminder_digest_items').select('digest_key').where('action_id', '=', actionId),
    )
    .execute();
  return [...new Set([actionId, ...rows.map((r) => r.action_id)])].sort();
}
