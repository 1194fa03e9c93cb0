/**
 * A number as people type it in a command or a form: an optional sign (`+`, `-` or the minus
 * sign `−`), digits, and decimals after a dot. Spaces around it and after the sign are ignored,
 * and a space between digits is read as a comma is, only where it groups digits by three
 * (`1 200`, with a no-break space as French writes it): `1 2` or `12 50` is a typo, not 12 or
 * 1250, and is refused. A comma is read only as a
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

/** Digits grouped by three with spaces, then decimals (after a dot, or a comma refused below). */
const SPACE_GROUPED = /^[+-]?\d{1,3}(?:\s\d{3})+(?:[.,]\d+)?$/;
const GROUPED_OR_PLAIN = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$/;

/** `typed` as a number; see the module comment for what is accepted. */
export function readTypedNumber(typed: string): TypedNumber {
  const s = typed
    .trim()
    .replace(/−/g, '-')
    .replace(/^([+-])\s+/, '$1');
  if (/\d\s+\d/.test(s) && !SPACE_GROUPED.test(s)) return { kind: 'not-a-number' };
  const t = s.replace(/\s+/g, '');
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

/**
 * What to write instead of a quantity in units that a dot may group by thousands, as much of
 * the world writes it: `1.200` is twelve hundred in Germany, Italy or Brazil, and 1.2 read as
 * decimals, a thousandth of what was meant. Such a number (1 to 3 digits, not a lone 0, a dot,
 * exactly 3 digits, an optional sign or `=`) is refused with both readings: "would be 1.2
 * units (a dot marks decimals): for 1,200 write 1200 or 1,200; for 1.2, write 1.2." Null for
 * any other text. Only for quantities (forecast units, a resource's capacity, shown whole):
 * 0.125 or 1.25 are read as typed, and a percentage keeps its decimals. `inUnits` names the
 * reading's unit (a forecast's units); false leaves it out ("would be 1.2 (a dot marks
 * decimals)…"), for a resource's capacity, counted in its own unit (hours for a line).
 */
export function dotThousandsAdvice(typed: string, inUnits: boolean): string | null {
  const m = /^([=+\-−]?)([1-9]\d{0,2})\.(\d{3})$/.exec(typed.replace(/\s+/g, ''));
  if (!m) return null;
  const [, sign = '', high = '', low = ''] = m;
  const thousands = (Number(high) * 1000 + Number(low)).toLocaleString('en-US');
  const decimal = String(Number(`${high}.${low}`));
  const minus = sign === '-' || sign === '−' ? sign : '';
  // Three decimals need all three: one more zero keeps them, and no longer looks like thousands.
  const asDecimal = decimal === `${high}.${low}` ? `${decimal}0` : decimal;
  const unit = inUnits ? ` ${decimal === '1' ? 'unit' : 'units'}` : '';
  return `would be ${minus}${decimal}${unit} (a dot marks decimals): for ${thousands} write ${sign}${high}${low} or ${sign}${high},${low}; for ${decimal}, write ${sign}${asDecimal}.`;
}
