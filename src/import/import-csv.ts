/**
 * Import one CSV file of one kind: read as it arrives, each row validated, its codes resolved,
 * and upserted by natural key in batches, all in one transaction with an audit entry, so a big
 * file is never held whole. A file with any bad row imports nothing (the transaction rolls back
 * what its earlier batches wrote); every bad row (the first `maxErrors` in line order, and how
 * many more), whether a field is wrong or a code unknown, is reported at once as
 * `file:line: column 'x': what is wrong`.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { familyIds, lockCodes, resourceIds } from '../../db/queries/codes.js';
import { listHoliday } from '../../db/queries/holidays.js';
import { type UpsertCounts, upsertRows } from '../../db/queries/upsert.js';
import { controlCharacter } from '../core/text.js';
import { CsvReader, type CsvRecord, CsvSyntaxError, normaliseHeader } from '../csv/parse.js';
import { SopError } from '../errors.js';
import { CODE, caseTwinRefusal, dashedCode, spacedCodeRefusal } from './advice.js';
import { type ImportKind, KIND_SPECS } from './kinds.js';
import { type ImportRow, LineNotes } from './notes.js';
import { SeenKeys } from './seen-keys.js';
import { importWarnings } from './warnings.js';

export interface ImportRequest {
  readonly kind: ImportKind;
  /** Shown in error messages and recorded in the audit log. */
  readonly fileName: string;
  /** The file's text: whole, or in pieces as it is read (`streamTextFile`). */
  readonly text: string | AsyncIterable<string>;
  /** Who imports: a Slack user id or `cli:<login>`. */
  readonly actor: string;
  /** The most problems (and, separately, warnings) reported; 50 by default. */
  readonly maxErrors?: number;
  /** Told the rows checked so far, after each batch of IMPORT_BATCH rows. */
  readonly onProgress?: (rows: number) => void;
}

export interface ImportResult extends UpsertCounts {
  readonly kind: ImportKind;
  readonly fileName: string;
  readonly rows: number;
  readonly sha256: string;
  /** The audit log entry of this import: one per committed import, even of the same file. */
  readonly auditId: string;
  /**
   * What the file says that is allowed but likely wrong (a unit cost at or above the price,
   * families whose sales history has months without a row),
   * as `file:line: column 'x': …`, in line order, the first `maxErrors`: the import stands.
   */
  readonly warnings: readonly string[];
  /** More warnings than `warnings` holds were found. */
  readonly warningsTruncated: boolean;
}

/** A count with thousands separated: 1,099,950. */
const count = (n: number) => n.toLocaleString('en-US');

export class ImportError extends SopError {
  constructor(
    readonly fileName: string,
    readonly problems: readonly string[],
    readonly truncated: boolean,
    /** Every problem found, `problems` the first of them. */
    readonly total: number = problems.length,
  ) {
    const more = total - problems.length;
    super(
      'validation',
      `${fileName}: nothing was imported; ${
        truncated
          ? `the first ${problems.length} of ${count(total)} problems`
          : `${problems.length} problem${problems.length === 1 ? '' : 's'}`
      }:\n${problems.join('\n')}${truncated ? `\n(${count(more)} more problem${more === 1 ? '' : 's'} not shown)` : ''}`,
      problems,
    );
    this.name = 'ImportError';
  }
}

/** The problems of one file, which refuse it. */
class Problems extends LineNotes {
  constructor(
    private readonly fileName: string,
    cap: number,
  ) {
    super(fileName, cap);
  }
  /** The error that reports them. */
  error(): ImportError {
    const { list, truncated, total } = this.report();
    return new ImportError(this.fileName, list, truncated, total);
  }
}

/** Rows written at a time (and checked between two progress reports). */
export const IMPORT_BATCH = 2000;

/** The text in pieces: a string whole is cut, so a big one reports progress as it goes. */
async function* piecesOf(text: string | AsyncIterable<string>): AsyncIterable<string> {
  if (typeof text !== 'string') {
    yield* text;
    return;
  }
  for (let i = 0; i < text.length; i += 1 << 20) yield text.slice(i, i + (1 << 20));
}

/**
 * The rows of a file as it is read, each checked (its fields, a key the file repeats) as it
 * comes: `onRow` gets each row that passed, `problems` the rest; a bad header stops the read
 * and is thrown. Returns the columns the header names and the file's SHA-256.
 */
