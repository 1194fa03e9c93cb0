/**
 * The executive meeting disposes of each break of the frozen plan S&OE escalated to it: the
 * decision form asks, per break, exception, hold or defer (defer chosen) with a note; the
 * decision records them in its transaction, audited; the decision log, `/sop decisions` and the
 * pack of the decided cycle show them; each owner is told once; a deferred break comes back at
 * the next meeting, one granted or held does not; a superseding decision starts from them. The
 * real bot over HTTP, the Slack stand-in, Postgres, Redis and the meeting worker.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { recordDecision } from '../../src/services/decisions.js';
import { buildPack } from '../../src/services/pack.js';
import { packMarkdown } from '../../src/services/pack-markdown.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OTTO = 'U_OTTO';
const RITA = 'U_RITA';
const clock = testClock('2027-03-29T10:00:00Z');
const h = useHarness({
  label: 'break-dispositions',
  members: { [EXEC]: 'exec', [OTTO]: 'ops', [RITA]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;
let march: number;
const breakIds: Record<string, string> = {};

async function frozenBreak(name: string, owner: string, status: 'open' | 'done', cycleId: number) {
  const id = await insertDeviation(db, {
    dedupeKey: `reported:${name}`,
    kind: 'reported',
    week: '2027-03-01',
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: `${name} stopped in the week of 2027-03-01`,
    comment: null,
    reportedBy: owner,
    frozenBreak: true,
    createdAt: new Date('2027-03-08T10:00:00Z'),
  });
  const action = await insertDeviationAction(db, {
    cycleId,
    description: `${name} stopped`,
    owner,
    dueDate: '2027-04-20',
    createdBy: owner,
    requestKey: `deviation:reported:${name}`,
  });
  await linkAction(db, id!, action.id);
  breakIds[name] = id!;
  if (status === 'done')
    await db
      .updateTable('actions')
      .set({ status: 'done', done_at: new Date('2027-03-09T10:00:00Z'), done_by: owner })
      .where('id', '=', action.id)
      .execute();
}

async function run(cycleId: number, key: string, month: string) {
  const fam = await db.selectFrom('families').select('id').executeTakeFirstOrThrow();
  const line = await db.selectFrom('resources').select('id').executeTakeFirstOrThrow();
  await insertRun(db, {
    cycleId,
    runKey: key,
    periods: [month],
    demand: { [fam.id]: 100 },
    price: { [fam.id]: 900 },
    resources: [{ id: line.id, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
}

const waitFor = <T>(f: () => T | undefined) => standin.waitFor(f, 20_000);
const openForm = async () => {
  const before = standin.openViews(EXEC).length;
  await h.sop(EXEC, 'decide');
  return waitFor(() => standin.openViews(EXEC)[before]);
};

beforeAll(async () => {
  ({ db, standin } = h);
  await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  march = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  await run(march, 'run-march', '2027-03');
  await frozenBreak('LINE-1', OTTO, 'open', march);
  await frozenBreak('LINE-2', OTTO, 'open', march);
  await frozenBreak('LINE-3', OTTO, 'done', march);
  await frozenBreak('LINE-4', RITA, 'open', march);
});

describe('the meeting disposes of each escalated break', () => {
  it('records what the form chose with the decision, shows it, tells each owner once, and brings back only what it deferred', async () => {
    const form = await openForm();
    const selects = (form.definition.blocks as { block_id?: string; element?: { type: string } }[])
      .filter((b) => b.element?.type === 'static_select' && b.block_id !== 'scenario')
      .map((b) => b.block_id);
    // LINE-3's action is done: nothing to decide.
    expect(selects).toEqual([
      `trade_offs_break_${breakIds['LINE-1']}`,
      `trade_offs_break_${breakIds['LINE-2']}`,
      `trade_offs_break_${breakIds['LINE-4']}`,
    ]);
    // A row added redraws the form: the breaks' choices stay (as the trade-offs do).
    await h.driver.selectOption(form.id, 'decision_add_action', null, {
      user: EXEC,
      values: { [`trade_offs_break_${breakIds['LINE-2']}`]: { pick: 'hold' } },
    });
    const redrawn = await waitFor(() => {
      const v = standin.openViews(EXEC).find((x) => x.id === form.id);
      return JSON.stringify(v?.definition.blocks ?? []).includes('a4_desc') ? v : undefined;
    });
    expect(
      (redrawn.definition.blocks as { block_id?: string; element?: { type: string } }[])
        .filter((b) => b.element?.type === 'static_select' && b.block_id !== 'scenario')
        .map((b) => b.block_id),
    ).toEqual(selects);
    const ok = await h.driver.submitView(form.id, {
      user: EXEC,
      values: {
        rationale: { text: 'Protects service.' },
        [`trade_offs_break_${breakIds['LINE-1']}`]: { pick: 'exception' },
        [`trade_offs_break_${breakIds['LINE-1']}_note`]: {
          text: 'FAM-1 <!here> may move in April',
        },
        [`trade_offs_break_${breakIds['LINE-2']}`]: { pick: 'hold' },
        // LINE-4 left as the form offers it: deferred.
      },
    });
    expect(ok.status).toBe(200);
    const rows = await standin.waitFor(async () => {
      const r = await db
        .selectFrom('break_dispositions')
        .select(['deviation_id', 'disposition', 'note'])
        .orderBy('deviation_id')
        .execute();
      return r.length === 3 ? r : undefined;
    }, 20_000);
    expect(rows).toEqual([
      {
        deviation_id: breakIds['LINE-1'],
        disposition: 'exception',
        note: 'FAM-1 <!here> may move in April',
      },
      { deviation_id: breakIds['LINE-2'], disposition: 'hold', note: null },
      { deviation_id: breakIds['LINE-4'], disposition: 'defer', note: null },
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'decision.record')
      .executeTakeFirstOrThrow();
    expect((audit.details as { dispositions: unknown }).dispositions).toEqual([
      {
        deviation: breakIds['LINE-1'],
        disposition: 'exception',
        note: 'FAM-1 <!here> may move in April',
      },
      { deviation: breakIds['LINE-2'], disposition: 'hold' },
      { deviation: breakIds['LINE-4'], disposition: 'defer' },
    ]);

    // The decision log in the executive channel.
    const log = await waitFor(() =>
      standin
        .messagesIn('C_EXEC')
        .find((m) => JSON.stringify(m.blocks ?? []).includes('Breaks of the frozen plan')),
    );
    const logText = JSON.stringify(log.blocks);
    expect(logText).toContain(
      `• *Exception granted*: LINE-1 stopped in the week of 2027-03-01 (owner <@${OTTO}>, action #`,
    );
    expect(logText).toContain('Note: FAM-1 &lt;!here&gt; may move in April');
    expect(logText).toContain('• *Deferred to the next meeting*: LINE-4');

    // Each owner once: Otto of LINE-1 and LINE-2 in one DM, Rita of LINE-4.
    const ottoDms = () =>
      standin
        .messagesIn(`D_${OTTO}`)
        .filter((m) => m.text.includes('breaks of the frozen plan you own'));
    await waitFor(() => ottoDms()[0]);
    const otto = ottoDms();
    await waitFor(() =>
      standin
        .messagesIn(`D_${RITA}`)
        .find((m) => m.text.includes('a break of the frozen plan you own')),
    );
    expect(otto).toHaveLength(1);
    expect(JSON.stringify(otto[0]!.blocks)).toContain('• *Plan held*: LINE-2');

    // `/sop decisions`.
    await h.sop(EXEC, 'decisions');
    const listed = await waitFor(() =>
      standin.ephemeralsFor(EXEC).find((e) => e.text.includes('_Breaks of the frozen plan:_')),
    );
    expect(listed.text).toContain('• *Plan held*: LINE-2 stopped in the week of 2027-03-01');

    // The pack of the decided cycle says what was decided, not DECIDE.
    const md = packMarkdown(await buildPack(db, '2027-03', clock.now()));
    expect(md).toContain(
      'DECIDED: escalated from S&OE (breaks the frozen plan): LINE-1 stopped in the week of 2027-03-01: exception granted (“FAM-1 <!here> may move in April”)',
    );
    expect(md).toContain('LINE-4 stopped in the week of 2027-03-01: deferred to the next meeting');
    // Only LINE-3, whose action was done before the meeting, keeps its DECIDE line (as before).
    expect(md.split('\n').filter((l) => l.includes('DECIDE: escalated'))).toEqual([
      '- DECIDE: escalated from S&OE (breaks the frozen plan): LINE-3 stopped in the week of 2027-03-01; owner U_OTTO, due 2027-04-20, done.',
    ]);
  });

  it('starts a superseding decision from what the current one chose, and tells owners only of a change', async () => {
    const form = await openForm();
    const initial = (id: string) =>
      (
        form.definition.blocks as {
          block_id?: string;
          element?: { initial_option?: { value: string } };
        }[]
      ).find((b) => b.block_id === `trade_offs_break_${id}`)?.element?.initial_option?.value;
    expect([
      initial(breakIds['LINE-1']!),
      initial(breakIds['LINE-2']!),
      initial(breakIds['LINE-4']!),
    ]).toEqual(['exception', 'hold', 'defer']);
    await h.driver.submitView(form.id, {
      user: EXEC,
      values: {
        rationale: { text: 'Same scenario; LINE-2 may change after all.' },
        supersede: { text: 'LINE-2 cannot be absorbed.' },
        [`trade_offs_break_${breakIds['LINE-2']}`]: { pick: 'exception' },
      },
    });
    const second = await standin.waitFor(async () => {
      const r = await db
        .selectFrom('break_dispositions')
        .innerJoin('decisions', 'decisions.id', 'break_dispositions.decision_id')
        .select(['deviation_id', 'disposition', 'note'])
        .where('decisions.supersedes_id', 'is not', null)
        .orderBy('deviation_id')
        .execute();
      return r.length === 3 ? r : undefined;
    }, 20_000);
    // LINE-1 and LINE-4 carried as they were; LINE-2 now an exception.
    expect(second.map((r) => [r.disposition, r.note])).toEqual([
      ['exception', 'FAM-1 <!here> may move in April'],
      ['exception', null],
      ['defer', null],
    ]);
    // Otto is told of LINE-2 alone; Rita's break did not change: no second DM.
    const change = await waitFor(() =>
      standin
        .messagesIn(`D_${OTTO}`)
        .find((m) => m.text.includes('decided on a break of the frozen plan you own')),
    );
    expect(JSON.stringify(change.blocks)).toContain('*Exception granted*: LINE-2');
    expect(JSON.stringify(change.blocks)).not.toContain('LINE-1');
    await new Promise((r) => setTimeout(r, 500));
    expect(
      standin.messagesIn(`D_${RITA}`).filter((m) => m.text.includes('of the frozen plan you own')),
    ).toHaveLength(1);
  });

  it('brings a deferred break back at the next meeting, and not one disposed of', async () => {
    // The April meeting: March closed after its breaks; a break March deferred comes back.
    await db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date('2027-03-30T10:00:00Z') })
      .where('id', '=', march)
      .execute();
    clock.set('2027-04-28T10:00:00Z');
    const april = await insertCycle(db, { month: '2027-04', phase: 'executive' });
    await run(april, 'run-april', '2027-04');
    const form = await openForm();
    const text = JSON.stringify(form.definition.blocks);
    expect(text).toContain(
      `1. LINE-4 stopped in the week of 2027-03-01 (owner <@${RITA}>, due 2027-04-20) _deferred by the 2027-03 meeting_`,
    );
    expect(text).not.toContain('LINE-1');
    expect(text).not.toContain('LINE-2');
    const md = packMarkdown(await buildPack(db, '2027-04', clock.now()));
    expect(md).toContain(
      'DECIDE: escalated from S&OE (breaks the frozen plan) (deferred by the 2027-03 meeting): LINE-4 stopped',
    );
    // Typed without the form, the decision chooses nothing: the break is not decided, comes
    // back again, and the answer says so.
    await h.sop(EXEC, 'decide central "Protects service."');
    const said = await waitFor(() =>
      standin.ephemeralsFor(EXEC).find((e) => e.text.includes('back to the next meeting')),
    );
    expect(said.text).toContain(
      'It did not decide the break of the frozen plan escalated to this meeting: it comes back to the next meeting.\n• LINE-4 stopped in the week of 2027-03-01\nTo decide it now (grant an exception, hold the plan or defer), `/sop decide` with no text opens the form.',
    );
    const again = await db
      .selectFrom('break_dispositions')
      .innerJoin('decisions', 'decisions.id', 'break_dispositions.decision_id')
      .select(['deviation_id', 'disposition'])
      .where('decisions.cycle_id', '=', april)
      .execute();
    expect(again).toEqual([{ deviation_id: breakIds['LINE-4'], disposition: 'defer' }]);
  });

  it('refuses a choice for a break the meeting does not take up, recording nothing', async () => {
    const april = (
      await db
        .selectFrom('cycles')
        .select('id')
        .where('month', '=', '2027-04')
        .executeTakeFirstOrThrow()
    ).id;
    const scenario = await db
      .selectFrom('plan_scenarios')
      .innerJoin('plan_runs', 'plan_runs.id', 'plan_scenarios.run_id')
      .select('plan_scenarios.id')
      .where('plan_runs.run_key', '=', 'run-april')
      .where('plan_scenarios.name', '=', 'central')
      .executeTakeFirstOrThrow();
    const before = await db.selectFrom('decisions').select('id').execute();
    // LINE-1 was granted an exception in March: April's meeting does not take it up.
    await expect(
      recordDecision(
        { db, queue: h.queues, clock },
        {
          cycleId: april,
          pollId: null,
          scenarioId: scenario.id,
          rationale: 'Forged.',
          decidedBy: EXEC,
          requestKey: 'forged-break',
          actions: [],
          supersedeReason: 'Forged.',
          dispositions: [{ deviationId: breakIds['LINE-1']!, disposition: 'hold', note: null }],
        },
      ),
    ).rejects.toThrow(
      `Break ${breakIds['LINE-1']} is not one the meeting of 2027-04 takes up; close the form and open it again.`,
    );
    expect(await db.selectFrom('decisions').select('id').execute()).toEqual(before);
  });
});
