/**
 * The family chart: sales history, the statistical baseline with its 80% and 95%
 * prediction intervals, the consensus, and each adjustment that moved it.
 */
import type { TopLevelSpec } from 'vega-lite';
import { walkAsShown } from '../core/number-format.js';
import { monthsBetween } from '../core/period.js';
import { escInMarks } from '../core/text.js';
import { clip, formatNumber, formatPercent } from './format.js';
import { CHART_WIDTH, palette, specHead } from './theme.js';
import type { ChartResult, FamilySeries } from './types.js';

const date = (period: string) => `${period}-01`;

/**
 * The month axis, on every layer alike. A month's date (`2027-01-01`) is read as UTC midnight,
 * so its scale, ticks and labels are UTC's too: in local time they followed the process's time
 * zone (TZ), and west of UTC the last month's label fell before its tick (east, the first's).
 */
const x = { field: 'date', type: 'temporal', scale: { type: 'utc' } } as const;

/** Up to this many months, the axis has a tick on each month. */
const MONTHLY_TICKS_MAX = 12;

/**
 * A tick on each month when there are few: left to itself, vega ticks a short span every week
 * or day, and each tick's label (`%Y-%m`) repeated its month ("2027-01 2027-01 2027-01…").
 */
function monthTicks(points: readonly { period: string }[]) {
  const periods = points.map((p) => p.period).sort();
  const first = periods[0];
  const last = periods.at(-1);
  if (first === undefined || last === undefined) return {};
  return monthsBetween(first, last) < MONTHLY_TICKS_MAX
    ? { tickCount: { interval: 'month', step: 1 } }
    : {};
}

export const FAMILY_HISTORY_MONTHS = 36;
/** Above this many adjustments the chart keeps the dots and leaves the names to the tooltips. */
export const ADJUSTMENT_LABELS_MAX = 8;

/**
 * The most characters of a person's name an adjustment's label shows: a label is drawn to the
 * left of its dot, and a display name of Slack's 80 characters ran past the chart's left edge.
 * The dot's tooltip has the whole name.
 */
export const LABEL_NAME_CHARS = 24;

