/**
 * `/sop scenario list|set|reset` through the stand-in: planners set a cycle's scenarios in a
 * modal, the rows are stored per cycle, bad answers come back as field errors, labels are
 * escaped (in the answers, the exec charts' comments and `/sop decide`), other roles are
 * refused, and reset goes back to the defaults.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { ScenarioInvalid, setCycleScenario } from '../../src/services/scenarios.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { planFile } from '../helpers/plan-files.js';
import { insertFamilies, insertRun, testClock, useHarness } from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const OPS = 'U_OPS';
const EXEC = 'U_EXEC';
const h = useHarness({
  label: 'scenarios-slack',
  members: { [PLANNER]: 'planner', [OPS]: 'ops', [EXEC]: 'exec' },
  clock: testClock('2027-03-15T10:00:00Z'),
});
let db: Db;
let standin: Standin;
let cycleId: number;

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
const ephemeralWith = (user: string, needle: string) =>
  waitFor(() => standin.ephemeralsFor(user).find((e) => e.text.includes(needle)));
/** The form `/sop scenario set <name>` opens for the planner (a new one each time). */
const openForm = async (name: string) => {
  const before = new Set(standin.openViews(PLANNER).map((v) => v.id));
  await h.sop(PLANNER, `scenario set ${name}`);
  return waitFor(() =>
    standin
      .openViews(PLANNER)
      .find(
        (v) =>
          !before.has(v.id) && String(v.definition.private_metadata).includes(`"name":"${name}"`),
      ),
  );
};

/** One stored scenario of the cycle, with who set it last. */
const scenarioRow = (name: string) =>
  db
    .selectFrom('cycle_scenarios')
    .select(['assumptions', 'updated_by'])
    .where('cycle_id', '=', cycleId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
/** The cycle's stored scenarios in order, with who set each last. */
const scenarioRows = () =>
  db
    .selectFrom('cycle_scenarios')
    .select(['name', 'assumptions', 'updated_by'])
    .where('cycle_id', '=', cycleId)
    .orderBy('position')
    .execute();
const count = async (table: 'audit_log' | 'job_outbox') =>
  (await db.selectFrom(table).select('id').execute()).length;

beforeAll(async () => {
  ({ db, standin } = h);
  await insertFamilies(db);
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'pre_sop' });
});

describe('/sop scenario', () => {
  it('lists the defaults, then saves a scenario set in the modal', async () => {
    await h.sop(PLANNER, 'scenario list');
    const list = await ephemeralWith(PLANNER, 'Scenarios of 2027-03 (the defaults');
    expect(list.text).toContain('*Cautious* (`cautious`): plans for the consensus -10%');
    expect(list.text).toContain('no overtime');

    await h.sop(PLANNER, 'scenario set cash-first');
    const modal = await waitFor(() => standin.openViews(PLANNER).at(-1));
    // A bad number comes back on its field; the modal stays open.
    const bad = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Cash first' }, plan_pct: { v: 'ten' } },
    });
    expect(JSON.stringify(bad.body)).toContain("'ten' is not a number");
    // A decimal comma is refused on its field, with the dot to use.
    const comma = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Cash first' }, plan_pct: { v: '-0,5' } },
    });
    expect(comma.outcome).toEqual({
      action: 'errors',
      errors: {
        plan_pct:
          "'-0,5': use a dot for decimals (-0.5); a comma only separates thousands, as in 1,000.",
      },
    });
    expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toHaveLength(0);

    const ok = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: {
        label: { v: 'Cash <first>' },
        plan_pct: { v: '-5' },
        overtime: { v: 'off' },
        cover_days: { v: '4' },
        hiring: { v: 'freeze' },
        invest_size: { v: '10' },
        // In lower case: read as /forecast reads codes, stored as the company spells it.
        invest_resource: { v: 'line-1' },
      },
    });
    expect(ok.status).toBe(200);
    const saved = await ephemeralWith(PLANNER, 'Saved *cash-first*');
    // The typed label is escaped before it reaches mrkdwn.
    expect(saved.text).toContain('*Cash &lt;first&gt;*');
    const rows = await db
      .selectFrom('cycle_scenarios')
      .selectAll()
      .where('cycle_id', '=', cycleId)
      .orderBy('position')
      .execute();
    // The defaults, then the new one.
    expect(rows.map((r) => r.name)).toEqual(['central', 'cautious', 'ambitious', 'cash-first']);
    expect(rows[3]!.assumptions).toMatchObject({
      name: 'cash-first',
      label: 'Cash <first>',
      demandMultiplier: 0.95,
      overtime: false,
      stockCoverDays: 4,
      hiringFreeze: true,
      capacityInvestment: { resource: 'LINE-1', sizePct: 10 },
    });
    // Subcontracting left on the company's settings, as the form opened: nothing said of it.
    expect(rows[3]!.assumptions).not.toHaveProperty('subcontracting');
    expect(rows[3]!.updated_by).toBe(PLANNER);
  });

  it('names unknown resources, refuses other roles, and resets to the defaults', async () => {
    await h.sop(PLANNER, 'scenario set bigger');
    const modal = await waitFor(() => standin.openViews(PLANNER).at(-1));
    const res = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: {
        label: { v: 'Bigger' },
        invest_size: { v: '20' },
        invest_resource: { v: 'LINE-9' },
      },
    });
    // On the investment's resource field, not on the label.
    expect(res.outcome).toEqual({
      action: 'errors',
      errors: { invest_resource: "Unknown resource 'LINE-9'." },
    });

    await h.sop(OPS, 'scenario list');
    await waitFor(() => standin.ephemeralsFor(OPS).at(-1));
    expect(standin.ephemeralsFor(OPS).at(-1)?.text).not.toContain('Scenarios of');

    await h.sop(PLANNER, 'scenario reset');
    await ephemeralWith(PLANNER, 'Back to the default scenarios');
    expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toHaveLength(0);
  });
});

