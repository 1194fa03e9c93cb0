/**
 * The text form of /forecast and /capacity:
 *   <CODE> <YYYY-MM>[..<YYYY-MM>] <=N | +N | -N | +N% | -N%> <reason> ["comment"]
 * Reasons may be typed with spaces replaced by - or _ ("new-customer"). A comment may also be
 * given unquoted after the reason.
 */
import type { AdjustmentKind } from '../core/consensus.js';
import { codeSpan } from '../core/text.js';
import {
  decimalCommaAdvice,
  dotThousandsAdvice,
  isNoValue,
  otherWriting,
  otherWritingAdvice,
  readTypedNumber,
} from '../core/typed-number.js';
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

/**
 * Parses the text of /forecast (`subject` 'forecast') or /capacity; throws FieldError naming
 * the first part that is wrong.
 */
export function parseChangeText(
  text: string,
  reasons: readonly string[],
  subject: ChangeSubject,
): ChangeInput {
  const [target, range, ...after] = tokenise(text);
  const [change, rest] = changeToken(after);
  if (!target) throw new FieldError('target', 'Start with the code.');
  if (!range) throw new FieldError('from', 'Give a month (YYYY-MM) or a range (YYYY-MM..YYYY-MM).');
  const [from = '', to = from, ...more] = range.split(/\.\.|–/);
  if (more.length > 0 || from === '')
    throw new FieldError(
      'from',
      `${codeSpan(range)} is not a month or a range like 2027-03..2027-05.`,
    );
  if (!change) throw new FieldError('value', 'Give the change: =1200, +200, -150, +15% or -10%.');
  const parsed = parseChangeValue(change, subject);
  if (!parsed)
    throw new FieldError(
      'value',
      `${codeSpan(change)} is not a change; write =1200 (set), +200 or -150 (${subject === 'forecast' ? 'units' : KIND_AMOUNT.capacity}), +15% or -10%.`,
    );
  const [reasonToken, ...commentParts] = rest;
  if (!reasonToken)
    throw new FieldError(
      'reason',
      `Give a reason: ${reasons.map((r) => r.replace(/_/g, '-')).join(', ')}.`,
    );
  const reason = normaliseReason(reasonToken);
  if (!reasons.includes(reason))
    throw new FieldError(
      'reason',
      `${codeSpan(reasonToken)} is not a reason; use one of ${reasons.map((r) => r.replace(/_/g, '-')).join(', ')}.`,
    );
  const comment = commentParts.join(' ').trim();
  return { target, from, to, ...parsed, reason, comment: comment === '' ? null : comment };
}
