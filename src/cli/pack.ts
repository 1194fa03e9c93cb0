/** `sopbot pack --cycle 2027-01 > pack.md`: the executive meeting pack as Markdown. */
import { atLocalHour, isDay } from '../core/calendar.js';
import { SopError, UsageError } from '../errors.js';
import { getLatestCycle, getOpenCycle } from '../services/cycles.js';
import { buildPack, packMarkdown, packPeople } from '../services/pack.js';
import { getSettings } from '../services/settings.js';
import { cycleFlag, parseCommand, valueFlags } from './command.js';
import { cliSlack, cliUserNames, withDb } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot pack [--cycle YYYY-MM] [--as-of YYYY-MM-DD]
Prints the executive meeting pack of a cycle (default: the open cycle) as Markdown.
--as-of: the day, in the company's time zone, actions are judged overdue against (default:
today). Reads DATABASE_URL.
People appear by display name (users.info; with SLACK_BOT_TOKEN unset, the names the bot
has already seen); with the token, an open action whose owner left the workspace is marked.`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, valueFlags('cycle', 'as-of'), USAGE, io);
  if (!args) return 0;
  const cycle = cycleFlag(args.values.cycle, USAGE);
  const asOf = args.values['as-of'];
  if (asOf !== undefined && !isDay(asOf))
    throw new UsageError(`--as-of: '${asOf}' is not a date; give a day as YYYY-MM-DD.`);
  return withDb(io, async (db) => {
    const month = cycle ?? (await getOpenCycle(db))?.month;
    if (!month) {
      // "Name one" only when there is one to name.
      const latest = await getLatestCycle(db);
      if (!latest)
        throw new SopError(
          'not_found',
          'There is no S&OP cycle yet, so there is no pack. A planner starts one with `/sop cycle start YYYY-MM`.',
        );
      throw new UsageError(
        `--cycle: no cycle is open; name one (the latest is ${latest.month}).\n\n${USAGE}`,
      );
    }
    // The day is the company's: noon there falls on it in every zone (12:00 UTC is already
    // the next day in Auckland).
    const now = asOf ? atLocalHour(asOf, 12, (await getSettings(db)).timezone) : new Date();
    // With a token, the open actions' owners who left are marked, as in the posted pack.
    const slack = cliSlack(io);
    const pack = await buildPack(db, month, now, slack ?? undefined);
    io.stdout(packMarkdown(pack, await cliUserNames(db, io, slack).names(packPeople(pack))));
    return 0;
  });
}
