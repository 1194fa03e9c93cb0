import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SopError } from '../../src/errors.js';

describe('loadConfig', () => {
  it('gives defaults that suit local Postgres and Redis', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/sopbot');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.PORT).toBe(3000);
    expect(c.SOPBOT_ADMIN_USERS).toEqual([]);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses admins and numbers', () => {
    const c = loadConfig({
      SOPBOT_ADMIN_USERS: 'U012ABC, U034DEF',
      PORT: '8080',
      LOG_LEVEL: 'debug',
    });
    expect(c.SOPBOT_ADMIN_USERS).toEqual(['U012ABC', 'U034DEF']);
    expect(c.PORT).toBe(8080);
  });

  it('names every missing or invalid variable at once', () => {
    let err: unknown;
    try {
      loadConfig(
        {
          DATABASE_URL: 'mysql://x',
          PORT: 'eighty',
          SLACK_BOT_TOKEN: 'xoxp-user',
          SOPBOT_ADMIN_USERS: 'bob',
          LOG_LEVEL: 'loud',
        },
        { slack: true },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SopError);
    const e = err as SopError;
    expect(e.code).toBe('config_invalid');
    const names = e.details.map((d) => d.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'PORT',
        'SLACK_BOT_TOKEN',
        'SOPBOT_ADMIN_USERS.0',
        'LOG_LEVEL',
        'SLACK_SIGNING_SECRET',
      ]),
    );
    expect(e.message).toMatch(/See \.env\.example/);
  });

  it('takes an IANA time zone and names a wrong one', () => {
    expect(loadConfig({}).SOPBOT_TIMEZONE).toBe('UTC');
    expect(loadConfig({ SOPBOT_TIMEZONE: 'Asia/Tokyo' }).SOPBOT_TIMEZONE).toBe('Asia/Tokyo');
    expect(() => loadConfig({ SOPBOT_TIMEZONE: 'Tokyo' })).toThrow(
      /SOPBOT_TIMEZONE: must be an IANA time zone/,
    );
  });

  it('requires the Slack credentials only when asked', () => {
    expect(() => loadConfig({}, { slack: true })).toThrow(/SLACK_BOT_TOKEN: required/);
    expect(() =>
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, { slack: true }),
    ).not.toThrow();
  });
});
