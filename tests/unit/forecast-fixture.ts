/**
 * Shared by the forecast model tests: the AirPassengers series (tests/fixtures/forecast,
 * see SOURCE.md), R's reference results on it, and the check that prediction intervals nest.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ForecastResult } from '../../src/core/forecast/index.js';

const dir = new URL('../fixtures/forecast/', import.meta.url);

/** Monthly airline passengers 1949-1960 (144 values). */
export const airPassengers: readonly number[] = readFileSync(
  new URL('airpassengers.csv', dir),
  'utf8',
)
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => Number(l.split(',')[1]));

/** airpassengers_reference.json: reference fits on the series (R's HoltWinters, forecast::ets). */
export const airPassengersReference = JSON.parse(
  readFileSync(new URL('airpassengers_reference.json', dir), 'utf8'),
);

/** Every month: lo95 < lo80 < mean < hi80 < hi95. */
export function expectNestedIntervals(
  f: Pick<ForecastResult, 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95'>,
): void {
  f.mean.forEach((v, k) => {
    expect(f.lo95[k]).toBeLessThan(f.lo80[k] as number);
    expect(f.lo80[k]).toBeLessThan(v);
    expect(f.hi80[k]).toBeGreaterThan(v);
    expect(f.hi95[k]).toBeGreaterThan(f.hi80[k] as number);
  });
}
