/**
 * A weekly S&OE check that finds many deviations posts them rolled up: one message in the
 * supply channel with the complete list in its thread, one DM per owner, exactly once through
 * the real worker; corrections thread under the roll-up. At or below ROLLUP_THRESHOLD (3),
 * each deviation is posted on its own as before. Figures are worked out by hand below.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { dbNow } from '../../db/queries/execution.js';
import { jobId } from '../../jobs/contracts.js';
import { importCsv } from '../../src/import/import-csv.js';
import { requestExecutionChecks, weeklyImports } from '../../src/services/execution.js';
import { insertCycle } from '../helpers/db.js';
import { insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

// Monday 8 February 2027, 09:00 UTC. Deviations are due two working days later: 2027-02-10.
const clock = testClock('2027-02-08T09:00:00Z');
const h = useHarness({
  label: 'soe-rollup',
  clock,
  members: { U_OTTO: 'ops', U_RITA: 'sales', U_PAT: 'planner' },
});
let db: Db;

/** The audit's scale: 146 families, so a bad week finds 292 deviations. */
const FAMILIES = Array.from({ length: 146 }, (_, i) => `FAM-${String(i + 1).padStart(3, '0')}`);
const WEEK = '2027-02-01';

beforeAll(async () => {
  db = h.db;
  const fams = await db
    .insertInto('families')
    .values(
      FAMILIES.map((code) => ({
        code,
        name: code,
        price: 10,
        unit_cost: 5,
        holding_cost: 1,
        backlog_cost: 2,
      })),
    )
    .returning('id')
    .execute();
  const line = await db
    .insertInto('resources')
    .values({ code: 'LINE-1', name: 'Assembly line', kind: 'line', regular_capacity: 100_000 })
    .returning('id')
    .executeTakeFirstOrThrow();
  // U_RITA is every family's sales rep; U_OTTO, operations, owns the supply deviations.
  await db
    .insertInto('member_families')
    .values(fams.map((f) => ({ slack_user_id: 'U_RITA', family_id: f.id })))
    .execute();
  await db
    .insertInto('workspace_settings')
    .values({
      team_id: 'default',
      supply_channel: 'C_SUPPLY',
      frozen_months: 2,
      soe_frozen_break_pct: 60,
    })
    .execute();
  const janId = await insertCycle(db, {
    month: '2027-01',
    phase: 'closed',
    closed_at: new Date('2027-01-20T00:00:00Z'),
  });
  // Every family 400 a month, produced as demanded; the baseline 400 with hi80 480.
  const run = await insertRun(db, {
    cycleId: janId,
    runKey: 'rollup-jan',
    periods: ['2027-01', '2027-02', '2027-03'],
    demand: Object.fromEntries(fams.map((f) => [f.id, 400])),
    price: Object.fromEntries(fams.map((f) => [f.id, 10])),
    resources: [{ id: line.id, capacity: 100_000, loadPerUnit: 1 }],
    scenarios: SCENARIOS.slice(0, 1),
  });
  await db
    .updateTable('cycles')
    .set({ adopted_scenario_id: run.ids.central! })
    .where('id', '=', janId)
    .execute();
  await db
    .insertInto('baseline_forecasts')
    .values(
      fams.map((f) => ({
        cycle_id: janId,
        family_id: f.id,
        period: '2027-02',
        value: 400,
        hi80: 480,
      })),
    )
    .execute();
  await db.insertInto('cycles').values({ month: '2027-02', phase: 'data_gathering' }).execute();
}, 60_000);

const weekly = (kind: 'weekly-sales' | 'weekly-production', rows: readonly string[]) =>
  importCsv(db, {
    kind,
    fileName: `${kind}.csv`,
    text: `family,week,units\n${rows.join('\n')}\n`,
    actor: 'U_PAT',
  });

/** Import the week's sales and production, run its check through the worker: its result. */
async function check(week: string, sales: Record<string, number>, made: Record<string, number>) {
  const since = await dbNow(db);
  const results = [
    await weekly(
      'weekly-sales',
      Object.entries(sales).map(([f, u]) => `${f},${week},${u}`),
    ),
    await weekly(
      'weekly-production',
      Object.entries(made).map(([f, u]) => `${f},${week},${u}`),
    ),
  ];
  expect(await requestExecutionChecks(db, h.queues, results, since)).toEqual([week]);
  // The check is keyed by the imports that changed rows.
  const requestKey = `import:${weeklyImports(results)
    .map((r) => r.auditId)
    .join(',')}`;
  return h.finished('posts', jobId('execution-check', { week, requestKey }));
}

