/** Bolt's Logger interface over the project's pino logger (Bolt passes loose argument lists). */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
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

export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (args: unknown[]) =>
    redactTyped(
      args
        .map((a) =>
          typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a),
        )
        .join(' '),
    );
  return {
    debug: (...args: unknown[]) => log.debug({ src: 'bolt' }, text(args)),
    info: (...args: unknown[]) => log.info({ src: 'bolt' }, text(args)),
    warn: (...args: unknown[]) => log.warn({ src: 'bolt' }, text(args)),
    error: (...args: unknown[]) => log.error({ src: 'bolt' }, text(args)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
