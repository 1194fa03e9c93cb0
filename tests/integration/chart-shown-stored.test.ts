/**
 * A plan run's chart is compared with what the plans thread shows, as it was posted, not with
 * the earlier run's chart built again from today's data: against real Postgres and Redis and
 * the Slack stand-in. The accuracy chart of a run posted before a month's actuals came is not
 * the chart of a run after they came, though the earlier run's chart, drawn again today, would
 * have the new point too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../src/core/period.js';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertCycle, useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import {
  addAdjustments,
  CHANNELS,
  runPostCharts,
  setUpCycle,
  useInProcessWorker,
} from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
const worker = useInProcessWorker({ t, standin }, 'chart-shown-stored');

let cycleId = 0;
let month = '';
/** The last month of the company's sales, whose rows come later ("imported" mid-cycle). */
let lastMonth = '';
let held: { family_id: number; period: string; units: number }[] = [];

beforeAll(async () => {
  ({ cycleId, month } = await setUpCycle(
    t.db,
    generateCompany({ families: 4, months: 36, resources: 2, seed: 5 }),
    { horizon: 6 },
  ));
  lastMonth = addMonths(month, -1);
  // The last month's actuals are not in yet: held back, put in before the second run.
  held = await t.db
    .selectFrom('sales_history')
    .select(['family_id', 'period', 'units'])
    .where('period', '=', lastMonth)
    .execute();
  expect(held.length).toBeGreaterThan(0);
  await t.db.deleteFrom('sales_history').where('period', '=', lastMonth).execute();
  // Two closed cycles, each scored on the month after its own (lag 1): the older one on the
  // month before the last (actuals in), the newer one on the last month (actuals not yet in).
  for (const back of [3, 2]) {
    const id = await insertCycle(t.db, {
      month: addMonths(month, -back),
      phase: 'closed',
      closed_at: new Date(),
    });
    await fitBaselines(t.db, id, { method: 'naive' });
  }
});

async function plan(runKey: string): Promise<string> {
  const solver = await createHighsSolver();
  return (
    await runPlan(t.db, solver, { cycleId, runKey, trigger: 'submission', requestedBy: null })
  ).runId;
}

const postCharts = (runId: string): Promise<void> =>
  runPostCharts({ worker, standin }, `shown-stored-${runId}`, { runId, charts: ['accuracy'] });

/** The chart files posted in the demand channel's plans thread, by name, in order. */
const filesInDemand = (): (string | undefined)[] => {
  const [root] = standin.messagesIn(CHANNELS.demand);
  return root
    ? standin
        .threadReplies(CHANNELS.demand, root.ts)
        .flatMap((m) => m.files)
        .map((id) => standin.files.find((f) => f.id === id)?.name)
    : [];
};

describe('a chart compared with what was posted', () => {
  it('posts the accuracy chart again when a month of actuals came after the last one was posted', async () => {
    const first = await plan('shown-stored-1');
    await postCharts(first);
    // One point: the older closed cycle's (its scored month has actuals); the newer one's
    // month has none yet.
    expect(filesInDemand()).toEqual([`run-${first}-accuracy.png`]);

    // The last month's actuals come in, and a forecast change makes a run of its own.
    await t.db.insertInto('sales_history').values(held).execute();
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-1', pct: 5, months: 1 }]);
    const second = await plan('shown-stored-2');
    expect(second).not.toBe(first);
    await postCharts(second);

    // Two points now: a new picture below the first, not the first run's post shared.
    expect(filesInDemand()).toEqual([`run-${first}-accuracy.png`, `run-${second}-accuracy.png`]);
    const keys = await t.db
      .selectFrom('slack_posts')
      .select(['post_key', 'ts'])
      .where('post_key', 'in', [`run:${first}:accuracy`, `run:${second}:accuracy`])
      .orderBy('post_key')
      .execute();
    expect(new Set(keys.map((k) => k.ts)).size).toBe(2);
  }, 240_000);

  it('shares the post on screen when nothing it shows changed', async () => {
    const before = filesInDemand().length;
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-2', pct: 5, months: 1 }]);
    const third = await plan('shown-stored-3');
    await postCharts(third);
    expect(filesInDemand()).toHaveLength(before);
  }, 240_000);
});
