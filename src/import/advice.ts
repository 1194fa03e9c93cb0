/**
 * What to write instead of a month, a date, a number, a yes or no, a choice or a code an import
 * file wrote another way, as spreadsheets and other systems do (`2027-1`, `Jan-27`, `01/2027`,
 * a date with its time, `1,234`, `$1,234.00`, `on`, `Lines`, `FAM 12`). The import refuses
 * them, never guesses, and each refusal names the value and, where one reading is plain, the
 * text to write; where two are (`1,234`, `01/02/2027`), both; where two choices fit (`S`), none.
 * Pure text in and out.
 */
import { isDay } from '../core/calendar.js';
import { isoWeekMonday, mondayOf } from '../core/execution.js';
import { isPeriod, MONTH_NAMES } from '../core/period.js';
import { isNoValue, otherWriting } from '../core/typed-number.js';

/**
 * A character that shows as nothing: a zero-width space, a byte-order mark, a soft hyphen, a
 * direction mark (Unicode's format characters), as text pasted from a web page or a PDF brings.
 */
const INVISIBLE = /\p{Cf}/gu;

/**
 * A cell as quoted in a refusal: at most 40 characters, and each character that shows as
 * nothing named (`'25<U+200B>'`), or the refusal of '25' would quote what looks right.
 */
