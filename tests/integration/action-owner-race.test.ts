/**
 * Done and Snooze change an action only while it is the clicker's (or the clicker may change
 * anyone's, `action.manage-any`), in the statement that changes it: a reassignment committed
 * between the click's read of the owner and its write leaves the action to its new owner, and
 * the old owner is told to whom it went. Driven through the services with the reassignment in
 * between, and through the real bot over HTTP with the reassignment held on the action's row
 * while the old owner's Done waits on it. Refused so, or on a DM the handover left with its
 * buttons, the old owner's DM is redrawn at once to say to whom the action went. Real Postgres
 * and Redis, the Slack stand-in.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { jobId } from '../../jobs/contracts.js';
import { handOverReassignment, reassignAction } from '../../src/services/action-reassign.js';
import { getAction, markDone, snoozeAction } from '../../src/services/actions.js';
import { getMember } from '../../src/services/members.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { standinClient } from '../helpers/slack.js';
import { actionButtonsBlock, decideMarchActions } from './action-fixture.js';
import { pollUntil, settledJob, testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';
const PLANNER = 'U_PLAN';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'action-owner-race',
  members: { [ADMIN]: 'admin', [EXEC]: 'exec', [OPS]: 'ops', [PLANNER]: 'planner' },
  clock,
});
let db: Db;
let standin: Standin;
let ids: string[];

beforeAll(async () => {
  ({ db, standin } = h);
  ids = await decideMarchActions(h, clock, 'owner-race', EXEC, [
    { owner: OPS, dueDate: '2027-03-25', description: 'Book weekend overtime' },
    { owner: OPS, dueDate: '2027-03-26', description: 'Call the resin supplier' },
    { owner: OPS, dueDate: '2027-03-27', description: 'Count the safety stock' },
    { owner: OPS, dueDate: '2027-03-28', description: 'Order pallets' },
  ]);
}, 60_000);

const deps = () => ({ db, queue: h.queues, clock, logger: recordedLogs().logger });
const stateOf = (id: string) =>
  db
    .selectFrom('actions')
    .select(['status', 'owner', 'done_by', 'snoozed_until'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const audited = (id: string, action: string) =>
  db
    .selectFrom('audit_log')
    .select('actor')
    .where('action', '=', action)
    .where('entity_id', '=', id)
    .execute();

/** Sessions of the test database waiting on a lock. */
async function waiting(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
  return r.rows[0]?.n ?? 0;
}
async function untilWaiting(n: number): Promise<void> {
  for (let i = 0; i < 400 && (await waiting()) < n; i++)
    await new Promise((r) => setTimeout(r, 25));
  expect(await waiting()).toBe(n);
}

/** The handover job of action `id`'s reassignment, once it has settled. */
async function handoverSettled(id: string) {
  const entry = await pollUntil(
    () =>
      db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'action.reassign')
        .where('entity_id', '=', id)
        .executeTakeFirst(),
    (r) => r !== undefined,
  );
  return settledJob(
    h.queues,
    'notifications',
    jobId('action-handover', { actionId: id, handover: entry!.id }),
  );
}

describe('Done and Snooze after the action was given to someone else', () => {
  it('the old owner changes nothing and is told to whom it went; its new owner and an admin still can', async () => {
    const id = ids[0]!;
    // The click reads the action: OPS owns it, so OPS may close it.
    expect((await getAction(db, id))?.owner).toBe(OPS);
    // Meanwhile it is given to PLANNER.
    const given = await reassignAction(
      { ...deps(), slack: standinClient(standin, h.env.SLACK_BOT_TOKEN!) },
      {
        actionId: id,
        to: PLANNER,
        member: await getMember(db, OPS),
        requestKey: 'owner-race-reassign',
      },
    );
    // Then the click writes. Before: marked done by OPS, whose action it no longer was.
    await expect(markDone(deps(), id, OPS)).rejects.toThrow(
      `Action #${id} was given to <@${PLANNER}> meanwhile; nothing was changed.`,
    );
    await expect(snoozeAction(deps(), id, OPS, '1d')).rejects.toThrow(
      `Action #${id} was given to <@${PLANNER}> meanwhile; nothing was changed.`,
    );
    expect(await stateOf(id)).toEqual({
      status: 'open',
      owner: PLANNER,
      done_by: null,
      snoozed_until: null,
    });
    expect(await audited(id, 'action.done')).toEqual([]);
    expect(await audited(id, 'action.snooze')).toEqual([]);

    // Its new owner snoozes it; an admin (any action) closes it.
    const { action: snoozed } = await snoozeAction(deps(), id, PLANNER, '1d');
    expect(snoozed.snoozed_until).toEqual(new Date('2027-03-16T10:00:00Z'));
    const done = await markDone(deps(), id, ADMIN, { manageAny: true });
    expect(done.changed).toBe(true);
    expect(await stateOf(id)).toMatchObject({ status: 'done', owner: PLANNER, done_by: ADMIN });
    // Its handover job runs now, not while a later test counts on Slack's edits.
    await handOverReassignment(deps(), given);
    await handoverSettled(id);
  });

  it("through the bot: the old owner's Done, held while the reassignment commits, is answered with the new owner", async () => {
    const id = ids[1]!;
    const dm = await standin.waitFor(
      () => standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes('Call the resin supplier')),
      20_000,
    );
    // The reassignment holds the action's row: the click reads OPS as its owner (the
    // committed row), then waits to write.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const reassigning = db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`update actions set owner = ${PLANNER} where id = ${id}`.execute(conn);
      locked();
      await held;
      await sql`commit`.execute(conn);
    });
    await isLocked;
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_done', { user: OPS });
    // The click's write waits on the row: it read OPS, who may close their own action.
    await untilWaiting(1);
    release();
    await reassigning;

    const told = await standin.waitFor(
      () =>
        [
          ...standin.ephemeralsFor(OPS).map((e) => e.text),
          ...standin.messagesIn(`D_${OPS}`).map((m) => m.text),
        ].find((t) => t.includes('meanwhile')),
      20_000,
    );
    expect(told).toContain(
      `Action #${id} was given to <@${PLANNER}> meanwhile; nothing was changed.`,
    );
    // Before: "Action #2 is done …" and the row done by OPS.
    const row = await pollUntil(
      () => stateOf(id),
      (r) => r.owner === PLANNER,
    );
    expect(row).toEqual({ status: 'open', owner: PLANNER, done_by: null, snoozed_until: null });
    expect(await audited(id, 'action.done')).toEqual([]);
  });
});

