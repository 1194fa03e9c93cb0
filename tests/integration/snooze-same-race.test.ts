/**
 * Whether a snooze is the same one sent again (Slack's retry, a double click) is decided once,
 * in src/services/actions.ts `snoozeAction`, on the action's row locked. Before, an UPDATE's
 * predicate decided it and, when that matched nothing, a second read decided again why: a Done
 * committed between the two turned a repeated snooze, which had changed nothing, into "This
 * action is already done; there is nothing to snooze." Real Postgres; the window between two
 * statements is held open by a statement trigger waiting on an advisory lock the test holds.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../../jobs/contracts.js';
import { snoozeAction } from '../../src/services/actions.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { pollUntil } from './meeting-fixture.js';

const t = useDb();
const queue: JobQueue = { enqueue: async (name) => `${name}-x` };
// Thursday 2027-03-18 10:00Z; a day's snooze ends Friday 2027-03-19 10:00Z (UTC, a working day).
const deps = () => ({ db: t.db, queue, clock: { now: () => new Date('2027-03-18T10:00:00Z') } });
const PAUSE = 4242;

describe('the same snooze sent again while a Done commits', () => {
  it('is the snooze already made, not a refusal', async () => {
    const cycleId = await insertCycle(t.db, { month: '2027-03', phase: 'executive' });
    const { id } = await t.db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        description: 'Hire operators',
        owner: 'U_OTTO',
        due_date: '2027-03-25',
        created_by: 'U_PAT',
        request_key: 'snooze-same-race',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const first = await snoozeAction(deps(), id, 'U_OTTO', '1d');
    expect(first.action.snoozed_until).toEqual(new Date('2027-03-19T10:00:00Z'));

    // Each UPDATE of actions waits, once its statement is done, while the test holds PAUSE.
    await sql`create function pause_actions() returns trigger language plpgsql as $$
      begin
        perform pg_advisory_lock(${sql.lit(PAUSE)});
        perform pg_advisory_unlock(${sql.lit(PAUSE)});
        return null;
      end $$`.execute(t.db);
    await sql`create trigger pause_actions after update on actions
      for each statement execute function pause_actions()`.execute(t.db);

    const outcome = await t.db.connection().execute(async (c) => {
      await sql`select pg_advisory_lock(${PAUSE})`.execute(c);
      let settled = false;
      const second = snoozeAction(deps(), id, 'U_OTTO', '1d').then(
        (r) => ({ ok: r }),
        (err: unknown) => ({ err }),
      );
      void second.then(() => {
        settled = true;
      });
      // The second snooze finished, or is held between its statements.
      await pollUntil(
        async () =>
          settled ||
          Number(
            (
              await sql<{ n: string }>`select count(*) as n from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'
                and wait_event = 'advisory'`.execute(c)
            ).rows[0]?.n,
          ) > 0,
        (v) => v,
      );
      // The owner marks it done elsewhere (its App Home) meanwhile.
      await c
        .updateTable('actions')
        .set({ status: 'done', done_at: new Date('2027-03-18T10:00:01Z'), done_by: 'U_OTTO' })
        .where('id', '=', id)
        .execute();
      await sql`select pg_advisory_unlock(${PAUSE})`.execute(c);
      return second;
    });

    // Before: { err: "This action is already done; there is nothing to snooze." }.
    expect('err' in outcome ? String(outcome.err) : null).toBeNull();
    if ('ok' in outcome) {
      expect(outcome.ok.end.at).toEqual(new Date('2027-03-19T10:00:00Z'));
      expect(outcome.ok.action.snoozed_until).toEqual(new Date('2027-03-19T10:00:00Z'));
    }
    // One reminder, the first snooze's: the second changed nothing.
    const reminders = await t.db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'action-reminder')
      .execute();
    expect(reminders.map((r) => r.payload)).toEqual([
      { actionId: id, kind: 'due', occurrence: 'snooze-2027-03-19T10:00:00.000Z' },
    ]);
  });
});
