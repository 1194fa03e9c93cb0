/**
 * Three monthly cycles with actuals imported between them, through the real services
 * (baseline fit, HiGHS plan runs, decisions, closing, CSV import): the third cycle's review,
 * "what changed" and follow-through, checked against figures worked out in this file from
 * the actuals it imports and the rows the earlier cycles stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { latestRun, runScenarios } from '../../db/queries/plan-runs.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { runStaleStock } from '../../src/core/supply/from-company.js';
import { importCsv } from '../../src/import/import-csv.js';
import { createRedis } from '../../src/redis.js';
import { generateCompany } from '../../src/seed/company.js';
import { markDone } from '../../src/services/actions.js';
import { closeCycle } from '../../src/services/cycles.js';
import { recordDecision, scenarioByName } from '../../src/services/decisions.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { runPlan } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { reviewOf } from '../../src/services/review.js';
import { postReview } from '../../src/services/review-post.js';
import { cycleStatus } from '../../src/services/status.js';
import { packMessage } from '../../src/slack/presenters/pack.js';
import { planHeadline } from '../../src/slack/presenters/plan-run.js';
import { statusText } from '../../src/slack/presenters/status.js';
import { startStandin } from '../../src/slack-standin/index.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { idOfCode, insertCycle, redisPrefix, useDb } from '../helpers/db.js';
import { standinClient } from '../helpers/slack.js';
import { emptyQueues, setUpCycle } from './jobs-fixture.js';

const t = useDb();
let db: Db;
let queues: Queues;
let redis: ReturnType<typeof createRedis>;
const ids = new Map<string, number>();
const clock = { at: new Date('2027-01-25T10:00:00Z'), now: () => clock.at };
const deps = () => ({ db, queue: queues, clock });
const actionIds: string[] = [];

/** Actuals of one month: sales and revenue, production, month-end stock, three order lines. */
async function importMonth(
  month: string,
  sales: Record<string, number>,
  made: Record<string, number>,
  stock: Record<string, number>,
) {
  const fams = Object.keys(sales);
  const csv = (head: string, rows: string[]) => `${head}\n${rows.join('\n')}\n`;
  const files: [Parameters<typeof importCsv>[1]['kind'], string][] = [
    [
      'sales',
      csv(
        'family,period,units,revenue',
        fams.map((f) => `${f},${month},${sales[f]},${(sales[f] ?? 0) * 10}`),
      ),
    ],
    [
      'production',
      csv(
        'family,period,units',
        fams.map((f) => `${f},${month},${made[f]}`),
      ),
    ],
    [
      'inventory',
      csv(
        'family,period,on_hand,backlog',
        fams.map((f) => `${f},${month},${stock[f]},0`),
      ),
    ],
    [
      'orders',
      csv('order_id,line,family,requested_date,shipped_date,ordered_qty,shipped_qty', [
        `SO-${month},1,FAM-1,${month}-10,${month}-09,100,100`,
        `SO-${month},2,FAM-1,${month}-12,${month}-15,50,50`,
        `SO-${month},3,FAM-2,${month}-20,${month}-20,50,30`,
      ]),
    ],
  ];
  for (const [kind, text] of files)
    await importCsv(db, { kind, fileName: `${kind}-${month}.csv`, text, actor: 'U_PAT' });
}

async function cycleOf(month: string): Promise<number> {
  const cId = await insertCycle(db, { month, phase: 'executive', opened_by: 'U_PAT' });
  ids.set(month, cId);
  return cId;
}

async function planAndDecide(
  month: string,
  actions: { owner: string; due: string; what: string }[],
) {
  const cycleId = ids.get(month)!;
  await fitBaselines(db, cycleId, { method: 'naive' });
  const solver = await createHighsSolver();
  await runPlan(db, solver, {
    cycleId,
    runKey: `loop-${month}`,
    trigger: 'test',
    requestedBy: null,
  });
  const cycle = await db
    .selectFrom('cycles')
    .selectAll()
    .where('id', '=', cycleId)
    .executeTakeFirstOrThrow();
  const scenarioId = await scenarioByName(db, cycle, 'central');
  const rec = await recordDecision(deps(), {
    cycleId,
    pollId: null,
    scenarioId,
    rationale: `Central for ${month} <keeps> service & cash`,
    decidedBy: 'U_CEO',
    requestKey: `loop-decision-${month}`,
    actions: actions.map((a) => ({ owner: a.owner, dueDate: a.due, description: a.what })),
  });
  actionIds.push(...rec.actions.map((a) => a.id));
}