describe('a scenario with levers the form has no input for', () => {
  /** Another planner. */
  const ANA = 'UANA1';
  /** Spring as a plan file or a carried scenario has it: month windows, a capacity cut. */
  const SPRING = {
    name: 'spring',
    label: 'Spring',
    demandMultiplier: 1.05,
    demandChanges: [{ family: 'FAM-1', pct: 5, from: '2027-04', to: '2027-06' }],
    capacityChanges: [{ resource: 'LINE-1', pct: -20, from: '2027-05', to: '2027-06' }],
    overtime: true,
  };
  const SHOWN =
    '*Also in this scenario*, unchanged by this form: demand FAM-1 +5% 2027-04..2027-06; capacity LINE-1 -20% 2027-05..2027-06.';
  const springRow = () => scenarioRow('spring');
  const scenarioSets = async () =>
    (await db.selectFrom('audit_log').select('id').where('action', '=', 'scenario.set').execute())
      .length;
  /** The form `/sop scenario set spring` opens (a new one each time). */
  const openSpring = () => openForm('spring');

  it('shows them, and keeps them when a planner changes the label; a double submit saves once', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await setCycleScenario(db, cycleId, SPRING, ANA);
    const modal = await openSpring();
    const shown = JSON.stringify(modal.definition.blocks);
    expect(shown).toContain(JSON.stringify(SHOWN));
    // The demand planned is the form's own field.
    expect(shown).toContain('"initial_value":"5"');

    const sets = await scenarioSets();
    const saved = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Spring push' } },
    });
    expect(saved.outcome).toEqual({ action: 'closed' });
    // Before: stored as { name, label, demandMultiplier, overtime, subcontracting }, the
    // windows and the capacity cut gone.
    expect(await springRow()).toEqual({
      assumptions: { ...SPRING, label: 'Spring push' },
      updated_by: PLANNER,
    });
    const answer = await ephemeralWith(PLANNER, 'Saved *spring*');
    expect(answer.text).toContain(
      '• *Spring push* (`spring`): plans for the consensus +5%, demand FAM-1 +5% 2027-04..2027-06, overtime allowed, capacity LINE-1 -20% 2027-05..2027-06.',
    );

    // Slack delivers the submission again: it is what is stored, so nothing more is written
    // and it is not taken for another planner's change.
    const again = await h.driver.resend(saved.request);
    expect(again.status).toBe(200);
    expect(again.body).toBe('');
    expect(await scenarioSets()).toBe(sets + 1);
    expect((await springRow()).updated_by).toBe(PLANNER);
  });

  it('refuses a save over a change made after the form opened, and says by whom', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await setCycleScenario(db, cycleId, SPRING, ANA);
    const modal = await openSpring();
    // Ana widens the window while the form is open.
    const anas = {
      ...SPRING,
      demandChanges: [{ family: 'FAM-1', pct: 5, from: '2027-04', to: '2027-09' }],
    };
    await setCycleScenario(db, cycleId, anas, ANA);
    const sets = await scenarioSets();
    const res = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Spring push' } },
    });
    expect(res.outcome).toMatchObject({ action: 'updated' });
    expect(JSON.stringify(standin.openViews(PLANNER).at(-1)?.definition.blocks)).toContain(
      JSON.stringify(
        ':warning: `spring` was changed by <@UANA1> after this form opened, so nothing was saved and that change stands. Open it again (`/sop scenario set spring`) to start from it.',
      ),
    );
    // Before: saved over Ana's, her window lost.
    expect(await springRow()).toEqual({ assumptions: anas, updated_by: ANA });
    expect(await scenarioSets()).toBe(sets);
  });

  it('refuses one that names a family deactivated since, on the box that drops them; ticked, they go', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    const spares = {
      name: 'spring',
      label: 'Spring',
      demandChanges: [{ family: 'FAM-2', pct: 5, from: '2027-04', to: '2027-06' }],
    };
    await setCycleScenario(db, cycleId, spares, ANA);
    await db.updateTable('families').set({ active: false }).where('code', '=', 'FAM-2').execute();
    try {
      const modal = await openSpring();
      const sets = await scenarioSets();
      const refused = await h.driver.submitView(modal.id, {
        user: PLANNER,
        values: { label: { v: 'Spring push' } },
      });
      expect(refused.outcome).toEqual({
        action: 'errors',
        errors: {
          kept: "Family 'FAM-2' is inactive, so no plan includes it: name an active family, or have FAM-2 made active again (families.active in the database). Or tick the box to save the scenario without the levers above.",
        },
      });
      expect(await springRow()).toEqual({ assumptions: spares, updated_by: ANA });
      expect(await scenarioSets()).toBe(sets);

      const dropped = await h.driver.submitView(modal.id, {
        user: PLANNER,
        values: { label: { v: 'Spring push' }, kept: { v: ['drop'] } },
      });
      expect(dropped.outcome).toEqual({ action: 'closed' });
      expect((await springRow()).assumptions).toEqual({ name: 'spring', label: 'Spring push' });
    } finally {
      await db.updateTable('families').set({ active: true }).where('code', '=', 'FAM-2').execute();
    }
  });
});

