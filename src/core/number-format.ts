/**
 * Number formatting for everything people read: chart labels, chart summaries, the vote
 * message, the trade-off sentences and the pack, so a figure reads the same in the picture
 * and in the message next to it. Fixed to en-US separators so output does not depend on the
 * host's locale. A value that rounds to zero never shows a minus sign ("−$0", "-0.0%").
 */

// The messages' forms (Slack text, the pack): plain en-US numbers with an ASCII minus.

/**
 * 1234.5 → "1,235". A figure that is not a number (NaN: a corrupt row, a division by nothing)
 * reads "n/a", never "0", which would be untrue.
 */
export function fmtQty(n: number): string {
  if (Number.isNaN(n)) return 'n/a';
  // `|| 0` turns −0 (a solver's −8e-8) into 0: "−0 spare" means nothing to a reader.
  return (Math.round(n) || 0).toLocaleString('en-US');
}

/**
 * A quantity with its unit, as fmtQty writes the number: 1,022 units, 300 hours; 1 unit (the
 * default unit's singular). Text: the caller escapes it for mrkdwn.
 */
export function fmtQtyIn(n: number, unit: string): string {
  const q = fmtQty(n);
  return `${q} ${unit === 'units' && q === '1' ? 'unit' : unit}`;
}

/**
 * A fraction as a percentage with one decimal: 0.0123 → "1.2%", and "+1.2%" when `signed`;
 * null or NaN → "n/a". Like `fmtQty`, a value that rounds to zero has no sign: −0.00009 → "0.0%",
 * not "-0.0%".
 */
/**
 * `x` in percent as fmtPct prints it (0.84996 → 85): a share set against a target is judged as
 * the reader sees both, so 85.0% is never marked below a target of 85.0%.
 */
export function pctAsShown(x: number): number {
  return Math.sign(x) * Number(Math.abs(x * 100).toFixed(1));
}

export function fmtPct(x: number | null, signed = false): string {
  if (x === null || Number.isNaN(x)) return 'n/a';
  const body = Math.abs(x * 100).toFixed(1);
  const sign = Number(body) === 0 ? '' : x < 0 ? '-' : signed ? '+' : '';
  return `${sign}${body}%`;
}

// The charts' forms (labels, summaries, alt text, vote and trade-off money): the typographic
// minus, compact money.

const MINUS = '−';

function grouped(n: number, digits: number): string {
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function signOf(n: number, signed: boolean): string {
  if (n < 0) return MINUS;
  return signed && n > 0 ? '+' : '';
}

/** 12345.6 → "12,346"; `digits` decimals, thousands separators. */
export function formatNumber(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? `${MINUS}∞` : 'n/a';
  const s = grouped(Math.abs(n), digits);
  return (n < 0 && s.replace(/[0.,]/g, '') !== '' ? MINUS : '') + s;
}

/** 0.9614 → "96.1%"; `signed` adds + to gains. */
export function formatPercent(fraction: number, digits = 1, signed = false): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '∞%' : 'n/a';
  const s = grouped(Math.abs(fraction * 100), digits);
  const zero = s.replace(/[0.,]/g, '') === '';
  return (zero ? '' : signOf(fraction, signed)) + s + '%';
}

/** A difference of two fractions in percentage points: 0.023 → "+2.3 pts"; NaN → "n/a". */
export function formatPoints(fraction: number, digits = 1): string {
  if (Number.isNaN(fraction)) return 'n/a';
  const s = grouped(Math.abs(fraction * 100), digits);
  const zero = s.replace(/[0.,]/g, '') === '';
  return (zero ? '' : signOf(fraction, true)) + s + ' pts';
}

/** The percentage `formatPercent` writes, as a number: 0.97277 → 97.3. */
function shownPercent(fraction: number, digits: number): number {
  const body = Number(grouped(Math.abs(fraction * 100), digits).replace(/,/g, ''));
  return fraction < 0 ? -body : body;
}

/**
 * The difference between two fractions printed beside them, in points: the difference of
 * the two percentages as `formatPercent` writes them, so the figures add up on the page.
 * 0.97277 and 0.95730 read "97.3%" and "95.7%": "+1.6 pts", where 0.97277 − 0.95730 = 1.547
 * points would print "+1.5 pts".
 */
export function formatPointsBetween(fraction: number, reference: number, digits = 1): string {
  return formatPoints(
    (shownPercent(fraction, digits) - shownPercent(reference, digits)) / 100,
    digits,
  );
}

const SCALES: readonly (readonly [number, string])[] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * Money, compact: 1_234_567 → "$1.2M", 84_500 → "$84.5k", 950 → "$950".
 * The unit is chosen after rounding (999_600 → "$1M", not "$1000k"); `signed` adds + to
 * gains, which summaries use for differences.
 */
export function formatMoney(n: number, currency = '$', signed = false): string {
  if (!Number.isFinite(n)) return 'n/a';
  const body = moneyBody(Math.abs(n)).text;
  const zero = body.replace(/[0.,]/g, '') === '';
  return (zero ? '' : signOf(n, signed)) + currency + body;
}

/**
 * An amount (≥ 0) as `formatMoney` writes it: the text, the value that text stands for
 * (73_249_429 → "73.2M", 73_200_000) and the step of its last digit (100_000).
 */
function moneyBody(abs: number): { text: string; value: number; step: number } {
  for (const [size, suffix] of SCALES) {
    if (abs >= size * 0.9995) {
      const v = abs / size;
      const digits = v >= 100 ? 0 : 1;
      const body = grouped(v, digits);
      return {
        text: body.replace(/\.0$/, '') + suffix,
        value: Number(body.replace(/,/g, '')) * size,
        step: size / 10 ** digits,
      };
    }
  }
  const body = grouped(abs, 0);
  return { text: body, value: Number(body.replace(/,/g, '')), step: 1 };
}

