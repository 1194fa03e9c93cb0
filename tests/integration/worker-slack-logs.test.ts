/**
 * What a worker process writes when one of its Slack calls fails: its Web API client logs
 * through the worker's JSON log (src/slack/slack-logger.ts), not as text on stdout or stderr,
 * and the failure is logged once, with its stack, by the job that met it; the client's own
 * warning about the same failure ("http request failed") is no second line. `sopbot worker`
 * as a child process, as it runs in production, against the stand-in holding the answer of
 * one post (`delayNext`: the post takes effect at once, its answer comes a minute later).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPrefix, useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import {
  firstFailure,
  packPostHeld,
  type WorkerProcesses,
  workerProcesses,
} from './jobs-fixture.js';

const t = useDb();
const standin = useStandin();
let pool: WorkerProcesses;

beforeAll(() => {
  pool = workerProcesses({
    dbUrl: t.url,
    prefix: redisPrefix('slack-logs'),
    apiUrl: standin.apiUrl,
    env: { SOPBOT_SLACK_TIMEOUT_MS: '1000' },
  });
});

afterAll(async () => {
  await pool?.stop();
});

describe("a worker's Slack call that fails", () => {
  it('is logged once, as JSON with its stack, and nothing of it is written as text', async () => {
    const worker = await pool.spawn();
    const { cycleId, id } = await packPostHeld(t.db, standin);
    await pool.queues.enqueue('pack', { cycleId });
    await firstFailure(async () => (await pool.queues.queue('posts').getJob(id))!, 30_000);
    // The failure's lines are written as it happens; give the pipe a moment.
    await new Promise((r) => setTimeout(r, 300));

    const errors = worker.logs.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'job failed', job: 'pack', attempt: 1 });
    const err = errors[0]!.err as { message?: string; stack?: string };
    expect(err.message).toMatch(/aborted|timeout/i);
    expect(err.stack).toMatch(/\n\s+at /);
    // The client's warning about the same failure is not a second line at warn.
    expect(worker.logs.filter((l) => l.msg === 'http request failed')).toEqual([]);
    expect(worker.logs.filter((l) => l.src === 'web-api' && Number(l.level) >= 40)).toEqual([]);
    // Only the start notice is text: nothing from the Slack client outside the JSON log.
    expect(worker.unstructured).toEqual(['sopbot worker started']);
  }, 60_000);
});
