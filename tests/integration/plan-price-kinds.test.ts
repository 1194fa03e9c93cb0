/**
 * What each stored "one more" price is, as the plan job writes it: the exact worth of one
 * whole unit, or the dual's rate where the step was not solved again (migration
 * 20261210T1000, core's PriceKind and DemandPriceKind). Real Postgres, the real HiGHS.
 *
 * - The demo-sized company (24 families, 8 resources, 18 months: `npm run demo`): its hours
 *   are all exact; about 50 steps a scenario need a solve again, more than the 24 a plan of
 *   the bench's size gets, but a model a tenth the size gets ten times as many (stepSolveLimit),
 *   so none keeps its dual.
 * - An abort inside HiGHS while the steps are priced keeps the solved plan: the prices not
 *   solved again are stored as rates, and the job logs the error once, with its stack.
 *
 * The knife-edge company of tests/integration/explain-knife-edge.test.ts, worked by hand there:
 * LINE-1 (100 h a month) makes FAM-A's 100, 100, 50 (FAM-Z demands nothing); LINE-2 (50 h)
 * makes FAM-B's 50, 50 and 50 of March's 60, losing 10 at the $40 price. Central cost $4,400.
 * LINE-1's January and February hours are exactly full: one more saves $0, which for
 * February only a solve again finds (the first one asked, so the abort comes there).
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../jobs/plan.js';
import type { JobContext } from '../../jobs/processor-types.js';
import { generateCompany } from '../../src/seed/company.js';
import { explainQuestion } from '../../src/services/explain.js';
import { runPlan } from '../../src/services/planning.js';
import { explainMessage } from '../../src/slack/presenters/explain.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { abortingHighs } from '../helpers/aborting-highs.js';
import { useDb } from '../helpers/db.js';
import { seedKnifeEdge } from '../helpers/knife-edge.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { setUpCycle } from './jobs-fixture.js';

describe('the demo-sized company', () => {
  const t = useDb();

  it('prices every hour and every unit demanded for a whole unit, none left at its dual', async () => {
    const { cycleId } = await setUpCycle(
      t.db,
      generateCompany({ families: 24, months: 48, resources: 8, seed: 2027 }),
    );
    const out = await runPlan(t.db, await createHighsSolver(), {
      cycleId,
      runKey: 'demo-sized',
      trigger: 'test',
      requestedBy: null,
    });
    expect(out.created).toBe(true);
    expect(out.pricingErrors).toBeUndefined();
    const resources = await t.db
      .selectFrom('plan_resource_duals')
      .select(['shadow_price_kind'])
      .where('shadow_price', 'is not', null)
      .execute();
    const families = await t.db
      .selectFrom('plan_family_duals')
      .select(['demand_price_kind', 'demand_price'])
      .execute();
    // 8 resources × 18 months, 24 families × 18 months, three scenarios.
    expect(resources).toHaveLength(3 * 8 * 18);
    expect(families).toHaveLength(3 * 24 * 18);
    // Hours are solved again first: every one is exact, as before.
    expect(new Set(resources.map((r) => r.shadow_price_kind))).toEqual(new Set(['exact']));
    // Each scenario has about 50 steps the basis cannot price. Its model has 2,646 columns,
    // so the budget of 24 solves of 28,296 columns allows floor(24 × 28,296 / 2,646) = 256
    // solves again: every unit demanded is priced for a whole unit, none left a rate.
    const kinds = new Set(families.map((f) => f.demand_price_kind));
    expect(kinds.has(null)).toBe(false);
    expect(kinds.has('rate')).toBe(false);
  });
});

describe('an abort inside HiGHS while the plan job prices the steps', () => {
  const t = useDb();

  /** The knife-edge company (tests/helpers/knife-edge.ts), its cycle's id. */
  const knifeEdge = () => seedKnifeEdge(t.db);

  it('keeps the solved plan, stores the prices not solved again as rates, and logs the error once with its stack', async () => {
    const cycleId = await knifeEdge();
    const { logger, lines } = recordedLogs();
    const solver = await createHighsSolver({ load: abortingHighs });
    // The processor as the worker runs it; of the worker's services it uses the solver only.
    const ctx = {
      db: t.db,
      logger,
      clock: { now: () => new Date('2027-01-10T10:00:00Z') },
      worker: { solver: async () => solver },
    } as unknown as JobContext;
    const out = (await plan(
      { cycleId, runKey: 'abort', trigger: 'test', requestedBy: null, replyTo: null },
      ctx,
    )) as { runId: string; created: boolean };
    expect(out.created).toBe(true);

    const scenarios = await t.db
      .selectFrom('plan_scenarios')
      .select(['name', 'status', 'total_cost'])
      .where('run_id', '=', out.runId)
      .execute();
    expect(scenarios.every((s) => s.status === 'optimal')).toBe(true);
    expect(scenarios.find((s) => s.name === 'central')?.total_cost).toBeCloseTo(4400, 6);

    // January's hour is priced from the basis, $0, exact. February's needs a solve again,
    // the first one asked, which aborts: it keeps HiGHS's dual, marked as a rate. Any dual
    // from $0 (what one more hour saves) to $6 (what one less costs: a unit of FAM-A waits a
    // month for March) is valid, so "at most" it is true. March has spare hours: $0, exact.
    const e = await explainQuestion(t.db, 'LINE-1 2027-01..2027-03');
    if (e.kind !== 'resource') throw new Error(e.kind);
    expect(e.months.map((m) => m.shadowPriceKind)).toEqual(['exact', 'rate', 'exact']);
    expect(e.months.map((m) => m.shadowPrice)).toEqual([0, expect.any(Number), 0]);
    const feb = e.months[1]?.shadowPrice ?? Number.NaN;
    expect(feb).toBeGreaterThan(0);
    expect(feb).toBeLessThanOrEqual(6);
    const answer = await explainQuestion(t.db, 'LINE-1 2027-02');
    expect(JSON.stringify(explainMessage(answer).blocks)).toContain(
      `One more h on LINE-1 in 2027-02 is worth at most *$${feb.toFixed(2)}* (the marginal rate: not re-solved for a whole unit).`,
    );

    // One error line per scenario whose pricing aborted, each once, with the solver's stack.
    const errors = lines.filter((l) => l.level === 50);
    const names = errors.map((l) => (l as { scenario?: string }).scenario);
    expect(names).toContain('central');
    expect(new Set(names).size).toBe(names.length);
    for (const l of errors) {
      expect(l.msg).toContain('pricing the "one more" steps failed');
      expect(l.err?.stack).toContain('RuntimeError: Aborted()');
    }
  });
});