/** The action of the week's deviation of `kind` for `code`. */
async function actionOf(week: string, kind: string, code: string): Promise<string> {
  const row = await db
    .selectFrom('deviations')
    .select('action_id')
    .where('week', '=', week)
    .where('kind', '=', kind as 'sales_above_p90')
    .where('dedupe_key', '=', `${kind}:${week}:${code}`)
    .executeTakeFirstOrThrow();
  return row.action_id!;
}

const rollupCheck = async (week: string) =>
  (
    await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'deviation.rollup')
      .where('entity_id', '=', week)
      .executeTakeFirstOrThrow()
  ).id;

const textOf = (blocks: unknown, i: number) =>
  (blocks as { text?: { text: string } }[])[i]?.text?.text;

describe('a check that finds many deviations', () => {
  let rollupTs = '';

  it('posts one message in the supply channel, the whole list in its thread, one DM per owner', async () => {
    // The week is 7/28 of February: consensus share 400 × 0.25 = 100, P90 100 + (480 − 400)
    // × √0.25 = 140, planned production 100 (below 90 is 10% short). Against the share, more
    // than 60% off breaks the frozen plan (February is in January's frozen zone).
    // Sales: 150 → +7.1% over 140, 50% off 100; 155 → +10.7%; 200 → +42.9%, 100% off: a break;
    // 145 → +3.6%. Production: 80 → −20.0%; 85 → −15.0%; 30 → −70.0%: a break; 50 → −50.0%.
    // The failed DM channel open makes the roll-up job fail once after its channel posts.
    h.standin.failNext('conversations.open', { error: 'internal_error' });
    const out = await check(
      WEEK,
      { 'FAM-001': 150, 'FAM-002': 155, 'FAM-003': 200, 'FAM-004': 145 },
      { 'FAM-001': 80, 'FAM-002': 85, 'FAM-003': 30, 'FAM-004': 50 },
    );
    expect(out).toEqual({ deviations: 8, rolledUp: true });

    // One job for the roll-up, none per deviation, recorded in the transaction that recorded
    // the deviations: now() is the transaction's start, so every row it wrote has the same time.
    const check8 = await rollupCheck(WEEK);
    const outbox = await db
      .selectFrom('job_outbox')
      .select(['job_name', 'payload', 'created_at'])
      .where('job_name', 'in', ['execution-check', 'deviation-rollup', 'deviation-publish'])
      .orderBy('id')
      .execute();
    expect(outbox.map((r) => [r.job_name, r.payload])).toEqual([
      ['execution-check', expect.anything()],
      ['deviation-rollup', { check: check8 }],
    ]);
    const audited = await db
      .selectFrom('audit_log')
      .select(['action', 'at'])
      .where('action', 'in', ['deviation.record', 'deviation.rollup'])
      .execute();
    expect(audited).toHaveLength(9);
    expect(
      new Set([...audited.map((r) => r.at.getTime()), outbox[1]!.created_at.getTime()]).size,
    ).toBe(1);

    const result = await h.finished('posts', `deviation-rollup-${check8}`);
    expect(result).toEqual({ deviations: 8, replies: 1, owners: 2 });

    const a = async (kind: string, code: string) => `#${await actionOf(WEEK, kind, code)}`;
    const S = 'sales_above_p90';
    const P = 'production_below_plan';
    const lines = [
      `• :rotating_light: *Sales above range* FAM-003: sold 200, range top 140 (+42.9%) · breaks the frozen plan · <@U_RITA> due 2027-02-10 · action ${await a(S, 'FAM-003')}`,
      `• :rotating_light: *Production below plan* FAM-003: produced 30 of 100 planned (−70.0%) · breaks the frozen plan · <@U_OTTO> due 2027-02-10 · action ${await a(P, 'FAM-003')}`,
      `• *Sales above range* FAM-001: sold 150, range top 140 (+7.1%) · <@U_RITA> due 2027-02-10 · action ${await a(S, 'FAM-001')}`,
      `• *Production below plan* FAM-001: produced 80 of 100 planned (−20.0%) · <@U_OTTO> due 2027-02-10 · action ${await a(P, 'FAM-001')}`,
      `• *Sales above range* FAM-002: sold 155, range top 140 (+10.7%) · <@U_RITA> due 2027-02-10 · action ${await a(S, 'FAM-002')}`,
      `• *Production below plan* FAM-002: produced 85 of 100 planned (−15.0%) · <@U_OTTO> due 2027-02-10 · action ${await a(P, 'FAM-002')}`,
      `• *Sales above range* FAM-004: sold 145, range top 140 (+3.6%) · <@U_RITA> due 2027-02-10 · action ${await a(S, 'FAM-004')}`,
      `• *Production below plan* FAM-004: produced 50 of 100 planned (−50.0%) · <@U_OTTO> due 2027-02-10 · action ${await a(P, 'FAM-004')}`,
    ];
    const posts = h.standin.messagesIn('C_SUPPLY');
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    rollupTs = post.ts;
    expect(post.text).toBe('S&OE, week of 2027-02-01: 8 deviations, 2 breaking the frozen plan');
    expect((post.blocks as { text: { text: string } }[])[0]!.text.text).toBe(
      'S&OE: 8 deviations in the week of 2027-02-01',
    );
    expect(textOf(post.blocks, 1)).toBe(
      [
        ':rotating_light: *2 break the frozen plan* and go to the next executive meeting (listed first).',
        ...lines,
      ].join('\n'),
    );
    const thread = h.standin.threadReplies('C_SUPPLY', post.ts);
    expect(thread).toHaveLength(1);
    expect(textOf(thread[0]!.blocks, 0)).toBe(lines.join('\n'));
    expect(thread[0]!.text).toBe('S&OE, week of 2027-02-01: deviations 1–8 of 8');

    // Each owner: one DM listing their four.
    const dms = h.standin.store.messages.filter((m) => m.channel.startsWith('D'));
    // Their notifications: all four due 2027-02-10, FAM-003's deviation of each a frozen break.
    expect(dms.map((m) => m.text).sort()).toEqual([
      'You own 4 follow-up actions from the weekly S&OE check of the week of 2027-02-01, due 2027-02-10; 1 of them breaks the frozen plan.',
      'You own 4 follow-up actions from the weekly S&OE check of the week of 2027-02-01, due 2027-02-10; 1 of them breaks the frozen plan.',
    ]);
    const otto = await h.standin.waitFor(
      () => dms.find((m) => JSON.stringify(m.blocks).includes('Production below plan')),
      1000,
    );
    expect(textOf(otto.blocks, 0)).toBe(
      [
        ':memo: You own 4 follow-up actions from the weekly S&OE check of the week of 2027-02-01; 1 of them breaks the frozen plan and goes to the next executive meeting.',
        'To do: find the cause and act within the adopted plan (expedite, re-sequence or re-allocate) without reopening it, then mark the action Done.',
        `• :rotating_light: *${await a(P, 'FAM-003')}* Production below plan FAM-003: produced 30 of 100 planned (−70.0%) · breaks the frozen plan · due 2027-02-10`,
        `• *${await a(P, 'FAM-001')}* Production below plan FAM-001: produced 80 of 100 planned (−20.0%) · due 2027-02-10`,
        `• *${await a(P, 'FAM-002')}* Production below plan FAM-002: produced 85 of 100 planned (−15.0%) · due 2027-02-10`,
        `• *${await a(P, 'FAM-004')}* Production below plan FAM-004: produced 50 of 100 planned (−50.0%) · due 2027-02-10`,
      ].join('\n'),
    );
    // The first attempt failed at the first DM, after its channel posts; the retry sent
    // neither again: four chat.postMessage in all, the roll-up, its one reply, two DMs.
    expect(h.standin.callsTo('conversations.open').map((c) => c.response.ok)).toEqual([
      false,
      true,
      true,
    ]);
    expect(h.standin.callsTo('chat.postMessage').filter((c) => c.response.ok)).toHaveLength(4);

    // Every rolled-up deviation's ledger entry is the roll-up message.
    const entries = await db
      .selectFrom('slack_posts')
      .select(['channel_id', 'ts'])
      .where('post_key', 'like', 'deviation:%')
      .execute();
    expect(entries).toEqual(Array(8).fill({ channel_id: 'C_SUPPLY', ts: post.ts }));
    // Each action still has its reminders (due day 2027-02-10).
    const reminders = await db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'action-reminder')
      .execute();
    expect(new Set(reminders.map((r) => (r.payload as { actionId: string }).actionId)).size).toBe(
      8,
    );
  });

  it('a retried roll-up job, or the same check again, posts nothing more', async () => {
    const calls = h.standin.calls.length;
    const check8 = await rollupCheck(WEEK);
    expect(await h.runAgain('deviation-rollup', { check: check8 }, 'posts')).toEqual({
      deviations: 8,
      replies: 1,
      owners: 2,
    });
    const again = await h.queues.enqueue('execution-check', { week: WEEK, requestKey: 'again' });
    expect(await h.finished('posts', again)).toEqual({ deviations: 0 });
    expect(h.standin.calls.slice(calls)).toEqual([]);
    expect(h.standin.messagesIn('C_SUPPLY')).toHaveLength(1);
  });

  it("a correction of a rolled-up deviation is noted in the roll-up's thread", async () => {
    // FAM-001 made 60, not 80: −40.0% against 100, still short, not past 60%.
    const out = await check(WEEK, { 'FAM-001': 150 }, { 'FAM-001': 60 });
    expect(out).toEqual({ deviations: 0, updated: 1 });
    const note = await h.standin.waitFor(() => {
      const r = h.standin.threadReplies('C_SUPPLY', rollupTs);
      return r.length >= 2 ? r[1] : undefined;
    }, 20_000);
    expect(note.text).toBe(
      'Corrected by a new import: FAM-001 produced 60 in the week of 2027-02-01, −40.0% against its planned 100 (was 80).',
    );
    expect(h.standin.messagesIn('C_SUPPLY')).toHaveLength(1);
  });
});

