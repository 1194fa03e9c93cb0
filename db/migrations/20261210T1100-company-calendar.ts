/**
 * The company's working calendar: the local time of day every deadline falls at
 * (`workspace_settings.deadline_time`, 17:00 unless set with `/sop cycle deadlines at=HH:MM`),
 * its holidays (`company_holidays`: days off that deadline counting skips like weekends), and
 * per cycle the holidays that pushed each phase's deadline back when it opened
 * (`cycles.skipped_holidays`), so its messages name only what was skipped then.
 */
import { type Kysely, sql } from 'kysely';
import { DATE_CHECK, dropColumns, nowDefault } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table workspace_settings
    add column deadline_time text not null default '17:00',
    add constraint workspace_settings_deadline_time check (
      deadline_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
    )`.execute(db);
  await sql`alter table cycles
    add column skipped_holidays jsonb not null default '{}'::jsonb`.execute(db);
  await db.schema
    .createTable('company_holidays')
    .addColumn('day', 'text', (c) => c.primaryKey().check(DATE_CHECK('day')))
    .addColumn('name', 'text', (c) =>
      c.check(sql`name is null or char_length(name) between 1 and 100`),
    )
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', nowDefault)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('company_holidays').execute();
  await dropColumns(db, 'cycles', ['skipped_holidays']);
  await dropColumns(db, 'workspace_settings', ['deadline_time']);
}
