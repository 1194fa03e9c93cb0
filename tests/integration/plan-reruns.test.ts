/**
 * Plan runs one after another in a cycle's plans threads, against real Postgres and Redis:
 * a run whose cash chart moves by less than a pixel shares the post already on screen rather
 * than posting the same-looking picture again; a picture that comes back (A, then B, then A)
 * is posted again below B, not pointed at A's old post; and a capacity cut that changes the
 * capacity check reposts it, with the run's headline naming the resource, its months and who
 * entered it (by name, escaped, not mentioned).
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../src/core/period.js';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { DEFAULT_USERS } from '../../src/slack-standin/index.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import {
  addAdjustments,
  CHANNELS,
  runPostCharts,
  setUpCycle,
  useInProcessWorker,
} from './jobs-fixture.js';

const t = useDb();
/** Who enters the capacity update: a display name (the stand-in's `name`) that needs escaping. */
const OTTO = { id: 'U_OTTO', name: 'Otto <Ops> & Sons', real_name: 'Otto Berg', tz: 'UTC' };
const standin = useStandin({
  postMessageRate: false,
  tierLimits: false,
  users: [...DEFAULT_USERS, OTTO],
});
let cycleId = 0;
let month = '';

beforeAll(async () => {
  ({ cycleId, month } = await setUpCycle(
    t.db,
    generateCompany({ families: 5, months: 36, resources: 3, seed: 11 }),
    { horizon: 6 },
  ));
});

const worker = useInProcessWorker({ t, standin }, 'plan-reruns');

const CHARTS = ['gap', 'scenarios', 'cash'] as const;

/** A run of the cycle's current inputs, written without its chart job. */
async function plan(runKey: string): Promise<string> {
  const solver = await createHighsSolver();
  return (
    await runPlan(t.db, solver, { cycleId, runKey, trigger: 'submission', requestedBy: null })
  ).runId;
}

/** Runs run `runId`'s post-charts job and waits until it has completed. */
const postCharts = (runId: string): Promise<void> =>
  runPostCharts({ worker, standin }, `reruns-${runId}`, { runId, charts: CHARTS });

interface StoredCash {
  cumulativeCash: number[];
  cumulativeCashP10: number[];
  budget?: { cumulativeCash: number[] } | null;
}

/** Each scenario's stored stress test (where the cash lines come from), by name. */
async function stressOf(runId: string): Promise<Map<string, StoredCash & Record<string, unknown>>> {
  const rows = await t.db
    .selectFrom('plan_scenarios')
    .select(['name', 'stress'])
    .where('run_id', '=', runId)
    .where('status', '=', 'optimal')
    .execute();
  return new Map(rows.map((r) => [r.name, r.stress as StoredCash & Record<string, unknown>]));
}

/**
 * Gives run `to` the cash lines of run `from`, each point at month index `i` moved by
 * `shift(i)`: the noise a new solve leaves in figures nobody changed.
 */
async function cashOf(from: string, to: string, shift: (i: number) => number): Promise<void> {
  const source = await stressOf(from);
  const target = await stressOf(to);
  // The stored run is immutable (a trigger refuses UPDATE): the noise is written with it off,
  // as a solve would have stored it, in one transaction that turns it back on.
  await t.db.transaction().execute(async (trx) => {
    await sql`alter table plan_scenarios disable trigger plan_scenarios_immutable`.execute(trx);
    for (const [name, x] of target) {
      const s = source.get(name);
      if (!s) throw new Error(`run ${from} has no scenario ${name}`);
      const stress = {
        ...x,
        budget: s.budget ?? null,
        cumulativeCash: s.cumulativeCash.map((v, i) => v + shift(i)),
        cumulativeCashP10: s.cumulativeCashP10.map((v, i) => v + shift(i)),
      };
      await sql`update plan_scenarios set stress = ${JSON.stringify(stress)}::jsonb
                 where run_id = ${to} and name = ${name}`.execute(trx);
    }
    await sql`alter table plan_scenarios enable trigger plan_scenarios_immutable`.execute(trx);
  });
}

