/**
 * The demo's loop (issue 15): after the first cycle, two more monthly cycles with simulated
 * actuals imported between them, and one S&OE week. Each cycle opens with its performance
 * review, runs to the executive phase, adopts a scenario and closes; its pack is written as
 * pack-YYYY-MM.md. By the third cycle the pack compares with real actuals: lag-1 accuracy of
 * the first cycle's forecast, adherence, service, follow-through, and the S&OE escalations.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../db/connect.js';
import { cycleOfMonth } from '../../db/queries/cycles.js';
import { familyPrices, hasDecision, rowCount, someSupplierCode } from '../../db/queries/demo.js';
import { dbNow } from '../../db/queries/execution.js';
import { familyResults } from '../../db/queries/plan-results.js';
import { referenceScenario } from '../../db/queries/review.js';
import type { Queues } from '../../jobs/queues.js';
import { weekShare } from '../core/execution.js';
import { addMonths } from '../core/period.js';
import { toCsv } from '../csv/format.js';
import { type ImportResult, importCsv } from '../import/import-csv.js';
import { type ImportKind, KIND_SPECS } from '../import/kinds.js';
import { type PlannedMonth, simulateMonth, simulateWeek } from '../seed/actuals.js';
import { requestExecutionChecks } from '../services/execution.js';
import { buildPack, packMarkdown, packPeople } from '../services/pack.js';
import type { UserNames } from '../services/user-names.js';
import type { Driver, Standin } from '../slack-standin/index.js';
import type { DemoClock } from './clock.js';

/** The cycles after the first one. */
export const LOOP_MONTHS = ['2027-02', '2027-03'] as const;
/**
 * When each turn of the loop begins, on the demo's clock (UTC, the company's zone): the first
 * Monday morning of its month, when the month before's actuals are imported. 2027-02 opens
 * then; 2027-03 opens after the S&OE step (SOE_CHECKED_AT).
 */
const OPENS_AT: Readonly<Record<(typeof LOOP_MONTHS)[number], Date>> = {
  '2027-02': new Date('2027-02-01T09:00:00Z'),
  '2027-03': new Date('2027-03-01T09:00:00Z'),
};
/** The S&OE week: the first week of the third cycle's month. */
const SOE_WEEK = '2027-03-01';
/**
 * When the S&OE step happens: the Monday after its week, once the week's actuals are in. The
 * check, Otto's report and the digest run then, so a deviation is due `soe_due_days` working
 * days later (2027-03-10 by default); the third cycle goes on from there.
 */
const SOE_CHECKED_AT = new Date('2027-03-08T10:00:00Z');

export interface LoopContext {
  readonly db: Db;
  readonly queues: Queues;
  /** The story's time (the bot's, the worker's and the packs'), moved on at each step. */
  readonly clock: DemoClock;
  readonly standin: Standin;
  readonly driver: Driver;
  readonly sop: (user: string, text: string, channel?: string) => Promise<void>;
  readonly nextPhase: (phase: string, month?: string) => Promise<void>;
  readonly say: (who: string, what: string) => void;
  readonly log: (line: string) => void;
  /** Waits until what the steps so far set off is done (src/demo/drain.ts). */
  readonly settle: () => Promise<void>;
  /** Moves the story's clock on, each reminder, nudge and deadline on the way at its time. */
  readonly passTime: (to: Date) => Promise<void>;
  readonly packs: string[];
  /** Shows people by name in the pack files. */
  readonly names: UserNames;
  readonly outDir: string;
}

export async function writePack(
  db: Db,
  outDir: string,
  month: string,
  names: UserNames,
  asOf: Date,
): Promise<string> {
  const path = join(outDir, `pack-${month}.md`);
  const pack = await buildPack(db, month, asOf);
  await writeFile(path, packMarkdown(pack, await names.names(packPeople(pack))));
  return path;
}

async function importRows(db: Db, kind: ImportKind, rows: readonly Record<string, unknown>[]) {
  const spec = KIND_SPECS[kind];
  const text = toCsv(
    spec.columns,
    rows.map((r) => spec.columns.map((c) => (r[c] ?? null) as string | number | null)),
  );
  return importCsv(db, { kind, fileName: `${kind}.csv`, text, actor: 'U_PAT' });
}

/** The adopted plan of the cycle `month`, for the month itself. */
async function adoptedMonth(db: Db, cycleMonth: string, period: string): Promise<PlannedMonth[]> {
  const cycle = await cycleOfMonth(db, cycleMonth);
  if (!cycle) throw new Error(`no cycle ${cycleMonth} to simulate actuals from`);
  const ref = await referenceScenario(db, cycle);
  if (!ref) throw new Error(`cycle ${cycleMonth} has no plan to simulate actuals from`);
  const prices = await familyPrices(db);
  return (await familyResults(db, ref.scenario.id))
    .filter((r) => r.period === period)
    .map((r) => ({
      family: r.code,
      demand: r.demand,
      production: r.production,
      inventory: r.inventory,
      price: prices.get(r.code) ?? 0,
    }));
}

