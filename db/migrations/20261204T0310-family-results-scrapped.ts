/**
 * What a plan scraps: the units of a family with a shelf life that expire in the month. The
 * supply identity `/sop explain` shows (demand = made + subcontracted + from stock + backlogged
 * + lost) needs it: stock that expired left the shelf without serving demand.
 */
import type { Kysely } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('plan_family_results')
    .addColumn('scrapped', 'float8', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'plan_family_results', ['scrapped']);
}
