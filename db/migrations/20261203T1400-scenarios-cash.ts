/**
 * Decision-grade scenarios (issue #14): the data the stress test and the cash figures need,
 * and the scenarios planners set per cycle.
 * - families: subcontracting limit per month (the shelf life comes with 20261203T1300)
 * - workspace_settings: payment terms (DSO, DPO) and the stress test's sampling
 * - plan_scenarios.stress: the scenario against the demand samples (spreads, cash by month)
 * - cycle_scenarios: a cycle's scenarios as planners set them (`/sop scenario set`)
 * - decisions.trade_off: the trade-off the adopted scenario accepts, kept with the snapshot
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns, nowDefault } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('families')
    .addColumn('subcontract_limit', 'double precision', (c) => c.check(sql`subcontract_limit >= 0`))
    .execute();
  await db.schema
    .alterTable('workspace_settings')
    .addColumn('dso_days', 'double precision', (c) =>
      c.notNull().defaultTo(45).check(sql`dso_days between 0 and 365`),
    )
    .addColumn('dpo_days', 'double precision', (c) =>
      c.notNull().defaultTo(30).check(sql`dpo_days between 0 and 365`),
    )
    .addColumn('stress_samples', 'integer', (c) =>
      c.notNull().defaultTo(500).check(sql`stress_samples between 1 and 5000`),
    )
    .addColumn('stress_seed', 'integer', (c) =>
      c.notNull().defaultTo(1).check(sql`stress_seed >= 0`),
    )
    .execute();
  await db.schema.alterTable('plan_scenarios').addColumn('stress', 'jsonb').execute();
  await db.schema.alterTable('decisions').addColumn('trade_off', 'text').execute();
  await db.schema
    .createTable('cycle_scenarios')
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('assumptions', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', nowDefault)
    .addPrimaryKeyConstraint('cycle_scenarios_pk', ['cycle_id', 'name'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cycle_scenarios').execute();
  await dropColumns(db, 'decisions', ['trade_off']);
  await dropColumns(db, 'plan_scenarios', ['stress']);
  await dropColumns(db, 'workspace_settings', [
    'dso_days',
    'dpo_days',
    'stress_samples',
    'stress_seed',
  ]);
  await dropColumns(db, 'families', ['subcontract_limit']);
}