async function planRows(month: string, period: string) {
  const cycle = await db
    .selectFrom('cycles')
    .select('adopted_scenario_id')
    .where('month', '=', month)
    .executeTakeFirstOrThrow();
  return db
    .selectFrom('plan_family_results')
    .innerJoin('families', 'families.id', 'plan_family_results.family_id')
    .select(['families.code', 'production', 'revenue', 'demand'])
    .where('scenario_id', '=', cycle.adopted_scenario_id!)
    .where('period', '=', period)
    .orderBy('families.code')
    .execute();
}

beforeAll(async () => {
  db = t.db;
  redis = createRedis('redis://127.0.0.1:6379');
  queues = createQueues(redis, redisPrefix('loop'));
  const company = generateCompany({ families: 3, months: 36, resources: 2, seed: 15 });
  // setUpCycle imports the company and opens 2027-01 (the month after its last actual).
  const first = await setUpCycle(db, company, { horizon: 6 });
  ids.set(first.month, first.cycleId);
  await db
    .updateTable('cycles')
    .set({ phase: 'executive' })
    .where('id', '=', first.cycleId)
    .execute();
  const fam1Id = await idOfCode(db, 'families', 'FAM-1');
  // Rita sets FAM-1 to 500 for 2027-02 in the January cycle: the lag-1 consensus to score.
  await db
    .insertInto('forecast_adjustments')
    .values({
      cycle_id: first.cycleId,
      family_id: fam1Id,
      period: '2027-02',
      author: 'U_RITA',
      author_role: 'sales',
      kind: 'set',
      value: 500,
      reason_code: 'promotion',
      zone: 'frozen',
      source: 'api',
      request_key: 'loop-adj-1',
    })
    .execute();
  await planAndDecide('2027-01', [
    { owner: 'U_OTTO', due: '2027-02-10', what: 'Book weekend overtime' },
    { owner: 'U_RITA', due: '2027-02-12', what: 'Confirm the promotion' },
  ]);
  await closeCycle(deps(), first.cycleId, 'U_PAT');

  await importMonth(
    '2027-01',
    { 'FAM-1': 300, 'FAM-2': 200, 'FAM-3': 100 },
    { 'FAM-1': 310, 'FAM-2': 190, 'FAM-3': 100 },
    { 'FAM-1': 50, 'FAM-2': 40, 'FAM-3': 30 },
  );
  clock.at = new Date('2027-02-20T10:00:00Z');
  await cycleOf('2027-02');
  await planAndDecide('2027-02', [
    { owner: 'U_OTTO', due: '2027-03-01', what: 'Qualify a second supplier' },
  ]);
  await markDone(deps(), actionIds[0]!, 'U_OTTO');
  await db
    .updateTable('actions')
    .set({ status: 'cancelled' })
    .where('id', '=', actionIds[1]!)
    .execute();
  await closeCycle(deps(), ids.get('2027-02')!, 'U_PAT');

  await importMonth(
    '2027-02',
    { 'FAM-1': 450, 'FAM-2': 220, 'FAM-3': 90 },
    { 'FAM-1': 400, 'FAM-2': 230, 'FAM-3': 90 },
    { 'FAM-1': 20, 'FAM-2': 50, 'FAM-3': 30 },
  );
  clock.at = new Date('2027-03-05T10:00:00Z');
  const third = await cycleOf('2027-03');
  const lineId = await idOfCode(db, 'resources', 'LINE-1');
  await db
    .insertInto('capacity_updates')
    .values({
      cycle_id: third,
      resource_id: lineId,
      period: '2027-04',
      kind: 'delta_pct',
      value: -20,
      reason_code: 'maintenance',
      is_constraint: true,
      author: 'U_OTTO',
      source: 'command',
      request_key: 'loop-cap-1',
    })
    .execute();
  await fitBaselines(db, third, { method: 'naive' });
  await runPlan(db, await createHighsSolver(), {
    cycleId: third,
    runKey: 'loop-2027-03',
    trigger: 'test',
    requestedBy: null,
  });
}, 120_000);

