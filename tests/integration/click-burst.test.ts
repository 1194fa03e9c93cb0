/**
 * A burst of clicks on a small bot: one after-ack slot, so a pool of 2 × 1 + 2 = 4 connections
 * (botPoolSize). 30 owners click Done on their action's DM at once; a Done holds its action's
 * draw lock on one connection while it reads on another. Before every listener's after-ack
 * work went through the bound, the clicks ran at once, took all four connections as lock
 * holders, and waited for a fifth until pg's connection timeout: actions left open and people
 * told "Something went wrong". Then 30 executives vote at once on one vote. Every click takes
 * effect exactly once, and no one is told of an error. The real bot over HTTP, the stand-in,
 * real Postgres and Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { botPoolSize } from '../../src/bot.js';
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

const CLICKS = 30;
const OWNERS = Array.from({ length: CLICKS }, (_, i) => `U_OPS${String(i).padStart(2, '0')}`);
const EXECS = Array.from({ length: CLICKS }, (_, i) => `U_EXEC${String(i).padStart(2, '0')}`);
const PLANNER = 'U_PLAN';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'click-burst',
  members: {
    [PLANNER]: 'planner',
    ...Object.fromEntries(OWNERS.map((u) => [u, 'ops' as const])),
    ...Object.fromEntries(EXECS.map((u) => [u, 'exec' as const])),
  },
  clock,
  afterAckSlots: 1,
});
let db: Db;
let standin: Standin;
let cycleId: number;
let central: string;

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  // No quorum: the vote stays open for every click.
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const run = await insertRun(db, {
    cycleId,
    runKey: 'click-burst',
    periods: ['2027-03'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  central = run.ids.central!;
});

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 30_000);
/** Everything `user` was told: ephemerals and DMs. */
const toldTo = (user: string) => [
  ...standin.ephemeralsFor(user).map((e) => e.text),
  ...standin.messagesIn(`D_${user}`).map((m) => m.text),
];
const apology = (t: string) => t.startsWith(':warning:') || t.includes('went wrong');

describe('a burst of clicks on a bot with a pool of four connections', () => {
  it('30 Done clicks at once: each action is done once, no one is told of an error', async () => {
    // One slot: two connections for it, two for the rest.
    expect(botPoolSize(1)).toBe(4);
    const rec = await recordDecision(
      { db, queue: h.queues, clock },
      {
        cycleId,
        pollId: null,
        scenarioId: central,
        rationale: 'Service first',
        decidedBy: PLANNER,
        requestKey: 'click-burst-decision',
        actions: OWNERS.map((owner, i) => ({
          owner,
          dueDate: '2027-03-25',
          description: `Book overtime for shift ${i}`,
        })),
      },
    );
    await deliverJobs(db, h.queues, { ids: rec.jobRequests });
    const ids = rec.actions.map((a) => a.id);
    const dms = await Promise.all(
      OWNERS.map((u, i) =>
        waitFor(() =>
          standin
            .messagesIn(`D_${u}`)
            .find(
              (m) => m.text.includes(`shift ${i}`) && JSON.stringify(m).includes('action_done'),
            ),
        ),
      ),
    );

    const acks = await Promise.all(
      OWNERS.map((user, i) =>
        h.driver.clickButton(`D_${user}`, dms[i]!.ts, 'action_done', { user }),
      ),
    );
    expect(acks.map((a) => a.status)).toEqual(OWNERS.map(() => 200));

    // Each DM is drawn done, without its buttons: the click's work is over.
    for (const [i, u] of OWNERS.entries())
      await waitFor(() => {
        const dm = standin.messagesIn(`D_${u}`).find((m) => m.ts === dms[i]!.ts);
        return (dm && !JSON.stringify(dm).includes('action_done')) || toldTo(u).some(apology);
      });
    const rows = await db
      .selectFrom('actions')
      .select(['id', 'status', 'done_by'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.status, r.done_by])).toEqual(OWNERS.map((u) => ['done', u]));
    const audits = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'action.done')
      .execute();
    expect(audits.map((a) => a.entity_id).sort()).toEqual([...ids].sort());
    expect(OWNERS.flatMap(toldTo).filter(apology)).toEqual([]);
  });

  it('30 vote clicks at once: each vote is counted once, each voter gets a receipt', async () => {
    await h.sop(PLANNER, 'vote 24');
    const poll = (await pollUntil(
      () => db.selectFrom('polls').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst(),
      (p) => p?.message_ts != null,
    ))!;
    const acks = await Promise.all(
      EXECS.map((user) =>
        h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user }),
      ),
    );
    expect(acks.map((a) => a.status)).toEqual(EXECS.map(() => 200));
    for (const u of EXECS) await waitFor(() => standin.ephemeralsFor(u).length > 0);
    const votes = await db
      .selectFrom('votes')
      .select(['voter', 'scenario_id', 'counted'])
      .where('poll_id', '=', poll.id)
      .orderBy('voter')
      .execute();
    // vote_cast_1 is the first option: Central.
    expect(votes).toEqual(EXECS.map((voter) => ({ voter, scenario_id: central, counted: true })));
    expect(EXECS.flatMap(toldTo).filter(apology)).toEqual([]);
  });
});
