/**
 * An overdue action whose owner left: Slack refuses their reminder for good, and an admin gives
 * the action to someone else. The overdue reminders go on, to the new owner: each overdue one
 * schedules the next before it sends, so a refused send does not end the chain. LEFT owns one
 * action due 2027-03-17 (the company's zone is UTC); on the 18th at 09:00 the first overdue
 * reminder is refused; ADA gives the action to NINA; on the 19th at 09:00 NINA is reminded.
 * The real bot and worker over HTTP against the Slack stand-in, real Postgres and Redis, a
 * test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { actionState, decideMarchActions } from './action-fixture.js';
import { runToEnd, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ADA = 'U_ADA'; // admin
const LEFT = 'U_LEFT'; // ops, has left: Slack refuses their DMs
const NINA = 'U_NINA'; // ops, takes the action over

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'reminder-owner-left',
  members: { [EXEC]: 'exec', [ADA]: 'admin', [LEFT]: 'ops', [NINA]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let id: string;

const overdue = (n: number) => ({
  actionId: id,
  kind: 'overdue' as const,
  occurrence: `overdue-${n}`,
});
const reminderJob = (n: number) =>
  h.queues
    .queue('notifications')
    .getJob(jobId('action-reminder', parsePayload('action-reminder', overdue(n))));

beforeAll(async () => {
  ({ db, standin } = h);
  // LEFT's DM that gives them the action is refused too.
  standin.failNext('chat.postMessage', { error: 'account_inactive', channel: `D_${LEFT}` });
  [id] = (await decideMarchActions(h, clock, 'owner-left', EXEC, [
    { owner: LEFT, description: 'Order resin for April', dueDate: '2027-03-17' },
  ])) as [string];
}, 60_000);

describe('an overdue action whose owner left', () => {
  it('the refused overdue reminder still schedules the next one', async () => {
    clock.set('2027-03-18T09:00:00Z');
    standin.failNext('chat.postMessage', { error: 'account_inactive', channel: `D_${LEFT}` });
    const first = await runToEnd(h.queues, 'action-reminder', overdue(1), 'notifications');
    expect(await first.getState()).toBe('failed');
    // Before, the chain ended with the refused send: no overdue-2, nor overdue-3, for anyone.
    expect(await reminderJob(2)).toBeTruthy();
  });

  it('given to NINA, the next overdue reminder goes to her', async () => {
    await h.sop(ADA, `actions reassign #${id} <@${NINA}>`);
    await standin.waitFor(
      async () => ((await actionState(db, id)).owner === NINA ? true : null),
      10_000,
    );
    clock.set('2027-03-19T09:00:00Z');
    expect(await h.comeDue('action-reminder', overdue(2), 'notifications')).toEqual({
      result: 'sent',
    });
    expect(standin.messagesIn(`D_${NINA}`).map((m) => m.text)).toContain(
      `:warning: Overdue by 2 days: #${id} Order resin for April (due 2027-03-17)`,
    );
    // And it schedules the third, the last.
    expect(await reminderJob(3)).toBeTruthy();
  });
});
