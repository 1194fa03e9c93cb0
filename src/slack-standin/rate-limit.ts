/** chat.postMessage's per-channel limit (about 1/s with a short burst), forced failures and delays. */
import type { ForcedFailure } from './types.js';

export interface RateLimitOptions {
  readonly perSecond: number;
  readonly burst: number;
}

export const DEFAULT_POST_RATE: RateLimitOptions = { perSecond: 1, burst: 6 };

/** Slack's per-method tiers, in calls per minute per workspace. */
export const TIER_PER_MINUTE = { 2: 20, 3: 50, 4: 100 } as const;
export type Tier = keyof typeof TIER_PER_MINUTE;

export const METHOD_TIERS: Readonly<Record<string, Tier>> = {
  'chat.update': 3,
  'chat.delete': 3,
  'chat.scheduleMessage': 3,
  'reactions.add': 3,
  'conversations.open': 3,
  'conversations.info': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'chat.postEphemeral': 4,
  'users.info': 4,
  'views.open': 4,
  'views.push': 4,
  'views.update': 4,
  'views.publish': 4,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'files.info': 4,
};

/** One bucket per method, sized to its tier: a minute's allowance, refilled evenly. */
export class TierLimiter {
  private readonly limiters = new Map<Tier, RateLimiter>();

  constructor(enabled: boolean) {
    if (!enabled) return;
    for (const tier of [2, 3, 4] as const) {
      const perMinute = TIER_PER_MINUTE[tier];
      this.limiters.set(tier, new RateLimiter({ perSecond: perMinute / 60, burst: perMinute }));
    }
  }

  /** 0 when the call may go through, else the Retry-After in seconds. */
  take(method: string, nowMs: number): number {
    const tier = METHOD_TIERS[method];
    if (tier === undefined) return 0;
    return this.limiters.get(tier)?.take(method, nowMs) ?? 0;
  }

  reset(): void {
    for (const l of this.limiters.values()) l.reset();
  }
}

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

/** Failures (or held answers, ForcedDelay) a test asked for, consumed in order, per method. */
export class ForcedFailures<F extends { readonly channel?: string } = ForcedFailure> {
  private readonly queue = new Map<string, F[]>();

  add(method: string, failure: F & { readonly times?: number }): void {
    const list = this.queue.get(method) ?? [];
    for (let i = 0; i < (failure.times ?? 1); i += 1) list.push(failure);
    this.queue.set(method, list);
  }

  /** The first failure queued for `method` that applies to a call with these `args`. */
  take(method: string, args: Readonly<Record<string, unknown>>): F | undefined {
    const list = this.queue.get(method);
    // What the call is about: its conversation, a DM's person, a Home's person (views.publish),
    // the person users.info is asked about.
    const about = args.channel ?? args.users ?? args.user_id ?? args.user;
    const i = list?.findIndex((f) => f.channel === undefined || f.channel === about) ?? -1;
    return i < 0 ? undefined : list?.splice(i, 1)[0];
  }

  reset(): void {
    this.queue.clear();
  }
}