describe('setting one scenario of a list', () => {
  /** Another planner, who set the list earlier (updated_at is the database's clock). */
  const ANA = 'UANA1';
  const SET_AT = new Date('2025-03-01T08:00:00Z');

  it('records its author and time on that scenario only; the others keep theirs', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await db
      .insertInto('cycle_scenarios')
      .values(
        ['central', 'cautious'].map((name, position) => ({
          cycle_id: cycleId,
          name,
          position,
          assumptions: JSON.stringify({ name, label: name.toUpperCase() }),
          updated_by: ANA,
          updated_at: SET_AT,
        })),
      )
      .execute();
    const rows = () =>
      db
        .selectFrom('cycle_scenarios')
        .select(['name', 'position', 'assumptions', 'updated_by', 'updated_at'])
        .where('cycle_id', '=', cycleId)
        .orderBy('position')
        .execute();

    await h.sop(PLANNER, 'scenario set cautious');
    const modal = await waitFor(() =>
      standin
        .openViews(PLANNER)
        .find((v) => String(v.definition.private_metadata).includes('"name":"cautious"')),
    );
    const saved = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Careful' } },
    });
    expect(saved.outcome).toEqual({ action: 'closed' });
    let after = await rows();
    // Before: both rows said U_PLAN, set now, as if the planner had set Central too.
    expect(after.map((r) => [r.name, r.position, r.updated_by])).toEqual([
      ['central', 0, ANA],
      ['cautious', 1, PLANNER],
    ]);
    expect(after[0]!.updated_at).toEqual(SET_AT);
    expect(after[0]!.assumptions).toEqual({ name: 'central', label: 'CENTRAL' });
    expect(after[1]!.updated_at.getTime()).toBeGreaterThan(SET_AT.getTime());
    expect(after[1]!.assumptions).toMatchObject({ name: 'cautious', label: 'Careful' });

    // A new one goes last; the others keep theirs.
    await setCycleScenario(db, cycleId, { name: 'extra', label: 'Extra' }, EXEC);
    after = await rows();
    expect(after.map((r) => [r.name, r.position, r.updated_by])).toEqual([
      ['central', 0, ANA],
      ['cautious', 1, PLANNER],
      ['extra', 2, EXEC],
    ]);
    expect(after[0]!.updated_at).toEqual(SET_AT);
  });
});

describe('a scenario naming an inactive family or resource', () => {
  // The plan run loads only active families and resources: saved, such a scenario would
  // fail the plan job (and carry into the next cycle to fail it there).
  it('is refused at save, naming the code and what to do; nothing is written', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await db
      .insertInto('resources')
      .values({ code: 'LINE-2', name: 'Old line', kind: 'line', regular_capacity: 500 })
      .execute();
    await db.updateTable('resources').set({ active: false }).where('code', '=', 'LINE-2').execute();
    await db.updateTable('families').set({ active: false }).where('code', '=', 'FAM-2').execute();
    const auditBefore = await db.selectFrom('audit_log').select('id').execute();
    try {
      await h.sop(PLANNER, 'scenario set old-line');
      const modal = await waitFor(() =>
        standin
          .openViews(PLANNER)
          .find((v) => String(v.definition.private_metadata).includes('"name":"old-line"')),
      );
      // Typed in lower case, as /capacity reads codes: the refusal names the company's code.
      const res = await h.driver.submitView(modal.id, {
        user: PLANNER,
        values: {
          label: { v: 'Old line' },
          invest_size: { v: '10' },
          invest_resource: { v: 'line-2' },
        },
      });
      expect(res.outcome).toEqual({
        action: 'errors',
        errors: {
          invest_resource:
            "Resource 'LINE-2' is inactive, so no plan includes it: name an active resource, or have LINE-2 made active again (resources.active in the database).",
        },
      });

      // A demand window on the inactive family, as a plan file or a carried scenario has one.
      const family = setCycleScenario(
        db,
        cycleId,
        {
          name: 'spares',
          label: 'Spares',
          demandChanges: [{ family: 'fam-2', pct: 5, from: '2027-04', to: '2027-06' }],
        },
        PLANNER,
      );
      await expect(family).rejects.toThrow(ScenarioInvalid);
      await expect(family).rejects.toMatchObject({
        issues: [
          {
            path: 'demandChanges.0.family',
            message:
              "family 'FAM-2' is inactive, so no plan includes it: name an active family, or have FAM-2 made active again (families.active in the database)",
          },
        ],
      });
      expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toHaveLength(0);
      expect(await db.selectFrom('audit_log').select('id').execute()).toHaveLength(
        auditBefore.length,
      );
    } finally {
      await db.updateTable('families').set({ active: true }).where('code', '=', 'FAM-2').execute();
      await db.deleteFrom('resources').where('code', '=', 'LINE-2').execute();
    }
  });
});

