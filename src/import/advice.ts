/**
 * What to write instead of a month, a date or a number an import file wrote another way, as
 * spreadsheets and other systems do (`2027-1`, `Jan-27`, `01/2027`, a date with its time,
 * `1,234`, `$1,234.00`). The import refuses them, never guesses, and each refusal names the
 * value and, where one reading is plain, the text to write; where two are (`1,234`, `01/02/2027`),
 * both. Pure text in and out.
 */
import { isDay } from '../core/calendar.js';
import { mondayOf } from '../core/execution.js';
import { isPeriod, MONTH_NAMES } from '../core/period.js';

/** A cell as quoted in a refusal: at most 40 characters. */
export function quoted(s: string): string {
  return `'${s.length > 40 ? `${s.slice(0, 39)}…` : s}'`;
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
  ]);
  return found
    ? `must be a month as YYYY-MM: for ${quoted(s)} write ${found.fix}${found.hint}`
    : `must be a month as YYYY-MM (e.g. 2027-03), not ${quoted(s)}`;
}

const dayName = (s: string) => `${Number(s.slice(8))} ${MONTH_NAMES[Number(s.slice(5, 7)) - 1]}`;

/** Why `s` is not a date `YYYY-MM-DD`, and what to write instead. */
export function dayRefusal(s: string): string {
  const write = (fix: string | null, how = '') =>
    fix ? `must be a date as YYYY-MM-DD${how}: for ${quoted(s)} write ${fix}` : null;
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

/**
 * Why `s` is not `what` (a plain number: digits, a dot for decimals, no thousands separators,
 * no currency sign), and what to write instead.
 */
export function numberRefusal(s: string, what: string): string {
  const t = s.trim();
  const plain = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  const reasons: string[] = [];
  let u = t.replace(CURRENCY, '').trim();
  if (u !== t) reasons.push('a currency sign');
  const grouped = u.replace(GROUP_SPACE, '');
  if (grouped !== u) reasons.push('spaces between digits');
  u = grouped;
  const done = (fix: string) =>
    `must be ${what}, without ${reasons.join(' or ')}: for ${quoted(s)} write ${fix}`;
  if (plain.test(u) && reasons.length > 0) return done(u);
  // 1,234,567 or 1,234.5: commas group thousands.
  if (/^[+-]?\d{1,3}(,\d{3})+\.\d*$|^[+-]?\d{1,3}(,\d{3}){2,}$/.test(u)) {
    reasons.push('thousands separators');
    return done(u.replace(/,/g, ''));
  }
  // 1.234,5 or 1.234.567: dots group thousands, a comma marks the decimals.
  if (/^[+-]?\d{1,3}(\.\d{3})+,\d+$|^[+-]?\d{1,3}(\.\d{3}){2,}$/.test(u)) {
    reasons.push('thousands separators');
    return `${done(u.replace(/\./g, '').replace(',', '.'))} (a dot marks the decimals)`;
  }
  // 1,234: a thousands separator or a decimal comma; both readings.
  if (/^[+-]?\d{1,3},\d{3}$/.test(u)) {
    reasons.push('a comma');
    return `${done(u.replace(',', ''))} if the comma separates thousands, or ${u.replace(',', '.')} if it marks the decimals`;
  }
  // 12,5: a decimal comma.
  if (/^[+-]?\d*,\d+$/.test(u)) {
    reasons.push('a comma');
    return `${done(u.replace(',', '.'))} (a dot marks the decimals)`;
  }
  const pct = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%$/.exec(u);
  if (pct) {
    reasons.push('%');
    return done(String(Number(pct[1]) / 100));
  }
  return `must be ${what}, not ${quoted(s)}`;
}
