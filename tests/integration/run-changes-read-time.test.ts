/**
 * "Changed since plan run N" names who entered each change the run read and the run before it
 * did not, by when each run read its inputs: a run is stored after it is solved, so a change
 * entered while it solves is older than the run's row yet not in it. Against real Postgres and
 * Redis and the Slack stand-in, a change is entered mid-solve through the solver the run calls.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../src/core/period.js';
import type { LpModel, LpSolver } from '../../src/core/supply/lp.js';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import { CHANNELS, runPostCharts, setUpCycle, useInProcessWorker } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin({ postMessageRate: false, tierLimits: false });
const worker = useInProcessWorker({ t, standin }, 'run-changes-read-time');

let cycleId = 0;
let month = '';

beforeAll(async () => {
  ({ cycleId, month } = await setUpCycle(
    t.db,
    generateCompany({ families: 4, months: 36, resources: 2, seed: 7 }),
    { horizon: 6 },
  ));
});

/** `author` sets `family` to `units` in the plan's fourth month. */
async function adjust(family: string, author: string, units: number, key: string): Promise<void> {
  const f = await t.db
    .selectFrom('families')
    .select('id')
    .where('code', '=', family)
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('forecast_adjustments')
    .values({
      cycle_id: cycleId,
      family_id: f.id,
      period: addMonths(month, 3),
      author,
      author_role: 'sales',
      kind: 'set',
      value: units,
      reason_code: 'promotion',
      zone: 'liquid',
      source: 'api',
      request_key: key,
    })
    .execute();
}

/**
 * A run of the cycle's inputs, with `whileSolving` done at its first solve: after the run read
 * its inputs, before it is stored.
 */
async function plan(runKey: string, whileSolving: () => Promise<void>): Promise<string> {
  const highs = await createHighsSolver();
  let first: Promise<void> | null = null;
  const solver: LpSolver = {
    solve: async (model: LpModel) => {
      first ??= whileSolving();
      await first;
      return highs.solve(model);
    },
  };
  const out = await runPlan(t.db, solver, {
    cycleId,
    runKey,
    trigger: 'submission',
    requestedBy: null,
  });
  expect(out.created).toBe(true);
  return out.runId;
}

const postHeadline = (runId: string): Promise<void> =>
  runPostCharts({ worker, standin }, `read-time-${runId}`, { runId, charts: ['scenarios'] });

const headline = (runId: string): string[] => {
  const [root] = standin.messagesIn(CHANNELS.exec);
  const m = root
    ? standin
        .threadReplies(CHANNELS.exec, root.ts)
        .find((x) => x.text.startsWith(`*Plan run ${runId} for `))
    : undefined;
  if (!m) throw new Error(`no headline of run ${runId}`);
  return m.text.split('\n');
};

describe('changed since the run before, by what each run read', () => {
  it('names who entered a change while the run before was solving, and not one entered while this run solved', async () => {
    // Run 1 reads its inputs; while it solves, Cara sets FAM-2: not in run 1.
    const first = await plan('read-time-1', () => adjust('FAM-2', 'U_CARA', 400, 'rt-cara'));
    await postHeadline(first);
    // Bob sets FAM-3 before run 2 reads its inputs; while run 2 solves, Alice sets FAM-3 too:
    // in run 2, FAM-2 (Cara's) and FAM-3 (Bob's 300) changed; Alice's 900 is the next run's.
    await adjust('FAM-3', 'U_BOB', 300, 'rt-bob');
    const second = await plan('read-time-2', () => adjust('FAM-3', 'U_ALICE', 900, 'rt-alice'));
    await postHeadline(second);

    const m = addMonths(month, 3);
    expect(headline(second)[1]).toBe(
      `_Changed since plan run ${first}:_ demand of FAM-2 in ${m} (cara); demand of FAM-3 in ${m} (bob).`,
    );
  }, 240_000);
});
