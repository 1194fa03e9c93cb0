/**
 * Telling a person what went wrong: a sentence, never a stack. SopErrors carry their own
 * sentence; anything else becomes a generic apology, and is logged once, with its stack
 * (`logUnexpected`, or `tellUser` given a logger).
 */
import type { webApi } from '@slack/bolt';
import { SopError } from '../errors.js';
import type { UserNames } from '../services/user-names.js';
import { fetchWithin } from './fetch-within.js';
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

const MENTION = /<@([UW][A-Z0-9_]+)>/g;

/** A code span of mrkdwn (`x`), which plain text would show with its backticks. */
const CODE_SPAN = /`([^`\n]+)`/g;

/**
 * The refusal or apology for a modal field's error, which Slack shows as plain text: the
 * people it mentions (`<@U…>`) by their names (`@nina`), as they would read them in a message,
 * and a code span (`/sop actions all`) in quotes ("/sop actions all") rather than backticks.
 * It answers a view_submission, due within Slack's 3 s, so Slack is not waited on: a name is
 * the one known now (UserNames.known: memory, else Postgres), else the id, and the next
 * refusal names them (looked up meanwhile).
 */
export async function fieldErrorText(err: unknown, names: UserNames): Promise<string> {
  const text = userMessage(err).replace(CODE_SPAN, '"$1"');
  const ids = [...text.matchAll(MENTION)].map((m) => m[1] ?? '');
  if (ids.length === 0) return text;
  const nameOf = await names.known(ids);
  return text.replace(MENTION, (_, id: string) => `@${nameOf(id)}`);
}

/**
 * An error no sentence of ours covers: not a SopError, or an internal one. The one test of
 * "should this be logged": an internal SopError is answered with INTERNAL_ERROR_TEXT, which
 * says "It has been logged", so it must be.
 */
export function isUnexpected(err: unknown): boolean {
  return !(err instanceof SopError) || err.code === 'internal';
}

/**
 * Logs `err` with its stack when it is unexpected (a SopError is the user's to fix), with
 * `fields` beside it.
 */
export function logUnexpected(
  logger: { error(obj: object, msg: string): void },
  err: unknown,
  what: string,
  fields: object = {},
): void {
  if (isUnexpected(err)) logger.error({ ...fields, err }, what);
}

/** What a command, click or submission body says of who acted and where. */
interface ErrorBody {
  readonly response_url?: unknown;
  readonly user_id?: unknown;
  readonly channel_id?: unknown;
  readonly user?: { readonly id?: unknown };
  readonly channel?: { readonly id?: unknown };
  readonly container?: { readonly channel_id?: unknown };
}

/**
 * Tells the person who acted, privately: an ephemeral in the conversation they acted in, or,
 * when there is none (a click on App Home, a modal), a message in their DM with the bot. The
 * one private reply of commands, buttons and errors.
 */
export async function tellPrivately(
  client: webApi.WebClient,
  body: unknown,
  text: string,
): Promise<void> {
  const b = (body ?? {}) as ErrorBody;
  const user = typeof b.user_id === 'string' ? b.user_id : b.user?.id;
  if (typeof user !== 'string') return;
  const channel =
    typeof b.channel_id === 'string' ? b.channel_id : (b.channel?.id ?? b.container?.channel_id);
  if (typeof channel === 'string') await client.chat.postEphemeral({ channel, user, text });
  else await client.chat.postMessage({ channel: user, text });
}

/**
 * How long a post to a response_url waits for Slack's answer (tellUser, and Bolt's `respond()`,
 * app.ts): someone is waiting for it, and a post that hangs must not hold the request.
 */
export const RESPONSE_URL_TIMEOUT_MS = 5_000;

/**
 * Posts `text` privately to a response_url: true when Slack showed it, false when it refused
 * (an expired or used-up URL: nothing was shown). Throws when Slack does not answer within
 * RESPONSE_URL_TIMEOUT_MS (the post may have been shown).
 */
async function toResponseUrl(url: string, text: string): Promise<boolean> {
  const res = await fetchWithin(RESPONSE_URL_TIMEOUT_MS, 'the response_url')(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text }),
  });
  await res.body?.cancel();
  return res.ok;
}

/**
 * Best effort, and never throws: the response_url when there is one (`tellPrivately` when
 * Slack refuses it), else `tellPrivately`. When the person cannot be told (Slack refuses or
 * does not answer), that is logged once, with its stack, and nothing else happens: the
 * caller's error path has already run.
 */
export async function tellUser(
  client: webApi.WebClient,
  body: unknown,
  err: unknown,
  logger: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  /** `logged`: the caller has logged `err` already; otherwise it is logged here if unexpected. */
  opts: { readonly logged?: boolean } = {},
): Promise<void> {
  if (!opts.logged) logUnexpected(logger, err, 'request failed');
  const b = (body ?? {}) as ErrorBody;
  const text = warningText(err);
  try {
    if (typeof b.response_url === 'string' && (await toResponseUrl(b.response_url, text))) return;
    await tellPrivately(client, body, text);
  } catch (e) {
    logger.warn({ err: e }, 'could not tell the user about an error');
  }
}
