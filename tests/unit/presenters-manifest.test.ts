/** The app manifest offers exactly what the bot handles, where the bot listens. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(
  readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
) as {
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
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

  it('asks for the scopes the bot uses and subscribes to app_home_opened', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        'channels:read',
        // Read back by the post ledger after a crash (src/slack/post-ledger.ts).
        'channels:history',
        'groups:history',
        'im:history',
        'chat:write',
        'chat:write.public',
        'commands',
        'files:write',
        // files.info: whether an uploaded chart was shared (src/slack/post-ledger.ts).
        'files:read',
        'im:write',
        'users:read',
      ].sort(),
    );
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.features.app_home).toMatchObject({
      home_tab_enabled: true,
      messages_tab_enabled: true,
    });
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
