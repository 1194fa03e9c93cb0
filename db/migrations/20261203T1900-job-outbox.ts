/**
 * The job outbox: a job request written in the same transaction as the change that owes it
 * (a recompute after an adjustment, the pack after a phase change), so a request survives
 * Redis being down. A relay hands each row to BullMQ and stamps `delivered_at`.
 */
import { type Kysely, sql } from 'kysely';
import { nowDefault } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    /** Not queued before this instant (a delayed job keeps its time when delivered late). */
    .addColumn('run_at', 'timestamptz', nowDefault)
    .addColumn('debounce_ms', 'integer', (c) => c.check(sql`debounce_ms > 0`))
    .addColumn('created_at', 'timestamptz', nowDefault)
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('job_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  await sql`create index job_outbox_pending on job_outbox (id) where delivered_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_outbox').execute();
}