export function quoted(s: string): string {
  const cut = s.length > 40 ? `${s.slice(0, 39)}…` : s;
  const shown = cut.replace(
    INVISIBLE,
    (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`,
  );
  return `'${shown}'${shown === cut ? '' : ' (<U+…> is a character that shows as nothing: delete it)'}`;
}

const pad = (n: number | string) => String(n).padStart(2, '0');
/** A year as written: two digits are this century's (Excel's `Jan-27`). */
const fullYear = (y: string) => (y.length === 2 ? `20${y}` : y);
/** YYYY-MM when `year` and `month` make one, else null. */
function month(year: string, m: string | number): string | null {
  const p = `${fullYear(year)}-${pad(m)}`;
  return isPeriod(p) ? p : null;
}
/** YYYY-MM-DD when they make a real date, else null. */
function day(year: string, m: string | number, d: string | number): string | null {
  const s = `${fullYear(year)}-${pad(m)}-${pad(d)}`;
  return isDay(s) ? s : null;
}
const monthIndex = (name: string) =>
  MONTH_NAMES.findIndex((m) => m.slice(0, 3).toLowerCase() === name.slice(0, 3).toLowerCase());

const SHEET_HINT =
  ' (a spreadsheet saves a date cell as it shows it: format the column as text, or as yyyy-mm, before saving)';

/** The first rule whose pattern `t` matches, applied to the match's groups; else null. */
function firstMatch<T>(
  t: string,
  rules: readonly (readonly [RegExp, (g: string[]) => T | null])[],
): T | null {
  for (const [re, read] of rules) {
    const m = re.exec(t);
    if (m) return read(m.slice(1).map((g) => g ?? ''));
  }
  return null;
}

const TIME = '[T ][\\d:.]+(?:Z|[+-]\\d{2}:?\\d{2})?';

/**
 * A spreadsheet's date number as YYYY-MM-DD: Excel and Sheets count days from 1899-12-30, and
 * a date cell formatted as a number is saved as one (46388 is 2027-01-01; a fraction is the
 * time of day). Only 36526 to 73050 (2000 to 2099) are read so: any other number is no date.
 */
function serialDay(n: string): string | null {
  const days = Math.floor(Number(n));
  if (days < 36526 || days > 73050) return null;
  return new Date(Date.UTC(1899, 11, 30) + days * 86_400_000).toISOString().slice(0, 10);
}

const SERIAL_HINT = (as: string) =>
  ` if it is a spreadsheet's date number (a date cell formatted as a number: format the column as text, or as ${as}, before saving)`;

/** Why `s` is not a month `YYYY-MM`, and what to write instead. */
export function monthRefusal(s: string): string {
  const plain = (fix: string | null) => (fix ? { fix, hint: '' } : null);
  const found = firstMatch<{ fix: string; hint: string }>(s.trim(), [
    [/^(\d{4})[-/.](\d{1,2})$/, ([y, m]) => plain(month(y!, m!))],
    [/^(\d{1,2})[-/.](\d{4})$/, ([m, y]) => plain(month(y!, m!))],
    [/^(\d{4})(\d{2})$/, ([y, m]) => plain(month(y!, m!))],
    [
      /^([A-Za-z]{3,9})[-\s/.]+'?(\d{2}|\d{4})$/,
      ([name, y]) => {
        const fix = monthIndex(name!) >= 0 ? month(y!, monthIndex(name!) + 1) : null;
        return fix ? { fix, hint: SHEET_HINT } : null;
      },
    ],
    [
      new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})(?:${TIME})?$`),
      ([y, m, d]) => {
        const fix = day(y!, m!, d!) ? month(y!, m!) : null;
        return fix ? { fix, hint: SHEET_HINT } : null;
      },
    ],
    [
      /^(\d{5})(?:\.\d+)?$/,
      ([n]) => {
        const fix = serialDay(n!)?.slice(0, 7);
        return fix ? { fix, hint: SERIAL_HINT('yyyy-mm') } : null;
      },
    ],
  ]);
  return found
    ? `must be a month as YYYY-MM: for ${quoted(s)} write ${found.fix}${found.hint}`
    : `must be a month as YYYY-MM (e.g. 2027-03), not ${quoted(s)}`;
}

const dayName = (s: string) => `${Number(s.slice(8))} ${MONTH_NAMES[Number(s.slice(5, 7)) - 1]}`;

/** Why `s` is not a date `YYYY-MM-DD`, and what to write instead. */
export function dayRefusal(s: string): string {
  const write = (fix: string | null, how = '', hint = '') =>
    fix ? `must be a date as YYYY-MM-DD${how}: for ${quoted(s)} write ${fix}${hint}` : null;
  const named = (d: string, name: string, y: string) => {
    const m = monthIndex(name);
    return m >= 0 ? write(day(y, m + 1, d), '', SHEET_HINT.replace('yyyy-mm', 'yyyy-mm-dd')) : null;
  };
  const found = firstMatch<string>(s.trim(), [
    [
      new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${TIME}$`),
      ([y, m, d]) => write(day(y!, m!, d!), ', without a time'),
    ],
    [/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/, ([y, m, d]) => write(day(y!, m!, d!))],
    [
      /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/,
      ([a, b, y]) => {
        // Day first (most of the world) or month first (the US): both, when both are dates.
        const dayFirst = day(y!, b!, a!);
        const monthFirst = day(y!, a!, b!);
        if (dayFirst && monthFirst && dayFirst !== monthFirst)
          return write(
            `${dayFirst} (${dayName(dayFirst)}) or ${monthFirst} (${dayName(monthFirst)})`,
          );
        return write(dayFirst ?? monthFirst);
      },
    ],
    [
      // An ISO week (2026-W53, 2026W53): its Monday, as a weekly file's `week` takes it.
      /^(\d{4})-?W(\d{2})$/i,
      ([y, w]) => {
        const monday = isoWeekMonday(Number(y), Number(w));
        return monday
          ? `must be a date as YYYY-MM-DD: for ${quoted(s)} write ${monday}, the Monday of that ISO week`
          : `must be a date as YYYY-MM-DD: ${quoted(s)} is no week, ${y} has ${isoWeekMonday(Number(y), 53) ? 53 : 52} ISO weeks`;
      },
    ],
    [/^(\d{4})(\d{2})(\d{2})$/, ([y, m, d]) => write(day(y!, m!, d!))],
    [/^(\d{5})(?:\.\d+)?$/, ([n]) => write(serialDay(n!), '', SERIAL_HINT('yyyy-mm-dd'))],
    // 2-Jan-27, 2 January 2027 (a date cell as Excel shows it); Jan 2, 2027 (as Sheets does).
    [
      /^(\d{1,2})[-\s/.]+([A-Za-z]{3,9})\.?[-\s/.,]+'?(\d{2}|\d{4})$/,
      ([d, n, y]) => named(d!, n!, y!),
    ],
    [
      /^([A-Za-z]{3,9})\.?[-\s/.]+(\d{1,2})(?:st|nd|rd|th)?,?[-\s/.]+(\d{4})$/,
      ([n, d, y]) => named(d!, n!, y!),
    ],
  ]);
  return found ?? `must be a date as YYYY-MM-DD (e.g. 2027-03-15), not ${quoted(s)}`;
}

/** Why a Monday `YYYY-MM-DD` that is not one is refused: its week's Monday. */
export function mondayRefusal(s: string): string {
  const d = new Date(`${s.trim()}T00:00:00Z`);
  const monday = mondayOf(s.trim());
  const weekday = d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  return `must be the Monday that starts the week: ${s.trim()} is a ${weekday}, its week's Monday is ${monday}`;
}