const execThread = (): string => {
  const [root] = standin.messagesIn(CHANNELS.exec);
  if (!root) throw new Error('no plans thread in the executive channel');
  return root.ts;
};

/** The chart files posted in `channel`'s plans thread, by name, in order. */
const filesIn = (channel: string): (string | undefined)[] => {
  const [root] = standin.messagesIn(channel);
  return root
    ? standin
        .threadReplies(channel, root.ts)
        .flatMap((m) => m.files)
        .map((id) => standin.files.find((f) => f.id === id)?.name)
    : [];
};

const ledger = (key: string) =>
  t.db
    .selectFrom('slack_posts')
    .select(['channel_id', 'thread_ts', 'ts', 'file_id'])
    .where('post_key', '=', key)
    .executeTakeFirstOrThrow();

/** The run's headline in the executive thread, by lines. */
const headline = (runId: string): string[] => {
  const m = standin
    .threadReplies(CHANNELS.exec, execThread())
    .find((x) => x.text.startsWith(`*Plan run ${runId} for `));
  if (!m) throw new Error(`no headline of run ${runId}`);
  return m.text.split('\n');
};

describe('plan runs in a row', () => {
  const runs: string[] = [];

  it('a run whose cash lines move by less than a pixel shares the cash post on screen', async () => {
    runs.push(await plan('reruns-1'));
    await postCharts(runs[0]!);
    // A new input, so the second run is a run of its own: Bob sets FAM-2 to 500 units in one
    // month (the cycle has no forecast yet: no other demand).
    const fam2 = await t.db
      .selectFrom('families')
      .select('id')
      .where('code', '=', 'FAM-2')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('forecast_adjustments')
      .values({
        cycle_id: cycleId,
        family_id: fam2.id,
        period: addMonths(month, 3),
        author: 'U_BOB',
        author_role: 'sales',
        kind: 'set',
        value: 500,
        reason_code: 'promotion',
        zone: 'liquid',
        source: 'api',
        request_key: 'reruns-fam-2',
      })
      .execute();
    runs.push(await plan('reruns-2'));
    const [first, second] = runs as [string, string];

    // Run 2's cash lines are run 1's, moved in the first three months by 0.15% of the chart's
    // range (from zero, where its axis starts, to the furthest figure of any line): under the
    // 0.2% (0.6 of a pixel on the 300 px plot) that nobody sees. The summary prints the last
    // month, and the budget's, which stay as they were.
    const stored = [...(await stressOf(first)).values()];
    const all = stored.flatMap((x) => [
      ...x.cumulativeCash,
      ...x.cumulativeCashP10,
      ...(x.budget?.cumulativeCash ?? []),
    ]);
    const range = Math.max(0, ...all) - Math.min(0, ...all);
    const months = stored[0]!.cumulativeCash.length;
    const budgetEnd = (stored[0]!.budget?.cumulativeCash.length ?? months) - 1;
    const moved = [0, 1, 2].filter((i) => i < months - 1 && i < budgetEnd);
    expect(moved.length).toBeGreaterThan(0);
    const noise = 0.0015 * range;
    await cashOf(first, second, (i) => (moved.includes(i) ? noise : 0));
    // Some moved point crosses a step of the three significant figures the charts print at:
    // rounding alone would call the picture new.
    const p3 = (v: number) => Number(v.toPrecision(3));
    const crosses = stored.some((x) =>
      moved.some((i) => p3(x.cumulativeCash[i]!) !== p3(x.cumulativeCash[i]! + noise)),
    );
    expect(crosses).toBe(true);

    await postCharts(second);
    // One cash picture in the thread: run 1's, which run 2's key now names.
    expect(filesIn(CHANNELS.exec).filter((f) => f?.endsWith('-cash.png'))).toEqual([
      `run-${first}-cash.png`,
    ]);
    const shared = await ledger(`run:${second}:cash`);
    const own = await ledger(`run:${first}:cash`);
    expect(shared).toEqual(own);
    expect(shared.file_id).not.toBeNull();
    // Its headline says what changed since run 1: FAM-2's demand in the one month adjusted
    // (three months after the cycle's), entered by Bob: his display name, "bob", in the stand-in.
    expect(headline(second)[1]).toBe(
      `_Changed since plan run ${first}:_ demand of FAM-2 in ${addMonths(month, 3)} (bob).`,
    );
  }, 240_000);

  it('a picture that comes back (A, B, A) is posted again below B, not shared from A', async () => {
    const [first] = runs as [string, string];
    // Run 3's cash lines are 5% of their range higher (B): a new picture…
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-1', pct: 2, months: 1 }]);
    const third = await plan('reruns-3');
    const range = await (async () => {
      const all = [...(await stressOf(first)).values()].flatMap((x) => [
        ...x.cumulativeCash,
        ...x.cumulativeCashP10,
        ...(x.budget?.cumulativeCash ?? []),
      ]);
      return Math.max(0, ...all) - Math.min(0, ...all);
    })();
    await cashOf(first, third, () => 0.05 * range);
    await postCharts(third);
    // …and run 4's are run 1's again (A).
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-1', pct: 3, months: 1 }]);
    const fourth = await plan('reruns-4');
    await cashOf(first, fourth, () => 0);
    await postCharts(fourth);
    runs.push(third, fourth);

    expect(filesIn(CHANNELS.exec).filter((f) => f?.endsWith('-cash.png'))).toEqual([
      `run-${first}-cash.png`,
      `run-${third}-cash.png`,
      `run-${fourth}-cash.png`,
    ]);
    expect((await ledger(`run:${fourth}:cash`)).ts).not.toBe(
      (await ledger(`run:${first}:cash`)).ts,
    );
  }, 240_000);

  it('a capacity cut reposts the capacity check, and the headline names it and who entered it', async () => {
    const previous = runs.at(-1)!;
    // The line with the most load in a month of the previous run's central plan, cut to half
    // that load in that month (entered by Otto): a cell of the capacity check turns red.
    const busiest = await t.db
      .selectFrom('plan_resource_results as r')
      .innerJoin('plan_scenarios as s', 's.id', 'r.scenario_id')
      .innerJoin('resources as x', 'x.id', 'r.resource_id')
      .select(['x.id', 'x.code', 'r.period', 'r.load', 'r.capacity'])
      .where('s.run_id', '=', previous)
      .where('s.name', '=', 'central')
      .where('x.code', 'like', 'LINE-%')
      .orderBy('r.load', 'desc')
      .executeTakeFirstOrThrow();
    expect(busiest.load).toBeGreaterThan(0);
    await t.db
      .insertInto('capacity_updates')
      .values({
        cycle_id: cycleId,
        resource_id: busiest.id,
        period: busiest.period,
        kind: 'set',
        value: busiest.load / 2,
        reason_code: 'maintenance',
        comment: null,
        is_constraint: true,
        before_value: busiest.capacity,
        after_value: busiest.load / 2,
        author: OTTO.id,
        source: 'command',
        request_key: 'reruns-cut',
      })
      .execute();
    const next = await plan('reruns-5');
    const gapsBefore = filesIn(CHANNELS.supply).filter((f) => f?.endsWith('-gap.png')).length;
    await postCharts(next);

    expect(filesIn(CHANNELS.supply).filter((f) => f?.endsWith('-gap.png'))).toHaveLength(
      gapsBefore + 1,
    );
    expect(filesIn(CHANNELS.supply).at(-1)).toBe(`run-${next}-gap.png`);
    // By name, escaped (`<` `>` `&`), and no mention: the headline pings nobody.
    const lines = headline(next);
    expect(lines[1]).toBe(
      `_Changed since plan run ${previous}:_ capacity of ${busiest.code} in ${busiest.period} (Otto &lt;Ops&gt; &amp; Sons).`,
    );
    expect(lines.join('\n')).not.toContain('<@');
  }, 240_000);
});
