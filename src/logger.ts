import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Structured JSON logs, on stderr unless `destination` says otherwise (a CLI command's
 * stderr); `silent` in tests unless LOG_LEVEL says otherwise.
 */
export function createLogger(
  level: string,
  name = 'sopbot',
  destination: DestinationStream = pino.destination(2),
): Logger {
  return pino({ name, level }, destination);
}
