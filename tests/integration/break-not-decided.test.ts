/**
 * A decision typed with `/sop decide <scenario> "rationale"` chooses nothing about the breaks of
 * the frozen plan escalated to its meeting: they are recorded as not decided (`defer`, `chosen`
 * false) and come back to the next meeting. Nobody is told the meeting decided on them: the
 * answer names them and says how to decide them, the owners' DMs, the decision log,
 * `/sop decisions` and the pack say they were not decided, and the pack's line names the
 * owner's S&OE action rather than its past due date. A later form that defers one says
 * "deferred". The real bot over HTTP, the Slack stand-in, Postgres, Redis and the worker.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
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
  label: 'break-not-decided',
  members: { [EXEC]: 'exec', [OTTO]: 'ops', [RITA]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;
let march: number;
const breakIds: Record<string, string> = {};
const actionIds: Record<string, string> = {};

/** A reported frozen-zone break of LINE-n, its S&OE action open, due `due`. */
async function frozenBreak(name: string, owner: string, due: string, cycleId: number) {
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
    dueDate: due,
    createdBy: owner,
    requestKey: `deviation:reported:${name}`,
  });
  await linkAction(db, id!, action.id);
  breakIds[name] = id!;
  actionIds[name] = action.id;
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
const ownDms = (user: string) =>
  standin.messagesIn(`D_${user}`).filter((m) => m.text.includes('of the frozen plan you own'));

beforeAll(async () => {
  ({ db, standin } = h);
  await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  // Weekly S&OE raised the actions in the week of 2027-03-01, when February's cycle was the
  // latest (as in the demo): question 10 of March's pack lists them as earlier cycles' actions.
  const february = await insertCycle(db, {
    month: '2027-02',
    phase: 'closed',
    closed_at: new Date('2027-02-26T10:00:00Z'),
  });
  // LINE-1 and LINE-2 were due 2027-03-10: overdue on the meeting's day, 2027-03-29.
  await frozenBreak('LINE-1', OTTO, '2027-03-10', february);
  await frozenBreak('LINE-2', OTTO, '2027-03-10', february);
  await frozenBreak('LINE-4', RITA, '2027-04-20', february);
  march = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  await run(march, 'run-march', '2027-03');
});

describe('a decision typed without the form', () => {
  it('decides none of the breaks, says so everywhere, and names them in its answer', async () => {
    await h.sop(EXEC, 'decide central "Protects service."');
    const said = await waitFor(() =>
      standin.ephemeralsFor(EXEC).find((e) => e.text.includes('recorded: Adopt')),
    );
    expect(said.text).toContain(
      [
        'It did not decide the 3 breaks of the frozen plan escalated to this meeting: they come back to the next meeting.',
        '• LINE-1 stopped in the week of 2027-03-01',
        '• LINE-2 stopped in the week of 2027-03-01',
        '• LINE-4 stopped in the week of 2027-03-01',
        'To decide them now (grant an exception, hold the plan or defer), `/sop decide` with no text opens the form.',
      ].join('\n'),
    );
    expect(said.text).not.toContain('deferred');

    const rows = await db
      .selectFrom('break_dispositions')
      .select(['deviation_id', 'disposition', 'chosen'])
      .orderBy('deviation_id')
      .execute();
    expect(rows).toEqual(
      ['LINE-1', 'LINE-2', 'LINE-4'].map((n) => ({
        deviation_id: breakIds[n],
        disposition: 'defer',
        chosen: false,
      })),
    );

    // The owners: one DM each, none saying the meeting decided on their breaks.
    const otto = await waitFor(() => ownDms(OTTO)[0]);
    const rita = await waitFor(() => ownDms(RITA)[0]);
    const ottoText = JSON.stringify(otto.blocks);
    expect(ottoText).toContain(
      'The executive meeting of 2027-03 did not decide 2 breaks of the frozen plan you own (decision',
    );
    expect(ottoText).toContain(
      `• *Not decided, comes back to the next meeting*: LINE-1 stopped in the week of 2027-03-01 (action #${actionIds['LINE-1']})`,
    );
    expect(ottoText).toContain(
      `Your S&OE actions #${actionIds['LINE-1']}, #${actionIds['LINE-2']} stay open: mark each done when the deviation is handled.`,
    );
    expect(JSON.stringify(rita.blocks)).toContain(
      'did not decide a break of the frozen plan you own (decision',
    );
    for (const dm of [otto, rita]) {
      expect(dm.text).not.toContain('decided on');
      expect(JSON.stringify(dm.blocks)).not.toContain('Deferred');
    }

    // The decision log in the executive channel, and `/sop decisions`.
    const log = await waitFor(() =>
      standin
        .messagesIn('C_EXEC')
        .find((m) => JSON.stringify(m.blocks ?? []).includes('Breaks of the frozen plan')),
    );
    const logText = JSON.stringify(log.blocks);
    expect(logText).toContain(
      `• *Not decided, comes back to the next meeting*: LINE-4 stopped in the week of 2027-03-01 (owner <@${RITA}>, action #${actionIds['LINE-4']})`,
    );
    expect(logText).toContain(
      'Not decided, comes back to the next meeting: nobody chose what becomes of it, so the next executive meeting takes it up.',
    );
    expect(logText).not.toContain('Deferred');
    await h.sop(EXEC, 'decisions');
    const listed = await waitFor(() =>
      standin.ephemeralsFor(EXEC).find((e) => e.text.includes('_Breaks of the frozen plan:_')),
    );
    expect(listed.text).toContain(
      '• *Not decided, comes back to the next meeting*: LINE-2 stopped in the week of 2027-03-01',
    );

    // The pack: UNDECIDED, and the owner's S&OE action (overdue) instead of its due date.
    const md = packMarkdown(await buildPack(db, '2027-03', clock.now()));
    expect(md.split('\n').filter((l) => l.includes('escalated from S&OE'))).toEqual([
      `- UNDECIDED: escalated from S&OE (breaks the frozen plan): LINE-1 stopped in the week of 2027-03-01: not decided, comes back to the next meeting; owner U_OTTO, S&OE action #${actionIds['LINE-1']} overdue (question 10).`,
      `- UNDECIDED: escalated from S&OE (breaks the frozen plan): LINE-2 stopped in the week of 2027-03-01: not decided, comes back to the next meeting; owner U_OTTO, S&OE action #${actionIds['LINE-2']} overdue (question 10).`,
      `- UNDECIDED: escalated from S&OE (breaks the frozen plan): LINE-4 stopped in the week of 2027-03-01: not decided, comes back to the next meeting; owner U_RITA, S&OE action #${actionIds['LINE-4']} open (question 10).`,
    ]);
    // Question 10 keeps the owner's action as it is: theirs to do, and overdue.
    expect(md).toContain(
      `- OVERDUE #${actionIds['LINE-1']} U_OTTO due 2027-03-10 (from 2027-02): LINE-1 stopped.`,
    );
  });
});

