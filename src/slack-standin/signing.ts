import { createHmac } from 'node:crypto';

/**
 * Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`,
 * keyed with the app's signing secret. `timestamp` is in whole seconds.
 */
export function signSlackRequest(
  signingSecret: string,
  timestamp: number,
  rawBody: string,
): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:${rawBody}`);
  return `v0=${hmac.digest('hex')}`;
}

/** The headers Slack puts on every request it sends to an app. */
export function slackSignatureHeaders(
  signingSecret: string,
  timestamp: number,
  rawBody: string,
): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(signingSecret, timestamp, rawBody),
  };
}
