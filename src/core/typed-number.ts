/**
 * A number as people type it in a command or a form: an optional sign (`+`, `-` or the minus
 * sign `−`), digits, and decimals after a dot. Spaces are ignored. A comma is read only as a
 * thousands separator, where it groups digits by three (`1,000`, `12,345,678.5`); any other
 * comma (`1,5`, `0,5`, `1,50`, `1.000,5`) is refused, never guessed: in much of the world it
 * marks the decimals, and reading `1,5` as 15 would change a forecast tenfold.
 *
 * One reader for every place that takes a typed number, so `/forecast -0,5%` and the change
 * modal's "1,5" are refused alike, with the same sentence.
 */

export type TypedNumber =
  | { readonly kind: 'number'; readonly value: number }
  /** A comma that does not group thousands: `message` says to use a dot. */
  | { readonly kind: 'decimal-comma'; readonly message: string }
  | { readonly kind: 'not-a-number' };

/**
 * Most units anyone types in one field: a forecast change (set or ±), a capacity change, an
 * S&OE quantity. More is a typo (a pasted id, a finger on the 9): it is refused with the field's
 * name and this limit, before it can swamp a plan or overflow a total.
 */
export const MAX_TYPED_UNITS = 1e9;

/**
 * The largest change anyone types in %: a forecast or capacity change, a what-if. More is a
 * typo, refused before it can swamp a plan (a what-if of +1e20% on prices answered a margin of
 * "$2,534,141,101,720T").
 */
export const MAX_TYPED_PCT = 1000;

/** MAX_TYPED_UNITS as written in a refusal: 1,000,000,000. */
export const MAX_TYPED_UNITS_TEXT = MAX_TYPED_UNITS.toLocaleString('en-US');

const GROUPED_OR_PLAIN = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$/;

/** `typed` as a number; see the module comment for what is accepted. */
export function readTypedNumber(typed: string): TypedNumber {
  const t = typed.replace(/\s+/g, '').replace(/−/g, '-');
  if (GROUPED_OR_PLAIN.test(t)) return { kind: 'number', value: Number(t.replace(/,/g, '')) };
  if (t.includes(',')) return { kind: 'decimal-comma', message: decimalCommaAdvice(typed.trim()) };
  return { kind: 'not-a-number' };
}

/**
 * What to write instead of a decimal comma: "use a dot for decimals (1.5); a comma only
 * separates thousands, as in 1,000." The suggestion is the typed text with its one comma
 * made a dot, when that is all it takes.
 */
export function decimalCommaAdvice(typed: string): string {
  const one = (typed.match(/,/g) ?? []).length === 1 && !typed.includes('.');
  return `use a dot for decimals${one ? ` (${typed.replace(',', '.')})` : ''}; a comma only separates thousands, as in 1,000.`;
}
