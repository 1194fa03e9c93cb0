/**
 * The link to the Slack message an action was made from ("Make an S&OP action"), which its
 * assignment DM gives as "The message": asked of Slack when the DM is sent and each time it is
 * drawn again (a reassignment, a Done), so every drawing says the same.
 */
import type { WebClient } from '@slack/web-api';
import type { ActionRow } from '../../db/schema.js';

/**
 * The permalink of the message action `a` was made from (`chat.getPermalink`, which needs no
 * scope), or null for an action not made from a message and when Slack gives none.
 */
export async function messageLink(
  slack: WebClient,
  a: Pick<ActionRow, 'source_channel' | 'source_ts'>,
): Promise<string | null> {
  if (!a.source_channel || !a.source_ts) return null;
  try {
    const r = await slack.chat.getPermalink({ channel: a.source_channel, message_ts: a.source_ts });
    return typeof r.permalink === 'string' && /^https?:\/\/[^\s|<>]+$/.test(r.permalink)
      ? r.permalink
      : null;
  } catch (err) {
    // Slack's answer (a message deleted since, a channel the bot cannot see): the DM goes
    // without the link; no answer at all is thrown, for the job's retry.
    if ((err as { code?: unknown }).code === 'slack_webapi_platform_error') return null;
    throw err;
  }
}
