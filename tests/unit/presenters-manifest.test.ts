/** The app manifest offers exactly what the bot handles, where the bot listens. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bot-token scopes per Web API method, from each method's page in Slack's reference.
 * chat.postMessage also needs chat:write.public: the bot posts in the channels set with
 * `/sop settings` without joining them. The ledger reads history in any kind of
 * conversation (channels, private channels, DMs).
 */
const SCOPES: Readonly<Record<string, readonly string[]>> = {
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.open': ['im:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'files.info': ['files:read'],
  'users.info': ['users:read'],
  // `sopbot doctor` checks that the bot can see the channels set (public ones; a private
  // one answers missing_scope, which doctor reports as unchecked).
  'conversations.info': ['channels:read'],
  'views.open': [],
  'views.update': [],
  'views.publish': [],
  'views.get': [],
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory())
      // The stand-in, and the demo's page and transcript that read the stand-in's own store
      // (`standin.files.find`, `store.users.get`), call no Web API.
      return path.includes('slack-standin') || path.endsWith('demo') ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The scopes of every Web API method called in src/, commands/ and jobs/, plus `commands`. */
function scopesOfCalledMethods(): string[] {
  const methods = new Set<string>();
  for (const f of ['src', 'commands', 'jobs'].flatMap(sources)) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    for (const m of text.matchAll(
      /\.(chat|files|conversations|users|views|reactions|reminders|pins|bookmarks)\.(\w+)\(/g,
    ))
      methods.add(`${m[1]}.${m[2]}`);
    // filesUploadV2 is files.getUploadURLExternal + files.completeUploadExternal.
    if (/filesUploadV2\(/.test(text))
      methods.add('files.getUploadURLExternal').add('files.completeUploadExternal');
  }
  const unknown = [...methods].filter((m) => !(m in SCOPES));
  if (unknown.length) throw new Error(`add the scopes of ${unknown.join(', ')} to SCOPES`);
  return [...new Set(['commands', ...[...methods].flatMap((m) => SCOPES[m] ?? [])])].sort();
}

const manifest = JSON.parse(
  readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
) as {
  features: {
    app_home: {
      home_tab_enabled: boolean;
      messages_tab_enabled: boolean;
      messages_tab_read_only_enabled: boolean;
    };
    bot_user: { display_name: string };
    slash_commands: { command: string; url: string; description: string; usage_hint: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions: { request_url: string; bot_events: string[] };
    socket_mode_enabled: boolean;
  };
};

describe('manifest.json', () => {
  it('declares /forecast, /capacity and /sop at Bolt’s default path, with short hints', () => {
    const cmds = manifest.features.slash_commands;
    expect(cmds.map((c) => c.command)).toEqual(['/forecast', '/capacity', '/sop']);
    for (const c of cmds) {
      expect(new URL(c.url).pathname).toBe('/slack/events');
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.usage_hint.length).toBeLessThanOrEqual(100);
    }
  });

  it('asks for exactly the scopes of the Web API methods the code calls', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(scopesOfCalledMethods());
  });

  it('subscribes to app_home_opened; the Messages tab is read-only (no message.im handler)', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.features.app_home).toMatchObject({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
