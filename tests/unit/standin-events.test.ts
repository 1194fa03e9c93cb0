/**
 * Which events the stand-in may deliver: the names manifest.json subscribes to, and a message
 * by the `message.*` subscription of its channel_type (Slack's event reference). Expected
 * lists written out by hand from the manifests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestBotEvents, subscriptionFor } from '../../src/slack-standin/events.js';

const dir = mkdtempSync(join(tmpdir(), 'standin-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifestFile = (name: string, manifest: unknown): URL => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(manifest));
  return pathToFileURL(path);
};

describe('manifestBotEvents', () => {
  it("reads sopbot's manifest.json: app_home_opened and user_change", () => {
    expect(manifestBotEvents()).toEqual(['app_home_opened', 'user_change']);
  });

  it('reads another manifest as it lists them, message.* included', () => {
    const file = manifestFile('dm.json', {
      settings: { event_subscriptions: { bot_events: ['app_mention', 'message.im'] } },
    });
    expect(manifestBotEvents(file)).toEqual(['app_mention', 'message.im']);
  });

  it('a manifest without event subscriptions gets no events', () => {
    expect(manifestBotEvents(manifestFile('none.json', { settings: {} }))).toEqual([]);
  });

  it('a manifest it cannot read says so and what to pass instead', () => {
    expect(() => manifestBotEvents(pathToFileURL(join(dir, 'missing.json')))).toThrow(
      /cannot read the app's event subscriptions from .*missing\.json .*pass DriverOptions\.botEvents instead/,
    );
  });
});

describe('subscriptionFor', () => {
  it('an event is subscribed to by its type; a message by its channel_type', () => {
    expect(subscriptionFor('app_home_opened')).toBe('app_home_opened');
    expect(subscriptionFor('message', 'channel')).toBe('message.channels');
    expect(subscriptionFor('message', 'group')).toBe('message.groups');
    expect(subscriptionFor('message', 'im')).toBe('message.im');
    expect(subscriptionFor('message', 'mpim')).toBe('message.mpim');
    expect(subscriptionFor('message', 'app_home')).toBe('message.app_home');
    expect(subscriptionFor('message', 'dm')).toBeUndefined();
  });
});
