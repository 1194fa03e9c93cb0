/**
 * Question 10 of the pack of the cycle being decided lists every open action of that cycle
 * that its decision did not set: weekly S&OE files a deviation's action under the latest
 * cycle, and "Make an S&OP action" files one under the open cycle, so in a real company the
 * actions raised during March's cycle are March's. Before, question 10 left out such an
 * action when its deviation broke the frozen plan, while question 6 sent the reader to it
 * ("S&OE action #K overdue (question 10)") and question 10 said "No open action from earlier
 * cycles, S&OE or Slack messages"; the same break filed under February was listed.
 *
 * Hand-set: February's cycle closed on 26 February, unadopted, and left one open action F
 * (due 2027-04-02). March's cycle is in its executive phase; on Tuesday 2027-03-09 (the
 * company's zone is UTC, S&OE actions are due 2 working days on: 2027-03-11):
 *   K  a frozen-plan break of LINE-1, its action filed under March as S&OE files it, due 03-10
 *   S  Otto reports a supplier delay on FAM-1 (/sop execution's service): due 03-11
 *   D  Otto reports a quality hold on FAM-2: due 03-11, done on 03-10 (early)
 *   M  Pat makes Rita's message an action for Otto ("Make an S&OP action"): due 03-16
 *   A  March's decision (Central, no break chosen: K is not decided) sets one action, due 04-09
 * The pack is built on 2027-03-29: K, S and M are overdue, F and A open. Question 10 lists A
 * under the decision, then by due date K, S, M, F, each once. Question 1 counts February's
 * F (1 open), S&OE's K, S, D (1 done early, 2 overdue) and the message's M (1 overdue).
 * The real bot and worker over HTTP against the Slack stand-in, Postgres and Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { recordDecision } from '../../src/services/decisions.js';
import { reportDeviation } from '../../src/services/execution.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { marchExecutiveCycle } from './action-fixture.js';
import { insertChannels, runToEnd, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const OTTO = 'U_OTTO'; // ops: owns every action
const PAT = 'U_PAT'; // planner: makes the message an action
const RITA = 'U_RITA'; // sales: wrote the message

const clock = testClock('2027-03-09T10:00:00Z');
const h = useHarness({
  label: 'pack-cycle-actions',
  members: { [EXEC]: 'exec', [OTTO]: 'ops', [PAT]: 'planner', [RITA]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;
let march: number;
const ids: Record<string, string> = {};

async function report(name: string, kind: 'supplier_delay' | 'quality_hold', code: string) {
  const r = await reportDeviation(
    { db, queue: h.queues, clock },
    {
      kind,
      code,
      day: '2027-03-09',
      expected: null,
      actual: null,
      comment: '',
      reportedBy: OTTO,
      requestKey: `pack-cycle-actions-${name}`,
    },
  );
  if (!r) throw new Error(`deviation ${name} was not recorded`);
  ids[name] = r.actionId;
}

/** Question n of the Markdown pack, to the next question's heading. */
const section = (md: string, n: number) => {
  const from = md.indexOf(`## ${n}. `);
  const to = md.indexOf('\n## ', from + 1);
  return md.slice(from, to === -1 ? undefined : to);
};

beforeAll(async () => {
  ({ db, standin } = h);
  await insertChannels(db);
  const feb = await insertCycle(db, {
    month: '2027-02',
    phase: 'closed',
    closed_at: new Date('2027-02-26T10:00:00Z'),
  });
  ({ id: ids.F } = await insertDeviationAction(db, {
    cycleId: feb,
    owner: OTTO,
    dueDate: '2027-04-02',
    description: 'Requalify the resin supplier',
    createdBy: EXEC,
    requestKey: 'pack-cycle-actions-F',
  }));
  const { cycleId, run } = await marchExecutiveCycle(db, 'pack-cycle-actions');
  march = cycleId;

  // K: a break of the frozen plan, its action filed under the latest cycle (March), as
  // weekly S&OE files it.
  const k = await insertDeviation(db, {
    dedupeKey: 'reported:K',
    kind: 'reported',
    week: '2027-03-01',
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: 'LINE-1 stopped in the week of 2027-03-01',
    comment: null,
    reportedBy: OTTO,
    frozenBreak: true,
    createdAt: new Date('2027-03-08T10:00:00Z'),
  });
  const kAction = await insertDeviationAction(db, {
    cycleId: march,
    description: 'LINE-1 stopped',
    owner: OTTO,
    dueDate: '2027-03-10',
    createdBy: OTTO,
    requestKey: 'deviation:reported:K',
  });
  await linkAction(db, k!, kAction.id);
  ids.K = kAction.id;

  await report('S', 'supplier_delay', 'FAM-1');
  await report('D', 'quality_hold', 'FAM-2');
  await db
    .updateTable('actions')
    .set({ status: 'done', done_at: new Date('2027-03-10T10:00:00Z'), done_by: OTTO })
    .where('id', '=', ids.D!)
    .execute();

  // M: Pat makes Rita's message an action for Otto, due a week on (the form's default).
  const said = standin.store.addMessage({
    channel: 'C_SUPPLY',
    text: 'Pallets short for the March run',
    source: 'api',
    user: RITA,
  });
  const shortcut = await h.driver.messageShortcut('C_SUPPLY', said.ts, 'make_sop_action', {
    user: PAT,
  });
  expect(shortcut.ok).toBe(true);
  const form = await standin.waitFor(() => {
    const v = standin.openViews(PAT).at(-1);
    return v && v.definition.callback_id === 'make_sop_action_submit' ? v : undefined;
  });
  await h.driver.submitView(form.id, { user: PAT, values: { owner: { value: OTTO } } });
  const made = await standin.waitFor(async () =>
    db
      .selectFrom('actions')
      .select('id')
      .where('source_ts', '=', said.ts)
      .executeTakeFirst()
      .then((r) => r ?? undefined),
  );
  ids.M = made.id;

  // A: March's decision, which chooses nothing about the break K.
  const decided = await recordDecision(
    { db, queue: h.queues, clock },
    {
      cycleId: march,
      pollId: null,
      scenarioId: run.ids.central!,
      rationale: 'Service first',
      decidedBy: EXEC,
      requestKey: 'pack-cycle-actions-decision',
      actions: [{ owner: OTTO, dueDate: '2027-04-09', description: 'Book overtime on LINE-1' }],
    },
  );
  ids.A = decided.actions[0]!.id;
  clock.set('2027-03-29T10:00:00Z');
}, 60_000);

