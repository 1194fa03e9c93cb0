/**
 * Warnings of an import: what a file may say but is likely a mistake. Unlike a problem, a
 * warning does not refuse the file; the import reports it with its result. Each check is a
 * small function of the kind's rows (and what is stored); `importWarnings` runs those of a
 * kind, inside the import's transaction, before its rows are written.
 */
import type { Db } from '../../db/connect.js';
import { familyCostConstants } from '../../db/queries/codes.js';
import type { ImportKind } from './kinds.js';
import type { ImportRow, LineNote } from './notes.js';

/** The warnings of a file of `kind` whose rows all passed the checks. */
export async function importWarnings(
  trx: Db,
  kind: ImportKind,
  rows: readonly ImportRow[],
): Promise<LineNote[]> {
  switch (kind) {
    case 'families':
      return familyLossWarnings(rows);
    case 'family_costs':
      return monthLossWarnings(rows, await familyCostConstants(trx));
    default:
      return [];
  }
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
