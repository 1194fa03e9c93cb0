/** The stress test's figures as stored KPIs: cash against a budget that ends early. */
import { describe, expect, it } from 'vitest';
import type { StressSummary } from '../../src/core/stress/index.js';
import { stressKpis } from '../../src/services/planning.js';

const spread = (expected: number, p10 = expected, p90 = expected) => ({ expected, p10, p90 });

function summary(budget: readonly number[] | null): StressSummary {
  return {
    samples: 100,
    fillRate: spread(0.95, 0.9, 0.99),
    margin: spread(1000),
    revenue: spread(5000),
    cashFlow: spread(400, 300, 500),
    cashCost: spread(3000),
    penaltyCost: spread(0),
    endingInventoryValue: spread(0),
    excessInventoryValue: spread(0),
    writtenOffValue: spread(0),
    peakWorkingCapital: spread(250),
    cumulativeCash: [100, 250, 400],
    cumulativeCashP10: [80, 200, 300],
    budget: budget ? { cumulativeCash: budget, peakWorkingCapital: 200 } : null,
  };
}

describe('stress KPIs against the budget', () => {
  it('a budget to the horizon: P10 at the end against its end', () => {
    // 300 − 390 = −90.
    expect(stressKpis(summary([90, 220, 390]))).toMatchObject({
      budgetCashFlow: 390,
      budgetCashMonths: 3,
      cashP10VsBudget: -90,
      workingCapitalVsBudget: 50,
    });
  });

  it('a budget that ends after two months: P10 at month two against it', () => {
    // 200 − 220 = −20; the horizon's 300 − 220 = +80 would compare three months with two.
    expect(stressKpis(summary([90, 220]))).toMatchObject({
      budgetCashFlow: 220,
      budgetCashMonths: 2,
      cashP10VsBudget: -20,
    });
  });

  it('no budget: no comparison', () => {
    const k = stressKpis(summary(null));
    expect(k.budgetCashFlow).toBeNull();
    expect(k.cashP10VsBudget).toBeUndefined();
  });

  it('keeps which way demand runs in each bad case, and nothing of it for an older run', () => {
    const tails = { excessStock: -1, cash: 0, fillRate: 1 } as const;
    expect(stressKpis({ ...summary(null), demandTails: tails })).toMatchObject({
      excessStockDemandTail: -1,
      cashDemandTail: 0,
      fillRateDemandTail: 1,
    });
    expect(stressKpis(summary(null))).not.toHaveProperty('fillRateDemandTail');
  });
});
