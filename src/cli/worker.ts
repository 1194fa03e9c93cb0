/** `sopbot worker`: process the queues until SIGTERM/SIGINT; several may run on several machines. */
import { loadConfig } from '../config.js';
import { startWorker } from '../worker.js';
import { parseCliArgs } from './args.js';
import type { CliIo } from './types.js';
import { untilSignal } from './until-signal.js';

const USAGE = `Usage: sopbot worker [--concurrency <n>]

Processes the planning, posts and notifications queues: plan recomputes, charts and posts,
reminders. Run as many as you like, on any machine that reaches Redis and Postgres; each job
runs once. Prometheus metrics on METRICS_PORT (/metrics; 0 = off). SIGTERM lets running
jobs finish. Needs SLACK_BOT_TOKEN, DATABASE_URL, REDIS_URL; SLACK_API_URL points the Web API
elsewhere (the local stand-in).`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(
    argv,
    { concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)
  ) {
    io.stderr(
      `sopbot worker: --concurrency must be a whole number from 1 to 64, got '${values.concurrency}'\n`,
    );
    return 2;
  }
  const config = loadConfig(io.env);
  if (!config.SLACK_BOT_TOKEN) {
    io.stderr(
      'sopbot worker: SLACK_BOT_TOKEN is required (the bot token, xoxb-...). See .env.example.\n',
    );
    return 2;
  }
  const worker = await startWorker(config, concurrency === undefined ? {} : { concurrency });
  // Listen for the signal before saying so: a supervisor may stop us as soon as it reads it.
  const stopped = untilSignal('sopbot worker', io, () => worker.stop());
  io.stdout(
    `sopbot worker started${worker.metricsPort ? ` (metrics on port ${worker.metricsPort})` : ''}\n`,
  );
  await stopped;
  return 0;
}
