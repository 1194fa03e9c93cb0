/**
 * Where the forecast benches find the M3 data: `--data DIR` (default `../shared/data` next to
 * the repository, where the project keeps its reference data), or `--file` and `--reference`
 * for the two files themselves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HistorySeries, parseHistoryCsv } from '../src/csv/history.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DATA_DIR = join(REPO, '..', 'shared', 'data');

export const DATA_OPTIONS = {
  data: { type: 'string', default: DEFAULT_DATA_DIR },
  file: { type: 'string' },
  reference: { type: 'string' },
} as const;

export interface DataPaths {
  readonly file: string;
  readonly reference: string;
}

export function dataPaths(values: { data?: string; file?: string; reference?: string }): DataPaths {
  const dir = resolve(values.data ?? DEFAULT_DATA_DIR);
  const file = resolve(values.file ?? join(dir, 'm3-monthly-dev.csv'));
  const reference = resolve(values.reference ?? join(dir, 'm3-monthly-dev-reference.json'));
  if (!existsSync(file))
    throw new Error(
      `no M3 data at ${file}: pass --data DIR (the folder with m3-monthly-dev.csv) or --file PATH`,
    );
  return { file, reference };
}

/** The series of the file that have test rows. */
export function loadSeries(file: string): HistorySeries[] {
  const parsed = parseHistoryCsv(readFileSync(file, 'utf8'), file);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.join('\n'));
  return parsed.series.filter((s) => s.test.length > 0);
}
