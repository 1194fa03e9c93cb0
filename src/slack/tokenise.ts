import { codeSpan } from '../core/text.js';

/**
 * Splits slash-command text into tokens: whitespace separates, straight or curly double
 * quotes keep a phrase together (and are removed).
 */
export function tokenise(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/**
 * The words a command reads as keywords (its verbs, setting names, filters, units), each written
 * in any case, read as the command spells them: `Quorum` is `quorum`, `Overdue` is `overdue`.
 * Other tokens stay as typed, and so does every token from `freeFrom` on (a note, a holiday's
 * name): a value whose case matters is never read as a keyword. `freeFrom` is asked of the args
 * with their keywords read, so it can tell `Add` from a name.
 */
export function readKeywords(
  typed: readonly string[],
  keywords: readonly string[],
  freeFrom?: (args: readonly string[]) => number,
): string[] {
  if (keywords.length === 0) return [...typed];
  const known = new Set(keywords);
  const read = typed.map((t) => {
    const lower = t.toLowerCase();
    return lower !== t && known.has(lower) ? lower : t;
  });
  const from = freeFrom?.(read) ?? read.length;
  return [...read.slice(0, from), ...typed.slice(from)];
}

/** `<@U123|name>` or `<@U123>` → U123; a bare id is accepted too. */
export function parseUserMention(token: string): string | null {
  const m = /^<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>$/.exec(token) ?? /^([UW][A-Z0-9_]{2,})$/.exec(token);
  return m?.[1] ?? null;
}

/** `<#C123|name>` or `<#C123>` → C123; a bare id is accepted too. */
export function parseChannelMention(token: string): string | null {
  const m = /^<#([CG][A-Z0-9_]+)(?:\|[^>]*)?>$/.exec(token) ?? /^([CG][A-Z0-9_]{2,})$/.exec(token);
  return m?.[1] ?? null;
}

/**
 * Why `token`, typed where a person is asked for, names nobody: `@rita` as text is a name Slack
 * did not link (it sends a person as `<@U…>` when picked from the list it offers), and sopbot
 * cannot tell whom it means. Null for any other token (a group mention is refused as one).
 */
export function unlinkedPersonText(token: string): string | null {
  return /^@\S+$/.test(token) && !/^@(here|channel|everyone)$/i.test(token)
    ? `${codeSpan(token)} is a name Slack did not link: type @ and pick the person from the list Slack offers, so it links them`
    : null;
}
