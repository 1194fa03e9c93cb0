/** Slack's replay window, both ways: 300 s (Slack's "Verifying requests" page). */
import { describe, expect, it } from 'vitest';
import { isEventsRequest, timestampRefused } from '../../src/slack/app.js';

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

describe('which requests the timestamp check sees', () => {
  it('every POST that Bolt routes to /slack/events, however its path is written', () => {
    // Bolt reads the path as a URL's pathname, which resolves dot segments and drops a fragment
    // and a query: each of these reaches its event listeners.
    for (const url of [
      '/slack/events',
      '/slack/events?x=1',
      '/./slack/events',
      '/slack/./events',
      '/x/../slack/events',
      '/slack/events#x',
    ])
      expect([url, isEventsRequest('POST', url)]).toEqual([url, true]);
    // Not Slack's requests: another path, or not a POST.
    expect(isEventsRequest('POST', '/slack/events/')).toBe(false);
    expect(isEventsRequest('POST', '/healthz')).toBe(false);
    expect(isEventsRequest('GET', '/slack/events')).toBe(false);
    expect(isEventsRequest('POST', undefined)).toBe(false);
  });
});
