/**
 * What each morning's reminder digest held: the follow-up actions one DM (ledger key
 * `reminder-digest:<owner>:<day>` in slack_posts) listed, in order, with how each stood
 * (days left to its due date, negative when overdue). An action's own reminder job of that
 * morning finds itself here and sends nothing; one that is not here (created after the
 * digest went out) is reminded on its own. A click on an item redraws the digest from it.
 */
import type { Kysely } from 'kysely';
import { cascadeRef } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reminder_digest_items')
    .addColumn('digest_key', 'text', (c) => c.notNull())
    .addColumn('action_id', 'bigint', cascadeRef('actions.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('days_left', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('reminder_digest_items_pkey', ['digest_key', 'action_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reminder_digest_items').execute();
}
