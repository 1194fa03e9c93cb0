import { loadConfig } from '../config.js';
import { runDemo } from '../demo/run.js';
import { parseCliArgs } from './args.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot demo [--out DIR] [--families N] [--keep-database]
Runs one whole S&OP cycle end to end on this machine: a local Slack stand-in, the real bot and
worker, a fresh database on DATABASE_URL's server (dropped afterwards unless --keep-database),
and Redis queues of its own. Writes the Slack transcript, the charts and the pack to DIR
(default demo-output).`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(
    argv,
    {
      out: { type: 'string' },
      families: { type: 'string' },
      'keep-database': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const families = Number(values.families ?? 24);
  if (!Number.isInteger(families) || families < 5 || families > 500) {
    io.stderr(`--families: must be a whole number from 5 to 500\n\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(io.env);
  const result = await runDemo({
    databaseUrl: config.DATABASE_URL,
    redisUrl: config.REDIS_URL,
    outDir: values.out ?? 'demo-output',
    families,
    keepDatabase: values['keep-database'] ?? false,
    log: (line) => io.stdout(`${line}\n`),
  });
  return result.decision ? 0 : 1;
}
