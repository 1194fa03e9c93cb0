/**
 * Slack refusing a post for good, under the real worker runtime: a deactivated person's DM
 * (`account_inactive`), a channel the bot was removed from (`not_in_channel`). No retry can
 * send them, so the job is not retried and its failure is logged once, with the stack; and
 * one person who cannot be reached does not stop the DMs to the others (nudges, the owners
 * of a decision's actions, the owners of rolled-up S&OE deviations). A 429 on a reminder
 * digest, by contrast, delays the job and the digest goes out once. The real bot and worker,
 * real Postgres and Redis, the Slack stand-in refusing what the test tells it to.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { type JobInput, type JobName, jobId, type QueueName } from '../../jobs/contracts.js';
import { recordDecision } from '../../src/services/decisions.js';
import { reportDeviation } from '../../src/services/execution.js';
import { deliverJobs } from '../../src/services/outbox.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { recordedLogs } from '../helpers/log-lines.js';
import {
  insertChannels,
  insertFamilies,
  insertMarchRun,
  runToEnd,
  settledJob,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const REP1 = 'U_REP1';
const REP2 = 'U_REP2';
const REP3 = 'U_REP3';
const OPS1 = 'U_OPS1';
const OPS2 = 'U_OPS2';
const OPS3 = 'U_OPS3';

const { logger, lines } = recordedLogs();

const clock = testClock('2027-03-01T08:00:00Z');
const h = useHarness({
  label: 'slack-refusals',
  members: {
    [EXEC]: 'exec',
    [REP1]: 'sales',
    [REP2]: 'sales',
    [REP3]: 'sales',
    [OPS1]: 'ops',
    [OPS2]: 'ops',
    [OPS3]: 'ops',
  },
  clock,
  workerLogger: logger,
});
let db: Db;
let standin: Standin;
let fam: { fam1: number; fam2: number; line: number };
let cycleId: number;
let centralId: string;

const dms = (user: string) => standin.messagesIn(`D_${user}`);
/** What the worker logged at error level about the job `id`. */
const errorsOf = (id: string) => lines.filter((l) => l.level === 50 && l.jobId === id);

const settled = (queue: QueueName, id: string) => settledJob(h.queues, queue, id);
const run = <N extends JobName>(name: N, payload: JobInput<N>, queue: QueueName) =>
  runToEnd(h.queues, name, payload, queue);

beforeAll(async () => {
  ({ db, standin } = h);
  fam = await insertFamilies(db);
  await db
    .insertInto('member_families')
    .values([
      { slack_user_id: REP1, family_id: fam.fam1 },
      { slack_user_id: REP2, family_id: fam.fam1 },
      { slack_user_id: REP3, family_id: fam.fam2 },
    ])
    .execute();
  await insertChannels(db);
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'demand_review' });
  const r = await insertMarchRun(db, cycleId, fam, 'slack-refusals');
  centralId = r.ids.central!;
}, 60_000);

describe('a deactivated person among several', () => {
  it('a nudge: the reps before and after the deactivated one get theirs; the job fails once, logged once with the stack', async () => {
    // REP2 left the company: Slack refuses every post into their DM.
    standin.failNext('chat.postMessage', {
      error: 'account_inactive',
      channel: `D_${REP2}`,
      times: 10,
    });
    const job = await run('nudge', { cycleId, phase: 'demand_review' }, 'notifications');

    expect(dms(REP1)).toHaveLength(1);
    expect(dms(REP3)).toHaveLength(1);
    expect(dms(REP3)[0]!.text).toMatch(/FAM-2/);
    expect(dms(REP2)).toHaveLength(0);
    // No retry can reach REP2: one attempt, failed, naming who and why.
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain(`<@${REP2}>`);
    expect(job.failedReason).toContain('account_inactive');
    const errors = errorsOf(job.id!);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.err?.stack).toMatch(/account_inactive/);
    // Asked for REP2's DM once (no retry), never again.
    const toRep2 = standin
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === `D_${REP2}`);
    expect(toRep2).toHaveLength(1);
  });

  it("a decision's owners: the log is posted, the owners before and after the deactivated one are told", async () => {
    standin.failNext('chat.postMessage', {
      error: 'account_inactive',
      channel: `D_${OPS2}`,
      times: 10,
    });
    // The decision is recorded in the executive meeting (the nudge above was the demand review's).
    await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
    const rec = await recordDecision(
      { db, queue: h.queues, clock },
      {
        cycleId,
        pollId: null,
        scenarioId: centralId,
        rationale: 'Service first',
        decidedBy: EXEC,
        requestKey: 'refusals-decision',
        actions: [OPS1, OPS2, OPS3].map((owner) => ({
          owner,
          description: `Task of ${owner}`,
          dueDate: '2027-03-19',
        })),
      },
    );
    const job = await settled('posts', jobId('decision-publish', { decisionId: rec.decision.id }));
    expect(
      standin.messagesIn('C_EXEC').filter((m) => m.text.includes('Service first')),
    ).toHaveLength(1);
    expect(dms(OPS1).map((m) => m.text)).toEqual([expect.stringContaining('Task of U_OPS1')]);
    expect(dms(OPS3).map((m) => m.text)).toEqual([expect.stringContaining('Task of U_OPS3')]);
    expect(dms(OPS2)).toHaveLength(0);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain(`<@${OPS2}>`);
    expect(errorsOf(job.id!)).toHaveLength(1);
  });
});

