/**
 * Slash-command text as Slack sends it. Slack escapes text as every client does ("Hello &
 * <world>" is sent as "Hello &amp; &lt;world&gt;"), and a command whose manifest entry has
 * `should_escape: true` gets the mentions, channels and links the client made as control
 * sequences: `<@U…|name>`, `<#C…|name>`, `<!here>`, `<!subteam^…|@handle>`, `<https://…>`.
 *
 * A test writes what the person typed, with those sequences where the client would have
 * made them: `slackCommandText` escapes the rest, so the bot gets what Slack would send.
 * Commands the manifest does not declare with `should_escape: true` (the tests' own `/boom`,
 * `/slow`) are sent as given.
 */
import { defaultManifest, manifestFeature } from './scopes.js';

export interface ManifestSlashCommand {
  readonly command: string;
  readonly should_escape?: boolean;
}

export function manifestSlashCommands(
  file: URL = defaultManifest(),
): readonly ManifestSlashCommand[] {
  const list = manifestFeature(file, 'slash_commands');
  return list.filter(
    (c): c is ManifestSlashCommand =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as ManifestSlashCommand).command === 'string',
  );
}

/** A control sequence the Slack client makes: a user, a channel, a special mention, a link. */
const CONTROL = /<(?:[@#!][^<>\s|]+(?:\|[^<>]*)?|(?:https?|mailto):[^<>\s|]+(?:\|[^<>]*)?)>/g;

const escapeTyped = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The `text` Slack sends for `typed`: with `shouldEscape`, `&`, `<` and `>` become entities
 * except inside the control sequences the client made; without, the text as given.
 */
export function slackCommandText(typed: string, shouldEscape: boolean): string {
  if (!shouldEscape) return typed;
  let out = '';
  let at = 0;
  for (const m of typed.matchAll(CONTROL)) {
    out += escapeTyped(typed.slice(at, m.index)) + m[0];
    at = m.index + m[0].length;
  }
  return out + escapeTyped(typed.slice(at));
}
