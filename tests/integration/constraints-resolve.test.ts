/**
 * `/sop constraints` through the real bot over HTTP, with the stand-in: operations list the
 * open capacity constraints, resolve one (the overhaul is done) and withdraw another (entered
 * by mistake); the list is replaced in place, each change is one status change, one audit
 * entry and one recompute request, and the next plan has the capacity back. A double click
 * changes once; a second person is told who did it and when; a sales rep is refused with the
 * roles named. Against Postgres, Redis and HiGHS.
 */
import { describe, expect, it } from 'vitest';
import { importCompany } from '../../src/import/import-company.js';
import { generateCompany } from '../../src/seed/company.js';
import { runPlan } from '../../src/services/planning.js';
import { fitBaselines } from '../../src/services/planning-baseline.js';
import { CONSTRAINT_RESOLVE, CONSTRAINT_WITHDRAW } from '../../src/slack/presenters/constraints.js';
import type { StoredEphemeral } from '../../src/slack-standin/index.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { constraintNumber, insertCycle, insertMembers } from '../helpers/db.js';
import { blockText, commandEphemeral } from '../helpers/slack.js';

const OPS = 'U_OTTO';
const OPS2 = 'U_OLGA';
const REP = 'U_RITA';
const PLANNER = 'U_PAT';
/** LINE-2's and LINE-1's regular capacity in every month (no per-month override). */
const LINE2 = 540;
const LINE1 = 800;
/** LINE-2 cut by 30% for the spindle overhaul: 540 × 0.7. */
const LINE2_CUT = 378;
/** LINE-1 set to 100 in 2027-05 by mistake. */
const LINE1_SET = 100;

let jan = 0;
let feb = 0;

const running = useHttpTestBot('constraints-resolve', {
  standin: {
    postMessageRate: false,
    users: [OPS, OPS2, REP, PLANNER].map((id) => ({
      id,
      name: id.slice(2).toLowerCase(),
      real_name: id.slice(2),
      tz: 'UTC',
    })),
  },
  env: {
    SOPBOT_RECOMPUTE_CRON: 'off',
    SOPBOT_DIGEST_CRON: 'off',
    SOPBOT_CHART_WARMUP_ROUNDS: '0',
  },
  seed: async (t) => {
    await importCompany(
      t.db,
      generateCompany({ families: 6, months: 36, resources: 4, seed: 11 }),
      'test',
    );
    for (const [code, capacity] of [
      ['LINE-2', LINE2],
      ['LINE-1', LINE1],
    ] as const) {
      const r = await t.db
        .updateTable('resources')
        .set({ regular_capacity: capacity })
        .where('code', '=', code)
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db.deleteFrom('resource_capacities').where('resource_id', '=', r.id).execute();
    }
    await insertMembers(t.db, {
      [OPS]: 'ops',
      [OPS2]: 'ops',
      [REP]: 'sales',
      [PLANNER]: 'planner',
    });
    jan = await insertCycle(t.db, {
      month: '2027-01',
      phase: 'closed',
      closed_at: new Date('2027-01-29T17:00:00Z'),
    });
    feb = await insertCycle(t.db, { month: '2027-02', phase: 'supply_review' });
    const id = async (code: string) =>
      (
        await t.db
          .selectFrom('resources')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).id;
    const line2 = await id('LINE-2');
    const line1 = await id('LINE-1');
    // Otto's cut in January's cycle (typed text with mrkdwn in it), and his mistake in February's.
    await t.db
      .insertInto('capacity_updates')
      .values([
        ...['2027-03', '2027-04'].map((period) => ({
          cycle_id: jan,
          resource_id: line2,
          period,
          kind: 'delta_pct' as const,
          value: -30,
          reason_code: 'maintenance',
          comment: 'Spindle overhaul <!channel> & *bold*',
          before_value: LINE2,
          after_value: LINE2_CUT,
          author: OPS,
          source: 'modal' as const,
          request_key: 'seed-overhaul',
          created_at: new Date('2027-01-06T10:00:00Z'),
        })),
        {
          cycle_id: feb,
          resource_id: line1,
          period: '2027-05',
          kind: 'set' as const,
          value: LINE1_SET,
          reason_code: 'supplier',
          comment: null,
          before_value: LINE1,
          after_value: LINE1_SET,
          author: OPS,
          source: 'command' as const,
          request_key: 'seed-mistake',
          created_at: new Date('2027-02-02T10:00:00Z'),
        },
      ])
      .execute();
  },
});

const numberOf = (requestKey: string) => constraintNumber(running.t.db, requestKey);

const statuses = async () =>
  running.t.db
    .selectFrom('capacity_updates')
    .select(['request_key', 'period', 'status', 'resolved_by'])
    .orderBy('request_key')
    .orderBy('period')
    .execute();

const recomputes = async () =>
  (
    await running.t.db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'recompute')
      .execute()
  ).map((r) => r.payload);

const audits = async (action: string) =>
  running.t.db
    .selectFrom('audit_log')
    .select(['actor', 'entity_id', 'details'])
    .where('action', '=', action)
    .execute();

