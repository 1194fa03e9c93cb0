/** Bolt's Logger interface over the project's pino logger (Bolt passes loose argument lists). */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';

export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (args: unknown[]) =>
    args
      .map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a)))
      .join(' ');
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
