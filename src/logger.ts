import { type Logger, pino } from 'pino';

/** Structured JSON logs on stderr; `silent` in tests unless LOG_LEVEL says otherwise. */
export function createLogger(level: string, name = 'sopbot'): Logger {
  return pino({ name, level }, pino.destination(2));
}
