/**
 * A cycle's scenarios carry into the next cycle (src/services/scenario-carry.ts). Before,
 * February's plan ran and voted on the defaults however January's planner had tuned them.
 *
 * The real bot over HTTP and the Slack stand-in, real Postgres and Redis, the worker runtime
 * on the posts and notifications queues, and a real plan run (HiGHS) of the new cycle. The
 * company is the seeded one (history to 2026-12), planned 4 months ahead.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { setCycleScenario } from '../../src/services/scenarios.js';
import { getSettings, updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { auditEntries } from '../helpers/db.js';
import { CHANNELS, importCompany } from './jobs-fixture.js';
import { testClock, useHarness } from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
/**
 * The planner's Slack name, typed, so escaped where the channel is told they opened a cycle: it
 * names them, and pings nobody for what they did.
 */
const PLANNER_NAME = 'Pat <Plan> & co';
const OPENED_BY = 'Pat &lt;Plan&gt; &amp; co opened the S&OP cycle';
const clock = testClock('2027-01-04T09:00:00Z');
const h = useHarness({ label: 'scenario-carry', members: { [PLANNER]: 'planner' }, clock });
let db: Db;
let standin: Standin;

beforeAll(async () => {
  ({ db, standin } = h);
  standin.store.users.set(PLANNER, {
    id: PLANNER,
    name: PLANNER_NAME,
    real_name: 'Pat',
    tz: 'UTC',
  });
  await importCompany(db, generateCompany({ families: 3, months: 36, resources: 2, seed: 5 }));
  await getSettings(db);
  await updateSettings(db, {
    demand_channel: CHANNELS.demand,
    supply_channel: CHANNELS.supply,
    exec_channel: CHANNELS.exec,
    horizon_months: 4,
  });
}, 60_000);

/** `/sop <text>` as the planner, and the ephemeral answer it gets. */
async function sop(text: string): Promise<string> {
  const n = standin.ephemeralsFor(PLANNER).length;
  await h.sop(PLANNER, text, 'C_GENERAL');
  return (await standin.waitFor(() => standin.ephemeralsFor(PLANNER)[n], 20_000)).text;
}
/** The in-channel answer to `/sop cycle start <month>`. */
const opened = (month: string) =>
  standin.waitFor(
    () =>
      standin
        .messagesIn('C_GENERAL')
        .find((m) => m.text.includes(`opened the S&OP cycle *${month}*`)),
    20_000,
  );
const cycleOf = async (month: string) =>
  (await db.selectFrom('cycles').select('id').where('month', '=', month).executeTakeFirstOrThrow())
    .id;
const rowsOf = (cycleId: number) =>
  db
    .selectFrom('cycle_scenarios')
    .select(['name', 'position', 'assumptions', 'updated_by', 'carried_from_cycle_id'])
    .where('cycle_id', '=', cycleId)
    .orderBy('position')
    .execute();
const carriesInto = async (cycleId: number) =>
  (await auditEntries(db, 'scenario.carry')).filter((e) => e.entity_id === String(cycleId));

