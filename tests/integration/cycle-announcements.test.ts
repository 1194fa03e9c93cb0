/**
 * Phase announcements are owed by the phase change and recorded with it (the job outbox:
 * `phase-announce`, docs/reliability.md), so a Slack error on the post loses nothing and the
 * person who moved the cycle is told what happened, not "try again". And a bare
 * `/sop cycle next` typed moments after a phase change does not end the phase just entered.
 *
 * The real bot over HTTP, the Slack stand-in (which answers one `chat.postMessage` with
 * `internal_error` when told to), real Postgres and Redis, and the production worker runtime
 * on the posts and notifications queues. The clock is the test's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { RECENT_PHASE_CHANGE_MS } from '../../src/services/cycles.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { testClock, useHarness } from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const PLANNER2 = 'U_PLAN2';
const APOLOGY = /Something went wrong on our side/;

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'cycle-announce',
  members: { [PLANNER]: 'planner', [PLANNER2]: 'planner' },
  clock,
});
let db: Db;
let standin: Standin;

beforeAll(async () => {
  ({ db, standin } = h);
  await db
    .insertInto('workspace_settings')
    .values({
      team_id: 'default',
      demand_channel: 'C_DEMAND',
      supply_channel: 'C_SUPPLY',
      exec_channel: 'C_EXEC',
    })
    .execute();
});

/** `/sop <text>` as `user`, and the ephemeral answer it gets. */
async function sop(user: string, text: string): Promise<string> {
  const n = standin.ephemeralsFor(user).length;
  await h.sop(user, text, 'C_EXEC');
  return (await standin.waitFor(() => standin.ephemeralsFor(user)[n], 20_000)).text;
}
/** The messages posted in `channel` about cycle `month`. */
const posted = (channel: string, month: string) =>
  standin
    .messagesIn(channel)
    .map((m) => m.text)
    .filter((t) => t.includes(`S&OP ${month}`));
const waitPosted = (channel: string, month: string, needle: string) =>
  standin.waitFor(() => posted(channel, month).find((t) => t.includes(needle)), 20_000);
const phaseOf = async (id: number) =>
  (await db.selectFrom('cycles').select('phase').where('id', '=', id).executeTakeFirstOrThrow())
    .phase;
const advances = async (id: number) =>
  (
    await db
      .selectFrom('audit_log')
      .select('details')
      .where('entity', '=', 'cycle')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'cycle.advance')
      .orderBy('id')
      .execute()
  ).map((r) => `${r.details.from}→${r.details.to}`);

