/**
 * The scenario comparison: service, inventory, margin and capacity tension side by side,
 * one small bar chart each, the scenarios in the same colours everywhere. With the stress
 * test's figures the bars are expected values over the demand samples and each carries a
 * whisker from P10 to P90.
 */
import type { TopLevelSpec } from 'vega-lite';
import { EXCESS_STOCK } from '../core/scenarios/trade-off.js';
import { esc, escInMarks } from '../core/text.js';
import {
  clip,
  formatMoney,
  formatMoneyBetween,
  formatNumber,
  formatPercent,
  formatPointsBetween,
  MONEY_AXIS_LABEL,
  moneyAlike,
  wrapLines,
} from './format.js';
import { palette, scenarioColours, specHead } from './theme.js';
import type { ChartResult, ScenarioKpis } from './types.js';

/** What a panel shows: how its bars are labelled and its axis ticked. */
type Kind = 'percent' | 'money' | 'number';

interface Panel {
  readonly field: string;
  readonly title: string;
  readonly kind: Kind;
  readonly rule?: number;
  /** Fields of the whisker's ends (P10 and P90). */
  readonly whisker?: readonly [string, string];
}

/**
 * A bar's label, written as the summary and the vote write it ("95.9%", "$1.5B"): computed
 * here into the data (`<field>_label`), not by a d3 format that rounds and abbreviates its own
 * way ("96%", "$1.5G").
 */
const LABEL: Readonly<Record<Kind, (v: number) => string>> = {
  percent: (v) => formatPercent(v),
  money: (v) => formatMoney(v),
  number: (v) => formatNumber(v),
};

/** Axes stay compact (whole percents, "$1.5B"), with no SI prefix a reader would misread. */
const AXIS: Readonly<Record<Kind, Record<string, string>>> = {
  percent: { format: '.0%' },
  money: { labelExpr: MONEY_AXIS_LABEL },
  number: { format: ',.0f' },
};

/** Characters of a scenario's label on one line of its axis. */
const LABEL_CHARS = 22;

const PANELS: readonly Panel[] = [
  { field: 'fillRate', title: 'Service: fill rate', kind: 'percent' },
  { field: 'grossMargin', title: 'Margin', kind: 'money' },
  { field: 'daysOfSupply', title: 'Inventory: days of supply', kind: 'number' },
  {
    field: 'peakUtilisation',
    title: 'Capacity tension: peak utilisation',
    kind: 'percent',
    rule: 1,
  },
];

const STRESS_PANELS: readonly Panel[] = [
  {
    field: 'fillRate_e',
    title: 'Service: fill rate (P10–P90)',
    kind: 'percent',
    whisker: ['fillRate_lo', 'fillRate_hi'],
  },
  {
    field: 'margin_e',
    title: 'Margin (P10–P90)',
    kind: 'money',
    whisker: ['margin_lo', 'margin_hi'],
  },
  {
    field: 'excess_e',
    title: `${EXCESS_STOCK} (P10–P90)`,
    kind: 'money',
    whisker: ['excess_lo', 'excess_hi'],
  },
  {
    field: 'peakUtilisation',
    title: 'Capacity tension: peak utilisation',
    kind: 'percent',
    rule: 1,
  },
];