/** Every live control sequence Slack would act on: specials, user groups, links. */
const LIVE = /<(!|https?:|mailto:|#|@S)/;

describe('a scenario label that holds Slack control sequences', () => {
  const EVIL = '<!channel> <http://evil.example|Win>';
  /** EVIL as Slack shows it when escaped: the same characters, nothing live. */
  const SHOWN = '&lt;!channel&gt; &lt;http://evil.example|Win&gt;';

  it('is text in the exec charts’ comments and in the answer to /sop decide', async () => {
    await h.sop(PLANNER, 'scenario set evil');
    const modal = await waitFor(() =>
      standin
        .openViews(PLANNER)
        .find((v) => String(v.definition.private_metadata).includes('"name":"evil"')),
    );
    const saved = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: EVIL } },
    });
    expect(saved.status).toBe(200);
    await ephemeralWith(PLANNER, 'Saved *evil*');

    // The plan run the next `/sop plan` would store: the typed label is copied as it is.
    const stress = (cash: number) => ({
      samples: 100,
      fillRate: { expected: 0.95, p10: 0.9, p90: 0.99 },
      margin: { expected: 600_000, p10: 500_000, p90: 700_000 },
      cashFlow: { expected: cash, p10: cash - 50_000, p90: cash + 50_000 },
      excessInventoryValue: { expected: 10_000, p10: 0, p90: 30_000 },
      peakWorkingCapital: { expected: 100_000, p10: 80_000, p90: 120_000 },
      cumulativeCash: [cash / 2, cash],
      cumulativeCashP10: [cash / 2 - 50_000, cash - 50_000],
      budget: null,
    });
    const { runId } = await insertRun(db, {
      cycleId,
      runKey: 'evil-label',
      periods: ['2027-01', '2027-02'],
      problem: planFile('hand-two-months'),
      demand: {},
      price: {},
      resources: [],
      scenarios: [
        {
          name: 'central',
          label: 'Central',
          scale: 1,
          totalCost: 1,
          fillRate: 0.97,
          stress: stress(300_000),
        },
        {
          name: 'evil',
          label: EVIL,
          scale: 0.9,
          totalCost: 1,
          fillRate: 0.95,
          stress: stress(200_000),
        },
      ],
    });
    await db
      .insertInto('workspace_settings')
      .values({
        team_id: 'T_SOP',
        demand_channel: null,
        supply_channel: null,
        exec_channel: 'C_EXEC',
      })
      .execute();

    const jobId = await h.queues.enqueue('post-charts', { runId, charts: ['scenarios', 'cash'] });
    await h.finished('posts', jobId);
    const comments = standin.files
      .filter((f) => f.channels.includes('C_EXEC'))
      .map((f) => f.initial_comment ?? '');
    expect(comments).toHaveLength(2);
    for (const c of comments) {
      expect(c).toContain(`*${SHOWN}*: `);
      expect(c).not.toMatch(LIVE);
    }

    // The decision is recorded in the executive meeting.
    await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
    await h.sop(EXEC, 'decide evil "the cheapest plan"');
    const answer = await ephemeralWith(EXEC, 'recorded');
    await db.updateTable('cycles').set({ phase: 'pre_sop' }).where('id', '=', cycleId).execute();
    expect(answer.text).toMatch(
      /^Decision \d+ recorded: Adopt the &lt;!channel&gt; &lt;http:\/\/evil\.example\|Win&gt; scenario\.$/,
    );
    expect(answer.text).not.toMatch(LIVE);
  });
});

describe('the cycle’s limit of 6 scenarios', () => {
  /** The cycle's scenarios as rows: the three defaults' names, then `more`. */
  const fill = async (more: readonly string[]) => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await db
      .insertInto('cycle_scenarios')
      .values(
        ['central', 'cautious', 'ambitious', ...more].map((name, position) => ({
          cycle_id: cycleId,
          name,
          position,
          assumptions: JSON.stringify({ name, label: name }),
          updated_by: PLANNER,
        })),
      )
      .execute();
  };
  const LIMIT =
    'A cycle has at most 6 scenarios; change one of central, cautious, ambitious, s4, s5, s6 instead.';

  it('is said when /sop scenario set names a seventh, before any form opens', async () => {
    await fill(['s4', 's5', 's6']);
    const open = standin.openViews(PLANNER).length;
    await h.sop(PLANNER, 'scenario set s7');
    const refusal = await ephemeralWith(PLANNER, 'at most 6');
    expect(refusal.text).toBe(`:warning: ${LIMIT}`);
    expect(standin.openViews(PLANNER)).toHaveLength(open);
  });

  it('reached while the form was open replaces the form with the reason, no field blamed', async () => {
    await fill(['s4', 's5']);
    await h.sop(PLANNER, 'scenario set late');
    const modal = await waitFor(() =>
      standin
        .openViews(PLANNER)
        .find((v) => String(v.definition.private_metadata).includes('"name":"late"')),
    );
    await fill(['s4', 's5', 's6']);
    const res = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Late' } },
    });
    expect(res.outcome).toMatchObject({ action: 'updated' });
    const shown = JSON.stringify(standin.openViews(PLANNER).at(-1)?.definition.blocks);
    expect(shown).toContain(`:warning: ${LIMIT}`);
    const names = await db
      .selectFrom('cycle_scenarios')
      .select('name')
      .where('cycle_id', '=', cycleId)
      .execute();
    expect(names.map((r) => r.name)).not.toContain('late');
  });
});

