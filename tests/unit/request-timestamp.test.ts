/** Slack's replay window, both ways: 300 s (Slack's "Verifying requests" page). */
import { describe, expect, it } from 'vitest';
import { timestampRefused } from '../../src/slack/app.js';

const NOW = 1_800_000_000_000; // ms

describe('request timestamps', () => {
  it('accepts up to 5 minutes either way and refuses beyond, or a missing/garbled stamp', () => {
    const at = (s: number) => String(NOW / 1000 + s);
    expect(timestampRefused(at(0), NOW)).toBe(false);
    expect(timestampRefused(at(-300), NOW)).toBe(false);
    expect(timestampRefused(at(300), NOW)).toBe(false);
    expect(timestampRefused(at(-301), NOW)).toBe(true);
    expect(timestampRefused(at(301), NOW)).toBe(true);
    expect(timestampRefused(at(600), NOW)).toBe(true);
    expect(timestampRefused(undefined, NOW)).toBe(true);
    expect(timestampRefused('12e3', NOW)).toBe(true);
  });
});
