import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { type Db, dbAnswers } from '../../db/connect.js';
import { dbNow } from '../../db/queries/execution.js';
import { undelivered } from '../../db/queries/outbox.js';
import { loadConfig } from '../config.js';
import { UsageError, ValidationError } from '../errors.js';
import {
  ImportError,
  ImportFilesError,
  type ImportRequest,
  type ImportResult,
  importFilesOwing,
} from '../import/import-csv.js';
import { IMPORT_KINDS, type ImportKind, KIND_ALIASES, KIND_SPECS } from '../import/kinds.js';
import { getOpenCycle } from '../services/cycles.js';
import { recordExecutionChecks } from '../services/execution.js';
import {
  changedImports,
  onlyProduction,
  recordImportRecompute,
  recordProductionRecompute,
} from '../services/import-recompute.js';
import { deliverJobs } from '../services/outbox.js';
import { parseCommand } from './command.js';
import { withDb } from './db.js';
import { progressLines } from './progress.js';
import { type CliQueues, openQueues } from './queues.js';
import { megabytes, streamTextFile } from './text-file.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot import <kind> <file.csv> [--actor NAME] [--no-recompute]
       sopbot import all <dir> [--actor NAME] [--no-recompute]
Kinds: ${IMPORT_KINDS.join(', ')} (see docs/data-format.md).
A file with any bad row imports nothing.
'all' imports every kind's file found in <dir> (families.csv, resources.csv, ...), in order,
in one transaction: one bad file and nothing from the folder is imported.
A holidays file adds and renames the company's holidays; it removes none it leaves out.
An import that changed an input of the plan (not holidays; of the actuals, only production
the plan's bills read) then asks for one recompute of the open cycle's plan (recorded in Postgres, then handed to REDIS_URL; if Redis
is down, a running bot or worker hands it over once Redis is back); --no-recompute skips
that, e.g. for a bulk load in several steps.`;

/**
 * The biggest file an import reads. Its rows are streamed and written in batches, but each
 * key it has read is kept to refuse a repeated one, and its writes are one transaction:
 * 100 MB is about 4 million rows of sales (bench/README.md, "Big imports").
 */
export const MAX_IMPORT_BYTES = 100_000_000;

/** Why a file over MAX_IMPORT_BYTES is refused, and what to do. */
function tooBig(file: string, bytes: number): string {
  return (
    `${file} is ${megabytes(bytes)}; an import reads files of up to ${megabytes(MAX_IMPORT_BYTES)} ` +
    '(about 4 million rows of sales). If it has a row per SKU or customer, sum them to one row ' +
    'per family and month (or week) first; otherwise split it into files under that size (by ' +
    'year, or by family) and import them one after another'
  );
}

/** A count with thousands separated: 1,200,000. */
const count = (n: number) => n.toLocaleString('en-US');

/** How long Redis may take to answer before the import leaves its jobs to the outbox relay. */
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

/** The warnings of an import that stood, for stderr; '' when it has none. */
function warningLines(r: ImportResult): string {
  const n = r.warnings.length;
  if (n === 0) return '';
  const more = r.warningsTruncated ? '\n(more warnings not shown)' : '';
  return `${r.fileName}: imported, with ${n}${r.warningsTruncated ? '+' : ''} warning${n === 1 ? '' : 's'}:\n${r.warnings.join('\n')}${more}\n`;
}

/** A job the import owes, recorded in the outbox: what to say once it is handed over. */
interface Owed {
  readonly ids: readonly string[];
  /** stdout once every id is with the queue. */
  readonly requested: string;
  /** What waits, for the warning when some are not ("the recompute of cycle 2026-12"). */
  readonly what: string;
}

/** What an import owes, recorded with its files, and why no recompute is owed when none is. */
interface OwedJobs {
  readonly owed: Owed[];
  /** Printed once the files are committed: why no recompute was requested, if none was. */
  readonly note: string | null;
}

/**
 * The jobs the import owes, recorded in `trx`, the transaction its files are written in, so the
 * files never commit without them: one recompute of the open cycle if a plan input changed
 * (unless --no-recompute), and one S&OE check per week of weekly actuals it changed. Production
 * actuals alone ask it only when the rows they changed bear on the plan's bills, debounced per
 * cycle (`debounceMs`, SOPBOT_RECOMPUTE_DEBOUNCE_MS) so a burst of them is one recompute.
 */
async function recordOwed(
  trx: Db,
  results: readonly ImportResult[],
  since: Date,
  noRecompute: boolean,
  debounceMs: number,
): Promise<OwedJobs> {
  const changed = changedImports(results);
  const cycle = changed.length > 0 && !noRecompute ? await getOpenCycle(trx) : null;
  const calendar = await holidayNotes(trx, results);
  let note = noRecompute
    ? 'no recompute requested (--no-recompute)\n'
    : changed.length === 0
      ? notPlanNote(results)
      : !cycle
        ? 'no open cycle: nothing to recompute\n'
        : null;
  const owed: Owed[] = [];
  const requested = (cycleMonth: string) =>
    `recompute requested for cycle ${cycleMonth} (reason: import)\n`;
  if (cycle && onlyProduction(changed)) {
    const production = await recordProductionRecompute(trx, cycle, since, debounceMs);
    if (production.id)
      owed.push({
        ids: [production.id],
        requested: `${production.said}: ${requested(cycle.month)}`,
        what: `the recompute of cycle ${cycle.month}`,
      });
    else note = `${production.said}: no recompute needed\n`;
  } else if (cycle)
    owed.push({
      ids: [await recordImportRecompute(trx, cycle.id, changed)],
      requested: requested(cycle.month),
      what: `the recompute of cycle ${cycle.month}`,
    });
  const checks = await recordExecutionChecks(trx, results, since);
  if (checks.ids.length > 0) {
    const weeks = checks.weeks.join(', ');
    owed.push({
      ids: checks.ids,
      requested: `S&OE check requested for the weeks of ${weeks}\n`,
      what: `the S&OE check of the weeks of ${weeks}`,
    });
  }
  return { owed, note: note || calendar ? `${calendar}${note ?? ''}` : null };
}

/**
 * Why an import that changed no input of the plan asks no recompute: the actuals it changed
 * (orders, weekly sales, receipts: never production, whose bills the plan's cash pays) are
 * named, as they are not all alike.
 */
function notPlanNote(results: readonly ImportResult[]): string {
  const kinds = new Set(results.filter((r) => r.inserted + r.updated > 0).map((r) => r.kind));
  if (kinds.size === 0) return 'nothing changed: no recompute needed\n';
  const holidays = kinds.delete('holidays');
  const actuals = [...kinds].join(', ');
  if (!holidays)
    return `actuals imported (${actuals}): they feed the review and S&OE, not the plan: no recompute needed\n`;
  return kinds.size === 0
    ? 'holidays imported: they move deadlines and reminders, not the plan: no recompute needed\n'
    : `actuals (${actuals}) and holidays imported: neither is an input of the plan: no recompute needed\n`;
}

/**
 * What a holidays file did to the calendar, as `/sop cycle holidays add` says it: the next
 * cycles' deadlines skip the days it listed, the open cycle keeps the deadlines it opened with;
 * and that the holidays it leaves out stay listed (an import adds and renames, never removes).
 */
async function holidayNotes(trx: Db, results: readonly ImportResult[]): Promise<string> {
  const files = results.filter((r) => r.kind === 'holidays');
  if (files.length === 0) return '';
  const open = files.some((r) => r.inserted + r.updated > 0) ? await getOpenCycle(trx) : null;
  return files
    .map((r) => {
      const keeps = open ? ` (S&OP ${open.month} keeps the deadlines it opened with)` : '';
      const skip =
        r.inserted + r.updated > 0
          ? `deadlines of the next cycles skip the days listed${keeps}; `
          : '';
      return `${r.fileName}: ${skip}holidays not in the file stay listed (\`/sop cycle holidays remove YYYY-MM-DD\` takes one off)\n`;
    })
    .join('');
}