describe('a scenario form submitted after its cycle closed', () => {
  it('is refused with the cycle named and what to do, and writes nothing', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await h.sop(PLANNER, 'scenario set after-close');
    const modal = await waitFor(() =>
      standin
        .openViews(PLANNER)
        .find((v) => String(v.definition.private_metadata).includes('"name":"after-close"')),
    );
    await db.updateTable('cycles').set({ phase: 'closed' }).where('id', '=', cycleId).execute();
    const auditBefore = await db.selectFrom('audit_log').select('id').execute();
    try {
      const res = await h.driver.submitView(modal.id, {
        user: PLANNER,
        values: { label: { v: 'After close' } },
      });
      expect(res.outcome).toMatchObject({ action: 'updated' });
      const shown = JSON.stringify(standin.openViews(PLANNER).at(-1)?.definition.blocks);
      expect(shown).toContain(
        'Cycle 2027-03 is closed; its scenarios can no longer change. Start the next cycle (`/sop cycle start YYYY-MM`) and set the scenario there.',
      );
      expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toHaveLength(0);
      expect(await db.selectFrom('audit_log').select('id').execute()).toHaveLength(
        auditBefore.length,
      );
    } finally {
      await db.updateTable('cycles').set({ phase: 'pre_sop' }).where('id', '=', cycleId).execute();
    }
  });
});

describe('a scenario label typed with control characters', () => {
  it('is saved without them; over 40 characters it is refused naming the field', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await h.sop(PLANNER, 'scenario set night');
    const modal = await waitFor(() =>
      standin
        .openViews(PLANNER)
        .find((v) => String(v.definition.private_metadata).includes('"name":"night"')),
    );
    // 41 characters once the NUL and the bell are gone: refused, nothing written.
    const long = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: `Night\u0000${'x'.repeat(35)}\u0007!` } },
    });
    expect(long.outcome).toEqual({
      action: 'errors',
      errors: { label: 'The label is 41 characters; keep it to 40.' },
    });
    expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toHaveLength(0);

    const ok = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Night\u0000 shift\u0007' } },
    });
    expect(ok.outcome).toEqual({ action: 'closed' });
    await ephemeralWith(PLANNER, 'Saved *night*');
    const rows = await db
      .selectFrom('cycle_scenarios')
      .select(['name', 'assumptions'])
      .where('cycle_id', '=', cycleId)
      .where('name', '=', 'night')
      .execute();
    expect(rows.map((r) => (r.assumptions as { label: string }).label)).toEqual(['Night shift']);
  });

  it('is kept without them by the service too, whoever calls it', async () => {
    await setCycleScenario(db, cycleId, { name: 'dawn', label: '\u0000Dawn\u001b run' }, PLANNER);
    const row = await db
      .selectFrom('cycle_scenarios')
      .select('assumptions')
      .where('cycle_id', '=', cycleId)
      .where('name', '=', 'dawn')
      .executeTakeFirstOrThrow();
    expect((row.assumptions as { label: string }).label).toBe('Dawn run');
  });
});

describe('a scenario form whose private_metadata cannot be read', () => {
  it.each([
    ['not JSON', '{"cycleId":'],
    ['a cycle id that is not an id', '{"cycleId":-1,"month":"2027-03","name":"x","channel":"C1"}'],
  ])('(%s) is answered "out of date" and writes nothing', async (_, metadata) => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await h.sop(PLANNER, 'scenario set stale');
    const modal = await waitFor(() =>
      standin
        .openViews(PLANNER)
        .find((v) => String(v.definition.private_metadata).includes('"name":"stale"')),
    );
    (modal.definition as { private_metadata?: string }).private_metadata = metadata;
    const res = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Stale' } },
    });
    expect(res.outcome).toMatchObject({ action: 'updated' });
    expect(JSON.stringify(standin.openViews(PLANNER).at(-1)?.definition.blocks)).toContain(
      'This form is out of date; nothing was saved.',
    );
    expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toHaveLength(0);
  });
});

