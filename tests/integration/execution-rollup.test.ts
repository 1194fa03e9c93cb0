/**
 * A weekly S&OE check that finds more than one deviation posts them rolled up: one message in
 * the supply channel (the complete list in its thread when the message cannot show it all), one
 * DM per owner, exactly once through the real worker; corrections thread under the roll-up. A
 * check is one post in the channel, and each owner hears of it once. Figures are worked out by
 * hand below.
 */
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

  it('posts one message in the supply channel showing all eight, no list again in its thread, one DM per owner', async () => {
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
    // The message shows all eight: no list again in its thread.
    expect(result).toEqual({ deviations: 8, replies: 0, owners: 2 });

    const a = async (kind: string, code: string) => `#${await actionOf(WEEK, kind, code)}`;
    const S = 'sales_above_p90';
    const P = 'production_below_plan';
    // The families' unit (the default, units); the owners named (the stand-in's display
    // names): each is told by their DM. FAM-003's sales break the frozen plan by (200 − 100) /
    // 100 = +100.0% against its planned 100, which its line gives as its own post would.
    const lines = [
      `• :rotating_light: *Sales above range* FAM-003: sold 200 units, range top 140 (+42.9%), +100.0% against 100 planned · breaks the frozen plan · rita due 2027-02-10 · action ${await a(S, 'FAM-003')}`,
      `• :rotating_light: *Production below plan* FAM-003: produced 30 of 100 units planned (−70.0%) · breaks the frozen plan · otto due 2027-02-10 · action ${await a(P, 'FAM-003')}`,
      `• *Sales above range* FAM-001: sold 150 units, range top 140 (+7.1%) · rita due 2027-02-10 · action ${await a(S, 'FAM-001')}`,
      `• *Production below plan* FAM-001: produced 80 of 100 units planned (−20.0%) · otto due 2027-02-10 · action ${await a(P, 'FAM-001')}`,
      `• *Sales above range* FAM-002: sold 155 units, range top 140 (+10.7%) · rita due 2027-02-10 · action ${await a(S, 'FAM-002')}`,
      `• *Production below plan* FAM-002: produced 85 of 100 units planned (−15.0%) · otto due 2027-02-10 · action ${await a(P, 'FAM-002')}`,
      `• *Sales above range* FAM-004: sold 145 units, range top 140 (+3.6%) · rita due 2027-02-10 · action ${await a(S, 'FAM-004')}`,
      `• *Production below plan* FAM-004: produced 50 of 100 units planned (−50.0%) · otto due 2027-02-10 · action ${await a(P, 'FAM-004')}`,
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
    expect(h.standin.threadReplies('C_SUPPLY', post.ts)).toEqual([]);
    expect(JSON.stringify(post)).not.toContain('<@');

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
        `• :rotating_light: *${await a(P, 'FAM-003')}* Production below plan FAM-003: produced 30 of 100 units planned (−70.0%) · breaks the frozen plan · due 2027-02-10`,
        `• *${await a(P, 'FAM-001')}* Production below plan FAM-001: produced 80 of 100 units planned (−20.0%) · due 2027-02-10`,
        `• *${await a(P, 'FAM-002')}* Production below plan FAM-002: produced 85 of 100 units planned (−15.0%) · due 2027-02-10`,
        `• *${await a(P, 'FAM-004')}* Production below plan FAM-004: produced 50 of 100 units planned (−50.0%) · due 2027-02-10`,
      ].join('\n'),
    );
    // The first attempt failed at the first DM, after its channel post; the retry sent it not
    // again: three chat.postMessage in all, the roll-up and two DMs.
    expect(h.standin.callsTo('conversations.open').map((c) => c.response.ok)).toEqual([
      false,
      true,
      true,
    ]);
    expect(h.standin.callsTo('chat.postMessage').filter((c) => c.response.ok)).toHaveLength(3);

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
      replies: 0,
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
      return r.length >= 1 ? r[0] : undefined;
    }, 20_000);
    expect(note.text).toBe(
      'Corrected by a new import: FAM-001 produced 60 units in the week of 2027-02-01, −40.0% against its planned 100 (was 80 units).',
    );
    expect(h.standin.messagesIn('C_SUPPLY')).toHaveLength(1);
  });
});

