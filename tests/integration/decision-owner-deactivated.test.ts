/**
 * A decision that gives a follow-up action to someone whose Slack account is deactivated. Slack
 * takes a DM to such an account without a word (the stand-in too), so before, the decision's
 * job "gave" them the action into a DM nobody reads, recorded nothing, and the admins never
 * heard that the action had nobody. Now the assignment DM asks users.info first, as nudges and
 * reminders do: nothing is sent, the DM is recorded as not sent (`deactivated`), the admins are
 * told how to reassign the action, and the other owners get theirs. The DM telling the owner of
 * a break of the frozen plan what the decision made of it is checked the same way. The real
 * worker runtime over HTTP against the Slack stand-in, real Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import { jobId } from '../../jobs/contracts.js';
import { recordDecision } from '../../src/services/decisions.js';
import { deliverJobs } from '../../src/services/outbox.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { addDeactivatedUser, marchExecutiveCycle } from './action-fixture.js';
import { runToEnd, settledJob, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ADA = 'U_ADA'; // admin
const LEFT = 'U_LEFT'; // ops, deactivated before the meeting
const STAY = 'U_STAY'; // ops

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'decision-owner-deactivated',
  members: { [EXEC]: 'exec', [ADA]: 'admin', [LEFT]: 'ops', [STAY]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let resin: string;
let decisionId: string;
let cycleId: number;
let central: string;
/** Each break of the frozen plan S&OE escalated to the meeting: its deviation and its action. */
const breaks: Record<string, { deviation: string; action: string }> = {};

async function frozenBreak(name: string, owner: string) {
  const deviation = await insertDeviation(db, {
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
  await linkAction(db, deviation!, action.id);
  breaks[name] = { deviation: deviation!, action: action.id };
}

const refusals = () =>
  db
    .selectFrom('slack_refusals')
    .select(['conversation', 'post_key', 'reason'])
    .where('resolved_at', 'is', null)
    .orderBy('id')
    .execute();

/** The users asked about by users.info during `run`, in order. */
async function usersAskedDuring(run: () => Promise<unknown>): Promise<string[]> {
  const before = standin.callsTo('users.info').length;
  await run();
  return standin
    .callsTo('users.info')
    .slice(before)
    .map((c) => String(c.args.user));
}

beforeAll(async () => {
  ({ db, standin } = h);
  const march = await marchExecutiveCycle(db, 'decision-left');
  cycleId = march.cycleId;
  central = march.run.ids.central!;
  await frozenBreak('LINE-1', LEFT);
  await frozenBreak('LINE-2', STAY);
  addDeactivatedUser(standin, LEFT, 'left');
}, 60_000);

describe("a decision's action and break given to someone who left", () => {
  it('sends them nothing, records why, tells the admins, and DMs the other owner', async () => {
    let job: Awaited<ReturnType<typeof settledJob>> | undefined;
    const asked = await usersAskedDuring(async () => {
      const rec = await recordDecision(
        { db, queue: h.queues, clock },
        {
          cycleId,
          pollId: null,
          scenarioId: central,
          rationale: 'Service first',
          decidedBy: EXEC,
          requestKey: 'decision-left',
          actions: [
            { owner: LEFT, description: 'Order resin for April', dueDate: '2027-03-17' },
            { owner: STAY, description: 'Book overtime on LINE-1', dueDate: '2027-03-19' },
          ],
          dispositions: [
            { deviationId: breaks['LINE-1']!.deviation, disposition: 'exception', note: null },
            { deviationId: breaks['LINE-2']!.deviation, disposition: 'hold', note: null },
          ],
        },
      );
      await deliverJobs(db, h.queues, { ids: rec.jobRequests });
      resin = rec.actions[0]!.id;
      decisionId = rec.decision.id;
      job = await settledJob(h.queues, 'posts', jobId('decision-publish', { decisionId }));
    });
    // Failed for good, not retried: no retry can DM someone who left.
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(1);
    // Once per owner, for the action's DM and the break's alike.
    expect(asked).toEqual([LEFT, STAY]);
    expect(standin.messagesIn(`D_${LEFT}`)).toHaveLength(0);
    const stay = standin.messagesIn(`D_${STAY}`).map((m) => m.text);
    expect(stay).toHaveLength(2);
    expect(stay[0]).toContain('Book overtime on LINE-1');
    expect(stay[1]).toContain('a break of the frozen plan you own');
    expect(await refusals()).toEqual([
      { conversation: LEFT, post_key: `action:${resin}:assigned`, reason: 'deactivated' },
      {
        conversation: LEFT,
        post_key: `decision:${decisionId}:breaks:${LEFT}`,
        reason: 'deactivated',
      },
    ]);
    await settledJob(
      h.queues,
      'notifications',
      jobId('refusal-notice', { conversation: LEFT, reason: 'deactivated', day: '2027-03-12' }),
    );
    const notice = standin.messagesIn(`D_${ADA}`).at(-1)?.text ?? '';
    expect(notice).toContain(
      `:warning: 2 DMs to <@${LEFT}> not sent: their Slack account is deactivated (Slack's users.info says so).`,
    );
    expect(notice).toContain(
      `Not delivered, and not tried again: the DM assigning action #${resin}; the DM telling the owner what decision #${decisionId} decided about their breaks of the frozen plan.`,
    );
    // Theirs: the action the decision gave them, and the S&OE action of their break.
    expect(notice).toContain(
      `They own 2 open follow-up actions nobody will be reminded of: #${resin} Order resin for April (due 2027-03-17); #${breaks['LINE-1']!.action} LINE-1 stopped (due 2027-04-20). Give each to someone else with \`/sop actions reassign #id @someone\` (\`/sop actions <@${LEFT}>\` lists them).`,
    );
  });

  it('run again, DMs nobody twice and asks only about the owner it did not reach', async () => {
    let job: Awaited<ReturnType<typeof runToEnd>> | undefined;
    const asked = await usersAskedDuring(async () => {
      job = await runToEnd(h.queues, 'decision-publish', { decisionId }, 'posts');
    });
    expect(await job!.getState()).toBe('failed');
    // STAY's DMs are in the ledger: Slack is not asked about them again, nor are they DMed
    // again. LEFT is asked once more (an answer of deactivated is not remembered: reactivated,
    // they would be DMed now), once for both DMs.
    expect(asked).toEqual([LEFT]);
    expect(standin.messagesIn(`D_${STAY}`)).toHaveLength(2);
    expect(standin.messagesIn(`D_${LEFT}`)).toHaveLength(0);
    expect((await refusals()).map((r) => r.post_key)).toEqual([
      `action:${resin}:assigned`,
      `decision:${decisionId}:breaks:${LEFT}`,
    ]);
  });
});
