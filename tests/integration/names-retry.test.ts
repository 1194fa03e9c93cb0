/**
 * The pack and the review name who recorded the previous cycle's decision, and are posted
 * once, never edited. Before, a `users.info` that Slack rate-limited (the worker's client
 * rejects a 429 at once) left the name unknown, and the post went out for good with the id
 * in plain text ("recorded by U_CARA") where a mention used to show the name; nothing retried.
 * Now the job is retried after Retry-After, and posts once, with the name. A person Slack
 * says it does not know (`user_not_found`) is no better on a retry: the post goes out with the
 * id, and the failure is logged with its stack.
 *
 * Hand-built: 2027-01 (closed) decided Central, recorded by Cara without a vote; 2027-02 is in
 * its executive phase. Then 2027-02 closes, having decided Central, recorded by Dana; 2027-03
 * is opened. Last, Feb's decision is superseded by one for Cautious, recorded by U_GONE, whom
 * the workspace does not have. Then 2027-03 closes, having decided Central, recorded by Erin,
 * and 2027-04 is opened: Slack fails every users.info about Erin (fatal_error), and the pack
 * still goes out, with her id, on the job's last attempt. The stand-in names a member by its id's tail in lower case
 * (U_CARA: "cara"). The real worker runtime over HTTP against the Slack stand-in, real
 * Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDecision } from '../../db/queries/decisions.js';
import { jobId, parsePayload } from '../../jobs/contracts.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { type LogLine, recordedLogs } from '../helpers/log-lines.js';
import {
  insertChannels,
  insertFamilies,
  insertRun,
  runToEnd,
  SCENARIOS,
  settledJob,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const CARA = 'U_CARA';
const DANA = 'U_DANA';
const GONE = 'U_GONE'; // not in the workspace: users.info answers user_not_found
const ERIN = 'U_ERIN';

const clock = testClock('2027-02-24T09:00:00Z');
const logs = recordedLogs();
const h = useHarness({
  label: 'names-retry',
  members: { [EXEC]: 'exec', [CARA]: 'exec', [DANA]: 'exec', [ERIN]: 'exec' },
  clock,
  workerLogger: logs.logger,
});
let db: Db;
let standin: Standin;
let fam: Awaited<ReturnType<typeof insertFamilies>>;
let febDecision: string;
const cycles: Record<string, number> = {};
const scenarios: Record<string, Record<string, string>> = {};

async function cycleWithRun(month: string, phase: 'executive' | 'closed'): Promise<void> {
  cycles[month] = await insertCycle(db, { month, phase });
  const { ids } = await insertRun(db, {
    cycleId: cycles[month],
    runKey: `names-retry-${month}`,
    periods: [month],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  scenarios[month] = ids;
}

async function decide(month: string, scenario: string, by: string, supersedes?: string) {
  return (
    await insertDecision(
      db,
      {
        cycle_id: cycles[month]!,
        poll_id: null,
        scenario_id: scenarios[month]![scenario]!,
        title: `Adopt the ${scenario} scenario`,
        rationale: 'Protects service.',
        decided_by: by,
        decided_at: new Date(`${month}-20T10:00:00Z`),
        request_key: `names-retry-${month}-${scenario}`,
        ...(supersedes ? { supersedes_id: supersedes, supersede_reason: 'Demand fell.' } : {}),
      },
      [],
    )
  ).decision.id;
}

/** The users asked about by users.info, in order. */
const asked = () => standin.callsTo('users.info').map((c) => String(c.args.user));

/** The blocks of every message in `channel` whose text starts with `head`. */
const postsIn = (channel: string, head: string) =>
  standin
    .messagesIn(channel)
    .filter((m) => m.text.startsWith(head))
    .map((m) => JSON.stringify(m.blocks ?? null));

beforeAll(async () => {
  ({ db, standin } = h);
  await insertChannels(db);
  fam = await insertFamilies(db);
  await cycleWithRun('2027-01', 'closed');
  await decide('2027-01', 'central', CARA);
  await cycleWithRun('2027-02', 'executive');
}, 60_000);

