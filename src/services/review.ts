/**
 * The performance review that opens each cycle (docs/meeting.md, "The loop").
 *
 * - `snapshotCycle` keeps a cycle's lag-1 and lag-3 forecasts (naive, baseline, consensus
 *   and the adjustment chain) when it closes, so later cycles score what it said then.
 * - `reviewTrend` reviews the last cycles up to a month: each cycle reviews the months from
 *   the previous cycle's month to the month before its own, against the previous cycle's
 *   adopted scenario (else its latest central). All the window's rows are read in one query
 *   per table; the math is `performanceReview` (src/core/review.ts).
 */
import type { Db } from '../../db/connect.js';
import { cycleAdjustments } from '../../db/queries/cycle-inputs.js';
import {
  actualsBetween,
  baselineFor,
  cyclesUpTo,
  cyclesWithSnapshots,
  insertSnapshots,
  type NewSnapshot,
  ordersBetween,
  planLines,
  referenceScenario,
  reviewFamilies,
  snapshotsBetween,
} from '../../db/queries/review.js';
import type { CycleRow } from '../../db/schema.js';
import { computeConsensus, SYSTEM_AUTHOR } from '../core/consensus.js';
import { addMonths, monthsBetween, type Period, periodRange } from '../core/period.js';
import {
  COVER_MONTHS,
  OBSOLETE_MONTHS,
  performanceReview,
  type Review,
  SNAPSHOT_LAGS,
} from '../core/review.js';

/** Cycles the trend chart shows. */
export const TREND_CYCLES = 12;

/**
 * Keep the cycle's lag-1 and lag-3 forecasts; idempotent. Returns the rows written. Run it in
 * the transaction that closes the cycle, so a closed cycle always has its snapshots.
 */
export async function snapshotCycle(
  db: Db,
  cycle: Pick<CycleRow, 'id' | 'month'>,
): Promise<number> {
  const periods = SNAPSHOT_LAGS.map((l) => addMonths(cycle.month, l));
  const families = await reviewFamilies(db);
  const codes = new Map(families.map((f) => [f.id, f.code]));
  const ids = new Map(families.map((f) => [f.code, f.id]));
  const base = await baselineFor(db, cycle.id, periods);
  if (base.length === 0) return 0;
  const naive = new Map(base.map((b) => [`${b.familyId}|${b.period}`, b.naive ?? b.value]));
  const inWindow = new Set(periods);
  const adjustments = (await cycleAdjustments(db, cycle.id, codes)).filter((a) =>
    inWindow.has(a.period),
  );
  const lines = computeConsensus(
    base.flatMap((b) => {
      const family = codes.get(b.familyId);
      return family ? [{ family, period: b.period, value: b.value }] : [];
    }),
    adjustments,
  );
  const rows: NewSnapshot[] = lines.flatMap((l) => {
    const familyId = ids.get(l.family);
    if (familyId === undefined) return [];
    return [
      {
        cycleId: cycle.id,
        familyId,
        period: l.period,
        lag: monthsBetween(cycle.month, l.period),
        naive: naive.get(`${familyId}|${l.period}`) ?? l.baseline,
        baseline: l.baseline,
        consensus: l.consensus,
        steps: l.steps
          .filter((s) => s.author !== SYSTEM_AUTHOR)
          .map((s) => ({
            author: s.author,
            reasonCode: s.reasonCode,
            before: s.before,
            after: s.after,
          })),
      },
    ];
  });
  return insertSnapshots(db, rows);
}

export interface CycleReview {
  readonly month: Period;
  /** The cycle whose adopted (else latest central) scenario is reviewed. */
  readonly reference: {
    readonly month: Period;
    readonly scenarioId: string;
    readonly label: string;
    readonly adopted: boolean;
  } | null;
  readonly review: Review;
}

/** The months a cycle reviews: from the previous cycle's month to the month before its own. */
export function reviewedMonths(month: Period, previous: Period | null): Period[] {
  const last = addMonths(month, -1);
  return previous && previous <= last ? periodRange(previous, last) : [last];
}

/**
 * Reviews of the last `count` cycles up to `month` (which need not have a cycle yet), oldest
 * first. Closed cycles without snapshots (closed before snapshots existed) get them first.
 */
export async function reviewTrend(
  db: Db,
  month: Period,
  count = TREND_CYCLES,
): Promise<CycleReview[]> {
  const cycles = await cyclesUpTo(db, month);
  const closed = cycles.filter((c) => c.closed_at && c.month < month);
  const kept = await cyclesWithSnapshots(
    db,
    closed.map((c) => c.id),
  );
  for (const c of closed)
    if (!kept.has(c.id)) await db.transaction().execute((trx) => snapshotCycle(trx, c));
  const months = [...new Set([...cycles.map((c) => c.month), month])].sort();
  const window = months.slice(-count);
  const byMonth = new Map(cycles.map((c) => [c.month, c]));
  const plans = window.map((m) => {
    const i = months.indexOf(m);
    const prev = i > 0 ? (byMonth.get(months[i - 1] as Period) ?? null) : null;
    return { month: m, prev, periods: reviewedMonths(m, prev?.month ?? null) };
  });
  const refs = await Promise.all(
    plans.map(async (p) => (p.prev ? await referenceScenario(db, p.prev) : null)),
  );
  const planned = plans.map((p, i) => ({ ...p, ref: refs[i] ?? null }));
  const rows = await loadReviewWindow(db, planned);
  if (!rows) return [];
  return planned.map((p) => ({
    month: p.month,
    reference:
      p.ref && p.prev
        ? {
            month: p.prev.month,
            scenarioId: p.ref.scenario.id,
            label: p.ref.scenario.label,
            adopted: p.ref.adopted,
          }
        : null,
    review: reviewFromWindow(rows, p.periods, p.ref?.scenario.id ?? null),
  }));
}

/** Everything the reviews of a window of cycles read: one query per table. */
export async function loadReviewWindow(
  db: Db,
  plans: readonly { periods: readonly Period[]; ref: { scenario: { id: string } } | null }[],
) {
  const first = plans[0]?.periods[0];
  const last = plans.at(-1)?.periods.at(-1);
  if (!first || !last) return null;
  const [families, snapshots, actuals, orders, planByScenario] = await Promise.all([
    reviewFamilies(db),
    snapshotsBetween(db, first, last),
    actualsBetween(db, addMonths(first, -OBSOLETE_MONTHS), addMonths(last, COVER_MONTHS)),
    ordersBetween(db, first, last),
    planLines(
      db,
      plans.flatMap((p) => (p.ref ? [p.ref.scenario.id] : [])),
    ),
  ]);
  return { families, snapshots, actuals, orders, planByScenario };
}

export type ReviewWindow = NonNullable<Awaited<ReturnType<typeof loadReviewWindow>>>;

/** One cycle's review from the window's rows (pure). */
export function reviewFromWindow(
  w: ReviewWindow,
  periods: readonly Period[],
  scenarioId: string | null,
): Review {
  return performanceReview({
    periods,
    families: w.families,
    snapshots: w.snapshots,
    sales: w.actuals.sales,
    production: w.actuals.production,
    inventory: w.actuals.inventory,
    orders: w.orders,
    plan: scenarioId ? (w.planByScenario.get(scenarioId) ?? []) : [],
  });
}

/** The review of one cycle (the last of its trend); the review-loop tests read one through it. */
export async function reviewOf(db: Db, month: Period): Promise<CycleReview> {
  const trend = await reviewTrend(db, month, 1);
  const r = trend.at(-1);
  if (!r) throw new Error(`no review for ${month}`);
  return r;
}
