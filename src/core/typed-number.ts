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
 * modal's "1,5" are refused alike, with the same sentence. So are numbers written as a word
 * processor, a spreadsheet or another keyboard writes them (`otherWriting`: `–120`, `(120)`,
 * `１２０`, `$1,200`, `1e3`), each told what to write, and marks for no value (`isNoValue`:
 * `N/A`, `-`), which each field answers for itself.
 */

export type TypedNumber =
  | { readonly kind: 'number'; readonly value: number }
  /** A comma that does not group thousands: `message` says to use a dot. */
  | { readonly kind: 'decimal-comma'; readonly message: string }
  /**
   * A number written as a spreadsheet, a word processor or another keyboard writes it (a dash
   * for a minus, full-width digits, brackets, a currency sign, an exponent): `message` says
   * what it is and what to write, to follow the text as typed ("is in scientific notation:
   * write 1000."; `otherWriting`).
   */
  | { readonly kind: 'other-writing'; readonly message: string }
  /** A mark for no value (`N/A`, `-`, `—`): each field says what to write (`isNoValue`). */
  | { readonly kind: 'no-value' }
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
  if (isNoValue(typed)) return { kind: 'no-value' };
  const other = otherWriting(typed);
  if (other) return { kind: 'other-writing', message: otherWritingAdvice(other) };
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
  // 1.200,5 (dots group thousands, as Germany or Brazil write it): its one reading, 1200.5.
  const dots = /^([=+\-−]?)(\d{1,3}(?:\.\d{3})+),(\d+)(%?)$/.exec(typed.replace(/\s+/g, ''));
  const fix = dots
    ? `${dots[1]}${dots[2]!.replace(/\./g, '')}.${dots[3]}${dots[4]}`
    : one
      ? typed.replace(/(?<=\d)\s+(?=\d{3}\b)/g, '').replace(',', '.')
      : null;
  return `use a dot for decimals${fix ? ` (${fix})` : ''}; a comma only separates thousands, as in 1,000.`;
}

/**
 * A mark that stands for no value in a spreadsheet or a report: `N/A`, `n/a`, `NA`, `#N/A`
 * (Excel's), or a dash alone (`-`, `–`, `—`). It is no number, and never read as 0: each field
 * says what to write instead (leave it empty, 0, `off`), as only it knows.
 */