export function familyChart(s: FamilySeries): ChartResult {
  const history = s.history.slice(-FAMILY_HISTORY_MONTHS);
  const lines = [
    ...history.map((h) => ({
      date: date(h.period),
      period: h.period,
      series: 'Actual sales',
      value: h.units,
    })),
    ...s.baseline.map((b) => ({
      date: date(b.period),
      period: b.period,
      series: 'Baseline (statistical)',
      value: b.value,
    })),
    ...s.consensus.map((c) => ({
      date: date(c.period),
      period: c.period,
      series: 'Consensus',
      value: c.value,
    })),
  ];
  const band = s.baseline.map((b) => ({
    date: date(b.period),
    lo80: b.lo80,
    hi80: b.hi80,
    lo95: b.lo95,
    hi95: b.hi95,
  }));
  const adj = [...s.adjustments]
    .sort((a, b) => a.period.localeCompare(b.period))
    .map((a) => ({
      date: date(a.period),
      period: a.period,
      before: a.before,
      after: a.after,
      who: a.author,
      reason: a.reasonCode,
      label: `${clip(a.author, LABEL_NAME_CHARS)} · ${a.reasonCode.replace(/_/g, ' ')}`,
    }));
  // A run of months adjusted by the same person for the same reason gets one label, at its
  // start; successive labels alternate between two heights so neighbours do not overlap.
  const labels = adj
    .filter((a, i) => a.label !== adj[i - 1]?.label)
    .map((a, i) => ({ ...a, tier: i % 2 }));
  const title = `${s.family}: demand history, baseline and consensus`;
  const spec = {
    // The subtitle names only the marks drawn: no dots without adjustments, no labels past
    // ADJUSTMENT_LABELS_MAX.
    ...specHead(title, [
      ...(band.length ? ['Shaded: 80% and 95% prediction intervals of the baseline.'] : []),
      ...(adj.length === 0
        ? []
        : labels.length <= ADJUSTMENT_LABELS_MAX
          ? ['Dots: adjustments, labelled with who made them and why.']
          : ['Dots: adjustments (too many to label).']),
    ]),
    width: CHART_WIDTH - 140,
    height: 300,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', color: palette.band95, opacity: 0.9 },
        encoding: {
          x: {
            ...x,
            title: null,
            axis: { format: '%Y-%m', labelAngle: -45, ...monthTicks(lines) },
          },
          y: {
            field: 'lo95',
            type: 'quantitative',
            title: 'Units per month',
            axis: { format: ',.0f' },
          },
          y2: { field: 'hi95' },
        },
      },
      {
        data: { values: band },
        mark: { type: 'area', color: palette.band80, opacity: 0.9 },
        encoding: {
          x,
          y: { field: 'lo80', type: 'quantitative' },
          y2: { field: 'hi80' },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2.5, point: false },
        encoding: {
          x,
          y: {
            field: 'value',
            type: 'quantitative',
            title: 'Units per month',
            axis: { format: ',.0f' },
          },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['Actual sales', 'Baseline (statistical)', 'Consensus'],
              range: [palette.history, palette.baseline, palette.consensus],
            },
          },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            legend: null,
            scale: {
              domain: ['Actual sales', 'Baseline (statistical)', 'Consensus'],
              range: [
                [1, 0],
                [6, 4],
                [1, 0],
              ],
            },
          },
        },
      },
      {
        data: { values: adj },
        mark: { type: 'rule', color: palette.consensus, strokeWidth: 1.5, strokeDash: [2, 2] },
        encoding: {
          x,
          y: { field: 'before', type: 'quantitative' },
          y2: { field: 'after' },
        },
      },
      // Each label twice: first a white halo, then the text, so a label over a line (the sales
      // history runs where the first adjusted month's label goes) stays readable.
      ...[0, 1].flatMap((tier) =>
        [true, false].map((halo) => ({
          data: { values: labels.length <= ADJUSTMENT_LABELS_MAX ? labels : [] },
          transform: [{ filter: `datum.tier === ${tier}` }],
          mark: {
            type: 'text',
            fontSize: 11,
            align: 'right',
            dx: -10,
            dy: tier === 0 ? -10 : -26,
            color: palette.ink,
            ...(halo ? { stroke: '#ffffff', strokeWidth: 4, strokeJoin: 'round' } : {}),
          },
          encoding: {
            x,
            y: { field: 'after', type: 'quantitative' },
            text: { field: 'label' },
          },
        })),
      ),
      {
        data: { values: adj },
        mark: {
          type: 'point',
          filled: true,
          opacity: 1,
          size: 110,
          color: palette.consensus,
          stroke: '#ffffff',
          strokeWidth: 1.5,
        },
        encoding: {
          x,
          y: { field: 'after', type: 'quantitative' },
          tooltip: [
            { field: 'period' },
            { field: 'who' },
            { field: 'reason' },
            { field: 'before', format: ',.0f' },
            { field: 'after', format: ',.0f' },
          ],
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;

  const months = s.consensus.length || s.baseline.length;
  const shown = shownByReason(s);
  const change = shown.base > 0 ? shown.cons / shown.base - 1 : 0;
  const reasons = shown.parts
    .filter((p) => p.r !== 'floor at zero' || p.shown !== 0)
    .sort((a, b) => Math.abs(b.d) - Math.abs(a.d))
    .map((p) => `${p.r} ${p.shown >= 0 ? '+' : ''}${formatNumber(p.shown)}`);
  // Months, not adjustments: two people adjusting one month is one adjusted month.
  const adjusted = new Set(s.adjustments.map((a) => a.period)).size;
  const n = s.adjustments.length;
  const summary = `*${escInMarks(s.family)}*: consensus ${formatNumber(shown.cons)} units over ${months} month${months === 1 ? '' : 's'} vs baseline ${formatNumber(shown.base)} (${formatPercent(change, 1, true)}).${
    n
      ? ` ${adjusted} adjusted month${adjusted === 1 ? '' : 's'}${n === adjusted ? '' : ` (${n} adjustments)`}: ${reasons.join(', ')}.`
      : ' No adjustments.'
  }`;
  const lastActual = history.at(-1);
  const altText = `Line chart for ${s.family}: ${history.length} month${history.length === 1 ? '' : 's'} of actual sales${lastActual ? ` up to ${lastActual.period} (last ${formatNumber(lastActual.units)} units)` : ''}, the baseline forecast for ${s.baseline.length} month${s.baseline.length === 1 ? '' : 's'} with its 80% and 95% intervals, and the consensus, which totals ${formatNumber(shown.cons)} units against ${formatNumber(shown.base)} for the baseline. ${n === 1 ? '1 adjustment is' : `${n} adjustments are`} marked.`;
  return { spec, title, altText: clip(altText, 1000), summary: clip(summary, 600) };
}

/**
 * A family's totals and its reasons as printed: each month's baseline and consensus rounded
 * on their own, as its adjustment's confirmation and explain print them (5,343 → 4,809), its
 * adjustments sharing that month's difference (largest remainder, explain's month walk), and
 * every total the sum of its months as printed, so "lost customer −1,531" is what the
 * confirmations' rows add up to, and the reasons add up to consensus less baseline.
 */
function shownByReason(s: FamilySeries): {
  base: number;
  cons: number;
  parts: { r: string; d: number; shown: number }[];
} {
  const baseOf = new Map(s.baseline.map((b) => [b.period, b.value]));
  const consOf = new Map(
    (s.consensus.length ? s.consensus : s.baseline).map((c) => [c.period, c.value]),
  );
  const periods = [...new Set([...baseOf.keys(), ...consOf.keys()])];
  const parts = new Map<string, { d: number; shown: number }>();
  const add = (r: string, d: number, shown: number) => {
    const p = parts.get(r) ?? { d: 0, shown: 0 };
    parts.set(r, { d: p.d + d, shown: p.shown + shown });
  };
  let base = 0;
  let cons = 0;
  for (const period of periods) {
    const b = baseOf.get(period) ?? 0;
    const c = consOf.get(period) ?? b;
    const adj = s.adjustments.filter((a) => a.period === period);
    const steps = adj.map((a) => [a.reasonCode.replace(/_/g, ' '), a.after - a.before] as const);
    // What the adjustments leave of the month's move is the consensus's floor at zero.
    const floor = c - b - steps.reduce((t, [, d]) => t + d, 0);
    const all = Math.abs(floor) >= 1e-6 ? [...steps, ['floor at zero', floor] as const] : steps;
    const walk = walkAsShown(
      b,
      all.map(([, d]) => d),
      c,
    );
    base += walk.start;
    cons += walk.end;
    all.forEach(([r, d], i) => {
      add(r, d, walk.steps[i] ?? 0);
    });
  }
  return { base, cons, parts: [...parts.entries()].map(([r, p]) => ({ r, ...p })) };
}
