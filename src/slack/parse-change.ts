/**
 * The text form of /forecast and /capacity:
 *   <CODE> <month or range> <=N | +N | -N | +N% | -N%> <reason> ["comment"]
 * The month field is read as /sop explain reads one (resolveWhen): 2027-03, Jan 2027, May (the
 * first May from the cycle's month on), 2027-03..2027-05, 2027-03 to 2027-05, 2027-03 - 2027-05.
 * Reasons may be typed with spaces replaced by - or _ ("new-customer"). A comment may also be
 * given unquoted after the reason.
 */
import type { AdjustmentKind } from '../core/consensus.js';
import { resolveWhen } from '../core/explain/grammar.js';
import type { Period } from '../core/period.js';
import { codeSpan } from '../core/text.js';
import {
  decimalCommaAdvice,
  dotThousandsAdvice,
  isNoValue,
  otherWriting,
  otherWritingAdvice,
  readTypedNumber,
} from '../core/typed-number.js';
import { dashedCode } from '../import/advice.js';
import type { ChangeInput } from '../services/adjustments.js';
import { FieldError } from '../services/adjustments.js';
import type { ChangeSubject } from './presenters/change.js';
import { KIND_AMOUNT } from './presenters/change-modal.js';
import { tokenise } from './tokenise.js';

/**
 * `=N`, `+N`, `-N`, `+N%` or `-N%` (N read by readTypedNumber: `=1,200` is 1200), or null
 * when the token is not a change. A mark for no value (`N/A`) or a number written another way
 * (`–120`, `(120)`, `=$1,200`, `=1e3`: `otherWriting`) throws a FieldError saying what to write. A decimal comma (`-0,5%`, `=1,5`) throws a FieldError on
 * the value that says to use a dot, instead of being read as a thousands separator; so does a
 * dot that may group thousands in a quantity (`=1.200`, `dotThousandsAdvice`: in units for a
 * forecast, in no unit named for a resource's capacity).
 */
export function parseChangeValue(
  token: string,
  subject: ChangeSubject,
): { kind: AdjustmentKind; value: number } | null {
  if (isNoValue(token))
    throw new FieldError('value', noValueAdvice(codeSpan(token), subject, '=N'));
  const other = otherWriting(token);
  if (other) throw new FieldError('value', `${codeSpan(token)} ${otherWritingAdvice(other)}`);
  const m = /^([=+\-−])(.*?)(%?)$/.exec(token.replace(/\s+/g, ''));
  if (!m) return null;
  const [, op = '', body = '', pct] = m;
  if (op === '=' && pct) return null;
  if (/^[+\-−]/.test(body)) return null;
  const n = readTypedNumber(body);
  if (n.kind === 'decimal-comma')
    throw new FieldError('value', `${codeSpan(token)}: ${decimalCommaAdvice(token)}`);
  if (n.kind !== 'number') return null;
  const dot = pct ? null : dotThousandsAdvice(token, subject === 'forecast');
  if (dot) throw new FieldError('value', `${codeSpan(token)} ${dot}`);
  if (op === '=') return { kind: 'set', value: n.value };
  const value = n.value * (op === '+' ? 1 : -1);
  return pct ? { kind: 'delta_pct', value } : { kind: 'delta_units', value };
}

/**
 * Why `written` (N/A, `-`: a mark for no value, quoted as the field quotes it) is refused in a
 * forecast or capacity change, and what to write: there is no "no value" to give, only a value
 * to set (`set`: the form's kind or the command's `=N`), or no change at all.
 */
export function noValueAdvice(written: string, subject: ChangeSubject, set: string): string {
  const none = set === '=N' ? 'write =0' : `choose ${set} and enter 0`;
  const keep = set === '=N' ? 'send no change' : 'close the form';
  return `${written} is no number: to leave the ${subject} as it is, ${keep}; for none, ${none}.`;
}

export function normaliseReason(token: string): string {
  return token.toLowerCase().replace(/[-\s]+/g, '_');
}

/**
 * The change token and the tokens after it. A sign typed apart from its number (`+ 15%`) and
 * a % typed apart (`+15 %`, as French writes it) belong to the change, not to the reason.
 */
function changeToken(tokens: readonly string[]): [string | undefined, string[]] {
  let [change, ...rest] = tokens;
  if (change !== undefined && /^[=+\-−]$/.test(change) && /^\d/.test(rest[0] ?? '')) {
    change += rest[0];
    rest = rest.slice(1);
  }
  // `=1 200` (a space grouping thousands, as French writes it) would leave `200` as the reason.
  const split = /^([=+\-−]?)(\d{1,3}(?:,\d{3})*)$/.exec(change ?? '');
  const group = /^(\d{3}(?:\.\d+)?)(%?)$/.exec(rest[0] ?? '');
  if (split && group) {
    const [, op = '', high = ''] = split;
    const [, low = '', pct = ''] = group;
    const [whole = '', decimals] = `${high.replace(/,/g, '')}${low}`.split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
    const dec = decimals === undefined ? '' : `.${decimals}`;
    throw new FieldError(
      'value',
      `${codeSpan(`${change} ${rest[0]}`)}: a command reads a space as the end of the number; write ${op}${whole}${dec}${pct} or ${op}${grouped}${dec}${pct}.`,
    );
  }
  if (change !== undefined && !change.endsWith('%') && rest[0] === '%') {
    change += '%';
    rest = rest.slice(1);
  }
  return [change, rest];
}

