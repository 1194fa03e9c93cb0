/**
 * "If it happens" changes the world by the what-if's typed demand changes only. A cycle's
 * central scenario may plan with demand changes of its own (here +30% on every family): that
 * is how it plans, not what happens. Before, the what-if's world took the central scenario's
 * changes too, so even a what-if of +0% played both plans against demand 30% higher.
 *
 * Hand reasoning, no figure from the code: a +0% change leaves every sample as it was, so
 * "if it happens" is the forecast's world, and Central's plan must do there exactly what it
 * does against the forecast's samples (same samples, same seed, same plan).
 * Real Postgres and the real HiGHS solver.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseWhatIfs } from '../../src/core/scenarios/what-if.js';
import { generateCompany } from '../../src/seed/company.js';
import { runWhatIf } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { setCycleScenario } from '../../src/services/scenarios.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useDb } from '../helpers/db.js';
import { setUpCycle } from './jobs-fixture.js';

const t = useDb();
let cycleId = 0;

beforeAll(async () => {
  ({ cycleId } = await setUpCycle(
    t.db,
    generateCompany({ families: 3, months: 36, resources: 3, seed: 7 }),
    { horizon: 6 },
  ));
  await setCycleScenario(
    t.db,
    cycleId,
    {
      name: 'central',
      label: 'Central',
      overtime: true,
      demandChanges: [{ family: null, pct: 30 }],
    },
    'U_PLAN',
  );
  await fitBaselines(t.db, cycleId);
});

describe('a what-if on a central scenario that plans with demand changes of its own', () => {
  it("plays 'if it happens' against the typed change only", async () => {
    const out = await runWhatIf(
      t.db,
      await createHighsSolver(),
      cycleId,
      parseWhatIfs('demand FAM-1 +0%'),
      'What-if: demand FAM-1 +0%',
    );
    const asForecast = out.central.result.stress;
    const happens = out.ifItHappens?.central;
    expect(asForecast).not.toBeNull();
    // The forecast's samples hold demand: the comparison below is of real sales.
    expect(asForecast?.revenue.expected).toBeGreaterThan(0);
    expect(happens).toBeDefined();
    expect(happens?.fillRate).toEqual(asForecast?.fillRate);
    expect(happens?.margin).toEqual(asForecast?.margin);
    expect(happens?.revenue).toEqual(asForecast?.revenue);
  });
});