/** OPS's DM that gave them the action described `what`, as it stands now. */
const opsDm = (what: string) =>
  standin.waitFor(() => standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes(what)), 20_000);
const HEAD = ':memo: You own a follow-up action from the executive S&OP meeting';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

describe("a refused Done or Snooze redraws the old owner's DM at once", () => {
  it('Done on a DM whose handover left its buttons (Slack refused the edit then): refused, and the DM shows to whom it went', async () => {
    const id = ids[2]!;
    const dm = await opsDm('Count the safety stock');
    const asSent = [
      section(`${HEAD}\n*#${id}* Count the safety stock\nDue *2027-03-27*`),
      actionButtonsBlock(id),
    ];
    expect(dm.blocks).toEqual(asSent);
    // The handover job's edit of this DM is refused by Slack: it keeps its buttons.
    standin.failNext('chat.update', { error: 'message_not_found' });
    await h.sop(ADMIN, `actions reassign #${id} <@${PLANNER}>`);
    const job = await handoverSettled(id);
    expect(job.returnvalue).toMatchObject({ buttonsRemoved: 0, notEdited: 1 });
    expect(standin.messagesIn(`D_${OPS}`).find((m) => m.ts === dm.ts)?.blocks).toEqual(asSent);

    // OPS presses Done on it: refused, as the action is PLANNER's.
    const n = standin.ephemeralsFor(OPS).length;
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_done', { user: OPS });
    const told = await standin.waitFor(() => standin.ephemeralsFor(OPS)[n], 20_000);
    expect(told.text).toBe(
      `Only <@${PLANNER}> (the owner) or Admin members can close this action.`,
    );
    // Before: the DM kept Done, Snooze and Reassign, each refused on every press.
    const redrawn = await standin.waitFor(() => {
      const m = standin.messagesIn(`D_${OPS}`).find((x) => x.ts === dm.ts);
      return m && JSON.stringify(m.blocks) !== JSON.stringify(asSent) ? m : null;
    }, 20_000);
    expect(redrawn.blocks).toEqual([
      section(`${HEAD}\n*#${id}* Count the safety stock\nDue *2027-03-27*`),
      context(`:arrow_right: Reassigned to <@${PLANNER}> by <@${ADMIN}> on 2027-03-15.`),
    ]);
    expect(await stateOf(id)).toEqual({
      status: 'open',
      owner: PLANNER,
      done_by: null,
      snoozed_until: null,
    });
  });

  it('Snooze whose write waited on the reassignment: refused with the new owner, and the DM shows to whom it went', async () => {
    const id = ids[3]!;
    const dm = await opsDm('Order pallets');
    const asSent = [
      section(`${HEAD}\n*#${id}* Order pallets\nDue *2027-03-28*`),
      actionButtonsBlock(id),
    ];
    expect(dm.blocks).toEqual(asSent);
    // The admin's reassignment, its row and audit entry written as the service writes them,
    // holds the action's row until the click's write waits on it. Its handover job is never
    // requested: any redraw of the DM is the refusal's.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const reassigning = db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`update actions set owner = ${PLANNER} where id = ${id}`.execute(conn);
      await audit(conn, {
        actor: ADMIN,
        action: 'action.reassign',
        entity: 'action',
        entityId: id,
        details: {
          from: OPS,
          to: PLANNER,
          requestKey: 'held-reassign',
          at: clock.now().toISOString(),
        },
      });
      locked();
      await held;
      await sql`commit`.execute(conn);
    });
    await isLocked;
    const n = standin.ephemeralsFor(OPS).length;
    await h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_snooze_1d', { user: OPS });
    // The click read OPS as the owner (the committed row); its write waits on the row.
    await untilWaiting(1);
    release();
    await reassigning;

    const told = await standin.waitFor(() => standin.ephemeralsFor(OPS)[n], 20_000);
    expect(told.text).toContain(
      `Action #${id} was given to <@${PLANNER}> meanwhile; nothing was changed.`,
    );
    // Before: the refusal alone, the DM still offering Done, Snooze and Reassign.
    const redrawn = await standin.waitFor(() => {
      const m = standin.messagesIn(`D_${OPS}`).find((x) => x.ts === dm.ts);
      return m && JSON.stringify(m.blocks) !== JSON.stringify(asSent) ? m : null;
    }, 20_000);
    expect(redrawn.blocks).toEqual([
      section(`${HEAD}\n*#${id}* Order pallets\nDue *2027-03-28*`),
      context(`:arrow_right: Reassigned to <@${PLANNER}> by <@${ADMIN}> on 2027-03-15.`),
    ]);
    expect(await stateOf(id)).toEqual({
      status: 'open',
      owner: PLANNER,
      done_by: null,
      snoozed_until: null,
    });
  });
});
