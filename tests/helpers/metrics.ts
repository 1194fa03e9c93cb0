import { expect } from 'vitest';

/** GET /metrics on a local port: a 200 in Prometheus's text format, returned as text. */
export async function scrapeMetrics(port: number | null): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}