describe('the next meeting', () => {
  it('takes them up again, saying which meeting did not decide them', async () => {
    await db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date('2027-03-30T10:00:00Z') })
      .where('id', '=', march)
      .execute();
    clock.set('2027-04-28T10:00:00Z');
    const april = await insertCycle(db, { month: '2027-04', phase: 'executive' });
    await run(april, 'run-april', '2027-04');
    const md = packMarkdown(await buildPack(db, '2027-04', clock.now()));
    expect(md).toContain(
      '- DECIDE: escalated from S&OE (breaks the frozen plan) (not decided by the 2027-03 meeting): LINE-4 stopped in the week of 2027-03-01; owner U_RITA, due 2027-04-20, overdue.',
    );
  });

  it('defers one in the form: that one reads deferred, and its owner is told it was decided', async () => {
    const before = standin.openViews(EXEC).length;
    await h.sop(EXEC, 'decide');
    const form = await waitFor(() => standin.openViews(EXEC)[before]);
    expect(JSON.stringify(form.definition.blocks)).toContain(
      `LINE-4 stopped in the week of 2027-03-01 (owner <@${RITA}>, due 2027-04-20) _not decided by the 2027-03 meeting_`,
    );
    await h.driver.submitView(form.id, {
      user: EXEC,
      values: {
        rationale: { text: 'Protects service.' },
        [`trade_offs_break_${breakIds['LINE-4']}`]: { pick: 'defer' },
        [`trade_offs_break_${breakIds['LINE-4']}_note`]: { text: 'waiting for the customer' },
      },
    });
    const april = await standin.waitFor(async () => {
      const r = await db
        .selectFrom('break_dispositions')
        .innerJoin('decisions', 'decisions.id', 'break_dispositions.decision_id')
        .innerJoin('cycles', 'cycles.id', 'decisions.cycle_id')
        .select(['deviation_id', 'disposition', 'chosen'])
        .where('cycles.month', '=', '2027-04')
        .orderBy('deviation_id')
        .execute();
      return r.length === 3 ? r : undefined;
    }, 20_000);
    // The form offers defer for each and Slack (the stand-in alike) submits a select left as
    // offered: each break was in front of the decider, who chose to let it stand.
    expect(april.map((r) => [r.disposition, r.chosen])).toEqual([
      ['defer', true],
      ['defer', true],
      ['defer', true],
    ]);
    const rita = await waitFor(() =>
      ownDms(RITA).find((m) => m.text.includes('decided on a break of the frozen plan you own')),
    );
    expect(JSON.stringify(rita.blocks)).toContain(
      '• *Deferred to the next meeting*: LINE-4 stopped in the week of 2027-03-01',
    );
    const md = packMarkdown(await buildPack(db, '2027-04', clock.now()));
    expect(md).toContain(
      `- DECIDED: escalated from S&OE (breaks the frozen plan) (not decided by the 2027-03 meeting): LINE-4 stopped in the week of 2027-03-01: deferred to the next meeting (“waiting for the customer”); owner U_RITA, S&OE action #${actionIds['LINE-4']} overdue (question 10).`,
    );
  });
});
