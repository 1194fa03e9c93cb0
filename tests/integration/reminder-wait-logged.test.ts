/**
 * A job that waits for its time (NotDueYetError) says so in the log once, even when it was
 * delayed before for another reason. NINA owns an action due 2027-03-17, decided on the 12th
 * while the company's zone is UTC: its first overdue reminder is scheduled for 2027-03-18 09:00
 * UTC. At 09:00 UTC its DM is refused with a 429 (Retry-After 60 s), so the job is delayed; an
 * admin then sets the zone to America/New_York, where 09:00 on 18 March is 13:00 UTC (EDT,
 * UTC−4, since 14 March), and the job, back, is early: it waits until 13:00. Before, that wait
 * was not logged at all: "logged once" was decided by the job's delays before, which the 429
 * had already counted. The real worker runtime on real Redis and Postgres, the Slack stand-in,
 * a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import { updateSettings } from '../../src/services/settings.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { decideMarchActions } from './action-fixture.js';
import { pollUntil, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const NINA = 'U_NINA';

const clock = testClock('2027-03-12T09:00:00Z');
const logs = recordedLogs();
const h = useHarness({
  label: 'reminder-wait-logged',
  members: { [EXEC]: 'exec', [NINA]: 'ops' },
  clock,
  workerLogger: logs.logger,
});
let db: Db;
let standin: Standin;
let id: string;

const overdue1 = () => ({ actionId: id, kind: 'overdue' as const, occurrence: 'overdue-1' });
const jobOf = () => jobId('action-reminder', parsePayload('action-reminder', overdue1()));
const queue = () => h.queues.queue('notifications');
const overdueDms = () =>
  standin.messagesIn(`D_${NINA}`).filter((m) => m.text.startsWith(':warning: Overdue'));
/** The job's log lines whose message contains `words`. */
const linesOf = (words: string) =>
  logs.lines.filter((l) => l.jobId === jobOf() && l.msg.includes(words)).map((l) => l.msg);

/** Bring the reminder's job forward (as its delay ending would) and wait until it has run once. */
async function runNow(): Promise<string> {
  const job = await queue().getJob(jobOf());
  if (!job) throw new Error(`no job ${jobOf()}`);
  const started = job.attemptsStarted ?? 0;
  await job.promote();
  const after = await pollUntil(
    async () => {
      const j = await queue().getJob(jobOf());
      return { state: j ? await j.getState() : 'missing', started: j?.attemptsStarted ?? 0 };
    },
    (v) => v.started > started && ['delayed', 'completed', 'failed'].includes(v.state),
  );
  return after.state;
}

beforeAll(async () => {
  ({ db, standin } = h);
  [id] = (await decideMarchActions(h, clock, 'wait-logged', EXEC, [
    { owner: NINA, description: 'Order resin for April', dueDate: '2027-03-17' },
  ])) as [string];
  await pollUntil(
    () => queue().getJob(jobOf()),
    (j) => j !== undefined,
  );
  // The decision's DM to the owner is out, so the 429 below is the reminder's.
  await standin.waitFor(
    () => standin.messagesIn(`D_${NINA}`).find((m) => m.text.startsWith(':memo:')),
    20_000,
  );
}, 60_000);

describe('a reminder delayed by a 429, then early after the zone moved', () => {
  it('logs its wait for its new time once', async () => {
    clock.set('2027-03-18T09:00:00Z');
    standin.failNext('chat.postMessage', { status: 429, retryAfter: 60, channel: `D_${NINA}` });
    expect(await runNow()).toBe('delayed');
    expect(linesOf('Slack rate limit')).toHaveLength(1);
    expect(overdueDms()).toEqual([]);

    await updateSettings(db, { timezone: 'America/New_York' });
    expect(await runNow()).toBe('delayed');
    // 09:00 on 18 March in New York (EDT) is 13:00 UTC. Before: no line at all.
    const wait = `reminder overdue overdue-1 of action #${id} comes before its time (2027-03-18T13:00:00.000Z in America/New_York): delayed until then`;
    expect(linesOf('comes before its time')).toEqual([wait]);
    // Back again, still early (12:58 UTC): the same wait, not logged again.
    clock.set('2027-03-18T12:58:00Z');
    expect(await runNow()).toBe('delayed');
    expect(linesOf('comes before its time')).toEqual([wait]);
    expect(overdueDms()).toEqual([]);

    clock.set('2027-03-18T13:00:00Z');
    expect(await runNow()).toBe('completed');
    expect(overdueDms().map((m) => m.text)).toEqual([
      `:warning: Overdue by 1 day: #${id} Order resin for April (due 2027-03-17)`,
    ]);
  });
});
