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