export function scenarioChart(
  rows: readonly ScenarioKpis[],
  opts: {
    /**
     * A what-if's chart: its subtitle and alt text say which demand samples both plans are
     * played against (`samples`: the forecast's, or the ones with the what-if's change in
     * them), and name the message's section of those figures (`samplesSection`).
     */
    readonly whatIf?: {
      /** The demand the bars are played against: the forecast's samples unless `changed`. */
      readonly samples?: 'forecast' | 'changed';
      readonly samplesSection?: string;
      /** The what-if as asked ("demand all +15% 2027-02..2027-04"): the chart's title. */
      readonly text?: string;
    };
  } = {},
): ChartResult {
  const labels = rows.map((r) => r.label);
  const stressed = rows.length > 0 && rows.every((r) => r.stress);
  const panels = stressed ? STRESS_PANELS : PANELS;
  const values = rows.map((r) => {
    const { stress, ...rest } = r;
    const row: Record<string, unknown> = stress
      ? {
          ...rest,
          fillRate_e: stress.fillRate.expected,
          fillRate_lo: stress.fillRate.p10,
          fillRate_hi: stress.fillRate.p90,
          margin_e: stress.margin.expected,
          margin_lo: stress.margin.p10,
          margin_hi: stress.margin.p90,
          excess_e: stress.excessInventoryValue.expected,
          excess_lo: stress.excessInventoryValue.p10,
          excess_hi: stress.excessInventoryValue.p90,
        }
      : { ...rest };
    for (const p of panels) {
      const v = row[p.field];
      row[`${p.field}_label`] = typeof v === 'number' ? LABEL[p.kind](v) : '';
    }
    return row;
  });
  // A what-if's chart is titled with the what-if's own words, not as the run's scenario grid;
  // drawn against the changed demand, the title says so after them, whatever their length.
  const changed = stressed && opts.whatIf?.samples === 'changed';
  const ifItHappens = changed ? ' — if it happens' : '';
  const title =
    opts.whatIf?.text === undefined
      ? 'Scenarios compared'
      : `${clip(`What-if: ${opts.whatIf.text}`, 90 - ifItHappens.length)}${ifItHappens}`;
  // Which samples the bars are played against, and where the message gives those figures.
  const section = opts.whatIf?.samplesSection;
  const against = changed
    ? 'the demand samples with the what-if’s change in them'
    : 'the forecast’s demand samples';
  const samplesNote =
    opts.whatIf === undefined || !stressed
      ? null
      : `Both plans against ${against}${section === undefined ? '' : `: “${section}” in the message`}`;
  // A long label (a what-if's text, a planner's own name for a scenario) is drawn whole on up
  // to two lines, in a narrower panel so the chart keeps Slack's width, rather than cut to
  // its first words ("What-if: demand a…").
  const wrapped = labels.map((l) => wrapLines(l, LABEL_CHARS, 2));
  const long = wrapped.some((w) => w.length > 1);
  const linesOf = `${JSON.stringify(wrapped)}[indexof(${JSON.stringify(labels)}, datum.value)]`;
  const axis = long
    ? {
        labelExpr: linesOf,
        labelLimit: 0,
        // Centred on the bar: vega sets a label's first line on the tick.
        labelOffset: { expr: `length(${linesOf}) > 1 ? -7 : 0` },
      }
    : {};
  const panel = (p: Panel) => ({
    title: { text: p.title, fontSize: 14 },
    width: long ? 174 : 265,
    height: { step: long ? 36 : 30 },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          y: { field: 'label', type: 'nominal', title: null, sort: labels, axis },
          x: {
            field: p.field,
            type: 'quantitative',
            title: null,
            axis: { ...AXIS[p.kind], tickCount: 4 },
            // One bar per row: nothing to stack, and a stack with rounded ends puts each bar
            // in a clipped group (slower to draw, and it keeps the chart from being banded).
            stack: null,
          },
          color: {
            field: 'label',
            type: 'nominal',
            legend: null,
            scale: scenarioColours(rows),
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: labels },
          // Past the whisker's end, so the label never sits on it.
          x: { field: p.whisker?.[1] ?? p.field, type: 'quantitative' },
          text: { field: `${p.field}_label`, type: 'nominal' },
        },
      },
      ...(p.whisker
        ? [
            {
              mark: { type: 'rule', color: palette.ink, strokeWidth: 1.5 },
              encoding: {
                y: { field: 'label', type: 'nominal', sort: labels },
                x: { field: p.whisker[0], type: 'quantitative' },
                x2: { field: p.whisker[1] },
              },
            },
            ...p.whisker.map((f) => ({
              mark: { type: 'tick', color: palette.ink, thickness: 1.5, size: 12 },
              encoding: {
                y: { field: 'label', type: 'nominal', sort: labels },
                x: { field: f, type: 'quantitative' },
              },
            })),
          ]
        : []),
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
    ...specHead(
      title,
      stressed
        ? [
            ...(samplesNote === null ? [] : [`${samplesNote}.`]),
            'Bars: expected over the demand samples; whiskers: P10 to P90. Red dashed line: 100% of capacity',
          ]
        : 'Red dashed line: 100% of capacity',
    ),
    data: { values },
    columns: 2,
    concat: panels.map(panel),
  } as unknown as TopLevelSpec;

  const summary = rows.length
    ? stressed
      ? stressedSummary(rows)
      : `Each scenario at its own planned demand:\n${plainSummary(rows)}`
    : 'No scenarios to compare.';
  const altText = `Four bar charts comparing ${rows.length} scenario${rows.length === 1 ? '' : 's'}${samplesNote === null ? '' : `. ${samplesNote}`}. ${rows
    .map((r) =>
      r.stress
        ? `${r.label}: expected fill rate ${formatPercent(r.stress.fillRate.expected)} (P10 ${formatPercent(r.stress.fillRate.p10)}), expected margin ${formatMoney(r.stress.margin.expected)} (P10 ${formatMoney(r.stress.margin.p10)}, P90 ${formatMoney(r.stress.margin.p90)}), ${EXCESS_STOCK.toLowerCase()} ${formatMoney(r.stress.excessInventoryValue.expected)} expected, peak utilisation ${formatPercent(r.peakUtilisation)}.`
        : `${r.label}: fill rate ${formatPercent(r.fillRate)}, margin ${formatMoney(r.grossMargin)}, ${formatNumber(r.daysOfSupply)} days of supply, peak utilisation ${formatPercent(r.peakUtilisation)}.`,
    )
    .join(' ')}`;
  return { spec, title, altText: clip(altText, 1000), summary: clip(summary, 2500) };
}

