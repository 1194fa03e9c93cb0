/**
 * The key that signs a "Make an S&OP action" form's message (private_metadata) under Socket
 * Mode, where there is no signing secret: the app-level token, read from the environment as the
 * bot loads it, so a form drawn before a restart (or by another bot process of the same app)
 * still verifies. A form signed under another key, or with any field changed, does not.
 *
 * The expected signature was computed by hand with openssl, outside the code under test:
 *   printf '%s' '["make_sop_action","V0SOPFORM","U_PAT","C_SUPPLY","1799000000.000100",""]' \
 *     | openssl dgst -sha256 -hmac 'xapp-1-A0SOP01-1234567890-socketsecret'
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { metadataKey, metadataSigned, signMetadata } from '../../src/slack/signed-metadata.js';

const APP_TOKEN = 'xapp-1-A0SOP01-1234567890-socketsecret';
const BOT_TOKEN = 'xoxb-1-sopbot';
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

/** The environment of a Socket Mode install: a bot token and an app-level token, no secret. */
const socketEnv = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN };
const httpEnv = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };
/** The key as the bot reads it at start (loadConfig with the Slack credentials required). */
const keyOf = (env: Record<string, string>) => metadataKey(loadConfig(env, { slack: true }));

const scope = { purpose: 'make_sop_action', viewId: 'V0SOPFORM', user: 'U_PAT' };
/** The message the form was opened on: channel, ts, thread ('' at the top level). */
const fields = ['C_SUPPLY', '1799000000.000100', ''] as const;
const BY_HAND = '6542ef356bcaba5a0cda8c1b25dd5d0a17677f8df556de29461f6045460a7b1c';

describe("a form's message signed under Socket Mode", () => {
  it('is keyed by the app-level token, the same each time the environment is loaded', () => {
    expect(keyOf(socketEnv)).toBe(APP_TOKEN);
    // The bot after a restart (or a second bot process of the app) reads the same key.
    expect(keyOf({ ...socketEnv })).toBe(keyOf(socketEnv));
  });

  it('signs as HMAC-SHA256 keyed by the app token and verifies after a restart', () => {
    const drawnBy = keyOf(socketEnv);
    const signature = signMetadata(drawnBy, scope, fields);
    expect(signature).toBe(BY_HAND);
    const submittedTo = keyOf({ ...socketEnv });
    expect(metadataSigned(submittedTo, scope, fields, signature)).toBe(true);
  });

  it('refuses the signature once any field it covers is changed', () => {
    const key = keyOf(socketEnv);
    const ok = (s: typeof scope, f: readonly string[]) => metadataSigned(key, s, f, BY_HAND);
    expect(ok(scope, fields)).toBe(true);
    expect(ok(scope, ['C_EXEC', fields[1], fields[2]])).toBe(false);
    expect(ok(scope, [fields[0], '1799000000.000101', fields[2]])).toBe(false);
    expect(ok(scope, [fields[0], fields[1], '1799000000.000100'])).toBe(false);
    expect(ok({ ...scope, viewId: 'V0OTHERFORM' }, fields)).toBe(false);
    expect(ok({ ...scope, user: 'U_RITA' }, fields)).toBe(false);
    expect(ok({ ...scope, purpose: 'explain_this' }, fields)).toBe(false);
    // A signature cut short or not hex at all.
    expect(metadataSigned(key, scope, fields, BY_HAND.slice(0, 62))).toBe(false);
    expect(metadataSigned(key, scope, fields, 'z'.repeat(64))).toBe(false);
  });

  it('refuses a signature made under another key', () => {
    const key = keyOf(socketEnv);
    const otherKeys = [
      keyOf(httpEnv), // the HTTP install's signing secret
      keyOf({ ...socketEnv, SLACK_APP_TOKEN: 'xapp-1-A0SOP02-1234567890-othersecret' }),
      BOT_TOKEN,
    ];
    expect(otherKeys[0]).toBe(SIGNING_SECRET);
    for (const other of otherKeys) {
      const forged = signMetadata(other, scope, fields);
      expect(forged).not.toBe(BY_HAND);
      expect(metadataSigned(key, scope, fields, forged)).toBe(false);
    }
  });

  it('is keyed by the signing secret when one is set too, whichever transport runs', () => {
    expect(keyOf({ ...socketEnv, SLACK_SIGNING_SECRET: SIGNING_SECRET })).toBe(SIGNING_SECRET);
  });
});
