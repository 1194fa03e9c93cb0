/**
 * A click on a digest finds the digests that list its action by the action
 * (`actionsSharingDigests`); the table's key starts with the digest, so that lookup needs an
 * index of its own (migration 20261214T0820). With sequential scans priced out, PostgreSQL's
 * plan for the lookup reads that index; without it, the plan still scans the table. Real
 * Postgres, migrated as production is.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useDb } from '../helpers/db.js';

const t = useDb();

describe('reminder_digest_items by action', () => {
  it("the digests listing an action are found through the action's index", async () => {
    const plan = await t.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`
        explain select digest_key from reminder_digest_items where action_id = 7`.execute(trx);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('reminder_digest_items_action');
  });
});