describe('the bot removed from the executive channel as a decision is published', () => {
  it("the decision log is refused, the owners' DMs still go out, and the job names the channel once", async () => {
    // The bot was removed from #sop-exec: Slack refuses the decision log there. That stopped
    // the job before the owners' DMs, so nobody heard they own an action, and the admins were
    // told only of the log.
    standin.failNext('chat.postMessage', { error: 'not_in_channel', channel: 'C_EXEC' });
    await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
    const owners = [REP1, REP3];
    const rec = await recordDecision(
      { db, queue: h.queues, clock },
      {
        cycleId,
        pollId: null,
        scenarioId: centralId,
        rationale: 'Channel gone',
        decidedBy: EXEC,
        requestKey: 'refusals-exec-channel',
        // A decision recorded again supersedes the earlier one, and says why.
        supersedeReason: 'The channel test records its own decision',
        actions: owners.map((owner) => ({
          owner,
          description: `Follow-up of ${owner}`,
          dueDate: '2027-03-21',
        })),
      },
    );
    const job = await settled('posts', jobId('decision-publish', { decisionId: rec.decision.id }));
    expect(
      standin.messagesIn('C_EXEC').filter((m) => m.text.includes('Channel gone')),
    ).toHaveLength(0);
    for (const owner of owners)
      expect(dms(owner).filter((m) => m.text.includes(`Follow-up of ${owner}`))).toHaveLength(1);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('C_EXEC (not_in_channel)');
    expect(errorsOf(job.id!)).toHaveLength(1);
    // Recorded under the log's own key, so the admins' DM names it.
    const refused = await db
      .selectFrom('slack_refusals')
      .select(['conversation', 'post_key', 'reason'])
      .where('post_key', '=', `decision:${rec.decision.id}:log`)
      .execute();
    expect(refused).toEqual([
      {
        conversation: 'C_EXEC',
        post_key: `decision:${rec.decision.id}:log`,
        reason: 'not_in_channel',
      },
    ]);
  });
});

