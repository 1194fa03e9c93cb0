/** The demo's closing grid: the pack's words and money, the columns aligned. */
import { describe, expect, it } from 'vitest';
import { scenarioSummary } from '../../src/demo/summary.js';

const central = {
  label: 'Central',
  status: 'optimal',
  kpis: {
    grossMargin: 76_225_051,
    expectedMargin: 72_360_768,
    marginP10: 68_012_345,
    fillRate: 1,
    expectedFillRate: 0.9587,
    serviceAtRisk: 0.93,
    cashFlowP10: 57_327_894,
    peakUtilisation: 1.2137,
  },
};
const cautious = {
  label: 'Cautious',
  status: 'optimal',
  kpis: {
    grossMargin: 69_497_710,
    expectedMargin: 67_110_091,
    marginP10: 64_940_000,
    fillRate: 1,
    expectedFillRate: 0.9012,
    serviceAtRisk: 0.8414,
    cashFlowP10: -45_040,
    peakUtilisation: 1,
  },
};

/** The demo's horizon: 2027-01 to 2028-06, eighteen months. */
const HORIZON = Array.from({ length: 18 }, (_, i) => {
  const m = i % 12;
  return `${2027 + Math.floor(i / 12)}-${String(m + 1).padStart(2, '0')}`;
});

describe('scenarioSummary', () => {
  it('says expected and bad case as the pack does, in compact money, each part in one column', () => {
    expect(HORIZON.at(-1)).toBe('2028-06');
    // The months the money covers, named as the vote names them.
    expect(scenarioSummary([central, cautious], HORIZON)).toEqual([
      'Scenarios of the latest plan run, each against the same demand samples (in a bad case, 1 demand outcome in 10 does worse, each figure its own 1 in 10):',
      // A run that did not count the invoices open when it began (no openingReceivables).
      'Money over 2027-01–2028-06 (18 months): margin and cash generated are totals for the period; invoices and bills open before 2027-01 are left out of the cash.',
      '  Central  expected margin $72.4M, $68M in a bad case;   fills 95.9% expected, 93.0% in a bad case; cash generated $57.3M in a bad case; peak utilisation 121.4%',
      '  Cautious expected margin $67.1M, $64.9M in a bad case; fills 90.1% expected, 84.1% in a bad case; cash generated −$45k in a bad case;  peak utilisation 100.0%',
    ]);
  });

  it('says what the cash counts of the invoices open when the run began', () => {
    const owed = (x: typeof central) => ({
      ...x,
      kpis: { ...x.kpis, openingReceivables: 19_480_000 },
    });
    expect(scenarioSummary([owed(central), owed(cautious)], HORIZON)[1]).toBe(
      "Money over 2027-01–2028-06 (18 months): margin and cash generated are totals for the period; cash counts collecting the $19.5M customers owed for the plan's families' sales before 2027-01; bills open then are left out.",
    );
  });

  it('names a plan without stress figures as at its own demand, and a scenario with no plan', () => {
    const lines = scenarioSummary(
      [
        {
          label: 'Central',
          status: 'optimal',
          kpis: { grossMargin: 1_234_567, fillRate: 0.98765, peakUtilisation: 0.9 },
        },
        { label: 'Ambitious', status: 'infeasible', kpis: {} },
      ],
      ['2027-01', '2027-02', '2027-03'],
    );
    expect(lines).toEqual([
      'Scenarios of the latest plan run, each at its own demand (no stress test ran):',
      'Money over 2027-01–2027-03 (3 months): margin and cash generated are totals for the period.',
      '  Central   margin $1.2M and fill rate 98.8% if demand comes as forecast; peak utilisation 90.0%',
      '  Ambitious no plan (infeasible)',
    ]);
  });
});
