/**
 * A reminder that comes before its time because the company's time zone moved later after it
 * was scheduled: it waits for its new time, under its own job id, rather than ending with
 * nothing sent (and, overdue, no next reminder). NINA owns an action due 2027-03-17, decided on
 * the 12th while the company's zone is UTC: its first overdue reminder is scheduled for
 * 2027-03-18 09:00 UTC. An admin then sets the zone to America/New_York, where 09:00 on
 * 18 March is 13:00 UTC (EDT, UTC−4, since 14 March). The real worker runtime on real Redis
 * and Postgres, the Slack stand-in, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { decideMarchActions } from './action-fixture.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const NINA = 'U_NINA';

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'reminder-zone-change',
  members: { [EXEC]: 'exec', [NINA]: 'ops' },
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
const idOf = (n: number) => jobId('action-reminder', parsePayload('action-reminder', overdue(n)));
const queue = () => h.queues.queue('notifications');
const overdueDms = () =>
  standin.messagesIn(`D_${NINA}`).filter((m) => m.text.startsWith(':warning: Overdue'));

/** Bring the reminder's job forward (as its delay ending would) and wait until it has run once. */
async function runNow(n: number): Promise<string> {
  const job = await queue().getJob(idOf(n));
  if (!job) throw new Error(`no job ${idOf(n)}`);
  const started = job.attemptsStarted ?? 0;
  await job.promote();
  const after = await pollUntil(
    async () => {
      const j = await queue().getJob(idOf(n));
      return { state: j ? await j.getState() : 'missing', started: j?.attemptsStarted ?? 0 };
    },
    (v) => v.started > started && ['delayed', 'completed', 'failed'].includes(v.state),
  );
  return after.state;
}

/** The jobs of the queue that remind of this action's overdue reminder `n`, in any state. */
async function jobsOf(n: number): Promise<number> {
  const all = await queue().getJobs(['delayed', 'waiting', 'active', 'completed', 'failed']);
  return all.filter(
    (j) =>
      j.name === 'action-reminder' &&
      j.data?.actionId === id &&
      j.data?.occurrence === `overdue-${n}`,
  ).length;
}

beforeAll(async () => {
  ({ db, standin } = h);
  [id] = (await decideMarchActions(h, clock, 'zone-change', EXEC, [
    { owner: NINA, description: 'Order resin for April', dueDate: '2027-03-17' },
  ])) as [string];
  await pollUntil(
    () => queue().getJob(idOf(1)),
    (j) => j !== undefined,
  );
  await updateSettings(db, { timezone: 'America/New_York' });
}, 60_000);

describe('a reminder that comes early after the company moved to a later zone', () => {
  it('at its old time (09:00 UTC) it waits under its own id: nothing sent, nothing lost', async () => {
    clock.set('2027-03-18T09:00:00Z');
    // Before: the job completed ('early') with nothing sent and no overdue-2: the chain ended.
    expect(await runNow(1)).toBe('delayed');
    expect(overdueDms()).toEqual([]);
    expect(await queue().getJob(idOf(2))).toBeUndefined();
    // The outbox relay or a retry handing it over again adds nothing: one job, the same.
    await h.queues.enqueue('action-reminder', overdue(1));
    expect(await jobsOf(1)).toBe(1);
  });

  it('two minutes before 09:00 in New York (12:58 UTC) it is still early, and waits again', async () => {
    clock.set('2027-03-18T12:58:00Z');
    expect(await runNow(1)).toBe('delayed');
    expect(overdueDms()).toEqual([]);
    expect(await jobsOf(1)).toBe(1);
  });

  it('at 09:00 in New York it is sent, and the next overdue reminder is scheduled', async () => {
    clock.set('2027-03-18T13:00:00Z');
    expect(await runNow(1)).toBe('completed');
    expect((await queue().getJob(idOf(1)))?.returnvalue).toEqual({ result: 'sent' });
    expect(overdueDms().map((m) => m.text)).toEqual([
      `:warning: Overdue by 1 day: #${id} Order resin for April (due 2027-03-17)`,
    ]);
    expect(await queue().getJob(idOf(2))).toBeTruthy();
    expect(await jobsOf(1)).toBe(1);
  });
});
