/**
 * Number formatting for chart labels, summaries and alt text. The formatters live in core
 * (`src/core/number-format.ts`) so the vote message and the pack read a figure the same way
 * as the chart next to it.
 */
export {
  formatMoney,
  formatNumber,
  formatPercent,
  formatPoints,
} from '../core/number-format.js';

import { prefixWithin } from '../core/text.js';

/** Trims text to `max` characters, ending with an ellipsis when cut (never inside an emoji). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${prefixWithin(text, Math.max(0, max - 1)).trimEnd()}…`;
}
