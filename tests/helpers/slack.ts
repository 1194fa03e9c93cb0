/** Talking to the Slack stand-in the way the product does: Slack's own WebClient. */
import { webApi } from '@slack/bolt';
import type { ChangeField } from '../../src/services/adjustments.js';
import {
  ACTION,
  FIELD_BLOCK,
  FORECAST_TARGET_ACTION,
} from '../../src/slack/presenters/change-modal.js';
import {
  type Driver,
  type GivenValues,
  type Standin,
  type StandinOptions,
  type StoredEphemeral,
  startStandin,
} from '../../src/slack-standin/index.js';
import { useFixture } from './fixture.js';

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

export interface CommandOptions {
  /** Where the command is typed: C_GENERAL unless given. */
  readonly channel?: string;
  /** How long to wait for the answer (the stand-in's default otherwise). */
  readonly timeoutMs?: number;
}

/**
 * Sends the slash command `name` (`text`) as `user`, fails unless the bot acks it with HTTP
 * 200, and returns the next ephemeral the user gets (after those they had).
 */
export async function commandEphemeral(
  s: { readonly standin: Standin; readonly driver: Driver },
  name: string,
  user: string,
  text: string,
  opts: CommandOptions = {},
): Promise<StoredEphemeral> {
  const n = s.standin.ephemeralsFor(user).length;
  const channel = opts.channel ?? 'C_GENERAL';
  const ack = await s.driver.command(name, { user, channel, text });
  if (ack.status !== 200) throw new Error(`${name} ${text}: HTTP ${ack.status}`);
  return s.standin.waitFor(() => s.standin.ephemeralsFor(user)[n], opts.timeoutMs);
}

/** The text of the next ephemeral `user` gets after `act` (a click, a command). */
export async function nextEphemeral(
  standin: Standin,
  user: string,
  act: () => Promise<unknown>,
  timeoutMs = 20_000,
): Promise<string> {
  const n = standin.ephemeralsFor(user).length;
  await act();
  return (await standin.waitFor(() => standin.ephemeralsFor(user)[n], timeoutMs)).text;
}

/** What a user answers in the change modal of /forecast or /capacity. */
export interface ChangeAnswers {
  /** A family code (/forecast) or a resource code (/capacity). */
  readonly target: string;
  readonly from: string;
  readonly to?: string;
  readonly kind: string;
  readonly value: string;
  readonly reason: string;
  readonly comment?: string;
}

/**
 * The change modal's answers as the driver submits them, under the modal's own block and
 * action ids; the target's picker is the family select in /forecast.
 */
export function changeModalValues(
  a: ChangeAnswers,
  command: '/forecast' | '/capacity' = '/forecast',
): GivenValues {
  const fields = Object.entries(a) as [ChangeField, string | undefined][];
  return Object.fromEntries(
    fields
      .filter(([, v]) => v !== undefined)
      .map(([field, v]) => {
        const target = field === 'target' && command === '/forecast';
        return [
          FIELD_BLOCK[field],
          { [target ? FORECAST_TARGET_ACTION : ACTION[field]]: v ?? null },
        ];
      }),
  );
}

/** A stand-in of the enclosing file or describe block, started before its tests, closed after. */
export function useStandin(opts?: StandinOptions): Standin {
  return useFixture(
    () => startStandin(opts),
    (s) => s.close(),
  );
}

/** Every text of a message's blocks, joined with line feeds (as JSON string bodies). */
export const blockText = (m: { readonly blocks?: readonly unknown[] } | undefined): string =>
  JSON.stringify(m?.blocks ?? [])
    .match(/"text":"((?:[^"\\]|\\.)*)"/g)
    ?.join('\n') ?? '';
