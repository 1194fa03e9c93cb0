import { loadConfig } from '../config.js';
import { demoServices } from '../demo/local-services.js';
import { runDemo } from '../demo/run.js';
import { parseCommand, valueFlags } from './command.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot demo [--out DIR] [--families N] [--keep-database]
Runs a whole S&OP cycle end to end on this machine (2027-01), then closes the loop: the
month's actuals, two more cycles (2027-02 and 2027-03) each opened by the review of the one
before, and one S&OE week between them. Against a local Slack stand-in, the real bot and
worker, a fresh database on DATABASE_URL's server (dropped afterwards unless --keep-database),
and Redis queues of its own. When DATABASE_URL does not answer it starts an embedded
PostgreSQL in a temporary folder; when REDIS_URL does not answer, a private redis-server from
the PATH; both are removed afterwards. Writes the conversation as Slack showed it
(index.html), the charts, the reviews' charts and each cycle's pack to DIR (default
demo-output).`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(
    argv,
    {
      ...valueFlags('out', 'families'),
      'keep-database': { type: 'boolean' },
    },
    USAGE,
    io,
  );
  if (!args) return 0;
  const { values } = args;
  const families = Number(values.families ?? 24);
  if (!Number.isInteger(families) || families < 5 || families > 500) {
    io.stderr(`--families: must be a whole number from 5 to 500\n\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(io.env);
  const log = (line: string) => io.stdout(`${line}\n`);
  // Ctrl-C: exit through process.exit, whose 'exit' hooks stop the private services.
  const interrupted = () => process.exit(130);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const services = await demoServices(config.DATABASE_URL, config.REDIS_URL, log);
  try {
    const result = await runDemo({
      databaseUrl: services.databaseUrl,
      redisUrl: services.redisUrl,
      outDir: values.out ?? 'demo-output',
      families,
      keepDatabase:
        (values['keep-database'] ?? false) && services.databaseUrl === config.DATABASE_URL,
      log,
    });
    return result.decision ? 0 : 1;
  } finally {
    await services.stop();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}
