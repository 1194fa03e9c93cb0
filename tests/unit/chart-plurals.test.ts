/**
 * A chart of one month, one resource, one scenario or one cycle says so in the singular: the
 * family chart's summary read "consensus 120 units over 1 months", and its alt text, the gap,
 * cash, scenario and accuracy charts' alt texts and a scenario's "1 days of cover" the same.
 * Expected texts written by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  accuracyChart,
  cashChart,
  familyChart,
  gapChart,
  scenarioChart,
} from '../../src/charts/index.js';
import { sampleScenarios } from '../../src/charts/samples.js';
import { scenarioSummary } from '../../src/slack/presenters/scenario.js';

describe('one of a thing is named in the singular', () => {
  it('the family chart of one month', () => {
    // Baseline 100 in 2027-01, moved to 120 by one promotion: +20, +20.0%.
    const c = familyChart({
      family: 'FAM-1',
      history: [{ period: '2026-12', units: 90 }],
      baseline: [{ period: '2027-01', value: 100, lo80: 90, hi80: 110, lo95: 85, hi95: 115 }],
      consensus: [{ period: '2027-01', value: 120 }],
      adjustments: [
        { period: '2027-01', author: 'Rita', reasonCode: 'promotion', before: 100, after: 120 },
      ],
    });
    expect(c.summary).toBe(
      '*FAM-1*: consensus 120 units over 1 month vs baseline 100 (+20.0%). 1 adjusted month: promotion +20.',
    );
    expect(c.altText).toBe(
      'Line chart for FAM-1: 1 month of actual sales up to 2026-12 (last 90 units), the baseline forecast for 1 month with its 80% and 95% intervals, and the consensus, which totals 120 units against 100 for the baseline. 1 adjustment is marked.',
    );
  });

  it('the gap chart of one resource in one month', () => {
    // 95 of 100: above 90%, no overload.
    const c = gapChart([
      { resource: 'LINE-1', period: '2027-03', load: 95, capacity: 100, overtimeLimit: 10 },
    ]);
    expect(c.altText).toBe(
      'Heat map of utilisation for 1 resource over 1 month. 0 resource-months are over capacity. 1 is above 90%.',
    );
    expect(JSON.stringify(c.spec)).toContain('"1 resource."');
  });

  it('the cash, scenario and accuracy charts of one scenario or one cycle', () => {
    const cash = cashChart(
      [
        {
          scenario: 'central',
          label: 'Central',
          points: [{ period: '2027-01', cumulative: 100_000, cumulativeP10: 80_000 }],
        },
      ],
      null,
    );
    expect(cash.altText).toMatch(
      /^Line chart of cash generated to date by month for 1 scenario\. /,
    );
    const one = sampleScenarios().slice(0, 1);
    expect(scenarioChart(one).altText).toMatch(/^Four bar charts comparing 1 scenario[.:]/);
    const accuracy = accuracyChart([
      { cycle: '2027-01', period: '2027-02', accuracy: 0.9, bias: 0, fva: 0 },
    ]);
    expect(accuracy.altText).toMatch(/^Line chart over 1 cycle of forecast accuracy/);
  });

  it("a scenario's stock targets of one day", () => {
    expect(scenarioSummary({ name: 'lean', label: 'Lean', stockCoverDays: 1 })).toContain(
      'stock targets of 1 day of cover',
    );
  });
});
