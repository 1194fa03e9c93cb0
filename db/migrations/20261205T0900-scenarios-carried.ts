/**
 * A cycle's scenarios carry over: when a cycle starts and the previous one had scenarios of
 * its own, they are copied into it (src/services/scenario-carry.ts) with
 * `carried_from_cycle_id` naming the cycle they came from, and `updated_by` the planner who
 * set them. A planner's change rewrites the list without it.
 */
import type { Kysely } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('cycle_scenarios')
    .addColumn('carried_from_cycle_id', 'integer', (c) => c.references('cycles.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'cycle_scenarios', ['carried_from_cycle_id']);
}
