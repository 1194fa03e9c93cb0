/**
 * A one-day phase's nudge, in a company in Australia/Sydney across the end of its daylight
 * saving (Sunday 2027-04-04 03:00 AEDT, UTC+11, becomes 02:00 AEST, UTC+10). The nudge comes
 * one working day before the phase's deadline: for a one-day phase, the very instant the phase
 * before it ends, beside that phase's deadline job. Whichever of the two runs first, the rep
 * who owes input is nudged once the demand review has begun. Taken a moment before its time
 * (the worker's clock a second behind), it waits too: before, it ended "completed" with nobody
 * nudged. Its wait is logged once, not at each of its returns.
 *
 * The dates, worked by hand. The cycle opens on Thursday 2027-04-01 at 10:00 AEDT
 * (2027-03-31 23:00 UTC); deadlines fall at 17:00, the default; the demand review lasts one
 * working day (`/sop cycle deadlines demand_review=1`), data gathering the default three:
 *   data gathering  +3: Fri 2, Mon 5, Tue 6 April → Tue 2027-04-06 17:00 AEST = 07:00Z
 *   demand review   +1: Wed 7                     → Wed 2027-04-07 17:00 AEST = 07:00Z
 * The demand review's nudge, one working day before its deadline: Tue 2027-04-06 17:00 AEST,
 * 07:00Z, when data gathering ends. 5 days and 8 hours (460,800 s) after the cycle opened.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { recordedLogs } from '../helpers/log-lines.js';
import {
  insertChannels,
  insertFamilies,
  pollUntil,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const REP = 'U_REP';

const clock = testClock('2027-03-31T23:00:00Z');
const logs = recordedLogs();
const h = useHarness({
  label: 'nudge-one-day',
  members: { [PLANNER]: 'planner', [REP]: 'sales' },
  clock,
  workerLogger: logs.logger,
});
let db: Db;
let standin: Standin;
let cycleId: number;

// Wed 2027-04-07 07:00Z: 2027-01-01T00:00Z is 1798761600, and 7 April is day 96 of the year
// (31 + 28 + 31 + 6), so 1798761600 + 96 × 86400 + 7 × 3600.
const DEMAND_DEADLINE =
  '<!date^1807081200^{date_short_pretty} {time}|2027-04-07 17:00 Australia/Sydney>';

beforeAll(async () => {
  ({ db, standin } = h);
  await insertChannels(db);
  await db.updateTable('workspace_settings').set({ timezone: 'Australia/Sydney' }).execute();
  const fam = await insertFamilies(db);
  await db
    .insertInto('member_families')
    .values({ slack_user_id: REP, family_id: fam.fam1 })
    .execute();
  await h.sop(PLANNER, 'cycle deadlines demand_review=1', 'C_EXEC');
  await pollUntil(
    async () =>
      (await db.selectFrom('workspace_settings').select('phase_days').executeTakeFirst())
        ?.phase_days,
    (d) => (d as Record<string, number> | undefined)?.demand_review === 1,
  );
  await h.sop(PLANNER, 'cycle start 2027-04', 'C_EXEC');
  const row = await pollUntil(
    () =>
      db
        .selectFrom('cycles')
        .select(['id', 'deadlines'])
        .where('month', '=', '2027-04')
        .executeTakeFirst(),
    (r) => r !== undefined,
  );
  cycleId = row!.id;
  expect(row!.deadlines.data_gathering).toBe('2027-04-06T07:00:00.000Z');
  expect(row!.deadlines.demand_review).toBe('2027-04-07T07:00:00.000Z');
  const nudge = await db
    .selectFrom('job_outbox')
    .select(['payload', sql<number>`extract(epoch from run_at - created_at)::float8`.as('delay_s')])
    .where('job_name', '=', 'nudge')
    .execute();
  expect(nudge.find((j) => j.payload.phase === 'demand_review')?.delay_s).toBe(460_800);
}, 60_000);

describe("a one-day phase's nudge", () => {
  it('coming due before the deadline job moved the cycle, waits for it, then nudges the rep', async () => {
    const notifications = h.queues.queue('notifications');
    const id = jobId('nudge', { cycleId, phase: 'demand_review' });
    /** Runs the nudge now and waits for where it ends: delayed again, completed or failed. */
    const runNudge = async () => {
      const job = await pollUntil(
        () => notifications.getJob(id),
        (j) => j !== undefined,
      );
      const runsBefore = job!.attemptsStarted ?? 0;
      await job!.promote();
      const after = await pollUntil(
        async () => {
          const j = await notifications.getJob(id);
          return j ? { state: await j.getState(), runs: j.attemptsStarted ?? 0 } : undefined;
        },
        (s) =>
          s !== undefined &&
          s.runs > runsBefore &&
          (s.state === 'delayed' || s.state === 'completed' || s.state === 'failed'),
      );
      return after!.state;
    };
    // Taken a second early (06:59:59Z), the cycle still in data gathering, whose stored
    // deadline is 07:00Z: it waits. Before: its deadline not yet passed by this clock, the
    // nudge found the wrong phase and ended "completed" with nobody nudged.
    clock.set('2027-04-06T06:59:59Z');
    expect(await runNudge()).toBe('delayed');
    // At its time, the deadline job not yet run: it waits again. Before, as well.
    clock.set('2027-04-06T07:00:00Z');
    expect(await runNudge()).toBe('delayed');
    expect(standin.messagesIn(`D_${REP}`)).toEqual([]);
    // Two waits, one log line (before: one per return, every 5 s until the deadline).
    expect(logs.lines.filter((l) => l.msg.includes('waiting for its deadline job'))).toHaveLength(
      1,
    );

    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'data_gathering' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'demand_review' });
    expect(await h.comeDue('nudge', { cycleId, phase: 'demand_review' }, 'notifications')).toEqual({
      sent: [REP],
    });
    expect(standin.messagesIn(`D_${REP}`).map((m) => m.text)).toEqual([
      `Reminder for S&OP 2027-04: the demand review closes ${DEMAND_DEADLINE}. You have not reviewed FAM-1 yet: adjust the forecast with \`/forecast\`, or declare no change with \`/forecast no-change\`, or *No change for my families* in App Home (the Home tab of sopbot).`,
    ]);
  });
});
