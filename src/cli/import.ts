import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import type { Db } from '../../db/connect.js';
import { dbNow } from '../../db/queries/execution.js';
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { ImportError, type ImportResult, importCsv } from '../import/import-csv.js';
import { IMPORT_KINDS, type ImportKind, KIND_ALIASES, KIND_SPECS } from '../import/kinds.js';
import { getOpenCycle } from '../services/cycles.js';
import { requestExecutionChecks, weeklyImports } from '../services/execution.js';
import { changedImports, requestImportRecompute } from '../services/import-recompute.js';
import { parseCommand } from './command.js';
import { withDb } from './db.js';
import { type CliQueues, openQueues, withTimeout } from './queues.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot import <kind> <file.csv> [--actor NAME] [--no-recompute]
       sopbot import all <dir> [--actor NAME] [--no-recompute]
Kinds: ${IMPORT_KINDS.join(', ')} (see docs/data-format.md).
Each file is one transaction: a file with any bad row imports nothing.
'all' imports every kind's file found in <dir> (families.csv, resources.csv, ...), in order.
An import that changed any row then asks for one recompute of the open cycle's plan (through
REDIS_URL); --no-recompute skips that, e.g. for a bulk load in several steps.`;

/** How long Redis may take to answer before the import gives up asking for a recompute. */
const REDIS_TIMEOUT_MS = 5000;

function resolveKind(s: string): ImportKind {
  const k = s.toLowerCase();
  if ((IMPORT_KINDS as readonly string[]).includes(k)) return k as ImportKind;
  const alias = KIND_ALIASES[k];
  if (alias) return alias;
  throw new UsageError(
    `unknown kind '${s}'; expected one of ${IMPORT_KINDS.join(', ')}\n\n${USAGE}`,
  );
}

function line(r: ImportResult): string {
  return `${r.fileName}: ${r.kind}: ${r.rows} rows (${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged)\n`;
}

/**
 * After every file is committed: one recompute of the open cycle if any row changed. The
 * import stands whatever happens here, so a Redis failure is a warning, not a failed command.
 */
async function requestRecompute(
  db: Db,
  results: readonly ImportResult[],
  io: CliIo,
): Promise<void> {
  const changed = changedImports(results);
  if (changed.length === 0) {
    io.stdout('nothing changed: no recompute needed\n');
    return;
  }
  const cycle = await getOpenCycle(db);
  if (!cycle) {
    io.stdout('no open cycle: nothing to recompute\n');
    return;
  }
  await withCliQueues(
    io,
    async (queues) => {
      await requestImportRecompute(queues, cycle.id, changed);
      io.stdout(`recompute requested for cycle ${cycle.month} (reason: import)\n`);
    },
    'a recompute',
    'run `/sop plan` in Slack when Redis is up',
  );
}

/** Weekly actuals that changed: one S&OE check per week they touched. */
async function requestWeekChecks(
  db: Db,
  results: readonly ImportResult[],
  since: Date,
  io: CliIo,
): Promise<void> {
  if (weeklyImports(results).length === 0) return;
  await withCliQueues(
    io,
    async (queues) => {
      const weeks = await requestExecutionChecks(db, queues, results, since);
      if (weeks.length) io.stdout(`S&OE check requested for the weeks of ${weeks.join(', ')}\n`);
    },
    'the S&OE check',
    'import the file again when Redis is up',
  );
}

/**
 * Runs `fn` with the queues (REDIS_URL). The import stands whatever happens here, so a Redis
 * failure is a warning, not a failed command.
 */
async function withCliQueues(
  io: CliIo,
  fn: (queues: CliQueues['queues']) => Promise<void>,
  what: string,
  remedy: string,
): Promise<void> {
  let queues: CliQueues | null = null;
  try {
    queues = await openQueues(loadConfig(io.env), REDIS_TIMEOUT_MS);
    await withTimeout(
      fn(queues.queues),
      REDIS_TIMEOUT_MS,
      () => `no answer from Redis within ${REDIS_TIMEOUT_MS} ms`,
    );
  } catch (err) {
    io.stderr(
      `sopbot import: imported, but could not request ${what} (${(err as Error).message}); ${remedy}\n`,
    );
  } finally {
    // Closing only releases the connection; the outcome is already reported above.
    await queues?.close().catch(() => undefined);
  }
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(
    argv,
    {
      actor: { type: 'string' },
      'no-recompute': { type: 'boolean' },
    },
    USAGE,
    io,
  );
  if (!args) return 0;
  const { positionals, values } = args;
  const [kindArg, path] = positionals;
  if (!kindArg || !path) throw new UsageError(USAGE);
  const actor = values.actor ?? `cli:${userInfo().username}`;
  const files: { kind: ImportKind; file: string }[] =
    kindArg === 'all'
      ? IMPORT_KINDS.map((kind) => ({ kind, file: join(path, KIND_SPECS[kind].file) }))
      : [{ kind: resolveKind(kindArg), file: path }];
  const results: ImportResult[] = [];
  // A bad file stops `import all`, but the files before it are committed: their changes
  // still get a recompute, and the exit status still says something failed.
  let failed = false;
  return withDb(io, async (db) => {
    // Weekly rows this run changes have an updated_at from here on (the database's clock).
    const since = await dbNow(db);
    for (const { kind, file } of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if (kindArg === 'all' && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        io.stderr(`sopbot import: cannot read ${file}: ${(err as Error).message}\n`);
        failed = true;
        break;
      }
      try {
        const result = await importCsv(db, {
          kind,
          fileName: kindArg === 'all' ? basename(file) : file,
          text,
          actor,
        });
        results.push(result);
        io.stdout(line(result));
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        io.stderr(`${err.message}\n`);
        failed = true;
        break;
      }
    }
    if (failed && changedImports(results).length === 0) return 1;
    if (values['no-recompute']) io.stdout('no recompute requested (--no-recompute)\n');
    else await requestRecompute(db, results, io);
    await requestWeekChecks(db, results, since, io);
    return failed ? 1 : 0;
  });
}
