/**
 * OAuth scopes, as Slack checks them: each Web API method needs a scope of the token (for
 * the conversation methods, the one for the conversation's kind), or it answers
 * `missing_scope` with what was `needed` and what was `provided`. By default the stand-in's
 * tokens hold the scopes the project's manifest.json asks for, so a call the installed app
 * could not make fails in the tests too.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ApiAnswer } from './api.js';
import { type JsonObject, str } from './json.js';
import type { StandinStore } from './store.js';

/** Bot-token scopes per method (Slack's method reference); none listed = none needed. */
const METHOD_SCOPES: Readonly<Record<string, string>> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.scheduleMessage': 'chat:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'files.info': 'files:read',
  'reactions.add': 'reactions:write',
  'users.info': 'users:read',
};

/** The conversation methods: the scope's prefix depends on the conversation's kind. */
const CONVERSATION_SCOPES: Readonly<Record<string, string>> = {
  'conversations.history': 'history',
  'conversations.replies': 'history',
  'conversations.info': 'read',
};

/** The scope `method` needs with these arguments, or null when it needs none. */
export function requiredScope(
  method: string,
  args: JsonObject,
  store: StandinStore,
): string | null {
  const plain = METHOD_SCOPES[method];
  if (plain) return plain;
  if (method === 'conversations.open') return 'im:write';
  const verb = CONVERSATION_SCOPES[method];
  if (!verb) return null;
  const c = store.resolveChannel(str(args, 'channel'));
  // An unknown channel is the method's own error (channel_not_found), reached with any scope.
  const kind = !c ? 'channels' : c.is_im ? 'im' : c.is_private ? 'groups' : 'channels';
  return `${kind}:${verb}`;
}

/** Slack's answer to a call whose token lacks the scope. */
export function missingScope(needed: string, provided: readonly string[]): ApiAnswer {
  return {
    status: 200,
    body: { ok: false, error: 'missing_scope', needed, provided: provided.join(',') },
  };
}

/** The repository's manifest.json: two levels up from here, three from a build in dist/. */
export function defaultManifest(): URL {
  const candidates = ['../../manifest.json', '../../../manifest.json'].map(
    (rel) => new URL(rel, import.meta.url),
  );
  return candidates.find((u) => existsSync(u)) ?? (candidates[0] as URL);
}

/** The list under `features.<key>` of manifest.json (slash commands, shortcuts); [] without. */
export function manifestFeature(file: URL, key: string): readonly unknown[] {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    features?: Record<string, unknown>;
  };
  const list = manifest.features?.[key];
  return Array.isArray(list) ? list : [];
}

/** The bot scopes that manifest.json (at the repository's root) asks for. */
export function manifestScopes(file: URL = defaultManifest()): readonly string[] {
  let manifest: { oauth_config?: { scopes?: { bot?: unknown } } };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as typeof manifest;
  } catch (err) {
    throw new Error(
      `Slack stand-in: cannot read the app's scopes from ${file.pathname} (${String(err)}); pass StandinOptions.scopes instead.`,
    );
  }
  const bot = manifest.oauth_config?.scopes?.bot;
  if (!Array.isArray(bot) || !bot.every((s) => typeof s === 'string'))
    throw new Error(`Slack stand-in: ${file.pathname} has no oauth_config.scopes.bot list.`);
  return bot;
}
