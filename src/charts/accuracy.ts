/**
 * The forecast-accuracy trend: accuracy (1 − WMAPE), bias and the accuracy the consensus added
 * to the statistical forecast, in points, per closed cycle. The sign convention of bias is in
 * the chart itself. Not named FVA: the review and the pack give FVA in units of error removed
 * (docs/meeting.md), and one name in one channel means one unit.
 */
import type { TopLevelSpec } from 'vega-lite';
import { clip, formatPercent, formatPoints, formatPointsBetween, monthSpan } from './format.js';
import { CHART_WIDTH, palette, specHead } from './theme.js';
import type { AccuracyPoint, ChartResult } from './types.js';

const SERIES = [
  'Accuracy (1 − WMAPE)',
  'Bias (+ = over-forecast)',
  'Accuracy added by the consensus',
] as const;

export function accuracyChart(points: readonly AccuracyPoint[]): ChartResult {
  const sorted = [...points].sort((a, b) => a.cycle.localeCompare(b.cycle));
  const values = sorted.flatMap((p) => [
    { cycle: p.cycle, series: SERIES[0], value: p.accuracy },
    { cycle: p.cycle, series: SERIES[1], value: p.bias },
    { cycle: p.cycle, series: SERIES[2], value: p.fva },
  ]);
  const months = monthSpan(sorted.map((p) => p.period));
  const title = `Forecast accuracy, bias and accuracy added${months ? `, lag 1, ${months}` : ''}`;
  const x = { field: 'cycle', type: 'ordinal', title: 'Cycle', axis: { labelAngle: -45 } } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: [...SERIES], range: [palette.ok, palette.warn, palette.good] },
  } as const;
  const tooltip = [{ field: 'cycle' }, { field: 'series' }, { field: 'value', format: '.1%' }];
  const spec = {
    ...specHead(title, [
      "Lag 1: each cycle's forecast of the month after it, against that month's actuals.",
      'Bias = Σ(F − A) / ΣA: positive means over-forecast.',
      'Accuracy added, in points, > 0: the consensus beat the statistical forecast.',
    ]),
    data: { values },
    vconcat: [
      {
        width: CHART_WIDTH - 140,
        height: 150,
        transform: [{ filter: `datum.series === '${SERIES[0]}'` }],
        mark: { type: 'line', strokeWidth: 2.5, point: { size: 60, filled: true } },
        encoding: {
          x: { ...x, title: null, axis: { labels: false, ticks: false, domain: false } },
          y: {
            field: 'value',
            type: 'quantitative',
            title: 'Accuracy',
            scale: { zero: false, padding: 12 },
            axis: { format: '.1~%', tickCount: 4 },
          },
          color,
          tooltip,
        },
      },
      {
        width: CHART_WIDTH - 140,
        height: 150,
        transform: [{ filter: `datum.series !== '${SERIES[0]}'` }],
        layer: [
          { mark: { type: 'rule', color: '#9a9a9a' }, encoding: { y: { datum: 0 } } },
          {
            mark: { type: 'line', strokeWidth: 2.5, point: { size: 60, filled: true } },
            encoding: {
              x,
              y: {
                field: 'value',
                type: 'quantitative',
                title: 'Bias and accuracy added',
                axis: { format: '.1~%', tickCount: 5 },
              },
              color,
              tooltip,
            },
          },
        ],
      },
    ],
  } as TopLevelSpec;
  const last = sorted.at(-1);
  const prev = sorted.at(-2);
  // The months scored, named: a chart read a month later says which ones it covers. The
  // change in accuracy is between the two percentages as printed (on the chart, and here).
  const summary = last
    ? `Forecast accuracy, lag 1, ${months}. Latest, ${last.period} (cycle ${last.cycle}'s forecast): accuracy ${formatPercent(last.accuracy)}${prev ? ` (${formatPointsBetween(last.accuracy, prev.accuracy)} vs ${prev.period})` : ''}, bias ${formatPercent(last.bias, 1, true)}${last.bias > 0 ? ' (over-forecast)' : last.bias < 0 ? ' (under-forecast)' : ''}, accuracy added by the consensus ${formatPoints(last.fva)} (consensus vs statistical)${last.fva < 0 ? ': the adjustments made the forecast worse' : ''}.`
    : 'No closed cycle with actuals yet.';
  const altText = `Line chart over ${sorted.length} cycle${sorted.length === 1 ? '' : 's'} of forecast accuracy, bias and accuracy added by the consensus. ${summary.replace(/\*/g, '')}`;
  return { spec, title, altText: clip(altText, 1000), summary: clip(summary, 600) };
}
