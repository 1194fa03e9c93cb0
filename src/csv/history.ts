/**
 * Parses sales-history CSV text (pure: the caller reads the file). Two layouts:
 * - long: a series column (series_id, series, family, sku, id), a period column
 *   (period, month) with YYYY-MM values, a value column (value, units, qty, quantity), and
 *   optionally `split` (train|test) as in the M3 file;
 * - two columns: `period,value` under any header names (AirPassengers' month,passengers) is one
 *   series.
 * Errors read `file:line: column 'x': what is wrong`. Years need not have four digits: the M3
 * file numbers the years of undated series from 0 (and -1), and is read as it is. Records come
 * from the project's one CSV reader (./parse.ts); cells are trimmed. A value is read as the
 * import reads one (digits, a point, an exponent), and one written another way is refused with
 * the import's advice (`numberRefusal`: `1,234`, `(12)`, `N/A`).
 */
import type { Period } from '../core/period.js';
import { isNoValue } from '../core/typed-number.js';
import { numberRefusal } from '../import/advice.js';
import { CsvSyntaxError, normaliseHeader, parseCsv } from './parse.js';

export interface HistorySeries {
  readonly id: string;
  /** Period of the first row, as written in the file. */
  readonly start: Period;
  /** Months since year 0 of the first row (see {@link formatMonth}). */
  readonly startIndex: number;
  readonly train: readonly number[];
  /** Rows marked split=test (empty when the file has no split column). */
  readonly test: readonly number[];
}

export interface HistoryParse {
  readonly series: readonly HistorySeries[];
  readonly errors: readonly string[];
}

const ID_NAMES = ['series_id', 'series', 'family', 'sku', 'id'];
const PERIOD_NAMES = ['period', 'month'];
const VALUE_NAMES = ['value', 'units', 'qty', 'quantity'];
const MAX_ERRORS = 20;
const MONTH_RE = /^(-?\d{1,4})-(0[1-9]|1[0-2])$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Months since year 0, or null when `s` is not a year-month. */
function monthIndex(s: string): number | null {
  const m = MONTH_RE.exec(s);
  return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : null;
}

/** YYYY-MM for years 1000–9999, otherwise the M3 file's unpadded year (`0-01`, `-1-12`). */
export function formatMonth(index: number): string {
  const year = Math.floor(index / 12);
  const month = String(index - year * 12 + 1).padStart(2, '0');
  return `${year >= 1000 && year <= 9999 ? String(year) : year}-${month}`;
}

interface Row {
  readonly line: number;
  readonly period: Period;
  readonly index: number;
  readonly value: number;
  readonly test: boolean;
}

/**
 * Why a series that goes from `prev` to `cur` is refused: the months between them, the first
 * named, and the row to write for each (a forecast needs every month; it does not guess that a
 * month without a row sold nothing).
 */
function monthsMissing(id: string, hasIdColumn: boolean, prev: Row, cur: Row): string {
  const first = formatMonth(prev.index + 1);
  const n = cur.index - prev.index - 1;
  const missing =
    n === 1
      ? `${first} is missing`
      : `${first} to ${formatMonth(cur.index - 1)} are missing (${n} months)`;
  const where = hasIdColumn ? ` for ${id}` : '';
  const rows =
    n === 1 ? `add a row${where} in ${first}` : `add a row${where} in each, from ${first}`;
  return `${id} jumps from ${prev.period} to ${cur.period}: ${missing}; ${rows} (0 if nothing was sold that month)`;
}

