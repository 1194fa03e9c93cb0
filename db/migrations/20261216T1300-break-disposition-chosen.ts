/**
 * Whether someone chose a break's disposition in the decision form (`chosen`), or the decision
 * chose nothing for it: typed with `/sop decide` without the form, or the break did not fit in
 * the form. A break nobody chose for is recorded as `defer` (it comes back to the next meeting
 * all the same) with `chosen` false, so it is shown as not decided rather than deferred. Rows
 * recorded before keep what they said: chosen.
 */
import { type Kysely, sql } from 'kysely';
import { dropColumns } from './lib.js';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table break_dispositions
    add column chosen boolean not null default true,
    add constraint break_dispositions_chosen check (chosen or disposition = 'defer')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropColumns(db, 'break_dispositions', ['chosen']);
}