describe("the pack of the cycle being decided, with that cycle's own S&OE and message actions", () => {
  it('S&OE and the shortcut filed them under March, the cycle being decided', async () => {
    const rows = await db
      .selectFrom('actions')
      .innerJoin('cycles', 'cycles.id', 'actions.cycle_id')
      .select(['actions.id', 'cycles.month'])
      .where('actions.id', 'in', [ids.K!, ids.S!, ids.D!, ids.M!, ids.A!])
      .execute();
    expect(rows.map((r) => r.month)).toEqual(Array(5).fill('2027-03'));
  });

  it('the posted pack lists each open one once in question 10, and question 1 counts them', async () => {
    const job = await runToEnd(h.queues, 'pack', { cycleId: march }, 'posts');
    expect(await job.getState()).toBe('completed');
    const pack = standin
      .messagesIn('C_EXEC')
      .find((m) => m.text.startsWith('S&OP 2027-03: executive pack'));
    const texts = ((pack?.blocks ?? []) as { text?: { text?: string } }[]).map(
      (b) => b.text?.text ?? '',
    );
    const q10 = texts.find((t) => t.startsWith('*10. What are the follow-up actions?*')) ?? '';
    const o = `<@${OTTO}>`;
    const listed = q10.split('\n').filter((l) => /#\d+ |this cycle's decision/.test(l));
    expect(listed).toEqual([
      "• Set by this cycle's decision (Central):",
      `\u2003◦ #${ids.A} ${o} due 2027-04-09: Book overtime on LINE-1.`,
      `• OVERDUE #${ids.K} ${o} due 2027-03-10 (S&amp;OE, since the last meeting): LINE-1 stopped.`,
      `• OVERDUE #${ids.S} ${o} due 2027-03-11 (S&amp;OE, since the last meeting): Supplier delay on FAM-1 in the week of 2027-03-08.`,
      `• OVERDUE #${ids.M} ${o} due 2027-03-16 (made from a message by pat, since the last meeting): Pallets short for the March run.`,
      `• #${ids.F} ${o} due 2027-04-02 (from 2027-02): Requalify the resin supplier.`,
    ]);
    expect(q10).not.toContain('No open action');
    expect(q10).not.toContain(`#${ids.D} `);
    const q1 = texts.find((t) => t.startsWith('*1. ')) ?? '';
    expect(q1).toContain('Actions of earlier cycles: 0 done, 0 overdue, 1 open, 0 dropped.');
    expect(q1).toContain(
      'Actions S&amp;OE raised since the last meeting: 1 done (1 early), 2 overdue, 0 open, 0 dropped.',
    );
    expect(q1).toContain(
      'Actions made from Slack messages since the last meeting: 0 done, 1 overdue, 0 open, 0 dropped.',
    );
  });

  it('/sop pack md lists the same, and question 6 sends the reader to the break’s action there', async () => {
    const answer = await nextEphemeral(standin, EXEC, () => h.sop(EXEC, 'pack md'));
    expect(answer).toBe('Uploaded sop-pack-2027-03.md.');
    const md = Buffer.from(
      standin.files.findLast((f) => f.name === 'sop-pack-2027-03.md')?.bytes ?? '',
    ).toString('utf8');
    const q = (n: number) => section(md, n);
    const listed = q(10)
      .split('\n')
      .filter((l) => /#\d+ |this cycle's decision/.test(l));
    expect(listed).toEqual([
      "- Set by this cycle's decision (Central):",
      `  - #${ids.A} otto due 2027-04-09: Book overtime on LINE-1.`,
      `- OVERDUE #${ids.K} otto due 2027-03-10 (S&OE, since the last meeting): LINE-1 stopped.`,
      `- OVERDUE #${ids.S} otto due 2027-03-11 (S&OE, since the last meeting): Supplier delay on FAM-1 in the week of 2027-03-08.`,
      `- OVERDUE #${ids.M} otto due 2027-03-16 (made from a message by pat, since the last meeting): Pallets short for the March run.`,
      `- #${ids.F} otto due 2027-04-02 (from 2027-02): Requalify the resin supplier.`,
    ]);
    expect(q(10)).not.toContain('No open action');
    expect(q(1)).toContain(
      '- Actions S&OE raised since the last meeting: 1 done (1 early), 2 overdue, 0 open, 0 dropped.',
    );
    expect(q(6)).toContain(
      `- UNDECIDED: escalated from S&OE (breaks the frozen plan): LINE-1 stopped in the week of 2027-03-01: not decided, comes back to the next meeting; owner otto, S&OE action #${ids.K} overdue (question 10).`,
    );
  });
});
