import { verifySlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { RateLimiter, TierLimiter } from '../../src/slack-standin/rate-limit.js';
import { signSlackRequest, slackSignatureHeaders } from '../../src/slack-standin/signing.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

describe('signSlackRequest', () => {
  it("matches Slack's documented example signature", () => {
    // From Slack's "Verifying requests from Slack" guide.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest(SECRET, 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it("is accepted by Bolt's verifySlackRequest, and a changed body is not", () => {
    const now = Math.floor(Date.now() / 1000);
    const body = 'payload=%7B%7D';
    const headers = slackSignatureHeaders(SECRET, now, body);
    const verify = (rawBody: string) =>
      verifySlackRequest({
        signingSecret: SECRET,
        body: rawBody,
        headers: {
          'x-slack-signature': headers['x-slack-signature']!,
          'x-slack-request-timestamp': now,
        },
      });
    expect(() => verify(body)).not.toThrow();
    expect(() => verify(`${body}x`)).toThrow(/signature/i);
  });
});

describe('RateLimiter', () => {
  it('lets a burst through, then asks to wait, then refills at the given rate', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 3 });
    const t0 = 1_000_000;
    expect([0, 1, 2].map(() => limiter.take('C1', t0))).toEqual([0, 0, 0]);
    expect(limiter.take('C1', t0)).toBe(1);
    expect(limiter.take('C2', t0)).toBe(0);
    expect(limiter.take('C1', t0 + 1000)).toBe(0);
    expect(limiter.take('C1', t0 + 1000)).toBe(1);
  });
  it('does nothing when turned off', () => {
    const limiter = new RateLimiter(false);
    expect(Array.from({ length: 100 }, () => limiter.take('C1', 0)).every((w) => w === 0)).toBe(
      true,
    );
  });
});

describe('TierLimiter', () => {
  it('gives Tier 3 methods 50 calls a minute and Tier 4 methods 100', () => {
    const tiers = new TierLimiter(true);
    const run = (method: string, n: number) =>
      Array.from({ length: n }, () => tiers.take(method, 0)).filter((w) => w === 0).length;
    expect(run('chat.update', 60)).toBe(50);
    expect(run('views.open', 120)).toBe(100);
    expect(run('chat.getPermalink', 500)).toBe(500);
    expect(tiers.take('chat.update', 0)).toBe(2);
    expect(tiers.take('chat.update', 1200)).toBe(0);
  });
});
