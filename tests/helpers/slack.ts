/** Talking to the Slack stand-in the way the product does: Slack's own WebClient. */
import { webApi } from '@slack/bolt';
import type { Driver, Standin } from '../../src/slack-standin/index.js';

/**
 * A WebClient on the stand-in that surfaces a 429 as an error instead of waiting it out, as
 * the worker's client does. `retries: 0` also turns off its retries of failed calls.
 */
export function standinClient(
  standin: Standin,
  token: string,
  opts: { readonly retries?: number } = {},
): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: standin.apiUrl,
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
    ...(opts.retries === undefined ? {} : { retryConfig: { retries: opts.retries } }),
  });
}

/** Slack's error answer to a call ('none' when it succeeded), with its response messages. */
export async function slackFailure(
  call: Promise<unknown>,
): Promise<{ error: string; messages: string[] }> {
  try {
    await call;
  } catch (err) {
    const data = (err as { data?: { error?: string; response_metadata?: { messages?: string[] } } })
      .data;
    return { error: data?.error ?? String(err), messages: data?.response_metadata?.messages ?? [] };
  }
  return { error: 'none', messages: [] };
}

/** Slack's error code for a call, or 'none' when it succeeded. */
export async function slackError(call: Promise<unknown>): Promise<string> {
  return (await slackFailure(call)).error;
}

/**
 * Sends the slash command `name` (`text`) as `user` in C_GENERAL, fails unless the bot acks
 * it with HTTP 200, and returns the text of the next ephemeral the user gets (after those
 * they had), waiting at most `timeoutMs`.
 */
export async function commandReply(
  s: { readonly standin: Standin; readonly driver: Driver },
  name: string,
  user: string,
  text: string,
  timeoutMs?: number,
): Promise<string> {
  const n = s.standin.ephemeralsFor(user).length;
  const ack = await s.driver.command(name, { user, channel: 'C_GENERAL', text });
  if (ack.status !== 200) throw new Error(`${name} ${text}: HTTP ${ack.status}`);
  const e = await s.standin.waitFor(() => s.standin.ephemeralsFor(user)[n], timeoutMs);
  return e.text;
}
