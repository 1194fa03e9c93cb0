/** Months as one span, the one way the pack, the review and question 1's carried lines write it. */
import { describe, expect, it } from 'vitest';
import { periodSpan } from '../../src/core/period.js';

describe('periodSpan', () => {
  it('writes first–last with an en dash, one month alone, and nothing for none', () => {
    expect(periodSpan(['2027-01', '2027-02', '2027-03'])).toBe('2027-01–2027-03');
    expect(periodSpan(['2027-05'])).toBe('2027-05');
    expect(periodSpan([])).toBe('');
  });
});
