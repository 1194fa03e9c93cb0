/**
 * "Snooze 1 day" is one day of the company's calendar, not 24 hours. New York leaves daylight
 * time on Sunday 2027-11-07 at 02:00 (EDT, UTC−4 → EST, UTC−5), so that Sunday lasts 25 hours.
 * An owner who snoozes Saturday's 09:00 overdue reminder at 09:00:30 EDT (13:00:30 UTC) has it
 * back at 09:00:30 EST on Sunday (14:00:30 UTC), after Sunday's own 09:00 EST reminder (14:00
 * UTC), which the snooze therefore covers: one DM on Sunday. With a fixed 24 h the snooze ended
 * at 08:00:30 EST (13:00:30 UTC) and the 09:00 reminder came an hour later: two identical DMs.
 * Real Postgres; the reminders go through `sendReminder` (the `action-reminder` job's service)
 * to the Slack stand-in.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobQueue } from '../../jobs/contracts.js';
import { sendReminder, snoozeAction } from '../../src/services/actions.js';
import { updateSettings } from '../../src/services/settings.js';
import { actionDm } from '../../src/slack/presenters/actions.js';
import { type Standin, startStandin } from '../../src/slack-standin/index.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();
let standin: Standin;
let slack: WebClient;
let now = new Date('2027-11-06T13:00:00Z');
const queue: JobQueue = { enqueue: async (name) => `${name}-x` };
const deps = () => ({ db: t.db, queue, slack, clock: { now: () => now } });

beforeAll(async () => {
  standin = await startStandin({
    users: [{ id: 'U_OTTO', name: 'otto', real_name: 'Otto Owner', tz: 'America/New_York' }],
  });
  slack = new WebClient('xoxb-test', { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await standin.close();
});

describe('Snooze 1 day across the end of daylight time (America/New_York)', () => {
  it('ends at the same local time the next day, and the owner gets one DM that day', async () => {
    await updateSettings(t.db, { timezone: 'America/New_York' });
    const cycleId = await insertCycle(t.db, { month: '2027-10', phase: 'executive' });
    const { id } = await t.db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        description: 'Hire operators',
        owner: 'U_OTTO',
        due_date: '2027-11-05',
        created_by: 'U_PAT',
        request_key: 'snooze-dst',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const remind = (kind: 'overdue', occurrence: string) =>
      sendReminder(deps(), { actionId: id, kind, occurrence }, actionDm);
    const dms = () => standin.messagesIn('D_U_OTTO').map((m) => m.text);

    // Saturday 09:00 EDT: the first overdue reminder; the owner snoozes it 30 s later.
    expect(await remind('overdue', 'overdue-1')).toBe('sent');
    now = new Date('2027-11-06T13:00:30Z');
    const row = await snoozeAction(deps(), id, 'U_OTTO', '1d');
    const before = dms().length;

    // Sunday's reminders, each run when it comes due: the daily overdue one at 09:00 EST
    // (14:00 UTC) and the snooze's at the snooze's end (read from the outbox, as queued).
    const queued = await t.db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'action-reminder')
      .execute();
    const occurrences = queued.map((j) => (j.payload as { occurrence: string }).occurrence);
    expect(occurrences).toContain('overdue-2');
    const occurrence = occurrences.find((o) => o.startsWith('snooze-'))!;
    const jobs = [
      { at: new Date('2027-11-07T14:00:00Z'), occurrence: 'overdue-2' },
      { at: new Date(occurrence.slice('snooze-'.length)), occurrence },
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    const results: string[] = [];
    for (const job of jobs) {
      now = job.at;
      results.push(`${job.occurrence}: ${await remind('overdue', job.occurrence)}`);
    }
    expect(dms().slice(before)).toEqual([':warning: Overdue: #1 Hire operators (due 2027-11-05)']);
    expect(results).toEqual(['overdue-2: snoozed', 'snooze-2027-11-07T14:00:30.000Z: sent']);
    expect(row.snoozed_until).toEqual(new Date('2027-11-07T14:00:30Z'));
  });
});
