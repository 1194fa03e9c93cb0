/**
 * The company's zone changes (SOPBOT_TIMEZONE and a restart: storeTimezone) after reminders
 * were scheduled: the open actions' reminders still waiting move to 09:00 of their working day
 * in the new zone. Before, they kept their instants, so moving east a "due" reminder came at
 * 02:45 the next day as "Overdue by 1 day" and the due day had no "Due today".
 *
 * The company is in New York (EST, UTC−5, until Sunday 14 March 2027; EDT, UTC−4, after). On
 * Wednesday 10 March 2027 at 10:00 EST (15:00Z) a decision gives two actions:
 * - ANA's, due Monday 15 March: before on Sat 13 → Fri 12 09:00 EST (14:00Z); due Mon 15
 *   09:00 EDT (13:00Z); overdue-1 Tue 16 09:00 EDT (13:00Z).
 * - BEN's, due Thursday 11 March: due Thu 11 09:00 EST (14:00Z); overdue-1 Fri 12 (14:00Z).
 * On Thursday 11 March at 12:00Z (07:00 EST) the company moves to Pacific/Chatham (CHADT,
 * UTC+13:45, where it is Friday 12 March 01:45). Every instant is worked by hand. The real bot
 * (its outbox relay hands the job over) and worker over Postgres, Redis and the stand-in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { storeTimezone } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ANA = 'U_ANA';
const BEN = 'U_BEN';

const clock = testClock('2027-03-10T15:00:00Z');
const h = useHarness({
  label: 'reminders-rezone',
  members: { [EXEC]: 'exec', [ANA]: 'ops', [BEN]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let ana: string;
let ben: string;

type Kind = 'before' | 'due' | 'overdue';
const idOf = (actionId: string, kind: Kind, occurrence: string) =>
  jobId('action-reminder', parsePayload('action-reminder', { actionId, kind, occurrence }));

const HOUR = 3_600_000;

/**
 * Each reminder job still waiting (delayed) and the delay it waits from the test clock (the
 * clock stands still, so a job moved at it waits exactly its time less the clock), by name.
 */
async function waiting(): Promise<Record<string, number>> {
  const slots: [string, string, Kind, string][] = [
    ['ana before', ana, 'before', '2027-03-13'],
    ['ana due', ana, 'due', '2027-03-15'],
    ['ana overdue-1', ana, 'overdue', 'overdue-1'],
    ['ben due', ben, 'due', '2027-03-11'],
    ['ben overdue-1', ben, 'overdue', 'overdue-1'],
  ];
  const out: Record<string, number> = {};
  for (const [name, id, kind, occurrence] of slots) {
    const job = await h.queues.queue('notifications').getJob(idOf(id, kind, occurrence));
    if (job && (await job.isDelayed())) out[name] = job.delay;
  }
  return out;
}

/** The `reminders-rezone` jobs asked for (the job outbox), with the audit entry of each. */
const rezoneRequests = () =>
  db
    .selectFrom('job_outbox')
    .select('payload')
    .where('job_name', '=', 'reminders-rezone')
    .orderBy('id')
    .execute();

/** The reminders in `user`'s DM (not the assignment, ':memo: You own…'). */
const reminders = (user: string) =>
  standin
    .messagesIn(`D_${user}`)
    .filter((m) => !m.text.startsWith(':memo:'))
    .map((m) => m.text);

beforeAll(async () => {
  ({ db, standin } = h);
  // The first zone stored asks for nothing: no reminder was scheduled in another.
  expect(await storeTimezone(db, 'America/New_York')).toBeNull();
  [ana, ben] = (await decideMarchActions(h, clock, 'rezone', EXEC, [
    { owner: ANA, description: 'Book trucks', dueDate: '2027-03-15' },
    { owner: BEN, description: 'Count the safety stock', dueDate: '2027-03-11' },
  ])) as [string, string];
}, 60_000);

