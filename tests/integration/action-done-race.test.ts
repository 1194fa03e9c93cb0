/**
 * Done clicked on App Home and in the action's DM at once: one click records it, and the
 * other is told the action is done, never "already open" (the sentence was built from the
 * row read before the click's own update). The real bot over HTTP and the Slack stand-in;
 * the two clicks are held on the action's row lock by the test, so the DM's click wins and
 * the App Home's click is the one that finds the action done.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { recordDecision } from '../../src/services/decisions.js';
import { deliverJobs } from '../../src/services/outbox.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import {
  insertFamilies,
  insertRun,
  pollUntil,
  SCENARIOS,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OPS = 'U_OPS';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'action-done-race',
  members: { [EXEC]: 'exec', [OPS]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let actionId: string;

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC' })
    .execute();
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const run = await insertRun(db, {
    cycleId,
    runKey: 'done-race',
    periods: ['2027-03'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  const rec = await recordDecision(
    { db, queue: h.queues, clock },
    {
      cycleId,
      pollId: null,
      scenarioId: run.ids.central!,
      rationale: 'Service first',
      decidedBy: EXEC,
      requestKey: 'done-race-decision',
      actions: [{ owner: OPS, dueDate: '2027-03-25', description: 'Book weekend overtime' }],
    },
  );
  actionId = rec.actions[0]!.id;
  await deliverJobs(db, h.queues, { ids: rec.jobRequests });
}, 60_000);

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

describe('Done on App Home and in the DM at once', () => {
  it('the click that loses is told the action is done, not that it is open', async () => {
    const dm = await standin.waitFor(
      () => standin.messagesIn(`D_${OPS}`).find((m) => m.text.includes('Book weekend overtime')),
      20_000,
    );
    await h.driver.event({ type: 'app_home_opened', user: OPS, channel: `D_${OPS}`, tab: 'home' });
    const home = await standin.waitFor(() => standin.homeView(OPS), 20_000);
    expect(JSON.stringify(home.definition)).toContain('action_done');

    // The test holds the action's row: both clicks read it open, then wait to update it.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const holder = db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select id from actions where id = ${actionId} for update`.execute(conn);
      locked();
      await held;
      await sql`rollback`.execute(conn);
    });
    await isLocked;
    const clicks = Promise.all([
      h.driver.clickButton(`D_${OPS}`, dm.ts, 'action_done', { user: OPS }),
      untilWaiting(1).then(() =>
        h.driver.selectOption(home.id, 'action_done', actionId, { user: OPS }),
      ),
    ]);
    // Row locks are granted in the order asked: the DM's click first, then App Home's.
    await untilWaiting(2);
    release();
    await holder;
    await clicks;

    // The clicks are acked first; their work finishes after.
    const row = await pollUntil(
      () =>
        db
          .selectFrom('actions')
          .select(['status', 'done_by'])
          .where('id', '=', actionId)
          .executeTakeFirstOrThrow(),
      (r) => r.status === 'done',
    );
    expect(row).toEqual({ status: 'done', done_by: OPS });
    // App Home's click has no channel: its answer is a DM. Before the fix: "is already open."
    const answer = await standin.waitFor(
      () =>
        standin
          .messagesIn(`D_${OPS}`)
          .find((m) => m.text.startsWith(`Action #${actionId} is already`)),
      20_000,
    );
    expect(answer.text).toBe(`Action #${actionId} is already done.`);
    const texts = [
      ...standin.messagesIn(`D_${OPS}`).map((m) => JSON.stringify(m)),
      ...standin.ephemeralsFor(OPS).map((e) => e.text),
    ];
    expect(texts.filter((t) => t.includes('already open'))).toEqual([]);
  });
});
