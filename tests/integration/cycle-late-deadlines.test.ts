/**
 * A worker that was down across a cycle's deadlines, in a company in Europe/Berlin. When it
 * comes back, every job whose time passed comes due at once: a nudge whose deadline has gone
 * by, and deadline jobs of consecutive phases, which run side by side (two at a time per
 * worker, two workers), so the later phase's job may run before the earlier one has moved the
 * cycle. Each phase still ends once, late, the announcement says it is late, and nobody is
 * asked for input before a deadline that has passed. And a change of the company's zone while
 * the jobs wait moves no deadline: each is an instant, so none needs to wait for a new local
 * time (as an action's 09:00 reminder does, NotDueYetError).
 *
 * The real bot over HTTP, the Slack stand-in, real Postgres and Redis, and the production
 * worker runtime on the posts and notifications queues; the clock is the test's, and a job
 * "comes due" when the test promotes it.
 *
 * The dates, worked by hand. Berlin is CET (UTC+1) until Sunday 2027-03-28, CEST (UTC+2)
 * after. The company's deadlines fall at 09:00 (`/sop cycle deadlines at=09:00`). The cycle
 * opens on Thursday 2027-03-25 at 09:00 CET (08:00 UTC) with the default working days per
 * phase, 3, 5, 4, 3 and 2, counted Monday to Friday from that day:
 *   data gathering  +3: Fri 26, Mon 29, Tue 30 March        → Tue 2027-03-30 09:00 CEST = 07:00Z
 *   demand review   +5: Wed 31, Thu 1, Fri 2, Mon 5, Tue 6   → Tue 2027-04-06 09:00 CEST = 07:00Z
 *   supply review   +4: Wed 7, Thu 8, Fri 9, Mon 12          → Mon 2027-04-12 07:00Z
 *   pre-S&OP        +3: Tue 13, Wed 14, Thu 15               → Thu 2027-04-15 07:00Z
 *   executive       +2: Fri 16, Mon 19                       → Mon 2027-04-19 07:00Z
 * The demand review's nudge is one working day before its deadline: Mon 2027-04-05 07:00Z.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import { updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import {
  insertChannels,
  insertFamilies,
  pollUntil,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const REP = 'U_REP';

const clock = testClock('2027-03-25T08:00:00Z');
const h = useHarness({
  label: 'cycle-late',
  members: { [PLANNER]: 'planner', [REP]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;

/** The Slack date of an instant whose Berlin wall-clock time is `berlin` (the fallback). */
const berlin = (unix: number, local: string) =>
  `<!date^${unix}^{date_short_pretty} {time}|${local} Europe/Berlin>`;
// 2027-01-01T00:00Z is 1798761600 (20,819 days after 1970-01-01: 57 years, 14 of them leap).
const DAY = 86_400;
const JAN1 = 1_798_761_600;
// Tue 2027-04-06 07:00Z: day 95 of the year (31 + 28 + 31 + 5).
const DEMAND_DEADLINE = berlin(JAN1 + 95 * DAY + 7 * 3600, '2027-04-06 09:00');
// Tue 2027-04-06 09:30Z, when the worker is back.
const BACK_TUESDAY = berlin(JAN1 + 95 * DAY + 9.5 * 3600, '2027-04-06 11:30');
// Mon 2027-04-12 07:00Z: day 101 (31 + 28 + 31 + 11).
const SUPPLY_DEADLINE = berlin(JAN1 + 101 * DAY + 7 * 3600, '2027-04-12 09:00');
// Thu 2027-04-15 07:00Z: day 104.
const PRE_SOP_DEADLINE = berlin(JAN1 + 104 * DAY + 7 * 3600, '2027-04-15 09:00');
// Mon 2027-04-19 07:00Z: day 108.
const EXEC_DEADLINE = berlin(JAN1 + 108 * DAY + 7 * 3600, '2027-04-19 09:00');

const phaseOf = async () =>
  (
    await db
      .selectFrom('cycles')
      .select('phase')
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow()
  ).phase;
const advances = async () =>
  (
    await db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('entity', '=', 'cycle')
      .where('entity_id', '=', String(cycleId))
      .where('action', '=', 'cycle.advance')
      .orderBy('id')
      .execute()
  ).map((r) => `${r.details.from}→${r.details.to} by ${r.actor}`);
const posted = (channel: string) =>
  standin
    .messagesIn(channel)
    .map((m) => m.text)
    .filter((t) => t.includes('S&OP 2027-04'));
const waitPosted = (channel: string, needle: string) =>
  standin.waitFor(() => posted(channel).find((t) => t.includes(needle)), 20_000);

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
  await h.sop(PLANNER, 'cycle start 2027-04', 'C_EXEC');
  await waitPosted('C_DEMAND', 'Data gathering has started');
  const row = await db
    .selectFrom('cycles')
    .select(['id', 'deadlines'])
    .where('month', '=', '2027-04')
    .executeTakeFirstOrThrow();
  cycleId = row.id;
  expect(row.deadlines).toEqual({
    data_gathering: '2027-03-30T07:00:00.000Z',
    demand_review: '2027-04-06T07:00:00.000Z',
    supply_review: '2027-04-12T07:00:00.000Z',
    pre_sop: '2027-04-15T07:00:00.000Z',
    executive: '2027-04-19T07:00:00.000Z',
  });
  // Every deadline and nudge job is waiting in the queue for its time.
  await pollUntil(
    async () => (await h.queues.queue('notifications').getDelayed()).length,
    (n) => n === 8,
  );
}, 60_000);

