import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { ImportError, type ImportResult, importCsv } from '../import/import-csv.js';
import {
  IMPORT_KINDS,
  IMPORT_ORDER,
  type ImportKind,
  KIND_ALIASES,
  KIND_SPECS,
} from '../import/kinds.js';
import { parseCliArgs } from './args.js';
import { openDb } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot import <kind> <file.csv> [--actor NAME]
       sopbot import all <dir> [--actor NAME]
Kinds: ${IMPORT_KINDS.join(', ')} (see docs/data-format.md).
Each file is one transaction: a file with any bad row imports nothing.
'all' imports every kind's file found in <dir> (families.csv, resources.csv, ...), in order.`;

export function resolveKind(s: string): ImportKind {
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

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseCliArgs(
    argv,
    { actor: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const [kindArg, path] = positionals;
  if (!kindArg || !path) throw new UsageError(USAGE);
  const actor = values.actor ?? `cli:${userInfo().username}`;
  const files: { kind: ImportKind; file: string }[] =
    kindArg === 'all'
      ? IMPORT_ORDER.map((kind) => ({ kind, file: join(path, KIND_SPECS[kind].file) }))
      : [{ kind: resolveKind(kindArg), file: path }];
  const db = openDb(io);
  try {
    for (const { kind, file } of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if (kindArg === 'all' && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        io.stderr(`sopbot import: cannot read ${file}: ${(err as Error).message}\n`);
        return 1;
      }
      try {
        io.stdout(
          line(
            await importCsv(db, {
              kind,
              fileName: kindArg === 'all' ? basename(file) : file,
              text,
              actor,
            }),
          ),
        );
      } catch (err) {
        if (err instanceof ImportError) {
          io.stderr(`${err.message}\n`);
          return 1;
        }
        throw err;
      }
    }
    return 0;
  } finally {
    await db.destroy();
  }
}
