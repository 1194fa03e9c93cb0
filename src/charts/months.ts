/**
 * Months on a time axis. A period 'YYYY-MM' becomes the ISO date of its first day, which
 * JavaScript parses as UTC, and axes use utc time units so the host time zone never
 * shifts a bar into the previous month.
 */
import type { Period } from '../core/period.js';

export function monthDate(p: Period): string {
  return `${p}-01`;
}

/** An x channel for a field holding monthDate values. */
export function monthAxis(field: string, title: string | null = null) {
  return {
    field,
    type: 'temporal',
    timeUnit: 'utcyearmonth',
    title,
    axis: { format: '%b %y', labelAngle: 0, grid: false, labelFlush: true },
  } as const;
}
