/**
 * A plan run reads the production actuals of the months its bills are still open for, and
 * the weeks that reach into them (productionActuals in db/queries/execution.ts), not every
 * row: an index on the month of the monthly rows and on the week (and kind) of the weekly
 * ones finds them without a scan of the tables; weekly S&OE's read of one week's actuals
 * uses the second too. The rows were indexed by family first only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('production_actuals_period')
    .on('production_actuals')
    .column('period')
    .execute();
  await db.schema
    .createIndex('weekly_actuals_week_kind')
    .on('weekly_actuals')
    .columns(['week', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('weekly_actuals_week_kind').execute();
  await db.schema.dropIndex('production_actuals_period').execute();
}