async function readRows(
  req: ImportRequest,
  problems: Problems,
  onRow: (row: ImportRow, header: readonly string[]) => Promise<void>,
): Promise<{ header: string[]; sha256: string; rows: number }> {
  const spec = KIND_SPECS[req.kind];
  const hash = createHash('sha256');
  const reader = new CsvReader();
  let header: string[] | null = null;
  let headLine = 1;
  let rows = 0;
  let anyRow = false;
  const seen = new SeenKeys();
  /** A families or resources file's codes so far, by their upper case, and their lines. */
  const codes = spec.coded ? new Map<string, { code: string; line: number }>() : null;
  // A row of empty cells (`,,,`), as spreadsheets leave after the data: not a row.
  const isEmpty = (rec: CsvRecord) => rec.fields.every((f) => f.trim() === '');
  const onHeader = (head: CsvRecord): string[] => {
    // Columns with no name after the last one, as a spreadsheet saves once cells there were
    // touched: not columns, as long as they hold nothing.
    const named = normaliseHeader(head.fields);
    let width = named.length;
    while (width > 1 && named[width - 1] === '') width--;
    const cols = named.slice(0, width);
    // A spreadsheet in a locale whose decimal mark is a comma saves with ';' (or tabs): one
    // column named after all of them. Said once, rather than as a column unknown and four missing.
    const separator = cols.length === 1 ? [';', '\t'].find((c) => cols[0]?.includes(c)) : null;
    if (separator) {
      problems.add(
        head.line,
        null,
        `the header is one column holding ${separator === ';' ? "';'" : 'tabs'}: the file is separated by ${separator === ';' ? 'semicolons' : 'tabs'}, and sopbot reads commas. Save it as CSV with commas (in Excel: "CSV UTF-8 (Comma delimited)") and import it again`,
      );
      throw problems.error();
    }
    for (const [i, h] of cols.entries()) {
      if (!spec.columns.includes(h))
        problems.add(
          head.line,
          h || `#${i + 1}`,
          `is not a column of ${spec.kind} (columns: ${spec.columns.join(', ')})`,
        );
      else if (cols.indexOf(h) !== i) problems.add(head.line, h, 'appears twice in the header');
    }
    for (const col of spec.required) {
      if (!cols.includes(col)) problems.add(head.line, col, 'is missing from the header');
    }
    // A header problem leaves no row that could be read.
    if (problems.any) throw problems.error();
    return cols;
  };
  const onRecord = async (rec: CsvRecord, cols: string[]): Promise<void> => {
    if (isEmpty(rec)) return;
    anyRow = true;
    const extra = rec.fields.slice(cols.length).findIndex((f) => f.trim() !== '');
    if (extra >= 0) {
      problems.add(
        rec.line,
        null,
        `has a value in field ${cols.length + extra + 1}, after the header's ${cols.length} columns (${cols.join(', ')}): remove it, or name its column`,
      );
      return;
    }
    if (rec.fields.length < cols.length) {
      problems.add(
        rec.line,
        null,
        `has ${rec.fields.length} fields, the header has ${cols.length} (${cols.join(', ')})`,
      );
      return;
    }
    const raw: Record<string, string> = {};
    cols.forEach((h, i) => {
      raw[h] = rec.fields[i]!;
    });
    const control = cols.filter((h) => controlCharacter(raw[h] ?? '') !== null);
    for (const h of control)
      problems.add(
        rec.line,
        h,
        `contains a control character (${controlCharacter(raw[h] ?? '')}); remove it`,
      );
    if (control.length) return;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.add(rec.line, String(issue.path[0] ?? ''), issue.message);
      return;
    }
    const first = seen.firstLine(
      spec.key.map((k) => String(parsed.data[k])),
      rec.line,
    );
    if (first !== undefined) {
      problems.add(
        rec.line,
        spec.key.join('+'),
        `repeats the row on line ${first} (${spec.key.map((k) => parsed.data[k]).join(', ')})`,
      );
      return;
    }
    if (codes && spec.coded) {
      const code = String(parsed.data.code);
      const twin = codes.get(code.toUpperCase());
      if (twin) {
        problems.add(rec.line, 'code', caseTwinRefusal(code, spec.coded, twin.code, twin.line));
        return;
      }
      codes.set(code.toUpperCase(), { code, line: rec.line });
    }
    rows += 1;
    await onRow({ line: rec.line, value: parsed.data }, cols);
  };
  const take = async (records: CsvRecord[]) => {
    for (const rec of records) {
      if (header === null) {
        headLine = rec.line;
        header = onHeader(rec);
      } else await onRecord(rec, header);
    }
  };
  try {
    for await (const piece of piecesOf(req.text)) {
      hash.update(piece);
      await take(reader.push(piece));
    }
    await take(reader.end());
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    // What comes after a broken quote cannot be read as rows: the problems so far and this.
    problems.add(err.line, null, err.message);
    throw problems.error();
  }
  if (header === null) {
    problems.add(1, null, `the file is empty; expected a header line: ${spec.columns.join(',')}`);
    throw problems.error();
  }
  // An empty tab saved with its header (and the empty rows a spreadsheet leaves) alike.
  if (!anyRow)
    problems.add(
      headLine,
      null,
      'the file has a header but no rows: add its rows, or leave the file out (an import changes nothing it has no row for)',
    );
  return { header, sha256: hash.digest('hex'), rows };
}

