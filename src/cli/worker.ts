/** `sopbot worker`: process the queues until SIGTERM/SIGINT; several may run on several machines. */
import { loadConfig } from '../config.js';
import { startWorker } from '../worker.js';
import { parseCommand } from './command.js';
import { requireServices } from './services.js';
import type { CliIo } from './types.js';
import { untilSignal } from './until-signal.js';

const USAGE = `Usage: sopbot worker [--concurrency <n>] [--check]

Processes the planning, posts and notifications queues: plan recomputes, charts and posts,
reminders. Run as many as you like, on any machine that reaches Redis and Postgres; each job
runs once. Prometheus metrics on METRICS_PORT (/metrics; 0 = off). SIGTERM lets running
jobs finish. Needs SLACK_BOT_TOKEN, DATABASE_URL, REDIS_URL; SLACK_API_URL points the Web API
elsewhere (the local stand-in).

--check: a health check for a running worker (Docker's HEALTHCHECK): its metrics endpoint on
127.0.0.1:METRICS_PORT answers, and Postgres and Redis answer. Exits 0 when healthy; with
METRICS_PORT=0 the worker has no endpoint to ask, so the check fails and says so.`;

/** The running worker's metrics endpoint answers, and so do the services it needs. */
async function check(io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const problems: string[] = [];
  // With no metrics endpoint there is nothing to ask the running worker: not "healthy".
  if (config.METRICS_PORT === 0)
    problems.push(
      "METRICS_PORT=0: the worker's health cannot be checked; set METRICS_PORT to the running worker's metrics port (its default is 9464)",
    );
  else {
    const url = `http://127.0.0.1:${config.METRICS_PORT}/metrics`;
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) }).catch((e: unknown) => e);
    if (!(res instanceof Response) || !res.ok)
      problems.push(
        `no worker answers on ${url} (${res instanceof Response ? `HTTP ${res.status}` : String((res as Error).message ?? res)})`,
      );
  }
  try {
    await requireServices(config, ['postgres', 'redis']);
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  if (problems.length) {
    io.stderr(`sopbot worker --check: unhealthy: ${problems.join('\n')}\n`);
    return 1;
  }
  io.stdout('sopbot worker --check: healthy\n');
  return 0;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(
    argv,
    {
      concurrency: { type: 'string' },
      check: { type: 'boolean' },
    },
    USAGE,
    io,
  );
  if (!args) return 0;
  const { values } = args;
  if (values.check) return check(io);
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
