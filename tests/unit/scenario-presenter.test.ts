/** `/sop scenario`'s list: each scenario's levers in words, money with its currency. */
import { describe, expect, it } from 'vitest';
import { scenarioSummary } from '../../src/slack/presenters/scenario.js';

describe('a scenario in words', () => {
  it('writes an investment’s cost as money', () => {
    const text = scenarioSummary({
      name: 'ambitious',
      label: 'Ambitious',
      capacityInvestment: { resource: 'LINE-1', sizePct: 10, from: '2027-04', cost: 250_000 },
    });
    // 250,000 → "$250k", compact as in the vote and the charts.
    expect(text).toBe('plans for the consensus, +10% capacity on LINE-1 from 2027-04 for $250k');
  });
});