/**
 * Hands what the import owes to the queue (REDIS_URL), waiting at most REDIS_TIMEOUT_MS. The
 * import stands whatever happens here: what Redis did not take waits in the outbox, and the
 * relay of any running bot or worker delivers it once Redis answers, so a failure is a
 * warning, not a failed command.
 */
async function handOver(db: Db, owed: readonly Owed[], io: CliIo): Promise<void> {
  const ids = owed.flatMap((o) => o.ids);
  if (ids.length === 0) return;
  let why: string | null = null;
  let queues: CliQueues | null = null;
  try {
    queues = await openQueues(loadConfig(io.env), REDIS_TIMEOUT_MS);
    const d = await deliverJobs(db, queues.queues, { ids, timeoutMs: REDIS_TIMEOUT_MS });
    if (d.error) why = d.error.message;
  } catch (err) {
    why = (err as Error).message;
  } finally {
    // Closing only releases the connection; the outcome is reported below.
    await queues?.close().catch(() => undefined);
  }
  let waiting: Set<string>;
  try {
    waiting = new Set(await undelivered(db, ids));
  } catch (err) {
    // Anything but PostgreSQL gone is a fault of its own: main logs it once, with its stack.
    if (await dbAnswers(db)) throw err;
    // PostgreSQL went away after the import committed (a restart): the files and what they
    // owe are written, together; only whether Redis took it is unknown.
    const it = owed.length > 1 ? ['they were', 'them'] : ['it was', 'it'];
    io.stderr(
      `sopbot import: imported, but PostgreSQL stopped answering (${(err as Error).message}) before I could tell whether Redis took ${owed.map((o) => o.what).join(' and ')}; ` +
        `${it[0]} recorded in the job outbox with the import, and a running sopbot bot or worker hands ${it[1]} over once PostgreSQL and Redis answer, if Redis has not taken ${it[1]}\n`,
    );
    return;
  }
  for (const o of owed) if (!o.ids.some((id) => waiting.has(id))) io.stdout(o.requested);
  const late = owed.filter((o) => o.ids.some((id) => waiting.has(id))).map((o) => o.what);
  if (late.length > 0) {
    const it = late.length > 1 ? ['they wait', 'them'] : ['it waits', 'it'];
    io.stderr(
      `sopbot import: imported, but Redis did not take ${late.join(' and ')} (${why ?? 'no answer'}); ` +
        `${it[0]} in the job outbox, and a running sopbot bot or worker hands ${it[1]} over as soon as Redis answers\n`,
    );
  }
}

