/**
 * The digests that list an action, found by the action: a click on a digest takes the locks of
 * every action the digests listing its own action list (`actionsSharingDigests`), and the
 * table's key starts with the digest, so without this each click read the whole table (a
 * digest a working day per owner, for as long as the company runs sopbot).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('reminder_digest_items_action')
    .on('reminder_digest_items')
    .column('action_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reminder_digest_items_action').execute();
}
