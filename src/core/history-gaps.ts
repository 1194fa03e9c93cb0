/**
 * Months a family's sales history leaves out. The company's sales history covers a period:
 * from its first row to the latest month of any family. Inside it, a month without a row for
 * a family that had started selling is zero sales (no row, no sales: the usual CSV
 * convention), whether it falls between two of the family's rows or after its last one.
 * Months before a family's first row are not counted: it had not started.
 */
import { type Period, periodFromIndex, periodIndex } from './period.js';
import { compareCodes } from './text.js';

/** The latest month of any row before `before` (every row when null), or null. */
export function historyEnd(
  rows: readonly { readonly period: Period }[],
  before: Period | null = null,
): Period | null {
  const end = before === null ? Number.POSITIVE_INFINITY : periodIndex(before);
  let last = -1;
  for (const r of rows) {
    const i = periodIndex(r.period);
    if (i < end && i > last) last = i;
  }
  return last < 0 ? null : periodFromIndex(last);
}

/** The months from the first of `periods` through `through` that are not among them. */
export function missingMonths(periods: readonly Period[], through: Period): Period[] {
  const have = new Set(periods.map(periodIndex));
  if (have.size === 0) return [];
  const out: Period[] = [];
  for (let i = Math.min(...have); i <= periodIndex(through); i++)
    if (!have.has(i)) out.push(periodFromIndex(i));
  return out;
}

/**
 * A family's rows with the months `missingMonths` finds through `through` added as zero sales,
 * in month order: the history its baseline was fitted to.
 */
export function withZeroMonths<T extends { readonly period: Period; readonly units: number }>(
  rows: readonly T[],
  through: Period,
): { period: Period; units: number }[] {
  const zeros = missingMonths(
    rows.filter((r) => periodIndex(r.period) <= periodIndex(through)).map((r) => r.period),
    through,
  ).map((period) => ({ period, units: 0 }));
  return [...rows.map((r) => ({ period: r.period, units: r.units })), ...zeros].sort(
    (a, b) => periodIndex(a.period) - periodIndex(b.period),
  );
}

export interface FamilyGap {
  readonly family: string;
  /** The months counted as zero sales, in order. */
  readonly months: readonly Period[];
}

/**
 * Each family with months counted as zero sales, by code: rows before `before` only (every
 * row when null), the covered period ending at the latest of them.
 */
export function historyGaps(
  rows: readonly { readonly family: string; readonly period: Period }[],
  before: Period | null = null,
): FamilyGap[] {
  const end = before === null ? Number.POSITIVE_INFINITY : periodIndex(before);
  const kept = rows.filter((r) => periodIndex(r.period) < end);
  const through = historyEnd(kept);
  if (through === null) return [];
  const byFamily = new Map<string, Period[]>();
  for (const r of kept) {
    const list = byFamily.get(r.family);
    if (list) list.push(r.period);
    else byFamily.set(r.family, [r.period]);
  }
  return [...byFamily.entries()]
    .map(([family, periods]) => ({ family, months: missingMonths(periods, through) }))
    .filter((g) => g.months.length > 0)
    .sort((a, b) => compareCodes(a.family, b.family));
}

/**
 * Months written as runs ("2026-09..2027-02, 2025-03"), the first `max` runs, then
 * "and N more months" for the months of the runs left out.
 */
export function monthRuns(months: readonly Period[], max = 4): string {
  const idx = [...new Set(months.map(periodIndex))].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const i of idx) {
    const run = runs[runs.length - 1];
    if (run && run[1] === i - 1) run[1] = i;
    else runs.push([i, i]);
  }
  const text = runs
    .slice(0, max)
    .map(([a, b]) =>
      a === b ? periodFromIndex(a) : `${periodFromIndex(a)}..${periodFromIndex(b)}`,
    );
  const left = runs.slice(max).reduce((n, [a, b]) => n + b - a + 1, 0);
  return left > 0
    ? `${text.join(', ')} and ${left} more month${left === 1 ? '' : 's'}`
    : text.join(', ');
}
