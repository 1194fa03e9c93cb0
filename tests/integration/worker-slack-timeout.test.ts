/**
 * A Slack call that never answers must not hold its job: the worker's client gives up after
 * SOPBOT_SLACK_TIMEOUT_MS (here 1 s) and the job is retried. The post whose answer was lost
 * did reach Slack (the stand-in's `delayNext` takes the call at once and holds its answer),
 * so the retry must find it through the post ledger and not post it again.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { STALE_CLAIM_MS } from '../../src/slack/post-ledger.js';
import { startStandin } from '../../src/slack-standin/index.js';
import { startWorker } from '../../src/worker.js';
import { redisPrefix, useDb } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';
import {
  completion,
  emptyQueues,
  firstFailure,
  packPostHeld,
  until,
  workerEnv,
} from './jobs-fixture.js';

const t = useDb();
const standin = useFixture(
  () => startStandin(),
  (s) => s.close(),
);
const worker = useFixture(
  async () =>
    startWorker(
      loadConfig({
        ...workerEnv({
          dbUrl: t.url,
          prefix: redisPrefix('slack-timeout'),
          apiUrl: standin.apiUrl,
        }),
        SOPBOT_SLACK_TIMEOUT_MS: '1000',
      }),
      { metricsPort: null },
    ),
  async (w) => {
    await emptyQueues(w.queues);
    await w.stop();
  },
);

describe('a Slack call that never answers, in the worker', () => {
  it('fails after the timeout, and the retry finds the post in the channel instead of posting it twice', async () => {
    const db = t.db;
    // Slack takes the pack's post but its answer never comes back within the test (a minute).
    const { cycleId, id } = await packPostHeld(db, standin);
    await worker.queues.enqueue('pack', { cycleId });
    const job = async () => (await worker.queues.queue('posts').getJob(id))!;

    // With a 1 s timeout the first attempt fails within a few seconds; without one it would
    // wait the whole minute for the answer.
    const first = await firstFailure(job, 10_000);
    expect(first.failedReason).toMatch(/aborted|timeout/i);
    // The post did reach Slack, once; the ledger has the claim but no ts (the answer was lost).
    expect(standin.messagesIn('C_EXEC')).toHaveLength(1);
    const posted = standin.messagesIn('C_EXEC')[0]!;
    const key = `pack:${cycleId}`;
    const claim = await db
      .selectFrom('slack_posts')
      .select(['ts'])
      .where('post_key', '=', key)
      .executeTakeFirstOrThrow();
    expect(claim.ts).toBeNull();

    // The retry (1 s of backoff) meets the fresh claim, posts nothing and is delayed without
    // using an attempt: it cannot know yet whether the post went through.
    const firstRun = first.processedOn ?? 0;
    await until(
      'the retry to be delayed',
      async () => {
        const j = await job();
        return (j.processedOn ?? 0) > firstRun && (await j.getState()) === 'delayed' ? j : null;
      },
      10_000,
    );
    expect((await job()).attemptsMade).toBe(1);
    expect(standin.callsTo('chat.postMessage')).toHaveLength(1);

    // A minute passes: the claim is stale. The retry reads the channel's history, finds the
    // message by its key and records it; it sends nothing.
    await db
      .updateTable('slack_posts')
      .set({
        created_at: sql`now() - make_interval(secs => ${(2 * STALE_CLAIM_MS) / 1000})`,
        updated_at: sql`now() - make_interval(secs => ${(2 * STALE_CLAIM_MS) / 1000})`,
      })
      .where('post_key', '=', key)
      .execute();
    await (await job()).promote();
    const done = await completion(job, 10_000);
    expect(done.returnvalue).toEqual({ posted: false });
    expect(standin.messagesIn('C_EXEC')).toHaveLength(1);
    expect(standin.callsTo('chat.postMessage')).toHaveLength(1);
    const recorded = await db
      .selectFrom('slack_posts')
      .select(['ts'])
      .where('post_key', '=', key)
      .executeTakeFirstOrThrow();
    expect(recorded.ts).toBe(posted.ts);
  }, 40_000);
});
