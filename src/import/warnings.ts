/**
 * Warnings of an import: what a file may say but is likely a mistake. Unlike a problem, a
 * warning does not refuse the file; the import reports it with its result. Each check is a
 * small function of the kind's rows (and what is stored); `importWarnings` runs those of a
 * kind, inside the import's transaction: the checks of rows on each batch as it is written (a
 * big file is never held whole), the checks of the file once all of it is written, so a check
 * can read what the file leaves stored.
 */
import type { Db } from '../../db/connect.js';
import { familyCostConstants } from '../../db/queries/codes.js';
import { salesMonthSpans, salesMonthsOf } from '../../db/queries/sales-months.js';
import { type FamilyGap, missingMonths, monthRuns } from '../core/history-gaps.js';
import { periodIndex } from '../core/period.js';
import { compareCodes } from '../core/text.js';
import type { ImportKind } from './kinds.js';
import type { ImportRow, LineNote } from './notes.js';

/** The warnings of one file of `kind`: of each batch of its rows as written, then of the file. */
export interface FileWarnings {
  batch(rows: readonly ImportRow[]): Promise<LineNote[]>;
  end(): Promise<LineNote[]>;
}

export function importWarnings(trx: Db, kind: ImportKind): FileWarnings {
  let constants: ReturnType<typeof familyCostConstants> | null = null;
  return {
    async batch(rows) {
      if (kind === 'families') return familyLossWarnings(rows);
      if (kind !== 'family_costs') return [];
      constants ??= familyCostConstants(trx);
      return monthLossWarnings(rows, await constants);
    },
    async end() {
      if (kind !== 'sales') return [];
      // Every stored row: the newest month is what a family left out of this month's file
      // lacks, even while the cycle of that month (whose baseline does not read it) is open.
      // Counted in the database (a big history is not read row by row): a family has a gap
      // when it has fewer months than from its first through the newest; the months of the
      // first GAP_FAMILIES_SHOWN of those are read to be named.
      const { spans, through } = await salesMonthSpans(trx);
      if (through === null) return [];
      const end = periodIndex(through);
      const gapped = spans
        .filter((s) => s.months < end - periodIndex(s.first) + 1)
        .map((s) => s.family)
        .sort(compareCodes);
      const named = gapped.slice(0, GAP_FAMILIES_SHOWN);
      const rows = await salesMonthsOf(trx, named);
      const gaps = named.map((family) => ({
        family,
        months: missingMonths(
          rows.filter((r) => r.family === family).map((r) => r.period),
          through,
        ),
      }));
      return historyGapWarnings(gaps, through, gapped.length);
    },
  };
}

const lossNote = (what: string): string =>
  `${what}: every unit made loses money, so the plan may serve none of its demand and count ` +
  'it as lost sales. Imported; if the product is not sold at a loss, correct the file and import it again';

/** A family whose unit cost is at or above its price (families.csv). */
export function familyLossWarnings(rows: readonly ImportRow[]): LineNote[] {
  const out: LineNote[] = [];
  for (const r of rows) {
    const price = r.value.price as number;
    const cost = r.value.unit_cost as number;
    if (cost >= price)
      out.push({
        line: r.line,
        column: 'unit_cost',
        message: lossNote(`${cost} is at or above ${String(r.value.code)}'s price, ${price}`),
      });
  }
  return out;
}

/**
 * A month whose unit cost is at or above its price (family_costs.csv), a blank taking the
 * family's constant as the plan does. A row that sets neither says nothing new: the constants
 * were checked when families.csv was imported.
 */
export function monthLossWarnings(
  rows: readonly ImportRow[],
  constants: ReadonlyMap<string, { readonly price: number; readonly unit_cost: number }>,
): LineNote[] {
  const out: LineNote[] = [];
  for (const r of rows) {
    const rowPrice = r.value.price as number | null;
    const rowCost = r.value.unit_cost as number | null;
    const family = String(r.value.family);
    const stored = constants.get(family);
    if (!stored || (rowPrice === null && rowCost === null)) continue;
    const price = rowPrice ?? stored.price;
    const cost = rowCost ?? stored.unit_cost;
    if (cost < price) continue;
    const costText = rowCost === null ? `${family}'s unit cost, ${cost},` : `the unit cost ${cost}`;
    const priceText = rowPrice === null ? `${family}'s price, ${price}` : `the price, ${price}`;
    out.push({
      line: r.line,
      column: rowCost === null ? 'price' : 'unit_cost',
      message: lossNote(`in ${String(r.value.period)} ${costText} is at or above ${priceText}`),
    });
  }
  return out;
}

/** Families named one by one in a history-gap warning; the rest are counted. */
export const GAP_FAMILIES_SHOWN = 10;

/**
 * The families the stored sales history leaves with months without a row, inside the period
 * it covers (through `through`): between two of a family's rows, or after its last one while
 * other families' rows go on. The baseline counts those months as zero sales. One note that
 * counts them, one per family (its months as runs), the first GAP_FAMILIES_SHOWN, then how
 * many more. `total`: how many families have gaps, when `gaps` holds only the first of them.
 */
export function historyGapWarnings(
  gaps: readonly FamilyGap[],
  through: string | null,
  total = gaps.length,
): LineNote[] {
  if (gaps.length === 0 || through === null) return [];
  const n = total;
  const head: LineNote = {
    line: null,
    column: null,
    message:
      `${n} famil${n === 1 ? 'y has' : 'ies have'} months with no row inside the period the sales ` +
      `history covers (through ${through}); the baseline counts those months as zero sales. ` +
      'Imported; if a family did sell in them, add its rows and import again',
  };
  const each = gaps.slice(0, GAP_FAMILIES_SHOWN).map(
    (g): LineNote => ({
      line: null,
      column: null,
      message: `${g.family} has no row for ${monthRuns(g.months)} (${g.months.length} month${g.months.length === 1 ? '' : 's'}), counted as zero sales`,
    }),
  );
  const left = n - each.length;
  const more: LineNote[] =
    left > 0
      ? [
          {
            line: null,
            column: null,
            message: `…and ${left} more famil${left === 1 ? 'y' : 'ies'} with months counted as zero sales`,
          },
        ]
      : [];
  return [head, ...each, ...more];
}
