/**
 * A job refused with a 429 waits Retry-After plus a random spread (jobs/runtime.ts), so the
 * jobs refused in the same second do not all wake in the same instant. Before, every job
 * waited exactly Retry-After: in a bad S&OE week ~290 jobs woke together every second and all
 * but one got a 429 again.
 */
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_SPREAD_MAX_MS, rateLimitDelayMs } from '../../jobs/runtime.js';

describe('rateLimitDelayMs', () => {
  it('is Retry-After plus up to Retry-After × 2^(times delayed before), capped', () => {
    // Retry-After 1 s, first delay: 1000 ms + random × 1000 ms.
    expect(rateLimitDelayMs(1, 0, () => 0)).toBe(1000);
    expect(rateLimitDelayMs(1, 0, () => 0.5)).toBe(1500);
    // Third delay: spread 1000 × 2² = 4000 ms; half of it is 2000.
    expect(rateLimitDelayMs(1, 2, () => 0.5)).toBe(3000);
    // Tenth delay: 1000 × 2^10 = 1,024,000 ms, capped at 30,000; 0.999 of it is 29,970.
    expect(rateLimitDelayMs(1, 10, () => 0.999)).toBe(1000 + 29_970);
    expect(RATE_LIMIT_SPREAD_MAX_MS).toBe(30_000);
  });

  it('290 jobs refused together with Retry-After 1 wake at different times', () => {
    // A fixed pseudo-random sequence (LCG), so the test is repeatable.
    let x = 42;
    const random = () => {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      return x / 2 ** 31;
    };
    const wakes = Array.from({ length: 290 }, () => rateLimitDelayMs(1, 0, random));
    expect(Math.min(...wakes)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...wakes)).toBeLessThan(2000);
    // Without jitter all 290 are 1000; spread over 1000 ms they fall in hundreds of instants.
    expect(new Set(wakes).size).toBeGreaterThan(200);
  });
});
