/**
 * The bot's Prometheus endpoint: the real bot over HTTP against the stand-in. Each slash
 * command's ack is timed, a listener that throws is counted (and still reaches the app's
 * error handler), an enqueue that fails is counted, and the process's own metrics (event-loop
 * delay, memory) are there.
 */
import type { App } from '@slack/bolt';
import { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues } from '../../jobs/queues.js';
import type { RunningBot } from '../../src/bot.js';
import { countingEnqueueFailures, Metrics, slackMetricsModule } from '../../src/metrics.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createDriver, type Driver, type Standin } from '../../src/slack-standin/index.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import { redisPrefix } from '../helpers/db.js';
import { scrapeMetrics } from '../helpers/metrics.js';

let running: TestBot;
let bot: RunningBot;
let standin: Standin;
let driver: Driver;

beforeAll(async () => {
  running = await startTestBot(
    'bot-metrics',
    { SLACK_SIGNING_SECRET: 'bot-metrics-secret' },
    { metricsPort: 0 },
  );
  ({ bot, standin } = running);
  driver = createDriver({
    botUrl: `http://127.0.0.1:${bot.slack.port()}/slack/events`,
    signingSecret: 'bot-metrics-secret',
    standin,
  });
});

afterAll(async () => {
  await running?.stop();
});

const scrape = () => scrapeMetrics(bot.metricsPort);

describe('bot metrics', () => {
  it('time the ack of each slash command', async () => {
    for (const text of ['help', 'status']) {
      const r = await driver.command('/sop', { user: 'U_ALICE', channel: 'C_GENERAL', text });
      expect(r.status).toBe(200);
    }
    const text = await scrape();
    expect(text).toContain('# TYPE sopbot_ack_seconds histogram');
    expect(text).toMatch(/^sopbot_ack_seconds_count\{kind="slash_command"\} 2$/m);
    expect(text).toMatch(/^sopbot_ack_seconds_bucket\{le="3",kind="slash_command"\} 2$/m);
  });

  it('include the process metrics: event-loop delay, memory, CPU', async () => {
    const text = await scrape();
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
  });
});

describe('a listener that throws', () => {
  it("is counted by kind of request, and still reaches the app's error handler", async () => {
    const metrics = new Metrics();
    const boom = {
      register(app: App) {
        app.command('/boom', async ({ ack }) => {
          await ack();
          throw new Error('boom');
        });
      },
    };
    const errors: string[] = [];
    const deps = { ...bot.deps, logger: recordingLogger(errors) };
    const app = createSlackApp(deps, {
      token: 'xoxb-bot-metrics',
      signingSecret: 'bot-metrics-secret',
      apiUrl: standin.apiUrl,
      botId: 'B_METRICS',
      botUserId: 'U_METRICS',
      port: 0,
      modules: [slackMetricsModule(metrics), boom],
    });
    await app.start();
    try {
      const boomDriver = createDriver({
        botUrl: `http://127.0.0.1:${app.port()}/slack/events`,
        signingSecret: 'bot-metrics-secret',
        standin,
      });
      const r = await boomDriver.command('/boom', { user: 'U_ALICE', channel: 'C_GENERAL' });
      expect(r.status).toBe(200);
      const text = await standin.waitFor(async () => {
        const body = await metrics.render();
        return /^sopbot_handler_errors_total\{kind="slash_command"\} 1$/m.test(body) ? body : null;
      }, 10_000);
      expect(text).toMatch(/^sopbot_ack_seconds_count\{kind="slash_command"\} 1$/m);
      await standin.waitFor(() => errors.includes('unhandled error in a handler'), 10_000);
    } finally {
      await app.stop();
    }
  });
});

/** A silent pino logger that records the messages of its error lines. */
function recordingLogger(errors: string[]): Logger {
  const logger = pino(
    { level: 'error' },
    {
      write: (line: string) => {
        errors.push((JSON.parse(line) as { msg: string }).msg);
      },
    },
  );
  return logger;
}

describe('enqueue failures', () => {
  it('are counted by job name, and the error still reaches the caller', async () => {
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queues = createQueues(redis, redisPrefix('enqueue-failures'));
    const metrics = new Metrics();
    const queue = countingEnqueueFailures(queues, metrics);
    try {
      await expect(
        queue.enqueue('plan', { cycleId: -1, runKey: '', trigger: 'test' }),
      ).rejects.toThrow(/invalid payload/);
      const text = await metrics.render();
      expect(text).toMatch(/^sopbot_enqueue_failures_total\{job="plan"\} 1$/m);
    } finally {
      await queues.close();
      redis.disconnect();
    }
  });
});
