/**
 * The month of the inventory count a plan run opened on (the latest before its first month),
 * so its post and `/sop status` can say when that count is older than last month's.
 */
import type { Kysely } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plan_runs').addColumn('opening_stock_month', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'plan_runs', ['opening_stock_month']);
}
