/**
 * A worker down across two deadlines in a row (the demand review's and the supply review's),
 * in a company in Europe/Berlin. When it is back, their jobs come due together, and the
 * earlier one runs first, as the queue gives them. Before, each ended its own phase in a
 * transaction of its own: two recomputes were requested (entering the supply review, then
 * pre-S&OP), the first for a supply review already over, and the supply channel was told
 * "Supply review has started… Deadline: Mon 12 Apr 09:00" on Tuesday. Now the first job ends
 * every phase whose deadline has passed, once each, in one transaction: one recompute, and
 * only the phase the cycle is in is announced, saying it began late.
 *
 * The real bot over HTTP, the Slack stand-in, real Postgres and Redis, and the production
 * worker runtime on the posts and notifications queues (not planning: a recompute requested
 * waits there); the clock is the test's, and a job "comes due" when the test promotes it.
 *
 * The dates, worked by hand (as in cycle-late-deadlines.test.ts). Berlin is CEST (UTC+2) from
 * Sunday 2027-03-28. Deadlines fall at 09:00. The cycle opens on Thursday 2027-03-25 at 09:00
 * CET (08:00 UTC) with the default working days per phase, 3, 5, 4, 3, counted Monday to Friday:
 *   data gathering  +3: Fri 26, Mon 29, Tue 30 March        → Tue 2027-03-30 07:00Z
 *   demand review   +5: Wed 31, Thu 1, Fri 2, Mon 5, Tue 6   → Tue 2027-04-06 07:00Z
 *   supply review   +4: Wed 7, Thu 8, Fri 9, Mon 12          → Mon 2027-04-12 07:00Z
 *   pre-S&OP        +3: Tue 13, Wed 14, Thu 15               → Thu 2027-04-15 07:00Z
 * The worker is down from Monday 5 April to Tuesday 13 April 10:00Z (12:00 in Berlin).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
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
  label: 'deadline-catch-up',
  members: { [PLANNER]: 'planner', [REP]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;

/** The Slack date of an instant whose Berlin wall-clock time is `local` (the fallback). */
const berlin = (unix: number, local: string) =>
  `<!date^${unix}^{date_short_pretty} {time}|${local} Europe/Berlin>`;
// 2027-01-01T00:00Z is 1798761600; 12 April is day 101 of the year (31 + 28 + 31 + 11).
const DAY = 86_400;
const JAN1 = 1_798_761_600;
const DEMAND_DEADLINE = berlin(JAN1 + 95 * DAY + 7 * 3600, '2027-04-06 09:00');
const SUPPLY_DEADLINE = berlin(JAN1 + 101 * DAY + 7 * 3600, '2027-04-12 09:00');
const BACK = berlin(JAN1 + 102 * DAY + 10 * 3600, '2027-04-13 12:00');
const PRE_SOP_DEADLINE = berlin(JAN1 + 104 * DAY + 7 * 3600, '2027-04-15 09:00');
// The executive phase, +2: Fri 16, Mon 19 April → Mon 2027-04-19 07:00Z (day 108); the worker,
// down again from Wednesday 14 April, is back on Tuesday 20 April at 10:00Z (12:00 in Berlin).
const EXEC_DEADLINE = berlin(JAN1 + 108 * DAY + 7 * 3600, '2027-04-19 09:00');
const BACK_AGAIN = berlin(JAN1 + 109 * DAY + 10 * 3600, '2027-04-20 12:00');

const posted = (channel: string) =>
  standin
    .messagesIn(channel)
    .map((m) => m.text)
    .filter((t) => t.includes('S&OP 2027-04'));
const recomputes = async () =>
  (
    await db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'recompute')
      .orderBy('id')
      .execute()
  ).map((r) => r.payload.requestKey);

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
  expect(row!.deadlines.supply_review).toBe('2027-04-12T07:00:00.000Z');
  expect(row!.deadlines.pre_sop).toBe('2027-04-15T07:00:00.000Z');
  await pollUntil(
    async () => (await h.queues.queue('notifications').getDelayed()).length,
    (n) => n === 8,
  );
  // Data gathering ends on time; the demand review owes no recompute.
  clock.set('2027-03-30T07:00:00Z');
  expect(
    await h.comeDue('phase-deadline', { cycleId, phase: 'data_gathering' }, 'notifications'),
  ).toEqual({ changed: true, phase: 'demand_review' });
}, 60_000);