const CURRENCY = /[$€£¥₹]|\b(?:USD|EUR|GBP|CHF|JPY)\b/gi;
/** Spaces that group digits: a space, a no-break space, a narrow one; Swiss `'`. */
const GROUP_SPACE = /(?<=\d)[\s\u00a0\u202f'’](?=\d{3}\b)/g;

/** A reading of a number written another way: the text to write, and what it takes. */
interface Reading {
  readonly fix: string;
  /** After the fix when it is the only reading: ` (a dot marks the decimals)`. */
  readonly note: string;
  /** After the fix when a second reading stands beside it: `the comma separates thousands`. */
  readonly when?: string;
}

/** What a number column's refusal needs to know of it besides its range. */
export interface NumberCell {
  /** It may be left empty (and then takes its default): the advice for `N/A`. */
  readonly optional?: boolean;
  /** A share written as a fraction (0.1 = 10%): `12%` is 0.12 there, and nowhere else. */
  readonly share?: boolean;
}

/** The readings of `s` as a plain number, and what it has that a plain number has not; else null. */
function numberReadings(
  s: string,
  share: boolean,
): { reasons: string[]; readings: Reading[] } | null {
  const t = s.trim();
  const plain = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  const reasons: string[] = [];
  let u = t.replace(CURRENCY, '').trim();
  if (u !== t) reasons.push('a currency sign');
  const grouped = u.replace(GROUP_SPACE, '');
  if (grouped !== u) reasons.push('spaces between digits');
  u = grouped;
  const one = (reason: string | null, fix: string, note = '') => {
    if (reason) reasons.push(reason);
    return { reasons, readings: [{ fix, note }] };
  };
  const dot = ' (a dot marks the decimals)';
  if (plain.test(u) && reasons.length > 0) return one(null, u);
  // 1,234,567 or 1,234.5: commas group thousands.
  if (/^[+-]?\d{1,3}(,\d{3})+\.\d*$|^[+-]?\d{1,3}(,\d{3}){2,}$/.test(u))
    return one('thousands separators', u.replace(/,/g, ''));
  // 1.234,5 or 1.234.567: dots group thousands, a comma marks the decimals.
  if (/^[+-]?\d{1,3}(\.\d{3})+,\d+$|^[+-]?\d{1,3}(\.\d{3}){2,}$/.test(u))
    return one('thousands separators', u.replace(/\./g, '').replace(',', '.'), dot);
  // 1,234: a thousands separator or a decimal comma; both readings.
  if (/^[+-]?\d{1,3},\d{3}$/.test(u)) {
    reasons.push('a comma');
    return {
      reasons,
      readings: [
        { fix: u.replace(',', ''), note: '', when: 'the comma separates thousands' },
        { fix: u.replace(',', '.'), note: dot, when: 'it marks the decimals' },
      ],
    };
  }
  // 12,5: a decimal comma; 1,2E+03 as French Excel writes an exponent.
  if (/^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/.test(u)) return one('a comma', u.replace(',', '.'), dot);
  const pct = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%$/.exec(u);
  if (pct && share) return one('%', String(Number(pct[1]) / 100), ' (a share: 0.1 is 10%)');
  return null;
}

/**
 * Why `s` is not `what` (a plain number: digits, a dot for decimals, no thousands separators,
 * no currency sign), and what to write instead. `refuse` is the column's refusal of a number
 * (its range, quoting the cell as written), or null: a reading it refuses is not offered, and
 * when it refuses every reading (`-1,234` where 0 or more is asked), its refusal is the answer.
 */
export function numberRefusal(
  s: string,
  what: string,
  refuse: (n: number, written: string) => string | null = () => null,
  cell: NumberCell = {},
): string {
  if (isNoValue(s))
    return `must be ${what}, not ${quoted(s)}: ${
      cell.optional
        ? "leave the cell empty for no value (it then takes the column's default)"
        : refuse(0, s) === null
          ? 'write 0 if there is none'
          : 'every row needs one'
    }`;
  if (!cell.share && /^[+-]?(\d+(\.\d*)?|\.\d+)\s*%$/.test(s.trim()))
    return `must be ${what}, not ${quoted(s)}: the column is not a percentage, so it takes no %`;
  const found = numberReadings(s, cell.share ?? false);
  if (!found) return otherWritingRefusal(s, what, refuse, cell);
  const judged = found.readings.map((r) => ({ ...r, refusal: refuse(Number(r.fix), s) }));
  const [first, second] = judged.filter((r) => r.refusal === null);
  if (!first) return judged[0]!.refusal!;
  const write = second
    ? `${first.fix} if ${first.when}, or ${second.fix} if ${second.when}`
    : `${first.fix}${first.note}`;
  return `must be ${what}, without ${found.reasons.join(' or ')}: for ${quoted(s)} write ${write}`;
}

/**
 * Why `s`, a number written as no spreadsheet column takes it (`–120` with a dash, `(120)` in
 * brackets, `１２０` in full-width digits: `otherWriting`, the advice the forms and commands
 * give too), is refused, and what to write; `must be <what>, not '<s>'` when it is none of them.
 * A reading the column refuses gives that refusal, saying what the cell reads as.
 */
function otherWritingRefusal(
  s: string,
  what: string,
  refuse: (n: number, written: string) => string | null,
  cell: NumberCell,
): string {
  const other = otherWriting(s);
  if (!other) return `must be ${what}, not ${quoted(s)}`;
  // The fix as a plain number: `(1,234.50)` → -1,234.50 → -1234.50.
  const plain = other.fix === null ? null : plainNumber(other.fix, cell.share ?? false);
  const said = `${quoted(s)} ${other.what}`;
  if (plain === null) return `must be ${what}, not ${said}`;
  const refusal = refuse(Number(plain), s);
  if (refusal) return `${refusal}: it ${other.what}, ${plain}`;
  return `must be ${what}: ${said}; write ${plain}`;
}

/** `s` as a plain number's text (its one reading), or null. */
function plainNumber(s: string, share: boolean): string | null {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return s;
  const found = numberReadings(s, share);
  return found?.readings.length === 1 ? found.readings[0]!.fix : null;
}

/** Why `s` is longer than `max` characters: how long it is, and the cell. */
export function tooLongRefusal(s: string, max: number): string {
  return `is too long (${s.length} characters, at most ${max}): ${quoted(s)}`;
}

/** A code: letters, digits, `-`, `_` and `.`, a letter or digit first, up to 64 characters. */
export const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const CODE_WHAT = 'must be a code of letters, digits, - _ or . (e.g. FAM-12)';

/** `s` with each space made a `-` (`FAM 12` → FAM-12), when that is a code; else null. */
export function dashedCode(s: string): string | null {
  const fix = s.replace(/\s/g, '-');
  return fix !== s && CODE.test(fix) ? fix : null;
}

/** Why `s` is not a code, and what to write: a code with spaces in it, each made a `-`. */
export function codeRefusal(s: string): string {
  if (s.length > 64) return tooLongRefusal(s, 64);
  const fix = dashedCode(s);
  return fix ? `${CODE_WHAT}: for ${quoted(s)} write ${fix}` : `${CODE_WHAT}, not ${quoted(s)}`;
}

/**
 * Why `s`, a family or resource named with spaces in a column that refers to one, is refused,
 * once the codes that exist were looked up: `existing` is the one it plainly means (its dashed
 * form, in any case), which the refusal says to write; null, and the refusal says there is no
 * such code either, rather than advise one that does not exist.
 */
export function spacedCodeRefusal(
  s: string,
  what: 'family' | 'resource' | 'supplier',
  existing: string | null,
): string {
  if (existing) return `${CODE_WHAT}: for ${quoted(s)} write ${existing}`;
  const first = what === 'family' ? 'families' : 'resources';
  return `unknown ${what} ${quoted(s)}: a code has no spaces, and there is no ${what} ${dashedCode(s)} either (import ${first} first)`;
}

/**
 * Why the `code` of a family or resource row, `s`, is refused when it differs only in case from
 * `other`: a stored code (`line` undefined), which the row is told to write to update it, or the
 * code of an earlier row of the file (on `line`). Commands and forms read a code in any case,
 * so two such codes could not be told apart there.
 */
export function caseTwinRefusal(
  s: string,
  what: 'family' | 'resource',
  other: string,
  line?: number,
): string {
  return line === undefined
    ? `${quoted(s)} differs from the ${what} ${other} only in case; write ${other} to update it (codes are matched in any case)`
    : `${quoted(s)} differs from ${other} on line ${line} only in case; write one row per ${what} (codes are matched in any case)`;
}

/** Cells with one plain reading as yes or no, as other systems and spreadsheets write them. */
const YES_NO_READINGS: ReadonlyMap<string, 'yes' | 'no'> = new Map([
  ['on', 'yes'],
  ['off', 'no'],
  ['t', 'yes'],
  ['f', 'no'],
  ['✓', 'yes'],
  ['✔', 'yes'],
  ['✗', 'no'],
  ['✘', 'no'],
]);

/** Why `s` is not yes or no, and what to write where one reading is plain (`on` → yes). */
export function yesNoRefusal(s: string): string {
  const fix = YES_NO_READINGS.get(s.trim().toLowerCase());
  return fix
    ? `must be yes or no: for ${quoted(s)} write ${fix}`
    : `must be yes or no, not ${quoted(s)}`;
}

/**
 * Why `s` is none of `choices` (lower case), and the one it plainly means, if one: the same
 * with spaces, `-` or `_` (`work force`), a plural (`lines`), the first three letters or more
 * of one only (`sup`), or a word `also` maps to one (`warehouse` → storage). Two choices that
 * fit: neither is offered.
 */
export function choiceRefusal(
  s: string,
  choices: readonly string[],
  also: Readonly<Record<string, string>> = {},
): string {
  const what = `must be one of ${choices.join(', ')}`;
  const t = s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  const fits = choices.filter(
    (c) => t === c || t === `${c}s` || (t.length >= 3 && c.startsWith(t)) || also[t] === c,
  );
  return fits.length === 1
    ? `${what}: for ${quoted(s)} write ${fits[0]}`
    : `${what}, not ${quoted(s)}`;
}