export function parseHistoryCsv(text: string, source: string): HistoryParse {
  const errors: string[] = [];
  const fail = (line: number, column: string | null, what: string) => {
    if (errors.length < MAX_ERRORS)
      errors.push(`${source}:${line}: ${column ? `column '${column}': ` : ''}${what}`);
  };
  let records: { line: number; cells: string[] }[];
  try {
    records = parseCsv(text)
      .map((r) => ({ line: r.line, cells: r.fields.map((f) => f.trim()) }))
      .filter((r) => !(r.cells.length === 1 && r.cells[0] === ''));
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      return { series: [], errors: [`${source}:${err.line}: ${err.message}`] };
    throw err;
  }
  const first = records[0];
  if (!first) return { series: [], errors: [`${source}: the file is empty`] };
  const header = normaliseHeader(first.cells);
  const find = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
  let iId = find(ID_NAMES);
  let iPeriod = find(PERIOD_NAMES);
  let iValue = find(VALUE_NAMES);
  const iSplit = header.indexOf('split');
  if (header.length === 2 && iId < 0) {
    iPeriod = Math.max(iPeriod, 0);
    iValue = 1 - iPeriod;
    iId = -1;
  }
  const missing: string[] = [];
  if (iPeriod < 0) missing.push(`a period column (${PERIOD_NAMES.join(' or ')})`);
  if (iValue < 0) missing.push(`a value column (${VALUE_NAMES.join(', ')})`);
  if (missing.length > 0)
    return {
      series: [],
      errors: [
        `${source}:${first.line}: header needs ${missing.join(' and ')}; found ${header.join(', ')}`,
      ],
    };
  const name = (i: number) => header[i] ?? `#${i + 1}`;
  // a two-column file is one series, named after the file
  const singleId = source.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'series';
  const rows = new Map<string, Row[]>();
  for (const record of records.slice(1)) {
    const lineNo = record.line;
    const cells = record.cells;
    if (cells.length !== header.length) {
      fail(lineNo, null, `expected ${header.length} columns, found ${cells.length}`);
      continue;
    }
    const id = iId >= 0 ? (cells[iId] as string) : singleId;
    if (id === '') {
      fail(lineNo, name(iId), 'is empty; give the series or family code');
      continue;
    }
    const period = cells[iPeriod] as string;
    const index = monthIndex(period);
    if (index === null) {
      fail(lineNo, name(iPeriod), `'${period}' is not a month in YYYY-MM form`);
      continue;
    }
    const text = cells[iValue] as string;
    // Digits, a point and an exponent, as the import reads them: Number took `0x10` for 16.
    const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
    if (!Number.isFinite(value)) {
      fail(
        lineNo,
        name(iValue),
        isNoValue(text)
          ? `must be a number, not '${text}': a series has a value every month; write the month's, 0 if there was none`
          : numberRefusal(text, 'a number'),
      );
      continue;
    }
    let test = false;
    if (iSplit >= 0) {
      const s = (cells[iSplit] as string).toLowerCase();
      if (s !== 'train' && s !== 'test') {
        fail(lineNo, 'split', `'${cells[iSplit]}' must be train or test`);
        continue;
      }
      test = s === 'test';
    }
    const list = rows.get(id);
    const row = { line: lineNo, period, index, value, test };
    if (list) list.push(row);
    else rows.set(id, [row]);
  }
  const series: HistorySeries[] = [];
  for (const [id, list] of rows) {
    list.sort((a, b) => a.index - b.index);
    const first = list[0] as Row;
    let ok = true;
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as Row;
      const cur = list[i] as Row;
      if (cur.index === prev.index) {
        fail(cur.line, name(iPeriod), `${id} has ${cur.period} twice (also line ${prev.line})`);
        ok = false;
      } else if (cur.index !== prev.index + 1) {
        fail(cur.line, name(iPeriod), monthsMissing(id, iId >= 0, prev, cur));
        ok = false;
      } else if (prev.test && !cur.test) {
        fail(
          cur.line,
          'split',
          `${id}: a train row (${cur.period}) comes after a test row (${prev.period})`,
        );
        ok = false;
      }
    }
    if (!ok) continue;
    series.push({
      id,
      start: first.period,
      startIndex: first.index,
      train: list.filter((r) => !r.test).map((r) => r.value),
      test: list.filter((r) => r.test).map((r) => r.value),
    });
  }
  return { series, errors };
}