describe('a scenario whose overtime and subcontracting are left to the company’s settings', () => {
  /** Another planner. */
  const ANA = 'UANA1';
  /** Set without saying anything of overtime or subcontracting: the company's settings decide. */
  const LEAN = { name: 'lean', label: 'Lean', demandMultiplier: 0.95 };
  const rows = scenarioRows;
  it('saved untouched, stays as it was: nothing written, no job requested', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await setCycleScenario(db, cycleId, LEAN, ANA);
    const before = await rows();
    const [audits, jobs] = [await count('audit_log'), await count('job_outbox')];
    const modal = await openForm('lean');
    const res = await h.driver.submitView(modal.id, { user: PLANNER, values: {} });
    expect(res.outcome).toEqual({ action: 'closed' });
    const answer = await ephemeralWith(PLANNER, '*lean*');
    // Before: stored as { ...LEAN, overtime: true, subcontracting: true }, by U_PLAN.
    expect(await rows()).toEqual(before);
    expect(before.find((r) => r.name === 'lean')).toEqual({
      name: 'lean',
      assumptions: LEAN,
      updated_by: ANA,
    });
    expect(await count('audit_log')).toBe(audits);
    expect(await count('job_outbox')).toBe(jobs);
    expect(answer.text).toContain('No change to *lean*');
  });

  it('saved untouched on a cycle on the defaults, leaves it on the defaults', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    const audits = await count('audit_log');
    const modal = await openForm('central');
    const res = await h.driver.submitView(modal.id, { user: PLANNER, values: {} });
    expect(res.outcome).toEqual({ action: 'closed' });
    // Before: Central gained `subcontracting: true` and the cycle a list of its own.
    expect(await rows()).toEqual([]);
    expect(await count('audit_log')).toBe(audits);
    const answer = await ephemeralWith(PLANNER, 'No change to *central*');
    expect(answer.text).toContain('Scenarios of 2027-03 (the defaults;');
  });

  it('keeps the demand planned as typed, shown and saved again untouched', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    const first = await openForm('third');
    await h.driver.submitView(first.id, {
      user: PLANNER,
      values: { label: { v: 'A third more' }, plan_pct: { v: '33.333333' } },
    });
    await ephemeralWith(PLANNER, 'Saved *third*');
    const stored = async () =>
      (
        await db
          .selectFrom('cycle_scenarios')
          .select('assumptions')
          .where('cycle_id', '=', cycleId)
          .where('name', '=', 'third')
          .executeTakeFirstOrThrow()
      ).assumptions;
    expect(await stored()).toEqual({
      name: 'third',
      label: 'A third more',
      demandMultiplier: 1.33333333,
    });
    const again = await openForm('third');
    // Before: shown as 33.3333, so saving it untouched planned for 1.333333.
    expect(JSON.stringify(again.definition.blocks)).toContain('"initial_value":"33.333333"');
    const res = await h.driver.submitView(again.id, { user: PLANNER, values: {} });
    expect(res.outcome).toEqual({ action: 'closed' });
    expect(await stored()).toEqual({
      name: 'third',
      label: 'A third more',
      demandMultiplier: 1.33333333,
    });
    await ephemeralWith(PLANNER, 'No change to *third*');
  });

  it('goes back to the company’s settings when a planner picks them', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await setCycleScenario(db, cycleId, { ...LEAN, overtime: false, subcontracting: true }, ANA);
    const modal = await openForm('lean');
    const res = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { overtime: { v: 'company' }, subcontracting: { v: 'company' } },
    });
    expect(res.outcome).toEqual({ action: 'closed' });
    // Before: no such choice; "Allowed" stored `overtime: true`.
    expect((await rows()).find((r) => r.name === 'lean')).toEqual({
      name: 'lean',
      assumptions: LEAN,
      updated_by: PLANNER,
    });
    const answer = await ephemeralWith(PLANNER, 'Saved *lean*');
    expect(answer.text).toContain('• *Lean* (`lean`): plans for the consensus -5%.');
  });

  it('refuses a cap on a lever set to "Not allowed", on the cap, and writes nothing', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await setCycleScenario(db, cycleId, LEAN, ANA);
    const before = await rows();
    const audits = await count('audit_log');
    const modal = await openForm('lean');
    const res = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: {
        overtime: { v: 'off' },
        overtime_cap: { v: '50' },
        subcontracting: { v: 'off' },
        subcontract_cap: { v: '20' },
      },
    });
    // Before: saved as "no overtime" with a 50% cap, "no subcontracting" with a 20% one.
    expect(res.outcome).toEqual({
      action: 'errors',
      errors: {
        overtime_cap:
          'Overtime is not allowed in this scenario, so a cap on it limits nothing: clear the cap, or allow overtime.',
        subcontract_cap:
          'Subcontracting is not allowed in this scenario, so a cap on it limits nothing: clear the cap, or allow subcontracting.',
      },
    });
    expect(await rows()).toEqual(before);
    expect(await count('audit_log')).toBe(audits);
  });
});

