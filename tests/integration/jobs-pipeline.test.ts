/**
 * The planning pipeline in process, against real Postgres, Redis and the Slack stand-in:
 * a burst of submissions makes one recompute, one plan run and one set of charts; the
 * charts are PNGs that decode; a 429 is waited out by delaying the job, and each post
 * happens once.
 */
import { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addMonths, type Period } from '../../src/core/period.js';
import { generateCompany } from '../../src/seed/company.js';
import { type RunningWorker, startWorker } from '../../src/worker.js';
import { redisPrefix, useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import { addAdjustments, CHANNELS, setUpCycle, workerEnv } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin();
let worker: RunningWorker;
let cycleId: number;
let month: string;

const company = generateCompany({ families: 6, months: 36, resources: 3, seed: 7 });

beforeAll(async () => {
  ({ cycleId, month } = await setUpCycle(t.db, company, { horizon: 6 }));
  await addAdjustments(t.db, cycleId, month, [
    { family: 'FAM-2', pct: 25 },
    { family: 'FAM-4', pct: -30 },
  ]);
  const config = loadConfig(
    workerEnv({ dbUrl: t.url, prefix: redisPrefix('pipeline'), apiUrl: standin.apiUrl }),
  );
  worker = await startWorker(config, { metricsPort: null });
});

afterAll(async () => {
  await worker?.stop();
});

/** The files shared in `channel`, each a reply in the cycle's plans thread there. */
const fileShares = (channel: string) => {
  const top = standin.messagesIn(channel);
  const threads = new Set(top.map((m) => m.ts));
  const shared = standin.files.filter((f) => f.channels.includes(channel));
  for (const f of shared)
    expect(f.shares.every((s) => s.thread_ts !== undefined && threads.has(s.thread_ts))).toBe(true);
  return shared;
};

/** Waits until no post-charts job is waiting, delayed or running: the files are shared and recorded. */
async function chartsSettled(): Promise<void> {
  const posts = worker.queues.queue('posts');
  await standin.waitFor(async () => {
    const jobs = await posts.getJobs(['active', 'waiting', 'delayed']);
    return jobs.some((j) => j.name === 'post-charts') ? undefined : true;
  }, 60_000);
}

async function jobsNamed(name: string): Promise<Job[]> {
  const out: Job[] = [];
  for (const q of ['planning', 'posts'] as const) {
    const jobs = await worker.queues
      .queue(q)
      .getJobs(['completed', 'failed', 'active', 'waiting', 'delayed']);
    out.push(...jobs.filter((j) => j.name === name));
  }
  return out;
}

describe('a burst of 50 submissions', () => {
  it('makes one recompute, one plan run and one set of charts', async () => {
    for (let i = 0; i < 50; i++)
      await worker.queues.enqueue(
        'recompute',
        { cycleId, reason: 'submission', requestedBy: 'U_BOB' },
        { debounceMs: 2000 },
      );
    // gap → supply, scenarios and cash → exec, one family chart per adjusted family → demand.
    await standin.waitFor(() => standin.files.length >= 5, 60_000);
    // The chart job records each share after its file shows; waited for, then a little
    // longer, for anything posted twice to show.
    await chartsSettled();
    await new Promise((r) => setTimeout(r, 1500));
    const runs = await t.db.selectFrom('plan_runs').selectAll().execute();
    expect(runs).toHaveLength(1);
    expect(await jobsNamed('recompute')).toHaveLength(1);
    expect(fileShares(CHANNELS.supply)).toHaveLength(1);
    expect(fileShares(CHANNELS.exec)).toHaveLength(2);
    expect(fileShares(CHANNELS.demand)).toHaveLength(2);
    expect(standin.files).toHaveLength(5);
    // Each channel sees one message, the cycle's plans thread: the charts are its replies.
    for (const channel of Object.values(CHANNELS))
      expect(standin.messagesIn(channel).map((m) => m.text.split('\n')[0])).toEqual([
        `*Plans for S&OP ${month}*`,
      ]);
    const ledger = await t.db.selectFrom('slack_posts').selectAll().execute();
    expect(
      ledger
        .map((r) => r.post_key)
        .filter((k) => k.startsWith('run:'))
        .sort(),
    ).toEqual(
      [
        `run:${runs[0]?.id}:family:FAM-2`,
        `run:${runs[0]?.id}:family:FAM-4`,
        `run:${runs[0]?.id}:gap`,
        `run:${runs[0]?.id}:scenarios`,
        `run:${runs[0]?.id}:cash`,
        `run:${runs[0]?.id}:headline`,
      ].sort(),
    );
    expect(
      ledger
        .filter((r) => r.post_key.startsWith('run:') && !r.post_key.endsWith(':headline'))
        .every((r) => r.ts !== null && r.file_id !== null),
    ).toBe(true);
  });

  it('uploads PNGs that decode, with alt text and a summary', async () => {
    for (const f of standin.files) {
      expect(f.name).toMatch(/\.png$/);
      const bytes = f.bytes ?? Buffer.alloc(0);
      expect(bytes.length).toBeGreaterThan(5_000);
      expect(bytes.length).toBeLessThan(1_000_000);
      const png = PNG.sync.read(bytes);
      expect(png.width).toBeGreaterThanOrEqual(400);
      expect(png.height).toBeGreaterThanOrEqual(200);
      expect(f.initial_comment ?? '').not.toBe('');
    }
    const altTexts = standin
      .callsTo('files.getUploadURLExternal')
      .map((c) => String(c.args.alt_text ?? ''));
    expect(altTexts.every((a) => a.length > 20)).toBe(true);
  });
});

describe('a Slack 429', () => {
  it('delays the job by Retry-After and posts once', async () => {
    standin.reset();
    // The stand-in forgot what its channels show, so the ledger's record of which charts are
    // already there goes too (otherwise the unchanged charts would rightly not be re-posted).
    await t.db.deleteFrom('chart_fingerprints').execute();
    // New inputs, so the recompute makes a new run (equal inputs would reuse the last one).
    await addAdjustments(t.db, cycleId, month, [{ family: 'FAM-2', pct: 10 }]);
    standin.failNext('files.getUploadURLExternal', { status: 429, retryAfter: 1 });
    const before = await t.db.selectFrom('plan_runs').select('id').execute();
    await worker.queues.enqueue('recompute', {
      cycleId,
      reason: 'command',
      requestedBy: 'U_ALICE',
      requestKey: 'test-429',
    });
    const started = Date.now();
    await standin.waitFor(() => standin.files.length >= 5, 60_000);
    await chartsSettled();
    await new Promise((r) => setTimeout(r, 1000));
    const limited = standin.callsTo('files.getUploadURLExternal').filter((c) => c.status === 429);
    expect(limited).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(standin.files).toHaveLength(5);
    const after = await t.db.selectFrom('plan_runs').select('id').execute();
    expect(after.length).toBe(before.length + 1);
    const known = new Set(before.map((r) => r.id));
    const newRun = after.find((r) => !known.has(r.id))?.id;
    const charts = (await jobsNamed('post-charts')).filter((j) => j.returnvalue?.runId === newRun);
    expect(charts).toHaveLength(1);
    expect(charts[0]?.returnvalue?.posted).toBe(5);
    // Delayed, not failed: no failure was recorded on the job.
    expect(charts[0]?.stacktrace ?? []).toHaveLength(0);
    expect(charts[0]?.failedReason ?? null).toBeNull();
  });

  it('waits out a 429 on chat.postMessage in a thread reply, and posts the headline once', async () => {
    standin.reset();
    const client = new WebClient('xoxb-test', { slackApiUrl: standin.apiUrl });
    const root = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'Planning…' });
    standin.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await worker.queues.enqueue('recompute', {
      cycleId,
      reason: 'command',
      requestedBy: 'U_ALICE',
      requestKey: 'test-429-thread-2',
      replyTo: { channel: 'C_GENERAL', threadTs: root.ts ?? '' },
    });
    await standin.waitFor(
      () => standin.threadReplies('C_GENERAL', root.ts ?? '').length >= 6,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const replies = standin.threadReplies('C_GENERAL', root.ts ?? '');
    const headlines = replies.filter((m) => /Plan run \d+ .*is ready/.test(m.text ?? ''));
    expect(headlines).toHaveLength(1);
    // Its margin and cash generated are totals over the run's six months, which it names, working
    // capital a month-end; and what its cash counts of the invoices open when it began.
    expect(headlines[0]?.text).toContain(
      `Money over ${month}–${addMonths(month as Period, 5)} (6 months): margin and cash generated are totals for the period, working capital its highest month-end; `,
    );
    expect(headlines[0]?.text).toMatch(
      /month-end; (?:cash counts collecting the \$[\d.]+[kMB]? customers owed for the plan's families' sales and paying an estimated \$[\d.]+[kMB]? of bills for their production before \d{4}-\d{2} \(their sales then at unit cost: no production actuals then\)|invoices and bills open before \d{4}-\d{2} are left out of the cash)\._/,
    );
    expect(replies.filter((m) => (m.files ?? []).length > 0)).toHaveLength(5);
    expect(standin.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
  });
});
