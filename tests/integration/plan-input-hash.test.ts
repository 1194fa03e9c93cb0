/**
 * A plan run is reused only for the same inputs. `/sop plan` after `/sop scenario` used to
 * return the previous run, with the old scenarios, because the input hash covered only the
 * central problem and the consensus. Every input that changes what a run stores now counts:
 * here a changed scenario and a changed stress-test seed each make a new run, and the same
 * inputs still reuse the latest one.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../src/core/period.js';
import type { ScenarioAssumptions } from '../../src/core/scenarios.js';
import { importCsv } from '../../src/import/import-csv.js';
import { generateCompany } from '../../src/seed/company.js';
import {
  beforeBillsHash,
  beforeOpeningHash,
  legacyPlanInputHash,
  openingBillsOf,
  openingOf,
  planInputHash,
  planInputHashWith,
  preparePlan,
  runPlan,
} from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import {
  deleteCycleScenario,
  resetCycleScenarios,
  setCycleScenario,
} from '../../src/services/scenarios.js';
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

  it('the same scenarios written another way (stored keys, levers at values that change nothing) reuse the run', async () => {
    await resetCycleScenarios(t.db, cycleId, 'U_PAT');
    const onDefaults = await plan();
    expect(onDefaults.created).toBe(true);
    // A scenario added by mistake and deleted before any plan: the cycle's list is the three
    // defaults again, now stored as its own (jsonb keeps keys in its own order). Before the
    // fix the hash read them in that order, so the same plan was solved again: a new run,
    // which replaces the one an open vote is on.
    await setCycleScenario(
      t.db,
      cycleId,
      { name: 'lean', label: 'Lean', demandMultiplier: 0.95 },
      'U_PAT',
    );
    await deleteCycleScenario(t.db, cycleId, 'lean', 'U_PAT');
    const same = await plan();
    expect({ runId: same.runId, reused: same.reused }).toEqual({
      runId: onDefaults.runId,
      reused: true,
    });

    // Levers said at the value that plans as leaving them out (written by a plan file, a
    // service call, or a version before the form wrote none of them): 1x the consensus, a 0%
    // price change, no hiring freeze, 100% of the overtime limit, the optimal strategy, no
    // family multipliers, no demand, capacity or price changes.
    const inputs = await preparePlan(t.db, cycleId);
    const neutral = (s: ScenarioAssumptions): ScenarioAssumptions => ({
      ...s,
      demandMultiplier: s.demandMultiplier ?? 1,
      priceChangePct: s.priceChangePct ?? 0,
      hiringFreeze: s.hiringFreeze ?? false,
      overtimeCapPct: s.overtimeCapPct ?? 100,
      strategy: s.strategy ?? 'optimal',
      familyMultipliers: s.familyMultipliers ?? {},
      demandChanges: s.demandChanges ?? [],
      capacityChanges: s.capacityChanges ?? [],
      priceChanges: s.priceChanges ?? [],
    });
    const said = { ...inputs, scenarios: inputs.scenarios.map(neutral) };
    expect(planInputHash(said)).toBe(planInputHash(inputs));
    // What does change the plan still makes another hash: a hiring freeze in Central, and the
    // scenarios in another order (the first is the one the others are compared with).
    const [central, ...others] = inputs.scenarios;
    const frozen = { ...inputs, scenarios: [{ ...central!, hiringFreeze: true }, ...others] };
    expect(planInputHash(frozen)).not.toBe(planInputHash(inputs));
    const reordered = { ...inputs, scenarios: [...others, central!] };
    expect(planInputHash(reordered)).not.toBe(planInputHash(inputs));
  }, 120_000);

  it('a run stored before the hash was canonical is not reused once the invoices its cash left out are known', async () => {
    const latest = await plan();
    // The latest run as the version before stored it: its hash of the scenarios as read, with
    // neither the invoices nor the bills open when the plan begins.
    const inputs = await preparePlan(t.db, cycleId);
    await storeHash(latest.runId, legacyPlanInputHash(inputs));
    expect(legacyPlanInputHash(inputs)).not.toBe(planInputHash(inputs));
    // The sales history reaches the months the DSO collects in the plan (45 days: the two
    // before it), so the invoices are known now and that run's cash leaves them out: the
    // next recompute makes another run, which counts them.
    expect(openingOf(inputs)?.total).toBeGreaterThan(0);
    const after = await plan();
    expect(after.created).toBe(true);
    expect(after.runId).not.toBe(latest.runId);
    expect(await openingKpis(after.runId)).toMatchObject({
      openingReceivables: openingOf(inputs)!.total,
    });
  }, 120_000);

  it('the sales before the plan that its cash collects are an input; a run from before they were counted is not reused once they are known', async () => {
    const inputs = await preparePlan(t.db, cycleId);
    const first = inputs.periods[0]!;
    expect(openingOf(inputs)?.total).toBeGreaterThan(0);
    const withRevenue = (period: string, revenue: number) => ({
      ...inputs,
      loaded: {
        ...inputs.loaded,
        company: {
          ...inputs.loaded.company,
          history: inputs.loaded.company.history.map((h) =>
            h.period === period ? { ...h, revenue } : h,
          ),
        },
      },
    });
    // The month before the plan is still being collected in it (DSO 45): another revenue
    // there is another run. A month the DSO does not reach (a year before) is not.
    const before = addMonths(first, -1);
    const yearBefore = addMonths(first, -12);
    expect(planInputHash(withRevenue(before, 123))).not.toBe(planInputHash(inputs));
    expect(planInputHash(withRevenue(yearBefore, 123))).toBe(planInputHash(inputs));
    // The latest run as a version that did not count them stored it: its cash leaves out
    // the invoices the history gives, so it is not the run of these inputs.
    const latest = await plan();
    await storeHash(latest.runId, beforeOpeningHash(inputs));
    expect(beforeOpeningHash(inputs)).not.toBe(planInputHash(inputs));
    const after = await plan();
    expect(after.created).toBe(true);
    expect(after.runId).not.toBe(latest.runId);
  }, 120_000);

  it('the production before the plan whose bills its cash pays is an input; a run from before they were counted is not reused once they are estimated', async () => {
    // A run as this version stores it: another stress seed makes one.
    await t.db.updateTable('workspace_settings').set({ stress_seed: 777 }).execute();
    const latest = await plan();
    expect(latest.created).toBe(true);
    const inputs = await preparePlan(t.db, cycleId);
    expect(inputs.settings.dpo_days).toBe(30);
    const first = inputs.periods[0]!;
    const before = addMonths(first, -1);
    const fam = inputs.loaded.company.families[0]!;
    // No unit cost of its own imported for the month before: the families' unit costs.
    expect(
      (inputs.loaded.company.familyCosts ?? []).some(
        (c) => c.period === before && c.unitCost !== null,
      ),
    ).toBe(false);
    // No production actuals yet: the bills open when the plan begins are estimated from the
    // sales of the month before at unit cost (30 days: all of that month's bill is open).
    const unitCost = new Map(inputs.loaded.company.families.map((f) => [f.code, f.unitCost]));
    const estimate = inputs.loaded.company.history
      .filter((h) => h.period === before)
      .reduce((a, h) => a + h.units * unitCost.get(h.family)!, 0);
    expect(estimate).toBeGreaterThan(0);
    const bills = openingBillsOf(inputs);
    expect(bills?.estimated).toBe(true);
    expect(bills?.total).toBeCloseTo(estimate, 6);
    expect((await openingKpis(latest.runId)).openingPayables).toBeCloseTo(estimate, 6);
    const withProduction = (period: string) => ({
      ...inputs,
      production: { rows: [{ family: fam.code, period, units: 100 }], families: [fam.code] },
    });
    // 30 days: the month before the plan is paid in its first month; its production is
    // another run. A month the DPO does not reach (a year before) is not.
    expect(planInputHash(withProduction(before))).not.toBe(planInputHash(inputs));
    expect(planInputHash(withProduction(addMonths(first, -12)))).toBe(planInputHash(inputs));

    // The latest run as the version before the bills stored it: its cash counts no bills,
    // and the estimate is known now, so it is not the run of these inputs: another, which
    // pays them.
    await storeHash(latest.runId, beforeBillsHash(inputs));
    expect(beforeBillsHash(inputs)).not.toBe(planInputHash(inputs));
    const upgraded = await plan();
    expect(upgraded.created).toBe(true);
    expect(upgraded.runId).not.toBe(latest.runId);
    expect((await openingKpis(upgraded.runId)).openingPayables).toBeCloseTo(estimate, 6);

    // The month before imported: the bills come from production, another run, which pays
    // the month's bill in the first month: 100 units at the family's unit cost.
    await importCsv(t.db, {
      kind: 'production',
      fileName: 'production.csv',
      text: `family,period,units\n${fam.code},${before},100\n`,
      actor: 'cli:test',
    });
    const counted = await plan();
    expect(counted.created).toBe(true);
    expect(counted.runId).not.toBe(upgraded.runId);
    expect((await openingKpis(counted.runId)).openingPayables).toBeCloseTo(100 * fam.unitCost, 6);
    // And it is the run of its inputs from then on.
    const again = await plan();
    expect({ runId: again.runId, reused: again.reused }).toEqual({
      runId: counted.runId,
      reused: true,
    });
  }, 120_000);

  it('with payment on delivery (DSO 0 or DPO 0) a run stored before nothing open was a known zero is still reused', async () => {
    // The versions before wrote a DSO or DPO of 0 as not known (null), or left the invoices
    // or bills out of the hash; now nothing open is a known zero, and the cash is the same:
    // the stored run is its run, not solved again after an upgrade.
    const reusedAs = async (runId: string, hash: string) => {
      await storeHash(runId, hash);
      const again = await plan();
      return { runId: again.runId, reused: again.reused };
    };
    const reused = (runId: string) => ({ runId, reused: true });

    // DPO 0, DSO 45: bills none (a known zero), invoices known from the sales history.
    await t.db.updateTable('workspace_settings').set({ dso_days: 45, dpo_days: 0 }).execute();
    const dpo0 = await plan();
    expect(dpo0.created).toBe(true);
    let inputs = await preparePlan(t.db, cycleId);
    expect(openingBillsOf(inputs)).toEqual({
      paid: [0, 0, 0, 0],
      outstanding: [0, 0, 0, 0],
      total: 0,
    });
    expect(openingOf(inputs)?.total).toBeGreaterThan(0);
    // As the version that counted bills but wrote DPO 0 as null stored it.
    const billsNull = planInputHashWith(inputs, { opening: openingOf(inputs), bills: null });
    expect(billsNull).not.toBe(planInputHash(inputs));
    expect(await reusedAs(dpo0.runId, billsNull)).toEqual(reused(dpo0.runId));
    // As the version before the bills stored it.
    expect(await reusedAs(dpo0.runId, beforeBillsHash(inputs))).toEqual(reused(dpo0.runId));

    // DSO 0, DPO 30: invoices none, bills known (the production imported above): as the
    // version that wrote DSO 0 as null stored it.
    await t.db.updateTable('workspace_settings').set({ dso_days: 0, dpo_days: 30 }).execute();
    const dso0 = await plan();
    expect(dso0.created).toBe(true);
    inputs = await preparePlan(t.db, cycleId);
    expect(openingOf(inputs)).toEqual({
      collected: [0, 0, 0, 0],
      outstanding: [0, 0, 0, 0],
      total: 0,
    });
    expect(openingBillsOf(inputs)?.total).toBeGreaterThan(0);
    const openingNull = planInputHashWith(inputs, { opening: null, bills: openingBillsOf(inputs) });
    expect(openingNull).not.toBe(planInputHash(inputs));
    expect(await reusedAs(dso0.runId, openingNull)).toEqual(reused(dso0.runId));
    // Known bills are still counted: a run stored before them is not reused.
    await storeHash(dso0.runId, beforeBillsHash(inputs));
    const counted = await plan();
    expect(counted.created).toBe(true);

    // DSO 0 and DPO 0: nothing open either way, every hash before still the run's.
    await t.db.updateTable('workspace_settings').set({ dso_days: 0, dpo_days: 0 }).execute();
    const both = await plan();
    expect(both.created).toBe(true);
    inputs = await preparePlan(t.db, cycleId);
    expect(
      await reusedAs(both.runId, planInputHashWith(inputs, { opening: null, bills: null })),
    ).toEqual(reused(both.runId));
    expect(await reusedAs(both.runId, beforeOpeningHash(inputs))).toEqual(reused(both.runId));
    expect(await reusedAs(both.runId, legacyPlanInputHash(inputs))).toEqual(reused(both.runId));
    await t.db.updateTable('workspace_settings').set({ dso_days: 45, dpo_days: 30 }).execute();
  }, 180_000);
});

/** Stores `hash` as the run's input hash, as a version before wrote it. */
async function storeHash(runId: string, hash: string): Promise<void> {
  await t.db.transaction().execute(async (trx) => {
    // Runs are append-only (a trigger refuses UPDATE): the test lifts it for this one row.
    await sql`ALTER TABLE plan_runs DISABLE TRIGGER USER`.execute(trx);
    await trx.updateTable('plan_runs').set({ input_hash: hash }).where('id', '=', runId).execute();
    await sql`ALTER TABLE plan_runs ENABLE TRIGGER USER`.execute(trx);
  });
}

/** The central scenario's KPIs of a run. */
async function openingKpis(runId: string): Promise<Record<string, number>> {
  const central = await t.db
    .selectFrom('plan_scenarios')
    .select('kpis')
    .where('run_id', '=', runId)
    .where('name', '=', 'central')
    .executeTakeFirstOrThrow();
  return central.kpis as Record<string, number>;
}
