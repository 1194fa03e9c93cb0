/**
 * A modal's private_metadata comes back in its submission as the clicker sent it: theirs to
 * change. What the bot must not take from them (where a form was opened: the message a "Make
 * an S&OP action" form was opened on) is signed when the form is drawn, with an HMAC-SHA256
 * keyed by the app's secret, over the view, the person it was drawn for and the fields; a
 * submission whose signature does not match is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';

/**
 * The key: the signing secret (HTTP mode), else the app-level token (Socket Mode, which has no
 * signing secret), else the bot token; each is the app's secret, never sent to a person.
 */
export function metadataKey(
  config: Pick<Config, 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_BOT_TOKEN'>,
): string {
  const key = config.SLACK_SIGNING_SECRET ?? config.SLACK_APP_TOKEN ?? config.SLACK_BOT_TOKEN;
  if (!key) throw new Error('no Slack secret to sign a form with (SLACK_SIGNING_SECRET)');
  return key;
}

/** What a signature covers: the form (its kind and view id), who it was drawn for, and the fields. */
export interface SignedScope {
  readonly purpose: string;
  readonly viewId: string;
  readonly user: string;
}

/** The signature (hex) of `fields` in `scope`. */
export function signMetadata(key: string, scope: SignedScope, fields: readonly string[]): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([scope.purpose, scope.viewId, scope.user, ...fields]))
    .digest('hex');
}

/** Whether `signature` is the one signMetadata gives for `fields` in `scope` (compared in constant time). */
export function metadataSigned(
  key: string,
  scope: SignedScope,
  fields: readonly string[],
  signature: string,
): boolean {
  const want = Buffer.from(signMetadata(key, scope, fields), 'hex');
  const got = Buffer.from(signature, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}
