/**
 * Telling a person what went wrong: a sentence, never a stack. SopErrors carry their own
 * sentence; anything else becomes a generic apology (the details go to the log).
 */
import type { webApi } from '@slack/bolt';
import { SopError } from '../errors.js';

export const INTERNAL_ERROR_TEXT =
  'Something went wrong on our side and nothing was saved. It has been logged; please try again in a minute.';

export function userMessage(err: unknown): string {
  if (err instanceof SopError && err.code !== 'internal') return err.message;
  return INTERNAL_ERROR_TEXT;
}

interface ErrorBody {
  readonly response_url?: unknown;
  readonly user_id?: unknown;
  readonly channel_id?: unknown;
  readonly user?: { readonly id?: unknown };
  readonly channel?: { readonly id?: unknown };
}

/** Best effort: the response_url when there is one, else an ephemeral in the channel. */
export async function tellUser(
  client: webApi.WebClient,
  body: unknown,
  err: unknown,
): Promise<void> {
  const b = (body ?? {}) as ErrorBody;
  const text = `:warning: ${userMessage(err)}`;
  if (typeof b.response_url === 'string') {
    await fetch(b.response_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text }),
    });
    return;
  }
  const user = typeof b.user_id === 'string' ? b.user_id : b.user?.id;
  const channel = typeof b.channel_id === 'string' ? b.channel_id : b.channel?.id;
  if (typeof user === 'string' && typeof channel === 'string')
    await client.chat.postEphemeral({ channel, user, text });
  else if (typeof user === 'string') await client.chat.postMessage({ channel: user, text });
}
