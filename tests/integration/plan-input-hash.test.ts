/**
 * A plan run is reused only for the same inputs. `/sop plan` after `/sop scenario` used to
 * return the previous run, with the old scenarios, because the input hash covered only the
 * central problem and the consensus. Every input that changes what a run stores now counts:
 * here a changed scenario and a changed stress-test seed each make a new run, and the same
 * inputs still reuse the latest one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { setCycleScenario } from '../../src/services/scenarios.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { setUpCycle } from './jobs-fixture.js';

const t = useDb();
let cycleId = 0;
let solver: Awaited<ReturnType<typeof createHighsSolver>>;
let n = 0;

beforeAll(async () => {
  solver = await createHighsSolver();
  ({ cycleId } = await setUpCycle(
    t.db,
    generateCompany({ families: 3, months: 36, resources: 2, seed: 5 }),
    { horizon: 4 },
  ));
  await fitBaselines(t.db, cycleId);
}, 60_000);

const plan = () =>
  runPlan(t.db, solver, {
    cycleId,
    runKey: `plan-input-hash-${++n}`,
    trigger: 'test',
    requestedBy: 'U_PAT',
  });

const cautiousOf = async (runId: string) =>
  (
    await t.db
      .selectFrom('plan_scenarios')
      .select('assumptions')
      .where('run_id', '=', runId)
      .where('name', '=', 'cautious')
      .executeTakeFirstOrThrow()
  ).assumptions as { demandMultiplier?: number };

describe('plan runs and their inputs', () => {
  it('a changed scenario or stress seed makes a new run; the same inputs reuse the latest', async () => {
    const first = await plan();
    expect(first.created).toBe(true);
    // Nothing changed: the same run.
    const again = await plan();
    expect({ runId: again.runId, reused: again.reused }).toEqual({
      runId: first.runId,
      reused: true,
    });

    // `/sop scenario` sets Cautious to 80% of the consensus demand.
    await setCycleScenario(
      t.db,
      cycleId,
      { name: 'cautious', label: 'Cautious', demandMultiplier: 0.8 },
      'U_PAT',
    );
    const rescoped = await plan();
    // Before the fix: reused, the run of the old scenarios (Cautious at 0.9).
    expect(rescoped.created).toBe(true);
    expect(rescoped.runId).not.toBe(first.runId);
    expect((await cautiousOf(rescoped.runId)).demandMultiplier).toBe(0.8);
    expect((await plan()).runId).toBe(rescoped.runId);

    // Another seed draws other demand samples: the stress figures change, so a new run. (No
    // command sets it; an operator sets the workspace_settings column.)
    await t.db.updateTable('workspace_settings').set({ stress_seed: 12345 }).execute();
    const reseeded = await plan();
    expect(reseeded.created).toBe(true);
    expect(reseeded.runId).not.toBe(rescoped.runId);
    const same = await plan();
    expect({ runId: same.runId, reused: same.reused }).toEqual({
      runId: reseeded.runId,
      reused: true,
    });
  }, 120_000);
});
