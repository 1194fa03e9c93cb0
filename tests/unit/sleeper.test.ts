import { describe, expect, it } from 'vitest';
import { sleeper } from '../../src/sleeper.js';

describe('sleeper', () => {
  it('ends a long sleep at once when woken, and sleeps its time when not', async () => {
    const s = sleeper();
    const t0 = Date.now();
    const long = s.sleep(60_000);
    setTimeout(() => s.wake(), 20);
    await long;
    // Woken after ~20 ms: far short of the minute asked.
    expect(Date.now() - t0).toBeLessThan(30_000);

    const t1 = Date.now();
    await s.sleep(50);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(45);
  });

  it('a wake with no sleep under way does not cut the next one short', async () => {
    const s = sleeper();
    s.wake();
    const t0 = Date.now();
    await s.sleep(50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
  });
});