export function isNoValue(typed: string): boolean {
  return /^(?:#?n\/?a|[-–—‒―‐‑−﹣－])$/i.test(typed.trim());
}

/** What a number written another way is, and the text to write instead (null: none plain). */
export interface OtherWriting {
  /** "is in scientific notation", "uses an en dash (–) for a minus sign". */
  readonly what: string;
  readonly fix: string | null;
}

/** Dashes that autocorrect or a paste put where a minus was meant. */
const DASHES: Readonly<Record<string, string>> = {
  '–': 'an en dash (–)',
  '—': 'an em dash (—)',
  '‒': 'a figure dash (‒)',
  '―': 'a horizontal bar (―)',
  '‐': 'a hyphen (‐, U+2010)',
  '‑': 'a no-break hyphen (‑, U+2011)',
  '﹣': 'a small hyphen-minus (﹣)',
};
const CURRENCY_SIGN = /^(?:[$€£¥₹]|USD|EUR|GBP|CHF|JPY)\s*|\s*(?:[$€£¥₹]|USD|EUR|GBP|CHF|JPY)$/i;
/** Full-width forms of ASCII (U+FF01–U+FF5E), as a Chinese, Japanese or Korean keyboard types them. */
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const ascii = (s: string) =>
  s
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');

/**
 * How `typed` writes a number other than as digits with a `-` or `+`, and what to write: a
 * dash for a minus (`–120`, what Word's autocorrect makes of "-"), full-width characters
 * (`１２０`), an accounting negative (`(120)`), a currency sign (`$1,200`, `1 200 €`), an
 * exponent (`1e3`, `1,2E+03` as French Excel writes it), dots or apostrophes that group
 * thousands (`1.200.000`, Swiss `1'200`). A `=` before it and a `%` after it are kept in the
 * fix (`–15%` → `-15%`). Null for anything else, a plain number included. The minus sign `−` (U+2212) is not here:
 * it is a minus, the one sopbot writes in its own charts and sentences, and is read as one.
 * The one place these are recognised: the forms, the commands (`readTypedNumber`) and the
 * imports (`numberRefusal` in src/import/advice.ts) give the same advice.
 */
export function otherWriting(typed: string): OtherWriting | null {
  const t = typed.trim();
  // The fix repeats what was typed: never a mark of mrkdwn or a code span (`(1\`x\`)`), which
  // is no number anyway, and is refused as one.
  if (/[`<>*_~&|\\]/.test(ascii(t))) return null;
  if (/[\uFF01-\uFF5E\u3000]/.test(t)) {
    const folded = ascii(t);
    // No digit (`ＮＡ`, `ｔｅｓｔ`): no number written another way, and refused as none.
    if (!/\d/.test(folded)) return null;
    const inner = otherWriting(folded);
    const fix = inner ? inner.fix : folded;
    return {
      what: `is written in full-width characters${inner ? `, and ${inner.what}` : ''}`,
      // Only a number the reader takes: not `ＮＡ` ("write NA"), `１２ｘ` or `１，５` (refused).
      fix: fix !== null && readsAsNumber(fix) ? fix : null,
    };
  }
  const m = /^([=+\-−]?)\s*(.*?)\s*(%?)$/.exec(t);
  const [, pre = '', body = '', pct = ''] = m ?? [];
  const write = (b: string) => `${pre}${b}${pct}`;
  /** Digits as a person groups them: what a dash or brackets around it leave to be a number. */
  const digits = /^(?:\d|\d[\d.,\s'’]*\d)$/;
  const dash = pre === '' || pre === '=' ? /^([–—‒―‐‑﹣])\s*(.*)$/.exec(body) : null;
  if (dash && digits.test(dash[2]!))
    return {
      what: `uses ${DASHES[dash[1]!]} for a minus sign`,
      fix: write(`-${dash[2]}`),
    };
  const brackets = pre === '' || pre === '=' ? /^\(\s*(.*?)\s*\)$/.exec(body) : null;
  const inBrackets = brackets?.[1]?.replace(CURRENCY_SIGN, '') ?? '';
  if (brackets && digits.test(inBrackets))
    return {
      what: 'is an accounting negative (a number in brackets)',
      fix: write(`-${inBrackets}`),
    };
  const sign = CURRENCY_SIGN.exec(body);
  const unsigned = body.replace(CURRENCY_SIGN, '');
  if (sign && /\d/.test(unsigned)) {
    // The number alone, when it is plain: `€1.200` or `12,5 €` take their own advice after.
    const grouped = unsigned.replace(/(?<=\d)\s+(?=\d{3}\b)/g, '');
    const plain = /^[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/.test(grouped);
    const ambiguous = /^[+\-−]?\d{1,3}\.\d{3}$/.test(grouped);
    return {
      what: `has a currency sign (${sign[0].trim()})`,
      fix: plain && !ambiguous ? write(grouped) : null,
    };
  }
  const exp = /^(\d+(?:[.,]\d+)?)[eE]([+-]?\d{1,3})$/.exec(body);
  if (exp) {
    // Past 1e21 the digits are written as an exponent too: no limit takes such a number, and
    // the field's own refusal (its range) says more than "write it in digits".
    // Past the largest double (1e400) it is Infinity, below the smallest (1e-400) 0: no such
    // number to write either.
    const mantissa = Number(exp[1]!.replace(',', '.'));
    const n = Number(`${mantissa}e${exp[2]}`);
    const value = String(n);
    if (!Number.isFinite(n) || (n === 0 && mantissa !== 0) || /e/i.test(value)) return null;
    return { what: 'is in scientific notation', fix: write(value) };
  }
  if (/^\d{1,3}(?:\.\d{3}){2,}$/.test(body))
    return { what: 'has dots grouping thousands', fix: write(body.replace(/\./g, '')) };
  // 1'200 or 1’200.50, as Switzerland writes it.
  if (/^\d{1,3}(?:['’]\d{3})+(?:\.\d+)?$/.test(body))
    return { what: 'has apostrophes grouping thousands', fix: write(body.replace(/['’]/g, '')) };
  return null;
}

/** True when `fix` (with the `=` before and the `%` after that otherWriting keeps) is a number. */
function readsAsNumber(fix: string): boolean {
  const bare = /^=?\s*(.*?)\s*%?$/.exec(fix)?.[1] ?? fix;
  return readTypedNumber(bare).kind === 'number';
}

/**
 * The advice for a number written another way, to follow the text as typed: "is in scientific
 * notation: write 1000." A dash says which key makes a minus.
 */
export function otherWritingAdvice({ what, fix }: OtherWriting): string {
  const how = what.includes('for a minus sign') ? "type the keyboard's hyphen-minus," : 'write';
  const alone = what.startsWith('has a currency sign')
    ? 'write the number alone, without it'
    : null;
  return `${what}: ${fix ? `${how} ${fix}` : (alone ?? 'write the number in digits')}.`;
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
