/**
 * The Slack libraries' Logger interface (@slack/logger: Bolt, its receivers, Socket Mode and
 * every Web API client sopbot makes) over the house's pino logger: one JSON line per message,
 * tagged `src`, at the house's level, and without the text people typed.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from 'pino';

/** Keys whose values are what people typed (messages, modal inputs, comments). */
const TYPED_KEYS = 'text|value|comment|rationale|description|initial_value|private_metadata';
const JSON_TYPED = new RegExp(`"(${TYPED_KEYS})"\\s*:\\s*"(?:[^"\\\\]|\\\\.)*"`, 'g');
const FORM_TYPED = /\b(text|payload)=[^&\s"]*/g;

/**
 * Bolt's log lines (at debug, whole request bodies) without the text of user messages: the
 * values of typed fields, in JSON or in a form body, become `[redacted]`.
 */
export function redactTyped(line: string): string {
  return line.replace(JSON_TYPED, '"$1":"[redacted]"').replace(FORM_TYPED, '$1=[redacted]');
}

/**
 * What the Web API client warns, with the cause's message, when a call gets no answer (a
 * refused connection, a timeout), just before it throws a WebAPIRequestError for the same
 * failure. That error reaches the caller, which logs it once with its stack (a job's failure,
 * the bot's error handlers, a warning where a lookup falls back), so the warning is detail.
 */
const REQUEST_FAILED = 'http request failed';

/**
 * `bolt`: the bot's, shared by Bolt and its client (Bolt hands its logger to the client);
 * `web-api`: a Web API client of its own (the worker's, the CLI's, the doctor's).
 */
export type SlackLogSource = 'bolt' | 'web-api';

export function slackLogger(log: Logger, src: SlackLogSource): SlackLogger {
  let level = LogLevel.INFO;
  const text = (args: unknown[]) =>
    redactTyped(
      args
        .map((a) =>
          typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a),
        )
        .join(' '),
    );
  // Whole request bodies are written out only when someone reads debug.
  const debug = (args: unknown[]) => {
    if (log.isLevelEnabled('debug')) log.debug({ src }, text(args));
  };
  return {
    debug: (...args: unknown[]) => debug(args),
    // The libraries' info lines are detail too: a rate-limited call waited out, a request to
    // a path Bolt does not serve.
    info: (...args: unknown[]) => debug(args),
    warn: (...args: unknown[]) =>
      args[0] === REQUEST_FAILED ? debug(args) : log.warn({ src }, text(args)),
    error: (...args: unknown[]) => log.error({ src }, text(args)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
