/**
 * The small grammar of `/sop explain` and `sopbot explain`: a code and a month (or a range),
 * or one of a few plain questions. No language model: each form is a pattern, and text
 * that fits none gets the list of forms that are understood.
 *
 * Whether a code names a family or a resource is not the grammar's business: it returns the
 * code as typed, and the service looks it up.
 */
import { addMonths, isPeriod, monthOfYear, type Period, periodIndex } from '../period.js';
import { codeSpan } from '../text.js';

export type ExplainIntent =
  /** "FAM-3 2027-05", "why is FAM-3 up in May": the chain behind a figure. */
  | 'explain'
  /** "what limits LINE-1 in August": the same, read from the capacity side. */
  | 'limits'
  /** "who changed FAM-2": the adjustments and their authors. */
  | 'who';

export interface ExplainQuery {
  readonly intent: ExplainIntent;
  /** The code as typed (families and resources are matched without regard to case). */
  readonly code: string;
  /** First and last month; null when the question names none ("who changed FAM-2"). */
  readonly from: Period | null;
  readonly to: Period | null;
  /** "up", "down"… as asked, for the answer's first line; null when not asked. */
  readonly direction: 'up' | 'down' | null;
}

export type ParsedQuestion =
  | { readonly ok: true; readonly query: ExplainQuery }
  | { readonly ok: false; readonly message: string };

/** The understood forms, as shown to people whose question was not understood. */
export const EXPLAIN_FORMS: readonly string[] = [
  'FAM-3 2027-05   (a family or a resource, and a month)',
  'FAM-3 2027-05..2027-07   (or a range of months)',
  'why is FAM-3 up in May',
  'what limits LINE-1 in August',
  'who changed FAM-2   (optionally: in May)',
];

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** 1..12 for a month name or its first three letters ("sept" too), else null. */
export function monthNumber(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return null;
  const i = MONTHS.findIndex((m) => m === w || (m.startsWith(w) && (w.length >= 3 || m === w)));
  return i >= 0 ? i + 1 : null;
}

/**
 * A month as typed: `2027-05`, or a month name with an optional year (`May`, `may 2027`).
 * A name without a year is the first such month on or after `from` (the cycle's month):
 * people ask about the plan ahead, not the past.
 */
export function resolveMonth(text: string, from: Period): Period | null {
  const t = text.trim();
  if (isPeriod(t)) return t;
  const m = /^([A-Za-z]+\.?)(?:\s+(\d{4}))?$/.exec(t);
  if (!m) return null;
  const n = monthNumber(m[1] ?? '');
  if (n === null) return null;
  if (m[2]) return `${m[2]}-${String(n).padStart(2, '0')}`;
  const ahead = (n - monthOfYear(from) + 12) % 12;
  return addMonths(from, ahead);
}

/**
 * `2027-05`, `May`, `2027-05..2027-07`, `May to July`, `May - July`. Also how /forecast and
 * /capacity read their month field (src/slack/parse-change.ts).
 */
export function resolveWhen(text: string, from: Period): { from: Period; to: Period } | null {
  const t = text.trim();
  const range = /^(.+?)\s*(?:\.\.|–|—|\s+to\s+|\s+through\s+|\s+-\s+)\s*(.+)$/i.exec(t);
  if (range) {
    const a = resolveMonth(range[1] ?? '', from);
    if (!a) return null;
    // "May to July": July is read after May, not after the cycle month.
    const b = resolveMonth(range[2] ?? '', a);
    if (!b) return null;
    return { from: a, to: b };
  }
  const one = resolveMonth(t, from);
  return one ? { from: one, to: one } : null;
}

const CODE = '([A-Za-z][A-Za-z0-9_.-]*)';

interface Form {
  readonly re: RegExp;
  readonly intent: ExplainIntent;
  /** Whether the month is required. */
  readonly needsWhen: boolean;
}