describe('a name Slack rate-limits', () => {
  it('holds the pack back until Slack answers, then posts it once, naming the person', async () => {
    standin.failNext('users.info', { status: 429, retryAfter: 1, channel: CARA });
    const job = await runToEnd(h.queues, 'pack', { cycleId: cycles['2027-02']! }, 'posts');
    expect(await job.getState()).toBe('completed');
    // Asked twice about Cara: refused (429), then answered after Retry-After.
    expect(asked().filter((u) => u === CARA)).toHaveLength(2);
    const packs = postsIn('C_EXEC', 'S&OP 2027-02: executive pack');
    expect(packs).toHaveLength(1);
    expect(packs[0]).toContain('2027-01 decided: Central, recorded by cara without a vote.');
    expect(packs[0]).not.toContain(CARA);
    expect(
      logs.lines.filter((l) => l.msg === 'Slack rate limit: job delayed by Retry-After'),
    ).toHaveLength(1);
  }, 30_000);

  it('holds the review back the same way', async () => {
    await db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date('2027-02-26T10:00:00Z') })
      .where('id', '=', cycles['2027-02']!)
      .execute();
    febDecision = await decide('2027-02', 'central', DANA);
    await cycleWithRun('2027-03', 'executive');
    clock.set('2027-03-02T09:00:00Z');
    standin.failNext('users.info', { status: 429, retryAfter: 1, channel: DANA });
    const job = await runToEnd(h.queues, 'review', { cycleId: cycles['2027-03']! }, 'posts');
    expect(await job.getState()).toBe('completed');
    expect(asked().filter((u) => u === DANA)).toHaveLength(2);
    // The review goes to the demand channel.
    const reviews = standin
      .messagesIn('C_DEMAND')
      .map((m) => JSON.stringify({ text: m.text, blocks: m.blocks ?? null }));
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toContain('2027-02 decided: Central, recorded by dana without a vote.');
    expect(reviews[0]).not.toContain(DANA);
  }, 30_000);
});

describe('a person Slack does not know', () => {
  it('posts the pack with the id at once, and logs why with its stack', async () => {
    await decide('2027-02', 'cautious', GONE, febDecision);
    const before = asked().length;
    const job = await runToEnd(h.queues, 'pack', { cycleId: cycles['2027-03']! }, 'posts');
    expect(await job.getState()).toBe('completed');
    // Asked once: user_not_found is Slack's answer at every try, so the job is not retried.
    expect(asked().slice(before)).toEqual([GONE]);
    const packs = postsIn('C_EXEC', 'S&OP 2027-03: executive pack');
    expect(packs).toHaveLength(1);
    expect(packs[0]).toContain(
      `2027-02 decided: Cautious (superseding its decision for Central), recorded by ${GONE} without a vote.`,
    );
    const warned = logs.lines.filter((l) => l.msg.startsWith('users.info failed'));
    expect(warned.map((l) => l.msg)).toEqual([
      'users.info failed (user_not_found); showing the user id',
    ]);
    expect(warned[0]?.level).toBe(40);
    expect(warned[0]?.err?.stack).toMatch(/\n\s+at /);
    // Logged by the job that posted the pack.
    expect(warned[0]?.job).toBe('pack');
  }, 30_000);
});

describe('a name Slack fails at every attempt', () => {
  it("posts the pack with the id on the job's last attempt, each failure logged once with its stack", async () => {
    await db
      .updateTable('cycles')
      .set({ phase: 'closed', closed_at: new Date('2027-03-26T10:00:00Z') })
      .where('id', '=', cycles['2027-03']!)
      .execute();
    await decide('2027-03', 'central', ERIN);
    await cycleWithRun('2027-04', 'executive');
    clock.set('2027-04-24T09:00:00Z');
    const before = asked().length;
    const linesBefore = logs.lines.length;
    // Slack's own failure, at both of the job's attempts: it may pass later, but not in time.
    standin.failNext('users.info', { error: 'fatal_error', times: 2, channel: ERIN });
    // A pack job of two attempts (the queues' default is five, over 15 s of backoff).
    const payload = parsePayload('pack', { cycleId: cycles['2027-04']! });
    const id = jobId('pack', payload);
    await h.queues
      .queue('posts')
      .add('pack', payload, { jobId: id, attempts: 2, backoff: { type: 'fixed', delay: 100 } });
    const job = await settledJob(h.queues, 'posts', id);
    // Before, the second attempt threw too: the job failed and no pack was ever posted.
    expect(await job.getState()).toBe('completed');
    // Two attempts made: the first failed, the second (the last) posted.
    expect(job.attemptsMade).toBe(2);
    expect(asked().slice(before)).toEqual([ERIN, ERIN]);
    const packs = postsIn('C_EXEC', 'S&OP 2027-04: executive pack');
    expect(packs).toHaveLength(1);
    expect(packs[0]).toContain('2027-03 decided: Central, recorded by U_ERIN without a vote.');
    // Two failures, two lines, each with fatal_error's stack: the first attempt's, logged by
    // the job that failed; the last attempt's, a warning saying the id was shown.
    const lines = logs.lines.slice(linesBefore) as (LogLine & { user?: string })[];
    const failed = lines.filter((l) => l.msg === 'job failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.job).toBe('pack');
    expect(failed[0]?.err?.message).toBe('An API error occurred: fatal_error');
    expect(failed[0]?.err?.stack).toMatch(/\n\s+at /);
    const warned = lines.filter((l) => l.msg.startsWith('users.info failed'));
    expect(warned.map((l) => [l.user, l.msg, l.level])).toEqual([
      [ERIN, 'users.info failed (fatal_error); showing the user id', 40],
    ]);
    expect(warned[0]?.err?.stack).toMatch(/\n\s+at /);
  }, 30_000);
});