describe('a worker down across the demand and supply reviews’ deadlines', () => {
  it('ends both once, in order, with one recompute, and announces only pre-S&OP, late', async () => {
    clock.set('2027-04-13T10:00:00Z');
    // The queue's order: the earlier deadline's job first. Before: { phase: 'supply_review' }.
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'demand_review' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'pre_sop' });
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'supply_review' }, 'notifications'),
    ).toEqual({ changed: false, phase: 'pre_sop' });
    // Nobody is nudged for a review whose deadline went by while the worker was down.
    for (const phase of ['demand_review', 'supply_review'] as const)
      expect(await h.comeDue('nudge', { cycleId, phase }, 'notifications')).toEqual({ sent: [] });
    expect(standin.messagesIn(`D_${REP}`)).toEqual([]);

    // One recompute, of the phase the cycle is in. Before: phase:<id>:supply_review as well.
    expect(await recomputes()).toEqual([`phase:${cycleId}:pre_sop`]);
    const advances = await db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('entity', '=', 'cycle')
      .where('entity_id', '=', String(cycleId))
      .where('action', '=', 'cycle.advance')
      .orderBy('id')
      .execute();
    expect(advances.map((r) => `${r.details.from}→${r.details.to} by ${r.actor}`)).toEqual([
      'data_gathering→demand_review by deadline',
      'demand_review→supply_review by deadline',
      'supply_review→pre_sop by deadline',
    ]);

    // The supply review, over before the worker was back, is not announced with a deadline
    // gone by (its job ran and found the cycle gone on; waited for, so a slow job cannot pass).
    const supply = jobId('phase-announce', { cycleId, phase: 'supply_review' });
    expect(await h.finished('posts', supply)).toEqual({ skipped: 'phase passed' });
    expect(posted('C_SUPPLY').filter((t) => t.includes('Supply review has started'))).toEqual([]);
    const preSop = await standin.waitFor(
      () => posted('C_EXEC').find((t) => t.includes('Pre-S&OP has started')),
      20_000,
    );
    expect(preSop).toContain(`Deadline: ${PRE_SOP_DEADLINE}.`);
    // One message says what happened to both reviews. Before: only "Supply review was due to
    // end … and ended late, …", as if the demand review had ended on time and the supply review
    // been announced.
    expect(preSop).toContain(
      `Demand review was due to end ${DEMAND_DEADLINE} and Supply review ${SUPPLY_DEADLINE}; both ended late, ${BACK}, so Supply review was not announced.`,
    );
  });
});

describe('a worker down across the pre-S&OP and executive deadlines', () => {
  it('closes the cycle, posts no pack for a meeting over, and says so in one closing message', async () => {
    clock.set('2027-04-20T10:00:00Z');
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'pre_sop' }, 'notifications'),
    ).toEqual({ changed: true, phase: 'closed' });
    expect(
      await h.comeDue('phase-deadline', { cycleId, phase: 'executive' }, 'notifications'),
    ).toEqual({ changed: false, phase: 'closed' });
    // No pre-read for an executive meeting whose time went by. Before: the pack was requested
    // and posted ("the pre-read for the executive meeting. Decision needed now") in a cycle
    // that can no longer record a decision.
    const packs = await db
      .selectFrom('job_outbox')
      .select('id')
      .where('job_name', '=', 'pack')
      .execute();
    expect(packs).toEqual([]);
    const closing = await standin.waitFor(
      () => posted('C_EXEC').find((t) => t.includes('closed without an adopted plan')),
      20_000,
    );
    expect(closing).toContain(
      `Pre-S&OP was due to end ${PRE_SOP_DEADLINE} and Executive S&OP ${EXEC_DEADLINE}; both ended late, ${BACK_AGAIN}, so Executive S&OP was not announced, and no meeting pack was posted (\`/sop pack 2027-04\` shows it).`,
    );
    const executive = jobId('phase-announce', { cycleId, phase: 'executive' });
    expect(await h.finished('posts', executive)).toEqual({ skipped: 'phase passed' });
    // A pack job that comes after the close all the same (one asked for before it): not posted.
    await h.queues.enqueue('pack', { cycleId });
    expect(await h.finished('posts', jobId('pack', { cycleId }))).toEqual({
      posted: false,
      skipped: 'cycle closed',
    });
    expect(posted('C_EXEC').filter((t) => t.includes('executive pack'))).toEqual([]);
  });
});
