/**
 * Chaos: the chair records a decision with three follow-up actions while Redis is down. The
 * modal is answered within Slack's 3 s (nothing before the ack waits on the queue); the
 * decision, its actions, its `decision-publish` and the actions' reminders are saved in one
 * transaction; once Redis is back the bot's relay hands them over with nobody acting, and a
 * worker posts the decision log and DMs the owner. The Redis here is the test's own
 * (tests/helpers/redis-server.ts); the shared one is never touched.
 */
import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import { startRuntime } from '../../jobs/runtime.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';
import { startPrivateRedis } from '../helpers/redis-server.js';
import { insertFamilies, insertRun, pollUntil, SCENARIOS, testClock } from './meeting-fixture.js';

const CHAIR = 'U_PLAN';
const OPS = 'U_OPS';
const clock = testClock('2027-03-15T10:00:00Z');
let ids: Record<string, string> = {};

const redis = useFixture(startPrivateRedis, (r) => r.stop());
const running = useHttpTestBot('decision-outage', {
  standin: {
    postMessageRate: false,
    users: [CHAIR, OPS].map((id) => ({ id, name: id.toLowerCase(), real_name: id, tz: 'UTC' })),
  },
  env: () => ({
    REDIS_URL: redis.url,
    SOPBOT_RECOMPUTE_CRON: 'off',
    SOPBOT_DIGEST_CRON: 'off',
    SOPBOT_CHART_WARMUP_ROUNDS: '0',
  }),
  clock,
  seed: async (t) => {
    await insertMembers(t.db, { [CHAIR]: 'planner', [OPS]: 'ops' });
    const fam = await insertFamilies(t.db);
    await t.db
      .insertInto('workspace_settings')
      .values({ team_id: 'default', exec_channel: 'C_EXEC' })
      .execute();
    const cycleId = await insertCycle(t.db, { month: '2027-03', phase: 'executive' });
    ids = (
      await insertRun(t.db, {
        cycleId,
        runKey: 'outage-run',
        periods: ['2027-03', '2027-04'],
        demand: { [fam.fam1]: 100 },
        price: { [fam.fam1]: 900 },
        resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
        scenarios: SCENARIOS,
      })
    ).ids;
  },
});

const waiting = () =>
  running.t.db
    .selectFrom('job_outbox')
    .select(['job_name'])
    .where('delivered_at', 'is', null)
    .orderBy('id')
    .execute();

describe('the decision modal with Redis down', () => {
  it('acks within 3 s with three actions; the log and the DMs are posted once Redis is back', async () => {
    const { driver, standin, t } = running;
    await driver.command('/sop', { user: CHAIR, channel: 'C_EXEC', text: 'vote 24' });
    const poll = (await pollUntil(
      () => t.db.selectFrom('polls').selectAll().executeTakeFirst(),
      (p) => p?.message_ts != null,
    ))!;
    await pollUntil(waiting, (rows) => rows.length === 0);

    await redis.stop();
    await driver.clickButton('C_EXEC', poll.message_ts!, 'vote_close', { user: CHAIR });
    const modal = await standin.waitFor(() => {
      const v = standin.openViews(CHAIR).at(-1);
      return v?.definition.callback_id === 'decision_submit' ? v : undefined;
    }, 10_000);
    const values: Record<string, unknown> = {
      scenario: { pick: ids.central! },
      rationale: { text: 'Central: service first.' },
    };
    for (const i of [1, 2, 3])
      Object.assign(values, {
        [`a${i}_owner`]: { owner: OPS },
        [`a${i}_due`]: { due: '2027-04-28' },
        [`a${i}_desc`]: { desc: `Task ${i}` },
      });
    const submitted = await driver.submitView(modal.id, {
      user: CHAIR,
      values: values as never,
    });
    expect(submitted.status).toBe(200);
    expect(submitted.ackMs).toBeLessThan(3000);

    expect(await t.db.selectFrom('actions').select('description').orderBy('id').execute()).toEqual([
      { description: 'Task 1' },
      { description: 'Task 2' },
      { description: 'Task 3' },
    ]);
    // Saved with it: one decision-publish, and per action (due Wednesday 2027-04-28, decided on
    // 2027-03-15) the reminder 2 days before, the one on the day and the first overdue one:
    // 1 + 3 × 3 = 10 requests waiting.
    const owed = await waiting();
    expect(owed.map((r) => r.job_name)).toEqual([
      'decision-publish',
      ...Array<string>(9).fill('action-reminder'),
    ]);
    expect(standin.threadReplies('C_EXEC', poll.message_ts!)).toEqual([]);
    expect(standin.messagesIn(`D_${OPS}`)).toEqual([]);

    // Redis comes back: the bot's relay delivers the ten with nobody acting.
    await redis.start();
    await standin.waitFor(async () => (await waiting()).length === 0 || undefined, 30_000);

    const conn = createRedis(redis.url);
    const queues = createQueues(conn, running.prefix);
    const workerConn = createRedis(redis.url, 'worker');
    const worker = startRuntime(
      {
        db: t.db,
        queue: queues,
        slack: new WebClient(running.env.SLACK_BOT_TOKEN, {
          slackApiUrl: standin.apiUrl,
          rejectRateLimitedCalls: true,
          retryConfig: { retries: 0 },
        }),
        config: running.config,
        logger: createLogger('silent', 'decision-outage-worker'),
        clock,
        connection: workerConn,
        prefix: running.prefix,
      },
      { queues: ['posts'] },
    );
    try {
      const log = await standin.waitFor(
        () =>
          standin
            .threadReplies('C_EXEC', poll.message_ts!)
            .find((m) => m.text.includes('Central: service first.')),
        20_000,
      );
      expect(log.text).toContain('Central adopted');
      await standin.waitFor(() => standin.messagesIn(`D_${OPS}`).length === 3 || undefined, 20_000);
      expect(standin.messagesIn(`D_${OPS}`).map((m) => m.text)).toEqual(
        [1, 2, 3].map(
          (n) =>
            `:memo: You own a follow-up action from the executive S&OP meeting: #${n} Task ${n} (due 2027-04-28)`,
        ),
      );
      // The reminders wait in the notifications queue for their day.
      const reminders = await queues.queue('notifications').getJobs(['delayed']);
      expect(reminders.filter((j) => j.name === 'action-reminder')).toHaveLength(9);
    } finally {
      await worker.close();
      await Promise.all(
        ['planning', 'posts', 'notifications'].map((q) =>
          queues.queue(q as 'posts').obliterate({ force: true }),
        ),
      );
      await queues.close();
      conn.disconnect();
      workerConn.disconnect();
    }
  });
});
