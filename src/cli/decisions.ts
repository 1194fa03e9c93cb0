/** `sopbot decisions [--cycle YYYY-MM] [--format md|csv]`: the decision log. */
import {
  decisionPeople,
  decisionsCsv,
  decisionsMarkdown,
  listDecisions,
} from '../services/decisions.js';
import { getSettings } from '../services/settings.js';
import { choiceFlag, cycleFlag, parseCommand, valueFlags } from './command.js';
import { cliUserNames, withDb } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot decisions [--cycle YYYY-MM] [--format md|csv]
Prints the decision log (every cycle, or one) with the follow-up actions, people by name
(the CSV keeps their ids too). Reads DATABASE_URL.`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, valueFlags('cycle', 'format'), USAGE, io);
  if (!args) return 0;
  const cycle = cycleFlag(args.values.cycle, USAGE);
  const format = choiceFlag('format', args.values.format ?? 'md', ['md', 'csv'], USAGE);
  return withDb(io, async (db) => {
    const entries = await listDecisions(db, cycle);
    const who = await cliUserNames(db, io).names(decisionPeople(entries));
    io.stdout(
      format === 'csv'
        ? decisionsCsv(entries, who)
        : decisionsMarkdown(
            entries,
            (await getSettings(db)).timezone,
            cycle ? `Decisions ${cycle}` : 'Decision log',
            who,
          ),
    );
    return 0;
  });
}