afterAll(async () => {
  if (queues) {
    await emptyQueues(queues);
    await queues.close();
  }
  redis?.disconnect();
});

describe('three cycles with actuals between them', () => {
  it('closing a cycle kept its lag-1 and lag-3 forecasts', async () => {
    const rows = await db
      .selectFrom('forecast_snapshots')
      .innerJoin('families', 'families.id', 'forecast_snapshots.family_id')
      .select(['families.code', 'period', 'lag', 'consensus', 'baseline', 'steps'])
      .where('cycle_id', '=', ids.get('2027-01')!)
      .orderBy('families.code')
      .orderBy('lag')
      .execute();
    expect(rows.map((r) => `${r.code} ${r.period} ${r.lag}`)).toEqual([
      'FAM-1 2027-02 1',
      'FAM-1 2027-04 3',
      'FAM-2 2027-02 1',
      'FAM-2 2027-04 3',
      'FAM-3 2027-02 1',
      'FAM-3 2027-04 3',
    ]);
    expect(rows[0]!.consensus).toBe(500);
    expect(rows[0]!.steps).toEqual([
      { author: 'U_RITA', reasonCode: 'promotion', before: rows[0]!.baseline, after: 500 },
    ]);
    // Snapshots are append-only.
    await expect(
      db.updateTable('forecast_snapshots').set({ consensus: 1 }).where('lag', '=', 1).execute(),
    ).rejects.toThrow();
  });

  it('the second cycle reviews January: no lag-1 forecast yet, adherence and service from the imports', async () => {
    const r = await reviewOf(db, '2027-02');
    expect(r.review.periods).toEqual(['2027-01']);
    expect(r.reference).toMatchObject({ month: '2027-01', label: 'Central', adopted: true });
    expect(r.review.total.byLag['1']!.pairs).toBe(0);
    const plan = await planRows('2027-01', '2027-01');
    const made = { 'FAM-1': 310, 'FAM-2': 190, 'FAM-3': 100 } as Record<string, number>;
    const planned = plan.reduce((s, p) => s + p.production, 0);
    const off = plan.reduce((s, p) => s + Math.abs((made[p.code] ?? 0) - p.production), 0);
    expect(r.review.total.adherence).toBeCloseTo(1 - off / planned, 9);
    // Order lines: 100 on time; 50 late; 30 of 50 on time → (100 + 30) / 200; one line complete.
    expect(r.review.total.fillRate).toBeCloseTo(130 / 200, 12);
    expect(r.review.total.otif).toBeCloseTo(1 / 3, 12);
  });

  it('the third cycle scores January’s lag-1 forecast of February, with FVA by person', async () => {
    const r = await reviewOf(db, '2027-03');
    expect(r.review.periods).toEqual(['2027-02']);
    const snaps = await db
      .selectFrom('forecast_snapshots')
      .innerJoin('families', 'families.id', 'forecast_snapshots.family_id')
      .select(['families.code', 'baseline', 'consensus'])
      .where('period', '=', '2027-02')
      .where('lag', '=', 1)
      .orderBy('families.code')
      .execute();
    const sold = [450, 220, 90];
    const cons = snaps.map((s) => s.consensus);
    expect(cons[0]).toBe(500);
    const err = sold.reduce((s, a, i) => s + Math.abs(a - cons[i]!), 0);
    const total = 450 + 220 + 90;
    expect(r.review.total.byLag['1']!.pairs).toBe(3);
    expect(r.review.total.byLag['1']!.consensusAccuracy).toBeCloseTo(
      Math.max(0, 1 - err / total),
      9,
    );
    expect(r.review.byFamily['FAM-1']!.byLag['1']!.consensusAccuracy).toBeCloseTo(1 - 50 / 450, 12);
    expect(r.review.byFamily['FAM-1']!.byLag['1']!.consensusBias).toBeCloseTo(50 / 450, 12);
    const b1 = snaps[0]!.baseline;
    expect(r.review.fva.byPerson.U_RITA).toMatchObject({
      adjustments: 1,
      errorBefore: Math.abs(450 - b1),
      errorAfter: 50,
    });
    // Stock: FAM-1 ends February with 20 on hand.
    expect(r.review.byFamily['FAM-1']!.backlog).toBe(0);
    expect(r.review.byFamily['FAM-1']!.obsoleteValue).toBe(0);
  });

  it('the third pack says what changed, how February went and what the decisions became', async () => {
    const pack = await buildPack(db, '2027-03', clock.at);
    const md = packMarkdown(pack);
    const section = (n: number) =>
      md.slice(md.indexOf(`## ${n}. `), md.indexOf(`## ${n + 1}. `) >>> 0);
    expect(section(1)).toContain('Constraints: 1 new (LINE-1 2027-04 (maintenance)), 0 resolved');
    // The file shows the rationale as typed; in Slack it is escaped, and who recorded it named
    // (no name given here: the id), not pinged.
    expect(section(1)).toContain(
      '2027-02 decided: Central, recorded by U_CEO without a vote. Rationale: “Central for 2027-02 <keeps> service & cash”.',
    );
    const slack = JSON.stringify(packMessage(pack).blocks);
    expect(slack).toContain(
      '2027-02 decided: Central, recorded by U_CEO without a vote. Rationale: “Central for 2027-02 &lt;keeps&gt; service &amp; cash”.',
    );
    expect(slack).not.toContain('<@U_CEO>');
    // "Book weekend overtime", due 2027-02-10, was done on 2027-02-20: late.
    expect(section(1)).toContain(
      'Actions of earlier cycles: 1 done (1 late), 1 overdue, 0 open, 1 dropped.',
    );
    expect(section(1)).toMatch(
      /Against cycle 2027-02's adopted Central plan over 2027-03–2027-0\d: demand/,
    );
    // The review's figures are nested under its heading line, as Markdown nests a list.
    expect(section(2)).toContain(
      "- Review of 2027-02 against cycle 2027-02's adopted Central plan:\n  - Forecast accuracy by lag",
    );
    expect(section(2)).toContain('\n  - Service: fill rate 65.0%, OTIF 33.3% over 3 order lines.');
    expect(section(2)).toContain('Service: fill rate 65.0%, OTIF 33.3% over 3 order lines.');
    expect(section(3)).toMatch(/FAM-1: sold 450 vs [\d,]+ planned/);
    // Follow-through: February's plan revenue against the imported revenue (units × 10).
    const plan = await planRows('2027-02', '2027-02');
    const assumed = plan.reduce((s, p) => s + p.revenue, 0);
    const actual = (450 + 220 + 90) * 10;
    const pct = ((actual - assumed) / assumed) * 100;
    // Money with its currency, in thousands with one decimal (both between $10k and $100k
    // here, 7,600 → "$7.6k"); one minus sign, the charts' "−".
    expect(assumed).toBeGreaterThan(10_000);
    expect(assumed).toBeLessThan(99_950);
    const k = (v: number) => `$${(v / 1000).toFixed(1)}k`;
    expect(section(10)).toContain(
      `- Central (2027-02) assumed, for 2027-02, against what happened:\n  - Revenue ${k(assumed)} assumed; actual $7.6k (${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%).`,
    );
    // Revenue less production at cost is not called cash: the cash curve has payment terms.
    expect(section(10)).toMatch(
      /\n {2}- Revenue less production at cost −?\$[\d.]+k? assumed; actual/,
    );
    expect(section(10)).not.toContain('operating cash');
    // The last decision is February's: one action, "Qualify a second supplier", due
    // 2027-03-01 and not done by 2027-03-05 → 0 of 1. January's actions (one done, one
    // dropped) are an earlier decision's and stay out of the rate (all-time: 1 of 2).
    expect(section(10)).toContain(
      'Action completion rate 0.0%: 0 done of 1 due by today or done early.',
    );
  });

  it('the review is posted once in the demand channel: one message, the 12-cycle trend chart in its thread', async () => {
    const standin = await startStandin();
    try {
      const slack = standinClient(standin, 'xoxb-review');
      const cycleId = ids.get('2027-03')!;
      const first = await postReview(slack, db, cycleId, clock.at);
      const again = await postReview(slack, db, cycleId, clock.at);
      expect(first).not.toBeNull();
      expect(again).toBeNull();
      // One message in the channel: the chart's caption repeats its headline figures, so it
      // is the reply in the review's thread, not a post of its own.
      const messages = standin.messagesIn('C_DEMAND');
      expect(messages).toHaveLength(1);
      const review = messages.filter((m) => m.text.includes('performance review of 2027-02'));
      expect(review).toHaveLength(1);
      const replies = standin.threadReplies('C_DEMAND', review[0]!.ts);
      expect(replies).toHaveLength(1);
      const blocks = JSON.stringify(review[0]!.blocks);
      expect(blocks).toContain('The trend chart is in the thread.');
      expect(blocks).toContain('Service: fill rate 65.0%, OTIF 33.3% over 3 order lines.');
      expect(blocks).toContain('Action completion rate 0.0%: 0 done of 1 due');
      const files = standin.files.filter((f) => f.name === 'review-2027-03.png');
      expect(files).toHaveLength(1);
      expect(replies[0]!.files).toEqual([files[0]!.id]);
      // Three cycles reviewed: 2027-01 (nothing before it), 2027-02 and 2027-03.
      // The caption names the months reviewed, and the latest one, which cycle 2027-03 reviewed.
      expect(files[0]!.initial_comment ?? '').toMatch(
        /^Performance review, 2027-01–2027-02\. Latest, 2027-02 \(cycle 2027-03's review\): consensus lag-1 accuracy/,
      );
    } finally {
      await standin.close();
    }
  });

  it('the first cycle, with nothing to score, posts its review without an empty chart', async () => {
    const standin = await startStandin();
    try {
      const slack = standinClient(standin, 'xoxb-review-first');
      expect(await postReview(slack, db, ids.get('2027-01')!, clock.at)).not.toBeNull();
      const review = standin
        .messagesIn('C_DEMAND')
        .filter((m) => m.text.includes('S&OP 2027-01: performance review'));
      expect(review).toHaveLength(1);
      expect(standin.files).toEqual([]);
      expect(standin.callsTo('files.getUploadURLExternal')).toEqual([]);
    } finally {
      await standin.close();
    }
  });

  it('a plan opening on a count older than last month’s says so: run, headline, status', async () => {
    // 2027-03's run came after 2027-02's inventory import: it opens on last month's count.
    const march = await latestRun(db, ids.get('2027-03')!);
    expect(march?.opening_stock_month).toBe('2027-02');
    expect(runStaleStock(march!)).toBeNull();
    // A cycle for 2027-04 before 2027-03's inventory is imported: the latest count before
    // 2027-04 is 2027-02's (FAM-1 20 on hand), while the month before it is 2027-03.
    const cycleId = await cycleOf('2027-04');
    await fitBaselines(db, cycleId, { method: 'naive' });
    const out = await runPlan(db, await createHighsSolver(), {
      cycleId,
      runKey: 'loop-2027-04',
      trigger: 'test',
      requestedBy: null,
    });
    const said = "opening stock from 2027-02's count: import 2027-03's inventory";
    expect(out.staleStock).toBe(said);
    // The math is as before: the plan opens on 2027-02's count (FAM-1 20).
    const run = await db
      .selectFrom('plan_runs')
      .select(['problem', 'opening_stock_month', 'periods'])
      .where('id', '=', out.runId)
      .executeTakeFirstOrThrow();
    const fam1 = (
      run.problem as { families: { code: string; initialInventory: number }[] }
    ).families.find((f) => f.code === 'FAM-1');
    expect(fam1?.initialInventory).toBe(20);
    expect(run.opening_stock_month).toBe('2027-02');
    const headline = planHeadline(
      out.runId,
      '2027-04',
      await runScenarios(db, out.runId),
      runStaleStock(run),
    );
    expect(headline.split('\n')[1]).toBe(`:warning: ${said}.`);
    const cycle = await db
      .selectFrom('cycles')
      .selectAll()
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow();
    const status = statusText(await cycleStatus(db, cycle), 'UTC', { role: 'admin' });
    expect(status).toContain(`*Latest plan run*: #${out.runId}`);
    expect(status).toContain(`\n:warning: ${said}.`);
  });
});