/** The buttons of a message, as `action_id:value`. */
const actionIds = (m: StoredEphemeral | undefined): string[] =>
  (m?.blocks ?? []).flatMap((b) => {
    const block = b as { type?: string; elements?: { action_id?: string; value?: string }[] };
    return block.type === 'actions'
      ? (block.elements ?? []).map((e) => `${e.action_id}:${e.value}`)
      : [];
  });

/** The central plan's LINE-1 and LINE-2 capacity in the months the constraints cover. */
async function planCapacities(runKey: string): Promise<Record<string, number>> {
  const solver = await createHighsSolver();
  const { runId } = await runPlan(running.t.db, solver, {
    cycleId: feb,
    runKey,
    trigger: 'test',
    requestedBy: null,
  });
  const rows = await running.t.db
    .selectFrom('plan_resource_results')
    .innerJoin('plan_scenarios', 'plan_scenarios.id', 'plan_resource_results.scenario_id')
    .innerJoin('resources', 'resources.id', 'plan_resource_results.resource_id')
    .select(['resources.code', 'plan_resource_results.period', 'plan_resource_results.capacity'])
    .where('plan_scenarios.run_id', '=', runId)
    .where('plan_scenarios.name', '=', 'central')
    .where((eb) =>
      eb.or([
        eb.and([eb('resources.code', '=', 'LINE-2'), eb('period', 'in', ['2027-03', '2027-04'])]),
        eb.and([eb('resources.code', '=', 'LINE-1'), eb('period', '=', '2027-05')]),
      ]),
    )
    .execute();
  return Object.fromEntries(rows.map((r) => [`${r.code} ${r.period}`, r.capacity]));
}

