/**
 * Two S&OE checks of one week, the first slowed down: every import requests its own check
 * and the posts queue runs two jobs at once, so a check that read the week's first figures
 * could commit its deviation after the check of a corrected import had found nothing. Checks
 * of one week now run one at a time, each reading the figures once it holds the week's lock:
 * the corrected figure decides. Thresholds worked out by hand below.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { importCsv } from '../../src/import/import-csv.js';
import { checkWeek, type ExecutionDeps } from '../../src/services/execution.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

// Monday 8 February 2027: the week of 1 February is over.
const clock = testClock('2027-02-08T09:00:00Z');
const h = useHarness({ label: 'soe-order', clock, members: { U_PAT: 'planner' } });
let db: Db;
let deps: ExecutionDeps;

const WEEK = '2027-02-01';

beforeAll(async () => {
  db = h.db;
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', supply_channel: 'C_SUPPLY', frozen_months: 2 })
    .execute();
  const janId = await insertCycle(db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-20T00:00:00Z'),
  });
  const run = await insertRun(db, {
    cycleId: janId,
    runKey: 'soe-order-jan',
    periods: ['2027-01', '2027-02', '2027-03'],
    demand: { [fam.fam1]: 400, [fam.fam2]: 1000 },
    price: { [fam.fam1]: 900, [fam.fam2]: 20 },
    resources: [{ id: fam.line, capacity: 2000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  await db
    .updateTable('cycles')
    .set({ adopted_scenario_id: run.ids.central! })
    .where('id', '=', janId)
    .execute();
  // FAM-1's P90 for the week: 400 × 7/28 + (480 − 400) × √(7/28) = 100 + 40 = 140.
  await db
    .insertInto('baseline_forecasts')
    .values({ cycle_id: janId, family_id: fam.fam1, period: '2027-02', value: 400, hi80: 480 })
    .execute();
  await db.insertInto('cycles').values({ month: '2027-02', phase: 'data_gathering' }).execute();
  const { WebClient } = await import('@slack/web-api');
  deps = {
    db,
    queue: h.queues,
    clock,
    slack: new WebClient(h.env.SLACK_BOT_TOKEN, { slackApiUrl: h.standin.apiUrl }),
  } as ExecutionDeps;
}, 60_000);

const sales = (units: number) =>
  importCsv(db, {
    kind: 'weekly-sales',
    fileName: 'weekly-sales.csv',
    text: `family,week,units\nFAM-1,${WEEK},${units}\n`,
    actor: 'U_PAT',
  });

/** A session waiting for a lock on the deviations table (an insert held up). */
async function insertWaiting(): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks
    where relation = 'deviations'::regclass and not granted`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

describe('S&OE checks of one week', () => {
  it('a check slowed past a corrected import leaves no deviation the corrected figure clears', async () => {
    await sales(150); // 150 > 140: a deviation
    // Another session holds the deviations table in SHARE mode: check A reads 150 and waits
    // to insert its deviation.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const blocker = db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`lock table deviations in share mode`.execute(conn);
      locked();
      await held;
      await sql`commit`.execute(conn);
    });
    await isLocked;
    const checkA = checkWeek(deps, WEEK);
    for (let i = 0; i < 400 && !(await insertWaiting()); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(await insertWaiting()).toBe(true);

    await sales(130); // corrected: 130 ≤ 140, no deviation
    const checkB = checkWeek(deps, WEEK);
    // Before the fix B read 130, found nothing open and finished while A was held up.
    await Promise.race([checkB, new Promise((r) => setTimeout(r, 1000))]);
    release();
    await blocker;
    const [a, b] = await Promise.all([checkA, checkB]);
    // A frozen month: 150 against the week's plan 400 × 7/28 = 100 is +50.0%, past 25%.
    expect(a.found.map((d) => d.summary)).toEqual([
      'FAM-1 sold 150 units in the week of 2027-02-01, above 140, the top of its forecast range (+7.1%), +50.0% against its planned 100',
    ]);
    // B runs after A and judges A's deviation by the corrected figure.
    expect({ found: b.found.length, resolved: b.resolved }).toEqual({ found: 0, resolved: 1 });
    const open = await db
      .selectFrom('deviations')
      .innerJoin('actions', 'actions.id', 'deviations.action_id')
      .select(['deviations.actual', 'actions.status'])
      .where('deviations.week', '=', WEEK)
      .where('actions.status', '=', 'open')
      .execute();
    expect(open).toEqual([]);
  });
});