/** How a kind's rows become table rows: the table, its key, and the mapping of one row. */
interface TableMapping {
  readonly table: Parameters<typeof upsertRows>[1];
  readonly key: string[];
  /** The table row, its codes looked up; null (and a problem added) for an unknown code. */
  readonly map: (r: ImportRow) => Record<string, unknown> | null;
}

/** The mapping of a kind's rows to table rows, the family and resource codes read once. */
async function tableMapping(
  trx: Db,
  kind: Exclude<ImportKind, 'holidays'>,
  problems: Problems,
): Promise<TableMapping> {
  const needsFamilies = [
    'families',
    'loads',
    'sales',
    'inventory',
    'budget',
    'family_costs',
    'production',
    'orders',
    'weekly-sales',
    'weekly-production',
  ].includes(kind);
  const needsResources = [
    'resources',
    'loads',
    'capacities',
    'resource_costs',
    'receipts',
  ].includes(kind);
  const fam = needsFamilies ? await familyIds(trx) : new Map<string, number>();
  const res = needsResources ? await resourceIds(trx) : new Map<string, number>();
  const lowered = new Map<string, Map<string, string>>();
  /** The stored codes of families or resources by their lower case, made once. */
  const byLowerCase = (what: 'family' | 'resource') => {
    let m = lowered.get(what);
    if (!m) {
      m = new Map([...(what === 'family' ? fam : res).keys()].map((c) => [c.toLowerCase(), c]));
      lowered.set(what, m);
    }
    return m;
  };
  const resolve = (
    line: number,
    col: 'family' | 'resource' | 'supplier',
    code: unknown,
  ): number | null => {
    const id = (col === 'family' ? fam : res).get(String(code));
    if (id === undefined) {
      const codes = col === 'family' ? fam : res;
      const lower = byLowerCase(col === 'family' ? 'family' : 'resource');
      // A code written with spaces passed the field check: the one it means (FAM 12 →
      // FAM-12, in any case) is advised only if it exists.
      const dashed = CODE.test(String(code)) ? null : dashedCode(String(code));
      if (dashed) {
        const existing = codes.has(dashed) ? dashed : (lower.get(dashed.toLowerCase()) ?? null);
        problems.add(line, col, spacedCodeRefusal(String(code), col, existing));
        return null;
      }
      // A file writes a code as it is stored: `fam-1` is not taken for FAM-1, but is most likely
      // meant for it (commands read codes in any case; an import converts no value).
      const near = lower.get(String(code).toLowerCase());
      problems.add(
        line,
        col,
        near
          ? `unknown ${col} '${String(code)}': write ${near}, as it is stored (a file writes codes exactly)`
          : `unknown ${col} '${String(code)}' (import ${col === 'family' ? 'families' : 'resources'} first)`,
      );
      return null;
    }
    return id;
  };
  /**
   * Rows whose code in `col` becomes its id (a supplier is a resource), the other columns as
   * they are, and the `extra` columns.
   */
  const withCodeId = (
    table: Parameters<typeof upsertRows>[1],
    col: 'family' | 'resource' | 'supplier',
    key: string[],
    extra: Record<string, unknown> = {},
  ): TableMapping => ({
    table,
    key,
    map: (r) => {
      const id = resolve(r.line, col, r.value[col]);
      if (id === null) return null;
      const { [col]: _code, ...rest } = r.value;
      return { [col === 'family' ? 'family_id' : 'resource_id']: id, ...rest, ...extra };
    },
  });
  /**
   * Rows of families or resources by their code: one whose code is stored in another case (its
   * twin) is refused, as upserted it would be a second code commands could not tell apart.
   */
  const byOwnCode = (what: 'family' | 'resource'): TableMapping => ({
    table: what === 'family' ? 'families' : 'resources',
    key: ['code'],
    map: (r) => {
      const code = String(r.value.code);
      const twin = (what === 'family' ? fam : res).has(code)
        ? undefined
        : byLowerCase(what).get(code.toLowerCase());
      if (twin === undefined) return { ...r.value };
      problems.add(r.line, 'code', caseTwinRefusal(code, what, twin));
      return null;
    },
  });
  switch (kind) {
    case 'families':
      return byOwnCode('family');
    case 'resources':
      return byOwnCode('resource');
    case 'loads':
      return {
        table: 'resource_loads',
        key: ['family_id', 'resource_id'],
        map: (r) => {
          const f = resolve(r.line, 'family', r.value.family);
          const s = resolve(r.line, 'resource', r.value.resource);
          return f === null || s === null
            ? null
            : { family_id: f, resource_id: s, load_per_unit: r.value.load_per_unit };
        },
      };
    case 'capacities':
      return withCodeId('resource_capacities', 'resource', ['resource_id', 'period']);
    case 'weekly-sales':
    case 'weekly-production':
      return withCodeId('weekly_actuals', 'family', ['family_id', 'week', 'kind'], {
        kind: kind === 'weekly-sales' ? 'sales' : 'production',
      });
    case 'receipts':
      return withCodeId('supplier_receipts', 'supplier', ['resource_id', 'week']);
    case 'orders':
      return withCodeId('order_lines', 'family', ['order_id', 'line']);
    case 'resource_costs':
      return withCodeId('resource_period_costs', 'resource', ['resource_id', 'period']);
    case 'family_costs':
      return withCodeId('family_period_costs', 'family', ['family_id', 'period']);
    case 'sales':
    case 'inventory':
    case 'budget':
    case 'production': {
      const table =
        kind === 'sales'
          ? 'sales_history'
          : kind === 'inventory'
            ? 'inventory_snapshots'
            : kind === 'production'
              ? 'production_actuals'
              : 'budget';
      return withCodeId(table, 'family', ['family_id', 'period']);
    }
  }
}

