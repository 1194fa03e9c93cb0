/** Small formatting helpers shared by the presenters. */
import { localDateTime } from '../../core/calendar.js';
import type { AdjustmentKind } from '../../core/consensus.js';
import { fmtQty } from '../../core/number-format.js';
import { breakMarks, esc, MARK_BREAK, prefixWithin, withoutBidiControls } from '../../core/text.js';

/** The change as typed: "=1,200", "+200", "-150", "+15%". */
export function fmtChange(kind: AdjustmentKind, value: number): string {
  const sign = value < 0 ? '-' : '+';
  const abs = Math.abs(value);
  if (kind === 'set') return `=${fmtQty(value)}`;
  if (kind === 'delta_pct') return `${sign}${Number(abs.toFixed(2))}%`;
  return `${sign}${fmtQty(abs)}`;
}

/** "2027-03" or "2027-03..2027-05". */
export function fmtRange(from: string, to: string): string {
  return from === to ? from : `${from}..${to}`;
}

/**
 * An instant as Slack date formatting: each reader sees it in their own time zone ("Tue, Jan
 * 12 5:00 PM"), and clients that cannot render it show the fallback, in the company's `zone`
 * with the zone named ("2027-01-12 17:00 Asia/Tokyo").
 */
export function slackDate(instant: Date, zone: string): string {
  const unix = Math.floor(instant.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${localDateTime(instant, zone)} ${zone}>`;
}

/** Slack's escaping of typed text for `mrkdwn` (one definition, in core for the charts too). */
export { fmtPct, fmtQty } from '../../core/number-format.js';
export { esc, escInMarks } from '../../core/text.js';

/**
 * A sentence of ours that may repeat what someone typed (a refusal quoting the value it
 * refuses), made safe for `mrkdwn`: escaped whole, then plain user mentions (`<@U…>`, no
 * label) made live again, the only control sequence our sentences put there on purpose. In a
 * code span, where a sentence quotes typed text (`codeSpan`, which keeps typed backticks out
 * of it), only the people the sentence names outside its spans: a `<@U…>` that was typed
 * stays text.
 */
export function escSentence(s: string): string {
  const parts = s.split('`');
  const outside = parts.filter((_, i) => i % 2 === 0 || i === parts.length - 1).join(' ');
  const named = new Set([...outside.matchAll(/<@([UW][A-Z0-9_]+)>/g)].map((m) => m[1] ?? ''));
  return escKeepingMentions(s, named);
}

/** Cuts to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${prefixWithin(s, max - 1)}…`;
}

/**
 * A message's top-level `text` from mrkdwn we wrote for its blocks: what Slack shows in a phone
 * or desktop notification, the channel list's preview and the mobile app's, and what a screen
 * reader reads for the message. Those show mrkdwn's marks as typed, so the message's own bold,
 * italics and strike (`*Central*`, `_note_`) lose their marks and keep their words. Marks of
 * typed text are kept: `escInMarks` put zero-width spaces beside them, so they open nothing, and
 * one between two letters ("low_stock") opens nothing either. Escaping and mentions stay as
 * they were: the text is mrkdwn too.
 */
export function notificationText(s: string): string {
  let out = s;
  // Twice: a mark inside another's span ("*Decision: _x_*") goes on the second pass.
  for (let pass = 0; pass < 2; pass++)
    out = out.replace(
      /(^|[\s([/"'‘“-])([*_~])(?=[^\s*_~])([^\n]*?\S)\2(?=$|[\s.,;:!?)\]/"'’”-])/gmu,
      (_m, before: string, _mark: string, inner: string) => `${before}${inner}`,
    );
  return out;
}

/**
 * A `plain_text` object: the one way a presenter builds one (a title, an option, a header, a
 * button, a label), so typed text in it (a family's name, a scenario's label) loses the
 * bidirectional overrides that would show the rest reversed (`withoutBidiControls`); Slack
 * escapes nothing else in plain text, and needs nothing else escaped.
 */
export const plain = (text: string) => ({
  type: 'plain_text' as const,
  text: withoutBidiControls(text),
  emoji: true,
});
export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

/**
 * Lines that hold typed text next to the message's own mentions of the members it names:
 * every line is escaped, then only the mentions of those members are made live again, so text
 * that imitates one can ping no one the message does not already ping, and `<!channel>`, other
 * mentions and links stay text.
 */
export function escKeepingMentions(
  line: string,
  named: ReadonlySet<string> | ((id: string) => boolean),
): string {
  const keep = typeof named === 'function' ? named : (id: string) => named.has(id);
  return esc(line).replace(/&lt;@([A-Z0-9_]+)&gt;/g, (whole, id: string) =>
    keep(id) ? `<@${id}>` : whole,
  );
}

/**
 * A person's name (typed: a Slack display name) for a line `escKeepingMentions` escapes whole
 * later: its marks shown as typed (`breakMarks`), and a `<@` kept from making a mention that
 * function would make live again (a name typed as "<@U123>" pings no one).
 */
export function nameInLine(name: string): string {
  return breakMarks(name).replace(/<@/g, `<${MARK_BREAK}@`);
}
