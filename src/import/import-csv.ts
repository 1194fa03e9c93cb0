/**
 * Import one CSV file of one kind: every row is validated first, codes are resolved, and the
 * whole file is upserted by natural key in one transaction with an audit entry. A file with
 * any bad row imports nothing; every bad row (up to a cap, in line order), whether a field is
 * wrong or a code unknown, is reported at once as `file:line: column 'x': what is wrong`.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import { familyIds, resourceIds } from '../../db/queries/codes.js';
import { listHoliday } from '../../db/queries/holidays.js';
import { type UpsertCounts, upsertRows } from '../../db/queries/upsert.js';
import { controlCharacter } from '../core/text.js';
import { type CsvRecord, CsvSyntaxError, normaliseHeader, parseCsv } from '../csv/parse.js';
import { SopError } from '../errors.js';
import { CODE, dashedCode, spacedCodeRefusal } from './advice.js';
import { type ImportKind, KIND_SPECS } from './kinds.js';
import { type ImportRow, LineNotes } from './notes.js';
import { importWarnings } from './warnings.js';

export interface ImportRequest {
  readonly kind: ImportKind;
  /** Shown in error messages and recorded in the audit log. */
  readonly fileName: string;
  readonly text: string;
  /** Who imports: a Slack user id or `cli:<login>`. */
  readonly actor: string;
  /** The most problems (and, separately, warnings) reported; 50 by default. */
  readonly maxErrors?: number;
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

export class ImportError extends SopError {
  constructor(
    readonly fileName: string,
    readonly problems: readonly string[],
    readonly truncated: boolean,
  ) {
    super(
      'validation',
      `${fileName}: nothing was imported; ${problems.length}${truncated ? '+' : ''} problem${problems.length === 1 ? '' : 's'}:\n${problems.join('\n')}${truncated ? '\n(more problems not shown)' : ''}`,
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
    const { list, truncated } = this.report();
    return new ImportError(this.fileName, list, truncated);
  }
}

/** The file's rows, and the columns its header names. */
function parseRows(
  req: ImportRequest,
  problems: Problems,
): { rows: ImportRow[]; header: string[] } {
  const spec = KIND_SPECS[req.kind];
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(req.text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      problems.add(err.line, null, err.message);
      return { rows: [], header: [] };
    }
    throw err;
  }
  const [head, ...body] = records;
  if (!head) {
    problems.add(1, null, `the file is empty; expected a header line: ${spec.columns.join(',')}`);
    return { rows: [], header: [] };
  }
  // Columns with no name after the last one, as a spreadsheet saves once cells there were
  // touched: not columns, as long as they hold nothing.
  const named = normaliseHeader(head.fields);
  let width = named.length;
  while (width > 1 && named[width - 1] === '') width--;
  const header = named.slice(0, width);
  // A spreadsheet in a locale whose decimal mark is a comma saves with ';' (or tabs): one
  // column named after all of them. Said once, rather than as a column unknown and four missing.
  const separator = header.length === 1 ? [';', '\t'].find((c) => header[0]?.includes(c)) : null;
  if (separator) {
    problems.add(
      head.line,
      null,
      `the header is one column holding ${separator === ';' ? "';'" : 'tabs'}: the file is separated by ${separator === ';' ? 'semicolons' : 'tabs'}, and sopbot reads commas. Save it as CSV with commas (in Excel: "CSV UTF-8 (Comma delimited)") and import it again`,
    );
    return { rows: [], header };
  }
  for (const [i, h] of header.entries()) {
    if (!spec.columns.includes(h))
      problems.add(
        head.line,
        h || `#${i + 1}`,
        `is not a column of ${spec.kind} (columns: ${spec.columns.join(', ')})`,
      );
    else if (header.indexOf(h) !== i) problems.add(head.line, h, 'appears twice in the header');
  }
  for (const col of spec.required) {
    if (!header.includes(col)) problems.add(head.line, col, 'is missing from the header');
  }
  if (problems.any) return { rows: [], header };
  // A row of empty cells (`,,,`), as spreadsheets leave after the data: not a row.
  const isEmpty = (rec: CsvRecord) => rec.fields.every((f) => f.trim() === '');
  // An empty tab saved with its header (and the empty rows a spreadsheet leaves) alike.
  if (body.every(isEmpty))
    problems.add(
      head.line,
      null,
      'the file has a header but no rows: add its rows, or leave the file out (an import changes nothing it has no row for)',
    );

