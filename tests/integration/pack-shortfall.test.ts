/**
 * A plan can be optimal and still give up most of a family's demand. Solved for real (HiGHS,
 * through the planning service), the pack and the plan run's Slack summary name each family
 * left short, its units and the cause: FAM-HOT wants 300 a month from LINE-H, which makes
 * 100 a month and is full every month (nothing can be built ahead), so 200 a month are lost;
 * FAM-CHEAP sells at $5 what costs $10 to make, so the plan gives all of it up. FAM-OK is
 * served in full and is not named. The budget question sets the units delivered, not the
 * demand, against the budget's sales.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../db/queries/plan-runs.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { runPlan } from '../../src/services/planning.js';
import { getSettings } from '../../src/services/settings.js';
import { centralShortfalls } from '../../src/services/shortfall.js';
import { packMessage } from '../../src/slack/presenters/pack.js';
import { planHeadline } from '../../src/slack/presenters/plan-run.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { insertCycle, insertFlatBaseline, useDb } from '../helpers/db.js';

const MONTHS = ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06'];
const NOW = new Date('2027-01-20T10:00:00Z');

const t = useDb();
let runId = '';

/** The lines of section n of the Markdown pack. */
function section(md: string, n: number): string {
  const start = md.indexOf(`## ${n}. `);
  expect(start, `section ${n} present`).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n## ', start + 1);
  return md.slice(start, next < 0 ? undefined : next);
}

beforeAll(async () => {
  const db = t.db;
  await getSettings(db);
  // Months 1–3 frozen or slushy, 4–6 liquid (question 9).
  await db
    .updateTable('workspace_settings')
    .set({ horizon_months: 6, frozen_months: 0, slushy_months: 3 })
    .execute();
  const fam = async (code: string, price: number, unitCost: number) =>
    (
      await db
        .insertInto('families')
        .values({
          code,
          name: code,
          price,
          unit_cost: unitCost,
          holding_cost: 1,
          backlog_cost: 5,
          subcontract_cost: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const hot = await fam('FAM-HOT', 50, 10);
  const cheap = await fam('FAM-CHEAP', 5, 10);
  const ok = await fam('FAM-OK', 40, 10);
  const line = async (code: string, capacity: number) =>
    (
      await db
        .insertInto('resources')
        .values({
          code,
          name: code,
          kind: 'line',
          unit: 'units',
          regular_capacity: capacity,
          overtime_limit: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const lineH = await line('LINE-H', 100);
  const lineC = await line('LINE-C', 1000);
  await db
    .insertInto('resource_loads')
    .values([
      { family_id: hot, resource_id: lineH, load_per_unit: 1 },
      { family_id: cheap, resource_id: lineC, load_per_unit: 1 },
      { family_id: ok, resource_id: lineC, load_per_unit: 1 },
    ])
    .execute();
  await db
    .insertInto('inventory_snapshots')
    .values([hot, cheap, ok].map((id) => ({ family_id: id, period: '2026-12', on_hand: 0 })))
    .execute();
  const cycleId = await insertCycle(db, { month: '2027-01', phase: 'executive' });
  const demand = [
    { id: hot, units: 300 },
    { id: cheap, units: 100 },
    { id: ok, units: 200 },
  ];
  await insertFlatBaseline(db, cycleId, MONTHS, demand);
  // The budget's sales: 120 + 100 + 200 = 420 units a month.
  await db
    .insertInto('budget')
    .values(
      [
        { id: hot, volume: 120 },
        { id: cheap, volume: 100 },
        { id: ok, volume: 200 },
      ].flatMap((b) =>
        MONTHS.map((period) => ({ family_id: b.id, period, volume: b.volume, revenue: 0 })),
      ),
    )
    .execute();
  const solver = await createHighsSolver();
  ({ runId } = await runPlan(db, solver, {
    cycleId,
    runKey: 'shortfall',
    trigger: 'test',
    requestedBy: null,
  }));
});

// Hand calculation. FAM-HOT: LINE-H makes 100 a month and is full every month, so nothing is
// built ahead; a lost unit costs its price ($50), making one costs $10, so it makes 100 and
// loses 200 each month: 1,200 of 1,800 (66.7%), and one more unit of LINE-H is worth $40
// in every month (the binding cause). FAM-CHEAP: $5 against $10, so none is made: 600 of
// 600 lost.
const HOT =
  'FAM-HOT: 1,200 of 1,800 units of demand not met (66.7%) in 6 months, 2027-01–2027-06; capacity binds: LINE-H in all 6.';
const CHEAP =
  'FAM-CHEAP: 600 of 600 units of demand not met (100.0%) in 6 months, 2027-01–2027-06; its price ($5 in 2027-01) does not cover its unit cost ($10), so giving the demand up costs least.';

describe('families the plan leaves short', () => {
  it('the pack names each, with its units, its share and the cause (question 8)', async () => {
    const md = packMarkdown(await buildPack(t.db, '2027-01', NOW));
    const q8 = section(md, 8);
    // Nested under the heading line, as Markdown nests a list.
    expect(q8).toContain(`over the horizon:\n  - ${HOT}\n  - ${CHEAP}\n`);
    expect(q8).toContain('for each family short by more than 1.0% of its demand over the horizon');
    expect(q8).not.toContain('FAM-OK');
  });

  it('the Slack pack shows the same lines', async () => {
    const msg = packMessage(await buildPack(t.db, '2027-01', NOW));
    const q8 = JSON.stringify(msg.blocks.find((b) => JSON.stringify(b).includes('*8. ')));
    // Slack has no nested lists: an indented (em space) hollow bullet under the heading.
    expect(q8).toContain(`over the horizon:\\n\u2003◦ ${HOT}\\n\u2003◦ ${CHEAP}`);
  });

  it('the plan run summary in Slack names them under the scenarios', async () => {
    const text = planHeadline(
      runId,
      '2027-01',
      await runScenarios(t.db, runId),
      null,
      await centralShortfalls(t.db, runId),
    );
    expect(text).toContain(
      `*Demand the central plan does not meet* (families short by more than 1.0% of their demand over the horizon):\n• ${HOT}\n• ${CHEAP}`,
    );
    expect(text).not.toContain('FAM-OK');
  });

  it('question 9 sets the units delivered, not the demand, against the budget', async () => {
    const md = packMarkdown(await buildPack(t.db, '2027-01', NOW));
    // April to June: delivered 100 + 0 + 200 = 300 a month, 900 against 3 × 420 = 1,260:
    // −28.6%. Demand 600 a month, 1,800, of which 900 is not delivered.
    expect(section(md, 9)).toContain(
      'From 2027-04 (beyond the slushy zone): the plan delivers 900 units vs budgeted sales of 1,260 (−28.6%); demand there is 1,800 units, 900 of which the plan does not deliver.',
    );
  });
});
