/** chat.postMessage's per-channel limit (about 1/s with a short burst) and forced failures. */
import type { ForcedFailure } from './types.js';

export interface RateLimitOptions {
  readonly perSecond: number;
  readonly burst: number;
}

export const DEFAULT_POST_RATE: RateLimitOptions = { perSecond: 1, burst: 6 };

/** A token bucket per key. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly opts: RateLimitOptions | false) {}

  /** 0 when the call may go through, else whole seconds to wait (the Retry-After value). */
  take(key: string, nowMs: number): number {
    if (this.opts === false) return 0;
    const { perSecond, burst } = this.opts;
    const b = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * perSecond);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }

  reset(): void {
    this.buckets.clear();
  }
}

/** Failures a test asked for, consumed in order, per method. */
export class ForcedFailures {
  private readonly queue = new Map<string, ForcedFailure[]>();

  add(method: string, failure: ForcedFailure): void {
    const list = this.queue.get(method) ?? [];
    for (let i = 0; i < (failure.times ?? 1); i += 1) list.push(failure);
    this.queue.set(method, list);
  }

  take(method: string): ForcedFailure | undefined {
    return this.queue.get(method)?.shift();
  }

  reset(): void {
    this.queue.clear();
  }
}