  const seen = new Map<string, number>();
  const rows: ImportRow[] = [];
  for (const rec of body) {
    if (isEmpty(rec)) continue;
    const extra = rec.fields.slice(header.length).findIndex((f) => f.trim() !== '');
    if (extra >= 0) {
      problems.add(
        rec.line,
        null,
        `has a value in field ${header.length + extra + 1}, after the header's ${header.length} columns (${header.join(', ')}): remove it, or name its column`,
      );
      continue;
    }
    if (rec.fields.length < header.length) {
      problems.add(
        rec.line,
        null,
        `has ${rec.fields.length} fields, the header has ${header.length} (${header.join(', ')})`,
      );
      continue;
    }
    const raw: Record<string, string> = {};
    header.forEach((h, i) => {
      raw[h] = rec.fields[i]!;
    });
    const control = header.filter((h) => controlCharacter(raw[h] ?? '') !== null);
    for (const h of control)
      problems.add(
        rec.line,
        h,
        `contains a control character (${controlCharacter(raw[h] ?? '')}); remove it`,
      );
    if (control.length) continue;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.add(rec.line, String(issue.path[0] ?? ''), issue.message);
      continue;
    }
    const key = spec.key.map((k) => String(parsed.data[k])).join('\u0000');
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add(
        rec.line,
        spec.key.join('+'),
        `repeats the row on line ${first} (${spec.key.map((k) => parsed.data[k]).join(', ')})`,
      );
      continue;
    }
    seen.set(key, rec.line);
    rows.push({ line: rec.line, value: parsed.data });
  }
  return { rows, header };
}