describe('/sop scenario delete', () => {
  const rows = () =>
    db
      .selectFrom('cycle_scenarios')
      .select(['name', 'position', 'updated_by'])
      .where('cycle_id', '=', cycleId)
      .orderBy('position')
      .execute();
  const deletes = async () =>
    (
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'scenario.delete')
        .execute()
    ).length;
  /** Another planner, who set the list. */
  const ANA = 'UANA1';

  it('takes one scenario out of the list, the others kept as they were; a new one then goes last', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await db
      .insertInto('cycle_scenarios')
      .values(
        ['central', 'typo', 'cautious'].map((name, position) => ({
          cycle_id: cycleId,
          name,
          position,
          assumptions: JSON.stringify({ name, label: name.toUpperCase() }),
          updated_by: ANA,
        })),
      )
      .execute();
    const before = await deletes();
    await h.sop(PLANNER, 'scenario delete Typo');
    // Before: "Unknown `/sop scenario delete`": the only way out was a reset of the whole list.
    const answer = await ephemeralWith(PLANNER, 'Deleted *TYPO*');
    expect(answer.text.split('\n')).toEqual([
      'Deleted *TYPO* (`typo`); the next plan run goes without it.',
      'Scenarios of 2027-03 (set for this cycle; `/sop scenario reset` goes back to the defaults):',
      '• *CENTRAL* (`central`): plans for the consensus.',
      '• *CAUTIOUS* (`cautious`): plans for the consensus.',
    ]);
    expect(await rows()).toEqual([
      { name: 'central', position: 0, updated_by: ANA },
      { name: 'cautious', position: 1, updated_by: ANA },
    ]);
    expect(await deletes()).toBe(before + 1);
    await setCycleScenario(db, cycleId, { name: 'fresh', label: 'Fresh' }, PLANNER);
    expect((await rows()).map((r) => [r.name, r.position])).toEqual([
      ['central', 0],
      ['cautious', 1],
      ['fresh', 2],
    ]);
  });

  it('on the defaults, keeps the other defaults', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await h.sop(PLANNER, 'scenario delete cautious');
    const answer = await ephemeralWith(PLANNER, 'Deleted *Cautious*');
    expect(answer.text).toContain(
      'Deleted *Cautious* (`cautious`); the next plan run goes without it.',
    );
    expect((await rows()).map((r) => r.name)).toEqual(['central', 'ambitious']);
  });

  it('refuses central, which the others, the gap chart and the pack are measured against', async () => {
    // Without it the next run posted no gap chart and the pack no shortfalls: both read central.
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    const before = await deletes();
    await h.sop(PLANNER, 'scenario delete Central');
    const refused = await ephemeralWith(PLANNER, '`central` stays');
    expect(refused.text).toBe(
      ":warning: `central` stays: it is the plan the other scenarios, the gap chart and the pack's shortfalls are measured against. Change what it plans with `/sop scenario set central`.",
    );
    expect(await rows()).toEqual([]);
    expect(await deletes()).toBe(before);
  });

  it('refuses a name the cycle has not, and its only scenario, writing nothing', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    const before = await deletes();
    await h.sop(PLANNER, 'scenario delete nope');
    const unknown = await ephemeralWith(PLANNER, 'no scenario `nope`');
    expect(unknown.text).toBe(
      ':warning: This cycle has no scenario `nope`; it has `central`, `cautious`, `ambitious`.',
    );
    expect(await rows()).toEqual([]);

    await setCycleScenario(db, cycleId, { name: 'solo', label: 'Solo' }, ANA);
    await db.deleteFrom('cycle_scenarios').where('name', '<>', 'solo').execute();
    await h.sop(PLANNER, 'scenario delete solo');
    const only = await ephemeralWith(PLANNER, 'only scenario');
    expect(only.text).toBe(
      ':warning: `solo` is this cycle’s only scenario, and a plan run needs one. Change it with `/sop scenario set solo`, or go back to the defaults with `/sop scenario reset`.',
    );
    expect((await rows()).map((r) => r.name)).toEqual(['solo']);
    expect(await deletes()).toBe(before);
  });
});

describe('a scenario labelled as another of the cycle', () => {
  it('is refused on the label, naming the other; nothing is written', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    const audits = (await db.selectFrom('audit_log').select('id').execute()).length;
    const modal = await openForm('cash');
    const res = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'central ' }, plan_pct: { v: '-5' } },
    });
    // Before: saved; the grid, the vote's buttons and the charts showed two "Central"s, the
    // charts on one row.
    expect(res.outcome).toEqual({
      action: 'errors',
      errors: {
        label:
          "'Central' is already the label of scenario central: give this one another, so the grid and the vote tell them apart.",
      },
    });
    expect(await db.selectFrom('cycle_scenarios').selectAll().execute()).toEqual([]);
    expect((await db.selectFrom('audit_log').select('id').execute()).length).toBe(audits);

    // Its own label, saved again with another lever, is no clash.
    await setCycleScenario(
      db,
      cycleId,
      { name: 'central', label: 'Central', overtime: false },
      PLANNER,
    );
    const central = await db
      .selectFrom('cycle_scenarios')
      .select('assumptions')
      .where('cycle_id', '=', cycleId)
      .where('name', '=', 'central')
      .executeTakeFirstOrThrow();
    expect(central.assumptions).toEqual({ name: 'central', label: 'Central', overtime: false });
  });
});

