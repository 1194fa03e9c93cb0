/**
 * `sopbot explain FAM-3 2027-05 [--cycle 2027-01] [--format text|json]`: the same answers as
 * `/sop explain`, on the command line. JSON is the whole explanation, every figure of it.
 */
import { EXPLAIN_FORMS } from '../core/explain/grammar.js';
import { UsageError } from '../errors.js';
import { explainQuestion } from '../services/explain.js';
import { explainPlainText } from '../slack/presenters/explain.js';
import { choiceFlag, cycleFlag, parseCommand } from './command.js';
import { withDb } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot explain <question> [--cycle YYYY-MM] [--format text|json]
Where a figure comes from, as /sop explain answers it. Questions:
${EXPLAIN_FORMS.map((f) => `  ${f}`).join('\n')}
--cycle: the cycle to read (default: the open cycle, else the latest). Reads DATABASE_URL.`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(
    argv,
    { cycle: { type: 'string' }, format: { type: 'string', default: 'text' } },
    USAGE,
    io,
  );
  if (!args) return 0;
  const format = choiceFlag('format', args.values.format, ['text', 'json'], USAGE);
  const cycle = cycleFlag(args.values.cycle, USAGE);
  const question = args.positionals.join(' ').trim();
  if (!question) throw new UsageError(`Say what to explain.\n\n${USAGE}`);
  return withDb(io, async (db) => {
    const e = await explainQuestion(db, question, cycle ? { cycleMonth: cycle } : {});
    if (format === 'json') io.stdout(`${JSON.stringify(e, null, 2)}\n`);
    else io.stdout(explainPlainText(e));
    return e.kind === 'not_understood' ? 2 : 0;
  });
}