describe('/sop constraints', () => {
  it('lists the open constraints with who entered them, where, escaped, and buttons for operations', async () => {
    await fitBaselines(running.t.db, feb);
    const planned = await planCapacities('constraints-resolve-before');
    expect(planned['LINE-2 2027-03']).toBeCloseTo(LINE2_CUT, 9);
    expect(planned['LINE-2 2027-04']).toBeCloseTo(LINE2_CUT, 9);
    expect(planned['LINE-1 2027-05']).toBe(LINE1_SET);

    const overhaul = await numberOf('seed-overhaul');
    const mistake = await numberOf('seed-mistake');
    const list = await commandEphemeral(running, '/sop', OPS, 'constraints');
    const text = blockText(list);
    expect(text).toContain('Open capacity constraints for the plans of the 2027-02 cycle: 2');
    expect(text).toContain(
      `*#${overhaul}* *LINE-2* 2027-03..2027-04 -30% (maintenance) — “Spindle overhaul &lt;!channel&gt; &amp; *bold*”\\nEntered by <@${OPS}> in the 2027-01 cycle`,
    );
    expect(text).toContain(
      `*#${mistake}* *LINE-1* 2027-05 =100 (supplier)\\nEntered by <@${OPS}> in the 2027-02 cycle`,
    );
    expect(text).not.toContain('<!channel>');
    // By resource: LINE-1 first.
    expect(actionIds(list)).toEqual([
      `${CONSTRAINT_RESOLVE}:${mistake}`,
      `${CONSTRAINT_WITHDRAW}:${mistake}`,
      `${CONSTRAINT_RESOLVE}:${overhaul}`,
      `${CONSTRAINT_WITHDRAW}:${overhaul}`,
    ]);

    // A sales rep sees the same list without buttons, and whom to ask.
    const repList = await commandEphemeral(running, '/sop', REP, 'constraints');
    expect(actionIds(repList)).toEqual([]);
    expect(blockText(repList)).toContain(
      'Operations, planners and admins resolve or withdraw these.',
    );
  });

  it('refuses a sales rep, typed or by a button, naming the roles, and changes nothing', async () => {
    const overhaul = await numberOf('seed-overhaul');
    const typed = await commandEphemeral(running, '/sop', REP, `constraints resolve ${overhaul}`);
    expect(typed.text).toContain(
      'Only Operations, Planner or Admin members can resolve a capacity constraint; your role is Sales.',
    );

    // Olga lists as operations, then her role changes to sales before she clicks.
    const list = await commandEphemeral(running, '/sop', OPS2, 'constraints');
    await running.t.db
      .updateTable('members')
      .set({ role: 'sales' })
      .where('slack_user_id', '=', OPS2)
      .execute();
    const n = running.standin.ephemeralsFor(OPS2).length;
    await running.driver.clickEphemeralButton(list.ts, CONSTRAINT_WITHDRAW, {
      user: OPS2,
      blockId: `constraint_actions_${overhaul}`,
    });
    const refusal = await running.standin.waitFor(() => running.standin.ephemeralsFor(OPS2)[n]);
    expect(refusal.text).toContain(
      'Only Operations, Planner or Admin members can withdraw a capacity constraint; your role is Sales.',
    );
    await running.t.db
      .updateTable('members')
      .set({ role: 'ops' })
      .where('slack_user_id', '=', OPS2)
      .execute();

    expect((await statuses()).map((s) => s.status)).toEqual(['open', 'open', 'open']);
    expect(await recomputes()).toEqual([]);
    expect(await audits('capacity.resolve')).toEqual([]);
  });

  it('resolves once under a double click, in place, with one audit entry and one recompute', async () => {
    const overhaul = await numberOf('seed-overhaul');
    const list = await commandEphemeral(running, '/sop', OPS, 'constraints');
    const blockId = `constraint_actions_${overhaul}`;
    const n = running.standin.ephemeralsFor(OPS).length;
    const replaces = () =>
      running.standin.callsTo('response_url').filter((c) => c.args.replace_original === true)
        .length;
    const before = replaces();
    const clicks = await Promise.all([
      running.driver.clickEphemeralButton(list.ts, CONSTRAINT_RESOLVE, { user: OPS, blockId }),
      running.driver.clickEphemeralButton(list.ts, CONSTRAINT_RESOLVE, { user: OPS, blockId }),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    // Both answers replace the list; wait until the resolved one is gone from it.
    const replaced = await running.standin.waitFor(() => {
      const m = running.standin.ephemeralsFor(OPS).find((e) => e.ts === list.ts);
      return m && !actionIds(m).includes(`${CONSTRAINT_RESOLVE}:${overhaul}`) ? m : undefined;
    });
    // Both clicks have answered (each replaces the list) before the database is read.
    await running.standin.waitFor(() => (replaces() >= before + 2 ? true : undefined));
    expect(running.standin.ephemeralsFor(OPS)).toHaveLength(n); // replaced, not added
    expect(blockText(replaced)).toContain(
      'Open capacity constraints for the plans of the 2027-02 cycle: 1',
    );
    expect(blockText(replaced)).toMatch(
      new RegExp(
        `Resolved: #${overhaul} \\*LINE-2\\* 2027-03..2027-04 -30% \\(maintenance\\). The 2027-02 plan is being recomputed without it.|#${overhaul} \\*LINE-2\\* 2027-03..2027-04 -30% \\(maintenance\\) was already resolved by you on <!date\\^`,
      ),
    );

    expect(await statuses()).toEqual([
      { request_key: 'seed-mistake', period: '2027-05', status: 'open', resolved_by: null },
      { request_key: 'seed-overhaul', period: '2027-03', status: 'resolved', resolved_by: OPS },
      { request_key: 'seed-overhaul', period: '2027-04', status: 'resolved', resolved_by: OPS },
    ]);
    const audited = await audits('capacity.resolve');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actor: OPS,
      entity_id: 'LINE-2',
      details: { constraint: overhaul, periods: ['2027-03', '2027-04'], note: null, cycleId: feb },
    });
    expect(await recomputes()).toEqual([
      { cycleId: feb, reason: 'submission', requestedBy: OPS, requestKey: null, replyTo: null },
    ]);

    // A second person, typed: told who did it; nothing changes, no second recompute.
    const again = await commandEphemeral(
      running,
      '/sop',
      PLANNER,
      `constraints resolve #${overhaul}`,
    );
    expect(blockText(again)).toContain(
      `#${overhaul} *LINE-2* 2027-03..2027-04 -30% (maintenance) was already resolved by <@${OPS}> on <!date^`,
    );
    expect(await audits('capacity.resolve')).toHaveLength(1);
    expect(await recomputes()).toHaveLength(1);
  });

  it('withdraws with a note, and the next plan has both capacities back', async () => {
    const mistake = await numberOf('seed-mistake');
    const out = await commandEphemeral(
      running,
      '/sop',
      OPS,
      `constraints withdraw ${mistake} "typed 100 for 1000"`,
    );
    expect(blockText(out)).toContain(
      `Withdrawn: #${mistake} *LINE-1* 2027-05 =100 (supplier). The 2027-02 plan is being recomputed without it.`,
    );
    expect((await statuses())[0]).toEqual({
      request_key: 'seed-mistake',
      period: '2027-05',
      status: 'withdrawn',
      resolved_by: OPS,
    });
    expect((await audits('capacity.withdraw'))[0]).toMatchObject({
      actor: OPS,
      entity_id: 'LINE-1',
      details: { note: 'typed 100 for 1000' },
    });
    expect(await recomputes()).toHaveLength(2);

    // Full capacity: LINE-2 540 in March and April, LINE-1 800 in May.
    const planned = await planCapacities('constraints-resolve-after');
    expect(planned).toEqual({
      'LINE-2 2027-03': LINE2,
      'LINE-2 2027-04': LINE2,
      'LINE-1 2027-05': LINE1,
    });

    // None open: said so, with what makes one.
    const none = await commandEphemeral(running, '/sop', OPS, 'constraints');
    expect(blockText(none)).toContain(
      'No open capacity constraints for the plans of the 2027-02 cycle.',
    );
    expect(blockText(none)).toContain(
      'A capacity update that leaves a resource less capacity than before (`/capacity`) is a constraint',
    );
    expect(actionIds(none)).toEqual([]);
  });
});
