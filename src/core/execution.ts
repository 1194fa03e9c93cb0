/**
 * Weekly S&OE: the deviations of one week against the adopted plan, beyond the thresholds
 * in the settings. A week (Monday to Sunday) belongs to the month of its Thursday (ISO 8601):
 * that month's plan decides its frozen zone. Its expected figures are its days' share of their
 * months (weekParts): a week within one month is 7 / (days in that month) of it, and one that
 * spans two months is d₁ / (days of the first) of the first month's plan plus d₂ / (days of
 * the second) of the second's (29 March – 4 April 2027: 3/31 of March and 4/30 of April).
 *
 * - sales above P90: the week's sales above the week's P90: its share of the consensus plus
 *   the P90 margin (the consensus scaled by the baseline's upper 80% bound, hi80 / baseline,
 *   less the consensus) times √share, as for weeks whose errors are independent; the two
 *   months' parts of a spanning week add up their variances (√Σ margin² × share).
 *   The plan's own uncertainty around what was agreed, on a week's scale.
 * - production below plan: the week's production below its share of the planned production
 *   by more than `productionShortfallPct`.
 * - supplier short: receipts below what was due by more than `receiptShortfallPct`.
 *
 * Each is judged as its message prints it (whole units, the percentage to one decimal), so a
 * message never reads "sold 219, above 219", nor "−10.0%" against a tolerance of "more than
 * 10%".
 *
 * A deviation in a week of the frozen zone (weekFrozen: its month in the frozen zone of the
 * plan in force for it, by zoneOf, the rule forecast adjustments are fenced by) that misses
 * the plan by more than `frozenBreakPct`, either way (breaksFrozenPlan), breaks the frozen
 * zone's assumptions: it goes to the next executive meeting.
 */
import { addDays, daysBetween } from './calendar.js';
import type { TimeFences } from './company.js';
import { openingSalesMonths, type ProductionActuals, type ProductionRow } from './finance.js';
import { pctAsShown } from './number-format.js';
import { addMonths, daysInMonth, type Period } from './period.js';
import { zoneOf } from './time-fences.js';

export interface ExecutionThresholds {
  readonly productionShortfallPct: number;
  readonly receiptShortfallPct: number;
  readonly frozenBreakPct: number;
}

/** A month's figures in the plan in force for it, and the share of them a week takes. */
export interface PlanPart {
  /** The week's days in the month over the month's days (weekParts). */
  readonly share: number;
  readonly consensus: number;
  readonly baseline: number | null;
  readonly hi80: number | null;
  readonly plannedProduction: number;
}