const FORMS: readonly Form[] = [
  {
    re: new RegExp(
      `^why\\s+(?:is|are|does|did|has|was)?\\s*(?:the\\s+)?(?:forecast\\s+(?:of|for)\\s+)?${CODE}(?:'s)?(?:\\s+(?:forecast|demand|plan))?\\s*(?:(so\\s+)?(up|down|high|higher|low|lower|rising|falling|going\\s+up|going\\s+down)\\s*)?(?:(?:in|for|on)\\s+(.+))$`,
      'i',
    ),
    intent: 'explain',
    needsWhen: true,
  },
  {
    re: new RegExp(
      `^what\\s+(?:limits|constrains|binds|holds\\s+back|is\\s+limiting|caps)\\s+${CODE}(?:\\s+(?:in|for|on)\\s+(.+))$`,
      'i',
    ),
    intent: 'limits',
    needsWhen: true,
  },
  {
    re: new RegExp(
      `^who\\s+(?:changed|adjusted|moved|touched|edited)\\s+${CODE}(?:\\s+(?:in|for|on)\\s+(.+))?$`,
      'i',
    ),
    intent: 'who',
    needsWhen: false,
  },
];

const DOWN = /^(down|low|lower|falling|going\s+down)$/i;

function help(reason: string): string {
  return `${reason} Ask in one of these forms:\n${EXPLAIN_FORMS.map((f) => `• \`${f}\``).join('\n')}`;
}

/**
 * Parses what follows `/sop explain`. `cycleMonth` anchors month names without a year.
 * Never throws: what is not understood comes back with the forms that are.
 */
export function parseExplainQuestion(text: string, cycleMonth: Period): ParsedQuestion {
  const t = text
    .trim()
    .replace(/[?!.]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (t === '') return { ok: false, message: help('Say which figure to explain.') };
  const plain = new RegExp(`^${CODE}\\s+(.+)$`, 'i').exec(t);
  const plainWhen =
    plain && !/^(why|what|who)$/i.test(plain[1] ?? '')
      ? resolveWhen(plain[2] ?? '', cycleMonth)
      : null;
  if (plain && plainWhen)
    return withRange({ intent: 'explain', code: plain[1] ?? '', ...plainWhen, direction: null });
  for (const f of FORMS) {
    const m = f.re.exec(t);
    if (!m) continue;
    const code = m[1] ?? '';
    const dirWord = f.intent === 'explain' ? m[3] : undefined;
    const whenText = f.intent === 'explain' ? m[4] : m[2];
    const direction = dirWord ? (DOWN.test(dirWord) ? 'down' : 'up') : null;
    if (whenText === undefined) {
      if (f.needsWhen) return { ok: false, message: help('Say which month.') };
      return { ok: true, query: { intent: f.intent, code, from: null, to: null, direction } };
    }
    const when = resolveWhen(whenText, cycleMonth);
    if (!when)
      return {
        ok: false,
        message: help(
          `${codeSpan(whenText)} is not a month (write 2027-05, May, or 2027-05..2027-07).`,
        ),
      };
    return withRange({ intent: f.intent, code, ...when, direction });
  }
  // "FAM-3 someday": a code-like first word (digits, a dash, capitals) with a bad month.
  if (plain && /[0-9_-]|^[A-Z]{2,}$/.test(plain[1] ?? ''))
    return {
      ok: false,
      message: help(
        `${codeSpan(plain[2] ?? '')} is not a month (write 2027-05, May, or 2027-05..2027-07).`,
      ),
    };
  return { ok: false, message: help('That question is not one I understand.') };
}

/** Months of a range are capped so an answer stays readable (and within Slack's limits). */
export const MAX_RANGE_MONTHS = 24;

function withRange(q: ExplainQuery): ParsedQuestion {
  if (q.from === null || q.to === null) return { ok: true, query: q };
  const n = periodIndex(q.to) - periodIndex(q.from) + 1;
  if (n < 1)
    return { ok: false, message: `The range ends (${q.to}) before it starts (${q.from}).` };
  if (n > MAX_RANGE_MONTHS)
    return {
      ok: false,
      message: `A range covers at most ${MAX_RANGE_MONTHS} months; ${q.from}..${q.to} has ${n}.`,
    };
  return { ok: true, query: q };
}