/**
 * The difference between two amounts printed beside it ("$71.9M (−$1.3M vs Central
 * $73.2M)"), signed, so the figures add up on the page. Written as precisely as the amounts
 * (or less), it is the difference of the amounts as `formatMoney` writes them: $71.88M and
 * $73.25M read "$71.9M" and "$73.2M", so "−$1.3M", where the unrounded −$1.37M would print
 * "−$1.4M". Written more precisely than the amounts, it is the unrounded difference, which
 * they cannot contradict: $73.6M against $73.2M, "+$390k" (not "+$400k").
 */
export function formatMoneyBetween(amount: number, reference: number, currency = '$'): string {
  const d = amount - reference;
  if (!Number.isFinite(d)) return 'n/a';
  const a = moneyBody(Math.abs(amount));
  const r = moneyBody(Math.abs(reference));
  if (moneyBody(Math.abs(d)).step < Math.max(a.step, r.step)) return formatMoney(d, currency, true);
  const shown = (n: number, b: { value: number }) => (n < 0 ? -b.value : b.value);
  return formatMoney(shown(amount, a) - shown(reference, r), currency, true);
}

/**
 * Whole-number parts that add up to a whole-number total: the largest remainder method
 * (Hamilton's apportionment method, https://en.wikipedia.org/wiki/Largest_remainder_method).
 * Each part is rounded down, then the units still missing go one each to the parts with the
 * largest fractions (ties to the earlier part); a total below the rounded-down parts takes one
 * each from the parts with the smallest fractions. A walk such as "consensus 16,601 = baseline
 * 16,108 + promotion +493" rounds its two ends (`Math.round`, as `fmtQty` and `formatNumber`
 * write them) and shares their difference over the steps: rounded one by one, 16,108.4 +
 * 492.4 = 16,600.8 read "16,108 + 492 = 16,601". 0.4 + 0.4 + 0.4 shared over 1 reads 1 + 0 + 0.
 * More missing units than parts go out in whole rounds first (1,000,000 over 3 parts: 333,333
 * each, then the one left to the largest fraction). A part or total that is not a number
 * (NaN, Infinity) cannot be shared: each part is then rounded on its own.
 */
export function apportion(parts: readonly number[], total: number): number[] {
  if (!Number.isFinite(total) || !parts.every(Number.isFinite))
    return parts.map((p) => positiveZero(Math.round(p)));
  // Six decimals: a sum's float noise (492.99999999) is not a fraction of a unit.
  const exact = parts.map((p) => Number(p.toFixed(6)));
  const out = exact.map(Math.floor);
  const n = out.length;
  if (n === 0) return [];
  const missing = Math.round(total) - out.reduce((a, b) => a + b, 0);
  // Whole rounds to every part (a floor, so a negative round takes one from each), then the
  // units left (0 to n − 1) one each to the largest fractions.
  const rounds = Math.floor(missing / n);
  const left = missing - rounds * n;
  const byFraction = exact
    .map((p, i) => ({ i, fraction: p - Math.floor(p) }))
    .sort((a, b) => b.fraction - a.fraction || a.i - b.i);
  const extra = new Set(byFraction.slice(0, left).map((f) => f.i));
  return out.map((f, i) => positiveZero(f + rounds + (extra.has(i) ? 1 : 0)));
}

/** −0 prints "−0"; it is 0. NaN and Infinity stay as they are. */
function positiveZero(n: number): number {
  return n === 0 ? 0 : n;
}

/**
 * A walk from `start` to `end` through `steps` as it is printed: both ends rounded, and the
 * steps apportioned (largest remainder) over the difference of the rounded ends, so the
 * printed figures add up: start 9.4, three steps of 0.4, end 10.6 read "9 + 1 + 1 + 0 = 11",
 * where each rounded on its own read "9 + 0 + 0 + 0 = 11". An end or step that is not a
 * number (NaN, Infinity) is returned as it is, and the steps are each rounded on their own:
 * no step is made up to reach an end that is not there.
 */
export function walkAsShown(
  start: number,
  steps: readonly number[],
  end: number,
): { start: number; steps: number[]; end: number } {
  const s = positiveZero(Math.round(start));
  const e = positiveZero(Math.round(end));
  return { start: s, steps: apportion(steps, e - s), end: e };
}

/** A compact amount with one or two digits and no tenths: "$80M", "−$4M", "+$2k". */
const WHOLE_MONEY = /^([−+-]?\D*?\d{1,2})([kMBT])$/;
const TENTHS_MONEY = /\d\.\d[kMBT]$/;

/**
 * Amounts read together (compared in one sentence, or one field) at one precision: when one
 * of them shows tenths ("$85.7M"), those of one or two digits that `formatMoney` wrote
 * without (it drops a ".0") get theirs back: ["$85.7M", "$80M"] → ["$85.7M", "$80.0M"],
 * ["+$2M", "$15.2M"] → ["+$2.0M", "$15.2M"]. An amount of three digits ("$894k") has no
 * tenths at any precision and stays; a set without tenths stays as it is ("$80M vs $75M").
 * Takes the texts as the formatters wrote them (`formatMoney`, `formatMoneyBetween`).
 */
export function moneyAlike(texts: readonly string[]): string[] {
  if (!texts.some((t) => TENTHS_MONEY.test(t))) return [...texts];
  return texts.map((t) => t.replace(WHOLE_MONEY, '$1.0$2'));
}
