/**
 * Request keys that stay the same across Slack's retries of one request, and differ between
 * two invocations. Slash commands carry no id, but their trigger_id is unique per invocation
 * and identical on retries.
 */
import { createHash } from 'node:crypto';

const digest = (parts: readonly string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

export function commandRequestKey(c: {
  readonly team_id: string;
  readonly user_id: string;
  readonly channel_id: string;
  readonly command: string;
  readonly text: string;
  readonly trigger_id: string;
}): string {
  return `cmd:${digest([c.team_id, c.user_id, c.channel_id, c.command, c.text, c.trigger_id])}`;
}

/**
 * A view submission: the view id and hash identify the modal as the user saw it, the values
 * what they submitted. A retry and a double click on Submit give the same key.
 */
export function viewRequestKey(v: {
  readonly id: string;
  readonly hash?: string;
  readonly state?: unknown;
}): string {
  return `view:${digest([v.id, v.hash ?? '', JSON.stringify(v.state ?? {})])}`;
}
