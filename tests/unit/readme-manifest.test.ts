/**
 * The README's 10-minute path to a real workspace, step by step against manifest.json: the
 * URLs to replace, the slash commands, the events, the scopes to accept, Socket Mode.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (f: string) => readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as {
  features: {
    slash_commands: { command: string; url: string }[];
    app_home: Record<string, boolean>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { request_url: string; message_menu_options_url: string };
    socket_mode_enabled: boolean;
  };
};
const readme = read('README.md');
const install = readme.slice(
  readme.indexOf('## Install in your Slack workspace'),
  readme.indexOf('## Deploy with Docker'),
);
const step = (n: number) => {
  const m = new RegExp(`^${n}\\. ([\\s\\S]*?)(?=^\\d\\. |$(?![\\s\\S]))`, 'm').exec(install);
  return m?.[1] ?? '';
};
const WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

describe('README install path vs manifest.json', () => {
  it('step 2: as many placeholder URLs as the manifest has, all on /slack/events, the three commands and the event', () => {
    const urls = JSON.stringify(manifest).match(/https:\/\/YOUR-HOST\.example\.com[^"]*/g) ?? [];
    expect(step(2)).toContain(
      `each of its ${WORDS[urls.length]} \`https://YOUR-HOST.example.com\``,
    );
    for (const u of urls) expect(new URL(u).pathname).toBe('/slack/events');
    for (const c of manifest.features.slash_commands) expect(step(2)).toContain(`\`${c.command}\``);
    for (const e of manifest.settings.event_subscriptions.bot_events)
      expect(step(2)).toContain(`\`${e}\``);
    expect(step(2)).toContain('message_menu_options_url');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('step 3: exactly the bot scopes of the manifest, counted right', () => {
    const listed = [...step(3).matchAll(/`([a-z]+(?::[a-z.]+)?)`/g)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(manifest.oauth_config.scopes.bot));
    expect(step(3)).toContain(
      `accept the ${WORDS[manifest.oauth_config.scopes.bot.length]} bot scopes`,
    );
  });

  it('step 4: Socket Mode is off in the manifest, so the README says to turn it on', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(step(4)).toContain('the manifest leaves it off');
    expect(step(4)).toContain('SLACK_BOT_TOKEN');
    expect(step(4)).toContain('SLACK_SIGNING_SECRET');
  });

  it('steps 1 to 8 are all there, in order', () => {
    for (let n = 1; n <= 8; n++) expect(step(n).length).toBeGreaterThan(40);
  });
});
