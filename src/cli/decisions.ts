/** `sopbot decisions [--cycle YYYY-MM] [--format md|csv]`: the decision log. */
import { isPeriod } from '../core/period.js';
import { UsageError } from '../errors.js';
import { decisionsCsv, decisionsMarkdown, listDecisions } from '../services/decisions.js';
import { parseCliArgs } from './args.js';
import { cliUserNames, openDb } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot decisions [--cycle YYYY-MM] [--format md|csv]
Prints the decision log (every cycle, or one) with the follow-up actions, people by name
(the CSV keeps their ids too). Reads DATABASE_URL.`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(
    argv,
    {
      cycle: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (values.cycle !== undefined && !isPeriod(values.cycle))
    throw new UsageError(`--cycle: must be a month as YYYY-MM, got '${values.cycle}'\n\n${USAGE}`);
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'csv')
    throw new UsageError(`--format: must be md or csv, got '${format}'\n\n${USAGE}`);
  const db = openDb(io);
  try {
    const entries = await listDecisions(db, values.cycle);
    const who = await cliUserNames(db, io).names(
      entries.flatMap((e) => [e.decidedBy, ...e.actions.map((a) => a.owner)]),
    );
    io.stdout(
      format === 'csv'
        ? decisionsCsv(entries, who)
        : decisionsMarkdown(
            entries,
            values.cycle ? `Decisions ${values.cycle}` : 'Decision log',
            who,
          ),
    );
    return 0;
  } finally {
    await db.destroy();
  }
}
