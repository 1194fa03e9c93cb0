/** `sopbot bot`: run the Slack app until SIGTERM/SIGINT. */
import { startBot } from '../bot.js';
import { loadConfig } from '../config.js';
import { parseCommand } from './command.js';
import type { CliIo } from './types.js';
import { untilSignal } from './until-signal.js';

const USAGE = `Usage: sopbot bot [--port <n>]

Runs the Slack app: HTTP on PORT (path /slack/events, health at /healthz), or Socket Mode
when SLACK_APP_TOKEN is set. SLACK_API_URL points the Web API elsewhere (the local stand-in).
Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN), DATABASE_URL, REDIS_URL.`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, { port: { type: 'string' } }, USAGE, io);
  if (!args) return 0;
  const { values } = args;
  const config = loadConfig(io.env, { slack: true });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    io.stderr(`sopbot bot: --port must be a port number (0-65535), got '${values.port}'\n`);
    return 2;
  }
  const bot = await startBot(config, port === undefined ? {} : { port });
  // Listen for the signal before saying so: a supervisor may stop us as soon as it reads it.
  const stopped = untilSignal('sopbot bot', io, () => bot.stop());
  io.stdout(
    `sopbot bot listening${bot.slack.port() ? ` on port ${bot.slack.port()}` : ' (Socket Mode)'}\n`,
  );
  await stopped;
  return 0;
}
