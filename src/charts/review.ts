/**
 * The performance review's trend: lag-1 forecast accuracy (consensus and baseline), plan
 * adherence, fill rate and OTIF, over the last cycles (12 by default), one point per review
 * placed at the month it reviewed (the cycle 2027-03 reviews 2027-02's actuals: its point is
 * 2027-02, never "2027-03", a month not over). A cycle without the data for a KPI has no
 * point for it. The caption compares month with month: "fill rate 91.1% (−2.7 pts vs 2027-01)".
 */
import type { TopLevelSpec } from 'vega-lite';
import { clip, formatPercent, formatPointsBetween, monthSpan } from './format.js';
import { CHART_WIDTH, palette, specHead } from './theme.js';
import type { ChartResult } from './types.js';

export interface ReviewTrendPoint {
  readonly cycle: string;
  /** The months the cycle reviewed (from the previous cycle's month to the one before its own). */
  readonly periods: readonly string[];
  readonly accuracy: number | null;
  readonly baselineAccuracy: number | null;
  readonly adherence: number | null;
  readonly fillRate: number | null;
  readonly otif: number | null;
}

/** Each line: its field, its name in the legend, and in the comment's sentence. */
const SERIES = [
  ['accuracy', 'Lag-1 accuracy, consensus', 'consensus lag-1 accuracy'],
  ['baselineAccuracy', 'Lag-1 accuracy, baseline', 'baseline lag-1 accuracy'],
  ['adherence', 'Plan adherence', 'plan adherence'],
  ['fillRate', 'Fill rate', 'fill rate'],
  ['otif', 'OTIF', 'OTIF'],
] as const;

/**
 * The month a review scored, as its point and the caption name it: "2027-02", or the span
 * "2027-02–2027-03" when the cycle before was two months back; the cycle's own month only
 * when it names none (never, as reviews are built).
 */
const reviewedOf = (p: ReviewTrendPoint): string => monthSpan(p.periods) || p.cycle;

export function reviewTrendChart(points: readonly ReviewTrendPoint[]): ChartResult {
  const sorted = [...points].sort((a, b) => a.cycle.localeCompare(b.cycle));
  // Each point at the month reviewed: the cycle 2027-03's figures are February's actuals.
  // The consensus last, so drawn on top: at the baseline's figure (no adjustment in the months
  // scored) its dot sits inside the baseline's larger one, and both show.
  const values = sorted.flatMap((p) =>
    [...SERIES].reverse().flatMap(([k, series]) => {
      const v = p[k];
      return v === null ? [] : [{ reviewed: reviewedOf(p), cycle: p.cycle, series, value: v }];
    }),
  );
  // The months reviewed, named: a chart read a month later says which ones it covers, the
  // months its axis shows.
  const plotted = sorted.filter((p) => values.some((v) => v.cycle === p.cycle));
  const months = monthSpan(plotted.flatMap((p) => p.periods));
  const title = months ? `Performance review, ${months}` : 'Performance review: the last cycles';
  const spans = plotted.some((p) => p.periods.length > 1);
  const spec = {
    ...specHead(title, [
      'Each point is a month’s actuals, scored at the next cycle against the plan made for it.',
    ]),
    width: CHART_WIDTH - 140,
    height: 260,
    data: { values },
    encoding: {
      x: {
        field: 'reviewed',
        type: 'ordinal',
        title: spans ? 'Months reviewed' : 'Month reviewed',
        // In the cycles' order, which is the months'.
        sort: plotted.map(reviewedOf),
        axis: { labelAngle: -45 },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: null,
        scale: { domain: [0, 1] },
        axis: { format: '.0%', tickCount: 5 },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 300 },
        scale: {
          domain: SERIES.map(([, s]) => s),
          range: [palette.consensus, palette.baseline, palette.warn, palette.good, palette.otif],
        },
      },
      // No `legend: null` here: on the same field it merges with the colour's legend, and
      // vega-lite then drew no legend at all. Merged, one legend shows colour and dash.
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: {
          domain: SERIES.map(([, s]) => s),
          range: [
            [1, 0],
            [4, 3],
            [1, 0],
            [1, 0],
            [1, 0],
          ],
        },
      },
      tooltip: [
        { field: 'reviewed', title: 'Reviewed' },
        { field: 'cycle', title: 'Cycle' },
        { field: 'series' },
        { field: 'value', format: '.1%' },
      ],
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 2.5 } },
      {
        mark: { type: 'point', filled: true, opacity: 1 },
        encoding: {
          size: {
            condition: { test: `datum.series === '${SERIES[1][1]}'`, value: 160 },
            value: 60,
          },
        },
      },
    ],
  } as TopLevelSpec;
  const last = sorted.at(-1);
  const prev = sorted.at(-2);
  // The change between the percentages as printed (this message's and the last review's),
  // so the figures add up on the page: 96.3% then 96.0% reads −0.3 pts, not the −0.4 of the
  // unrounded 96.34% and 95.96%. Against the month the last review scored, as the axis
  // names it: "(−2.7 pts vs 2027-01)", month with month.
  const change = (k: (typeof SERIES)[number][0]) => {
    const a = last?.[k];
    const b = prev?.[k];
    return prev && a !== null && a !== undefined && b !== null && b !== undefined
      ? ` (${formatPointsBetween(a, b)} vs ${reviewedOf(prev)})`
      : '';
  };
  const parts = last
    ? SERIES.flatMap(([k, , name]) => {
        const v = last[k];
        return v === null ? [] : [`${name} ${formatPercent(v)}${change(k)}`];
      })
    : [];
  // The month the figures are, then the cycle that scored it, as the accuracy chart says its
  // latest month ("Latest, 2027-02 (cycle 2027-01's forecast)").
  const latest = last ? `Latest, ${reviewedOf(last)} (cycle ${last.cycle}'s review)` : '';
  const summary = last
    ? parts.length
      ? `${months ? `Performance review, ${months}. ` : ''}${latest}: ${parts.join(', ')}.`
      : `${latest}: no actuals to score yet.`
    : 'No cycle to review yet.';
  const altText = `Line chart of lag-1 forecast accuracy, plan adherence, fill rate and OTIF by month reviewed, over ${sorted.length} cycles' reviews. ${summary}`;
  return { spec, title, altText: clip(altText, 1000), summary: clip(summary, 600) };
}
