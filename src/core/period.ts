/**
 * Months as 'YYYY-MM' strings. Planning happens by calendar month; these helpers are the
 * only place that does month arithmetic.
 */
export type Period = string;

/** The months' English names, January first (what a person reads, not how a period is written). */
export const MONTH_NAMES: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(s: string): boolean {
  return PERIOD_RE.test(s);
}

/** Months since year 0: a total order on periods. */
export function periodIndex(p: Period): number {
  const m = PERIOD_RE.exec(p);
  if (!m) throw new RangeError(`'${p}' is not a month in YYYY-MM form`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

export function periodFromIndex(i: number): Period {
  const y = Math.floor(i / 12);
  const mo = i - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
}

export function addMonths(p: Period, n: number): Period {
  return periodFromIndex(periodIndex(p) + n);
}

/** b − a in months. */
export function monthsBetween(a: Period, b: Period): number {
  return periodIndex(b) - periodIndex(a);
}

/** Inclusive range from..to; empty when to < from. */
export function periodRange(from: Period, to: Period): Period[] {
  const a = periodIndex(from);
  const b = periodIndex(to);
  const out: Period[] = [];
  for (let i = a; i <= b; i++) out.push(periodFromIndex(i));
  return out;
}

/** `n` consecutive months starting at `from`. */
export function nextPeriods(from: Period, n: number): Period[] {
  const a = periodIndex(from);
  return Array.from({ length: n }, (_, k) => periodFromIndex(a + k));
}

/** Calendar month (1-12) of a period. */
export function monthOfYear(p: Period): number {
  return (periodIndex(p) % 12) + 1;
}

export function daysInMonth(p: Period): number {
  const i = periodIndex(p);
  const y = Math.floor(i / 12);
  const m = i % 12;
  return new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
}

/**
 * Months as one span, as the pack and the review write them: "2027-01–2027-03" (en dash,
 * first to last as given), the one month, or '' for none.
 */
export function periodSpan(periods: readonly Period[]): string {
  return periods.length > 1 ? `${periods[0]}–${periods.at(-1)}` : (periods[0] ?? '');
}
