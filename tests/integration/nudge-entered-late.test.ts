/**
 * A worker down across two deadlines, back while a third phase's nudge is due and its deadline
 * still ahead, in a company in Europe/Berlin. When it comes back, the supply review's nudge may
 * run before the deadline jobs have moved the cycle on: it found the cycle still in data
 * gathering, two phases back, and ended with nobody nudged, though the supply review was about
 * to begin with three days to go. Now it waits for the deadline jobs, then nudges once; and
 * the demand review's nudge, whose deadline went by while the worker was down, sends nothing.
 *
 * The real bot over HTTP, the Slack stand-in, real Postgres and Redis, and the production
 * worker runtime on the posts and notifications queues; the clock is the test's, and a job
 * "comes due" when the test promotes it.
 *
 * The dates, worked by hand (as in cycle-late-deadlines.test.ts). Berlin is CET (UTC+1) until
 * Sunday 2027-03-28, CEST (UTC+2) after. Deadlines fall at 09:00 (`deadline_time`). The cycle
 * opens on Thursday 2027-03-25 at 09:00 CET (08:00 UTC) with the default working days per
 * phase, 3, 5, 4, 3 and 2, counted Monday to Friday from that day:
 *   data gathering  +3: Fri 26, Mon 29, Tue 30 March        → Tue 2027-03-30 09:00 CEST = 07:00Z
 *   demand review   +5: Wed 31, Thu 1, Fri 2, Mon 5, Tue 6   → Tue 2027-04-06 07:00Z
 *   supply review   +4: Wed 7, Thu 8, Fri 9, Mon 12          → Mon 2027-04-12 07:00Z
 * The supply review's nudge is one working day before its deadline: Fri 2027-04-09 07:00Z.
 * The worker is down from Monday 29 March to Friday 9 April 10:00Z: the data gathering's and
 * the demand review's deadlines, the demand review's nudge and the supply review's have all
 * passed; the supply review's deadline has not.
 */
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
const OPS = 'U_OPS';

const clock = testClock('2027-03-25T08:00:00Z');
const logs = recordedLogs();
const h = useHarness({
  label: 'nudge-entered-late',
  members: { [PLANNER]: 'planner', [REP]: 'sales', [OPS]: 'ops' },
  clock,
  workerLogger: logs.logger,
});
let db: Db;
let standin: Standin;
let cycleId: number;

// Mon 2027-04-12 07:00Z: 2027-01-01T00:00Z is 1798761600, and 12 April is day 101 of the year
// (31 + 28 + 31 + 11), so 1798761600 + 101 × 86400 (8,726,400) + 7 × 3600 = 1807513200.
const SUPPLY_DEADLINE =
  '<!date^1807513200^{date_short_pretty} {time}|2027-04-12 09:00 Europe/Berlin>';

beforeAll(async () => {
  ({ db, standin } = h);
  await insertChannels(db);
  await db
    .updateTable('workspace_settings')
    .set({ timezone: 'Europe/Berlin', deadline_time: '09:00' })
    .execute();
  const fam = await insertFamilies(db);
  await db
    .insertInto('member_families')
    .values({ slack_user_id: REP, family_id: fam.fam1 })
    .execute();
  // An open constraint, so operations owe the supply review something.
  await db
    .insertInto('capacity_updates')
    .values({
      cycle_id: null,
      resource_id: fam.line,
      period: '2027-04',
      kind: 'delta_pct',
      value: -20,
      reason_code: 'maintenance',
      comment: null,
      is_constraint: true,
      before_value: 400,
      after_value: 320,
      author: OPS,
      source: 'command',
      request_key: 'nudge-late-line',
    })
    .execute();
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
  expect(row!.deadlines.data_gathering).toBe('2027-03-30T07:00:00.000Z');
  expect(row!.deadlines.demand_review).toBe('2027-04-06T07:00:00.000Z');
  expect(row!.deadlines.supply_review).toBe('2027-04-12T07:00:00.000Z');
  // Every deadline and nudge job is waiting in the queue for its time: 5 and 3.
  await pollUntil(
    async () => (await h.queues.queue('notifications').getDelayed()).length,
    (n) => n === 8,
  );
}, 60_000);

describe('a nudge whose phase the worker, back, has yet to enter', () => {
  it('waits for the deadline jobs of the phases before, then nudges once, with the deadline still ahead', async () => {
    const notifications = h.queues.queue('notifications');
    const supplyNudge = { cycleId, phase: 'supply_review' } as const;
    const id = jobId('nudge', supplyNudge);
    clock.set('2027-04-09T10:00:00Z');

    // The supply review's nudge runs first, the cycle still in data gathering. Before: it
    // ended "completed", { sent: [] }, and the supply review was never nudged.
    const job = await notifications.getJob(id);
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
    expect(after!.state).toBe('delayed');

    // The demand review's nudge: its deadline went by while the worker was down.
    expect(await h.comeDue('nudge', { cycleId, phase: 'demand_review' }, 'notifications')).toEqual({
      sent: [],
    });
    // The data gathering's deadline job ends it and the demand review, whose deadline has
    // passed too; the demand review's own job then finds nothing to do.
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'data_gathering' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'supply_review' });
    expect(await h.comeDue('nudge', supplyNudge, 'notifications')).toEqual({ sent: [OPS] });
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'demand_review' }, 'notifications'),
    ).toEqual({ changed: false, phase: 'supply_review' });

    expect(standin.messagesIn(`D_${OPS}`).map((m) => m.text)).toEqual([
      `Reminder for S&OP 2027-04: the supply review closes ${SUPPLY_DEADLINE}. Open constraints you entered: LINE-1 2027-04 (maintenance). Each holds in the plan until it is resolved or withdrawn: \`/sop constraints\` lists them, resolve one that is over, withdraw one entered by mistake or cancelled.`,
    ]);
    // Nobody is asked for the demand review, over since Tuesday.
    expect(standin.messagesIn(`D_${REP}`)).toEqual([]);
    // Never twice: the job delivered again (a retry, the relay) sends nothing more.
    expect(await h.runAgain('nudge', supplyNudge, 'notifications')).toEqual({ sent: [] });
    expect(standin.messagesIn(`D_${OPS}`)).toHaveLength(1);
    // Its wait for the two was logged once, naming them (it comes back every 5 s meanwhile).
    expect(
      logs.lines
        .filter((l) => l.jobId === id && l.msg.includes('waiting for the deadline jobs'))
        .map((l) => l.msg),
    ).toEqual([
      'nudge of supply_review in cycle 2027-04: the cycle is still in data_gathering, and demand_review ends 2027-04-06T07:00:00.000Z; waiting for the deadline jobs of data_gathering, demand_review',
    ]);
  });
});
