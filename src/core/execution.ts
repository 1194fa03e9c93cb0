/**
 * Weekly S&OE: the deviations of one week against the adopted plan, beyond the thresholds
 * in the settings. A week (Monday to Sunday) belongs to the month of its Thursday (ISO 8601)
 * and is 7 / (days in that month) of it.
 *
 * - sales above P90: the week's sales above the week's P90: its share of the consensus plus
 *   the month's P90 margin (the consensus scaled by the baseline's upper 80% bound, hi80 /
 *   baseline, less the consensus) times √share, as for weeks whose errors are independent.
 *   The plan's own uncertainty around what was agreed, on a week's scale.
 * - production below plan: the week's production below its share of the planned production
 *   by more than `productionShortfallPct`.
 * - supplier short: receipts below what was due by more than `receiptShortfallPct`.
 *
 * A deviation in a month of the frozen zone that misses the plan by more than
 * `frozenBreakPct` breaks the frozen zone's assumptions: it goes to the next executive
 * meeting.
 */
import { daysInMonth, type Period } from './period.js';

export interface ExecutionThresholds {
  readonly productionShortfallPct: number;
  readonly receiptShortfallPct: number;
  readonly frozenBreakPct: number;
}

export interface FamilyWeek {
  readonly family: string;
  readonly sales: number | null;
  readonly production: number | null;
  /** The adopted plan's month figures (the week's month). */
  readonly consensus: number;
  readonly baseline: number | null;
  readonly hi80: number | null;
  readonly plannedProduction: number;
}

export interface ReceiptWeek {
  readonly supplier: string;
  readonly expected: number;
  readonly received: number;
}

export interface DetectedDeviation {
  readonly kind: 'sales_above_p90' | 'production_below_plan' | 'supplier_short';
  readonly family: string | null;
  readonly supplier: string | null;
  readonly actual: number;
  /** The threshold crossed: the week's P90, or the planned / due quantity. */
  readonly expected: number;
  readonly frozenBreak: boolean;
}

/** The month a week belongs to: its Thursday's (weeks start on Monday, YYYY-MM-DD). */
export function weekMonth(monday: string): Period {
  const d = new Date(`${monday}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 3);
  return d.toISOString().slice(0, 7);
}

/** The share of its month a week is: 7 / days in the month. */
export function weekShare(monday: string): number {
  return 7 / daysInMonth(weekMonth(monday));
}

/** The Monday of the week that holds `date` (YYYY-MM-DD). */
export function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function detectDeviations(
  week: string,
  input: {
    readonly families: readonly FamilyWeek[];
    readonly receipts: readonly ReceiptWeek[];
    readonly frozen: boolean;
    readonly thresholds: ExecutionThresholds;
  },
): DetectedDeviation[] {
  const share = weekShare(week);
  const t = input.thresholds;
  const breaks = (actual: number, planned: number) =>
    input.frozen && planned > 0 && Math.abs(actual - planned) / planned > t.frozenBreakPct / 100;
  const out: DetectedDeviation[] = [];
  for (const f of input.families) {
    if (f.sales !== null) {
      const spread = f.baseline && f.hi80 !== null && f.baseline > 0 ? f.hi80 / f.baseline : 1;
      // The week's expected sales plus the month's P90 margin scaled by √share: weeks whose
      // errors are independent add up to the month's, so a week's spread is the month's
      // times √(7/days), not times 7/days, which would flag about a quarter of all weeks.
      const p90 = f.consensus * share + f.consensus * (spread - 1) * Math.sqrt(share);
      if (f.sales > p90 && p90 >= 0 && !(p90 === 0 && f.sales === 0))
        out.push({
          kind: 'sales_above_p90',
          family: f.family,
          supplier: null,
          actual: f.sales,
          expected: p90,
          frozenBreak: breaks(f.sales, f.consensus * share),
        });
    }
    if (f.production !== null) {
      const planned = f.plannedProduction * share;
      if (planned > 0 && f.production < planned * (1 - t.productionShortfallPct / 100))
        out.push({
          kind: 'production_below_plan',
          family: f.family,
          supplier: null,
          actual: f.production,
          expected: planned,
          frozenBreak: breaks(f.production, planned),
        });
    }
  }
  for (const r of input.receipts) {
    if (r.expected > 0 && r.received < r.expected * (1 - t.receiptShortfallPct / 100))
      out.push({
        kind: 'supplier_short',
        family: null,
        supplier: r.supplier,
        actual: r.received,
        expected: r.expected,
        frozenBreak: breaks(r.received, r.expected),
      });
  }
  return out;
}

/** What operations can report with `/sop execution`. */
export const REPORT_KINDS = {
  supplier_delay: 'Supplier delay',
  production_stop: 'Production stop',
  quality_hold: 'Quality hold',
  other: 'Other',
} as const;
export type ReportKind = keyof typeof REPORT_KINDS;
