/** `sopbot pack --cycle 2027-01 > pack.md`: the executive meeting pack as Markdown. */
import { isPeriod } from '../core/period.js';
import { UsageError } from '../errors.js';
import { getOpenCycle } from '../services/cycles.js';
import { buildPack, packMarkdown, packPeople } from '../services/pack.js';
import { parseCliArgs } from './args.js';
import { cliUserNames, openDb } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot pack [--cycle YYYY-MM] [--as-of YYYY-MM-DD]
Prints the executive meeting pack of a cycle (default: the open cycle) as Markdown.
--as-of: the day actions are judged overdue against (default: today). Reads DATABASE_URL.
People appear by display name (users.info; with SLACK_BOT_TOKEN unset, the names the bot
has already seen).`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(
    argv,
    {
      cycle: { type: 'string' },
      'as-of': { type: 'string' },
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
  const asOf = values['as-of'];
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new UsageError(`--as-of: must be a day as YYYY-MM-DD, got '${asOf}'\n\n${USAGE}`);
  const now = asOf ? new Date(`${asOf}T12:00:00Z`) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--as-of: '${asOf}' is not a date`);
  const db = openDb(io);
  try {
    const month = values.cycle ?? (await getOpenCycle(db))?.month;
    if (!month) throw new UsageError(`--cycle: no cycle is open; name one.\n\n${USAGE}`);
    const pack = await buildPack(db, month, now);
    io.stdout(packMarkdown(pack, await cliUserNames(db, io).names(packPeople(pack))));
    return 0;
  } finally {
    await db.destroy();
  }
}
