/**
 * `sopbot explain FAM-3 2027-05 [--cycle 2027-01] [--format text|json]`: the same answers as
 * `/sop explain`, on the command line. JSON is the whole explanation, every figure of it.
 */
import { EXPLAIN_FORMS } from '../core/explain/grammar.js';
import { isPeriod } from '../core/period.js';
import { UsageError } from '../errors.js';
import { explainQuestion } from '../services/explain.js';
import { explainPlainText } from '../slack/presenters/explain.js';
import { parseCliArgs } from './args.js';
import { openDb } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot explain <question> [--cycle YYYY-MM] [--format text|json]
Where a figure comes from, as /sop explain answers it. Questions:
${EXPLAIN_FORMS.map((f) => `  ${f}`).join('\n')}
--cycle: the cycle to read (default: the open cycle, else the latest). Reads DATABASE_URL.`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(
    argv,
    {
      cycle: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`--format: must be text or json, got '${values.format}'\n\n${USAGE}`);
  if (values.cycle !== undefined && !isPeriod(values.cycle))
    throw new UsageError(`--cycle: must be a month as YYYY-MM, got '${values.cycle}'\n\n${USAGE}`);
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError(`Say what to explain.\n\n${USAGE}`);
  const db = openDb(io);
  try {
    const e = await explainQuestion(db, question, values.cycle ? { cycleMonth: values.cycle } : {});
    if (values.format === 'json') io.stdout(`${JSON.stringify(e, null, 2)}\n`);
    else io.stdout(explainPlainText(e));
    return e.kind === 'not_understood' ? 2 : 0;
  } finally {
    await db.destroy();
  }
}
