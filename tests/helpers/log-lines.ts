/** A pino logger for a process under test, whose lines the test reads back parsed. */
import { type Logger, pino } from 'pino';

/** One log line: its level (40 warn, 50 error), message, error and the fields tests read. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  /**
   * `bolt` on the lines Bolt and its Web API client log through the bot's logger, `web-api`
   * on those of a client of its own (src/slack/slack-logger.ts).
   */
  readonly src?: string;
  readonly job?: string;
  readonly jobId?: string;
  readonly err?: { readonly stack?: string; readonly message?: string };
}

/** A logger at `info` and every line it has written, oldest first. */
export function recordedLogs(): { readonly logger: Logger; readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) });
  return { logger, lines };
}
