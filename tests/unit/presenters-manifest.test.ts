/** The app manifest offers exactly what the bot handles, where the bot listens. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { SOP_SUBCOMMANDS } from '../../commands/sop-registry.js';
import type { AppDeps } from '../../src/deps.js';
import { HANDLER_MODULES } from '../../src/slack/handlers.js';
import { SHORTCUT_EXPLAIN } from '../../src/slack/presenters/explain.js';
import { helpText } from '../../src/slack/presenters/help.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bot-token scopes per Web API method, from each method's page in Slack's reference
 * (docs.slack.dev/reference/methods/<method>, "Scopes: Bot token"), written here by hand:
 * - chat.postMessage, chat.postEphemeral, chat.update: `chat:write`. chat.postMessage also
 *   needs `chat:write.public` here: the bot posts in the channels set with `/sop settings`
 *   without joining them (the scope's page: "Send messages to channels your Slack app isn't a
 *   member of"; it needs chat:write too).
 * - conversations.open: `im:write` for a DM (the bot opens no group DM: mpim:write is not asked).
 * - conversations.history and conversations.replies: `channels:history`, `groups:history`,
 *   `im:history` (and mpim:history), one per kind of conversation; the ledger reads its posts
 *   back in public and private channels and in DMs, never in group DMs.
 * - conversations.info: `channels:read`, `groups:read` (and im:read, mpim:read), by kind.
 *   `sopbot doctor` asks it of the channels set, and README's step 6 lets them be private:
 *   without groups:read Slack answers missing_scope for a private one, and the doctor could not
 *   say whether the bot was invited.
 * - files.getUploadURLExternal, files.completeUploadExternal (filesUploadV2): `files:write`.
 * - files.info: `files:read`. users.info: `users:read`.
 * - views.open, views.update, views.publish, views.get, auth.test: none.
 * - chat.getPermalink: none (the link to the message an action was made from).
 */
const SCOPES: Readonly<Record<string, readonly string[]>> = {
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.open': ['im:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'conversations.info': ['channels:read', 'groups:read'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'files.info': ['files:read'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.update': [],
  'views.publish': [],
  'views.get': [],
  'auth.test': [],
  'chat.getPermalink': [],
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

/** The text of every source file in src/, commands/ and jobs/ (the stand-in and demo aside). */
const SOURCE_TEXTS = ['src', 'commands', 'jobs']
  .flatMap(sources)
  .map((f) => readFileSync(join(ROOT, f), 'utf8'));

/** The scopes of every Web API method called in src/, commands/ and jobs/, plus `commands`. */
function scopesOfCalledMethods(): string[] {
  const methods = new Set<string>();
  for (const text of SOURCE_TEXTS) {
    // A call the formatter broke over lines (`slack.chat\n  .update(`) counts too.
    for (const m of text.matchAll(
      /\.\s*(auth|bookmarks|chat|conversations|files|pins|reactions|reminders|team|usergroups|users|views)\s*\.\s*(\w+)\s*\(/g,
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
    shortcuts: { name: string; callback_id: string; type: string }[];
    slash_commands: { command: string; url: string; description: string; usage_hint: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: {
      is_enabled: boolean;
      request_url: string;
      message_menu_options_url?: string;
    };
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

  it('subscribes to app_home_opened and user_change; the Messages tab is read-only (no message.im handler)', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      'app_home_opened',
      'user_change',
    ]);
    // user_change is sent to an app with `users:read` (Slack's event page: "Required scopes").
    expect(manifest.oauth_config.scopes.bot).toContain('users:read');
    expect(manifest.features.app_home).toMatchObject({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('each part of a usage hint is a use /sop help shows for that command', () => {
    // Each `usage` of help's lines in full, as typed after the slash command, split at its
    // " | ": an admin's (every use but a rep's no-change) and a sales rep's.
    const help = ['admin', 'sales'] as const;
    const uses = help
      .map((role) => helpText(SOP_SUBCOMMANDS, { role }))
      .flatMap((h) => [...h.matchAll(/^• `([^`]+)`/gm)].map((m) => m[1] ?? ''));
    for (const c of manifest.features.slash_commands) {
      const forms = uses
        .filter((u) => u.startsWith(`${c.command} `))
        .flatMap((u) => u.slice(c.command.length + 1).split(' | '));
      for (const part of c.usage_hint.split(/\s+\|\s+/))
        expect({ command: c.command, part, shown: forms.some((f) => f.startsWith(part)) }).toEqual({
          command: c.command,
          part,
          shown: true,
        });
    }
  });

  it('declares each slash command, event and shortcut the handler modules register', () => {
    // Each module registers on a recording app; nothing runs, so no dependency is needed.
    const heard: Record<'command' | 'event' | 'shortcut' | 'options', string[]> = {
      command: [],
      event: [],
      shortcut: [],
      options: [],
    };
    const app = new Proxy(
      {},
      {
        get: (_, method) => (first: unknown) => {
          if (method === 'command' || method === 'event' || method === 'options')
            heard[method].push(String(first));
          if (method === 'shortcut')
            heard.shortcut.push(String((first as { callback_id: string }).callback_id));
        },
      },
    ) as App;
    for (const m of HANDLER_MODULES) m.register(app, {} as AppDeps);
    expect([...heard.command].sort()).toEqual(
      manifest.features.slash_commands.map((c) => c.command).sort(),
    );
    expect([...heard.event].sort()).toEqual(
      [...manifest.settings.event_subscriptions.bot_events].sort(),
    );
    // Two message shortcuts: "Explain this" and "Make an S&OP action".
    expect([...heard.shortcut].sort()).toEqual(['explain_this', 'make_sop_action']);
    expect(heard.shortcut).toContain(SHORTCUT_EXPLAIN);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ callback_id: SHORTCUT_EXPLAIN, type: 'message' }),
      expect.objectContaining({
        name: 'Make an S&OP action',
        callback_id: 'make_sop_action',
        type: 'message',
      }),
    ]);
    // /sop help names each message shortcut to every reader, by the name Slack shows in a
    // message's ⋯ menu: among theirs, or among the others with the roles that may use it.
    // The name is written in mrkdwn with Slack's documented escaping (& < > as entities).
    const inMrkdwn = (name: string) =>
      name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const role of ['sales', 'ops', 'planner', 'exec', 'admin', null] as const)
      for (const s of manifest.features.shortcuts)
        expect({
          role,
          help: helpText(SOP_SUBCOMMANDS, { role }).includes(`*${inMrkdwn(s.name)}*`),
        }).toEqual({
          role,
          help: true,
        });
    // The external selects' searches (the /forecast and /capacity target) come to app.options,
    // at the URL the manifest gives Slack for them.
    expect(heard.options.length).toBeGreaterThan(0);
    const optionsUrl = manifest.settings.interactivity.message_menu_options_url ?? '';
    expect(new URL(optionsUrl).pathname).toBe('/slack/events');
  });
});