/** At most this many tokens make the month field (`Mar 2027 to May 2027` is five). */
const MONTH_FIELD_TOKENS = 5;

/**
 * The month field at the start of `tokens`: the most tokens (up to MONTH_FIELD_TOKENS) that
 * read as a month or a range as /sop explain reads them (resolveWhen), a month name without a
 * year being the first such month from `anchor` (the cycle's month) on; null when none do.
 */
function readMonthField(
  tokens: readonly string[],
  anchor: Period,
): { from: Period; to: Period; used: number } | null {
  for (let n = Math.min(MONTH_FIELD_TOKENS, tokens.length); n >= 1; n--) {
    const when = resolveWhen(tokens.slice(0, n).join(' '), anchor);
    if (when) return { ...when, used: n };
  }
  return null;
}

/**
 * Whether `tokens[i]` starts a change (`=1200`, `+15%`, `- 150`): not a dash between two
 * months (`2027-03 - 2027-13`, `-2027-13`), which belongs to the month field.
 */
function startsChange(tokens: readonly string[], i: number): boolean {
  const t = tokens[i] ?? '';
  if (!/^[=+\-−]/.test(t)) return false;
  const monthAfter = /^[-−]$/.test(t) ? (tokens[i + 1] ?? '') : t.slice(1);
  return !(/^[-−]/.test(t) && /^\d{4}-\d/.test(monthAfter));
}

/**
 * A unit written after the number (`=1200 units`, `+40 hours`): the words people write for
 * a family's or a resource's quantity. The value is the number alone, in the target's unit.
 */
const UNIT_WORD =
  /^(units?|u|pcs?|pieces?|hours?|hrs?|h|tonnes?|tons?|t|kg|shifts?|pallets?|cases?|boxes?)$/i;

/**
 * Parses the text of /forecast (`subject` 'forecast') or /capacity; throws FieldError naming
 * the first part that is wrong. `anchor` is the month a month name without a year is read
 * from (the open cycle's: `May` is the first May from it on).
 */
export function parseChangeText(
  text: string,
  reasons: readonly string[],
  subject: ChangeSubject,
  anchor: Period,
): ChangeInput {
  let [target, ...fields] = tokenise(text);
  let when = readMonthField(fields, anchor);
  // `FAM 12 2027-03 …`: a code typed with a space, the month after it. The code is kept as
  // typed, and the service says which code to write (FAM-12) if that one exists.
  const glued = target && fields[0] ? `${target} ${fields[0]}` : '';
  const spaced = !when && dashedCode(glued) ? readMonthField(fields.slice(1), anchor) : null;
  if (spaced) {
    target = glued;
    fields = fields.slice(1);
    when = spaced;
  }
  const range = fields[0];
  if (!target) throw new FieldError('target', 'Start with the code.');
  if (!range) throw new FieldError('from', 'Give a month (YYYY-MM) or a range (YYYY-MM..YYYY-MM).');
  // The month field ends where the change starts. What comes before it and is not read as a
  // month (`Janvier 2027 +15%`, `2027-03 to 2027-13 +15%`) is refused as a whole, rather than
  // its second word blamed as the change.
  const end = fields.findIndex((_, i) => i > 0 && startsChange(fields, i));
  if (end > 1 && (when?.used ?? 0) < end)
    throw new FieldError(
      'from',
      `${codeSpan(fields.slice(0, end).join(' '))} is not a month; write it as YYYY-MM, e.g. 2027-03 (a range: 2027-03..2027-05).`,
    );
  let from: string;
  let to: string;
  let used = 1;
  if (when) ({ from, to, used } = when);
  else {
    // One token: checked with the change (`2027-3` is not a month, write it as YYYY-MM).
    const parts = range.split(/\.\.|–/);
    if (parts.length > 2 || parts[0] === '')
      throw new FieldError(
        'from',
        `${codeSpan(range)} is not a month or a range like 2027-03..2027-05.`,
      );
    from = parts[0] ?? '';
    to = parts[1] ?? from;
  }
  const [change, rest] = changeToken(fields.slice(used));
  if (!change) throw new FieldError('value', 'Give the change: =1200, +200, -150, +15% or -10%.');
  const parsed = parseChangeValue(change, subject);
  if (!parsed)
    throw new FieldError(
      'value',
      `${codeSpan(change)} is not a change; write =1200 (set), +200 or -150 (${subject === 'forecast' ? 'units' : KIND_AMOUNT.capacity}), +15% or -10%.`,
    );
  const list = reasons.map((r) => r.replace(/_/g, '-')).join(', ');
  const [reasonToken, ...commentParts] = rest;
  if (!reasonToken) throw new FieldError('reason', `Give a reason: ${list}.`);
  const reason = normaliseReason(reasonToken);
  if (!reasons.includes(reason) && UNIT_WORD.test(reasonToken))
    throw new FieldError(
      'reason',
      `${codeSpan(reasonToken)}: write the number without its unit (${change}); then the reason: ${list}.`,
    );
  if (!reasons.includes(reason))
    throw new FieldError('reason', `${codeSpan(reasonToken)} is not a reason; use one of ${list}.`);
  const comment = commentParts.join(' ').trim();
  return { target, from, to, ...parsed, reason, comment: comment === '' ? null : comment };
}
