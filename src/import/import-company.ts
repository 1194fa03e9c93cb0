/**
 * A whole company (the seed generator's output) through the real CSV import: each kind is
 * written in its import format and imported as one file, in dependency order.
 */
import type { Db } from '../../db/connect.js';
import type { Company } from '../core/company.js';
import { toCsv } from '../csv/format.js';
import { type ImportResult, importCsv } from './import-csv.js';
import { companyToRows, IMPORT_KINDS, type ImportKind, KIND_SPECS } from './kinds.js';

/** The CSV text of each kind, as `sopbot seed` writes it. */
export function companyCsvFiles(
  company: Company,
): { kind: ImportKind; file: string; rows: number; text: string }[] {
  const rows = companyToRows(company);
  return IMPORT_KINDS.map((kind) => {
    const spec = KIND_SPECS[kind];
    return {
      kind,
      file: spec.file,
      rows: rows[kind].length,
      text: toCsv(
        spec.columns,
        rows[kind].map((r) => spec.columns.map((c) => r[c] ?? null)),
      ),
    };
  });
}

export async function importCompany(
  db: Db,
  company: Company,
  actor: string,
): Promise<ImportResult[]> {
  const out: ImportResult[] = [];
  for (const f of companyCsvFiles(company)) {
    if (f.rows === 0) continue;
    out.push(await importCsv(db, { kind: f.kind, fileName: f.file, text: f.text, actor }));
  }
  return out;
}
