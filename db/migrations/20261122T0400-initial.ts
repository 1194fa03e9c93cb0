/**
 * The whole S&OP data model. Frozen once landed: later changes go in new migrations.
 * Quantities and money are double precision (pg returns numbers); months are 'YYYY-MM' text.
 */
import { type Kysely, sql } from 'kysely';
import {
  addIndex,
  byMonthOf,
  cascadeRef,
  createMonthTable,
  dropTables,
  makeImmutable,
  nowDefault,
  PERIOD_CHECK,
  periodColumn,
  resultOf,
} from './lib.js';

const ROLES = `('sales','ops','planner','exec','admin')`;
const PHASES = `('data_gathering','demand_review','supply_review','pre_sop','executive','closed')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspace_settings')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('demand_channel', 'text')
    .addColumn('supply_channel', 'text')
    .addColumn('exec_channel', 'text')
    .addColumn('horizon_months', 'integer', (c) =>
      c.notNull().defaultTo(18).check(sql`horizon_months between 1 and 36`),
    )
    .addColumn('frozen_months', 'integer', (c) =>
      c.notNull().defaultTo(2).check(sql`frozen_months >= 0`),
    )
    .addColumn('slushy_months', 'integer', (c) =>
      c.notNull().defaultTo(4).check(sql`slushy_months >= 0`),
    )
    .addColumn('comment_threshold_pct', 'double precision', (c) => c.notNull().defaultTo(20))
    .addColumn('vote_mode', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`vote_mode in ('open','anonymous')`),
    )
    .addColumn('vote_quorum', 'integer')
    .addColumn('phase_days', 'jsonb', (c) =>
      c
        .notNull()
        .defaultTo(
          sql`'{"data_gathering":3,"demand_review":5,"supply_review":4,"pre_sop":3,"executive":2}'::jsonb`,
        ),
    )
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('updated_at', 'timestamptz', nowDefault)
    .execute();

  await db.schema
    .createTable('families')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull().defaultTo('units'))
    .addColumn('price', 'double precision', (c) => c.notNull().check(sql`price >= 0`))
    .addColumn('unit_cost', 'double precision', (c) => c.notNull().check(sql`unit_cost >= 0`))
    .addColumn('holding_cost', 'double precision', (c) => c.notNull().check(sql`holding_cost >= 0`))
    .addColumn('backlog_cost', 'double precision', (c) => c.notNull().check(sql`backlog_cost >= 0`))
    .addColumn('subcontract_cost', 'double precision', (c) => c.check(sql`subcontract_cost >= 0`))
    .addColumn('safety_stock', 'double precision', (c) =>
      c.notNull().defaultTo(0).check(sql`safety_stock >= 0`),
    )
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('updated_at', 'timestamptz', nowDefault)
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('slack_user_id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull().check(sql.raw(`role in ${ROLES}`)))
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('updated_at', 'timestamptz', nowDefault)
    .execute();

  await db.schema
    .createTable('member_families')
    .addColumn('slack_user_id', 'text', (c) =>
      c.notNull().references('members.slack_user_id').onDelete('cascade'),
    )
    .addColumn('family_id', 'integer', cascadeRef('families.id'))
    .addPrimaryKeyConstraint('member_families_pk', ['slack_user_id', 'family_id'])
    .execute();

  await db.schema
    .createTable('resources')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('line','workforce','supplier','storage')`),
    )
    .addColumn('unit', 'text', (c) => c.notNull().defaultTo('hours'))
    .addColumn('regular_capacity', 'double precision', (c) =>
      c.notNull().check(sql`regular_capacity >= 0`),
    )
    .addColumn('overtime_limit', 'double precision', (c) =>
      c.notNull().defaultTo(0).check(sql`overtime_limit >= 0`),
    )
    .addColumn('overtime_cost', 'double precision', (c) =>
      c.notNull().defaultTo(0).check(sql`overtime_cost >= 0`),
    )
    .addColumn('initial_workers', 'double precision')
    .addColumn('hours_per_worker', 'double precision')
    .addColumn('cost_per_worker', 'double precision')
    .addColumn('hire_cost', 'double precision')
    .addColumn('layoff_cost', 'double precision')
    .addColumn('overtime_hours_per_worker', 'double precision')
    .addColumn('min_workers', 'double precision')
    .addColumn('max_workers', 'double precision')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('updated_at', 'timestamptz', nowDefault)
    .addCheckConstraint(
      'resources_workforce_params',
      sql`kind <> 'workforce' or (initial_workers is not null and hours_per_worker is not null and cost_per_worker is not null and hire_cost is not null and layoff_cost is not null)`,
    )
    .execute();

  await db.schema
    .createTable('resource_loads')
    .addColumn('family_id', 'integer', cascadeRef('families.id'))
    .addColumn('resource_id', 'integer', cascadeRef('resources.id'))
    .addColumn('load_per_unit', 'double precision', (c) =>
      c.notNull().check(sql`load_per_unit >= 0`),
    )
    .addPrimaryKeyConstraint('resource_loads_pk', ['family_id', 'resource_id'])
    .execute();
  await addIndex(db, 'resource_loads_resource', 'resource_loads', ['resource_id']);

  await createMonthTable(db, 'sales_history', 'family', (t) =>
    t
      .addColumn('units', 'double precision', (c) => c.notNull())
      .addColumn('revenue', 'double precision'),
  );
  await createMonthTable(db, 'inventory_snapshots', 'family', (t) =>
    t
      .addColumn('on_hand', 'double precision', (c) => c.notNull())
      .addColumn('backlog', 'double precision', (c) => c.notNull().defaultTo(0)),
  );
  await createMonthTable(db, 'budget', 'family', (t) =>
    t
      .addColumn('volume', 'double precision', (c) => c.notNull())
      .addColumn('revenue', 'double precision', (c) => c.notNull()),
  );

  await createMonthTable(db, 'resource_capacities', 'resource', (t) =>
    t
      .addColumn('capacity', 'double precision', (c) => c.notNull().check(sql`capacity >= 0`))
      .addColumn('overtime_limit', 'double precision', (c) => c.check(sql`overtime_limit >= 0`)),
  );

  await db.schema
    .createTable('cycles')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('month', 'text', (c) => c.notNull().unique().check(PERIOD_CHECK('month')))
    .addColumn('phase', 'text', (c) =>
      c
        .notNull()
        .defaultTo('data_gathering')
        .check(sql.raw(`phase in ${PHASES}`)),
    )
    .addColumn('deadlines', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('phase_entered_at', 'timestamptz', nowDefault)
    .addColumn('opened_by', 'text')
    .addColumn('opened_at', 'timestamptz', nowDefault)
    .addColumn('closed_at', 'timestamptz')
    .addColumn('adopted_scenario_id', 'bigint')
    .execute();

  await db.schema
    .createTable('baseline_models')
    .addColumn('cycle_id', 'integer', cascadeRef('cycles.id'))
    .addColumn('family_id', 'integer', cascadeRef('families.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('aicc', 'double precision')
    .addColumn('history_hash', 'text', (c) => c.notNull())
    .addColumn('fitted_at', 'timestamptz', nowDefault)
    .addPrimaryKeyConstraint('baseline_models_pk', ['cycle_id', 'family_id'])
    .execute();

  await db.schema
    .createTable('baseline_forecasts')
    .addColumn('cycle_id', 'integer', cascadeRef('cycles.id'))
    .$call(byMonthOf('family'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('naive', 'double precision')
    .addColumn('lo80', 'double precision')
    .addColumn('hi80', 'double precision')
    .addColumn('lo95', 'double precision')
    .addColumn('hi95', 'double precision')
    .addPrimaryKeyConstraint('baseline_forecasts_pk', ['cycle_id', 'family_id', 'period'])
    .execute();

  await db.schema
    .createTable('forecast_adjustments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('family_id', 'integer', (c) => c.notNull().references('families.id'))
    .addColumn('period', 'text', periodColumn)
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_role', 'text', (c) => c.notNull().check(sql.raw(`author_role in ${ROLES}`)))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('set','delta_units','delta_pct')`),
    )
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('accepted')
        .check(sql`status in ('accepted','flagged','superseded','withdrawn')`),
    )
    .addColumn('zone', 'text', (c) => c.notNull().check(sql`zone in ('frozen','slushy','liquid')`))
    .addColumn('before_value', 'double precision')
    .addColumn('after_value', 'double precision')
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('modal','command','cli','api')`),
    )
    .addColumn('request_key', 'text', (c) => c.notNull())
    .addColumn('slack_team_id', 'text')
    .addColumn('slack_channel_id', 'text')
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addUniqueConstraint('forecast_adjustments_request_period', [
      'request_key',
      'family_id',
      'period',
    ])
    .execute();
  await addIndex(db, 'forecast_adjustments_cycle', 'forecast_adjustments', [
    'cycle_id',
    'family_id',
    'period',
  ]);

  await db.schema
    .createTable('no_change_declarations')
    .addColumn('cycle_id', 'integer', cascadeRef('cycles.id'))
    .addColumn('slack_user_id', 'text', (c) => c.notNull())
    .addColumn('family_id', 'integer', cascadeRef('families.id'))
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addPrimaryKeyConstraint('no_change_declarations_pk', [
      'cycle_id',
      'slack_user_id',
      'family_id',
    ])
    .execute();

  await db.schema
    .createTable('capacity_updates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'integer', (c) => c.references('cycles.id'))
    .addColumn('resource_id', 'integer', (c) => c.notNull().references('resources.id'))
    .addColumn('period', 'text', periodColumn)
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('set','delta_units','delta_pct')`),
    )
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('is_constraint', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open','resolved','withdrawn')`),
    )
    .addColumn('before_value', 'double precision')
    .addColumn('after_value', 'double precision')
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('modal','command','cli','api','import')`),
    )
    .addColumn('request_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('resolved_at', 'timestamptz')
    .addUniqueConstraint('capacity_updates_request_period', [
      'request_key',
      'resource_id',
      'period',
    ])
    .execute();
  await addIndex(db, 'capacity_updates_resource', 'capacity_updates', ['resource_id', 'period']);

  await db.schema
    .createTable('plan_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'integer', (c) => c.references('cycles.id'))
    .addColumn('run_key', 'text', (c) => c.notNull().unique())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('periods', 'jsonb', (c) => c.notNull())
    .addColumn('input_hash', 'text', (c) => c.notNull())
    .addColumn('problem', 'jsonb', (c) => c.notNull())
    .addColumn('consensus', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('capacity_check', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('solver_ms', 'double precision')
    .addColumn('total_ms', 'double precision')
    .addColumn('created_at', 'timestamptz', nowDefault)
    .execute();

  await db.schema
    .createTable('plan_scenarios')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('run_id', 'bigint', (c) => c.notNull().references('plan_runs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('assumptions', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('optimal','infeasible','unbounded','error')`),
    )
    .addColumn('message', 'text')
    .addColumn('total_cost', 'double precision')
    .addColumn('cost_breakdown', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('kpis', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addUniqueConstraint('plan_scenarios_run_name', ['run_id', 'name'])
    .execute();

  await db.schema
    .createTable('plan_family_results')
    .$call(resultOf('family'))
    .addColumn('demand', 'double precision', (c) => c.notNull())
    .addColumn('production', 'double precision', (c) => c.notNull())
    .addColumn('subcontract', 'double precision', (c) => c.notNull())
    .addColumn('inventory', 'double precision', (c) => c.notNull())
    .addColumn('backlog', 'double precision', (c) => c.notNull())
    .addColumn('lost_sales', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('revenue', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('plan_family_results_pk', ['scenario_id', 'family_id', 'period'])
    .execute();

  await db.schema
    .createTable('plan_resource_results')
    .$call(resultOf('resource'))
    .addColumn('load', 'double precision', (c) => c.notNull())
    .addColumn('capacity', 'double precision', (c) => c.notNull())
    .addColumn('overtime', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('utilisation', 'double precision', (c) => c.notNull())
    .addColumn('workers', 'double precision')
    .addColumn('hires', 'double precision')
    .addColumn('layoffs', 'double precision')
    .addPrimaryKeyConstraint('plan_resource_results_pk', ['scenario_id', 'resource_id', 'period'])
    .execute();

  await sql`alter table cycles add constraint cycles_adopted_scenario_fk foreign key (adopted_scenario_id) references plan_scenarios(id)`.execute(
    db,
  );

  await db.schema
    .createTable('polls')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('run_id', 'bigint', (c) => c.notNull().references('plan_runs.id'))
    .addColumn('poll_key', 'text', (c) => c.notNull().unique())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('open','anonymous')`))
    .addColumn('quorum', 'integer')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open','closed')`),
    )
    .addColumn('channel_id', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('closes_at', 'timestamptz')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('close_reason', 'text')
    .execute();

  await db.schema
    .createTable('poll_options')
    .addColumn('poll_id', 'bigint', cascadeRef('polls.id'))
    .addColumn('scenario_id', 'bigint', (c) => c.notNull().references('plan_scenarios.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('poll_options_pk', ['poll_id', 'scenario_id'])
    .execute();

  await db.schema
    .createTable('votes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('poll_id', 'bigint', (c) => c.notNull().references('polls.id'))
    .addColumn('voter', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'bigint', (c) => c.notNull().references('plan_scenarios.id'))
    .addColumn('counted', 'boolean', (c) => c.notNull())
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('superseded_at', 'timestamptz')
    .execute();
  await sql`create unique index votes_one_current on votes (poll_id, voter) where superseded_at is null and counted`.execute(
    db,
  );

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('poll_id', 'bigint', (c) => c.references('polls.id'))
    .addColumn('scenario_id', 'bigint', (c) => c.notNull().references('plan_scenarios.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', nowDefault)
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('actions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('decision_id', 'bigint', (c) => c.references('decisions.id'))
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) =>
      c.notNull().check(sql`due_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open','done','cancelled')`),
    )
    .addColumn('snoozed_until', 'timestamptz')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('done_at', 'timestamptz')
    .addColumn('done_by', 'text')
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .execute();
  await addIndex(db, 'actions_owner_status', 'actions', ['owner', 'status']);

  await db.schema
    .createTable('slack_posts')
    .addColumn('post_key', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('ts', 'text')
    .addColumn('thread_ts', 'text')
    .addColumn('file_id', 'text')
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('updated_at', 'timestamptz', nowDefault)
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', nowDefault)
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await addIndex(db, 'audit_log_entity', 'audit_log', ['entity', 'entity_id']);

  await db.schema
    .createTable('processed_requests')
    .addColumn('request_key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('result', 'jsonb')
    .addColumn('created_at', 'timestamptz', nowDefault)
    .execute();

  // Append-only and immutable tables: refuse UPDATE and DELETE at the database.
  await sql`
    create function sopbot_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % refused', TG_TABLE_NAME, TG_OP using errcode = 'P0001';
    end $$`.execute(db);
  for (const t of [
    'audit_log',
    'plan_runs',
    'plan_scenarios',
    'plan_family_results',
    'plan_resource_results',
  ]) {
    await makeImmutable(db, t);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTables(db, [
    'processed_requests',
    'audit_log',
    'slack_posts',
    'actions',
    'decisions',
    'votes',
    'poll_options',
    'polls',
  ]);
  await sql`alter table cycles drop constraint cycles_adopted_scenario_fk`.execute(db);
  await dropTables(db, [
    'plan_resource_results',
    'plan_family_results',
    'plan_scenarios',
    'plan_runs',
    'capacity_updates',
    'no_change_declarations',
    'forecast_adjustments',
    'baseline_forecasts',
    'baseline_models',
    'cycles',
    'resource_capacities',
    'budget',
    'inventory_snapshots',
    'sales_history',
    'resource_loads',
    'resources',
    'member_families',
    'members',
    'families',
    'workspace_settings',
  ]);
  await sql`drop function sopbot_refuse_change()`.execute(db);
}
