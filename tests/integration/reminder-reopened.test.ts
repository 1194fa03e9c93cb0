/**
 * A weekly S&OE action cancelled by a corrected import, then opened again by a later one.
 * Cancelled, Done clicked on a DM the redraw has not reached yet (Slack asked its job to wait)
 * draws that DM cancelled; before, it read ":white_check_mark: … done (marked by @who).", which
 * was not true. Opened again, it is
 * reminded again: its next overdue reminder comes on the next working day. Before, the reopening
 * asked again for its first overdue reminder (long past, its job id still kept by the queue,
 * which refused it), while the overdue reminder that came during the cancellation had sent
 * nothing and scheduled no next one: the action, open and overdue, was never reminded again.
 * The production worker runtime, real Postgres and Redis, the stand-in, a test clock (UTC).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { dbNow } from '../../db/queries/execution.js';
import { jobId } from '../../jobs/contracts.js';
import { importCsv } from '../../src/import/import-csv.js';
import { requestExecutionChecks } from '../../src/services/execution.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

// Monday 8 February 2027, 09:00 UTC: the week of 1 February is over.
const clock = testClock('2027-02-08T09:00:00Z');
const h = useHarness({
  label: 'soe-reopened-reminders',
  clock,
  members: { U_RITA: 'sales', U_PAT: 'planner' },
});
let db: Db;

const WEEK = '2027-02-01';

beforeAll(async () => {
  db = h.db;
  const fam = await insertFamilies(db);
  await db
    .insertInto('member_families')
    .values({ slack_user_id: 'U_RITA', family_id: fam.fam1 })
    .execute();
  await db
    .insertInto('workspace_settings')
    .values({
      team_id: 'default',
      supply_channel: 'C_SUPPLY',
      exec_channel: 'C_EXEC',
      frozen_months: 2,
    })
    .execute();
  const janId = await insertCycle(db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-20T00:00:00Z'),
  });
  // The adopted plan: FAM-1 400 a month; January's baseline of February 400, P80 top 480.
  const run = await insertRun(db, {
    cycleId: janId,
    runKey: 'soe-reopened-jan',
    periods: ['2027-01', '2027-02', '2027-03', '2027-04'],
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
  await db
    .insertInto('baseline_forecasts')
    .values({ cycle_id: janId, family_id: fam.fam1, period: '2027-02', value: 400, hi80: 480 })
    .execute();
  await db.insertInto('cycles').values({ month: '2027-02', phase: 'data_gathering' }).execute();
}, 60_000);

/** FAM-1's sales of the week imported as `units`, and the week's check run to its end. */
async function importSales(units: number): Promise<Record<string, unknown>> {
  const since = await dbNow(db);
  const r = await importCsv(db, {
    kind: 'weekly-sales',
    fileName: 'weekly-sales.csv',
    text: `family,week,units\nFAM-1,${WEEK},${units}\n`,
    actor: 'U_PAT',
  });
  expect(await requestExecutionChecks(db, h.queues, [r], since)).toEqual([WEEK]);
  return h.finished(
    'posts',
    jobId('execution-check', { week: WEEK, requestKey: `import:${r.auditId}` }),
  );
}

const status = async (id: string) =>
  (await db.selectFrom('actions').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;
const overdue = (actionId: string, n: number) =>
  h.comeDue(
    'action-reminder',
    { actionId, kind: 'overdue', occurrence: `overdue-${n}` },
    'notifications',
  );
const ritasDms = () => h.standin.messagesIn('D_U_RITA');

describe('an S&OE action cancelled, then opened again', () => {
  let id: string;

  it('cancelled, its DM clicked Done before the job redraws it says cancelled, not done', async () => {
    // FAM-1 sold 150 in the week, above its P90 of 400 × 7/28 + (480 − 400) × √(7/28) = 140:
    // Rita's action, due two working days on, Wednesday 10 February.
    expect(await importSales(150)).toEqual({ deviations: 1 });
    const action = await db
      .selectFrom('actions')
      .select(['id', 'owner', 'due_date'])
      .executeTakeFirstOrThrow();
    expect(action).toMatchObject({ owner: 'U_RITA', due_date: '2027-02-10' });
    id = String(action.id);
    // Published (its reminders scheduled, then the DM): Rita's DM about it.
    await h.standin.waitFor(() => ritasDms().some((m) => m.text.includes(`#${id} `)), 20_000);

    // Thursday 11th, the first working day after it: the first overdue reminder.
    clock.set('2027-02-11T09:00:00Z');
    expect(await overdue(id, 1)).toEqual({ result: 'sent' });
    // A correction (120, within 140) cancels it. Slack asks the job that redraws her DMs about
    // it to wait (a 429, chat.update's Tier 3): they still show Done, Snooze and Reassign.
    clock.set('2027-02-11T10:00:00Z');
    h.standin.failNext('chat.update', { status: 429, retryAfter: 30, channel: 'D_U_RITA' });
    expect(await importSales(120)).toMatchObject({ resolved: 1 });
    expect(await status(id)).toBe('cancelled');
    await h.standin.waitFor(
      () => ritasDms().some((m) => m.text.startsWith('No longer a deviation')),
      20_000,
    );
    await h.standin.waitFor(
      () => h.standin.callsTo('chat.update').some((c) => c.status === 429),
      20_000,
    );
    // Rita clicks Done on the DM that gave it to her: it is cancelled, and the DM says so
    // (before: ":white_check_mark: … done (marked by @Rita). Reminders stopped.").
    const assigned = await db
      .selectFrom('slack_posts')
      .select('ts')
      .where('post_key', '=', `action:${id}:assigned`)
      .executeTakeFirstOrThrow();
    const ts = assigned.ts!;
    await h.driver.clickButton('D_U_RITA', ts, 'action_done', { user: 'U_RITA' });
    const drawn = await h.standin.waitFor(() => {
      const m = ritasDms().find((x) => x.ts === ts);
      return m?.text.startsWith(':no_entry_sign:') || m?.text.startsWith(':white_check_mark:')
        ? m
        : undefined;
    }, 10_000);
    expect(drawn.text).toMatch(
      new RegExp(
        `^:no_entry_sign: #${id} FAM-1 sold 150 .*: cancelled as no longer needed\\. Reminders stopped\\.$`,
      ),
    );
    expect(await status(id)).toBe('cancelled');
  });

  it('is reminded again on the next working day', async () => {
    // Friday 12th: the second overdue reminder comes while it is cancelled, and sends nothing.
    clock.set('2027-02-12T09:00:00Z');
    const before = ritasDms().length;
    expect(await overdue(id, 2)).toEqual({ result: 'not_open' });
    expect(ritasDms().length).toBe(before);
    // Friday 12th, 10:00: another correction (200, past 140 again) opens it again.
    clock.set('2027-02-12T10:00:00Z');
    expect(await importSales(200)).toMatchObject({ updated: 1 });
    expect(await status(id)).toBe('open');

    // Monday 15th, the third working day after its due date (Thu 11, Fri 12, Mon 15): its third
    // overdue reminder, 5 days after the 10th.
    clock.set('2027-02-15T09:00:00Z');
    expect(await overdue(id, 3)).toEqual({ result: 'sent' });
    expect(
      ritasDms().filter((m) => m.text.startsWith(`:warning: Overdue by 5 days: #${id} `)),
    ).toHaveLength(1);
  });
});
