/**
 * Number formatting for chart labels, summaries and alt text. The formatters live in core
 * (`src/core/number-format.ts`) so the vote message and the pack read a figure the same way
 * as the chart next to it.
 */
export {
  formatMoney,
  formatMoneyBetween,
  formatNumber,
  formatPercent,
  formatPoints,
  formatPointsBetween,
  moneyAlike,
} from '../core/number-format.js';

import { type Period, periodSpan } from '../core/period.js';
import { cutWhole, prefixWithin } from '../core/text.js';

/**
 * A money axis's tick labels, compact as `formatMoney` writes them: "$1.5B", "$250k",
 * "−$2M", never d3's SI prefixes ("$1.5G", "$500m"). A vega expression, for `labelExpr`.
 */
export const MONEY_AXIS_LABEL = [
  "(datum.value < 0 ? '−' : '') + '$' + (",
  ...(
    [
      [1e12, 'T'],
      [1e9, 'B'],
      [1e6, 'M'],
      [1e3, 'k'],
    ] as const
  ).map(
    ([size, unit]) =>
      `abs(datum.value) >= ${size} ? format(abs(datum.value) / ${size}, '.3~r') + '${unit}' : `,
  ),
  "format(abs(datum.value), ',.3~r'))",
].join('');

/** Trims text to `max` characters, ending with an ellipsis when cut (never inside an emoji). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${prefixWithin(text, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * The months a chart covers, for its title and caption, first to last as the pack writes a
 * span (`periodSpan`): "2026-03–2027-02", or the one month; '' for none. A chart posted
 * without its months is ambiguous a month later.
 */
export function monthSpan(periods: readonly Period[]): string {
  return periodSpan([...new Set(periods)].sort());
}

/**
 * `text` in lines of at most `max` characters, broken between words, at most `lines` of them:
 * the last one cut whole with "…" when the rest does not fit (a word longer than a line is
 * cut too). For a label that would otherwise be cut to its first words.
 */
export function wrapLines(text: string, max: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text.trim().replace(/\s+/g, ' ');
  while (rest && out.length < lines - 1 && rest.length > max) {
    const room = rest.slice(0, max + 1);
    const space = room.lastIndexOf(' ');
    const cut = space > 0 ? space : max;
    out.push(cutWhole(rest.slice(0, cut), max));
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(cutWhole(rest, max));
  return out;
}