/**
 * A holidays file's rows, each listed as `/sop cycle holidays add` lists one (`listHoliday`:
 * audited `holiday.add` or `holiday.rename`; the same day and name again changes nothing).
 * Holidays the file leaves out stay listed: a file of next year's days does not take this
 * year's off, and `/sop cycle holidays remove` takes one off.
 */
async function listHolidays(
  trx: Db,
  rows: readonly ImportRow[],
  actor: string,
): Promise<UpsertCounts> {
  const n = { added: 0, renamed: 0, unchanged: 0 };
  for (const r of rows) {
    const outcome = await listHoliday(trx, {
      day: String(r.value.date),
      name: r.value.name === null ? null : String(r.value.name),
      by: actor,
    });
    n[outcome]++;
  }
  return { inserted: n.added, updated: n.renamed, unchanged: n.unchanged };
}

/**
 * Reads one file and, with `write`, writes it in `trx` as it is read: each batch of rows that
 * passed the checks, codes looked up, upserted (holidays listed), while no problem has been
 * found; after the first one the rest of the file is still checked (codes too), so one report
 * names every bad row, and the caller's transaction rolls back what was written. Without
 * `write`, only the fields are checked (codes a refused families file may add are not looked
 * up). Throws the file's ImportError.
 */
async function importFile(trx: Db, req: ImportRequest, write: boolean): Promise<ImportResult> {
  const cap = req.maxErrors ?? 50;
  const problems = new Problems(req.fileName, cap);
  const warnings = new LineNotes(req.fileName, cap);
  const warn = importWarnings(trx, req.kind);
  // A file that adds codes reads the stored ones only once no other such import is writing.
  const coded = KIND_SPECS[req.kind].coded;
  if (write && coded) await lockCodes(trx, coded);
  const mapping =
    write && req.kind !== 'holidays' ? await tableMapping(trx, req.kind, problems) : null;
  let counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let batch: ImportRow[] = [];
  let checked = 0;
  /** The batch being written, while the next one is read and checked. */
  let writing: Promise<void> = Promise.resolve();
  const writeBatch = async (rows: readonly ImportRow[], header: readonly string[]) => {
    let written: UpsertCounts;
    if (mapping === null) {
      // Holidays name no code: a bad one was refused with the fields.
      if (problems.any) return;
      written = await listHolidays(trx, rows, req.actor);
    } else {
      // The codes of every row are looked up even once a problem was found, so the first
      // report names every bad row (nothing is written then).
      const mapped: Record<string, unknown>[] = [];
      for (const r of rows) {
        const m = mapping.map(r);
        if (m) mapped.push(m);
      }
      if (problems.any) return;
      // A stored row takes only the columns the file has: leaving out an optional column (a
      // sales file without revenue, families without safety_stock) keeps what is stored.
      written = await upsertRows(trx, mapping.table, mapping.key, mapped, header);
    }
    counts = {
      inserted: counts.inserted + written.inserted,
      updated: counts.updated + written.updated,
      unchanged: counts.unchanged + written.unchanged,
    };
    for (const w of await warn.batch(rows)) warnings.add(w.line, w.column, w.message);
  };
  const flush = async (header: readonly string[]) => {
    const rows = batch;
    batch = [];
    checked += rows.length;
    req.onProgress?.(checked);
    if (!write) return;
    // One statement at a time in the transaction: the batch before must be written first.
    await writing;
    writing = writeBatch(rows, header);
    // Awaited at the next batch or the end; meanwhile its failure is not unhandled.
    writing.catch(() => undefined);
  };
  const read = await readRows(req, problems, async (row, header) => {
    batch.push(row);
    if (batch.length >= IMPORT_BATCH) await flush(header);
  });
  if (batch.length > 0) await flush(read.header);
  await writing;
  if (problems.any) throw problems.error();
  // After the upsert: a check may read what the file leaves stored (the sales history).
  for (const w of await warn.end()) warnings.add(w.line, w.column, w.message);
  const warned = warnings.report();
  const auditId = write
    ? await audit(trx, {
        actor: req.actor,
        action: 'import',
        entity: req.kind,
        details: {
          file: req.fileName,
          sha256: read.sha256,
          rows: read.rows,
          ...counts,
          warnings: warned.total,
        },
      })
    : '';
  return {
    kind: req.kind,
    fileName: req.fileName,
    rows: read.rows,
    sha256: read.sha256,
    auditId,
    ...counts,
    warnings: warned.list,
    warningsTruncated: warned.truncated,
  };
}