describe('a worker down across a nudge and the deadline it announces', () => {
  it('sends no nudge once the deadline has passed; the phase ends once, and its announcement says it ended late', async () => {
    // Data gathering ends on time.
    clock.set('2027-03-30T07:00:00Z');
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'data_gathering' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'demand_review' });
    await waitPosted('C_DEMAND', 'Demand review has started');
    // On time: the announcement says nothing of being late.
    expect(posted('C_DEMAND').find((t) => t.includes('Demand review has started'))).not.toMatch(
      /late/,
    );

    // The worker is down from Monday 5 April 06:00Z to Tuesday 09:30Z: the nudge (Monday
    // 07:00Z) and the deadline (Tuesday 07:00Z) both come due when it is back.
    clock.set('2027-04-06T09:30:00Z');
    // Before: the rep was DMed "the demand review closes Tue 6 Apr 09:00" at 11:30 that day.
    expect(await h.comeDue('nudge', { cycleId, phase: 'demand_review' }, 'notifications')).toEqual({
      sent: [],
    });
    expect(standin.messagesIn(`D_${REP}`)).toEqual([]);
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'demand_review' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'supply_review' });
    const supply = await waitPosted('C_SUPPLY', 'Supply review has started');
    // Before: nothing said the demand review had run two and a half hours past its deadline.
    expect(supply).toContain(
      `Demand review was due to end ${DEMAND_DEADLINE} and ended late, ${BACK_TUESDAY}.`,
    );
    expect(await advances()).toEqual([
      'data_gathering→demand_review by deadline',
      'demand_review→supply_review by deadline',
    ]);
  });
});

describe('a worker down across two deadlines', () => {
  it('ends both phases once each, whichever deadline job runs first, and the next phase says it is late', async () => {
    // Down from Friday 9 April to Thursday 15 April 10:00Z: the supply review's deadline
    // (Monday 12th) and the pre-S&OP's (Thursday 15th, 07:00Z) have both passed. The two jobs
    // run side by side; here the pre-S&OP's runs first, as it may.
    clock.set('2027-04-15T10:00:00Z');
    // Before: it found the cycle still in the supply review and did nothing; the supply
    // review's job then moved it into pre-S&OP, where it stayed past its deadline with no job
    // left to end it.
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'pre_sop' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'executive' });
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'supply_review' }, 'notifications'),
    ).toEqual({ changed: false, phase: 'executive' });
    expect(await phaseOf()).toBe('executive');
    expect(await advances()).toEqual([
      'data_gathering→demand_review by deadline',
      'demand_review→supply_review by deadline',
      'supply_review→pre_sop by deadline',
      'pre_sop→executive by deadline',
    ]);
    // Thu 2027-04-15 10:00Z is 12:00 in Berlin.
    const exec = await waitPosted('C_EXEC', 'Executive S&OP has started');
    expect(exec).toContain(`Deadline: ${EXEC_DEADLINE}.`);
    // One job ended both: the message names both, and the phase nobody was told of. Before:
    // "Pre-S&OP was due to end … and ended late, …" alone.
    expect(exec).toContain(
      `Supply review was due to end ${SUPPLY_DEADLINE} and Pre-S&OP ${PRE_SOP_DEADLINE}; both ended late, ${berlin(JAN1 + 104 * DAY + 10 * 3600, '2027-04-15 12:00')}, so Pre-S&OP was not announced.`,
    );
    // The pre-S&OP, over before it could be announced, is not announced with a deadline
    // already gone by: its announcement job, requested when the cycle entered it, has run and
    // found the cycle gone on (waited for, so a slow job cannot pass for one that posts nothing).
    const preSop = jobId('phase-announce', { cycleId, phase: 'pre_sop' });
    expect(await h.finished('posts', preSop)).toEqual({ skipped: 'phase passed' });
    expect(posted('C_EXEC').filter((t) => t.includes('Pre-S&OP has started'))).toEqual([]);
  });
});

describe('the company moves to another zone while the deadline jobs wait', () => {
  it('a deadline keeps its instant: the executive phase ends at 07:00Z, 03:00 in New York, not moved to a New York working hour', async () => {
    // SOPBOT_TIMEZONE changed and a process restarted (storeTimezone): deadlines already set
    // keep their instants (docs/meeting.md), so nothing is rescheduled and nothing comes early.
    await updateSettings(db, { timezone: 'America/New_York' });
    clock.set('2027-04-19T07:00:00Z');
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'executive' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'closed' });
    const job = await h.queues.queue('notifications').getJob(`phase-deadline-${cycleId}-executive`);
    expect(job?.attemptsStarted).toBe(1);
    expect(await phaseOf()).toBe('closed');
  });
});