const tensionOf = (r: ScenarioKpis): string =>
  `peak utilisation ${formatPercent(r.peakUtilisation)} (${r.monthsOver90} resource-month${r.monthsOver90 === 1 ? '' : 's'} >90%)`;

/** The reference row of the differences: central, or the first. */
const centralOf = (rows: readonly ScenarioKpis[]): ScenarioKpis | undefined =>
  rows.find((r) => r.scenario === 'central') ?? rows[0];

/**
 * Every plan against the same demand samples: expected margin and fill rate (with their
 * differences from central, named), their bad cases (P10) in words, and capacity tension. Each plan's figures at its own planned
 * demand are left out: they assume that demand comes true, which is what the stress test is for.
 */
function stressedSummary(rows: readonly ScenarioKpis[]): string {
  const central = centralOf(rows)!;
  const c = central.stress!;
  const lines = rows.map((r) => {
    const x = r.stress!;
    // The margin, its difference and its bad case at one precision ("$67.5M … $65.0M").
    const [margin, bad, vsCentral = ''] = moneyAlike([
      formatMoney(x.margin.expected),
      formatMoney(x.margin.p10),
      ...(r === central ? [] : [formatMoneyBetween(x.margin.expected, c.margin.expected)]),
    ]);
    const range = `bad case ${bad}`;
    const ref = esc(central.label);
    if (r === central)
      return `*${escInMarks(r.label)}*: expected margin ${margin} (${range}), expected fill rate ${formatPercent(x.fillRate.expected)} (bad case ${formatPercent(x.fillRate.p10)}), ${tensionOf(r)}`;
    return `*${escInMarks(r.label)}*: expected margin ${margin} (${vsCentral} vs ${ref}; ${range}), expected fill rate ${formatPercent(x.fillRate.expected)} (${formatPointsBetween(x.fillRate.expected, c.fillRate.expected)} vs ${ref}; bad case ${formatPercent(x.fillRate.p10)}), ${tensionOf(r)}`;
  });
  return `Each plan against the same demand samples (bad case: 1 sample in 10 does worse):\n${lines.join('.\n')}.`;
}

/** Before the stress test: each plan's own figures at the demand it plans for. */
function plainSummary(rows: readonly ScenarioKpis[]): string {
  const central = centralOf(rows)!;
  const lines = rows.map((r) => {
    const vsCentral = r !== central;
    const fill = `fill rate ${formatPercent(r.fillRate)}${vsCentral ? ` (${formatPointsBetween(r.fillRate, central.fillRate)})` : ''}`;
    const money = vsCentral
      ? `revenue ${formatMoneyBetween(r.revenue, central.revenue)}, margin ${formatMoneyBetween(r.grossMargin, central.grossMargin)} vs ${esc(central.label)};`
      : `revenue ${formatMoney(r.revenue)}, margin ${formatMoney(r.grossMargin)},`;
    return `*${escInMarks(r.label)}*: ${money} ${fill}, ${tensionOf(r)}`;
  });
  return `${lines.join('.\n')}.`;
}
