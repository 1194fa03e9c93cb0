/**
 * Text people type is checked before it goes anywhere: in a code or a CSV value, NUL and other
 * control characters (Postgres refuses NUL in text; the rest are invisible) are refused with
 * the field's name; in free text (comments, notes, reasons) they are removed (`readFreeText`),
 * and its length is bounded. Tab and line feed are text. Where it is shown in Slack's `mrkdwn`,
 * it is escaped (`esc`).
 */
const isControl = (c: number): boolean =>
  (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;

/** The first control character of `s` as U+XXXX, or null when there is none. */
export function controlCharacter(s: string): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isControl(c)) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/** The bidirectional formatting characters `esc` removes: embeddings, overrides, isolates. */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * `s` without Unicode's bidirectional embeddings, overrides and isolates (`BIDI_CONTROLS`), for
 * text Slack shows as it is: a `plain_text` object (a modal's title, an option, a header, a
 * button; `plain` in src/slack/presenters/format.ts), an image's alt text, a file's title. One
 * left open in a family's name or a scenario's label makes what follows it display reversed,
 * there as in mrkdwn (`esc`, which removes them too).
 */
export function withoutBidiControls(s: string): string {
  return s.replace(BIDI_CONTROLS, '');
}

/**
 * Text people typed (comments, reasons, rationales, action descriptions, scenario labels,
 * names from a CSV), made safe for Slack's `mrkdwn`: Slack's documented escaping of `&`, `<`
 * and `>`, so `<!channel>`, `<@U…>`, `<!subteam^…>` and `<https://…|label>` show as typed
 * instead of pinging people or rendering links. Every presenter puts user text through this
 * (or a `plain_text` object), and so do the chart summaries posted as a file's comment.
 *
 * Unicode's bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069,
 * `BIDI_CONTROLS`) are removed: one left open in a name or a comment (a right-to-left
 * override, U+202E) makes the bot's own words after it display reversed in Slack ("approved"
 * read as "devorppa"), and an unbalanced pair can make a figure seem to belong to other text.
 * They are invisible, and right-to-left names (Arabic, Hebrew) are ordered by Slack's clients
 * without them, so the text still reads as typed. Removed rather than closed with U+202C or
 * U+2069 after the text: closing counts on every client implementing isolates, removal on none.
 */