describe('a check that finds few deviations', () => {
  it('posts each on its own, with its own DM, as before', async () => {
    const week = '2027-02-15';
    const before = h.standin.messagesIn('C_SUPPLY').length;
    // FAM-001 sold 150 (+7.1% over 140); FAM-002 made 80 of 100 (−20.0%).
    expect(await check(week, { 'FAM-001': 150 }, { 'FAM-002': 80 })).toEqual({ deviations: 2 });
    const publish = await db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'deviation-publish')
      .where(sql<boolean>`payload->>'revision' is null`)
      .execute();
    expect(publish).toHaveLength(2);
    const posts = await h.standin.waitFor(() => {
      const m = h.standin.messagesIn('C_SUPPLY').slice(before);
      return m.length >= 2 ? m : undefined;
    }, 20_000);
    const ids = [
      await actionOf(week, 'sales_above_p90', 'FAM-001'),
      await actionOf(week, 'production_below_plan', 'FAM-002'),
    ];
    // The notification: what deviated, then the ask (the suggested owner, the action's due date).
    expect(posts.map((m) => m.text).sort()).toEqual([
      `Production below plan: FAM-002 produced 80 in the week of 2027-02-15, −20.0% against its planned 100. Suggested owner <@U_OTTO>, due 2027-02-10 (action #${ids[1]}).`,
      `Sales above range: FAM-001 sold 150 in the week of 2027-02-15, above 140, the top of its forecast range (+7.1%). Suggested owner <@U_RITA>, due 2027-02-10 (action #${ids[0]}).`,
    ]);
    const dms = await h.standin.waitFor(async () => {
      const rows = await db
        .selectFrom('slack_posts')
        .select(['post_key', 'ts'])
        .where(
          'post_key',
          'in',
          ids.map((id) => `action:${id}:assigned`),
        )
        .execute();
      return rows.length === 2 && rows.every((r) => r.ts) ? rows : undefined;
    }, 20_000);
    expect(dms).toHaveLength(2);
    expect(
      await db.selectFrom('audit_log').select('id').where('entity_id', '=', week).execute(),
    ).toEqual([]);
  });
});