export interface FamilyWeek {
  readonly family: string;
  readonly sales: number | null;
  readonly production: number | null;
  /** One part per month the week's days fall in (one, or two for a week that spans two). */
  readonly plan: readonly PlanPart[];
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
  /** What the plan expected: the week's share of the consensus (sales), else `expected`. */
  readonly planned: number;
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

/** A month a week's days fall in, and the share of that month they are. */
export interface WeekPart {
  readonly month: Period;
  readonly days: number;
  readonly share: number;
}

/**
 * The months a week's days fall in, each with its share: 2027-03-29 → 3/31 of 2027-03 and
 * 4/30 of 2027-04; a week within one month → 7/days of it.
 */
export function weekParts(monday: string): WeekPart[] {
  const parts: WeekPart[] = [];
  for (let i = 0; i < 7; i++) {
    const month = addDays(monday, i).slice(0, 7);
    const last = parts.at(-1);
    if (last?.month === month) parts[parts.length - 1] = { ...last, days: last.days + 1 };
    else parts.push({ month, days: 1, share: 0 });
  }
  return parts.map((p) => ({ ...p, share: p.days / daysInMonth(p.month) }));
}

/** A figure as messages print it (fmtQty): whole units. */
const asShown = (n: number) => Math.round(n) || 0;

/**
 * How far `actual` is from `expected`, as a fraction: between the two figures as messages
 * print them, so the three add up on the page ("sold 250, above 219 (+14.2%)" is
 * (250 − 219) / 219, whether the P90 was 218.6 or 219.4). A base that prints as 0 is taken
 * as it is. Null when there is no base.
 */
export function changeAsShown(actual: number, expected: number): number | null {
  if (!(expected > 0)) return null;
  const base = asShown(expected);
  return base > 0 ? (asShown(actual) - base) / base : (actual - expected) / expected;
}

/** How far `actual` falls short of `planned`, in percent as messages print it (10.0). */
const shortAsShown = (actual: number, planned: number) =>
  -pctAsShown(changeAsShown(actual, planned) ?? 0);

/**
 * Whether a week is in the frozen zone of the plan adopted in `cycleMonth`: its month (its
 * Thursday's, weekMonth) is, by zoneOf. The week of 2027-03-29 (Thursday 1 April) is month 2
 * of March's plan: frozen when two months are, not when one is.
 */
export function weekFrozen(cycleMonth: Period, week: string, fences: TimeFences): boolean {
  return zoneOf(cycleMonth, weekMonth(week), fences) === 'frozen';
}

/**
 * Whether `actual` breaks a frozen plan of `planned`: it misses it, under or over, by more
 * than `frozenBreakPct` as a message prints the miss ("−25.0%" and "+25.0%" do not break 25%;
 * "+25.1%" does). The frozen zone's plan is fixed (docs/meeting.md): making or receiving far
 * more than it breaks its assumptions as making far less does. Never with nothing planned.
 */
export function breaksFrozenPlan(actual: number, planned: number, frozenBreakPct: number): boolean {
  return planned > 0 && Math.abs(pctAsShown(changeAsShown(actual, planned) ?? 0)) > frozenBreakPct;
}

/** The Monday of the week that holds `date` (YYYY-MM-DD). */
export function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/**
 * The weeks (their Mondays) whose days reach into the months `from` to `to`: from the week of
 * `from`'s 1st to the week of `to`'s last day (2026-12 alone: 30 November to 28 December).
 */
export function weeksReaching(
  from: Period,
  to: Period,
): { readonly from: string; readonly to: string } {
  return {
    from: mondayOf(`${from}-01`),
    to: mondayOf(`${to}-${String(daysInMonth(to)).padStart(2, '0')}`),
  };
}

/** A month range, and a week range (Mondays). */
export interface MonthsAndWeeks {
  readonly months: { readonly from: Period; readonly to: Period };
  readonly weeks: { readonly from: string; readonly to: string };
}

/** How far back a family's production actuals show it is still producing (billRange). */
export const RECENT_PRODUCTION_MONTHS = 12;

/**
 * The production actuals the bills open when a plan begins on `first` need, with `dpoDays`:
 * the months whose bills are still open then (openingSalesMonths) and the weeks that reach
 * into them (`bills`), and the months from RECENT_PRODUCTION_MONTHS before the first of them
 * to the last, with their weeks (`recent`): a family with production actuals there is still
 * producing, so each of those months needs its row for its bill to be known; one with none
 * there (paused, or selling off its stock) makes nothing then, not a bill left out. Null with
 * payment on delivery (no month's bill is open). 2027-01 on 30 days: December 2026's bills,
 * and December 2025 to December 2026.
 */
export function billRange(
  first: Period,
  dpoDays: number,
): { readonly bills: MonthsAndWeeks; readonly recent: MonthsAndWeeks } | null {
  const months = openingSalesMonths(first, dpoDays);
  const from = months[0];
  const to = months.at(-1);
  if (!from || !to) return null;
  const since = addMonths(from, -RECENT_PRODUCTION_MONTHS);
  return {
    bills: { months: { from, to }, weeks: weeksReaching(from, to) },
    recent: { months: { from: since, to }, weeks: weeksReaching(since, to) },
  };
}

/**
 * The months production actuals changed for `months` (monthly rows) and `weeks` (weekly rows,
 * their Mondays) bear on in the bills a plan opens with (`range`, billRange): `bills`, the
 * bill months they give a row of (a month's own, or the days of a week in it); `recent`, the
 * other months they show a family still producing in (RECENT_PRODUCTION_MONTHS), so that each
 * bill month needs its row; `other`, the months they touch outside both, which the plan's
 * cash does not read. Each list sorted, without repeats.
 */
export function productionBearing(
  range: { readonly bills: MonthsAndWeeks; readonly recent: MonthsAndWeeks } | null,
  months: readonly Period[],
  weeks: readonly string[],
): { readonly bills: Period[]; readonly recent: Period[]; readonly other: Period[] } {
  const bills = new Set<Period>();
  const recent = new Set<Period>();
  const other = new Set<Period>();
  const within = (x: string, r: { readonly from: string; readonly to: string }) =>
    x >= r.from && x <= r.to;
  const place = (m: Period, inRecent: boolean) => {
    if (range && within(m, range.bills.months)) bills.add(m);
    else if (inRecent) recent.add(m);
    else other.add(m);
  };
  for (const m of months) place(m, range !== null && within(m, range.recent.months));
  for (const w of weeks) {
    const inRecent = range !== null && within(w, range.recent.weeks);
    for (const part of weekParts(w)) place(part.month, inRecent);
  }
  const sorted = (s: Set<Period>) => [...s].sort();
  for (const m of bills) recent.delete(m);
  for (const m of [...bills, ...recent]) other.delete(m);
  return { bills: sorted(bills), recent: sorted(recent), other: sorted(other) };
}

/** Whether `weeks` (Mondays) hold every day of `month`: each week that reaches into it. */
function weeksCover(weeks: ReadonlySet<string>, month: Period): boolean {
  const span = weeksReaching(month, month);
  for (let w = span.from; w <= span.to; w = addDays(w, 7)) if (!weeks.has(w)) return false;
  return true;
}

/**
 * Each family's production by month from the production actuals: the monthly rows (the
 * `production` import) as they are, and the weekly ones (`weekly-production`) split by days
 * (weekParts: a week's units × its days in a month / 7 go to that month, so the week of
 * Monday 28 December 2026 puts 4/7 of it in December and 3/7 in January) for the
 * family-months no monthly row has. A family's month is taken from its weekly rows only when
 * its weeks hold every one of the month's days: a month they hold in part, for a family
 * without its monthly row, has no row, not the production of its weeks. `families`: those
 * still producing (billRange), each of which a month needs for it to be known
 * (productionCost): `withHistory` when the rows are only some months' (the query reads those
 * the DPO reaches back to), else those of the rows.
 */
export function productionByMonth(
  monthly: readonly ProductionRow[],
  weekly: readonly { readonly family: string; readonly week: string; readonly units: number }[],
  withHistory?: readonly string[],
): ProductionActuals {
  const families = withHistory
    ? [...withHistory]
    : [...new Set([...monthly, ...weekly].map((r) => r.family))].sort();
  if (weekly.length === 0) return { rows: [...monthly], families };
  const have = new Set(monthly.map((m) => `${m.family}|${m.period}`));
  const weeksOf = new Map<string, Set<string>>();
  for (const w of weekly) {
    const weeks = weeksOf.get(w.family) ?? new Set<string>();
    weeks.add(w.week);
    weeksOf.set(w.family, weeks);
  }
  const covered = new Map<string, boolean>();
  const summed = new Map<string, ProductionRow>();
  for (const w of weekly) {
    for (const part of weekParts(w.week)) {
      const key = `${w.family}|${part.month}`;
      if (have.has(key)) continue;
      let whole = covered.get(key);
      if (whole === undefined) {
        whole = weeksCover(weeksOf.get(w.family)!, part.month);
        covered.set(key, whole);
      }
      if (!whole) continue;
      const before = summed.get(key)?.units ?? 0;
      summed.set(key, {
        family: w.family,
        period: part.month,
        units: before + (w.units * part.days) / 7,
      });
    }
  }
  return { rows: [...monthly, ...summed.values()], families };
}

/**
 * The Monday of ISO 8601 week `week` of `year` (YYYY-MM-DD): week 1 is the one that holds 4
 * January, so 2026-W53 starts on 2026-12-28 and 2027-W01 on 2027-01-04. Null for a week the
 * year has not (a year has 53 only when its weeks from 4 January to the next 4 January's
 * week are 53: 2026 has, 2027 has 52).
 */
export function isoWeekMonday(year: number, week: number): string | null {
  const pad = (y: number) => String(y).padStart(4, '0');
  const first = mondayOf(`${pad(year)}-01-04`);
  const weeks = daysBetween(first, mondayOf(`${pad(year + 1)}-01-04`)) / 7;
  return Number.isInteger(week) && week >= 1 && week <= weeks
    ? addDays(first, 7 * (week - 1))
    : null;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function detectDeviations(input: {
  readonly families: readonly FamilyWeek[];
  readonly receipts: readonly ReceiptWeek[];
  readonly frozen: boolean;
  readonly thresholds: ExecutionThresholds;
}): DetectedDeviation[] {
  const t = input.thresholds;
  const breaks = (actual: number, planned: number) =>
    input.frozen && breaksFrozenPlan(actual, planned, t.frozenBreakPct);
  const out: DetectedDeviation[] = [];
  for (const f of input.families) {
    if (f.sales !== null) {
      const mean = sum(f.plan.map((p) => p.consensus * p.share));
      // The week's expected sales plus the P90 margin scaled by √share: weeks whose errors
      // are independent add up to the month's, so a week's spread is the month's times
      // √(7/days), not times 7/days, which would flag about a quarter of all weeks. A week's
      // two months' parts are independent too: their variances add.
      const variance = sum(
        f.plan.map((p) => {
          const spread = p.baseline && p.hi80 !== null && p.baseline > 0 ? p.hi80 / p.baseline : 1;
          // Signed, as the margin of a bound below the baseline was: negative.
          return Math.sign(spread - 1) * (p.consensus * (spread - 1)) ** 2 * p.share;
        }),
      );
      const margin = Math.sign(variance) * Math.sqrt(Math.abs(variance));
      const p90 = mean + margin;
      if (asShown(f.sales) > asShown(p90) && p90 >= 0)
        out.push({
          kind: 'sales_above_p90',
          family: f.family,
          supplier: null,
          actual: f.sales,
          expected: p90,
          planned: mean,
          frozenBreak: breaks(f.sales, mean),
        });
    }
    if (f.production !== null) {
      const planned = sum(f.plan.map((p) => p.plannedProduction * p.share));
      if (planned > 0 && shortAsShown(f.production, planned) > t.productionShortfallPct)
        out.push({
          kind: 'production_below_plan',
          family: f.family,
          supplier: null,
          actual: f.production,
          expected: planned,
          planned,
          frozenBreak: breaks(f.production, planned),
        });
    }
  }
  for (const r of input.receipts) {
    if (r.expected > 0 && shortAsShown(r.received, r.expected) > t.receiptShortfallPct)
      out.push({
        kind: 'supplier_short',
        family: null,
        supplier: r.supplier,
        actual: r.received,
        expected: r.expected,
        planned: r.expected,
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
