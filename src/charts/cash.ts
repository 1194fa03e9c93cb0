/**
 * Cash generated against budget: the cumulative net operating cash of each scenario at every
 * month's end, counted from $0, not a bank balance (CASH_GENERATED_WORDS), expected over the
 * demand samples (solid) and at P10 (dotted), and the budget's, dashed.
 * Revenue is collected after the DSO and costs paid after the DPO (src/core/finance.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CASH_GENERATED_WORDS, type OpeningAmounts, openingLeftOut } from '../core/finance.js';
import type { Period } from '../core/period.js';
import { escInMarks } from '../core/text.js';
import { clip, formatMoney, formatMoneyBetween, MONEY_AXIS_LABEL, moneyAlike } from './format.js';
import { CHART_WIDTH, palette, scenarioColours, specHead } from './theme.js';
import type { CashSeries, ChartResult } from './types.js';

export function cashChart(
  series: readonly CashSeries[],
  budget: readonly { period: Period; cumulative: number }[] | null,
  /**
   * What customers owed and what was owed for production when the first month began, whose
   * collections and payments the lines count (null each: not counted).
   */
  opening: OpeningAmounts = { receivables: null, payables: null },
): ChartResult {
  const scenarios = scenarioColours(series);
  const all = budget ? [...scenarios.domain, 'Budget'] : scenarios.domain;
  const colours = budget ? [...scenarios.range, palette.muted] : scenarios.range;
  const values = [
    ...series.flatMap((s) =>
      s.points.flatMap((p) => [
        { label: s.label, period: p.period, cash: p.cumulative, line: 'expected' },
        { label: s.label, period: p.period, cash: p.cumulativeP10, line: 'P10' },
      ]),
    ),
    ...(budget ?? []).map((p) => ({
      label: 'Budget',
      period: p.period,
      cash: p.cumulative,
      line: 'budget',
    })),
  ];
  // Without a budget there is no dashed line to name, nor a budget in the title.
  const title = budget ? 'Cash generated against budget' : 'Cash generated';
  // The horizon's own sales and costs, what customers owed when it began when the sales
  // history gives it, and the bills open then when the production actuals give them.
  const first = series[0]?.points[0]?.period;
  const openingWords = !first
    ? null
    : opening.receivables === null && opening.payables === null
      ? `Cash generated: ${CASH_GENERATED_WORDS}; ${openingLeftOut(first, opening)}`
      : `Cash generated: ${CASH_GENERATED_WORDS}; ${openingLeftOut(first, opening, 'every line')}`;
  // A subtitle line as wide as the plot at most: one clause a line, each begun in capitals;
  // what cash generated leaves out goes on the line after what it counts; counting both the
  // invoices and the bills, the payments go on the next line, and where the bills are
  // estimated, what from on the one after.
  const subtitle = (openingWords?.split('; ') ?? []).flatMap((x) =>
    `${x.charAt(0).toUpperCase()}${x.slice(1)}`.split(
      / (?=without the opening bank balance|and paying |\(their sales then)/,
    ),
  );
  const spec = {
    ...specHead(title, [
      `Solid: expected over the demand samples; dotted: bad case (1 in 10)${budget ? '; dashed grey: budget' : ''}`,
      ...subtitle,
    ]),
    width: CHART_WIDTH - 140,
    height: 300,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', color: palette.grid },
        encoding: { y: { datum: 0 } },
      },
      {
        mark: { type: 'line', point: false, strokeWidth: 2 },
        encoding: {
          x: {
            field: 'period',
            type: 'ordinal',
            title: null,
            // Every month named, as on the capacity check (src/charts/gap.ts).
            axis: { labelAngle: -45, labelOverlap: false },
          },
          y: {
            field: 'cash',
            type: 'quantitative',
            title: 'Cash generated to date',
            axis: { labelExpr: MONEY_AXIS_LABEL },
          },
          color: {
            field: 'label',
            type: 'nominal',
            title: null,
            scale: { domain: all, range: colours },
            legend: { orient: 'top' },
          },
          strokeDash: {
            field: 'line',
            type: 'nominal',
            legend: null,
            scale: {
              domain: ['expected', 'P10', 'budget'],
              range: [
                [1, 0],
                [2, 3],
                [6, 4],
              ],
            },
          },
          detail: { field: 'line', type: 'nominal' },
        },
      },
    ],
  } as unknown as TopLevelSpec;

  const end = (s: CashSeries) => s.points.at(-1);
  const budgetLast = budget?.at(-1) ?? null;
  const budgetEnd = budgetLast?.cumulative ?? null;
  const parts = series.map((s) => {
    const e = end(s);
    if (!e) return `*${escInMarks(s.label)}*: no months.`;
    // Against the budget where it ends: the horizon's end, or its own last month before that;
    // as the pack's question 4 writes it (the amounts as printed there, $58M vs $67.1M: −$9.1M).
    const at = budgetLast ? s.points.find((p) => p.period === budgetLast.period) : undefined;
    // Each figure says its kind (expected, bad case) and the budget the gaps are against; the
    // sentence's amounts read at one precision ("$85.7M …, $80.0M in a bad case").
    const [
      expected = '',
      bad = '',
      atExpected = '',
      atBad = '',
      gapExpected = '',
      gapBad = '',
      b = '',
    ] = moneyAlike([
      formatMoney(e.cumulative),
      formatMoney(e.cumulativeP10),
      ...(budgetEnd === null || !at
        ? []
        : [
            formatMoney(at.cumulative),
            formatMoney(at.cumulativeP10),
            formatMoneyBetween(at.cumulative, budgetEnd),
            formatMoneyBetween(at.cumulativeP10, budgetEnd),
            formatMoney(budgetEnd),
          ]),
    ]);
    const gaps = `${gapExpected} and ${gapBad} vs budget ${b}`;
    const vs =
      budgetEnd === null || !at
        ? ''
        : at === e
          ? ` (${gaps})`
          : `; by ${at.period}, the budget's last month, ${atExpected} and ${atBad}: ${gaps}`;
    return `*${escInMarks(s.label)}*: ${expected} expected by ${e.period}, ${bad} in a bad case${vs}`;
  });
  const summary = series.length ? `${parts.join('.\n')}.` : 'No scenarios to compare.';
  const altText = `Line chart of cash generated to date by month for ${series.length} scenario${series.length === 1 ? '' : 's'}${budget ? ' and the budget' : ''}. ${series
    .map((s) => {
      const e = end(s);
      return e
        ? `${s.label} ends at ${formatMoney(e.cumulative)} expected, ${formatMoney(e.cumulativeP10)} in a bad case (1 in 10).`
        : '';
    })
    .join(
      ' ',
    )}${budgetEnd === null ? '' : ` Budget ends at ${formatMoney(budgetEnd)}${budgetLast ? ` in ${budgetLast.period}` : ''}.`}${openingWords ? ` ${openingWords}.` : ''}`;
  return { spec, title, altText: clip(altText, 1000), summary: clip(summary, 600) };
}