describe("the audit's bad week: 292 deviations for two owners", () => {
  it('makes six Slack calls: the roll-up, its three replies, two DMs', async () => {
    const week = '2027-02-22';
    const calls = h.standin.calls.length;
    const all = (units: number) => Object.fromEntries(FAMILIES.map((f) => [f, units]));
    // Every family sold 150 (> 140) and made 80 (< 90): 2 × 146 deviations, none a break.
    expect(await check(week, all(150), all(80))).toEqual({ deviations: 292, rolledUp: true });
    const result = await h.finished('posts', `deviation-rollup-${await rollupCheck(week)}`);
    // The thread's lines: "• *Sales above range* FAM-001: sold 150, range top 140 (+7.1%) · <@U_RITA>
    // due 2027-02-10 · action #123" is 103 characters, its production line 111 (actions #11 to
    // #302 have two or three digits); 146 × (103 + 111) plus a newline (2 in JSON) each is about
    // 31,500 characters of blocks. A reply takes 11,000 (the house's budget under Slack's
    // msg_blocks_too_long): two cannot hold them, three can.
    expect(result).toEqual({ deviations: 292, replies: 3, owners: 2 });
    const made = h.standin.calls.slice(calls);
    // The DM channels of both owners are remembered from the first check (a fresh install
    // would open each once: two conversations.open more).
    expect(made.map((c) => c.method)).toEqual(Array(6).fill('chat.postMessage'));
  });
});
