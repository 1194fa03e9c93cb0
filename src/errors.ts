/**
 * Errors carry a code and a sentence a person can act on. Unknown errors are wrapped, not swallowed.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'usage'
  | 'validation'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'frozen_zone'
  | 'phase_closed'
  | 'infeasible'
  | 'unbounded'
  | 'solver'
  | 'internal';

export class SopError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];
  constructor(
    code: ErrorCode,
    message: string,
    details: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SopError';
    this.code = code;
    this.details = details;
  }
}

export class UsageError extends SopError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

export class ValidationError extends SopError {
  constructor(message: string, details: readonly string[] = []) {
    super('validation', message, details);
    this.name = 'ValidationError';
  }
}

/**
 * A job that came before its time: a reminder scheduled for 09:00 in the company's zone, which
 * has moved to a later zone since. The worker delays the job by `delayMs` under its own id
 * (BullMQ's moveToDelayed), without using an attempt, rather than completing it with nothing
 * done: a retry cannot schedule it twice, and it runs at its new time.
 */
export class NotDueYetError extends Error {
  readonly delayMs: number;
  constructor(message: string, delayMs: number) {
    super(message);
    this.name = 'NotDueYetError';
    this.delayMs = delayMs;
  }
}

export function asSopError(err: unknown): SopError {
  if (err instanceof SopError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SopError('internal', `Unexpected error: ${message}`, [], { cause: err });
}

/** Where a port is set ("BOT_METRICS_PORT") and what listens on it ("the bot's metrics endpoint"). */
export interface PortOwner {
  readonly setting: string;
  readonly server: string;
}

/**
 * A server that could not listen because another process holds its port (EADDRINUSE), said with
 * the setting that holds the port and what to do: Node's own "listen EADDRINUSE: address
 * already in use 0.0.0.0:9464" names neither. Not a SopError: a process that cannot start is
 * logged once with its stack, Node's error with it as the cause.
 */
export class PortInUseError extends Error {
  readonly port: number;
  readonly setting: string;
  constructor(port: number, owner: PortOwner, options?: ErrorOptions) {
    super(
      `port ${port} (${owner.server}) is in use: set ${owner.setting} to a free port, or stop what holds it`,
      options,
    );
    this.name = 'PortInUseError';
    this.port = port;
    this.setting = owner.setting;
  }
}

/**
 * `start` (a server beginning to listen on `port`), whose failure because the port is taken
 * becomes a PortInUseError naming the port's `owner`.
 */
export async function listenNamingPort<T>(
  start: Promise<T>,
  port: number,
  owner: PortOwner,
): Promise<T> {
  try {
    return await start;
  } catch (err) {
    const e = err as { code?: unknown; port?: unknown } | null;
    if (e?.code !== 'EADDRINUSE') throw err;
    const taken = typeof e.port === 'number' ? e.port : port;
    throw new PortInUseError(taken, owner, { cause: err });
  }
}