/** Map parsed rows to table rows, resolving family and resource codes. */
async function toTableRows(
  trx: Db,
  kind: Exclude<ImportKind, 'holidays'>,
  rows: readonly ImportRow[],
  problems: Problems,
): Promise<{
  table: Parameters<typeof upsertRows>[1];
  key: string[];
  rows: Record<string, unknown>[];
}> {
  const needsFamilies = [
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
  const needsResources = ['loads', 'capacities', 'resource_costs', 'receipts'].includes(kind);
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
      // Codes are case-sensitive: `fam-1` is not FAM-1, but is most likely meant for it.
      const near = lower.get(String(code).toLowerCase());
      problems.add(
        line,
        col,
        near
          ? `unknown ${col} '${String(code)}': codes are case-sensitive; write ${near}`
          : `unknown ${col} '${String(code)}' (import ${col === 'family' ? 'families' : 'resources'} first)`,
      );
      return null;
    }
    return id;
  };
  const out: Record<string, unknown>[] = [];
  const withIds = (
    table: Parameters<typeof upsertRows>[1],
    key: string[],
    map: (r: ImportRow) => Record<string, unknown> | null,
  ) => {
    for (const r of rows) {
      const m = map(r);
      if (m) out.push(m);
    }
    return { table, key, rows: out };
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
  ) =>
    withIds(table, key, (r) => {
      const id = resolve(r.line, col, r.value[col]);
      if (id === null) return null;
      const { [col]: _code, ...rest } = r.value;
      return { [col === 'family' ? 'family_id' : 'resource_id']: id, ...rest, ...extra };
    });
  switch (kind) {
    case 'families':
      return withIds('families', ['code'], (r) => ({ ...r.value }));
    case 'resources':
      return withIds('resources', ['code'], (r) => ({ ...r.value }));
    case 'loads':
      return withIds('resource_loads', ['family_id', 'resource_id'], (r) => {
        const f = resolve(r.line, 'family', r.value.family);
        const s = resolve(r.line, 'resource', r.value.resource);
        return f === null || s === null
          ? null
          : { family_id: f, resource_id: s, load_per_unit: r.value.load_per_unit };
      });
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

/** A file whose fields passed the checks, ready to be written. */
interface ParsedFile {
  readonly req: ImportRequest;
  readonly rows: ImportRow[];
  readonly header: string[];
  readonly problems: Problems;
  readonly sha256: string;
}

/** Reads the file's rows; throws the ImportError of a file no row of which can be written. */
function parseFile(req: ImportRequest): ParsedFile {
  const problems = new Problems(req.fileName, req.maxErrors ?? 50);
  const { rows, header } = parseRows(req, problems);
  // A header problem leaves no rows whose codes could be looked up.
  if (problems.any && rows.length === 0) throw problems.error();
  const sha256 = createHash('sha256').update(req.text).digest('hex');
  return { req, rows, header, problems, sha256 };
}

/** Writes a parsed file in `trx`: codes looked up, rows upserted, warnings and audit. */
async function writeFile(trx: Db, file: ParsedFile): Promise<ImportResult> {
  const { req, rows, header, problems, sha256 } = file;
  let counts: UpsertCounts;
  if (req.kind === 'holidays') {
    // Rows name no code: a bad one was refused with the fields.
    if (problems.any) throw problems.error();
    counts = await listHolidays(trx, rows, req.actor);
  } else {
    // The codes of the rows that passed the field checks are looked up even when other rows
    // failed them, so the first report names every bad row (nothing is written either way).
    const mapped = await toTableRows(trx, req.kind, rows, problems);
    if (problems.any) throw problems.error();
    // A stored row takes only the columns the file has: leaving out an optional column (a
    // sales file without revenue, families without safety_stock) keeps what is stored.
    counts = await upsertRows(trx, mapped.table, mapped.key, mapped.rows, header);
  }
  // After the upsert: a check may read what the file leaves stored (the sales history).
  const warnings = new LineNotes(req.fileName, req.maxErrors ?? 50);
  for (const w of await importWarnings(trx, req.kind, rows))
    warnings.add(w.line, w.column, w.message);
  const warned = warnings.report();
  const auditId = await audit(trx, {
    actor: req.actor,
    action: 'import',
    entity: req.kind,
    details: {
      file: req.fileName,
      sha256,
      rows: rows.length,
      ...counts,
      warnings: warned.total,
    },
  });
  return {
    kind: req.kind,
    fileName: req.fileName,
    rows: rows.length,
    sha256,
    auditId,
    ...counts,
    warnings: warned.list,
    warningsTruncated: warned.truncated,
  };
}

export async function importCsv(db: Db, req: ImportRequest): Promise<ImportResult> {
  const file = parseFile(req);
  return db.transaction().execute((trx) => writeFile(trx, file));
}

/** The kinds whose files add the codes other kinds' rows name. */
const CODE_KINDS: ReadonlySet<ImportKind> = new Set(['families', 'resources']);

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
        const file = parseFile(req);
        if (!codesMissing) results.push(await writeFile(trx, file));
        else if (file.problems.any) throw file.problems.error();
        else unchecked.push(req.fileName);
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        if (codesMissing) unchecked.push(req.fileName);
        else if (CODE_KINDS.has(req.kind)) codesMissing = true;
        refused.push(err);
      }
    }
    // Thrown inside the transaction: it rolls back what the files before the bad one wrote.
    if (refused.length === 1 && reqs.length === 1) throw refused[0];
    if (refused.length > 0) throw new ImportFilesError(refused, unchecked);
    return { results, owed: await owe(trx, results) };
  });
}
