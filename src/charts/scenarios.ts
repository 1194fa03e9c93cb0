/**
 * The scenario comparison: service, inventory, margin and capacity tension side by side,
 * one small bar chart each, the scenarios in the same colours everywhere.
 */
import type { TopLevelSpec } from 'vega-lite';
import { clip, formatMoney, formatNumber, formatPercent, formatPoints } from './format.js';
import { chartTheme, palette } from './theme.js';
import type { ChartResult, ScenarioKpis } from './types.js';

interface Panel {
  readonly field: keyof ScenarioKpis;
  readonly title: string;
  readonly format: string;
  readonly rule?: number;
}

const PANELS: readonly Panel[] = [
  { field: 'fillRate', title: 'Service: fill rate', format: '.0%' },
  { field: 'grossMargin', title: 'Gross margin', format: '$,.3~s' },
  { field: 'daysOfSupply', title: 'Inventory: days of supply', format: ',.0f' },
  { field: 'peakUtilisation', title: 'Capacity tension: peak utilisation', format: '.0%', rule: 1 },
];

export function scenarioChart(rows: readonly ScenarioKpis[]): ChartResult {
  const labels = rows.map((r) => r.label);
  const values = rows.map((r) => ({ ...r }));
  const title = 'Scenarios compared';
  const panel = (p: Panel) => ({
    title: { text: p.title, fontSize: 14 },
    width: 300,
    height: { step: 30 },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          y: { field: 'label', type: 'nominal', title: null, sort: labels },
          x: {
            field: p.field,
            type: 'quantitative',
            title: null,
            axis: { format: p.format, tickCount: 4 },
            // One bar per row: nothing to stack, and a stack with rounded ends puts each bar
            // in a clipped group (slower to draw, and it keeps the chart from being banded).
            stack: null,
          },
          color: {
            field: 'label',
            type: 'nominal',
            legend: null,
            scale: {
              domain: labels,
              range: palette.categories.slice(0, Math.max(1, labels.length)),
            },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: labels },
          x: { field: p.field, type: 'quantitative' },
          text: { field: p.field, type: 'quantitative', format: p.format },
        },
      },
      ...(p.rule !== undefined
        ? [
            {
              mark: { type: 'rule', color: palette.over, strokeDash: [4, 3] },
              encoding: { x: { datum: p.rule } },
            },
          ]
        : []),
    ],
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartTheme,
    title: { text: title, subtitle: 'Red dashed line: 100% of capacity' },
    data: { values },
    columns: 2,
    concat: PANELS.map(panel),
  } as unknown as TopLevelSpec;

  const central = rows.find((r) => r.scenario === 'central') ?? rows[0];
  const parts = rows.map((r) => {
    const vsCentral = central && r !== central;
    const fill = `fill rate ${formatPercent(r.fillRate)}${vsCentral ? ` (${formatPoints(r.fillRate - central.fillRate)})` : ''}`;
    const tension = `peak utilisation ${formatPercent(r.peakUtilisation, 0)} (${r.monthsOver90} resource-month${r.monthsOver90 === 1 ? '' : 's'} >90%)`;
    const money = vsCentral
      ? `revenue ${formatMoney(r.revenue - central.revenue, '$', true)}, margin ${formatMoney(r.grossMargin - central.grossMargin, '$', true)} vs ${central.label};`
      : `revenue ${formatMoney(r.revenue)}, margin ${formatMoney(r.grossMargin)},`;
    return `*${r.label}*: ${money} ${fill}, ${tension}`;
  });
  const summary = rows.length ? `${parts.join('.\n')}.` : 'No scenarios to compare.';
  const altText = `Four bar charts comparing ${rows.length} scenarios. ${rows
    .map(
      (r) =>
        `${r.label}: fill rate ${formatPercent(r.fillRate)}, gross margin ${formatMoney(r.grossMargin)}, ${formatNumber(r.daysOfSupply)} days of supply, peak utilisation ${formatPercent(r.peakUtilisation, 0)}.`,
    )
    .join(' ')}`;
  return { spec, title, altText: clip(altText, 1000), summary: clip(summary, 600) };
}
