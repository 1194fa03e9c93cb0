/**
 * The review step: at the start of each cycle the review is posted in the demand channel
 * (the data-gathering channel; the executive channel when no demand channel is set), once
 * per cycle: one message, with the trend chart over the last 12 cycles (once any cycle has a
 * KPI) as the reply in its thread, so the channel sees the headline figures once.
 */
import type { Block, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/connect.js';
import { actualsBetween, previousCycle, snapshotsBetween } from '../../db/queries/review.js';
import type { CycleRow } from '../../db/schema.js';
import { renderChart } from '../charts/render.js';
import { type ReviewTrendPoint, reviewTrendChart } from '../charts/review.js';
import { addMonths } from '../core/period.js';
import { type TrackingSignals, trackingSignals } from '../core/tracking-signal.js';
import { postFileOnce, postMessageOnce } from '../slack/post-ledger.js';
import { reviewMessage, reviewNamed } from '../slack/presenters/review.js';
import { today } from './actions.js';
import { requireCycle } from './cycles.js';
import { currentDispositions, escalationsOf } from './escalations.js';
import { actionState, followThrough, lastDecisionActions, whatChanged } from './follow-through.js';
import type { PackLoop } from './pack-loop.js';
import { type CycleReview, reviewTrend } from './review.js';
import { getSettings } from './settings.js';
import { userNamesFor } from './user-names.js';

/** The review, what changed and the follow-through of a cycle, as the pack and the post show them. */
export async function loopOf(db: Db, cycle: CycleRow, now: Date): Promise<PackLoop> {
  const { timezone } = await getSettings(db);
  const day = today(now, timezone);
  const trend = await reviewTrend(db, cycle.month);
  const previous = await previousCycle(db, cycle.month);
  const changed = await whatChanged(db, cycle, previous, day, timezone);
  const last = trend.at(-1);
  const [escalations, decided] = await Promise.all([
    escalationsOf(db, cycle),
    currentDispositions(db, cycle.id),
  ]);
  return {
    trend,
    changed,
    tracking: await tracking(db, cycle.month),
    follow: last ? followThrough(last, lastDecisionActions(changed), day) : null,
    escalations: escalations.map((e) => ({
      summary: e.summary,
      owner: e.owner,
      due: e.due_date,
      actionId: e.action_id,
      // As question 10 and the digest judge it on the same day: an open action past its due
      // date is overdue, a cancelled one dropped.
      state: e.status === null ? null : actionState(e, day),
      carried: e.carried,
      deferredIn: e.deferredIn,
      undecidedIn: e.undecidedIn,
      deferNote: e.deferNote,
      decided: decided.get(e.id) ?? null,
    })),
  };
}

/** How many months back the tracking signal looks. */
export const TRACKING_MONTHS = 12;

/** The lag-1 consensus forecasts' tracking signals over the 12 months before `month`. */
async function tracking(db: Db, month: string): Promise<TrackingSignals> {
  const from = addMonths(month, -TRACKING_MONTHS);
  const to = addMonths(month, -1);
  const [snapshots, actuals] = await Promise.all([
    snapshotsBetween(db, from, to),
    actualsBetween(db, from, to),
  ]);
  return trackingSignals(
    snapshots
      .filter((s) => s.lag === 1)
      .map((s) => ({ family: s.family, period: s.period, value: s.consensus })),
    actuals.sales,
  );
}

/** Whether a cycle of the trend has any KPI to plot. */
const scored = (p: ReviewTrendPoint): boolean =>
  [p.accuracy, p.baselineAccuracy, p.adherence, p.fillRate, p.otif].some((v) => v !== null);

export function trendPoints(trend: readonly CycleReview[]): ReviewTrendPoint[] {
  return trend.map((r) => {
    const t = r.review.total;
    return {
      cycle: r.month,
      periods: r.review.periods,
      accuracy: t.byLag['1']?.consensusAccuracy ?? null,
      baselineAccuracy: t.byLag['1']?.baselineAccuracy ?? null,
      adherence: t.adherence,
      fillRate: t.fillRate,
      otif: t.otif,
    };
  });
}

/**
 * Post the cycle's review once: the message, then the trend chart in its thread. The ts of the
 * message when this call posted it; null when it was posted before, or no channel is set.
 */
export async function postReview(
  slack: WebClient,
  db: Db,
  cycleId: number,
  now: Date,
  opts: {
    readonly fontDir?: string;
    /** The chart's claim holder and logger (postFileOnce): the job posting it. */
    readonly holder?: string | undefined;
    readonly logger?: { warn(obj: object, msg: string): void };
    /** How long the chart's upload waits for Slack (postFileOnce). */
    readonly timeoutMs?: number;
    /** The job's last attempt: a name Slack does not give (but for a 429) shows the id. */
    readonly lastAttempt?: boolean;
  } = {},
): Promise<string | null> {
  const settings = await getSettings(db);
  const channel = settings.demand_channel ?? settings.exec_channel;
  if (!channel) return null;
  const cycle = await requireCycle(db, cycleId);
  const loop = await loopOf(db, cycle, now);
  const points = trendPoints(loop.trend);
  // With no KPI in any cycle yet (the first cycle), the chart would be an empty frame: the
  // message alone says there is nothing to score.
  const withChart = points.some(scored);
  const msg = reviewMessage(
    cycle.month,
    loop,
    withChart,
    // Who did what by name, all read in one go before anything is posted (a retry reads them
    // again): Slack not answering one (a 429, a timeout) retries the job, not a review with ids,
    // until its last attempt.
    await userNamesFor(db, slack, opts.logger).names(reviewNamed(loop), {
      retry: true,
      lastAttempt: opts.lastAttempt ?? false,
    }),
  );
  const review = await postMessageOnce(db, slack, {
    key: `review:${cycleId}`,
    channel,
    text: msg.text,
    ...(msg.blocks ? { blocks: msg.blocks as readonly (KnownBlock | Block)[] } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  if (withChart) {
    const chart = reviewTrendChart(points);
    const png = await renderChart(chart.spec, opts.fontDir ? { fontDir: opts.fontDir } : {});
    // A reply in the review's thread (files.completeUploadExternal with its thread_ts).
    await postFileOnce(db, slack, {
      key: `review:${cycleId}:trend`,
      channel,
      threadTs: review.ts,
      filename: `review-${cycle.month}.png`,
      title: chart.title,
      altText: chart.altText,
      comment: chart.summary,
      bytes: png.png,
      ...(opts.holder ? { holder: opts.holder } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
  }
  return review.posted ? review.ts : null;
}