describe('/sop cycle next while Slack refuses the announcement once', () => {
  it('answers what moved, posts the announcement on retry, and a second bare next moments later does not skip the phase', async () => {
    const cycleId = await insertCycle(db, { month: '2027-03', phase: 'demand_review' });
    standin.failNext('chat.postMessage', { error: 'internal_error' });

    // Before the fix: the apology ("try again"), and nothing ever posted in C_SUPPLY.
    const first = await sop(PLANNER, 'cycle next');
    expect(first).toBe('S&OP 2027-03: Demand review → *Supply review*.');
    expect(await phaseOf(cycleId)).toBe('supply_review');
    await waitPosted('C_SUPPLY', '2027-03', 'Supply review has started');
    // Refused once by Slack, then posted once by the job's retry.
    const tries = standin
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C_SUPPLY')
      .map((c) => (c.response as { ok: boolean }).ok);
    expect(tries).toEqual([false, true]);

    // The same planner types it again, as the apology used to ask (0 s later by the clock):
    // before the fix this moved the cycle on to pre-S&OP, skipping the supply review.
    const again = await sop(PLANNER, 'cycle next');
    expect(again).toBe(
      'S&OP 2027-03 entered *Supply review* 0 s ago (you moved it there); it was not moved again. To end the supply review as well, type `/sop cycle next supply_review`.',
    );
    // Another planner, 4 min 59 s after the change (the window is 5 min).
    expect(RECENT_PHASE_CHANGE_MS).toBe(300_000);
    clock.set('2027-03-15T10:04:59Z');
    expect(await sop(PLANNER2, 'cycle next')).toBe(
      'S&OP 2027-03 entered *Supply review* 4 min ago (<@U_PLAN> moved it there); it was not moved again. To end the supply review as well, type `/sop cycle next supply_review`.',
    );
    expect(await phaseOf(cycleId)).toBe('supply_review');
    expect(await advances(cycleId)).toEqual(['demand_review→supply_review']);
    expect(posted('C_SUPPLY', '2027-03')).toHaveLength(1);

    // Naming a phase the cycle is not in moves nothing; naming the current one moves on.
    expect(await sop(PLANNER2, 'cycle next demand_review')).toBe(
      'S&OP 2027-03 is in Supply review, not Demand review: nothing moved.',
    );
    // `pre-sop`, as `/sop cycle deadlines` takes it, names the phase too.
    expect(await sop(PLANNER2, 'cycle next pre-sop')).toBe(
      'S&OP 2027-03 is in Supply review, not Pre-S&OP: nothing moved.',
    );
    expect(await sop(PLANNER2, 'cycle next supply_review')).toBe(
      'S&OP 2027-03: Supply review → *Pre-S&OP*.',
    );
    await waitPosted('C_EXEC', '2027-03', 'Pre-S&OP has started');

    // Five minutes after that change, a bare next moves on again.
    clock.set('2027-03-15T10:09:59Z');
    expect(await sop(PLANNER, 'cycle next')).toBe('S&OP 2027-03: Pre-S&OP → *Executive S&OP*.');
    expect(await advances(cycleId)).toEqual([
      'demand_review→supply_review',
      'supply_review→pre_sop',
      'pre_sop→executive',
    ]);

    // `/sop cycle close` with the post refused once: the answer says it is closed, and the
    // executive channel is told by the job's retry.
    standin.failNext('chat.postMessage', { error: 'internal_error' });
    expect(await sop(PLANNER, 'cycle close')).toBe(
      'S&OP 2027-03 is closed. No scenario was adopted: the next cycle has no frozen plan to keep.',
    );
    // Closed without a decision: no adopted plan is said to be the month's reference, and a
    // cycle is closed, not "Closed has started".
    const closed = await waitPosted('C_EXEC', '2027-03', 'is closed');
    expect(closed).toBe(
      'S&OP 2027-03: The cycle is closed without an adopted plan: the next cycle has no frozen plan to keep.',
    );
    expect(standin.ephemeralsFor(PLANNER).filter((e) => APOLOGY.test(e.text))).toEqual([]);
  });
});

describe('a phase-deadline job whose announcement Slack refuses once', () => {
  it('moves the cycle once and the announcement is still posted', async () => {
    const cycleId = await insertCycle(db, { month: '2027-04', phase: 'demand_review' });
    standin.failNext('chat.postMessage', { error: 'internal_error' });
    await h.queues.enqueue('phase-deadline', { cycleId, phase: 'demand_review' });
    const id = `phase-deadline-${cycleId}-demand_review`;
    expect(await h.finished('notifications', id)).toEqual({
      changed: true,
      phase: 'supply_review',
    });
    // Before the fix: attempt 1 moved the cycle and failed on the post; attempt 2 found
    // nothing to move and returned, and C_SUPPLY stayed empty.
    expect((await h.queues.queue('notifications').getJob(id))?.attemptsMade).toBe(1);
    await waitPosted('C_SUPPLY', '2027-04', 'Supply review has started');
    // The same deadline delivered again: nothing moves, nothing is posted twice.
    expect(
      await h.runAgain('phase-deadline', { cycleId, phase: 'demand_review' }, 'notifications'),
    ).toEqual({ changed: false, phase: 'supply_review' });
    await new Promise((r) => setTimeout(r, 500));
    expect(posted('C_SUPPLY', '2027-04')).toHaveLength(1);
    expect(await advances(cycleId)).toEqual(['demand_review→supply_review']);
    await db.updateTable('cycles').set({ phase: 'closed' }).where('id', '=', cycleId).execute();
  });
});

describe('/sop cycle start while Slack refuses the announcement once', () => {
  it('opens the cycle, and the demand channel is told by the retry', async () => {
    // Opening also requests the performance review, a post of its own that may come first:
    // two refusals, so the announcement meets one whichever posts first.
    standin.failNext('chat.postMessage', { error: 'internal_error', times: 2 });
    await h.sop(PLANNER, 'cycle start 2027-05', 'C_EXEC');
    // Before the fix: the apology, no announcement, and a retry told to close the new cycle.
    await waitPosted('C_DEMAND', '2027-05', 'Data gathering has started');
    // The review's retry may post before or after the announcement's: only the announcement
    // is counted.
    expect(
      posted('C_DEMAND', '2027-05').filter((t) => t.includes('Data gathering has started')),
    ).toHaveLength(1);
    expect(standin.ephemeralsFor(PLANNER).filter((e) => APOLOGY.test(e.text))).toEqual([]);
  });
});
