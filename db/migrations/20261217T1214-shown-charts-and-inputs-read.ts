/**
 * What a posted chart showed, kept with its picture's claim: `chart_fingerprints.shown` holds
 * the chart's title, summary and spec cut down to what it draws (`shownForm`), written when the
 * picture is claimed, so a later run's chart is compared with what was posted rather than with
 * the earlier run's chart built again from today's sales and baselines. Rows from before stay
 * null (their chart is posted again when it changed at all, by fingerprint).
 *
 * Two indexes for the lookup of a thread's latest picture of a chart (`latestChartShown`): the
 * ledger's posts of a thread, and a picture's claim by the key that posted it. Before, each
 * lookup read every post ever made.
 *
 * When a plan run read its inputs (`plan_runs.inputs_read_at`): a run is stored after it is
 * solved, and a change entered while it was solving is not in it but is older than the run's
 * `created_at`. Who changed what between two runs is read between their read times. Runs from
 * before stay null (their `created_at` stands in).
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('chart_fingerprints').addColumn('shown', 'jsonb').execute();
  await sql`create index slack_posts_thread on slack_posts (channel_id, thread_ts, ts)`.execute(db);
  await sql`create index chart_fingerprints_post_key on chart_fingerprints (post_key)`.execute(db);
  await db.schema.alterTable('plan_runs').addColumn('inputs_read_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'plan_runs', ['inputs_read_at']);
  await sql`drop index chart_fingerprints_post_key`.execute(db);
  await sql`drop index slack_posts_thread`.execute(db);
  await dropColumns(db, 'chart_fingerprints', ['shown']);
}
