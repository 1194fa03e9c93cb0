/** `sopbot pack --cycle 2027-01 > pack.md`: the executive meeting pack as Markdown. */
import { isPeriod } from '../core/period.js';
import { UsageError } from '../errors.js';
import { getOpenCycle } from '../services/cycles.js';
import { buildPack, packMarkdown } from '../services/pack.js';
import { parseCliArgs } from './args.js';
import { openDb } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot pack [--cycle YYYY-MM]
Prints the executive meeting pack of a cycle (default: the open cycle) as Markdown.
Reads DATABASE_URL.`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(
    argv,
    { cycle: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (values.cycle !== undefined && !isPeriod(values.cycle))
    throw new UsageError(`--cycle: must be a month as YYYY-MM, got '${values.cycle}'\n\n${USAGE}`);
  const db = openDb(io);
  try {
    const month = values.cycle ?? (await getOpenCycle(db))?.month;
    if (!month) throw new UsageError(`--cycle: no cycle is open; name one.\n\n${USAGE}`);
    io.stdout(packMarkdown(await buildPack(db, month, new Date())));
    return 0;
  } finally {
    await db.destroy();
  }
}