describe('a check that finds a few deviations', () => {
  it('posts one message, and each owner hears of it once: one DM, no mention', async () => {
    const week = '2027-02-15';
    const before = h.standin.store.messages.length;
    const supplyBefore = h.standin.messagesIn('C_SUPPLY').length;
    // FAM-001 sold 150 (+7.1% over 140): Rita's. FAM-002 and FAM-003 made 80 of 100 (−20.0%):
    // both Otto's. Three deviations of one check.
    expect(await check(week, { 'FAM-001': 150 }, { 'FAM-002': 80, 'FAM-003': 80 })).toEqual({
      deviations: 3,
      rolledUp: true,
    });
    const check3 = await rollupCheck(week);
    expect(await h.finished('posts', `deviation-rollup-${check3}`)).toEqual({
      deviations: 3,
      replies: 0,
      owners: 2,
    });
    const ids = {
      rita: await actionOf(week, 'sales_above_p90', 'FAM-001'),
      otto2: await actionOf(week, 'production_below_plan', 'FAM-002'),
      otto3: await actionOf(week, 'production_below_plan', 'FAM-003'),
    };
    const sent = h.standin.store.messages.slice(before);
    // One top-level post in the channel for the check, and nothing in a thread.
    const posts = h.standin.messagesIn('C_SUPPLY').slice(supplyBefore);
    expect(posts).toHaveLength(1);
    expect(sent.filter((m) => m.channel === 'C_SUPPLY')).toHaveLength(1);
    expect(posts[0]!.text).toBe(
      'S&OE, week of 2027-02-15: 3 deviations, 0 breaking the frozen plan',
    );
    // Owners named in it, mentioned nowhere: their DM is the one message that tells them.
    expect(JSON.stringify(sent.filter((m) => m.channel === 'C_SUPPLY'))).not.toContain('<@');
    expect(textOf(posts[0]!.blocks, 1)).toContain(
      `• *Sales above range* FAM-001: sold 150 units, range top 140 (+7.1%) · rita due 2027-02-10 · action #${ids.rita}`,
    );
    expect(sent.filter((m) => m.channel === 'D_U_RITA')).toHaveLength(1);
    expect(sent.filter((m) => m.channel === 'D_U_OTTO')).toHaveLength(1);
    // Rita owns one: her action's own DM, with its Done, Snooze and Reassign buttons.
    const rita = sent.find((m) => m.channel === 'D_U_RITA')!;
    expect(rita.text).toMatch(/^:memo: You own a follow-up action from the weekly S&OE check: /);
    expect(
      (rita.blocks ?? []).some(
        (b) =>
          (b as { type?: string }).type === 'actions' &&
          (b as { block_id?: string }).block_id === `action_${ids.rita}`,
      ),
    ).toBe(true);
    // Otto owns two: one DM lists both.
    const otto = sent.find((m) => m.channel === 'D_U_OTTO')!;
    expect(otto.text).toBe(
      'You own 2 follow-up actions from the weekly S&OE check of the week of 2027-02-15, due 2027-02-10.',
    );
    expect(textOf(otto.blocks, 0)).toContain(`*#${ids.otto2}* Production below plan FAM-002`);
    expect(textOf(otto.blocks, 0)).toContain(`*#${ids.otto3}* Production below plan FAM-003`);
    const keys = await db
      .selectFrom('slack_posts')
      .select('post_key')
      .where('post_key', 'in', [
        `action:${ids.rita}:assigned`,
        `action:${ids.otto2}:assigned`,
        `action:${ids.otto3}:assigned`,
        `deviation-rollup:${check3}:owner:U_OTTO`,
      ])
      .execute();
    expect(keys.map((k) => k.post_key).sort()).toEqual(
      [`action:${ids.rita}:assigned`, `deviation-rollup:${check3}:owner:U_OTTO`].sort(),
    );
  });
});

describe("the audit's bad week: 292 deviations for two owners", () => {
  it('makes seven Slack calls: the roll-up, its four replies, two DMs', async () => {
    const week = '2027-02-22';
    const calls = h.standin.calls.length;
    const all = (units: number) => Object.fromEntries(FAMILIES.map((f) => [f, units]));
    // Every family sold 150 (> 140) and made 80 (< 90): 2 × 146 deviations, none a break.
    expect(await check(week, all(150), all(80))).toEqual({ deviations: 292, rolledUp: true });
    const result = await h.finished('posts', `deviation-rollup-${await rollupCheck(week)}`);
    // The thread's lines: "• *Sales above range* FAM-001: sold 150 units, range top 140 (+7.1%) ·
    // rita due 2027-02-10 · action #123" is 104 characters, its production line 112 ("produced
    // 80 of 100 units planned (−20.0%) · otto"), actions #11 to #302 having two or three digits;
    // 146 × (104 + 112) plus a newline (2 in JSON) each is about 32,100 characters of blocks. A
    // reply takes 11,000 (the house's budget under Slack's msg_blocks_too_long) less its range
    // context (about 95) and its sections' wrapping (about 50 each, four sections of 3,000):
    // some 10,700 of lines, 32,100 in three, and lines are not cut: three cannot hold them,
    // four can.
    expect(result).toEqual({ deviations: 292, replies: 4, owners: 2 });
    const made = h.standin.calls.slice(calls);
    // The DM channels of both owners are remembered from the first check (a fresh install
    // would open each once: two conversations.open more).
    expect(made.map((c) => c.method)).toEqual(Array(7).fill('chat.postMessage'));
  });
});