describe('a scenario with a promotion and a price change of its own', () => {
  /** Another planner. */
  const ANA = 'UANA1';
  /** A promotion at -5% beside a +3% price change, as a plan file or a service call sets it. */
  const PROMO = {
    name: 'promo',
    label: 'Promo',
    promotion: { pricePct: -5, upliftPct: 10 },
    priceChangePct: 3,
  };
  const promoRow = () => scenarioRow('promo');

  it('keeps the price change as the promotion changes and ends; a price left behind is refused on it', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await setCycleScenario(db, cycleId, PROMO, ANA);
    const deeper = await openForm('promo');
    const shown = JSON.stringify(deeper.definition.blocks);
    expect(shown).toContain(
      JSON.stringify('*Also in this scenario*, unchanged by this form: price +3%.'),
    );
    expect(shown).toContain(
      JSON.stringify('The promotion’s price; the price change listed above stays as it is.'),
    );
    await h.driver.submitView(deeper.id, { user: PLANNER, values: { price_pct: { v: '-8' } } });
    await ephemeralWith(PLANNER, 'Saved *promo*');
    expect((await promoRow()).assumptions).toEqual({
      ...PROMO,
      promotion: { pricePct: -8, upliftPct: 10 },
    });

    // The promotion ended, its price left in the form.
    const modal = await openForm('promo');
    const before = await count('audit_log');
    const refused = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { uplift_pct: { v: '' } },
    });
    // Before: saved, the +3% listed as unchanged replaced by the promotion's -8%.
    expect(refused.outcome).toEqual({
      action: 'errors',
      errors: {
        price_pct:
          'The form keeps this scenario’s own price change as it is (listed above), and this would replace it: clear this, or tick the box to drop the levers above.',
      },
    });
    expect((await promoRow()).assumptions).toEqual({
      ...PROMO,
      promotion: { pricePct: -8, upliftPct: 10 },
    });
    expect(await count('audit_log')).toBe(before);

    // Its price cleared too: the promotion goes, the price change stays exactly.
    const ended = await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { uplift_pct: { v: '' }, price_pct: { v: '' } },
    });
    expect(ended.outcome).toEqual({ action: 'closed' });
    expect(await promoRow()).toEqual({
      assumptions: { name: 'promo', label: 'Promo', priceChangePct: 3 },
      updated_by: PLANNER,
    });
    await ephemeralWith(PLANNER, '• *Promo* (`promo`): plans for the consensus, price +3%.');

    // With the box ticked, the price left in the form is the scenario's price change.
    await setCycleScenario(db, cycleId, PROMO, ANA);
    const dropped = await openForm('promo');
    const res = await h.driver.submitView(dropped.id, {
      user: PLANNER,
      values: { uplift_pct: { v: '' }, kept: { v: ['drop'] } },
    });
    expect(res.outcome).toEqual({ action: 'closed' });
    expect((await promoRow()).assumptions).toEqual({
      name: 'promo',
      label: 'Promo',
      priceChangePct: -5,
    });
  });
});

describe('a scenario holding values that mean nothing', () => {
  /** Another planner. */
  const ANA = 'UANA1';
  /** As a plan file writes it: no multiplier, no price change and no freeze, each said. */
  const FLAT = {
    name: 'flat',
    label: 'Flat',
    demandMultiplier: 1,
    priceChangePct: 0,
    hiringFreeze: false,
    overtime: true,
  };
  const rows = scenarioRows;

  it('saved untouched from the form, writes nothing and says there was no change', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    await setCycleScenario(db, cycleId, FLAT, ANA);
    const before = await rows();
    expect(before.find((r) => r.name === 'flat')).toMatchObject({
      assumptions: FLAT,
      updated_by: ANA,
    });
    const [audits, jobs] = [await count('audit_log'), await count('job_outbox')];
    const modal = await openForm('flat');
    const res = await h.driver.submitView(modal.id, { user: PLANNER, values: {} });
    expect(res.outcome).toEqual({ action: 'closed' });
    const answer = await ephemeralWith(PLANNER, '*flat*');
    // Before: "Saved", stored again as { name, label, overtime } by U_PLAN, and audited.
    expect(answer.text).toContain(
      'No change to *flat*: it already is what the form says, so nothing was saved.',
    );
    expect(await rows()).toEqual(before);
    expect(await count('audit_log')).toBe(audits);
    expect(await count('job_outbox')).toBe(jobs);
  });

  it('made in the form, is not changed by the same levers said with those values', async () => {
    await db.deleteFrom('cycle_scenarios').where('cycle_id', '=', cycleId).execute();
    const modal = await openForm('flat');
    await h.driver.submitView(modal.id, {
      user: PLANNER,
      values: { label: { v: 'Flat' }, plan_pct: { v: '0' }, price_pct: { v: '0' } },
    });
    await ephemeralWith(PLANNER, 'Saved *flat*');
    const made = await rows();
    expect(made.find((r) => r.name === 'flat')).toMatchObject({
      assumptions: { name: 'flat', label: 'Flat' },
      updated_by: PLANNER,
    });
    const audits = await count('audit_log');

    const again = await openForm('flat');
    const res = await h.driver.submitView(again.id, { user: PLANNER, values: {} });
    expect(res.outcome).toEqual({ action: 'closed' });
    await ephemeralWith(PLANNER, 'No change to *flat*');

    // The same scenario from a service call that says each of them: nothing changes either.
    const { overtime: _said, ...plain } = FLAT;
    const saved = await setCycleScenario(db, cycleId, plain, ANA);
    // Before: changed, stored with the three values by U_ANA1, and audited.
    expect(saved.changed).toBe(false);
    expect(await rows()).toEqual(made);
    expect(await count('audit_log')).toBe(audits);
  });
});
