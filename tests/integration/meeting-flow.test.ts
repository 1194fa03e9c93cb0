/**
 * The executive meeting end to end: the real bot over HTTP (driven by the Slack stand-in),
 * real Postgres and Redis, and the production worker runtime in-process. Time is
 * a clock the test sets; a delayed job "comes due" when the test moves the clock and
 * promotes it, as BullMQ would when its delay runs out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { JobInput, JobName, QueueName } from '../../jobs/contracts.js';
import { main } from '../../src/cli.js';
import { adoptedProduction, recordDecision } from '../../src/services/decisions.js';
import type { Driver, Standin } from '../../src/slack-standin/index.js';
import {
  type Harness,
  insertFamilies,
  insertRun,
  pollUntil,
  SCENARIOS,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';
const REP1 = 'U_REP1';
const REP2 = 'U_REP2';
const OPS = 'U_OPS';
const CARA = 'U_CARA';

const clock = testClock('2027-01-04T08:00:00Z');

const h = useHarness({
  label: 'meeting-flow',
  members: {
    [PLANNER]: 'planner',
    [EXEC1]: 'exec',
    [EXEC2]: 'exec',
    [REP1]: 'sales',
    [REP2]: 'sales',
    [OPS]: 'ops',
  },
  users: [CARA],
  clock,
});
let db: Db;
let standin: Standin;
let driver: Driver;
let queues: Harness['queues'];
let env: Record<string, string>;
let fam: { fam1: number; fam2: number; line: number };

const texts = (channel: string) =>
  standin.messagesIn(channel).map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`);
const dms = (user: string) => standin.messagesIn(`D_${user}`);
const waitFor = <T>(f: () => T | undefined | null | false, ms = 20_000) => standin.waitFor(f, ms);
const ephemeralWith = (user: string, needle: string) =>
  waitFor(() => standin.ephemeralsFor(user).find((e) => e.text.includes(needle)));
const sop = (user: string, text: string, channel = 'C_EXEC') => h.sop(user, text, channel);
const comeDue = <N extends JobName>(name: N, payload: JobInput<N>, queue: QueueName) =>
  h.comeDue(name, payload, queue);
const runAgain = <N extends JobName>(name: N, payload: JobInput<N>, queue: QueueName) =>
  h.runAgain(name, payload, queue);

async function cycleRow(month: string) {
  return db.selectFrom('cycles').selectAll().where('month', '=', month).executeTakeFirst();
}

beforeAll(async () => {
  ({ db, standin, driver, queues, env } = h);
  fam = await insertFamilies(db);
  await db
    .insertInto('member_families')
    .values([
      { slack_user_id: REP1, family_id: fam.fam1 },
      { slack_user_id: REP1, family_id: fam.fam2 },
      { slack_user_id: REP2, family_id: fam.fam2 },
    ])
    .execute();
  await db
    .insertInto('workspace_settings')
    .values({
      team_id: 'default',
      demand_channel: 'C_DEMAND',
      supply_channel: 'C_SUPPLY',
      exec_channel: 'C_EXEC',
      vote_mode: 'open',
    })
    .execute();
});

let cycleId = 0;
let pollTs = '';
let pollId = '';
let ids: Record<string, string> = {};

describe('the cycle', () => {
  it('runs from start through the executive phase: deadlines, announcements, nudges once, idempotent deadline jobs', async () => {
    await sop(REP1, 'cycle start 2027-01');
    await ephemeralWith(REP1, 'Only Planner');
    expect(await cycleRow('2027-01')).toBeUndefined();

    await sop(PLANNER, 'cycle start 2027-01');
    const c = await waitFor(() => texts('C_DEMAND').find((t) => t.includes('Data gathering')));
    expect(c).toContain('S&OP 2027-01');
    const cycle = (await cycleRow('2027-01'))!;
    cycleId = cycle.id;
    expect(cycle.phase).toBe('data_gathering');
    expect(Object.keys(cycle.deadlines).sort()).toEqual(
      ['data_gathering', 'demand_review', 'executive', 'pre_sop', 'supply_review'].sort(),
    );
    // Monday 08:00 + 3 working days (default) = Thursday, at the default 17:00 (UTC here).
    expect(cycle.deadlines.data_gathering).toBe('2027-01-07T17:00:00.000Z');
    const delayed = await queues.queue('notifications').getJobs(['delayed']);
    expect(delayed.filter((j) => j.name === 'phase-deadline')).toHaveLength(5);
    expect(
      delayed
        .filter((j) => j.name === 'nudge')
        .map((j) => j.data.phase)
        .sort(),
    ).toEqual(['demand_review', 'executive', 'supply_review']);

    await sop(PLANNER, 'cycle start 2027-02');
    await ephemeralWith(PLANNER, 'Cycle 2027-01 is still open');

    // The clock has not moved since the start: a bare `next` would be refused as too soon
    // after a phase change (cycle-announcements.test.ts); naming the phase to end confirms it.
    await sop(PLANNER, 'cycle next data_gathering');
    await waitFor(() => texts('C_DEMAND').find((t) => t.includes('Demand review')));
    expect((await cycleRow('2027-01'))!.phase).toBe('demand_review');

    // REP2 declared "no change" for their only family; REP1 did nothing for FAM-1 and FAM-2.
    await db
      .insertInto('no_change_declarations')
      .values({ cycle_id: cycleId, slack_user_id: REP2, family_id: fam.fam2 })
      .execute();
    expect(
      (await comeDue('nudge', { cycleId, phase: 'demand_review' }, 'notifications')).sent,
    ).toEqual([REP1]);
    expect(dms(REP1)).toHaveLength(1);
    expect(dms(REP1)[0]!.text).toMatch(/FAM-1, FAM-2/);
    expect(dms(REP2)).toHaveLength(0);
    await runAgain('nudge', { cycleId, phase: 'demand_review' }, 'notifications');
    expect(dms(REP1)).toHaveLength(1);

    // The demand review deadline passes: the cycle moves on, the supply channel is told,
    // and a recompute is requested.
    clock.set(cycle.deadlines.demand_review!);
    const moved = await comeDue(
      'phase-deadline',
      { cycleId, phase: 'demand_review' },
      'notifications',
    );
    expect(moved).toEqual({ changed: true, phase: 'supply_review' });
    await waitFor(() => texts('C_SUPPLY').find((t) => t.includes('Supply review')));
    const planning = await queues
      .queue('planning')
      .getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(
      planning.filter(
        (j) =>
          j.name === 'recompute' &&
          j.data.cycleId === cycleId &&
          j.data.requestKey === `phase:${cycleId}:supply_review`,
      ),
    ).toHaveLength(1);
    // Operations are nudged about the open constraints before the supply review closes.
    await db
      .insertInto('capacity_updates')
      .values({
        cycle_id: cycleId,
        resource_id: fam.line,
        period: '2027-02',
        kind: 'delta_units',
        value: -200,
        reason_code: 'maintenance',
        is_constraint: true,
        author: OPS,
        source: 'command',
        request_key: 'flow-constraint',
      })
      .execute();
    expect(
      (await comeDue('nudge', { cycleId, phase: 'supply_review' }, 'notifications')).sent,
    ).toEqual([OPS]);
    expect(dms(OPS).at(-1)!.text).toContain('LINE-1 2027-02 (maintenance)');
    // A deadline of a phase the cycle has left does nothing.
    const stale = await comeDue(
      'phase-deadline',
      { cycleId, phase: 'data_gathering' },
      'notifications',
    );
    expect(stale).toEqual({ changed: false, phase: 'supply_review' });

    const run = await insertRun(db, {
      cycleId,
      runKey: 'meeting-run-1',
      periods: ['2027-01', '2027-02', '2027-03'],
      demand: { [fam.fam1]: 100, [fam.fam2]: 1000 },
      price: { [fam.fam1]: 900, [fam.fam2]: 20 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 0.5 }],
      scenarios: SCENARIOS,
    });
    ids = run.ids;
    await sop(PLANNER, 'cycle next supply_review');
    await waitFor(() => texts('C_EXEC').find((t) => t.includes('Pre-S&OP')));
    await sop(PLANNER, 'cycle next pre_sop');
    // Entering the executive phase posts the pack in the executive channel.
    const pack = await waitFor(() => texts('C_EXEC').find((t) => t.includes('executive pack')));
    expect(pack).toContain('DECISION NEEDED');
    expect((await cycleRow('2027-01'))!.phase).toBe('executive');
  });
});

describe('the scenario vote and the decision', () => {
  it('counts only executives, a changed vote once and a double click once; the tally updates in place', async () => {
    await sop(PLANNER, 'vote 24');
    const msg = await waitFor(() =>
      standin
        .messagesIn('C_EXEC')
        .find((m) => JSON.stringify(m.blocks ?? []).includes('vote_cast_1')),
    );
    pollTs = msg.ts;
    const poll = await db.selectFrom('polls').selectAll().executeTakeFirstOrThrow();
    pollId = poll.id;
    const options = await db.selectFrom('poll_options').selectAll().orderBy('position').execute();
    expect(options.map((o) => o.scenario_id)).toEqual([ids.central, ids.cautious, ids.ambitious]);

    // Someone who is not an executive: told privately, kept for audit, not counted.
    await driver.clickButton('C_EXEC', pollTs, 'vote_cast_1', { user: CARA });
    await ephemeralWith(CARA, "Only executives' votes count");
    await driver.clickButton('C_EXEC', pollTs, 'vote_cast_1', { user: OPS });
    await ephemeralWith(OPS, "Only executives' votes count");

    await driver.clickButton('C_EXEC', pollTs, 'vote_cast_1', { user: EXEC1 });
    await ephemeralWith(EXEC1, 'is counted');
    const change = await driver.clickButton('C_EXEC', pollTs, 'vote_cast_2', { user: EXEC1 });
    await ephemeralWith(EXEC1, 'Your vote is now *Cautious*');
    // Slack delivers the same click twice.
    await driver.resend(change.request);
    await ephemeralWith(EXEC1, 'was already received');

    const votes = await db.selectFrom('votes').selectAll().orderBy('id').execute();
    expect(
      votes
        .filter((v) => !v.counted)
        .map((v) => v.voter)
        .sort(),
    ).toEqual([CARA, OPS]);
    const mine = votes.filter((v) => v.voter === EXEC1);
    expect(mine).toHaveLength(2);
    expect(mine.filter((v) => v.superseded_at === null).map((v) => v.scenario_id)).toEqual([
      ids.cautious,
    ]);
    const audits = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'poll')
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual(
      ['poll.open', 'vote.cast', 'vote.change', 'vote.not_counted', 'vote.not_counted'].sort(),
    );

    // Before the executive deadline, only the executive who has not voted is nudged.
    expect((await comeDue('nudge', { cycleId, phase: 'executive' }, 'notifications')).sent).toEqual(
      [EXEC2],
    );
    expect(dms(EXEC2).at(-1)!.text).toContain('your vote on the scenarios is not in yet');
    expect(dms(EXEC1)).toHaveLength(0);

    await driver.clickButton('C_EXEC', pollTs, 'vote_cast_2', { user: EXEC2 });
    const updated = await waitFor(() => {
      const m = standin.messagesIn('C_EXEC').find((x) => x.ts === pollTs);
      const t = JSON.stringify(m?.blocks ?? []);
      return t.includes('*Cautious*: 2 votes') ? t : undefined;
    });
    expect(updated).toContain('*Central*: 0 votes');
    expect(updated).toContain(`<@${EXEC1}>`);
    expect(updated).toContain('2 executive votes counted');
    expect(
      standin
        .messagesIn('C_EXEC')
        .filter((m) => JSON.stringify(m.blocks ?? []).includes('vote_cast_1')),
    ).toHaveLength(1);
  });

  it('the chair closes the vote; the modal records the decision with its actions, linked to the voted scenario row', async () => {
    await driver.clickButton('C_EXEC', pollTs, 'vote_close', { user: EXEC1 });
    await ephemeralWith(EXEC1, 'Only the chair');
    expect((await db.selectFrom('polls').select('status').executeTakeFirstOrThrow()).status).toBe(
      'open',
    );

    clock.set('2027-01-20T10:00:00Z');
    await driver.clickButton('C_EXEC', pollTs, 'vote_close', { user: PLANNER });
    const modal = await waitFor(() => standin.openViews(PLANNER).at(-1));
    expect(modal.definition.callback_id).toBe('decision_submit');
    expect(JSON.stringify(modal.definition.blocks)).toContain(
      `"initial_option":{"text":{"type":"plain_text","text":"Cautious"`,
    );
    expect((await db.selectFrom('polls').selectAll().executeTakeFirstOrThrow()).close_reason).toBe(
      'chair',
    );

    const bad = await driver.submitView(modal.id, {
      user: PLANNER,
      values: {
        rationale: { text: 'Cash first; protects margin.' },
        a1_owner: { owner: OPS },
        a1_due: { due: '2027-02-10' },
      },
    });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: { a1_desc: 'Action 1 needs a description.' },
    });

    const values = {
      rationale: { text: 'Cash first; protects margin.' },
      a1_owner: { owner: OPS },
      a1_due: { due: '2027-02-10' },
      a1_desc: { desc: 'Book weekend overtime on LINE-1' },
      a2_owner: { owner: EXEC2 },
      a2_due: { due: '2027-02-01' },
      a2_desc: { desc: 'Renegotiate the supplier MOQ' },
    };
    const ok = await driver.submitView(modal.id, { user: PLANNER, values });
    expect(ok.status).toBe(200);
    const d = await pollUntil(
      () => db.selectFrom('decisions').selectAll().execute(),
      (r) => r.length === 1,
    );
    expect(d[0]!.scenario_id).toBe(ids.cautious);
    expect(d[0]!.poll_id).toBe(pollId);
    expect(d[0]!.rationale).toBe('Cash first; protects margin.');
    const acts = await db.selectFrom('actions').selectAll().orderBy('id').execute();
    expect(acts.map((a) => [a.owner, a.due_date, a.description, a.decision_id])).toEqual([
      [OPS, '2027-02-10', 'Book weekend overtime on LINE-1', d[0]!.id],
      [EXEC2, '2027-02-01', 'Renegotiate the supplier MOQ', d[0]!.id],
    ]);
    expect((await cycleRow('2027-01'))!.adopted_scenario_id).toBe(ids.cautious);
    const frozen = await adoptedProduction(db, cycleId);
    expect(frozen['FAM-1']?.['2027-02']).toBeCloseTo(100 * 0.9 * 0.95, 9);

    // The vote message shows the outcome, the decision log is in its thread, owners get a DM.
    await waitFor(() =>
      JSON.stringify(
        standin.messagesIn('C_EXEC').find((m) => m.ts === pollTs)?.blocks ?? [],
      ).includes('Decision: *Cautious* adopted'),
    );
    const log = await waitFor(() =>
      standin.threadReplies('C_EXEC', pollTs).find((m) => m.text.includes('Decision')),
    );
    expect(log.text).toContain('Cautious adopted');
    const dm = await waitFor(() => dms(OPS).find((m) => m.text.includes('Book weekend overtime')));
    expect(JSON.stringify(dm.blocks)).toContain('action_done');

    // A double submit records one decision.
    await driver.resend(ok.request);
    expect(await db.selectFrom('decisions').selectAll().execute()).toHaveLength(1);
    expect(await db.selectFrom('actions').selectAll().execute()).toHaveLength(2);
  });
});

describe('follow-up actions', () => {
  it('each reminder fires once with the clock the test controls, and Done stops them', async () => {
    const a1 = (
      await db.selectFrom('actions').selectAll().where('owner', '=', OPS).executeTakeFirstOrThrow()
    ).id;
    const before = dms(OPS).length;
    /** The reminder of a1 of `kind` at `occurrence`, come due or run again. */
    const remind = (run: typeof comeDue, kind: 'before' | 'due' | 'overdue', occurrence: string) =>
      run('action-reminder', { actionId: a1, kind, occurrence }, 'notifications');

    clock.set('2027-02-08T09:00:00Z');
    const r1 = await remind(comeDue, 'before', '2027-02-08');
    expect(r1).toEqual({ result: 'sent' });
    expect(dms(OPS)).toHaveLength(before + 1);
    expect(dms(OPS).at(-1)!.text).toContain('Due in 2 days');
    // The same reminder delivered again is not sent again: it finds itself in the morning's
    // digest it sent (of one action, so the DM a reminder always was).
    expect(await remind(runAgain, 'before', '2027-02-08')).toEqual({ result: 'in_digest' });
    expect(dms(OPS)).toHaveLength(before + 1);

    clock.set('2027-02-10T09:00:00Z');
    expect(await remind(comeDue, 'due', '2027-02-10')).toEqual({
      result: 'sent',
    });
    expect(dms(OPS).at(-1)!.text).toContain('Due today');
    const count = dms(OPS).length;

    // Done from the reminder DM.
    const last = dms(OPS).at(-1)!;
    const click = await driver.clickButton(`D_${OPS}`, last.ts, 'action_done', { user: OPS });
    await pollUntil(
      () =>
        db.selectFrom('actions').select('status').where('id', '=', a1).executeTakeFirstOrThrow(),
      (r) => r.status === 'done',
    );
    await waitFor(() => dms(OPS).find((m) => m.ts === last.ts && m.text.includes('done')));

    // A forged Done: the owner's click, naming the vote message in the exec channel instead of
    // the DM. Only the bot's own DM about the action (per the ledger) may be rewritten.
    const vote = () => standin.messagesIn('C_EXEC').find((m) => m.ts === pollTs);
    const voteBefore = JSON.stringify([vote()?.text, vote()?.blocks]);
    const payload = JSON.parse(new URLSearchParams(click.request.body).get('payload') ?? '{}');
    payload.channel = { ...payload.channel, id: 'C_EXEC' };
    payload.container = { ...payload.container, channel_id: 'C_EXEC', message_ts: pollTs };
    payload.message = { ...payload.message, ts: pollTs };
    const whispers = standin.callsTo('chat.postEphemeral').length;
    const forged = await driver.resend({
      ...click.request,
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    });
    expect(forged.status).toBe(200);
    await waitFor(() => standin.callsTo('chat.postEphemeral').length > whispers || undefined);
    expect(JSON.stringify([vote()?.text, vote()?.blocks])).toBe(voteBefore);

    clock.set('2027-02-11T09:00:00Z');
    expect(await remind(comeDue, 'overdue', 'overdue-1')).toEqual({ result: 'not_open' });
    expect(dms(OPS)).toHaveLength(count);
  });

  it('closing the cycle; the next pack lists the overdue action; actions and the decision log are listed and exported', async () => {
    await sop(PLANNER, 'cycle close');
    await pollUntil(
      () => cycleRow('2027-01'),
      (c) => c?.phase === 'closed',
    );
    expect((await cycleRow('2027-01'))!.closed_at).not.toBeNull();

    // A closed cycle's decision cannot change any more.
    await expect(
      recordDecision(
        { db, queue: queues, clock },
        {
          cycleId,
          pollId: null,
          scenarioId: ids.central!,
          rationale: 'too late',
          decidedBy: EXEC1,
          requestKey: 'late-decision',
          actions: [],
        },
      ),
    ).rejects.toThrow(/Cycle 2027-01 is closed/);

    clock.set('2027-02-11T10:00:00Z');
    await sop(PLANNER, 'cycle start 2027-02');
    await pollUntil(
      () => cycleRow('2027-02'),
      (c) => c !== undefined,
    );
    const a2 = (
      await db
        .selectFrom('actions')
        .selectAll()
        .where('owner', '=', EXEC2)
        .executeTakeFirstOrThrow()
    ).id;

    await sop(EXEC1, 'pack');
    const pack = await waitFor(() =>
      standin
        .ephemeralsFor(EXEC1)
        .find((e) => JSON.stringify(e.blocks ?? []).includes('10. What are the follow-up actions')),
    );
    const packText = JSON.stringify(pack.blocks);
    expect(packText).toContain(`OVERDUE #${a2}`);
    expect(packText).not.toContain('Book weekend overtime'); // done

    // The closed cycle's pack on request: its decision is recorded.
    await sop(EXEC1, 'pack 2027-01');
    const old = await waitFor(() =>
      standin.ephemeralsFor(EXEC1).find((e) => e.text.includes('S&OP 2027-01: executive pack')),
    );
    // EXEC1 (changed to Cautious) and EXEC2 voted Cautious; CARA's and OPS's clicks do not count.
    // Who recorded it by the name Slack gives (the stand-in's "plan"): the pack pings nobody
    // for what they did.
    expect(JSON.stringify(old.blocks)).toContain(
      "Decided: Cautious scenario, adopted by the executives' vote (2–0); recorded by plan.",
    );
    expect(JSON.stringify(old.blocks)).not.toContain(`<@${PLANNER}>`);

    await sop(EXEC1, `actions overdue`);
    const list = await ephemeralWith(EXEC1, 'Overdue actions');
    expect(list.text).toContain(`#${a2}`);
    expect(list.text).not.toContain('LINE-1');

    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), env };
    expect(await main(['pack', '--cycle', '2027-02', '--as-of', '2027-02-11'], io)).toBe(0);
    const md = out.join('');
    for (let n = 1; n <= 10; n++) expect(md).toMatch(new RegExp(`^## ${n}\\. `, 'm'));
    expect(md).toContain(`OVERDUE #${a2}`);

    out.length = 0;
    expect(await main(['decisions', '--cycle', '2027-01', '--format', 'csv'], io)).toBe(0);
    const csv = out.join('').trim().split('\n');
    expect(csv[0]).toBe(
      'cycle,decision_id,scenario,scenario_id,run_id,rationale,decided_by,decided_at,action_id,owner,due_date,status,action,decided_by_name,owner_name,break_dispositions',
    );
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain('Cautious');
    expect(csv.join('\n')).toContain(',done,Book weekend overtime on LINE-1');

    await sop(EXEC1, 'decisions 2027-01 md', 'C_EXEC');
    const file = await waitFor(() =>
      standin.files.find((f) => f.name === 'sop-decisions-2027-01.md'),
    );
    expect(file).toBeTruthy();
  });
});
