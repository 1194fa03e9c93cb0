/**
 * "Snooze 1 week" is seven days of the company's calendar, not 168 hours. New York leaves
 * daylight time on Sunday 2027-11-07 at 02:00 (EDT, UTC−4 → EST, UTC−5), so that week lasts
 * 169 hours. OTTO's action is due Tuesday 2027-11-09; he snoozes it a week on Tuesday the 2nd
 * at 09:00:30 EDT (13:00:30 UTC) and has it back at 09:00:30 EST on the 9th (14:00:30 UTC),
 * after that day's own 09:00 EST reminder (14:00 UTC), which the snooze therefore covers, as it
 * covers Monday's "before" one (Sunday the 7th is no working day: Monday the 8th, 09:00 EST):
 * one DM that week. With a fixed 168 h the snooze ended at 08:00:30 EST (13:00:30 UTC) and the
 * 09:00 reminder came an hour later: two DMs the same morning. Real Postgres; the reminders go
 * through `sendReminder` (the `action-reminder` job's service) to the Slack stand-in.
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

describe('Snooze 1 week across the end of daylight time (America/New_York)', () => {
  it('ends at the same local time a week later, and the owner gets one DM that week', async () => {
    now = new Date('2027-11-02T13:00:30Z'); // Tue 09:00:30 EDT
    await updateSettings(t.db, { timezone: 'America/New_York' });
    const cycleId = await insertCycle(t.db, { month: '2027-10', phase: 'executive' });
    const { id } = await t.db
      .insertInto('actions')
      .values({
        cycle_id: cycleId,
        description: 'Hire operators',
        owner: 'U_OTTO',
        due_date: '2027-11-09',
        created_by: 'U_PAT',
        request_key: 'snooze-dst',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const remind = (kind: 'before' | 'due', occurrence: string) =>
      sendReminder(deps(), { actionId: id, kind, occurrence }, actionDm);
    const dms = () => standin.messagesIn('D_U_OTTO').map((m) => m.text);

    const { action: row } = await snoozeAction(deps(), id, 'U_OTTO', '1w');
    expect(row.snoozed_until).toEqual(new Date('2027-11-09T14:00:30Z'));

    // The week's reminders, each run when it comes due: "before" on Monday the 8th at 09:00
    // EST (14:00 UTC), "due" on the 9th at 09:00 EST (14:00 UTC), and the snooze's at the
    // snooze's end (read from the outbox, as queued).
    const queued = await t.db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'action-reminder')
      .execute();
    const occurrence = queued
      .map((j) => (j.payload as { occurrence: string }).occurrence)
      .find((o) => o.startsWith('snooze-'))!;
    expect(occurrence).toBe('snooze-2027-11-09T14:00:30.000Z');
    const jobs = [
      { at: '2027-11-08T14:00:00Z', kind: 'before' as const, occurrence: '2027-11-07' },
      { at: '2027-11-09T14:00:00Z', kind: 'due' as const, occurrence: '2027-11-09' },
      { at: '2027-11-09T14:00:30Z', kind: 'due' as const, occurrence },
    ];
    const results: string[] = [];
    for (const job of jobs) {
      now = new Date(job.at);
      results.push(`${job.occurrence}: ${await remind(job.kind, job.occurrence)}`);
    }
    expect(dms()).toEqual([':alarm_clock: Due today: #1 Hire operators (due 2027-11-09)']);
    expect(results).toEqual([
      '2027-11-07: snoozed',
      '2027-11-09: snoozed',
      'snooze-2027-11-09T14:00:30.000Z: sent',
    ]);
  });
});