describe('a rolled-up S&OE check', () => {
  it("each owner's DM goes out but the deactivated one's, after the supply channel's post and its thread", async () => {
    standin.failNext('chat.postMessage', {
      error: 'account_inactive',
      channel: `D_${OPS2}`,
      times: 10,
    });
    // The check's audit entry as checkWeek writes it for a roll-up: one deviation per owner.
    const owners = [OPS1, OPS2, OPS3];
    const { id: check } = await db
      .insertInto('audit_log')
      .values({
        actor: 'sopbot',
        action: 'deviation.rollup',
        entity: 'week',
        entity_id: '2027-02-22',
        details: JSON.stringify({
          week: '2027-02-22',
          deviations: owners.map((owner, i) => ({
            id: String(900 + i),
            kind: 'production_below_plan',
            code: 'FAM-1',
            actual: 80,
            expected: 100,
            owner,
            due: '2027-03-03',
            actionId: String(800 + i),
            frozenBreak: false,
          })),
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = await run('deviation-rollup', { check }, 'posts');
    const ledger = (key: string) =>
      db.selectFrom('slack_posts').select('ts').where('post_key', '=', key).executeTakeFirst();
    expect((await ledger(`deviation-rollup:${check}`))?.ts).toBeTruthy();
    expect((await ledger(`deviation-rollup:${check}:owner:${OPS1}`))?.ts).toBeTruthy();
    expect((await ledger(`deviation-rollup:${check}:owner:${OPS3}`))?.ts).toBeTruthy();
    expect((await ledger(`deviation-rollup:${check}:owner:${OPS2}`))?.ts ?? null).toBeNull();
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain(`<@${OPS2}> (account_inactive)`);
    expect(errorsOf(job.id!)).toHaveLength(1);
  });
});

describe('a deviation reported while the bot is out of the supply channel', () => {
  it('its owner still gets the DM; the job fails once, naming the channel', async () => {
    standin.failNext('chat.postMessage', {
      error: 'not_in_channel',
      channel: 'C_SUPPLY',
      times: 10,
    });
    const reported = await reportDeviation(
      { db, queue: h.queues, clock },
      {
        kind: 'production_stop',
        code: 'LINE-1',
        day: '2027-03-02',
        expected: 500,
        actual: 300,
        comment: 'Gearbox failure',
        reportedBy: OPS1,
        requestKey: 'refusals-deviation',
      },
    );
    if (!reported) throw new Error('the deviation was not recorded');
    await deliverJobs(db, h.queues, { ids: [reported.publishRequest] });
    const job = await settled('posts', jobId('deviation-publish', { deviationId: reported.id }));
    // The owner's DM: one, with the action, although the channel refused the deviation's post.
    expect(dms(OPS1).filter((m) => m.text.includes('Production stop on LINE-1'))).toHaveLength(1);
    expect(standin.messagesIn('C_SUPPLY').some((m) => m.text.includes('LINE-1'))).toBe(false);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('C_SUPPLY (not_in_channel)');
    expect(errorsOf(job.id!)).toHaveLength(1);
  });
});

describe('a channel the bot was removed from', () => {
  it('the Monday S&OE digest into it is tried once and logged once', async () => {
    standin.failNext('chat.postMessage', {
      error: 'not_in_channel',
      channel: 'C_SUPPLY',
      times: 10,
    });
    const before = standin.messagesIn('C_SUPPLY').length;
    const job = await run('execution-digest', { week: '2027-02-22' }, 'notifications');
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('not_in_channel');
    const errors = errorsOf(job.id!);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.err?.stack).toMatch(/not_in_channel/);
    expect(standin.messagesIn('C_SUPPLY')).toHaveLength(before);
  });
});

describe('a 429 on a reminder digest', () => {
  it('delays the job, then sends the digest once; the other action of that morning finds itself in it', async () => {
    const [own] = await db
      .selectFrom('actions')
      .select(['id', 'cycle_id', 'decision_id'])
      .where('owner', '=', OPS1)
      .execute();
    const { id: second } = await db
      .insertInto('actions')
      .values({
        cycle_id: own!.cycle_id,
        decision_id: own!.decision_id,
        description: 'Second task of U_OPS1',
        owner: OPS1,
        due_date: '2027-03-19',
        created_by: EXEC,
        request_key: 'refusals-second',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    clock.set('2027-03-19T09:00:00Z');
    const before = dms(OPS1).length;
    standin.failNext('chat.postMessage', { status: 429, retryAfter: 1, channel: `D_${OPS1}` });
    const job = await run(
      'action-reminder',
      { actionId: own!.id, kind: 'due', occurrence: '2027-03-19' },
      'notifications',
    );
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual({ result: 'sent' });
    const other = await run(
      'action-reminder',
      { actionId: second, kind: 'due', occurrence: '2027-03-19' },
      'notifications',
    );
    expect(other.returnvalue).toEqual({ result: 'in_digest' });
    const sent = dms(OPS1).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toBe(
      `:bell: 2 follow-up actions need your attention today: #${own!.id} Task of U_OPS1 (due today); #${second} Second task of U_OPS1 (due today)`,
    );
    // Refused once (429), then posted once.
    const calls = standin.callsTo('chat.postMessage').filter((c) => c.args.channel === `D_${OPS1}`);
    expect(calls.map((c) => c.status).slice(-2)).toEqual([429, 200]);
    expect(errorsOf(job.id!)).toHaveLength(0);
  });
});