export async function importCsv(db: Db, req: ImportRequest): Promise<ImportResult> {
  return db.transaction().execute((trx) => importFile(trx, req, true));
}

/**
 * Files that were refused together: nothing of any of them was written. `refused` holds each
 * bad file's error, in import order; `unchecked`, the files after a refused families or
 * resources file, whose codes were not looked up (they may name what that file adds).
 */
export class ImportFilesError extends SopError {
  constructor(
    readonly refused: readonly ImportError[],
    readonly unchecked: readonly string[],
  ) {
    super(
      'validation',
      `${refused.map((e) => e.message).join('\n')}\nnothing was imported from any file (they are one transaction)${
        unchecked.length > 0
          ? `; the family and resource codes of ${unchecked.join(', ')} were not looked up, as they may be what a refused file adds`
          : ''
      }. Correct ${refused.length === 1 ? 'the file' : 'the files'} and import again`,
      refused.flatMap((e) => e.problems),
    );
    this.name = 'ImportFilesError';
  }
}

/**
 * Several files (`import all`'s folder), in order, in ONE transaction: a later file's codes
 * may be what an earlier one adds, and a bad file leaves none of them written (no families
 * without their sales history, no recompute of half a folder). After a bad file the later ones
 * are still checked, so one report names the bad rows of all of them; after a bad families or
 * resources file, only their fields (their codes may be what the bad file adds).
 */
export async function importFiles(db: Db, reqs: readonly ImportRequest[]): Promise<ImportResult[]> {
  return (await importFilesOwing(db, reqs, async () => undefined)).results;
}

/**
 * `importFiles`, and in the same transaction, once every file is written, `owe(trx, results)`:
 * what the import owes (its recompute and S&OE checks, in the job outbox). The files and what
 * they owe commit together, so an import that stands always has its jobs recorded: a failure
 * in between (Postgres restarting, the CLI killed) leaves neither, and the same files imported
 * again are a change again.
 */
export async function importFilesOwing<T>(
  db: Db,
  reqs: readonly ImportRequest[],
  owe: (trx: Db, results: readonly ImportResult[]) => Promise<T>,
): Promise<{ results: ImportResult[]; owed: T }> {
  return db.transaction().execute(async (trx) => {
    const results: ImportResult[] = [];
    const refused: ImportError[] = [];
    const unchecked: string[] = [];
    // Once a families or resources file is refused, the codes it adds are not there to find.
    let codesMissing = false;
    for (const req of reqs) {
      try {
        if (!codesMissing) results.push(await importFile(trx, req, true));
        else {
          await importFile(trx, req, false);
          unchecked.push(req.fileName);
        }
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        if (codesMissing) unchecked.push(req.fileName);
        else if (KIND_SPECS[req.kind].coded) codesMissing = true;
        refused.push(err);
      }
    }
    // Thrown inside the transaction: it rolls back what the files before the bad one wrote.
    if (refused.length === 1 && reqs.length === 1) throw refused[0];
    if (refused.length > 0) throw new ImportFilesError(refused, unchecked);
    return { results, owed: await owe(trx, results) };
  });
}