export async function playLoop(ctx: LoopContext): Promise<void> {
  const { db, standin, driver, sop, say, log } = ctx;
  for (const [i, month] of LOOP_MONTHS.entries()) {
    await ctx.passTime(OPENS_AT[month]);
    const past = addMonths(month, -1);
    const a = simulateMonth(past, await adoptedMonth(db, past, past), 2027 + i);
    let rows = 0;
    for (const [kind, r] of [
      ['sales', a.sales],
      ['production', a.production],
      ['inventory', a.inventory],
      ['orders', a.orders],
    ] as const)
      rows += (await importRows(db, kind, r)).rows;
    say('U_PAT', `sopbot import sales|production|inventory|orders  (actuals of ${past})`);
    log(`  → ${rows} rows of simulated ${past} actuals imported`);

    if (month === '2027-03') {
      await ctx.passTime(SOE_CHECKED_AT);
      await soeWeek(ctx);
    }

    say('U_PAT', `/sop cycle start ${month}`);
    await sop('U_PAT', `cycle start ${month}`);
    await standin.waitFor(
      () =>
        standin
          .messagesIn('C_DEMAND')
          .some((m) => m.text.startsWith(`S&OP ${month}: performance review`)),
      60_000,
    );
    log(
      `  → the performance review of ${past} opens ${month} in #sop-demand, its trend chart in its thread`,
    );
    if (month === '2027-02') {
      // Otto booked the overtime: Done from the action's DM.
      const dm = standin
        .messagesIn('D_U_OTTO')
        .find((m) => m.text.includes('Book weekend overtime'));
      if (dm) {
        await driver.clickButton('D_U_OTTO', dm.ts, 'action_done', { user: 'U_OTTO' });
        say('U_OTTO', 'clicks Done on “Book weekend overtime on LINE-2”');
      }
    }
    for (const phase of ['demand_review', 'supply_review', 'pre_sop', 'executive']) {
      // As in a real cycle, the pre-S&OP plan is ready before the meeting's pack is built.
      if (phase === 'executive') await ctx.settle();
      await ctx.nextPhase(phase, month);
    }
    await ctx.settle();
    say('U_CEO', `/sop decide central "Stay on the central plan for ${month}"`);
    await sop('U_CEO', `decide central "Stay on the central plan for ${month}"`);
    await standin.waitFor(() => hasDecision(db, month), 30_000);
    await sop('U_PAT', 'cycle close');
    await ctx.settle();
    ctx.packs.push(await writePack(db, ctx.outDir, month, ctx.names, ctx.clock.now()));
    log(`  → ${month}: Central adopted, cycle closed, pack-${month}.md written`);
  }
}

/** One S&OE week: weekly imports, the check, a report from operations, the Monday digest. */
async function soeWeek(ctx: LoopContext): Promise<void> {
  const { db, queues, standin, driver, say, log } = ctx;
  log(`\n  S&OE, week of ${SOE_WEEK}`);
  const supplier = await someSupplierCode(db);
  const plan = await adoptedMonth(db, '2027-02', '2027-03');
  const w = simulateWeek(SOE_WEEK, weekShare(SOE_WEEK), plan, {
    spike: 'FAM-1',
    shortfall: 'FAM-4',
    supplier,
  });
  const since = await dbNow(db);
  const results: ImportResult[] = [
    await importRows(db, 'weekly-sales', w.weeklySales),
    await importRows(db, 'weekly-production', w.weeklyProduction),
    ...(w.receipts.length ? [await importRows(db, 'receipts', w.receipts)] : []),
  ];
  say('U_PAT', 'sopbot import weekly-sales|weekly-production|receipts');
  await requestExecutionChecks(db, queues, results, since);
  await ctx.settle();
  const found = await rowCount(db, 'deviations');
  log(`  → ${found} deviations posted in #sop-supply, each with an owner and a due date`);

  say('U_OTTO', '/sop execution  (LINE-1 stops for two days: a gearbox failure)');
  await driver.command('/sop', { user: 'U_OTTO', channel: 'C_SUPPLY', text: 'execution' });
  const view = await standin.waitFor(() => {
    const v = standin.openViews('U_OTTO').at(-1);
    return v?.definition.callback_id === 'execution_submit' ? v : undefined;
  }, 10_000);
  await driver.submitView(view.id, {
    user: 'U_OTTO',
    values: {
      kind: { pick: 'production_stop' },
      code: { value: 'LINE-1' },
      day: { date: '2027-03-03' },
      expected: { value: '500' },
      actual: { value: '300' },
      comment: { value: 'Gearbox failure; the spare arrives Friday.' },
    },
  });
  await standin.waitFor(
    () => standin.messagesIn('C_SUPPLY').some((m) => m.text.startsWith('Reported by operations')),
    20_000,
  );
  await queues.enqueue('execution-digest', { week: SOE_WEEK });
  await ctx.settle();
  log(
    '  → Otto’s report posted; Monday’s digest in #sop-supply; frozen-zone breaks go to the next pack',
  );
}