describe('starting the next cycle', () => {
  let jan = 0;
  let feb = 0;

  it('carries the scenarios a planner set, once, and says so', async () => {
    await h.sop(PLANNER, 'cycle start 2027-01', 'C_GENERAL');
    // No cycle before January: nothing carried, nothing said.
    const january = (await opened('2027-01')).text;
    expect(january).toBe(`${OPENED_BY} *2027-01* (Data gathering).`);
    expect(january).not.toContain(`<@${PLANNER}>`);
    jan = await cycleOf('2027-01');

    // January's planner tunes Cautious in the modal…
    await h.sop(PLANNER, 'scenario set cautious', 'C_GENERAL');
    const modal = await standin.waitFor(() => standin.openViews(PLANNER).at(-1), 20_000);
    const saved = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Cautious' }, plan_pct: { v: '-20' }, overtime: { v: 'off' } },
    });
    expect(saved.status).toBe(200);
    await standin.waitFor(
      () => standin.ephemeralsFor(PLANNER).find((e) => e.text.includes('Saved *cautious*')),
      20_000,
    );
    // …and adds a promotion with a January-only push on FAM-1, a FAM-2 push until March, and
    // an investment from January. (The modal has no month windows; its service does.)
    await setCycleScenario(
      db,
      jan,
      {
        name: 'promo-push',
        label: 'Promo <!channel>',
        promotion: { pricePct: -5, upliftPct: 8 },
        demandChanges: [
          { family: 'FAM-1', pct: 20, from: '2027-01', to: '2027-01' },
          { family: 'fam-2', pct: 10, from: '2027-01', to: '2027-03' },
        ],
        capacityInvestment: { resource: null, sizePct: 10, from: '2027-01' },
      },
      PLANNER,
    );
    // A scenario on a press the company then gives up (its row is deleted).
    await db
      .insertInto('resources')
      .values({ code: 'PRESS-9', name: 'Old press', kind: 'line', regular_capacity: 100 })
      .execute();
    await setCycleScenario(
      db,
      jan,
      { name: 'press', label: 'Press', capacityChanges: [{ resource: 'PRESS-9', pct: 10 }] },
      PLANNER,
    );
    await db.deleteFrom('resources').where('code', '=', 'PRESS-9').execute();
    // And one on a family the company then deactivates: no plan includes it, so carried it
    // would fail February's plan run, as an unknown one would.
    await setCycleScenario(
      db,
      jan,
      { name: 'fam3-push', label: 'FAM-3 push', familyMultipliers: { 'FAM-3': 1.2 } },
      PLANNER,
    );
    await db.updateTable('families').set({ active: false }).where('code', '=', 'FAM-3').execute();
    expect(await sop('cycle close')).toContain('S&OP 2027-01 is closed.');

    // The planner clicks twice: two starts at once.
    clock.set('2027-02-01T09:00:00Z');
    await Promise.all([
      h.sop(PLANNER, 'cycle start 2027-02', 'C_GENERAL'),
      h.sop(PLANNER, 'cycle start 2027-02', 'C_GENERAL'),
    ]);
    const start = await opened('2027-02');
    feb = await cycleOf('2027-02');
    expect(start.text).toBe(
      [
        `${OPENED_BY} *2027-02* (Data gathering).`,
        '4 scenarios carried from 2027-01 (`/sop scenario list`; `/sop scenario reset` returns to the defaults).',
        // The label is data: `<!channel>` would ping the channel.
        '• *Promo &lt;!channel&gt;*: its demand change FAM-1 +20% 2027-01..2027-01 is over, so it was dropped; its capacity investment was to start in 2027-01, which has passed: it now starts in 2027-05, the default month (the fourth planned, or the last of a shorter plan).',
        "• *Press* (`press`) was not carried: unknown resource 'PRESS-9'. Set it again with `/sop scenario set press`.",
        "• *FAM-3 push* (`fam3-push`) was not carried: family 'FAM-3' is inactive, so no plan includes it: name an active family, or have FAM-3 made active again (families.active in the database). Set it again with `/sop scenario set fam3-push`.",
      ].join('\n'),
    );
    await db.updateTable('families').set({ active: true }).where('code', '=', 'FAM-3').execute();
    // The other click is told the cycle is open, as asked, not to close it; it carries nothing.
    const other = await standin.waitFor(
      () => standin.ephemeralsFor(PLANNER).find((e) => e.text.includes('is already open')),
      20_000,
    );
    expect(other.text).toContain(
      'Cycle 2027-02 is already open (phase: Data gathering); nothing more to do.',
    );
    expect(other.text).not.toContain('close it first');
    expect(standin.messagesIn('C_GENERAL').filter((m) => m.text.includes('2027-02*'))).toHaveLength(
      1,
    );

    const rows = await rowsOf(feb);
    expect(rows.map((r) => [r.name, r.position, r.updated_by, r.carried_from_cycle_id])).toEqual([
      ['central', 0, PLANNER, jan],
      ['cautious', 1, PLANNER, jan],
      ['ambitious', 2, PLANNER, jan],
      ['promo-push', 3, PLANNER, jan],
    ]);
    // The form opened on the default Cautious: its other levers stand.
    expect(rows[1]!.assumptions).toEqual({
      name: 'cautious',
      label: 'Cautious',
      demandMultiplier: 0.8,
      overtime: false,
      subcontracting: false,
      stockCoverDays: 5,
      hiringFreeze: true,
    });
    expect(rows[3]!.assumptions).toEqual({
      name: 'promo-push',
      label: 'Promo <!channel>',
      promotion: { pricePct: -5, upliftPct: 8 },
      demandChanges: [{ family: 'FAM-2', pct: 10, from: '2027-01', to: '2027-03' }],
      capacityInvestment: { resource: null, sizePct: 10 },
    });
    const audit = await carriesInto(feb);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: PLANNER,
      details: {
        from: '2027-01',
        fromCycleId: jan,
        carried: 4,
        scenarios: ['central', 'cautious', 'ambitious', 'promo-push'],
      },
    });
  });

  it('lists the carried scenarios as carried until a planner changes them', async () => {
    const list = await sop('scenario list');
    expect(list.split('\n')).toEqual([
      'Scenarios of 2027-02 (carried from 2027-01; `/sop scenario set &lt;name&gt;` changes one, `/sop scenario reset` goes back to the defaults):',
      '• *Central* (`central`): plans for the consensus, overtime allowed.',
      '• *Cautious* (`cautious`): plans for the consensus -20%, no overtime, no subcontracting, stock targets of 5 days of cover, a hiring freeze.',
      '• *Ambitious* (`ambitious`): plans for the consensus +15%, a promotion (price -3%, expected demand +6%), overtime allowed, subcontracting up to 25% of demand, +15% capacity on the most loaded resource.',
      '• *Promo &lt;!channel&gt;* (`promo-push`): plans for the consensus, demand FAM-2 +10% 2027-01..2027-03, a promotion (price -5%, expected demand +8%), +10% capacity on the most loaded resource.',
    ]);
  });

  it('plans February with them', async () => {
    await fitBaselines(db, feb);
    const solver = await createHighsSolver();
    const run = await runPlan(db, solver, {
      cycleId: feb,
      runKey: 'scenario-carry-feb',
      trigger: 'test',
      requestedBy: PLANNER,
    });
    const solved = await db
      .selectFrom('plan_scenarios')
      .select(['name', 'label', 'assumptions'])
      .where('run_id', '=', run.runId)
      .orderBy('id')
      .execute();
    // Before: central, cautious at 0.9 and ambitious, the defaults.
    expect(solved.map((s) => [s.name, s.label])).toEqual([
      ['central', 'Central'],
      ['cautious', 'Cautious'],
      ['ambitious', 'Ambitious'],
      ['promo-push', 'Promo <!channel>'],
    ]);
    expect(solved[1]!.assumptions).toMatchObject({ demandMultiplier: 0.8, overtime: false });
  }, 120_000);

  it('stops saying carried once a planner changes the list', async () => {
    await setCycleScenario(
      db,
      feb,
      { name: 'central', label: 'Central', overtime: false },
      PLANNER,
    );
    expect((await sop('scenario list')).split('\n')[0]).toBe(
      'Scenarios of 2027-02 (set for this cycle; `/sop scenario reset` goes back to the defaults):',
    );
    expect((await rowsOf(feb)).map((r) => r.carried_from_cycle_id)).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('carries nothing, and says nothing, from a cycle on the defaults', async () => {
    expect(await sop('scenario reset')).toContain('Back to the default scenarios');
    expect(await sop('cycle close')).toContain('S&OP 2027-02 is closed.');
    clock.set('2027-03-01T09:00:00Z');
    await h.sop(PLANNER, 'cycle start 2027-03', 'C_GENERAL');
    expect((await opened('2027-03')).text).toBe(`${OPENED_BY} *2027-03* (Data gathering).`);
    const mar = await cycleOf('2027-03');
    expect(await rowsOf(mar)).toEqual([]);
    expect(await carriesInto(mar)).toEqual([]);
    expect((await sop('scenario list')).split('\n')[0]).toBe(
      'Scenarios of 2027-03 (the defaults; `/sop scenario set &lt;name&gt;` changes one):',
    );
  });

  it('puts the default Central first when the first scenario cannot be carried', async () => {
    // March's Central plans FAM-3 +10%; FAM-3 is then made inactive. Before, April's list
    // began with Cautious, and every scenario, what-if and vote was compared with it.
    const mar = await cycleOf('2027-03');
    await setCycleScenario(
      db,
      mar,
      {
        name: 'central',
        label: 'Central FAM-3',
        overtime: true,
        demandChanges: [{ family: 'FAM-3', pct: 10 }],
      },
      PLANNER,
    );
    await db.updateTable('families').set({ active: false }).where('code', '=', 'FAM-3').execute();
    try {
      expect(await sop('cycle close')).toContain('S&OP 2027-03 is closed.');
      clock.set('2027-04-01T09:00:00Z');
      await h.sop(PLANNER, 'cycle start 2027-04', 'C_GENERAL');
      expect((await opened('2027-04')).text).toBe(
        [
          `${OPENED_BY} *2027-04* (Data gathering).`,
          // Cautious and Ambitious; the default Central in first place is not one carried.
          '2 scenarios carried from 2027-03 (`/sop scenario list`; `/sop scenario reset` returns to the defaults).',
          "• *Central FAM-3* (`central`) was not carried: family 'FAM-3' is inactive, so no plan includes it: name an active family, or have FAM-3 made active again (families.active in the database). Set it again with `/sop scenario set central`.",
          '• *Central* comes first now, so the other scenarios are compared with it.',
        ].join('\n'),
      );
      const apr = await cycleOf('2027-04');
      const rows = await rowsOf(apr);
      expect(rows.map((r) => r.name)).toEqual(['central', 'cautious', 'ambitious']);
      expect(rows[0]!.assumptions).toEqual({ name: 'central', label: 'Central', overtime: true });
    } finally {
      await db.updateTable('families').set({ active: true }).where('code', '=', 'FAM-3').execute();
    }
  });
});
