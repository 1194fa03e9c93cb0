/**
 * One limit for typed units (MAX_TYPED_UNITS): the S&OE report's service refuses a quantity
 * above it even when the form's parser was bypassed, naming the field, and writes nothing
 * (it refuses before it reads the database).
 */
import { describe, expect, it } from 'vitest';
import type { CycleDeps } from '../../src/services/cycles.js';
import { type ExecutionReport, reportDeviation } from '../../src/services/execution.js';

const report: ExecutionReport = {
  kind: 'supplier_delay',
  code: 'SUP-1',
  day: '2027-02-10',
  expected: 100,
  actual: 60,
  comment: 'late',
  reportedBy: 'U_OPS',
  requestKey: 'typed-units',
};
/** No database: a refusal must come before any query. */
const deps = {
  get db(): never {
    throw new Error('the database was read');
  },
} as unknown as CycleDeps;

describe('S&OE quantities', () => {
  it.each([
    [
      'expected',
      99_999_999_999_999,
      'expected: 99999999999999 is not a number of units from 0 to 1,000,000,000; check the value.',
    ],
    [
      'actual',
      1e30,
      'actual: 1e+30 is not a number of units from 0 to 1,000,000,000; check the value.',
    ],
    [
      'actual',
      Number.POSITIVE_INFINITY,
      'actual: Infinity is not a number of units from 0 to 1,000,000,000; check the value.',
    ],
    [
      'expected',
      -1,
      'expected: -1 is not a number of units from 0 to 1,000,000,000; check the value.',
    ],
  ] as const)('%s = %s is refused', async (field, value, message) => {
    await expect(reportDeviation(deps, { ...report, [field]: value })).rejects.toThrow(message);
  });
});
