/**
 * A snooze and its reminder are one change (src/services/actions.ts `snoozeAction`): when
 * Postgres refuses the reminder's outbox row, the snooze is not kept either, so an action is
 * never snoozed without the reminder that ends the snooze.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../../jobs/contracts.js';
import { snoozeAction } from '../../src/services/actions.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();
const queue: JobQueue = { enqueue: async (name) => `${name}-x` };
const deps = () => ({ db: t.db, queue, clock: { now: () => new Date('2027-03-18T10:00:00Z') } }); // a Thursday

describe('snoozing an action', () => {
  it('keeps the snooze and its reminder together, or neither', async () => {
    const cycleId = await insertCycle(t.db, { month: '2027-03', phase: 'executive' });
    const action = await t.db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        description: 'Hire operators',
        owner: 'U_OTTO',
        due_date: '2027-03-25',
        created_by: 'U_PAT',
        request_key: 'snooze-atomic',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Postgres refuses the reminder's row (a fault in the outbox write).
    await sql`create function refuse_reminder() returns trigger language plpgsql as $$
      begin
        if new.job_name = 'action-reminder' then raise exception 'outbox refused'; end if;
        return new;
      end $$`.execute(t.db);
    await sql`create trigger refuse_reminder before insert on job_outbox
      for each row execute function refuse_reminder()`.execute(t.db);
    await expect(snoozeAction(deps(), action.id, 'U_OTTO', '1d')).rejects.toThrow(/outbox refused/);
    const after = await t.db
      .selectFrom('actions')
      .select('snoozed_until')
      .where('id', '=', action.id)
      .executeTakeFirstOrThrow();
    // Before: the snooze was committed first, so the action stayed snoozed with no reminder.
    expect(after.snoozed_until).toBeNull();

    // With the outbox working, both are kept: the snooze and one reminder at its end.
    await sql`drop trigger refuse_reminder on job_outbox`.execute(t.db);
    const { action: row } = await snoozeAction(deps(), action.id, 'U_OTTO', '1d');
    expect(row.snoozed_until).toEqual(new Date('2027-03-19T10:00:00Z'));
    const jobs = await t.db
      .selectFrom('job_outbox')
      .select(['job_name', 'payload'])
      .where('job_name', '=', 'action-reminder')
      .execute();
    expect(jobs.map((j) => j.payload)).toEqual([
      { actionId: action.id, kind: 'due', occurrence: 'snooze-2027-03-19T10:00:00.000Z' },
    ]);
  });
});