/** `import all`'s folder: there, and a folder (a file, or a typo, is named as such). */
async function requireFolder(path: string): Promise<void> {
  const found = await stat(path).catch(() => null);
  if (!found) throw new ValidationError(`${path}: no such folder`);
  if (!found.isDirectory())
    throw new ValidationError(
      `${path} is a file, not a folder; to import one file, name its kind: sopbot import <kind> ${path}`,
    );
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
  if (!kindArg || !path)
    throw new UsageError(
      `${kindArg ? `give the file to import as ${kindArg}` : 'give a kind and a file, or all and a folder'}\n\n${USAGE}`,
    );
  if (positionals.length > 2)
    throw new UsageError(
      `one file at a time, got ${positionals.length - 1}: ${positionals.slice(1).join(' ')} (to import a folder's files: sopbot import all <dir>)\n\n${USAGE}`,
    );
  if (kindArg === 'all') await requireFolder(path);
  const actor = values.actor ?? `cli:${userInfo().username}`;
  const files: { kind: ImportKind; file: string }[] =
    kindArg === 'all'
      ? IMPORT_KINDS.map((kind) => ({ kind, file: join(path, KIND_SPECS[kind].file) }))
      : [{ kind: resolveKind(kindArg), file: path }];
  return withDb(io, async (db) => {
    // Weekly rows this run changes have an updated_at from here on (the database's clock).
    const since = await dbNow(db);
    const debounceMs = loadConfig(io.env).SOPBOT_RECOMPUTE_DEBOUNCE_MS;
    const reqs: ImportRequest[] = [];
    let results: ImportResult[];
    let owed: OwedJobs;
    // One clock for the run: a line every progressEveryMs, whichever file is being read.
    const say =
      io.progressEveryMs === undefined ? null : progressLines(io.stderr, io.progressEveryMs);
    try {
      for (const { kind, file } of files) {
        // `all` skips the kinds the folder has no file for.
        if (kindArg === 'all' && !(await stat(file).catch(() => null))) continue;
        const fileName = kindArg === 'all' ? basename(file) : file;
        // Every file is checked (there, readable, not too big) before any is read.
        const text = await streamTextFile(file, MAX_IMPORT_BYTES, (bytes) => tooBig(file, bytes));
        reqs.push({
          kind,
          fileName,
          text: text.pieces,
          actor,
          ...(say
            ? {
                onProgress: (rows: number) =>
                  say(
                    () =>
                      `sopbot import: ${fileName}: ${count(rows)} rows checked, ${megabytes(text.read())} of ${megabytes(text.bytes)} read (${Math.floor((100 * text.read()) / Math.max(1, text.bytes))}%)`,
                  ),
              }
            : {}),
        });
      }
      if (kindArg === 'all' && reqs.length === 0) {
        io.stderr(
          `sopbot import all: no file of a known kind in ${path} (expected names: ${IMPORT_KINDS.map((k) => KIND_SPECS[k].file).join(', ')}); nothing imported\n`,
        );
        return 1;
      }
      // The files and the jobs they owe are one transaction: a bad file leaves none written,
      // so nothing is owed, and a failure after the files leaves neither.
      ({ results, owed } = await importFilesOwing(db, reqs, (trx, written) =>
        recordOwed(trx, written, since, !!values['no-recompute'], debounceMs),
      ));
    } catch (err) {
      if (err instanceof ImportError || err instanceof ImportFilesError) {
        io.stderr(`${err.message}\n`);
        return 1;
      }
      if (!(err instanceof ValidationError)) throw err;
      // A file that cannot be read stops the run before anything is written.
      io.stderr(
        `sopbot import: ${err.message}\n${kindArg === 'all' ? `nothing was imported from ${path}\n` : ''}`,
      );
      return 1;
    }
    for (const result of results) {
      io.stdout(line(result));
      const warned = warningLines(result);
      if (warned) io.stderr(warned);
    }
    if (owed.note) io.stdout(owed.note);
    await handOver(db, owed.owed, io);
    return 0;
  });
}
