/**
 * What a decision disposed of each break of the frozen plan that weekly S&OE escalated to its
 * meeting: an exception granted, the plan held, or the break deferred to the next meeting.
 * One row per decision and break; a decision that supersedes another records its own set.
 */
import { type Kysely, sql } from 'kysely';
import { nowDefault } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('break_dispositions')
    .addColumn('decision_id', 'bigint', (c) => c.notNull().references('decisions.id'))
    .addColumn('deviation_id', 'bigint', (c) => c.notNull().references('deviations.id'))
    .addColumn('disposition', 'text', (c) =>
      c.notNull().check(sql`disposition in ('exception', 'hold', 'defer')`),
    )
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addPrimaryKeyConstraint('break_dispositions_pkey', ['decision_id', 'deviation_id'])
    .execute();
  await db.schema
    .createIndex('break_dispositions_deviation')
    .on('break_dispositions')
    .column('deviation_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('break_dispositions').execute();
}
