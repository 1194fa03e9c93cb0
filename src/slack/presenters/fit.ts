/**
 * Fitting a list into what Slack takes: whole lines, as many as the budget holds, then one
 * "…and N more" line that says where the rest is. A line is never cut, so no mention
 * (`<@U…>`), link or entity (`&amp;`) is split, and the reader knows that something is left out.
 */
import { prefixWithin } from '../../core/text.js';

/** Slack's limit on a section's text. */
export const SECTION_TEXT_CHARS = 3000;
/**
 * What a message's blocks may take, as JSON. Slack refuses blocks totalling about 13.2k
 * characters with `msg_blocks_too_long`, below every documented limit (bolt-js #2509); the
 * exact figure moves with the blocks, so the budget keeps well clear of it.
 */
export const MESSAGE_BLOCKS_CHARS = 11_000;
/** Slack's limit on a message's blocks. */
export const MESSAGE_BLOCKS = 50;
/** Slack truncates a message's `text` past 40,000 characters. */
export const MESSAGE_TEXT_CHARS = 40_000;

/** A line's size as it counts in a message's blocks (JSON, without the quotes). */
export const jsonChars = (s: string): number => JSON.stringify(s).length - 2;

/** "_…and 3 more actions: `/sop actions` lists them._" (`what` and `where` may be empty). */
export function andMore(n: number, what: string, where?: string): string {
  return `_…and ${n} more${what ? ` ${what}` : ''}${where ? `: ${where}` : ''}._`;
}

export interface LineBudget {
  /** What the lines, the separators between them and the "…and N more" line may take. */
  readonly chars: number;
  /** At most this many lines, whatever their size (the "more" line not counted). */
  readonly lines?: number;
  /** How a text is counted: its length by default, `jsonChars` inside a message's blocks. */
  readonly size?: (s: string) => number;
  /** What joins the lines: a newline by default. */
  readonly separator?: string;
}

export interface FittedLines {
  /** The lines shown, then the "more" line when some were left out. */
  readonly lines: string[];
  /** How many lines were left out. */
  readonly hidden: number;
}

/**
 * The first whole lines of `lines` that fit in `budget`, then `more(n)` for the n left out.
 * The "more" line fits in the budget too. A line that does not fit is not shown (nor any line
 * after it, so the order holds). `unlisted` counts lines that exist but were not read (a
 * query's limit): they are always in the "more" line.
 */
export function fitLines(
  lines: readonly string[],
  budget: LineBudget,
  more: (hidden: number) => string,
  unlisted = 0,
): FittedLines {
  const size = budget.size ?? ((s: string) => s.length);
  const sep = size(budget.separator ?? '\n');
  const maxLines = budget.lines ?? Number.POSITIVE_INFINITY;
  const whole = lines.reduce((n, l, i) => n + size(l) + (i > 0 ? sep : 0), 0);
  if (unlisted === 0 && lines.length <= maxLines && whole <= budget.chars)
    return { lines: [...lines], hidden: 0 };
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const cost = size(line) + (out.length > 0 ? sep : 0);
    // Room for the "more" line of what would still be left, if anything is.
    const left = lines.length - i - 1 + unlisted;
    const reserve = left > 0 ? sep + size(more(left)) : 0;
    if (out.length >= maxLines || used + cost + reserve > budget.chars) break;
    out.push(line);
    used += cost;
  }
  const hidden = lines.length - out.length + unlisted;
  return { lines: hidden > 0 ? [...out, more(hidden)] : out, hidden };
}

/**
 * `head`, then the lines that fit with it in `budget`, joined: a section's text, or a
 * message's. The head counts against the budget.
 */
export function fitText(
  head: string,
  lines: readonly string[],
  budget: LineBudget,
  more: (hidden: number) => string,
  unlisted = 0,
): { readonly text: string; readonly hidden: number } {
  const size = budget.size ?? ((s: string) => s.length);
  const sep = budget.separator ?? '\n';
  const room = head ? budget.chars - size(head) - size(sep) : budget.chars;
  const fitted = fitLines(lines, { ...budget, chars: room }, more, unlisted);
  return {
    text: head ? [head, ...fitted.lines].join(sep) : fitted.lines.join(sep),
    hidden: fitted.hidden,
  };
}

/**
 * A line cut to `max` characters with an ellipsis, never inside an entity (`&amp;`) or a
 * `<…>` token (a mention, a link): for the one line too long for a section on its own.
 */
export function clipMrkdwn(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${mrkdwnPrefix(s, max - 1)}…`;
}

/** The longest start of `s` within `max` that ends in no entity, `<…>` token or character. */
function mrkdwnPrefix(s: string, max: number): string {
  let cut = prefixWithin(s, max);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.includes(';', amp)) cut = cut.slice(0, amp);
  const lt = cut.lastIndexOf('<');
  if (lt >= 0 && !cut.includes('>', lt)) cut = cut.slice(0, lt);
  return cut;
}

/**
 * `s` whole, in pieces of at most `max` characters (one per section), for a text too long for
 * one section that is shown nowhere else: each cut at its last line break, else its last
 * space, in the second half of the piece, else as late as it may be; never inside an entity
 * (`&amp;`), a `<…>` token (a mention, a link) or a character. The break it is cut at is
 * dropped.
 */
export function splitMrkdwn(s: string, max: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > max) {
    const head = mrkdwnPrefix(rest, max) || prefixWithin(rest, max);
    const at = [head.lastIndexOf('\n'), head.lastIndexOf(' ')].find((i) => i > max / 2);
    out.push(rest.slice(0, at ?? head.length));
    rest = rest.slice(at === undefined ? head.length : at + 1);
  }
  out.push(rest);
  return out;
}

/**
 * Whole lines packed into texts of at most `chars` each (one per section), the first
 * starting with `title`, the next ones with `title (continued)`. Fit the lines to the
 * message's budget first (`fitLines`). A line too long for a section with its title is cut
 * (`clipMrkdwn`), the only cut inside a line.
 */
export function sectionTexts(
  title: string,
  lines: readonly string[],
  chars = SECTION_TEXT_CHARS,
): string[] {
  const out: string[] = [];
  let cur = title;
  let empty = true;
  const longest = chars - title.length - ' (continued)'.length - 1;
  for (const whole of lines) {
    const line = clipMrkdwn(whole, longest);
    if (!empty && cur.length + line.length + 1 > chars) {
      out.push(cur);
      cur = `${title} (continued)`;
    }
    cur += `\n${line}`;
    empty = false;
  }
  out.push(cur);
  return out;
}

/**
 * Shares `total` among parts that need `needs` each, none getting more than `cap`: a part
 * that needs little gets all it needs, the others share what is left equally.
 */
export function shareBudget(needs: readonly number[], total: number, cap: number): number[] {
  const out = needs.map(() => 0);
  const order = needs.map((need, i) => ({ need, i })).sort((a, b) => a.need - b.need);
  let left = total;
  order.forEach(({ need, i }, k) => {
    const give = Math.max(0, Math.min(need, cap, Math.floor(left / (order.length - k))));
    out[i] = give;
    left -= give;
  });
  return out;
}
