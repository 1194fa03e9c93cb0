/**
 * Telling a person what went wrong: a sentence, never a stack. SopErrors carry their own
 * sentence; anything else becomes a generic apology, and is logged once, with its stack
 * (`logUnexpected`, or `tellUser` given a logger).
 */
import type { webApi } from '@slack/bolt';
import { SopError } from '../errors.js';
import { escSentence } from './presenters/format.js';

/** Says nothing of what was saved: an error can come after a commit (a vote is stored, then its refresh fails). */
export const INTERNAL_ERROR_TEXT =
  'Something went wrong on our side. It has been logged; please try again in a minute.';

export function userMessage(err: unknown): string {
  if (err instanceof SopError && err.code !== 'internal') return err.message;
  return INTERNAL_ERROR_TEXT;
}

/**
 * The refusal or apology as `mrkdwn`, for a message or a modal section. Refusals repeat what
 * people typed ("`<!channel>` is not a role"), so the sentence is escaped (escSentence).
 * Modal field errors are plain text and take `userMessage` as it is.
 */
export function warningText(err: unknown): string {
  return `:warning: ${escSentence(userMessage(err))}`;
}

/** An error no sentence of ours covers (not a SopError, or an internal one). */
export function isUnexpected(err: unknown): boolean {
  return !(err instanceof SopError) || err.code === 'internal';
}

/** Logs `err` with its stack when it is unexpected (a SopError is the user's to fix). */
export function logUnexpected(
  logger: { error(obj: object, msg: string): void },
  err: unknown,
  what: string,
): void {
  if (isUnexpected(err)) logger.error({ err }, what);
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
  /** Given when the caller has not logged `err` yet: it is logged here if unexpected. */
  logger?: { error(obj: object, msg: string): void },
): Promise<void> {
  if (logger) logUnexpected(logger, err, 'request failed');
  const b = (body ?? {}) as ErrorBody;
  const text = warningText(err);
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
