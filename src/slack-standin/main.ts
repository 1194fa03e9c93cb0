/**
 * Runs the stand-in on its own, for the demo or by hand:
 *   npx tsx src/slack-standin/main.ts [--port 3901]
 * Then start the bot with SLACK_API_URL set to the printed API address.
 */
import { parseCliArgs } from '../cli/args.js';
import { startStandin } from './server.js';

const USAGE = 'usage: tsx src/slack-standin/main.ts [--port <n>] [--host <addr>]';

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseCliArgs(
    argv,
    { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
    USAGE,
  );
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be an integer from 0 to 65535, got '${values.port}'\n${USAGE}`);
  const standin = await startStandin({ port, host: values.host });
  process.stdout.write(
    `Slack stand-in listening\n  API:   ${standin.apiUrl}\n  state: ${standin.url}/_standin/state\n`,
  );
  const stop = () => {
    standin.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