describe('a zone moved east, to Pacific/Chatham', () => {
  it('moves the reminders waiting to 09:00 in Chatham, and drops the one whose day is gone', async () => {
    // As scheduled in New York, from Wed 10 15:00Z.
    expect(await waiting()).toEqual({
      'ana before': 47 * HOUR, // Fri 12 14:00Z
      'ana due': 4 * 24 * HOUR + 22 * HOUR, // Mon 15 13:00Z
      'ana overdue-1': 5 * 24 * HOUR + 22 * HOUR, // Tue 16 13:00Z
      'ben due': 23 * HOUR, // Thu 11 14:00Z
      'ben overdue-1': 47 * HOUR, // Fri 12 14:00Z
    });
    clock.set('2027-03-11T12:00:00Z'); // Thu 07:00 EST = Fri 12 01:45 CHADT
    expect(await storeTimezone(db, 'Pacific/Chatham')).toBe('America/New_York');
    // 09:00 CHADT is 19:15Z the day before. From Thu 11 12:00Z:
    const moved = {
      // Fri 12 09:00 CHADT = Thu 11 19:15Z: 7 h 15 min.
      'ana before': 7.25 * HOUR,
      // Mon 15 09:00 CHADT = Sun 14 19:15Z: 3 days and 7 h 15 min.
      'ana due': 3 * 24 * HOUR + 7.25 * HOUR,
      // Tue 16 09:00 CHADT = Mon 15 19:15Z: 4 days and 7 h 15 min.
      'ana overdue-1': 4 * 24 * HOUR + 7.25 * HOUR,
      // BEN's due, Thu 11 09:00 CHADT, was yesterday in Chatham: dropped, overdue-1 is next.
      // Fri 12 09:00 CHADT = Thu 11 19:15Z: 7 h 15 min.
      'ben overdue-1': 7.25 * HOUR,
    };
    // The bot's relay hands the job over; the worker runs it.
    await pollUntil(waiting, (w) => JSON.stringify(w) === JSON.stringify(moved));
    const [request, ...more] = await rezoneRequests();
    expect(more).toEqual([]);
    const change = String(request!.payload.change);
    expect(await h.finished('notifications', `reminders-rezone-${change}`)).toEqual({
      moved: 4,
      dropped: 1,
    });

    // Run again (a retry, another worker): the same times, nothing more dropped.
    expect(await h.runAgain('reminders-rezone', { change }, 'notifications')).toEqual({
      moved: 4,
      dropped: 0,
    });
    expect(await waiting()).toEqual(moved);
    // The same zone stored again (another process restarted) asks for nothing.
    expect(await storeTimezone(db, 'Pacific/Chatham')).toBeNull();
    expect(await rezoneRequests()).toHaveLength(1);
  });
});

describe('a zone moved west, to Asia/Tokyo, by two processes restarting at once', () => {
  it('asks once, and the reminders come at 09:00 in Tokyo; the due one says "Due today"', async () => {
    const stored = await Promise.all([
      storeTimezone(db, 'Asia/Tokyo'),
      storeTimezone(db, 'Asia/Tokyo'),
    ]);
    expect(stored.sort()).toEqual(['Pacific/Chatham', null]);
    expect(await rezoneRequests()).toHaveLength(2);
    // 09:00 JST (UTC+9) is 00:00Z the same day. From Thu 11 12:00Z:
    const moved = {
      'ana before': 12 * HOUR, // Fri 12 00:00Z
      'ana due': 3 * 24 * HOUR + 12 * HOUR, // Mon 15 00:00Z
      'ana overdue-1': 4 * 24 * HOUR + 12 * HOUR, // Tue 16 00:00Z
      'ben overdue-1': 12 * HOUR, // Fri 12 00:00Z
    };
    await pollUntil(waiting, (w) => JSON.stringify(w) === JSON.stringify(moved));

    // Mon 15 09:00 JST: ANA's due reminder, on its day.
    clock.set('2027-03-15T00:00:00Z');
    expect(
      await h.comeDue(
        'action-reminder',
        { actionId: ana, kind: 'due', occurrence: '2027-03-15' },
        'notifications',
      ),
    ).toEqual({ result: 'sent' });
    expect(reminders(ANA)).toEqual([
      `:alarm_clock: Due today: #${ana} Book trucks (due 2027-03-15)`,
    ]);
  });
});
