/**
 * Slash-command text as people typed it. Slack sends the text of a command with Slack's
 * escaping: a typed `&`, `<` or `>` arrives as `&amp;`, `&lt;` or `&gt;`, and (the three
 * commands have `should_escape: true` in manifest.json) a mention, a channel or a link the
 * client made arrives as its control sequence, `<@U…|name>`, `<#C…|name>`, `<!here>`,
 * `<https://…>`. Without reading the entities back, "R&D" in a reason would be stored as
 * "R&amp;D" and shown as "R&amp;amp;D" once a presenter escapes it.
 *
 * The Bolt global middleware below reads them back once, where the text arrives, before any
 * listener tokenises it. Slack's control sequences hold no entity, so they reach the mention
 * parsers (src/slack/tokenise.ts) as they came. A `<@U…>` typed out by hand reads like a
 * mention afterwards, which grants nothing: a bare user id is accepted anyway, and every
 * reply escapes the text it repeats (`esc`, `warningText`).
 *
 * It also drops the zero-width spaces a message puts beside a formatting mark of a code or a
 * label (`MARK_BREAK`, `escInMarks` in src/core/text.ts): a code copied from "*LINE_A_*" into
 * a command is the code, not the code with invisible characters in it.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { esc, withoutMarkBreaks } from '../core/text.js';

const ENTITY: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** Slack's three entities read back, in one pass (`&amp;lt;` is the typed text `&lt;`). */
export function unescapeSlackText(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (e) => ENTITY[e] ?? e);
}

/** A user id in a mention, `<@U…>` (`W…` in an Enterprise Grid). */
const USER_ID = /^[UW][A-Z0-9_]+$/;

/** A mention and what follows its `|`, if anything: `<@U…>` or `<@U…|name>`. */
const MENTION = /<@([^<>|]*)(\|[^<>]*)?>/g;

/**
 * The people `text` mentions without their name (`<@U…>`, as Slack's clients send a mention),
 * each once, in order: `readableMessageText` shows them by name when it is told the names.
 */
export function unnamedMentions(text: string): string[] {
  const ids = [...text.matchAll(MENTION)]
    .filter((m) => m[2] === undefined && USER_ID.test(m[1] ?? ''))
    .map((m) => m[1]!);
  return [...new Set(ids)];
}

/**
 * A message's text (as Slack stores it, mrkdwn with its control sequences) read back as plain
 * text, as Slack's clients show it: `<@U…|name>` as @name (`<@U…>` as @ and the person's
 * name, `nameOf`, the names of `unnamedMentions` read in one go; without it, the id), `<#C…|name>`
 * as #name, `<!here>`, `<!channel>` and `<!everyone>` as @here, @channel and @everyone, a user
 * group by its handle, a date by its fallback text, `<https://…|label>` as "label (https://…)"
 * and `<https://…>` as the address (a mailto: as the address alone); then Slack's three
 * entities read back and the zero-width spaces of our own marks dropped. For a form's
 * plain_text initial value: shown anywhere in mrkdwn, it is escaped as any typed text.
 */
export function readableMessageText(text: string, nameOf?: (id: string) => string): string {
  const read = text.replace(/<([^<>]*)>/g, (_, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? null : inner.slice(bar + 1);
    if (target.startsWith('@')) {
      const id = target.slice(1);
      // A name as Slack would write it in the text (its entities), read back below with them.
      const named = nameOf && USER_ID.test(id) ? esc(nameOf(id)) : id;
      return `@${label ?? named}`;
    }
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!subteam^')) return label ?? `@${target.slice('!subteam^'.length)}`;
    if (target.startsWith('!date^')) return label ?? '';
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    const address = target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
    return label === null || label === address ? address : `${label} (${address})`;
  });
  return withoutMarkBreaks(unescapeSlackText(read));
}

/**
 * A slash command's `text` with Slack's entities read back and the zero-width spaces of text
 * copied from a message dropped; other requests pass untouched.
 */
export const commandTextMiddleware: Middleware<AnyMiddlewareArgs> = async ({ body, next }) => {
  const b = body as { command?: unknown; text?: unknown };
  if (typeof b.command === 'string' && b.command.startsWith('/') && typeof b.text === 'string')
    b.text = withoutMarkBreaks(unescapeSlackText(b.text));
  await next();
};