export function esc(s: string): string {
  return withoutBidiControls(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The zero-width space (U+200B) `escInMarks` puts beside a formatting mark of typed text.
 * Slack's clients show it as nothing; slash commands (src/slack/command-text.ts) and free text
 * (`stripControl`) drop it, so text copied from a message back into sopbot reads as typed.
 */
export const MARK_BREAK = '\u200B';

const WORD = /[\p{L}\p{N}]/u;

/**
 * Typed text (a scenario label, a family or resource code, a reason) placed inside mrkdwn's
 * own formatting, `*…*`, `_…_` or `~…~`, escaped (`esc`) and made to show as typed. mrkdwn has
 * no escape for its marks: in "*Decision: *best* case*" the label's first `*` would close the
 * bold and its second open another. A mark opens only after a space or punctuation and closes
 * only before one, so each `*`, `_` or `~` of the text that is not between two letters or
 * digits gets a zero-width space on each side (`MARK_BREAK`), and neither opens nor closes;
 * one between two letters cannot, and stays as typed ("low_stock_case", "FAM_12"), so such
 * text copies and searches as typed. A backtick shows as ˋ (`noBackticks`): a code span
 * further on would pair with it.
 */
export function escInMarks(typed: string): string {
  return breakMarks(esc(typed));
}

/**
 * `escInMarks` without `esc`: typed text (a person's name) put in a line of ours that a
 * presenter escapes whole afterwards, its marks and backticks made to show as typed.
 */
export function breakMarks(typed: string): string {
  return noBackticks(typed).replace(/[*_~]/g, (mark, at: number, s: string) =>
    WORD.test(s[at - 1] ?? '') && WORD.test(s[at + 1] ?? '')
      ? mark
      : `${MARK_BREAK}${mark}${MARK_BREAK}`,
  );
}

/** `s` without the zero-width spaces `escInMarks` put in it (text copied from a message). */
export function withoutMarkBreaks(s: string): string {
  return s.replaceAll(MARK_BREAK, '');
}

/**
 * The longest comment people may type: a change's comment, an S&OE report's comment, the
 * reason a decision supersedes another. Fields with a limit of their own (a decision's
 * rationale, 2,000; an action's description and a constraint's closing note, 500) say so
 * where they are read. The forms' `max_length` is the same number.
 */
export const MAX_COMMENT_CHARS = 1000;

/**
 * Free text as people typed it, made storable: control characters other than line feed and
 * tab are removed (Postgres refuses NUL; the rest are invisible, and a pasted one is never
 * meant), and so are the zero-width spaces a message puts beside formatting marks
 * (`MARK_BREAK`, pasted with a label copied from one), CR LF and a lone CR become LF, and the
 * ends are trimmed.
 */
export function stripControl(s: string): string {
  return withoutMarkBreaks(s)
    .replace(/\r\n?/g, '\n')
    .split('')
    .filter((ch) => !isControl(ch.charCodeAt(0)))
    .join('')
    .trim();
}

/** Free text, cleaned (`stripControl`), or the sentence refusing it: longer than `max`. */
export type FreeText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string };

/** Reads the free text `raw` of the field `label` ("The comment"), at most `max` characters. */
export function readFreeText(
  label: string,
  raw: string,
  max: number = MAX_COMMENT_CHARS,
): FreeText {
  const text = stripControl(raw);
  if (text.length > max)
    return {
      ok: false,
      message: `${label} is ${text.length.toLocaleString('en-US')} characters; keep it to ${max.toLocaleString('en-US')}.`,
    };
  return { ok: true, text };
}

/** The sentence for a field that holds one. */
export function controlCharacterMessage(field: string, s: string): string | null {
  const c = controlCharacter(s);
  return c ? `${field} contains a control character (${c}); remove it and try again.` : null;
}

/**
 * One of a unit named in the plural ("one more hour", not "one more hours"). Units come from
 * the company's files (hours, units, pallets, crew hours, hours of labour), so this is English
 * plural endings, not a dictionary: the last word (or the word before "of") loses its -s,
 * -es after s, x, z, ch and sh, or -ies for -y. Words that do not end in a plural s stay.
 */
export function oneUnit(unit: string): string {
  const words = unit.split(' ');
  const of = words.indexOf('of');
  const at = of > 0 ? of - 1 : words.length - 1;
  const w = words[at] ?? '';
  const lower = w.toLowerCase();
  let one = w;
  if (/[^aeiou]ies$/.test(lower)) one = `${w.slice(0, -3)}y`;
  else if (/(ss|sh|ch|x|z)es$/.test(lower)) one = w.slice(0, -2);
  else if (/[^su]s$/.test(lower) && lower.length > 2) one = w.slice(0, -1);
  words[at] = one;
  return words.join(' ');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest start of `s` made of whole characters as people see them (grapheme clusters:
 * an emoji with its modifiers, a flag, a letter with its accents) that is at most `max`
 * UTF-16 units long. A plain `slice` can keep half of an emoji's surrogate pair, which
 * Slack's form encoding then pairs with the next character into another emoji.
 */
export function prefixWithin(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = 0;
  for (const { segment } of graphemes.segment(s)) {
    if (end + segment.length > max) break;
    end += segment.length;
  }
  return s.slice(0, end);
}

/**
 * Typed text with each backtick shown as ˋ (U+02CB), for a sentence that also holds code
 * spans: a typed backtick would open or close one, and the span after it would render wrong.
 */
export function noBackticks(typed: string): string {
  return typed.replace(/`/g, 'ˋ');
}

/** How much of typed text a code span quotes back (`codeSpan`). */
export const CODE_SPAN_CHARS = 80;

/**
 * Typed text quoted back in a code span, backticks included: "`xyz`", for "`xyz` is not a
 * role". Slack's `mrkdwn` has no escape inside a span, so a typed backtick would close it and
 * let the rest render (`*bold*`, a link): each shows as ˋ (U+02CB) instead, and a line break
 * as a space (a span holds one line). At most CODE_SPAN_CHARS, cut with "…". The one way
 * typed text goes into a code span; the sentence around it is still escaped where it is shown
 * (`esc`, or `escSentence`, which leaves mentions inside code spans as text).
 */
export function codeSpan(typed: string, max = CODE_SPAN_CHARS): string {
  const one = noBackticks(typed).replace(/\s*[\r\n]+\s*/g, ' ');
  return `\`${one.length <= max ? one : `${prefixWithin(one, max - 1)}…`}\``;
}

/**
 * `s` in at most `max` characters, cut whole: at the end of its last sentence that fits (one
 * that keeps at least a third of `max`), else after its last whole word with "…". `s` itself
 * when it fits.
 */
export function cutWhole(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = prefixWithin(s, max);
  for (let i = head.length - 1; i >= Math.floor(max / 3); i--) {
    if ('.!?'.includes(head[i] ?? '') && /\s/.test(s[i + 1] ?? '')) return s.slice(0, i + 1);
  }
  const room = prefixWithin(s, max - 1);
  const space = room.search(/\s\S*$/);
  return `${(space > 0 ? room.slice(0, space) : room).trimEnd()}…`;
}

/**
 * The order codes are listed in: digits as numbers (FAM-2 before FAM-10), as people count, not
 * as text sorts them (FAM-10, FAM-11 … before FAM-2).
 */
export function compareCodes(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** How many codes a refusal names before "and N more". */
const NAMED_CODES = 8;

/**
 * The company's codes as a refusal names them (the families or resources there are, so the
 * person can pick one): in order, digits as numbers (LINE-2 before LINE-10), at most 8, then
 * how many more: "LINE-1, LINE-2, … LINE-8 and 4 more".
 */
export function namedCodes(codes: Iterable<string>): string {
  const all = [...codes].sort(compareCodes);
  const shown = all.slice(0, NAMED_CODES).join(', ');
  return all.length > NAMED_CODES ? `${shown} and ${all.length - NAMED_CODES} more` : shown;
}
